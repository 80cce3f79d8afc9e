"""Cheap procedural textures: smooth value noise made by upsampling small random grids with Pillow (C speed)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageChops, ImageFilter


def value_noise(width: int, height: int, cell_px: float, rng: np.random.Generator,
                aspect: float = 1.0) -> np.ndarray:
    """Smooth noise in [-1, 1], float32 (H, W), with features about `cell_px` wide (x `aspect` tall)."""
    gw = max(2, int(width / cell_px) + 3)
    gh = max(2, int(height / (cell_px * aspect)) + 3)
    grid = rng.uniform(-1.0, 1.0, size=(gh, gw)).astype(np.float32)
    img = Image.fromarray(grid, mode="F").resize((width, height), Image.BICUBIC)
    return np.asarray(img, dtype=np.float32)


def noise_u8(width: int, height: int, cell_px: float, rng: np.random.Generator, aspect: float = 1.0) -> np.ndarray:
    """Smooth noise as uint8 around 128 (cheaper to combine than floats)."""
    gw = max(2, int(width / cell_px) + 3)
    gh = max(2, int(height / (cell_px * aspect)) + 3)
    grid = rng.integers(0, 256, size=(gh, gw), dtype=np.uint8)
    return np.asarray(Image.fromarray(grid, mode="L").resize((width, height), Image.BILINEAR))


def fractal_u8(width: int, height: int, cells: tuple[float, ...], rng: np.random.Generator) -> np.ndarray:
    """Several octaves of uint8 noise averaged (values around 128)."""
    acc = np.zeros((height, width), dtype=np.uint16)
    for c in cells:
        acc += noise_u8(width, height, c, rng)
    return (acc // len(cells)).astype(np.uint8)


def shade(img: np.ndarray, tex: np.ndarray, amount: float) -> np.ndarray:
    """Modulate an (H, W, 3) uint8 image by a uint8 texture around 128, about +-amount in brightness.

    Pillow's soft-light blend does it in C without a float copy of the scene.
    """
    lut = [int(min(255, max(0, 128 + (v - 128) * amount * 2.5))) for v in range(256)]
    t = Image.fromarray(tex).point(lut)
    out = ImageChops.soft_light(Image.fromarray(img), Image.merge("RGB", (t, t, t)))
    return np.asarray(out)


def grain(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Per-pixel uint8 grain around 128 (no upsampling: the cheapest texture there is)."""
    return rng.integers(64, 192, size=(height, width), dtype=np.uint8)


def blur(img: np.ndarray, blur_px: float) -> np.ndarray:
    """A 3 x 3 optics blur whose strength follows `blur_px` (0 = none, >= 1.2 = full binomial kernel)."""
    if blur_px < 0.3:
        return img
    c = min(1.0, blur_px / 1.2)
    kernel = [c * c, 2 * c, c * c, 2 * c, 4.0, 2 * c, c * c, 2 * c, c * c]
    return np.asarray(Image.fromarray(img).filter(ImageFilter.Kernel((3, 3), kernel, sum(kernel))))
