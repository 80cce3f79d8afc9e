"""Reading an image for detection: windows of RGB at any size, its GSD, and its pixel -> WGS84 transform.

Georeferencing, first found wins: the file's own CRS + geotransform (GeoTIFF/COG, or a world file with
`crs`), ground control points, or a centre point (`center=(lon, lat)` with a GSD, north-up assumed).
A plain screenshot needs only `gsd`: then detections have pixel footprints and sizes, but no map coordinates.
Memory stays bounded: pixels are only ever read window by window (GDAL's cache is capped too).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from basewatch.errors import InputFileError

GDAL_CACHE_MB = 128


class GeoreferenceError(InputFileError):
    """The image's coordinates cannot be used: no GSD at all, or a CRS that cannot reach WGS84."""


@dataclass(frozen=True)
class Georef:
    """Pixel (col, row) -> CRS through an affine transform, CRS -> WGS84 through pyproj; both explicit."""

    transform: Any          # rasterio Affine: pixel (col, row) -> CRS (x, y)
    crs: Any                # rasterio CRS
    source: str             # "geotransform", "gcps" or "center"

    @cached_property
    def _transformer(self) -> Any:
        from pyproj import CRS, Transformer

        return Transformer.from_crs(CRS.from_user_input(self.crs.to_wkt()), "EPSG:4326", always_xy=True)

    def to_lonlat(self, cols: Any, rows: Any) -> tuple[np.ndarray, np.ndarray]:
        xs, ys = self.transform @ (np.asarray(cols, dtype=np.float64), np.asarray(rows, dtype=np.float64))
        lon, lat = self._transformer.transform(np.asarray(xs), np.asarray(ys))
        return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)

    def heading_deg(self, dcol: float, drow: float, lat: float) -> float:
        """Compass bearing (0..180: an axis, not a direction) of a direction given in pixels."""
        t = self.transform
        dx, dy = t.a * dcol + t.b * drow, t.d * dcol + t.e * drow
        if self.crs.is_geographic:
            dx *= math.cos(math.radians(lat))
        return math.degrees(math.atan2(dx, dy)) % 180.0


def _check_transformable(path: Path, georef: Georef, width: int, height: int) -> None:
    from pyproj.exceptions import CRSError, ProjError

    try:
        lon, lat = georef.to_lonlat([0, width, width / 2], [0, height, height / 2])
    except (CRSError, ProjError, ValueError) as exc:
        raise GeoreferenceError(f"{path}: its CRS ({_crs_name(georef.crs)}) cannot be transformed to WGS84 "
                                f"({exc}); reproject it (e.g. gdalwarp -t_srs EPSG:4326) or pass --gsd "
                                "and no georeferencing will be used") from exc
    if not (np.all(np.isfinite(lon)) and np.all(np.isfinite(lat)) and np.all(np.abs(lat) <= 90)):
        raise GeoreferenceError(f"{path}: its CRS ({_crs_name(georef.crs)}) gives no valid WGS84 coordinates "
                                "for the image corners; reproject it or check its geotransform")


def _crs_name(crs: Any) -> str:
    try:
        return crs.to_string() or "unnamed CRS"
    except Exception:  # noqa: BLE001 - only for the message
        return "unnamed CRS"


def _metres_per_unit(crs: Any) -> float:
    try:
        return float(crs.linear_units_factor[1])
    except Exception:  # noqa: BLE001 - CRS without linear units
        return 1.0


def _gsd_of(georef: Georef, width: int, height: int) -> float:
    t = georef.transform
    px = math.hypot(t.a, t.d)
    py = math.hypot(t.b, t.e)
    if georef.crs.is_geographic:
        _, lat = georef.to_lonlat([width / 2], [height / 2])
        m = 111_320.0
        return float(math.sqrt(px * m * math.cos(math.radians(lat[0])) * py * m))
    return float(math.sqrt(px * py) * _metres_per_unit(georef.crs))


class RasterImage:
    """An opened image: size, GSD, optional georeferencing, and windowed RGB reads (uint8)."""

    def __init__(self, path: Path | str, *, gsd: float | None = None, center: tuple[float, float] | None = None,
                 crs: str | None = None):
        import rasterio
        from rasterio.errors import NotGeoreferencedWarning, RasterioIOError

        self.path = Path(path)
        if not self.path.is_file():
            raise InputFileError(f"{self.path}: no such image file; check the path")
        if gsd is not None and not (0 < gsd < 1000):
            raise InputFileError(f"--gsd {gsd}: give the ground sample distance in metres per pixel (> 0)")
        self._env = rasterio.Env(GDAL_CACHEMAX=GDAL_CACHE_MB * 1024 * 1024, GDAL_PAM_ENABLED=False)
        self._env.__enter__()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", NotGeoreferencedWarning)
                self.ds = rasterio.open(self.path)
        except RasterioIOError as exc:
            self._env.__exit__(None, None, None)
            raise InputFileError(f"{self.path}: not a readable image ({exc}); give a GeoTIFF/COG, JPEG2000, PNG "
                                 "or JPEG file") from exc
        try:
            self._setup(gsd, center, crs)
        except BaseException:
            self.close()
            raise

    def _setup(self, gsd: float | None, center: tuple[float, float] | None, crs: str | None) -> None:
        from rasterio.crs import CRS
        from rasterio.enums import ColorInterp
        from rasterio.transform import from_gcps

        ds = self.ds
        self.width, self.height, self.count = ds.width, ds.height, ds.count
        if self.width < 8 or self.height < 8:
            raise InputFileError(f"{self.path}: image is only {self.width} x {self.height} pixels; give a real "
                                 "overhead image")
        self.dtype = ds.dtypes[0]
        self.georef: Georef | None = None
        file_crs = ds.crs
        if file_crs is None and crs is not None:
            try:
                file_crs = CRS.from_user_input(crs)
            except Exception as exc:  # noqa: BLE001 - rasterio raises CRSError subclasses
                raise GeoreferenceError(f"--crs {crs!r}: not a CRS rasterio knows ({exc}); give e.g. EPSG:32637") \
                    from exc
        if file_crs is not None and not ds.transform.is_identity:
            self.georef = Georef(ds.transform, file_crs, "geotransform")
        elif ds.gcps[0] and ds.gcps[1] is not None:
            self.georef = Georef(from_gcps(ds.gcps[0]), ds.gcps[1], "gcps")
        elif not ds.transform.is_identity and file_crs is None:
            t = ds.transform
            if abs(t.a) < 0.01 and abs(t.c) <= 180 and abs(t.f) <= 90:  # a world file in degrees
                self.georef = Georef(t, CRS.from_epsg(4326), "geotransform")
        if self.georef is None and center is not None:
            if gsd is None:
                raise GeoreferenceError(f"{self.path}: a centre point needs --gsd too (metres per pixel)")
            lon, lat = center
            local = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
            from rasterio.transform import Affine

            t = Affine(gsd, 0, -gsd * self.width / 2, 0, -gsd, gsd * self.height / 2)
            self.georef = Georef(t, local, "center")
        if self.georef is not None:
            _check_transformable(self.path, self.georef, self.width, self.height)
        if gsd is not None:
            self.gsd_m = float(gsd)
        elif self.georef is not None:
            self.gsd_m = _gsd_of(self.georef, self.width, self.height)
        else:
            raise GeoreferenceError(f"{self.path}: has no georeferencing and no GSD was given; pass --gsd M "
                                    "(metres per pixel, e.g. 0.5), optionally with a centre point")
        if not (0.01 <= self.gsd_m <= 100):
            raise GeoreferenceError(f"{self.path}: GSD {self.gsd_m:.4g} m/pixel is implausible for overhead "
                                    "imagery; pass --gsd M")
        interp = ds.colorinterp
        self.alpha_band = next((i + 1 for i, c in enumerate(interp) if c == ColorInterp.alpha), None)
        colour = [i + 1 for i, c in enumerate(interp) if c != ColorInterp.alpha]
        self.palette = None
        if interp and interp[0] == ColorInterp.palette:
            cmap = ds.colormap(1)
            self.palette = np.array([cmap.get(i, (0, 0, 0, 255))[:3] for i in range(256)], np.uint8)
            self.bands = [1]
        else:
            self.bands = colour[:3] if len(colour) >= 3 else [colour[0]] * 3
        self._stretch: tuple[np.ndarray, np.ndarray] | None = None
        self._full: np.ndarray | None = None  # set by the detector when it read the whole image at once
        tags = ds.tags()
        self.collected_at: datetime | None = None
        for key in ("TIFFTAG_DATETIME", "ACQUISITION_DATETIME", "datetime"):
            if key in tags:
                for fmt in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S"):
                    try:
                        self.collected_at = datetime.strptime(tags[key], fmt)
                        break
                    except ValueError:
                        continue

    # -- reading -----------------------------------------------------------------------------------------
    def _raw(self, window: Any, out_shape: tuple[int, int] | None = None) -> np.ndarray:
        from rasterio.enums import Resampling
        from rasterio.errors import RasterioError

        try:
            if out_shape is None:
                return self.ds.read(self.bands, window=window, boundless=False)
            return self.ds.read(self.bands, window=window, out_shape=(len(self.bands), *out_shape),
                                resampling=Resampling.average)
        except (RasterioError, ValueError) as exc:
            raise InputFileError(f"{self.path}: the pixels cannot be read ({exc}); the file is corrupt or "
                                 "truncated: get a complete copy") from exc

    def _to_uint8(self, raw: np.ndarray) -> np.ndarray:
        """(bands, h, w) as read -> (3, h, w) uint8 (palette applied, or a 2-98 % stretch for >8-bit data)."""
        if self.palette is not None:
            return np.ascontiguousarray(np.moveaxis(self.palette[raw[0]], -1, 0))
        if raw.dtype == np.uint8:
            return raw
        lo, hi = self.stretch
        out = (raw.astype(np.float32) - lo[:, None, None]) * (255.0 / np.maximum(hi - lo, 1e-6))[:, None, None]
        return np.clip(out, 0, 255).astype(np.uint8)

    @property
    def stretch(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-band 2-98 % stretch for non-8-bit images, from a decimated read of the whole image."""
        if self._stretch is None:
            s = min(1.0, 1024 / max(self.width, self.height))
            raw = self._raw(None, (max(1, int(self.height * s)), max(1, int(self.width * s)))).astype(np.float32)
            flat = raw.reshape(raw.shape[0], -1)
            valid = flat[:, np.any(flat != 0, axis=0)] if np.any(flat != 0) else flat
            self._stretch = (np.percentile(valid, 2, axis=1), np.percentile(valid, 98, axis=1))
        return self._stretch

    def read_chw(self, col0: int, row0: int, col1: int, row1: int) -> np.ndarray:
        """RGB uint8 (3, rows, cols) of a pixel window at full resolution (band-first, as the network wants)."""
        from rasterio.windows import Window

        return self._to_uint8(self._raw(Window(col0, row0, col1 - col0, row1 - row0)))

    def read_rgb(self, col0: int, row0: int, col1: int, row1: int) -> np.ndarray:
        """RGB uint8 (rows, cols, 3) of a pixel window, full resolution."""
        return np.ascontiguousarray(np.moveaxis(self.read_chw(col0, row0, col1, row1), 0, -1))

    def overview(self, max_side: int = 512) -> tuple[np.ndarray, np.ndarray, float]:
        """(RGB uint8 (h, w, 3), valid mask, source px per overview px) of the whole image, decimated."""
        s = min(1.0, max_side / max(self.width, self.height))
        shape = (max(1, round(self.height * s)), max(1, round(self.width * s)))
        if self._full is not None:  # the whole image was already read for detection: no second decode
            from basewatch.imagery.resample import resample_chw

            rgb = np.moveaxis(resample_chw(self._full, shape[1], shape[0]), 0, -1)
        else:
            rgb = np.moveaxis(self._to_uint8(self._raw(None, shape)), 0, -1)
        from rasterio.enums import Resampling
        from rasterio.errors import RasterioError

        try:
            if self.alpha_band is not None:
                mask = self.ds.read(self.alpha_band, out_shape=shape, resampling=Resampling.nearest) > 0
            else:
                mask = self.ds.dataset_mask(out_shape=shape, resampling=Resampling.nearest) > 0
        except (RasterioError, ValueError) as exc:
            raise InputFileError(f"{self.path}: the pixels cannot be read ({exc}); the file is corrupt or "
                                 "truncated: get a complete copy") from exc
        return rgb, mask, self.width / shape[1]

    def footprint_lonlat(self) -> dict[str, Any] | None:
        """The image outline as a GeoJSON Polygon in WGS84 (edges densified), or None."""
        if self.georef is None:
            return None
        n = 8
        w, h = self.width, self.height
        cols = np.concatenate([np.linspace(0, w, n, endpoint=False), np.full(n, w),
                               np.linspace(w, 0, n, endpoint=False), np.zeros(n)])
        rows = np.concatenate([np.zeros(n), np.linspace(0, h, n, endpoint=False), np.full(n, h),
                               np.linspace(h, 0, n, endpoint=False)])
        lon, lat = self.georef.to_lonlat(cols, rows)
        ring = [[round(float(x), 7), round(float(y), 7)] for x, y in zip(lon, lat, strict=True)]
        return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}

    def close(self) -> None:
        ds = getattr(self, "ds", None)
        if ds is not None:
            ds.close()
            self.ds = None
        env = getattr(self, "_env", None)
        if env is not None:
            env.__exit__(None, None, None)
            self._env = None

    def __enter__(self) -> RasterImage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def open_image(path: Path | str, **kw: Any) -> Iterator[RasterImage]:
    img = RasterImage(path, **kw)
    try:
        yield img
    finally:
        img.close()
