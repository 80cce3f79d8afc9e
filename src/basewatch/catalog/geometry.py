"""Site-local metric frames: UTM zone of a point and rectangles given in metres around a centre."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import Polygon, mapping


def utm_crs(lat: float, lon: float) -> CRS:
    """The WGS84 UTM zone CRS that contains (lat, lon)."""
    zone = int((lon + 180) // 6) + 1
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


@lru_cache(maxsize=64)
def _transformers(epsg: int) -> tuple[Transformer, Transformer]:
    crs = CRS.from_epsg(epsg)
    return (Transformer.from_crs(4326, crs, always_xy=True), Transformer.from_crs(crs, 4326, always_xy=True))


def to_utm(lat: float, lon: float, epsg: int) -> tuple[float, float]:
    """(lat, lon) -> (easting, northing) in the given UTM CRS."""
    return _transformers(epsg)[0].transform(lon, lat)


def to_wgs84(x: float, y: float, epsg: int) -> tuple[float, float]:
    """(easting, northing) -> (lon, lat)."""
    return _transformers(epsg)[1].transform(x, y)


def rect_m(centre_xy: tuple[float, float], size: tuple[float, float], rotation_deg: float = 0.0) -> Polygon:
    """A rectangle in a metric CRS: centre, (width east-west, height north-south), clockwise rotation."""
    cx, cy = centre_xy
    w, h = size
    a = math.radians(rotation_deg)
    ca, sa = math.cos(a), math.sin(a)
    pts = []
    for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        # clockwise (compass) rotation: x' = x cos + y sin, y' = -x sin + y cos
        pts.append((cx + dx * ca + dy * sa, cy - dx * sa + dy * ca))
    return Polygon(pts)


def local_rect_geojson(lat: float, lon: float, offset_m: tuple[float, float], size_m: tuple[float, float],
                       rotation_deg: float = 0.0) -> dict[str, Any]:
    """A rectangle given in metres relative to (lat, lon), as a WGS84 GeoJSON polygon."""
    epsg = utm_crs(lat, lon).to_epsg()
    x0, y0 = to_utm(lat, lon, epsg)
    poly = rect_m((x0 + offset_m[0], y0 + offset_m[1]), size_m, rotation_deg)
    inverse = _transformers(epsg)[1]
    wgs = shapely.transform(poly, lambda xy: np.column_stack(inverse.transform(xy[:, 0], xy[:, 1])))
    geo = mapping(wgs)
    return {"type": geo["type"], "coordinates": [[[round(c[0], 7), round(c[1], 7)] for c in ring]
                                                  for ring in geo["coordinates"]]}
