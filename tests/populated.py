"""A small populated workspace for the output tests (web, brief, exports, browser), built here from scratch.

Two dates of real GeoTIFF imagery over Khmeimim (with overviews, like a COG) and one over Tartus; detections
drawn on the images with oriented footprints; per-zone counts; an article with claims whose title and one
quote carry hostile markup; two assessments of Khmeimim in the issue-5 result contract.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from rasterio.transform import from_origin
from sqlalchemy import insert

from basewatch.catalog.geometry import local_rect_geojson, rect_m, to_utm, utm_crs
from basewatch.store.schema import assessments, claims
from basewatch.workspace import Workspace

HOSTILE_TITLE = "<script>alert('title')</script> Russia pulls back from Khmeimim"
HOSTILE_QUOTE = "<img src=x onerror=alert(1)> officials say no final decisions have been made"
ARTICLE = (
    "Satellite images show two An-124 transports with their noses open at Khmeimim on 13 December.\n"
    f"Meanwhile {HOSTILE_QUOTE}, according to the Kremlin.\n"
    "The S-400 radar was seen packed, an analyst said.\n"
)

# (date, [(zone offset m east, north), heading deg, class, type, length, width, states, score])
KHM_OBJECTS = {
    "2024-12-10": [((-470, -500), 0, "aircraft", "il-76", 47, 50, {}, 0.91),
                   ((-480, 150), 0, "aircraft", "su-34", 23, 15, {}, 0.88),
                   ((-480, 210), 0, "aircraft", "su-34", 23, 15, {}, 0.86),
                   ((-480, 270), 0, "aircraft", "su-35", 22, 15, {}, 0.84),
                   ((-780, -250), 90, "helicopter", "ka-52", 16, 14, {}, 0.8)],
    "2024-12-13": [((-470, -500), 0, "aircraft", "an-124", 69, 73, {"nose_open": 0.9}, 0.93),
                   ((-470, -640), 0, "aircraft", "an-124", 69, 73, {"nose_open": 0.85}, 0.92),
                   ((-480, 150), 0, "aircraft", "su-34", 23, 15, {}, 0.87),
                   ((-780, -250), 90, "helicopter", "ka-52", 16, 14, {"rotor_removed": 0.7}, 0.77)],
}
CATEGORY = {"il-76": "aircraft.transport.heavy", "an-124": "aircraft.transport.heavy",
            "su-34": "aircraft.combat.strike",
            "su-35": "aircraft.combat.fighter", "ka-52": "aircraft.helicopter.attack"}


def write_site_image(path: Path, ws: Workspace, site_id: str, when: str, objects: list[Any], *,
                     size: int = 1024, gsd: float = 4.5, seed: int = 0) -> Path:
    """A GeoTIFF over the site: ground texture, the runways, and bright planforms where objects stand."""
    site = ws.catalog.sites[site_id]
    crs = utm_crs(site.lat, site.lon)
    epsg = crs.to_epsg()
    cx, cy = to_utm(site.lat, site.lon, epsg)
    x0, y0 = cx - size * gsd / 2, cy + size * gsd / 2
    transform = from_origin(x0, y0, gsd, gsd)
    rng = np.random.default_rng(seed)
    base = rng.normal(0, 6, (size, size)) + np.array([150, 135, 105])[:, None, None]
    img = np.clip(base, 0, 255)
    rows, cols = np.mgrid[0:size, 0:size]
    xs, ys = x0 + (cols + 0.5) * gsd, y0 - (rows + 0.5) * gsd
    for zone in site.zones:
        if zone.kind in ("runway", "apron", "pier"):
            poly = _utm_poly(zone.geometry, epsg)
            mask = _inside(poly, xs, ys)
            img[:, mask] = np.array((95, 95, 98) if zone.kind == "runway" else (120, 118, 112))[:, None]
    for (dx, dy), heading, _cls, _type, length, width, _states, _score in objects:
        body = rect_m((cx + dx, cy + dy), (width * 0.25, length), heading)
        wings = rect_m((cx + dx, cy + dy + length * 0.05), (width, length * 0.2), heading)
        for poly in (body, wings):
            img[:, _inside(list(poly.exterior.coords), xs, ys)] = 235
    with rasterio.open(path, "w", driver="GTiff", width=size, height=size, count=3, dtype="uint8", crs=crs,
                       transform=transform, tiled=True, blockxsize=256, blockysize=256, compress="deflate") as ds:
        ds.write(img.astype("uint8"))
        ds.update_tags(TIFFTAG_DATETIME=when.replace("-", ":") + " 08:30:00")
    with rasterio.open(path, "r+") as ds:
        ds.build_overviews([2, 4, 8])
    return path


def _utm_poly(geometry: dict[str, Any], epsg: int) -> list[tuple[float, float]]:
    return [to_utm(lat, lon, epsg) for lon, lat in geometry["coordinates"][0]]


def _inside(poly: list[tuple[float, float]], xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Even-odd point-in-polygon over a grid (vectorised ray casting)."""
    inside = np.zeros(xs.shape, dtype=bool)
    n = len(poly)
    for i in range(n):
        (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % n]
        if y1 == y2:
            continue
        crosses = ((y1 > ys) != (y2 > ys)) & (xs < (x2 - x1) * (ys - y1) / (y2 - y1) + x1)
        inside ^= crosses
    return inside


def footprint_lonlat(site_lat: float, site_lon: float, offset: tuple[float, float], length: float, width: float,
                     heading: float) -> dict[str, Any]:
    return local_rect_geojson(site_lat, site_lon, offset, (width, length), heading)


def pixel_polygon(geometry: dict[str, Any], ws: Workspace, site_id: str, size: int = 1024,
                  gsd: float = 4.5) -> list[list[float]]:
    """(column, row) of the first four corners in the image that `write_site_image` makes for the site."""
    site = ws.catalog.sites[site_id]
    epsg = utm_crs(site.lat, site.lon).to_epsg()
    cx, cy = to_utm(site.lat, site.lon, epsg)
    x0, y0 = cx - size * gsd / 2, cy + size * gsd / 2
    out = []
    for lon, lat in geometry["coordinates"][0][:4]:
        x, y = to_utm(lat, lon, epsg)
        out.append([round((x - x0) / gsd, 2), round((y0 - y) / gsd, 2)])
    return out


def build(root: Path) -> Workspace:
    ws = Workspace.init(root / "ws", name="Output tests")
    raw = root / "raw"
    raw.mkdir()
    khm = ws.catalog.sites["khmeimim"]
    image_ids: dict[str, str] = {}
    for i, (when, objects) in enumerate(KHM_OBJECTS.items()):
        tif = write_site_image(raw / f"khmeimim-{when}.tif", ws, "khmeimim", when, objects, seed=i)
        ev = ws.add_evidence(tif, source="maxar", collected=when, site="khmeimim").evidence
        image_ids[when] = ev.id
        # 12-10 in the brief's attribute format; 12-13 as the detector and inventory stages store it
        # (pixel polygon on the detection, type and states in the zone count's `members`).
        counts: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for offset, heading, cls, type_id, length, width, states, score in objects:
            zone = "transport-apron" if CATEGORY[type_id].startswith("aircraft.transport") else (
                "helicopter-apron" if cls == "helicopter" else "main-apron")
            geometry = footprint_lonlat(khm.lat, khm.lon, offset, length, width, heading)
            attrs: dict[str, Any] = {"class": cls, "polygon_px": pixel_polygon(geometry, ws, "khmeimim"),
                                     "length_m": length, "width_m": width, "heading_deg": heading}
            if when == "2024-12-10":
                attrs.update({"type": {"id": type_id, "p": 0.8}, "states": states, "category": CATEGORY[type_id]})
            det = ws.observe(site="khmeimim", kind="detection", method="detector", evidence=ev.id,
                             zone=zone if when == "2024-12-10" else None, confidence=score, geometry=geometry,
                             attributes=attrs)
            counts.setdefault((zone, type_id), []).append(
                {"detection": det.id, "type": type_id, "p": 0.8, "score": score, "states": states,
                 "heading_deg": heading})
        for (zone, type_id), members in counts.items():
            ws.observe(site="khmeimim", kind="count", method="inventory", evidence=ev.id, zone=zone,
                       count=len(members), equipment=type_id, confidence=0.8,
                       attributes={"category": CATEGORY[type_id], "type": type_id, "expected": float(len(members)),
                                   "low": len(members), "high": len(members), "members": members})
    tartus_tif = write_site_image(raw / "tartus-2024-12-10.tif", ws, "tartus", "2024-12-10",
                                  [((-120, 60), 90, "ship", "frigate", 125, 15, {}, 0.9)], size=512, gsd=6.0)
    ws.add_evidence(tartus_tif, source="planet", collected="2024-12-10", site="tartus")

    article = raw / "kremlin-article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    art = ws.add_evidence(article, kind="article", source="reuters", published="2024-12-14", site="khmeimim",
                          url="https://example.org/news?a=1&b=<2>", metadata={"title": HOSTILE_TITLE}).evidence
    now = datetime.now(UTC)

    def claim(quote: str, subject: str, state: str, stance: str, attribution: list[dict[str, str]]) -> dict[str, Any]:
        start = ARTICLE.index(quote)
        return {"evidence_id": art.id, "site_id": "khmeimim", "subject": subject, "state": state, "stance": stance,
                "event_at": datetime(2024, 12, 13, tzinfo=UTC), "event_precision": "day",
                "attribution": attribution, "quote": quote, "span_start": start, "span_end": start + len(quote),
                "method": "test", "attributes": {}, "created_at": now}

    with ws.engine.begin() as conn:
        conn.execute(insert(claims), [
            claim("two An-124 transports with their noses open", "An-124", "LOADING", "asserted",
                  [{"name": "Reuters", "kind": "media"}, {"name": "Maxar", "kind": "satellite provider"}]),
            claim(HOSTILE_QUOTE, "<b>base</b>", "NO_DECISION", "reported",
                  [{"name": "Reuters", "kind": "media"}, {"name": "Kremlin <i>spokesman</i>", "kind": "official"}]),
            claim("The S-400 radar was seen packed", "91N6E", "PACKED", "asserted",
                  [{"name": "analyst", "kind": "analyst"}]),
        ])
        conn.execute(insert(assessments), [
            {"site_id": "khmeimim", "as_of": datetime(2024, 12, 10, tzinfo=UTC), "created_at": now,
             "result": assessment("2024-12-10", "status-quo", "likely", False, image_ids["2024-12-10"])},
            {"site_id": "khmeimim", "as_of": datetime(2024, 12, 13, tzinfo=UTC), "created_at": now,
             "result": assessment("2024-12-13", "withdrawal", "likely", True, image_ids["2024-12-13"])},
        ])
    ws.sample_ids = {"images": image_ids, "article": art.id}  # type: ignore[attr-defined]
    return ws


def assessment(as_of: str, leading: str, likelihood: str, firing: bool, image: str) -> dict[str, Any]:
    scores = {"withdrawal": 0.62 if firing else 0.1, "drawdown": 0.25, "status-quo": 0.1 if firing else 0.7,
              "reinforcement": 0.03}
    return {
        "site": "khmeimim", "as_of": as_of, "leading": {"id": leading, "likelihood": likelihood},
        "hypotheses": [{"id": h, "score": s, "likelihood": "likely" if h == leading else "unlikely"}
                       for h, s in scores.items()],
        "confidence": "moderate",
        "matrix": [{"indicator": "heavy-airlift-above-baseline", "value": firing,
                    "ratings": {"withdrawal": "C", "drawdown": "C", "status-quo": "I", "reinforcement": "C"}}],
        "indicators": [
            {"id": "heavy-airlift-above-baseline", "value": firing, "evidence": [image]},
            {"id": "air-defence-packed", "value": firing, "evidence": [image]},
            {"id": "southern-apron", "value": "unknown", "evidence": []},
        ],
        "contradictions": [{"claim": 2, "against": f"observation on {image}",
                            "explanation": "<script>alert('x')</script> officials deny a decision while the "
                                           "imagery shows loading"}] if firing else [],
        "gaps": ["southern apron not covered since 2024-12-10"],
        "judgements": [f"As of {as_of}, {leading} is {likelihood}.", "Analytic confidence is moderate."],
    }
