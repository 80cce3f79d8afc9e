"""Atmosphere and sensor: clouds with their shadows, haze, optics blur, sensor noise, JPEG artefacts.

All full-frame steps run in Pillow or on uint8/int16 arrays (no float copies of the whole scene) to keep a
4096 x 4096 scene within its time budget.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from basewatch.synth.draw import Light
from basewatch.synth.frame import SceneFrame
from basewatch.synth.scenario import Acquisition
from basewatch.synth.texture import blur, noise_u8


def _cloud_alpha(frame: SceneFrame, cover: float, rng: np.random.Generator, shift_px: tuple[int, int]) -> tuple[
        Image.Image, Image.Image]:
    """Cloud opacity and the matching shadow opacity (the cloud field shifted by its cast offset).

    Computed at 1/8 resolution and upsampled: clouds are soft, and the shadow shift can be thousands of pixels.
    """
    W, H = frame.width, frame.height
    k = 8
    w, h = W // k + 2, H // k + 2
    sx, sy = shift_px[0] // k, shift_px[1] // k
    pad = max(abs(sx), abs(sy)) + 2
    big_w, big_h = w + 2 * pad, h + 2 * pad
    cell = 400.0 / frame.gsd / k
    f = (noise_u8(big_w, big_h, cell, rng).astype(np.int16) * 2 + noise_u8(big_w, big_h, cell / 3, rng)
         + noise_u8(big_w, big_h, max(cell / 9, 1.5), rng) // 2) // 3
    thr = np.quantile(f, 1.0 - cover)
    a = np.clip((f - thr) * 10 + 60, 0, 255).astype(np.uint8)
    a[f < thr] = 0
    cloud = np.ascontiguousarray(a[pad:pad + h, pad:pad + w])
    shadow = np.ascontiguousarray(a[pad - sy:pad - sy + h, pad - sx:pad - sx + w])

    def up(x: np.ndarray) -> Image.Image:
        return Image.fromarray(x).resize((w * k, h * k), Image.BILINEAR).crop((0, 0, W, H))

    return up(cloud), up(shadow)


def apply_conditions(img: np.ndarray, frame: SceneFrame, acq: Acquisition, light: Light,
                     rng: np.random.Generator, off_nadir: float, objects_sharp: bool = False,
                     jpeg: bool = True) -> np.ndarray:
    """The scene as the sensor delivers it (H, W, 3 uint8); `jpeg=False` leaves the JPEG step to the writer."""
    pil = Image.fromarray(img)
    if acq.cloud_cover > 0:
        shift = light.shadow * 900.0 / frame.gsd  # clouds about 900 m up
        cloud, shadow = _cloud_alpha(frame, acq.cloud_cover, rng, (int(shift[0]), int(-shift[1])))
        dark = Image.eval(pil, lambda v: int(v * 0.68))
        pil = Image.composite(dark, pil, shadow.point(lambda v: int(v * 0.8)))
        pil = Image.composite(Image.new("RGB", pil.size, (236, 238, 240)), pil, cloud)
    if acq.haze > 0:
        pil = Image.blend(pil, Image.new("RGB", pil.size, (190, 196, 204)), float(acq.haze) * 0.45)
    # the ground was blurred by acq.blur_px already; blur the whole frame again only for a clearly softer image
    extra = acq.blur_px * off_nadir / 30.0
    if extra >= 0.3 or (acq.blur_px >= 0.3 and objects_sharp):
        pil = Image.fromarray(blur(np.asarray(pil), max(extra, acq.blur_px * 0.7)))
    out = np.asarray(pil)
    if acq.noise > 0:
        # luminance noise (pan-sharpened products carry most noise in brightness): sum of two uniforms
        # drawn on a 1031 x 1031 tile (prime size, random phase) and tiled: invisible at these sigmas, 5x cheaper
        t = 1031
        tile = rng.integers(0, 256, size=(t, t), dtype=np.uint8).astype(np.int16)
        tile += rng.integers(0, 256, size=(t, t), dtype=np.uint8)
        tile -= 255
        tile = np.roll(tile, (int(rng.integers(t)), int(rng.integers(t))), axis=(0, 1))
        reps = (frame.height // t + 1, frame.width // t + 1)
        u = np.tile(tile, reps)[:frame.height, :frame.width].copy()
        scale = int(round(acq.noise / 104.0 * 256))  # sd of u is ~104
        u *= scale
        u >>= 8
        acc = out.astype(np.int16)
        acc += u[..., None]
        np.clip(acc, np.int16(0), np.int16(255), out=acc)
        out = acc.astype(np.uint8)
    if acq.jpeg_quality and jpeg:
        buf = io.BytesIO()
        Image.fromarray(out).save(buf, "JPEG", quality=int(acq.jpeg_quality), subsampling=2)
        buf.seek(0)
        dec = Image.open(buf)
        dec.load()
        out = np.asarray(dec)
    return out
