"""Web-Mercator XYZ tiles cut from the workspace's archived rasters: 256 px, JPEG inside the image and PNG
(transparent outside it) at its edges.

A tile is sampled from the source overview whose resolution is just finer than the tile's (so a zoomed-out tile
never reads the full-resolution image), nearest-neighbour: that overview is at most twice as fine as the tile,
and the dashboard never asks beyond the image's native zoom. Without such an overview the window is read
decimated, at most MAX_WINDOW pixels a side, through a bounded GDAL block cache, so memory stays bounded.
For north-up projected images the sampling is done here (`_sample`): the tile's pixel centres go from
EPSG:3857 to the image CRS through pyproj on a 9 x 9 grid, interpolated in between (as GDAL's approximate
transformer does), then to pixels through the overview's affine transform, and one window read feeds a numpy
lookup -- about half the cost of a GDAL warp per tile. Other images go through rasterio's WarpedVRT. Tiles are
cached in memory by (evidence id, z, x, y): archived evidence is immutable, so a cached tile never goes stale.
"""

from __future__ import annotations

import io
import math
import os
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import rasterio
from PIL import Image
from pyproj import Transformer
from rasterio.enums import Resampling
from rasterio.errors import NotGeoreferencedWarning
from rasterio.transform import from_bounds
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds
from rasterio.windows import Window

TILE = 256
GDAL_CACHE_MB = 128  # GDAL's block cache defaults to 5% of RAM: a decimated read of a big image would fill it
MAX_WINDOW = 4 * TILE  # source pixels read per tile side, at most (an overview at most twice as fine needs 2x)
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
    crs_wkt: str = ""
    north_up: bool = False
    nodata: float | None = None
    masked: bool = False


def _gdal_env() -> rasterio.Env:
    return rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB * 1024 * 1024)


@lru_cache(maxsize=256)
def raster_info(path: Path) -> RasterInfo:
    with _gdal_env(), warnings.catch_warnings():
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
            t = ds.transform
            north_up = ds.crs.is_projected and t.b == 0 and t.d == 0 and t.a > 0 and t.e < 0
            masked = any(f.name not in ("all_valid", "nodata") for f in ds.mask_flag_enums[0])
            return RasterInfo(path, bounds, gsd, tuple(ds.overviews(1)), bands, scale, ds.crs.to_wkt(), north_up,
                              ds.nodata, masked)


@lru_cache(maxsize=64)
def _to_source(crs_wkt: str) -> Transformer:
    return Transformer.from_crs("EPSG:3857", crs_wkt, always_xy=True)


_pool: OrderedDict[tuple[Path, int | None], list[rasterio.io.DatasetReader]] = OrderedDict()
_pool_lock = threading.Lock()
POOL_KEYS = 16  # (image, overview level) pairs kept open
POOL_PER_KEY = 4  # idle datasets kept per pair (tiles render on RENDERERS' few threads)


@contextmanager
def _dataset(path: Path, level: int | None) -> Iterator[rasterio.io.DatasetReader]:
    """An open dataset for one render at a time (datasets are not thread-safe), taken from a small shared pool
    and given back after, so the next tiles (on whichever thread) do not open the file again."""
    key = (path, level)
    ds = None
    with _pool_lock:
        free = _pool.get(key)
        if free:
            ds = free.pop()
            _pool.move_to_end(key)
    if ds is None or ds.closed:
        ds = rasterio.open(path, **({"overview_level": level} if level is not None else {}))
    try:
        yield ds
    finally:
        closing = []
        with _pool_lock:
            free = _pool.setdefault(key, [])
            _pool.move_to_end(key)
            if len(free) < POOL_PER_KEY:
                free.append(ds)
            else:
                closing.append(ds)
            while len(_pool) > POOL_KEYS:
                closing += _pool.popitem(last=False)[1]
        for d in closing:
            d.close()


def _sample(info: RasterInfo, level: int | None, bounds: tuple[float, float, float, float]
            ) -> tuple[np.ndarray, np.ndarray] | None:
    """(rgb TxTx3, valid TxT) by nearest-neighbour lookup; None when the tile misses the image."""
    left, bottom, right, top = bounds
    n = 9
    gx = np.linspace(left, right, n)
    gy = np.linspace(top, bottom, n)
    mx, my = np.meshgrid(gx, gy)
    sx, sy = _to_source(info.crs_wkt).transform(mx, my)
    u = (np.arange(TILE) + 0.5) / TILE * (n - 1)
    i0 = np.minimum(u.astype(int), n - 2)
    f = u - i0

    def upsample(grid: np.ndarray) -> np.ndarray:
        rows = grid[:, i0] * (1 - f) + grid[:, i0 + 1] * f          # n x T
        return rows[i0, :] * (1 - f)[:, None] + rows[i0 + 1, :] * f[:, None]  # T x T

    with _dataset(info.path, level) as ds:
        t = ds.transform
        col = (upsample(sx) - t.c) / t.a
        row = (upsample(sy) - t.f) / t.e
        inside = (col >= 0) & (col < ds.width) & (row >= 0) & (row < ds.height)
        if not inside.any():
            return None
        full = bool(inside.all())  # the usual case: the tile lies inside the image, no masking needed
        if full:  # col, row >= 0: truncation is floor
            ci, ri = col.astype(np.int64), row.astype(np.int64)
        else:
            ci, ri = np.floor(col[inside]).astype(np.int64), np.floor(row[inside]).astype(np.int64)
        c0, c1, r0, r1 = int(ci.min()), int(ci.max()) + 1, int(ri.min()), int(ri.max()) + 1
        window = Window(c0, r0, c1 - c0, r1 - r0)
        # Without a fine-enough overview the window can span the whole full-resolution image: read it
        # decimated to at most MAX_WINDOW pixels a side, so memory per tile stays bounded whatever the size.
        h, w = min(r1 - r0, MAX_WINDOW), min(c1 - c0, MAX_WINDOW)
        if (h, w) != (r1 - r0, c1 - c0):
            ri = np.minimum((ri - r0) * h // (r1 - r0), h - 1)
            ci = np.minimum((ci - c0) * w // (c1 - c0), w - 1)
        else:
            ri, ci = ri - r0, ci - c0
        bands = list(dict.fromkeys(info.bands))
        block = ds.read(bands, window=window, out_shape=(len(bands), h, w), resampling=Resampling.nearest)
        # Interleave the (small) window once, then one gather over its flattened pixels gives the tile's
        # pixels already in the row x column x band layout that the encoder takes.
        hwc = np.ascontiguousarray(block.transpose(1, 2, 0))[..., [bands.index(b) for b in info.bands]]
        flat = ri * w + ci
        picked = hwc.reshape(-1, 3)[flat]
        if full:
            out, valid = picked, inside
        else:
            out = np.zeros((TILE, TILE, 3), dtype=block.dtype)
            out[inside] = picked
            valid = inside.copy()
        if info.nodata is not None:
            keep = ~np.all(picked == info.nodata, axis=-1)
            if full:
                valid &= keep
            else:
                valid[inside] &= keep
        if info.masked:
            mask = ds.read_masks(1, window=window, out_shape=(h, w)).reshape(-1)[flat] > 0
            if full:
                valid &= mask
            else:
                valid[inside] &= mask
        return out, valid


def _transparent() -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (TILE, TILE), (0, 0, 0, 0)).save(buf, "PNG")
    return buf.getvalue()


EMPTY_TILE = _transparent()


def render_tile(path: Path, z: int, x: int, y: int, *, gdal_warp: bool = False) -> bytes:
    """A tile of `path`: JPEG when the image fills it, else PNG, transparent outside the image.

    `gdal_warp` forces the WarpedVRT path."""
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
    with _gdal_env(), warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        if info.north_up and not gdal_warp:
            got = _sample(info, level, (left, bottom, right, top))
            if got is None:
                return EMPTY_TILE
            rgb, opaque = got
        else:
            opts = {"overview_level": level} if level is not None else {}
            with rasterio.open(path, **opts) as src, WarpedVRT(
                    src, crs="EPSG:3857", transform=from_bounds(left, bottom, right, top, TILE, TILE),
                    width=TILE, height=TILE, resampling=Resampling.nearest, add_alpha=True) as vrt:
                data = vrt.read(indexes=[*info.bands, vrt.count])
            rgb, opaque = data[:3].transpose(1, 2, 0), data[3] > 0
    if info.scale is not None:
        lo, hi = info.scale
        rgb = np.clip((rgb.astype("float32") - lo) / (hi - lo) * 255, 0, 255)
    pixels = np.ascontiguousarray(rgb.astype("uint8", copy=False))
    buf = io.BytesIO()
    if opaque.all():  # inside the image: JPEG encodes about 7x faster than PNG and is smaller
        Image.fromarray(pixels, "RGB").save(buf, "JPEG", quality=90)
    else:  # at the image's edge: PNG keeps the outside transparent
        Image.fromarray(np.dstack([pixels, opaque.astype("uint8") * 255]), "RGBA").save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def media_type(tile: bytes) -> str:
    return "image/jpeg" if tile[:2] == b"\xff\xd8" else "image/png"


# Tiles render on a few long-lived threads, in order of arrival: more threads than cores only contend for the
# GIL, and each new thread pays again for its per-thread state (pyproj transformer, open datasets).
RENDERERS = ThreadPoolExecutor(max(2, min(8, os.cpu_count() or 2)), thread_name_prefix="tiles")


class TileCache:
    """A small thread-safe LRU of rendered tiles, and the archived raster behind each evidence id seen."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._items: OrderedDict[tuple[str, int, int, int], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.paths: dict[str, Path] = {}  # evidence id -> checked raster path (archived evidence is immutable)

    def peek(self, key_id: str, z: int, x: int, y: int) -> bytes | None:
        with self._lock:
            return self._items.get((key_id, z, x, y))

    def get(self, path: Path, key_id: str, z: int, x: int, y: int) -> bytes:
        """The tile from the cache, or rendered from `path` and kept under (key_id, z, x, y)."""
        key = (key_id, z, x, y)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        png = RENDERERS.submit(render_tile, path, z, x, y).result()
        with self._lock:
            self._items[key] = png
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return png
