"""Helpers for imagery tests: images with bright 20 m squares and the tiny test models in data/."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import rasterio
from rasterio.transform import from_origin

from basewatch.catalog import builtin_catalog
from basewatch.catalog.geometry import to_utm, utm_crs

DATA = Path(__file__).parent / "data"
SQUARES = DATA / "squares"
YOLO = DATA / "yolo-obb"
WRONG = DATA / "wrong-layout"


def squares_image(width: int, height: int, corners: list[tuple[int, int]], side: int = 20) -> np.ndarray:
    """(3, H, W) uint8: dark ground with bright squares of `side` px whose top-left corners are given."""
    img = np.full((3, height, width), 30, np.uint8)
    for x, y in corners:
        img[:, y:y + side, x:x + side] = 250
    return img


def write_squares_tif(path: Path, corners: list[tuple[int, int]], *, width: int = 300, height: int = 200,
                      gsd: float = 1.0, side: int = 20, site: str = "khmeimim", crs: object = None,
                      when: str | None = "2024:12:13 08:30:00") -> tuple[Path, object]:
    """A GeoTIFF centred on a catalog site in its UTM zone; returns (path, transform)."""
    s = builtin_catalog().sites[site]
    if crs is None:
        crs = utm_crs(s.lat, s.lon)
        x, y = to_utm(s.lat, s.lon, crs.to_epsg())
        transform = from_origin(x - width * gsd / 2, y + height * gsd / 2, gsd, gsd)
    else:
        transform = from_origin(0, height * gsd, gsd, gsd)
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=3, dtype="uint8", crs=crs,
                       transform=transform) as ds:
        ds.write(squares_image(width, height, corners, side))
        if when:
            ds.update_tags(TIFFTAG_DATETIME=when)
    return path, transform


def write_png(path: Path, corners: list[tuple[int, int]], width: int = 200, height: int = 160,
              side: int = 20) -> Path:
    from PIL import Image

    Image.fromarray(squares_image(width, height, corners, side).transpose(1, 2, 0)).save(path)
    return path
