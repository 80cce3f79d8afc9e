"""Change between two dates of a site: which objects arrived, departed, moved, changed state or stayed.

Objects of each date are the detections of every image collected that day (identified by the inventory stage),
with what those images actually saw (coverage footprints minus clouds and no-data). Matching goes in three steps:
1. same spot: pairs of one class whose centres lie within a third of the object's size (at least 5 m) and
   whose types agree (or one is unknown, or either identification is unsure and the sizes agree within 25 %)
   are the same object -- `unchanged`,
   `state_changed` (dominant state differs) or `moved` (turned by more than 30 degrees);
2. short moves: leftovers of one type (same rule) in the same zone within `move_radius_m` are the same
   object, `moved` (pairs of exactly the same type first);
3. the rest: an older object whose place the newer images saw clear is `departed`; one outside the newer
   footprint or under cloud is `not_observed` -- never departed. A newer object is `arrived` only where the
   older images saw the place clear, `not_observed` (on the older date) otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any

from shapely.geometry import Point, Polygon

from basewatch import errors
from basewatch.model import Detection, parse_instant
from basewatch.workspace import Workspace

KINDS = ("arrived", "departed", "moved", "state_changed", "unchanged", "not_observed")
TURN_DEG = 30.0
STATE_MARGIN = 0.4  # a state change needs the state's score to move by at least this much
STATE_CONFIDENT = 0.7  # ... and both dates' states to be this sure (a score near 0.5 says "cannot tell")


@dataclass(frozen=True)
class SeenObject:
    """One object on one date: where it is (lon/lat and site-local metres), what it is and in what state."""

    detection: Detection
    observation_id: int | None
    evidence_id: str
    type_id: str
    category: str
    p: float
    zone: str | None
    xy: tuple[float, float]
    states: dict[str, float]
    candidates: dict[str, float] = field(default_factory=dict)  # type id -> probability (top few)

    @property
    def size(self) -> float:
        return max(self.detection.length_m or 0.0, self.detection.width_m or 0.0) or 10.0

    @property
    def state(self) -> str | None:
        from basewatch.imagery.states import dominant_state

        return dominant_state(self.states)

    @property
    def lonlat(self) -> tuple[float, float] | None:
        ll = self.detection.polygon_lonlat
        if not ll:
            return None
        return (sum(p[0] for p in ll) / len(ll), sum(p[1] for p in ll) / len(ll))


@dataclass(frozen=True)
class DateView:
    """Everything one date offers: its objects, what its images saw, and which images they were."""

    day: Date
    objects: list[SeenObject]
    seen: Any  # shapely geometry (lon/lat) or None when no image records coverage
    evidence_ids: list[str]
    footprint: Any = None  # the images' footprints, clouds included


@dataclass(frozen=True)
class Change:
    """One entry of `basewatch compare`."""

    kind: str
    cls: str
    type: str | None
    zone: str | None
    category: str | None = None
    a: SeenObject | None = None
    b: SeenObject | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def distance_m(self) -> float | None:
        if self.a is None or self.b is None:
            return None
        return math.dist(self.a.xy, self.b.xy)

    def to_dict(self) -> dict[str, Any]:
        def side(o: SeenObject | None) -> dict[str, Any] | None:
            if o is None:
                return None
            ll = o.lonlat
            return {"evidence_id": o.evidence_id, "observation_id": o.observation_id, "type": o.type_id,
                    "p": round(o.p, 3), "zone": o.zone, "state": o.state, "states": o.states,
                    "lonlat": [round(ll[0], 7), round(ll[1], 7)] if ll else None,
                    "heading_deg": o.detection.heading_deg, "score": round(o.detection.score, 3)}

        d = {"kind": self.kind, "class": self.cls, "type": self.type, "zone": self.zone, "category": self.category,
             "a": side(self.a), "b": side(self.b), "note": self.note}
        if self.distance_m is not None:
            d["distance_m"] = round(self.distance_m, 1)
        if self.a is not None and self.b is not None and self.a.state != self.b.state:
            d["state_a"], d["state_b"] = self.a.state, self.b.state
        d.update(self.extra)
        return d


# ------------------------------------------------------------------------------------------------ loading


def _local(lon: float, lat: float, lon0: float, lat0: float) -> tuple[float, float]:
    return ((lon - lon0) * 111_320.0 * math.cos(math.radians(lat0)), (lat - lat0) * 110_574.0)


def _evidence_on(ws: Workspace, site_id: str, day: Date) -> list[str]:
    return [ev_id for ev_id, at in ws.imaged_evidence(site=site_id) if at.at.date() == day]


def date_view(ws: Workspace, site_id: str, day: Date) -> DateView:
    """The objects and seen area of one date, from stored detections, inventory annotations and coverage."""
    from basewatch.imagery.inventory import analyze_evidence, seen_area
    from basewatch.imagery.review import reviewed_detections

    site = ws.catalog.sites[site_id]
    ev_ids = _evidence_on(ws, site_id, day)
    objects: list[SeenObject] = []
    seen_parts, footprints = [], []
    for ev_id in ev_ids:
        notes = ws.identifications(evidence=ev_id)
        rows = reviewed_detections(ws, ev_id)  # the analyst's rejections, redraws and additions applied
        if rows and not notes:  # not analysed yet: identify in memory, store nothing
            res = analyze_evidence(ws, ev_id, store=False)
            notes = {m.detection_id: m for z in res.inventory for m in z.members if m.detection_id is not None}
        for r in rows:
            det = r.detection
            if det.polygon_lonlat is None:
                continue
            note = notes.get(r.observation_id)
            type_id = (note.type_id if note else None) or "unknown"
            eq = ws.catalog.equipment.get(type_id)
            ll = det.polygon_lonlat
            c = (sum(p[0] for p in ll) / 4, sum(p[1] for p in ll) / 4)
            objects.append(SeenObject(
                detection=det, observation_id=r.observation_id, evidence_id=ev_id, type_id=type_id,
                category=(note.category if note else None) or (eq.category if eq else det.cls),
                p=float(note.p or 0.0) if note else 0.0, zone=note.zone_id if note else None,
                xy=_local(c[0], c[1], site.lon, site.lat), states=dict(note.states) if note else {},
                candidates={str(k["id"]): float(k["p"]) for k in (note.candidates if note else ())}))
        cov_rows = ws.coverage(evidence=ev_id)
        cov = seen_area(cov_rows)
        fp_only = seen_area(cov_rows, obscured=False)
        if fp_only is not None:
            footprints.append(fp_only)
        if cov is None:
            ev = ws.evidence(ev_id)
            fp = (ev.metadata or {}).get("footprint")
            if fp:
                from shapely.geometry import shape

                cov = shape(fp)
                footprints.append(cov)
        if cov is not None:
            seen_parts.append(cov)
    from shapely.ops import unary_union

    seen = unary_union(seen_parts) if seen_parts else None
    footprint = unary_union(footprints) if footprints else None
    return DateView(day=day, objects=_dedupe(objects), seen=seen, evidence_ids=ev_ids, footprint=footprint)


def _dedupe(objects: list[SeenObject]) -> list[SeenObject]:
    """Objects seen twice on one date (overlapping images) count once: keep the higher score."""
    keep: list[SeenObject] = []
    for o in sorted(objects, key=lambda o: -o.detection.score):
        if any(k.detection.cls == o.detection.cls and k.evidence_id != o.evidence_id
               and math.dist(k.xy, o.xy) < 0.3 * max(k.size, o.size) for k in keep):
            continue
        keep.append(o)
    return keep


# ------------------------------------------------------------------------------------------------ matching


def _covered(o: SeenObject, seen: Any) -> bool:
    """Whether another date's images saw the object's place clear (at least half of its footprint)."""
    if seen is None or seen.is_empty:
        return False
    ll = o.detection.polygon_lonlat
    if ll:
        poly = Polygon(ll)
        if poly.is_valid and poly.area > 0:
            return poly.intersection(seen).area >= 0.5 * poly.area
    c = o.lonlat
    return c is not None and seen.contains(Point(c))


CONFIDENT_P = 0.6  # identifications at least this sure are trusted to tell two objects apart


def type_overlap(a: SeenObject, b: SeenObject) -> float:
    """Probability that two identifications name the same type (from their ranked candidates)."""
    ca = a.candidates or {a.type_id: 1.0}
    cb = b.candidates or {b.type_id: 1.0}
    return sum(p * cb.get(t, 0.0) for t, p in ca.items())


def _same_kind(a: SeenObject, b: SeenObject) -> bool:
    """Could these be one object seen twice? Same class, and types that agree -- or that may simply be misread.

    Two identifications of one object can disagree (a Su-35 read as a Su-30, a truck as an APC): when their
    candidate lists give the same type at least a 10 % chance, or when either is unsure and the sizes agree
    within 25 %, they may be one object. Two confident, unrelated types are two different objects.
    """
    if a.detection.cls != b.detection.cls:
        return False
    if a.type_id == b.type_id or "unknown" in (a.type_id, b.type_id):
        return True
    if type_overlap(a, b) >= 0.1:
        return True
    if min(a.p, b.p) >= CONFIDENT_P:
        return False
    return max(a.size, b.size) <= 1.25 * min(a.size, b.size)


def _state_changed(a: SeenObject, b: SeenObject) -> bool:
    """Dominant states differ, each date is sure of its state, and the score moved clearly (no flicker near 0.5).

    An object with no state on one date (none applies, or it was not scored) counts as sure of "no state".
    """
    if a.state == b.state:
        return False
    for o in (a, b):
        if o.state is not None and o.states.get(o.state, 0.0) < STATE_CONFIDENT:
            return False
    key = b.state or a.state
    return abs(b.states.get(key, 0.0) - a.states.get(key, 0.0)) >= STATE_MARGIN


def _heading_diff(a: SeenObject, b: SeenObject) -> float | None:
    ha, hb = a.detection.heading_deg, b.detection.heading_deg
    if ha is None or hb is None:
        return None
    d = abs(ha - hb) % 360
    return min(d, 360 - d)


def _label(o: SeenObject) -> str:
    return o.type_id


def match(view_a: DateView, view_b: DateView, *, move_radius_m: float = 150.0) -> list[Change]:
    """The changes from view A (older) to view B (newer)."""
    left_a = list(range(len(view_a.objects)))
    left_b = list(range(len(view_b.objects)))
    A, B = view_a.objects, view_b.objects
    changes: list[Change] = []
    # 1. same spot
    pairs = []
    for i in left_a:
        for j in left_b:
            a, b = A[i], B[j]
            if a.detection.cls != b.detection.cls:
                continue
            d = math.dist(a.xy, b.xy)
            gate = max(5.0, 0.33 * max(a.size, b.size))
            if d <= gate and _same_kind(a, b):
                pairs.append((d / gate + (0.0 if a.type_id == b.type_id else 0.5), i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, i, j in sorted(pairs):
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        a, b = A[i], B[j]
        turn = _heading_diff(a, b)
        type_id = b.type_id if (b.p >= a.p and b.type_id != "unknown") or a.type_id == "unknown" else a.type_id
        if turn is not None and turn > TURN_DEG:
            kind, note = "moved", f"turned {turn:.0f} degrees in place"
        elif _state_changed(a, b):
            kind, note = "state_changed", f"{a.state or 'no state'} -> {b.state or 'no state'}"
        else:
            kind, note = "unchanged", ""
        changes.append(Change(kind, b.detection.cls, type_id, b.zone or a.zone, b.category, a, b, note))
    # 2. short moves of one type
    pairs = []
    for i in left_a:
        if i in used_a:
            continue
        for j in left_b:
            if j in used_b:
                continue
            a, b = A[i], B[j]
            d = math.dist(a.xy, b.xy)
            if _same_kind(a, b) and a.zone == b.zone and d <= move_radius_m:
                pairs.append((d + (0.0 if a.type_id == b.type_id else move_radius_m), i, j))
    for _, i, j in sorted(pairs):
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        a, b = A[i], B[j]
        type_id = b.type_id if b.p >= a.p else a.type_id
        changes.append(Change("moved", b.detection.cls, type_id, b.zone, b.category, a, b,
                              f"moved {math.dist(a.xy, b.xy):.0f} m"))
    # 3. the rest
    for i in left_a:
        if i in used_a:
            continue
        a = A[i]
        if _covered(a, view_b.seen):
            changes.append(Change("departed", a.detection.cls, a.type_id, a.zone, a.category, a, None,
                                  "place seen clear on the newer date"))
        else:
            inside = view_b.footprint is not None and a.lonlat is not None and \
                view_b.footprint.contains(Point(a.lonlat))
            why = "under cloud or no-data on the newer date" if inside else "outside the newer images' footprint"
            changes.append(Change("not_observed", a.detection.cls, a.type_id, a.zone, a.category, a, None, why,
                                  {"date": view_b.day.isoformat()}))
    for j in left_b:
        if j in used_b:
            continue
        b = B[j]
        if _covered(b, view_a.seen):
            changes.append(Change("arrived", b.detection.cls, b.type_id, b.zone, b.category, None, b,
                                  "place seen clear on the older date"))
        else:
            changes.append(Change("not_observed", b.detection.cls, b.type_id, b.zone, b.category, None, b,
                                  "not seen on the older date (outside its footprint, under cloud or no-data)",
                                  {"date": view_a.day.isoformat()}))
    order = {k: n for n, k in enumerate(KINDS)}
    return sorted(changes, key=lambda c: (order[c.kind], c.zone or "~", c.type or "", c.cls))


def _day(value: str | Date, what: str) -> Date:
    if isinstance(value, Date):
        return value
    return parse_instant(str(value), what=what).at.date()


def compare(ws: Workspace, site: str, date_a: str | Date, date_b: str | Date, *,
            move_radius_m: float = 150.0) -> list[Change]:
    """Changes at a site from `date_a` to `date_b` (swapped if given newest first)."""
    s = ws.site(site)
    da, db = _day(date_a, "DATE_A"), _day(date_b, "DATE_B")
    if da == db:
        raise errors.InvalidValueError(f"DATE_A and DATE_B are both {da}; give two different dates")
    if db < da:
        da, db = db, da
    view_a, view_b = date_view(ws, s.id, da), date_view(ws, s.id, db)
    for v in (view_a, view_b):
        if not v.evidence_ids:
            days = sorted({d.isoformat() for d in imaged_dates(ws, s.id)})
            raise errors.InvalidValueError(
                f"no analysed image of {s.id} on {v.day}; dates with images: {', '.join(days) or 'none'} "
                "(run 'basewatch detect' on an image of that date first)")
    return match(view_a, view_b, move_radius_m=move_radius_m)


def imaged_dates(ws: Workspace, site_id: str) -> list[Date]:
    """The days with an image that has detector or coverage observations."""
    return sorted({at.at.date() for _, at in ws.imaged_evidence(site=site_id)})


def summarize(changes: list[Change]) -> dict[str, int]:
    out = {k: 0 for k in KINDS}
    for c in changes:
        out[c.kind] += 1
    return out


__all__ = ["Change", "DateView", "KINDS", "SeenObject", "compare", "date_view", "imaged_dates", "match",
           "summarize"]
