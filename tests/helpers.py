"""Real files made here for tests (GeoTIFF, MP4, GeoJSON) and small database probes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from rasterio.transform import from_origin
from shapely.geometry import shape

from basewatch.catalog import builtin_catalog
from basewatch.catalog.geometry import to_utm, utm_crs
from basewatch.imagery.detect import detection_from_corners
from basewatch.imagery.inventory import analyze_evidence
from basewatch.imagery.raster import RasterImage
from basewatch.model import Coverage
from basewatch.store.coverage import coverage_observation
from basewatch.store.observations import detection_observation, write_observations
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


KHMEIMIM = builtin_catalog().sites["khmeimim"]
APRON = shape(next(z for z in KHMEIMIM.zones if z.id == "main-apron").geometry)
GSD = 0.5
FIGHTER_PX = (30, 44)  # 15 m x 22 m at 0.5 m: a Su-34-sized box


def apron_tiff(path: Path, day: str, *, seed: int, rows: tuple[float, float] | None = None) -> Path:
    """A 0.5 m GeoTIFF over the main apron (all of it, or only the north-south slice `rows` of its extent)."""
    crs = utm_crs(KHMEIMIM.lat, KHMEIMIM.lon)
    x0, y1 = to_utm(APRON.bounds[3], APRON.bounds[0], crs.to_epsg())
    x1, y0 = to_utm(APRON.bounds[1], APRON.bounds[2], crs.to_epsg())
    x0, x1, y0, y1 = x0 - 40, x1 + 40, y0 - 40, y1 + 40
    if rows is not None:  # a screenshot-like crop of part of the apron, north to south
        span = y1 - y0
        y1, y0 = y1 - rows[0] * span, y1 - rows[1] * span
    w, h = int((x1 - x0) / GSD), int((y1 - y0) / GSD)
    data = np.random.default_rng(seed).integers(100, 130, (3, h, w), dtype=np.uint8)
    with rasterio.open(path, "w", driver="GTiff", width=w, height=h, count=3, dtype="uint8", crs=crs,
                       transform=Affine(GSD, 0.0, x0, 0.0, -GSD, y1), compress="deflate") as ds:
        ds.write(data)
    return path


def fighter_corners(i: int, img: RasterImage) -> np.ndarray:
    """Pixel corners of the i-th fighter of a column of parked fighters down the apron's middle."""
    cx, cy = img.width / 2, 120 + 80 * i
    w, h = FIGHTER_PX
    return np.array([[cx - w / 2, cy - h / 2], [cx + w / 2, cy - h / 2], [cx + w / 2, cy + h / 2],
                     [cx - w / 2, cy + h / 2]], dtype=float)


def add_apron_image(ws: Workspace, tmp: Path, day: str, n: int, *, seed: int, rows: tuple[float, float] | None = None,
              ) -> str:
    """An image evidence of the main apron with detector-style observations (n fighters, one coverage row),
    analysed into its inventory."""
    path = apron_tiff(tmp / f"{day}-{seed}.tif", day, seed=seed, rows=rows)
    ev = ws.add_evidence(path, site="khmeimim", collected=day).evidence
    with RasterImage(ws.archive.path(ev.sha256)) as img:
        dets = [detection_from_corners(img, "aircraft", 0.9, fighter_corners(i, img)) for i in range(n)]
        foot = img.footprint_lonlat()
    when = ws.evidence(ev.id).collected_at
    method = "detector:test"
    records = [coverage_observation(Coverage(evidence_id=ev.id, site_id="khmeimim", observed_at=when,
                                             footprint=foot, method=method))]
    records += [detection_observation(d, site_id="khmeimim", evidence_id=ev.id, method=method, observed_at=when,
                                      model="test") for d in dets]
    with ws.transaction() as conn:
        write_observations(conn, ev.id, method, records)
    analyze_evidence(ws, ev.id)
    return ev.id
