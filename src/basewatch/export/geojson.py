"""Sites, zones and detections as one RFC 7946 FeatureCollection (WGS84 lon/lat, exterior rings counter-clockwise).

No `crs` member (RFC 7946 section 4); coordinates are rounded to 7 decimals (about 1 cm).
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from basewatch.export import records
from basewatch.workspace import Workspace


def rfc7946_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON geometry with right-hand-rule rings and rounded coordinates."""
    geom = shape(geometry)
    if geom.geom_type == "Polygon":
        geom = orient(geom, 1.0)
    elif geom.geom_type == "MultiPolygon":
        from shapely.geometry import MultiPolygon

        geom = MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    return _round(mapping(geom))


def _round(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _round(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        if obj and all(isinstance(v, (int, float)) for v in obj):
            return [round(float(v), 7) for v in obj]
        return [_round(v) for v in obj]
    return obj


def geojson_collection(ws: Workspace, *, site: str | None = None) -> dict[str, Any]:
    """Sites (AOI), their zones and every detection with a footprint, with type and score."""
    site_ids = [ws.site(site).id] if site else list(ws.catalog.sites)
    features: list[dict[str, Any]] = []
    for sid in site_ids:
        s = ws.catalog.sites[sid]
        features.append({"type": "Feature", "id": f"site/{s.id}", "geometry": rfc7946_geometry(s.aoi),
                         "properties": {"feature_type": "site", "site": s.id, "name": s.name, "kind": s.kind,
                                        "operator": s.operator, "country": s.country}})
        for z in s.zones:
            features.append({"type": "Feature", "id": f"zone/{s.id}/{z.id}",
                             "geometry": rfc7946_geometry(z.geometry),
                             "properties": {"feature_type": "zone", "site": s.id, "zone": z.id, "name": z.name,
                                            "kind": z.kind}})
        for o in records.observation_records(ws, site=sid, kind="detection"):
            if not o["geometry"]:
                continue
            t = o["type"] or {}
            features.append({"type": "Feature", "id": f"detection/{o['id']}",
                             "geometry": rfc7946_geometry(o["geometry"]),
                             "properties": {"feature_type": "detection", "site": sid, "zone": o["zone_id"],
                                            "class": o["class"], "category": o["category"],
                                            "type": t.get("id") or o["equipment_type_id"], "type_p": t.get("p"),
                                            "score": o["confidence"], "states": o["states"], "state": o["state"],
                                            "observed": o["observed_at"], "evidence": o["evidence_id"],
                                            "method": o["method"]}})
    return {"type": "FeatureCollection", "features": features}
