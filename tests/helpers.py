"""Real files made here for tests (GeoTIFF, MP4, GeoJSON) and small database probes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import rasterio
from rasterio.transform import from_origin

from basewatch.catalog import builtin_catalog
from basewatch.catalog.geometry import to_utm, utm_crs
from basewatch.workspace import Workspace

SHARED = Path(__file__).resolve().parents[1].parent / "shared"



def write_geotiff(path: Path, *, site: str = "khmeimim", size: int = 64, gsd: float = 2.0,
                  when: str | None = "2024:12:13 08:30:00", seed: int = 0) -> Path:
    """A small real GeoTIFF centred on a catalog site, in its UTM zone."""
    s = builtin_catalog().sites[site]
    crs = utm_crs(s.lat, s.lon)
    x, y = to_utm(s.lat, s.lon, crs.to_epsg())
    transform = from_origin(x - size * gsd / 2, y + size * gsd / 2, gsd, gsd)
    data = np.random.default_rng(seed).integers(0, 255, (3, size, size), dtype=np.uint8)
    with rasterio.open(path, "w", driver="GTiff", width=size, height=size, count=3, dtype="uint8", crs=crs,
                       transform=transform) as ds:
        ds.write(data)
        if when:
            ds.update_tags(TIFFTAG_DATETIME=when)
    return path


def write_video(path: Path, seed: int = 0) -> Path:
    from basewatch.synth.drone import pan_video

    img = np.random.default_rng(seed).integers(0, 255, (400, 400, 3), dtype=np.uint8)
    return pan_video(img, path, start_xy=(100, 100), end_xy=(300, 300), window=128, size=96, seconds=3, fps=10,
                     gop=10)


def write_site_geojson(path: Path, site_id: str = "testbase") -> Path:
    aoi = [[[30.0, 50.0], [30.02, 50.0], [30.02, 50.02], [30.0, 50.02], [30.0, 50.0]]]
    apron = [[[30.005, 50.005], [30.01, 50.005], [30.01, 50.01], [30.005, 50.01], [30.005, 50.005]]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": aoi},
         "properties": {"id": site_id, "name": "Test Air Base", "kind": "air_base", "aliases": ["Testovo", "Тестово"]}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": apron},
         "properties": {"zone": "apron", "name": "Apron", "kind": "apron"}},
    ]}), encoding="utf-8")
    return path


def row_counts(ws: Workspace) -> dict[str, int]:
    from sqlalchemy import func, select

    from basewatch.store.schema import evidence, evidence_frames, observations

    with ws.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (evidence, evidence_frames, observations)}


def archive_files(ws: Workspace) -> set[Path]:
    return {p for p in ws.archive.root.rglob("*") if p.is_file()}
