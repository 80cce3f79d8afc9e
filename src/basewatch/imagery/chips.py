"""Object chips in the body frame: the pixels of one detection resampled along its own axes, in metres.

Identification and state cues look at an object in its own frame -- x forward along the length, y to the right,
metres from the centre -- so that one rule works for every heading. The pixel -> body transform is built from the
detection's pixel polygon (its edges give the axes and the pixel size), never from map coordinates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from basewatch.model import Detection


@dataclass(frozen=True)
class BodyFrame:
    """Where a detection lies in its image: centre (col, row), unit forward/right pixel vectors, size in metres."""

    centre: np.ndarray  # (col, row)
    forward: np.ndarray  # unit pixel vector along the length
    right: np.ndarray  # unit pixel vector along the width
    length_m: float
    width_m: float
    gsd: float  # metres per pixel along the object

    def to_px(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Body metres -> pixel (col, row)."""
        c = self.centre[0] + (x * self.forward[0] + y * self.right[0]) / self.gsd
        r = self.centre[1] + (x * self.forward[1] + y * self.right[1]) / self.gsd
        return c, r


def body_frame(det: Detection, gsd: float | None = None) -> BodyFrame:
    """The body frame of a detection: axes from its pixel polygon, forward from its heading when it has one.

    Without a heading, forward is the edge that matches `length_m` (or the longer edge), sign arbitrary; cues that
    need the nose test both ends.
    """
    p = np.asarray(det.polygon_px, dtype=float)
    centre = p.mean(axis=0)
    e1, e2 = p[1] - p[0], p[2] - p[1]
    n1, n2 = float(np.hypot(*e1)), float(np.hypot(*e2))
    if n1 < 1e-6 or n2 < 1e-6:
        raise ValueError("degenerate detection polygon")
    u1, u2 = e1 / n1, e2 / n2
    if det.heading_deg is not None:
        h = math.radians(det.heading_deg)
        f = np.array([math.sin(h), -math.cos(h)])  # north-up image: compass heading -> (col, row)
        if abs(float(u1 @ f)) >= abs(float(u2 @ f)):
            fwd, len_px, wid_px = u1 * np.sign(u1 @ f or 1.0), n1, n2
        else:
            fwd, len_px, wid_px = u2 * np.sign(u2 @ f or 1.0), n2, n1
    else:
        fwd, len_px, wid_px = (u1, n1, n2) if n1 >= n2 else (u2, n2, n1)
        if det.length_m and det.width_m and det.length_m < det.width_m:
            fwd, len_px, wid_px = (u2, n2, n1) if n1 >= n2 else (u1, n1, n2)
    right = np.array([-fwd[1], fwd[0]])
    if gsd is None:
        if det.length_m:
            gsd = det.length_m / len_px
        elif det.width_m:
            gsd = det.width_m / wid_px
        else:
            gsd = 1.0
    return BodyFrame(centre=centre, forward=fwd, right=right, length_m=len_px * gsd, width_m=wid_px * gsd, gsd=gsd)


@dataclass(frozen=True)
class Chip:
    """An object's pixels on a body-frame grid (metres), with a background model from the ring around it."""

    rgb: np.ndarray  # (ny, nx, 3) float32; rows = y (right), columns = x (forward)
    xs: np.ndarray  # body x of each column (metres)
    ys: np.ndarray  # body y of each row (metres)
    valid: np.ndarray  # (ny, nx) bool: inside the image
    frame: BodyFrame
    bg_median: np.ndarray  # (3,)
    bg_sigma: float

    @property
    def lum(self) -> np.ndarray:
        return self.rgb.mean(axis=2)

    def contrast(self) -> np.ndarray:
        """Colour distance from the background, in background sigmas (object-ness)."""
        d = np.sqrt(((self.rgb - self.bg_median) ** 2).sum(axis=2))
        return d / self.bg_sigma

    def region(self, x0: float, x1: float, y0: float, y1: float) -> np.ndarray:
        """Boolean mask of the body-frame box [x0, x1] x [y0, y1]."""
        X, Y = np.meshgrid(self.xs, self.ys)
        return (X >= min(x0, x1)) & (X <= max(x0, x1)) & (Y >= min(y0, y1)) & (Y <= max(y0, y1)) & self.valid


def _bilinear(img: np.ndarray, c: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    h, w = img.shape[:2]
    valid = (c >= 0) & (r >= 0) & (c <= w - 1) & (r <= h - 1)
    c = np.clip(c, 0, w - 1.001)
    r = np.clip(r, 0, h - 1.001)
    c0, r0 = np.floor(c).astype(int), np.floor(r).astype(int)
    fc, fr = (c - c0)[..., None], (r - r0)[..., None]
    out = (img[r0, c0] * (1 - fc) * (1 - fr) + img[r0, c0 + 1] * fc * (1 - fr)
           + img[r0 + 1, c0] * (1 - fc) * fr + img[r0 + 1, c0 + 1] * fc * fr)
    return out.astype(np.float32), valid


def chip_from_array(img: np.ndarray, frame: BodyFrame, *, margin_m: float | None = None,
                    step_m: float | None = None, origin: tuple[int, int] = (0, 0)) -> Chip:
    """Resample an (H, W, 3) array around a body frame; `origin` is the array's (col, row) offset in the image."""
    if margin_m is None:
        margin_m = max(6.0, 0.35 * max(frame.length_m, frame.width_m))
    step = step_m or frame.gsd
    hx, hy = frame.length_m / 2 + margin_m, frame.width_m / 2 + margin_m
    xs = np.arange(-hx, hx + 1e-9, step)
    ys = np.arange(-hy, hy + 1e-9, step)
    X, Y = np.meshgrid(xs, ys)
    c, r = frame.to_px(X, Y)
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    rgb, valid = _bilinear(img[..., :3].astype(np.float32), c - origin[0], r - origin[1])
    # background: the ring outside the footprint (1 m clear of it), robust to shadows and neighbours
    ring = ((np.abs(X) > frame.length_m / 2 + 1.0) | (np.abs(Y) > frame.width_m / 2 + 1.0)) & valid
    if ring.sum() < 10:
        ring = valid
    bg = rgb[ring]
    med = np.median(bg, axis=0) if len(bg) else np.zeros(3, np.float32)
    dist = np.sqrt(((bg - med) ** 2).sum(axis=1)) if len(bg) else np.ones(1)
    sigma = float(max(4.0, 1.4826 * np.median(dist)))
    return Chip(rgb=rgb, xs=xs, ys=ys, valid=valid, frame=frame, bg_median=med, bg_sigma=sigma)


class ImageReader:
    """Reads windows of one raster (GeoTIFF or plain picture) without loading all of it."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._ds = None
        self._arr: np.ndarray | None = None
        try:
            import rasterio

            ds = rasterio.open(self.path)
            if ds.count >= 1:
                self._ds = ds
        except Exception:  # noqa: BLE001 - fall back to Pillow for pictures GDAL cannot open
            self._ds = None
        if self._ds is None:
            from PIL import Image

            with Image.open(self.path) as im:
                self._arr = np.asarray(im.convert("RGB"))

    def close(self) -> None:
        if self._ds is not None:
            self._ds.close()

    def __enter__(self) -> ImageReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def window(self, c0: int, r0: int, c1: int, r1: int) -> tuple[np.ndarray, tuple[int, int]]:
        """Pixels of [c0, c1) x [r0, r1) clipped to the image, as (H, W, 3) and the clipped origin."""
        if self._ds is not None:
            from rasterio.windows import Window

            W, H = self._ds.width, self._ds.height
            c0, r0, c1, r1 = max(c0, 0), max(r0, 0), min(c1, W), min(r1, H)
            if c1 <= c0 or r1 <= r0:
                return np.zeros((1, 1, 3), np.uint8), (c0, r0)
            bands = [1, 2, 3] if self._ds.count >= 3 else [1, 1, 1]
            data = self._ds.read(bands, window=Window(c0, r0, c1 - c0, r1 - r0))
            return np.moveaxis(data, 0, -1), (c0, r0)
        arr = self._arr
        assert arr is not None
        H, W = arr.shape[:2]
        c0, r0, c1, r1 = max(c0, 0), max(r0, 0), min(c1, W), min(r1, H)
        return arr[r0:r1, c0:c1], (c0, r0)

    def chip(self, det: Detection, *, margin_m: float | None = None, gsd: float | None = None) -> Chip:
        frame = body_frame(det, gsd)
        if margin_m is None:
            margin_m = max(6.0, 0.35 * max(frame.length_m, frame.width_m))
        reach = (math.hypot(frame.length_m, frame.width_m) / 2 + margin_m) / frame.gsd + 2
        c, r = frame.centre
        arr, origin = self.window(int(c - reach), int(r - reach), int(c + reach) + 1, int(r + reach) + 1)
        return chip_from_array(arr, frame, margin_m=margin_m, origin=origin)
