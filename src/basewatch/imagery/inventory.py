"""Inventory: an image's detections become typed, stateful per-zone counts with uncertainty, stored as observations.

For one image evidence, `analyze_evidence` reads the detector's observations (kind "detection"), identifies each
object (size rule + chip cues), scores its states, places it in a site zone, and writes one observation of kind
"count", method "inventory" per (zone, type): `count` is the number of objects whose best type it is, and the
attributes carry the expected count (sum over the zone's detections of score x type probability), a 90 %
interval (Poisson-binomial quantiles of those same probabilities), the states seen, how much of the zone the
image actually covered, and one `members` entry per detection (its observation id, type with probability and
state scores). Zones the image covered without any object get a row with count 0: "seen empty", which is not the
same as a zone the image did not cover (no row). A zone seen only in part (a screenshot of a third of an apron)
still gets its rows, with `zone_coverage` saying how much was seen: the count of that part, which the indicators
read as a lower bound on the zone's.

Re-running replaces the evidence's previous inventory rows in one transaction: no duplicates, nothing
half-written. The detector's own rows are never edited; each detection's `Identification` record is kept with
its zone count (`store/inventory.py` maps both; `Workspace.identifications` reads them back).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.ops import unary_union

from basewatch import errors
from basewatch.catalog import Catalog
from basewatch.imagery.chips import ImageReader
from basewatch.imagery.identify import Identification, ReferenceType, analyst_identification, identify
from basewatch.imagery.review import hand_counts, reviewed_detections, reviews
from basewatch.imagery.states import dominant_state, object_states, zone_of
from basewatch.model import Coverage, Detection, Evidence, Instant, Review, Site, ZoneCount
from basewatch.model import Identification as IdentificationRecord
from basewatch.store.inventory import METHOD, zone_count_observation, zone_count_of
from basewatch.store.observations import write_observations
from basewatch.workspace import Workspace

INTERVAL = (0.05, 0.95)
MIN_PARTIAL = 0.05  # a zone seen less than this (an image's edge clipping it) gets no row


@dataclass(frozen=True)
class AnalyzedObject:
    """One detection after identification: its observation id, the filled-in Detection and its zone."""

    observation_id: int | None
    detection: Detection
    identification: Identification
    zone: str | None
    review: tuple[str, ...] = ()  # the analyst's actions that apply to it (see `imagery.review`)

    def to_dict(self) -> dict[str, Any]:
        d = self.detection.to_dict()
        d["observation_id"] = self.observation_id
        d["zone"] = self.zone
        d["review"] = list(self.review)
        return d


@dataclass(frozen=True)
class AnalysisResult:
    """What `analyze_evidence` found and stored for one image."""

    evidence_id: str
    site_id: str | None
    observed_at: Instant | None
    objects: list[AnalyzedObject]
    inventory: list[ZoneCount]
    coverage: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"evidence_id": self.evidence_id, "site": self.site_id,
                "date": self.observed_at.isoformat() if self.observed_at else None,
                "objects": [o.to_dict() for o in self.objects],
                "inventory": [inventory_row_dict(o) for o in self.inventory],
                "zone_coverage": self.coverage}


def inventory_row_dict(z: ZoneCount) -> dict[str, Any]:
    """The short form `basewatch analyze` prints: a zone count without its members."""
    return {"zone": z.zone_id, "category": z.category, "type": z.type_id, "count": z.count, "expected": z.expected,
            "low": z.low, "high": z.high, "states": dict(z.states), "zone_coverage": z.zone_coverage}


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


def _geometry(value: dict[str, Any] | None) -> Any:
    """A shapely geometry from GeoJSON, repaired when invalid; None when absent or empty."""
    if not value:
        return None
    g = shape(value)
    if g.is_empty:
        return None
    return g if g.is_valid else g.buffer(0)


def seen_area(coverage: list[Coverage], *, obscured: bool = True) -> Any:
    """What the images actually saw (WGS84): footprints minus clouds and no-data; None without coverage.

    `obscured=False` gives the bare footprints.
    """
    seen = [g for c in coverage if (g := _geometry(c.footprint)) is not None]
    hidden = [g for c in coverage for v in ((c.cloud, c.nodata) if obscured else ()) if (g := _geometry(v))]
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
             gsd: float | None = None,
             types: list[str | None] | None = None) -> list[tuple[Detection, Identification, str | None]]:
    """Identify and score states for detections of one image; returns (filled Detection, identification, zone).
    `types` gives, per detection, a type the analyst set (None: identify it)."""
    out = []
    reader = ImageReader(image) if image is not None else None
    try:
        for i, det in enumerate(detections):
            chip = None
            if reader is not None:
                try:
                    chip = reader.chip(det, gsd=gsd)
                except (ValueError, IndexError):
                    chip = None
            given = types[i] if types else None
            ident = (analyst_identification(det, given, catalog) if given else
                     identify(det, catalog=catalog, chip=chip, reference=reference, gsd=gsd))
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


def build_inventory(objects: list[AnalyzedObject], catalog: Catalog, coverage: dict[str, float], *,
                    evidence_id: str, site_id: str, observed_at: Instant,
                    hand_counts: Sequence[Review] = ()) -> list[ZoneCount]:
    """The per-zone inventory of one image; see the module docstring for what the counts mean. An analyst's
    hand count of a type in a zone replaces the machine's row of that type there."""
    by_zone: dict[str | None, list[AnalyzedObject]] = defaultdict(list)
    for o in objects:
        by_zone[o.zone].append(o)
    base = {"evidence_id": evidence_id, "site_id": site_id, "observed_at": observed_at}
    rows: list[ZoneCount] = []
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
            category = eq.category if eq else cls
            rows.append(ZoneCount(
                **base, zone_id=zone, category=category, type_id=t,
                name=members[0].identification.label if eq else f"unknown {cls}",
                count=sum(1 for o in members if o.detection.score >= 0.5), expected=round(expected, 3), low=low,
                high=max(high, low),
                confidence=round(min(1.0, sum(o.detection.score * o.identification.p for o in members)
                                     / len(members)), 4),
                equipment_type_id=eq.id if eq else None, states=dict(states),
                zone_coverage=coverage.get(zone) if zone else None,
                members=tuple(IdentificationRecord(
                    detection_id=o.observation_id, evidence_id=evidence_id, type_id=o.identification.type_id,
                    p=round(o.identification.p, 4), zone_id=zone, category=category,
                    score=round(o.detection.score, 4), states=o.detection.states,
                    heading_deg=o.detection.heading_deg,
                    candidates=tuple({"id": c.id, "p": round(c.p, 4)} for c in o.identification.candidates[:3]),
                    review=o.review)
                    for o in members)))
    counted = {(r.zone_id, r.type_id) for r in hand_counts}
    rows = [z for z in rows if (z.zone_id, z.type_id) not in counted]
    for r in hand_counts:
        eq = catalog.equipment[str(r.type_id)]
        n = int(r.count or 0)
        rows.append(ZoneCount(**base, zone_id=r.zone_id, category=eq.category, type_id=eq.id,
                              name=eq.aliases[0] if eq.aliases else eq.name, count=n, expected=float(n), low=n,
                              high=n, confidence=1.0, equipment_type_id=eq.id,
                              zone_coverage=coverage.get(r.zone_id) if r.zone_id else None, counted_by=r.analyst))
    for zone_id, frac in sorted(coverage.items()):
        if zone_id not in by_zone and zone_id not in {r.zone_id for r in hand_counts} and frac >= MIN_PARTIAL:
            rows.append(ZoneCount(**base, zone_id=zone_id, category=None, type_id=None, name="nothing detected",
                                  count=0, expected=0.0, low=0, high=0, zone_coverage=frac))
    return rows


def analyze_evidence(ws: Workspace, evidence_id: str, *, store: bool = True,
                     reference: list[ReferenceType] | None = None) -> AnalysisResult:
    """Identify, score states and count one image's detections per zone; store the inventory (idempotently)."""
    ev = ws.evidence(evidence_id)
    rows = ws.list_observations(evidence=ev.id, kind="detection")
    cov = ws.coverage(evidence=ev.id)
    site_id = rows[0].site_id if rows else (cov[0].site_id if cov else ev.site_id)
    if site_id is None:
        raise errors.InvalidValueError(f"evidence {ev.id} has no site and no detections; run 'basewatch detect' "
                                       "on it first or give it a site with --site")
    cat: Catalog = ws.catalog
    site = cat.sites.get(site_id)
    when = rows[0].observed_at if rows else (cov[0].observed_at if cov else ev.collected_at)
    found = reviews(ws, evidence=ev.id, include_undone=False)
    dets = reviewed_detections(ws, ev.id, rows=rows, found=found)
    image = _image_path(ws, ev)
    annotated = annotate([r.detection for r in dets], image, site=site, catalog=cat, reference=reference,
                         types=[r.type_id for r in dets])
    objects = [AnalyzedObject(observation_id=r.observation_id, detection=d, identification=ident, zone=zone,
                              review=r.actions)
               for r, (d, ident, zone) in zip(dets, annotated, strict=True)]
    coverage = zone_coverage(site, seen_area(cov))
    if store and (rows or cov) and when is None:
        raise errors.InvalidValueError(f"evidence {ev.id} has no collection time; add it with "
                                       "'basewatch evidence add --collected' before analysing")
    inventory = build_inventory(objects, cat, coverage, evidence_id=ev.id, site_id=site_id,
                                observed_at=when or Instant(datetime.now(UTC)), hand_counts=hand_counts(found))
    if store and (rows or cov):
        inventory = _replace_inventory(ws, ev.id, site_id, inventory)
    return AnalysisResult(evidence_id=ev.id, site_id=site_id, observed_at=when, objects=objects,
                          inventory=inventory, coverage=coverage)


def _replace_inventory(ws: Workspace, evidence_id: str, site_id: str, inventory: list[ZoneCount]) -> list[ZoneCount]:
    """Replace the evidence's previous inventory with this one, in one transaction."""
    site = ws.catalog.sites[site_id]
    zone_ids = {z.id for z in site.zones}
    for z in inventory:  # check every reference before writing anything
        if z.zone_id is not None and z.zone_id not in zone_ids:
            raise errors.UnknownZoneError(z.zone_id, f"Zones of {site_id}: {', '.join(sorted(zone_ids))}.")
        if z.equipment_type_id is not None and z.equipment_type_id not in ws.catalog.equipment:
            raise errors.UnknownEquipmentError(z.equipment_type_id)
    with ws.transaction() as conn:
        stored = write_observations(conn, evidence_id, METHOD, [zone_count_observation(z) for z in inventory])
    return [zone_count_of(o) for o in stored]


def inventory_for_evidence(ws: Workspace, evidence_id: str) -> list[ZoneCount]:
    """Analyse one image and return its stored per-zone inventory."""
    return analyze_evidence(ws, evidence_id).inventory


def image_evidence_with_detections(ws: Workspace, site: str | None = None) -> list[str]:
    """Evidence ids that have detector or coverage observations (optionally of one site), oldest first."""
    return [ev_id for ev_id, _ in ws.imaged_evidence(site=site)]


def analyze_site(ws: Workspace, site: str) -> list[AnalysisResult]:
    """Analyse every image of a site that has detections or coverage."""
    return [analyze_evidence(ws, e) for e in image_evidence_with_detections(ws, site)]


def category_totals(rows: list[ZoneCount]) -> dict[tuple[str | None, str], dict[str, float]]:
    """(zone, category) -> count and expected, summed over the type rows of an inventory."""
    out: dict[tuple[str | None, str], dict[str, float]] = defaultdict(lambda: {"count": 0, "expected": 0.0})
    for z in rows:
        if z.category is None:
            continue
        out[(z.zone_id, z.category)]["count"] += z.count
        out[(z.zone_id, z.category)]["expected"] += z.expected
    return dict(out)


__all__ = ["AnalysisResult", "AnalyzedObject", "analyze_evidence", "analyze_site", "annotate",
           "annotate_detections", "build_inventory", "category_totals", "count_interval",
           "image_evidence_with_detections", "inventory_for_evidence", "poisson_binomial", "seen_area",
           "zone_coverage"]

