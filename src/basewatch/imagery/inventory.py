"""Inventory: an image's detections become typed, stateful per-zone counts with uncertainty, stored as observations.

For one image evidence, `analyze_evidence` reads the detector's observations (kind "detection"), identifies each
object (size rule + chip cues), scores its states, places it in a site zone, and writes one observation of kind
"count", method "inventory" per (zone, type): `count` is the number of objects whose best type it is, and the
attributes carry the expected count (sum over the zone's detections of score x type probability), a 90 %
interval (Poisson-binomial quantiles of those same probabilities), the states seen, how much of the zone the
image actually covered, and one `members` entry per detection (its observation id, type with probability and
state scores). Zones the image covered without any object get a row with count 0: "seen empty", which is not the
same as a zone the image did not cover (no row).

Re-running replaces the evidence's previous inventory rows in one transaction: no duplicates, nothing
half-written. The detector's own rows are never edited; the identification of each detection lives in the
`members` attribute of the inventory rows (`detection_annotations` reads it back).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.ops import unary_union
from sqlalchemy import select

from basewatch import errors
from basewatch.catalog import Catalog
from basewatch.imagery.chips import ImageReader
from basewatch.imagery.identify import Identification, ReferenceType, identify
from basewatch.imagery.states import dominant_state, object_states, zone_of
from basewatch.model import Detection, Evidence, Instant, Observation, Site
from basewatch.model.time import Precision
from basewatch.store.observations import (
    detection_from_row,
    observation_from_row,
    read_observations,
    write_observations,
)
from basewatch.store.schema import evidence, observations
from basewatch.workspace import Workspace

METHOD = "inventory"
INTERVAL = (0.05, 0.95)


@dataclass(frozen=True)
class AnalyzedObject:
    """One detection after identification: its observation id, the filled-in Detection and its zone."""

    observation_id: int | None
    detection: Detection
    identification: Identification
    zone: str | None

    def to_dict(self) -> dict[str, Any]:
        d = self.detection.to_dict()
        d["observation_id"] = self.observation_id
        d["zone"] = self.zone
        return d


@dataclass(frozen=True)
class AnalysisResult:
    """What `analyze_evidence` found and stored for one image."""

    evidence_id: str
    site_id: str | None
    observed_at: Instant | None
    objects: list[AnalyzedObject]
    inventory: list[Observation]
    coverage: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"evidence_id": self.evidence_id, "site": self.site_id,
                "date": self.observed_at.isoformat() if self.observed_at else None,
                "objects": [o.to_dict() for o in self.objects],
                "inventory": [inventory_row_dict(o) for o in self.inventory],
                "zone_coverage": self.coverage}


def inventory_row_dict(o: Observation) -> dict[str, Any]:
    a = o.attributes
    return {"zone": o.zone_id, "category": a.get("category"), "type": a.get("type"), "count": o.count,
            "expected": a.get("expected"), "low": a.get("low"), "high": a.get("high"), "states": a.get("states", {}),
            "zone_coverage": a.get("zone_coverage")}


# ------------------------------------------------------------------------------------------------ statistics


def poisson_binomial(ps: list[float]) -> list[float]:
    """P(K = k) for the number of successes among independent Bernoulli(p_i)."""
    dist = [1.0]
    for p in ps:
        p = min(max(p, 0.0), 1.0)
        nxt = [0.0] * (len(dist) + 1)
        for k, v in enumerate(dist):
            nxt[k] += v * (1 - p)
            nxt[k + 1] += v * p
        dist = nxt
    return dist


def count_interval(ps: list[float], lo_q: float = INTERVAL[0], hi_q: float = INTERVAL[1]) -> tuple[int, int]:
    """Quantiles of the Poisson-binomial count: a 90 % interval by default."""
    dist = poisson_binomial(ps)
    cum, low, high = 0.0, None, len(dist) - 1
    for k, v in enumerate(dist):
        cum += v
        if low is None and cum >= lo_q - 1e-12:
            low = k
        if cum >= hi_q - 1e-12:
            high = k
            break
    return int(low or 0), int(high)


# ------------------------------------------------------------------------------------------------ reading


def detection_rows(ws: Workspace, evidence_id: str) -> list[Any]:
    with ws.engine.connect() as conn:
        return list(conn.execute(select(observations).where(
            (observations.c.evidence_id == evidence_id) & (observations.c.kind == "detection"))
            .order_by(observations.c.id)))


def coverage_rows(ws: Workspace, evidence_id: str) -> list[Any]:
    with ws.engine.connect() as conn:
        return list(conn.execute(select(observations).where(
            (observations.c.evidence_id == evidence_id) & (observations.c.kind == "coverage"))))


def _geoms(value: Any) -> list[Any]:
    """Shapely geometries from a GeoJSON geometry, Feature, FeatureCollection, or a list of them."""
    if not value:
        return []
    if isinstance(value, list):
        out = []
        for v in value:
            if isinstance(v, dict):
                out += _geoms(v)
            elif isinstance(v, list):  # a bare ring or polygon coordinates
                try:
                    coords = v if isinstance(v[0][0], list | tuple) else [v]
                    out.append(shape({"type": "Polygon", "coordinates": coords}))
                except (IndexError, TypeError, ValueError):
                    continue
        return out
    if isinstance(value, dict):
        if value.get("type") == "FeatureCollection":
            return [g for f in value.get("features", []) for g in _geoms(f)]
        if value.get("type") == "Feature":
            return _geoms(value.get("geometry"))
        if "coordinates" in value or value.get("type") == "GeometryCollection":
            try:
                g = shape(value)
                return [] if g.is_empty else [g.buffer(0) if not g.is_valid else g]
            except (ValueError, TypeError, AttributeError):
                return []
    return []


# attribute keys of coverage rows that hold what the image could not see (the detector stage writes
# `cloud_polygons_lonlat`; the others are accepted from other producers)
OBSCURED_KEYS = ("cloud_polygons_lonlat", "clouds", "cloud", "cloud_polygons", "cloud_geometry", "cloud_mask",
                 "nodata", "no_data", "nodata_polygons", "nodata_polygons_lonlat", "nodata_geometry", "obscured")


def seen_area(cov_rows: list[Any], *, obscured: bool = True) -> Any:
    """What the image actually saw (WGS84): footprints minus clouds and no-data; None without coverage rows.

    `obscured=False` gives the bare footprints.
    """
    seen, hidden = [], []
    for r in cov_rows:
        seen += _geoms(r.geometry)
        a = r.attributes or {}
        for key in OBSCURED_KEYS if obscured else ():
            hidden += _geoms(a.get(key))
    if not seen:
        return None
    area = unary_union(seen)
    if hidden:
        area = area.difference(unary_union(hidden))
    return area


def zone_coverage(site: Site | None, seen: Any) -> dict[str, float]:
    if site is None or seen is None:
        return {}
    out = {}
    for z in site.zones:
        g = shape(z.geometry)
        if g.area > 0:
            out[z.id] = round(float(g.intersection(seen).area / g.area), 3)
    return out


# ------------------------------------------------------------------------------------------------ analysis


def _image_path(ws: Workspace, ev: Evidence) -> Path | None:
    path = ws.archive.path(ev.sha256)
    return path if path.is_file() else None


def annotate(detections: list[Detection], image: Path | str | None = None, *, site: Site | None = None,
             catalog: Catalog | None = None, reference: list[ReferenceType] | None = None,
             gsd: float | None = None) -> list[tuple[Detection, Identification, str | None]]:
    """Identify and score states for detections of one image; returns (filled Detection, identification, zone)."""
    out = []
    reader = ImageReader(image) if image is not None else None
    try:
        for det in detections:
            chip = None
            if reader is not None:
                try:
                    chip = reader.chip(det, gsd=gsd)
                except (ValueError, IndexError):
                    chip = None
            ident = identify(det, catalog=catalog, chip=chip, reference=reference, gsd=gsd)
            zone = zone_of(det, site)
            zone_kind = next((z.kind for z in site.zones if z.id == zone), None) if site and zone else None
            states = object_states(det, ident, chip, site=site, zone_kind=zone_kind, catalog=catalog)
            filled = replace(det, type={"id": ident.type_id, "p": round(ident.p, 4), "name": ident.label,
                                        "category": ident.category,
                                        "candidates": [{"id": c.id, "p": round(c.p, 4)}
                                                       for c in ident.candidates[:3]]},
                             states=states)
            out.append((filled, ident, zone))
    finally:
        if reader is not None:
            reader.close()
    return out


def annotate_detections(detections: list[Detection], image: Path | str | None = None, *,
                        gsd: float | None = None, site: Site | None = None) -> list[Detection]:
    """Detections with `type` and `states` filled in (for `basewatch detect --json`)."""
    return [d for d, _, _ in annotate(detections, image, site=site, gsd=gsd)]


def _type_probability(ident: Identification, type_key: str) -> float:
    if type_key == "unknown":
        return max(0.0, 1.0 - sum(c.p for c in ident.candidates))
    return next((c.p for c in ident.candidates if c.id == type_key), 0.0)


def build_inventory(objects: list[AnalyzedObject], catalog: Catalog,
                    coverage: dict[str, float]) -> list[dict[str, Any]]:
    """Rows (as dicts) of the per-zone inventory; see the module docstring for their meaning."""
    by_zone: dict[str | None, list[AnalyzedObject]] = defaultdict(list)
    for o in objects:
        by_zone[o.zone].append(o)
    rows: list[dict[str, Any]] = []
    for zone, objs in sorted(by_zone.items(), key=lambda kv: (kv[0] is None, kv[0] or "")):
        types = sorted({o.identification.type_id for o in objs if o.detection.score >= 0.0})
        for t in types:
            members = [o for o in objs if o.identification.type_id == t]
            cls = members[0].detection.cls
            same_cls = [o for o in objs if o.detection.cls == cls]
            qs = [o.detection.score * _type_probability(o.identification, t) for o in same_cls]
            qs = [q for q in qs if q > 1e-3]
            low, high = count_interval(qs)
            expected = sum(qs)
            states: dict[str, int] = defaultdict(int)
            for o in members:
                s = dominant_state(o.detection.states)
                if s:
                    states[s] += 1
            eq = catalog.equipment.get(t)
            rows.append({
                "zone": zone, "equipment": eq.id if eq else None,
                "count": sum(1 for o in members if o.detection.score >= 0.5),
                "confidence": round(min(1.0, sum(o.detection.score * o.identification.p for o in members)
                                        / len(members)), 4),
                "attributes": {
                    "category": eq.category if eq else cls, "type": t,
                    "name": members[0].identification.label if eq else f"unknown {cls}",
                    "expected": round(expected, 3), "low": low, "high": max(high, low),
                    "states": dict(states), "zone_coverage": coverage.get(zone) if zone else None,
                    "members": [{"detection": o.observation_id, "type": o.identification.type_id,
                                 "p": round(o.identification.p, 4), "score": round(o.detection.score, 4),
                                 "states": o.detection.states,
                                 "heading_deg": o.detection.heading_deg,
                                 "candidates": [{"id": c.id, "p": round(c.p, 4)}
                                                for c in o.identification.candidates[:3]]}
                                for o in members],
                },
            })
    for zone_id, frac in sorted(coverage.items()):
        if zone_id not in by_zone and frac >= 0.5:
            rows.append({"zone": zone_id, "equipment": None, "count": 0, "confidence": None,
                         "attributes": {"category": None, "type": None, "name": "nothing detected", "expected": 0.0,
                                        "low": 0, "high": 0, "states": {}, "zone_coverage": frac, "members": []}})
    return rows


def analyze_evidence(ws: Workspace, evidence_id: str, *, store: bool = True,
                     reference: list[ReferenceType] | None = None) -> AnalysisResult:
    """Identify, score states and count one image's detections per zone; store the inventory (idempotently)."""
    ev = ws.evidence(evidence_id)
    rows = detection_rows(ws, ev.id)
    cov = coverage_rows(ws, ev.id)
    site_id = rows[0].site_id if rows else (cov[0].site_id if cov else ev.site_id)
    if site_id is None:
        raise errors.InvalidValueError(f"evidence {ev.id} has no site and no detections; run 'basewatch detect' "
                                       "on it first or give it a site with --site")
    cat: Catalog = ws.catalog
    site = cat.sites.get(site_id)
    if rows:
        when = Instant(rows[0].observed_at, Precision(rows[0].observed_precision))
    elif cov:
        when = Instant(cov[0].observed_at, Precision(cov[0].observed_precision))
    else:
        when = ev.collected_at
    dets = [(r.id, d) for r in rows if (d := detection_from_row(r)) is not None]
    image = _image_path(ws, ev)
    annotated = annotate([d for _, d in dets], image, site=site, catalog=cat, reference=reference)
    objects = [AnalyzedObject(observation_id=oid, detection=d, identification=ident, zone=zone)
               for (oid, _), (d, ident, zone) in zip(dets, annotated, strict=True)]
    coverage = zone_coverage(site, seen_area(cov))
    inv_rows = build_inventory(objects, cat, coverage)
    stored: list[Observation] = []
    if store and (rows or cov):
        if when is None:
            raise errors.InvalidValueError(f"evidence {ev.id} has no collection time; add it with "
                                           "'basewatch evidence add --collected' before analysing")
        stored = _replace_inventory(ws, ev.id, site_id, when, inv_rows)
    else:
        stored = [_unstored(ev.id, site_id, when, r) for r in inv_rows]
    return AnalysisResult(evidence_id=ev.id, site_id=site_id, observed_at=when, objects=objects,
                          inventory=stored, coverage=coverage)


def _unstored(evidence_id: str, site_id: str, when: Instant | None, r: dict[str, Any]) -> Observation:
    return Observation(id=0, site_id=site_id, kind="count", method=METHOD,
                       observed_at=when or Instant(datetime.now(UTC)), equipment_type_id=r["equipment"],
                       zone_id=r["zone"], count=r["count"], confidence=r["confidence"], evidence_id=evidence_id,
                       attributes=r["attributes"])


def _replace_inventory(ws: Workspace, evidence_id: str, site_id: str, when: Instant,
                       inv_rows: list[dict[str, Any]]) -> list[Observation]:
    """Delete the evidence's previous inventory and insert the new one, in one transaction."""
    site = ws.catalog.sites[site_id]
    zone_ids = {z.id for z in site.zones}
    for r in inv_rows:  # check every reference before writing anything
        if r["zone"] is not None and r["zone"] not in zone_ids:
            raise errors.UnknownZoneError(r["zone"], f"Zones of {site_id}: {', '.join(sorted(zone_ids))}.")
        if r["equipment"] is not None and r["equipment"] not in ws.catalog.equipment:
            raise errors.UnknownEquipmentError(r["equipment"])
    rows = [{"site_id": site_id, "zone_id": r["zone"], "kind": "count", "equipment_type_id": r["equipment"],
             "state": None, "count": r["count"], "confidence": r["confidence"], "observed_at": when.at,
             "observed_precision": when.precision.value, "geometry": None,
             "note": f"{r['attributes']['name']}: {r['count']} (expected {r['attributes']['expected']}, "
                     f"90% {r['attributes']['low']}-{r['attributes']['high']})",
             "attributes": r["attributes"]} for r in inv_rows]
    with ws.transaction() as conn:
        write_observations(conn, evidence_id, METHOD, rows, kinds=("count",))
        got = read_observations(conn, evidence_id, method=METHOD, kinds=("count",))
    return [observation_from_row(r) for r in got]


def inventory_for_evidence(ws: Workspace, evidence_id: str) -> list[Observation]:
    """Analyse one image and return its stored per-zone inventory rows (kind "count", method "inventory")."""
    return analyze_evidence(ws, evidence_id).inventory


def stored_inventory(ws: Workspace, evidence_id: str) -> list[Observation]:
    """The inventory rows already stored for an evidence (empty when it was never analysed)."""
    with ws.engine.connect() as conn:
        return [observation_from_row(r) for r in read_observations(conn, evidence_id, method=METHOD,
                                                                    kinds=("count",))]


def detection_annotations(ws: Workspace, evidence_id: str) -> dict[int, dict[str, Any]]:
    """Type and states of each detection observation of an evidence, from its stored inventory."""
    out: dict[int, dict[str, Any]] = {}
    for o in stored_inventory(ws, evidence_id):
        for m in o.attributes.get("members", []):
            if m.get("detection") is not None:
                out[int(m["detection"])] = {**m, "zone": o.zone_id}
    return out


def image_evidence_with_detections(ws: Workspace, site: str | None = None) -> list[str]:
    """Evidence ids that have detector or coverage observations (optionally of one site), oldest first."""
    q = select(observations.c.evidence_id, observations.c.observed_at).where(
        observations.c.kind.in_(("detection", "coverage"))
        & observations.c.evidence_id.in_(select(evidence.c.id).where(evidence.c.kind == "image")))
    if site:
        q = q.where(observations.c.site_id == ws.site(site).id)
    with ws.engine.connect() as conn:
        got = conn.execute(q.order_by(observations.c.observed_at)).all()
    seen: dict[str, None] = {}
    for ev_id, _ in got:
        seen.setdefault(ev_id, None)
    return list(seen)


def analyze_site(ws: Workspace, site: str) -> list[AnalysisResult]:
    """Analyse every image of a site that has detections or coverage."""
    return [analyze_evidence(ws, e) for e in image_evidence_with_detections(ws, site)]


def category_totals(rows: list[Observation]) -> dict[tuple[str | None, str], dict[str, float]]:
    """(zone, category) -> count and expected, summed over the type rows of an inventory."""
    out: dict[tuple[str | None, str], dict[str, float]] = defaultdict(lambda: {"count": 0, "expected": 0.0})
    for o in rows:
        cat = o.attributes.get("category")
        if cat is None:
            continue
        out[(o.zone_id, cat)]["count"] += o.count
        out[(o.zone_id, cat)]["expected"] += float(o.attributes.get("expected") or 0.0)
    return dict(out)


__all__ = ["AnalysisResult", "AnalyzedObject", "analyze_evidence", "analyze_site", "annotate",
           "annotate_detections", "build_inventory", "category_totals", "count_interval", "detection_annotations",
           "image_evidence_with_detections", "inventory_for_evidence", "poisson_binomial",
           "seen_area", "stored_inventory", "zone_coverage"]

