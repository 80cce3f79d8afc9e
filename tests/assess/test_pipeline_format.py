"""The assessment reads observations in the shapes the imagery and tracks stages write them: detections without
zone or type (only a footprint and a class), per-zone inventories with fractional expected counts and state
counts, "nothing detected" rows, coverage with cloud as a GeoJSON MultiPolygon, and track events."""

from __future__ import annotations

from datetime import UTC, datetime

from shapely.geometry import mapping, shape
from sqlalchemy import insert

from basewatch.assess import assess_site
from basewatch.store.schema import observations


def _rows(ws, rows):
    now = datetime.now(UTC)
    with ws.engine.begin() as conn:
        conn.execute(insert(observations), [{"note": "", "count": 1, "confidence": None, "zone_id": None,
                                             "equipment_type_id": None, "state": None, "geometry": None,
                                             "observed_precision": "second", "created_at": now, **r} for r in rows])


def _image(ws, builder, day, inventory, *, cloud_zone=None):
    site = ws.catalog.sites["khmeimim"]
    ev = builder.evidence("maxar", collected=day, site="khmeimim")
    at = datetime.fromisoformat(day).replace(tzinfo=UTC)
    base = {"site_id": "khmeimim", "observed_at": at, "evidence_id": ev}
    cloud = None
    if cloud_zone:
        g = shape(site.zone(cloud_zone).geometry).buffer(0.0005)
        cloud = {"type": "MultiPolygon", "coordinates": [mapping(g)["coordinates"]]}
    rows = [{**base, "kind": "coverage", "method": "detector:test", "geometry": site.aoi,
             "attributes": {"nodata_fraction": 0.0, "cloud_fraction": 0.1 if cloud else 0.0,
                            "cloud_polygons_px": [], "cloud_polygons_lonlat": cloud}}]
    for zone, types in inventory.items():
        zg = shape(site.zone(zone).geometry).centroid
        if not types:
            rows.append({**base, "kind": "count", "method": "inventory", "zone_id": zone, "count": 0,
                         "attributes": {"category": None, "type": None, "name": "nothing detected",
                                        "expected": 0.0, "low": 0, "high": 0, "states": {}}})
        for type_id, (n, states) in types.items():
            eq = ws.catalog.equipment[type_id]
            cls = "helicopter" if eq.category.startswith("aircraft.helicopter") else \
                "aircraft" if eq.category.startswith("aircraft") else "vehicle"
            for _ in range(n):  # the detector's rows: footprint and class only
                rows.append({**base, "kind": "detection", "method": "detector:test", "confidence": 0.8,
                             "geometry": mapping(zg.buffer(0.00005)), "attributes": {"class": cls}})
            rows.append({**base, "kind": "count", "method": "inventory", "zone_id": zone,
                         "equipment_type_id": type_id, "count": n, "confidence": 0.7,
                         "attributes": {"category": eq.category, "type": type_id, "expected": n - 0.3,
                                        "low": n - 1, "high": n, "states": states}})
    _rows(ws, rows)
    return ev


BASE = {"main-apron": {"su-34": (6, {}), "su-24": (4, {}), "su-35": (4, {})},
        "transport-apron": {"il-76": (1, {})}, "helicopter-apron": {"ka-52": (3, {})},
        "ad-north": {"91n6e": (1, {"deployed": 1}), "s-400-tel": (4, {"deployed": 4})},
        "staging-area": {}}


def test_inventory_states_and_detector_rows(ws, builder):
    for day in ("2024-12-01", "2024-12-05", "2024-12-09"):
        _image(ws, builder, day, BASE)
    late = {"main-apron": {"su-34": (3, {}), "su-24": (2, {})},
            "transport-apron": {"an-124": (2, {"nose_open": 2}), "il-76": (1, {})},
            "helicopter-apron": {"ka-52": (2, {"rotor_removed": 1})},
            "ad-north": {"91n6e": (1, {"packed": 1}), "s-400-tel": (1, {"deployed": 1})},
            "staging-area": {}}
    ev = _image(ws, builder, "2024-12-14", late)
    _rows(ws, [{"site_id": "khmeimim", "kind": "track_event", "method": "tracks:opensky",
                "observed_at": datetime(2024, 12, 13, tzinfo=UTC), "observed_precision": "day", "count": 6,
                "confidence": 0.9, "attributes": {"event": "airlift_surge", "count": 6, "baseline_per_day": 0.5,
                                                  "baseline_days": 7, "category": "aircraft.transport.heavy"}}])
    a = assess_site(ws, "khmeimim", "2024-12-15")
    for iid in ("transports-loading", "helicopters-dismantled", "air-defence-packed", "combat-aircraft-below-baseline",
                "air-defence-leaving-positions", "airlift-surge"):
        assert a.indicator(iid).value is True, (iid, a.indicator(iid).detail)
        assert a.indicator(iid).evidence
    assert ev in a.indicator("transports-loading").evidence
    assert "2 seen" in a.indicator("transports-loading").detail
    assert a.indicator("vehicles-massing").value is False  # an empty zone, seen: zero, not unknown
    assert a.leading.id in ("withdrawal", "drawdown")


def test_cloud_multipolygon_hides_the_apron(ws, builder):
    for day in ("2024-12-01", "2024-12-05", "2024-12-09"):
        _image(ws, builder, day, BASE)
    cloudy = dict(BASE)
    cloudy["main-apron"] = {}  # nothing detected under the cloud
    _image(ws, builder, "2024-12-14", cloudy, cloud_zone="main-apron")
    a = assess_site(ws, "khmeimim", "2024-12-15")
    assert a.indicator("combat-aircraft-below-baseline").value == "unknown"
    assert any(g["kind"] == "cloud" and g["subject"] == "main-apron" for g in a.gaps)
    assert a.leading.id not in ("withdrawal", "drawdown")
