"""Image chips: a picture of an archived image around its detections, with their footprints drawn.

Detections are GeoJSON lon/lat; they meet the image's pixels only through the image's CRS and its affine
transform (rasterio.warp.transform, then the inverse transform of the read window).
"""

from __future__ import annotations

import base64
import io
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from PIL import Image, ImageDraw
from rasterio.errors import NotGeoreferencedWarning
from rasterio.warp import transform as warp_transform
from rasterio.windows import Window, from_bounds

COLOURS = {"aircraft": (230, 85, 13), "helicopter": (49, 163, 84), "vehicle": (49, 130, 189), "ship": (214, 39, 40)}


def chip_jpeg(path: Path, detections: list[dict[str, Any]], *, max_px: int = 640, margin_m: float = 120.0) -> bytes:
    """A JPEG, small enough to embed in a brief, of the part of the image that holds the detections (the whole
    image when there are none), with their footprints drawn."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        with rasterio.open(path) as ds:
            rings = []
            for d in detections:
                ring = (d.get("geometry") or {}).get("coordinates", [[]])[0]
                if not ring:
                    continue
                xs, ys = warp_transform("EPSG:4326", ds.crs, [p[0] for p in ring], [p[1] for p in ring])
                rings.append((d, list(zip(xs, ys, strict=True))))
            if rings:
                allx = [x for _, r in rings for x, _ in r]
                ally = [y for _, r in rings for _, y in r]
                win = from_bounds(min(allx) - margin_m, min(ally) - margin_m, max(allx) + margin_m,
                                  max(ally) + margin_m, ds.transform)
                win = win.intersection(Window(0, 0, ds.width, ds.height)).round_offsets().round_lengths()
            else:
                win = Window(0, 0, ds.width, ds.height)
            scale = min(1.0, max_px / max(win.width, win.height))
            out_shape = (max(1, int(win.height * scale)), max(1, int(win.width * scale)))
            bands = [1, 2, 3] if ds.count >= 3 else [1, 1, 1]
            data = ds.read(bands, window=win, out_shape=(3, *out_shape))
            if data.dtype != np.uint8:
                lo, hi = np.percentile(data, (2, 98))
                data = np.clip((data.astype("float32") - lo) / max(hi - lo, 1) * 255, 0, 255).astype("uint8")
            win_transform = ds.window_transform(win)
    img = Image.fromarray(np.ascontiguousarray(data.transpose(1, 2, 0)), "RGB")
    draw = ImageDraw.Draw(img)
    inverse = ~win_transform
    for d, ring in rings:
        px = [inverse * (x, y) for x, y in ring]
        px = [(c * scale, r * scale) for c, r in px]
        draw.line(px + [px[0]], fill=COLOURS.get(d.get("class") or "", (255, 255, 0)), width=2)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, optimize=True)
    return buf.getvalue()


def data_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
