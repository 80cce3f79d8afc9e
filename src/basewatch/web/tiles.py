"""Web-Mercator XYZ tiles (256 px PNG) cut from the workspace's archived rasters with rasterio.

A tile is warped from the source overview whose resolution is just finer than the tile's, so a zoomed-out
tile never reads the full-resolution image. Tiles are cached in memory by (sha256, z, x, y): archived
evidence is immutable, so a cached tile never goes stale.
"""

from __future__ import annotations

import io
import math
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import rasterio
from PIL import Image
from rasterio.enums import Resampling
from rasterio.errors import NotGeoreferencedWarning
from rasterio.transform import from_bounds
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds

TILE = 256
EARTH = 2 * math.pi * 6378137.0
ORIGIN = EARTH / 2


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """EPSG:3857 bounds (left, bottom, right, top) of an XYZ tile."""
    size = EARTH / 2**z
    left = -ORIGIN + x * size
    top = ORIGIN - y * size
    return left, top - size, left + size, top


def native_zoom(gsd_m: float, lat: float) -> int:
    """The zoom whose pixel is closest to the image's ground sample distance."""
    ground_at_z0 = EARTH * math.cos(math.radians(lat)) / TILE
    return max(0, min(22, round(math.log2(ground_at_z0 / max(gsd_m, 0.01)))))


@dataclass(frozen=True)
class RasterInfo:
    path: Path
    bounds_3857: tuple[float, float, float, float]
    gsd: float
    overviews: tuple[int, ...]
    bands: tuple[int, ...]
    scale: tuple[float, float] | None


@lru_cache(maxsize=256)
def raster_info(path: Path) -> RasterInfo:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        with rasterio.open(path) as ds:
            if ds.crs is None:
                raise ValueError(f"{path.name} is not georeferenced")
            bounds = transform_bounds(ds.crs, "EPSG:3857", *ds.bounds, densify_pts=21)
            gsd = abs(ds.transform.a) if ds.crs.is_projected else abs(ds.transform.a) * 111_320
            bands = (1, 2, 3) if ds.count >= 3 else (1, 1, 1)
            scale = None
            if ds.dtypes[0] != "uint8":
                ovr = ds.overviews(1)
                f = ovr[-1] if ovr else max(1, max(ds.width, ds.height) // 512)
                sample = ds.read(bands[0], out_shape=(max(1, ds.height // f), max(1, ds.width // f))
                                 ).astype("float64")
                lo, hi = np.percentile(sample, (2, 98))
                scale = (float(lo), float(max(hi, lo + 1)))
            return RasterInfo(path, bounds, gsd, tuple(ds.overviews(1)), bands, scale)


def _transparent() -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (TILE, TILE), (0, 0, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


EMPTY_TILE = _transparent()


def render_tile(path: Path, z: int, x: int, y: int) -> bytes:
    """A PNG tile of `path` (transparent outside the image)."""
    info = raster_info(path)
    left, bottom, right, top = tile_bounds(z, x, y)
    bl, bb, br, bt = info.bounds_3857
    if right <= bl or left >= br or top <= bb or bottom >= bt:
        return EMPTY_TILE
    # Ground metres per tile pixel (Mercator metres shrink by cos(lat)).
    lat = math.degrees(math.atan(math.sinh((top + bottom) / 2 / 6378137.0)))
    tile_res = (right - left) / TILE * math.cos(math.radians(lat))
    level = None
    for i, factor in enumerate(info.overviews):
        if info.gsd * factor <= tile_res:
            level = i
    opts = {"overview_level": level} if level is not None else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        with rasterio.open(path, **opts) as src, WarpedVRT(
                src, crs="EPSG:3857", transform=from_bounds(left, bottom, right, top, TILE, TILE),
                width=TILE, height=TILE, resampling=Resampling.bilinear, add_alpha=True) as vrt:
            data = vrt.read(indexes=[*info.bands, vrt.count])
    rgb = data[:3]
    if info.scale is not None:
        lo, hi = info.scale
        rgb = np.clip((rgb.astype("float32") - lo) / (hi - lo) * 255, 0, 255)
    alpha = (data[3] > 0).astype("uint8") * 255
    img = np.dstack([rgb.transpose(1, 2, 0).astype("uint8"), alpha])
    buf = io.BytesIO()
    Image.fromarray(img, "RGBA").save(buf, "PNG", compress_level=1)
    return buf.getvalue()


class TileCache:
    """A small thread-safe LRU of rendered tiles."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._items: OrderedDict[tuple[str, int, int, int], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, path: Path, sha: str, z: int, x: int, y: int) -> bytes:
        key = (sha, z, x, y)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        png = render_tile(path, z, x, y)
        with self._lock:
            self._items[key] = png
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return png
