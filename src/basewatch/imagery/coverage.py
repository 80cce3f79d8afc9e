"""What an image actually saw: its footprint, the share of no-data, and a cloud/haze mask.

Why: "not observed" is never "absent". A later stage that finds no aircraft on an apron must know whether
the apron was under cloud or outside the image. The cloud test is a deliberately simple heuristic on a
decimated overview (bright, grey and smooth blocks of about 64 x 64 source pixels); it flags thick cloud
and fog, and may also flag large white roofs or snow, so its output is recorded as a mask, not a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import box, mapping

from basewatch.imagery.raster import RasterImage

CLOUD_METHOD = "bright-grey-smooth blocks (heuristic)"


@dataclass
class CoverageMeasure:
    """What `measure_coverage` found in one image; the detector stores it as a `model.Coverage` record."""

    footprint_lonlat: dict[str, Any] | None
    nodata_fraction: float
    cloud_fraction: float
    cloud_px: list[list[list[float]]] = field(default_factory=list)    # polygons, (col, row) rings
    cloud_lonlat: dict[str, Any] | None = None                          # GeoJSON MultiPolygon or None

    def to_dict(self) -> dict[str, Any]:
        return {"footprint_lonlat": self.footprint_lonlat, "nodata_fraction": round(self.nodata_fraction, 4),
                "cloud_fraction": round(self.cloud_fraction, 4), "cloud_polygons_px": self.cloud_px,
                "cloud_polygons_lonlat": self.cloud_lonlat, "cloud_method": CLOUD_METHOD}


def cloud_blocks(rgb: np.ndarray, valid: np.ndarray, block: int = 8) -> np.ndarray:
    """Boolean (rows/block, cols/block) grid of blocks that look like cloud or thick haze."""
    f = rgb.astype(np.float32)
    v = f.mean(axis=2)
    sat = (f.max(axis=2) - f.min(axis=2)) / np.maximum(f.max(axis=2), 1.0)
    h, w = v.shape
    bh, bw = max(1, h // block), max(1, w // block)
    v, sat, ok = v[: bh * block, : bw * block], sat[: bh * block, : bw * block], valid[: bh * block, : bw * block]

    def blocks(a: np.ndarray) -> np.ndarray:
        return a.reshape(bh, min(block, h), bw, min(block, w)).transpose(0, 2, 1, 3).reshape(bh, bw, -1)

    vb, sb, ob = blocks(v), blocks(sat), blocks(ok)
    bright = (vb > 185).mean(axis=2)
    grey = (sb < 0.12).mean(axis=2)
    smooth = vb.std(axis=2) < 14
    return (bright > 0.8) & (grey > 0.8) & smooth & (ob.mean(axis=2) > 0.5)


def measure_coverage(img: RasterImage) -> CoverageMeasure:
    """Footprint, no-data fraction and cloud mask of an image, from one decimated read."""
    # at least 8 source pixels per overview pixel, so a cloud block is >= 64 x 64 source pixels
    rgb, valid, scale = img.overview(max(8, min(512, -(-max(img.width, img.height) // 8))))
    nodata = 1.0 - float(valid.mean()) if valid.size else 0.0
    block = 8
    cloud = cloud_blocks(rgb, valid, block)
    frac = float(cloud.sum()) * block * block / max(1, int(valid.sum())) if valid.any() else 0.0
    polys_px: list[list[list[float]]] = []
    cloud_ll = None
    if cloud.any():
        rows, cols = np.nonzero(cloud)
        s = block * scale
        merged = shapely.union_all([box(c * s, r * s, min((c + 1) * s, img.width), min((r + 1) * s, img.height))
                                    for r, c in zip(rows, cols, strict=True)])
        geoms = list(getattr(merged, "geoms", [merged]))
        polys_px = [[[round(x, 1), round(y, 1)] for x, y in g.exterior.coords] for g in geoms]
        if img.georef is not None:
            ll = []
            for ring in polys_px:
                arr = np.asarray(ring)
                lon, lat = img.georef.to_lonlat(arr[:, 0], arr[:, 1])
                ll.append([[[round(float(a), 7), round(float(b), 7)] for a, b in zip(lon, lat, strict=True)]])
            cloud_ll = mapping(shapely.geometry.MultiPolygon([shapely.geometry.Polygon(p[0]) for p in ll]))
            cloud_ll = {"type": "MultiPolygon", "coordinates": [[list(map(list, r)) for r in p]
                                                               for p in cloud_ll["coordinates"]]}
    return CoverageMeasure(img.footprint_lonlat(), nodata, min(1.0, frac), polys_px, cloud_ll)
