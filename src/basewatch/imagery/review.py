"""The analyst in the loop: confirm, reject, retype, redraw or add a detection, or count a zone by hand.

Every action is stored as a review (an observation of kind `review`, method `analyst`, with who and when) and
overrides the machine wherever detections are read: `reviewed_detections` is the one place that applies them,
and the inventory, the change between dates and the indicators all read through it. A review is undone by
marking it, never by deleting it, so the record of who decided what survives. After each action the image's
inventory is rebuilt, so counts, changes and the next assessment follow at once.

What each action does to the detections of one image:
- `reject`: the detection is dropped (a false alarm, a decoy read as real, a shadow);
- `confirm`: its score becomes 1 (it is real; the machine's type stands unless retyped);
- `retype`: its type is the analyst's, with probability 1 (it also confirms);
- `redraw`: its footprint is the analyst's four corners (sizes and heading re-measured from the image);
- `add`: a new detection (method `analyst`) with the analyst's corners, class and type;
- `count`: N objects of one type in one zone of this image, replacing the machine's count of that type there
  (for an image too coarse to see single objects, or a screenshot of part of an apron).
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
from shapely.geometry import Polygon

from basewatch import errors
from basewatch.model import DETECTION_CLASSES, REVIEW_ACTIONS, Detection, EquipmentType, Instant, Observation, Review
from basewatch.store.observations import delete_observation, detection_observation, detection_of, write_observations
from basewatch.store.reviews import METHOD, mark_undone, read_reviews, review_observation
from basewatch.workspace import Workspace

ON_DETECTION = ("confirm", "reject", "retype", "redraw")


@dataclass(frozen=True)
class ReviewedDetection:
    """A detection after the analyst's reviews: the possibly redrawn footprint, the forced type if any, and
    which actions apply (empty when the machine's reading stands)."""

    observation_id: int
    detection: Detection
    type_id: str | None = None  # the analyst's type (retype or add)
    actions: tuple[str, ...] = ()

    @property
    def reviewed(self) -> bool:
        return bool(self.actions)


def default_analyst() -> str:
    """Who is reviewing: BASEWATCH_ANALYST, else the login name."""
    name = os.environ.get("BASEWATCH_ANALYST", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


def _now() -> Instant:
    return Instant(datetime.now(UTC).replace(microsecond=0))


def _corners(polygon: Any, what: str) -> tuple[tuple[float, float], ...]:
    """Four pixel corners (column, row) of a drawn box, checked: a real quadrilateral of at least 2 x 2 px."""
    try:
        pts = tuple((float(x), float(y)) for x, y in polygon)
    except (TypeError, ValueError) as exc:
        raise errors.InvalidValueError(f"{what}: give four corners as x,y pixel pairs, e.g. "
                                       "'10,10 40,10 40,30 10,30'") from exc
    if len(pts) != 4 or not all(np.isfinite(pts).ravel()):
        raise errors.InvalidValueError(f"{what}: give exactly four finite corners (column,row), not {len(pts)}")
    poly = Polygon(pts)
    if not poly.is_valid or poly.area < 4:
        raise errors.InvalidValueError(f"{what}: the four corners do not make a box of at least 2 x 2 pixels; "
                                       "list them in order around the object")
    return pts


def open_evidence_image(ws: Workspace, evidence_id: str) -> Any:
    """The archived image as a RasterImage, with the GSD and centre an analyst gave it when it has no georef."""
    from basewatch.imagery.detect import evidence_georef
    from basewatch.imagery.raster import RasterImage

    ev = ws.evidence(evidence_id)
    gsd, center = evidence_georef(ev)
    return RasterImage(ws.archive.path(ev.sha256), gsd=gsd, center=center)


def _measure(ws: Workspace, evidence_id: str, cls: str, score: float,
             corners: tuple[tuple[float, float], ...]) -> Detection:
    """A Detection for drawn corners, measured on the archived image like the detector's own."""
    from basewatch.imagery.detect import detection_from_corners

    img = open_evidence_image(ws, evidence_id)
    try:
        inside = all(-1 <= x <= img.width + 1 and -1 <= y <= img.height + 1 for x, y in corners)
        if not inside:
            raise errors.InvalidValueError(f"the drawn box {list(corners)} lies outside {evidence_id} "
                                           f"({img.width} x {img.height} px); give pixel corners inside the image")
        return detection_from_corners(img, cls, score, np.asarray(corners), axis_only=cls == "vehicle")
    finally:
        img.close()


def _class_of(eq: EquipmentType) -> str:
    from basewatch.imagery.identify import FORM_CLASS

    return FORM_CLASS.get(str(eq.shape.get("form", "vehicle")), "vehicle")


# ------------------------------------------------------------------------------------------------ actions


def review(ws: Workspace, evidence_id: str, action: str, *, detection: int | None = None,
           equipment: str | None = None, cls: str | None = None, polygon: Any = None, zone: str | None = None,
           count: int | None = None, analyst: str | None = None, note: str = "") -> Review:
    """Take one review action on an image and rebuild its inventory; every reference is checked before
    anything is written."""
    from basewatch.imagery.inventory import analyze_evidence

    if action not in REVIEW_ACTIONS:
        raise errors.InvalidValueError(f"review action {action!r}; use one of {', '.join(REVIEW_ACTIONS)}")
    ev = ws.evidence(evidence_id)
    if ev.kind != "image":
        raise errors.InvalidValueError(f"{ev.id} is a {ev.kind}; reviews are about an image's detections")
    detections = {o.id: o for o in ws.list_observations(evidence=ev.id, kind="detection")}
    coverage = ws.coverage(evidence=ev.id)
    site_id = next(iter(detections.values())).site_id if detections else (
        coverage[0].site_id if coverage else ev.site_id)
    if site_id is None:
        raise errors.InvalidValueError(f"{ev.id} has no site; link it with 'basewatch evidence update {ev.id} "
                                       "--site SITE' first")
    when = ev.collected_at or (coverage[0].observed_at if coverage else None)
    if when is None:
        raise errors.InvalidValueError(f"{ev.id} has no collection time; set it with 'basewatch evidence update "
                                       f"{ev.id} --collected YYYY-MM-DD' first")
    who = (analyst or default_analyst()).strip()[:64] or "analyst"
    eq = ws.equipment(equipment) if equipment else None
    target = None
    if action in ON_DETECTION:
        if detection is None:
            raise errors.InvalidValueError(f"'{action}' needs the detection's id (--detection); list them with "
                                           f"'basewatch review list {ev.id}'")
        target = detections.get(int(detection))
        if target is None:
            near = ", ".join(str(i) for i in sorted(detections)[:12]) or "none"
            raise errors.InvalidValueError(f"{ev.id} has no detection {detection}; its detections are: {near}")
    if action == "retype" and eq is None:
        raise errors.InvalidValueError("'retype' needs the new type (--type); list types with "
                                       "'basewatch catalog list'")
    corners = None
    if action in ("redraw", "add"):
        if polygon is None:
            raise errors.InvalidValueError(f"'{action}' needs the object's four pixel corners (--box)")
        corners = _corners(polygon, "--box")
    if action == "add":
        cls = cls or (_class_of(eq) if eq else None)
        if cls not in DETECTION_CLASSES:
            raise errors.InvalidValueError(f"'add' needs the object's class (--class {'|'.join(DETECTION_CLASSES)}) "
                                           "or a type (--type) to take it from")
    if action == "count":
        if eq is None or zone is None or count is None:
            raise errors.InvalidValueError("'count' needs --type, --zone and --count")
        if count < 0 or count > 10_000:
            raise errors.InvalidValueError(f"--count {count}: give a number of objects from 0 to 10000")
        zone = _covered_zone(ws, site_id, ev.id, zone, coverage)
    obj_cls = str((target.attributes or {}).get("class", "aircraft")) if target is not None else cls
    if eq is not None and action in ("retype", "add") and _class_of(eq) != obj_cls:
        raise errors.InvalidValueError(f"{eq.id} is of class {_class_of(eq)}, but this object is a {obj_cls}; "
                                       "reject it and add the right object instead")
    measured = _measure(ws, ev.id, str(obj_cls), 1.0, corners) if corners is not None else None
    record = Review(evidence_id=ev.id, site_id=site_id, action=action, analyst=who, reviewed_at=_now(),
                    observed_at=when, detection_id=target.id if target is not None else None,
                    type_id=eq.id if eq else None, cls=cls, polygon_px=corners, zone_id=zone, count=count,
                    note=note[:2000])
    with ws.transaction() as conn:
        if action == "add":
            assert measured is not None
            added = detection_observation(measured, site_id=site_id, evidence_id=ev.id, method=METHOD,
                                          observed_at=when, model="analyst")
            added = replace(added, attributes={**added.attributes, "analyst": who,
                                               "type": eq.id if eq else None})
            stored = write_observations(conn, ev.id, METHOD, [added], replace=False)[0]
            record = replace(record, detection_id=stored.id)
        obs = write_observations(conn, ev.id, METHOD, [review_observation(record)], replace=False)[0]
    analyze_evidence(ws, ev.id)
    return replace(record, id=obs.id)


def undo(ws: Workspace, review_id: int, *, analyst: str | None = None) -> Review:
    """Withdraw one review (an added detection is removed with it) and rebuild the image's inventory."""
    from basewatch.imagery.inventory import analyze_evidence

    with ws.engine.connect() as conn:
        found = read_reviews(conn, ids=[int(review_id)])
    if not found:
        raise errors.InvalidValueError(f"no review {review_id}; list them with 'basewatch review list EVIDENCE'")
    r = found[0]
    if not r.active:
        raise errors.InvalidValueError(f"review {review_id} was already undone by {r.undone_by} at "
                                       f"{r.undone_at.isoformat() if r.undone_at else '?'}")
    done = replace(r, undone_at=_now(), undone_by=(analyst or default_analyst())[:64])
    with ws.transaction() as conn:
        mark_undone(conn, done)
        if r.action == "add" and r.detection_id is not None:
            delete_observation(conn, r.detection_id)
    analyze_evidence(ws, r.evidence_id)
    return done


def reviews(ws: Workspace, *, evidence: str | None = None, site: str | None = None,
            include_undone: bool = True) -> list[Review]:
    with ws.engine.connect() as conn:
        found = read_reviews(conn, evidence_id=ws.evidence(evidence).id if evidence else None,
                             site_id=ws.site(site).id if site else None)
    return [r for r in found if include_undone or r.active]


def _covered_zone(ws: Workspace, site_id: str, evidence_id: str, zone: str, coverage: list[Any]) -> str:
    """The zone id of a hand count, refused when the image (its `coverage` records, else its footprint) did not
    see any of it."""
    from basewatch.imagery.inventory import seen_area, zone_coverage

    site = ws.site(site_id)
    zone_id = site.zone(zone).id
    seen = seen_area(coverage)
    if seen is None:
        fp = (ws.evidence(evidence_id).metadata or {}).get("footprint")
        if fp:
            from shapely.geometry import shape

            seen = shape(fp)
    frac = zone_coverage(site, seen).get(zone_id) if seen is not None else None
    if seen is not None and not frac:
        raise errors.InvalidValueError(f"{evidence_id} did not cover zone {zone_id!r} (cloud, no-data or outside "
                                       "its footprint); count it on an image that shows it")
    return zone_id


# ------------------------------------------------------------------------------------------------ applying


def apply_reviews(rows: list[tuple[int, Detection]], found: list[Review]) -> list[ReviewedDetection]:
    """The detections of one image as the analyst left them (rows: detection observation id and Detection)."""
    active = [r for r in found if r.active and r.action in ON_DETECTION]
    out = []
    for oid, det in rows:
        mine = [r for r in active if r.detection_id == oid]
        if any(r.action == "reject" for r in mine):
            continue
        type_id = None
        for r in mine:  # in review order: the latest retype or redraw wins
            if r.action == "retype":
                type_id = r.type_id
            elif r.action == "redraw" and r.polygon_px:
                det = replace(det, polygon_px=r.polygon_px)  # type: ignore[arg-type]
        if mine:
            det = replace(det, score=1.0)
        out.append(ReviewedDetection(oid, det, type_id, tuple(dict.fromkeys(r.action for r in mine))))
    return out


def reviewed_detections(ws: Workspace, evidence_id: str, *, rows: list[Observation] | None = None,
                        found: list[Review] | None = None) -> list[ReviewedDetection]:
    """One image's detections (the machine's and the analyst's additions) with every active review applied;
    redrawn footprints are re-measured on the image. `rows` (its detection observations) and `found` (its
    active reviews) save reading them again when the caller has them."""
    rows = rows if rows is not None else ws.list_observations(evidence=evidence_id, kind="detection")
    found = found if found is not None else reviews(ws, evidence=evidence_id, include_undone=False)
    added = {r.detection_id: r for r in found if r.action == "add"}
    dets = []
    for o in rows:
        d = detection_of(o)
        if d is None:
            continue
        dets.append((o.id, d))
    out = apply_reviews(dets, found)
    redrawn = [i for i, r in enumerate(out) if "redraw" in r.actions]
    if redrawn:
        for i in redrawn:
            r = out[i]
            fresh = _measure(ws, evidence_id, r.detection.cls, 1.0, r.detection.polygon_px)
            out[i] = replace(r, detection=fresh)
    return [replace(r, type_id=added[r.observation_id].type_id, actions=("add",))
            if r.observation_id in added else r for r in out]


def review_sheet(ws: Workspace, evidence_id: str) -> list[dict[str, Any]]:
    """Every detection of an image as the analyst sees it to review: id, class, score, current type and zone,
    and the actions that apply (a rejected one is listed, marked, so it can be undone)."""
    from basewatch.imagery.inventory import analyze_evidence

    ev = ws.evidence(evidence_id)
    result = analyze_evidence(ws, ev.id, store=False)
    current = {o.observation_id: o for o in result.objects}
    found = reviews(ws, evidence=ev.id, include_undone=False)
    out = []
    for o in ws.list_observations(evidence=ev.id, kind="detection"):
        mine = [r for r in found if r.detection_id == o.id]
        obj = current.get(o.id)
        row: dict[str, Any] = {"detection": o.id, "class": (o.attributes or {}).get("class"), "method": o.method,
                               "score": o.confidence, "reviews": [{"id": r.id, "action": r.action,
                                                                   "analyst": r.analyst} for r in mine]}
        if obj is None:
            row.update(status="rejected", type=None, p=None, zone=None)
        else:
            row.update(status="reviewed" if obj.review else "machine", type=obj.identification.type_id,
                       p=round(obj.identification.p, 3), zone=obj.zone, states=obj.detection.states,
                       length_m=obj.detection.length_m, width_m=obj.detection.width_m)
        out.append(row)
    return out


QUEUE_P = 0.6  # identifications below this (or unknown, or named only by family) wait for the analyst


def review_queue(ws: Workspace, site: str, *, limit: int = 200) -> list[dict[str, Any]]:
    """What the analyst should look at first across a site's analysed images: unreviewed detections whose type
    is unknown, unsure (below QUEUE_P) or known only by its family, least sure first."""
    s = ws.site(site)
    out = []
    for z in ws.zone_counts(site=s.id):
        for m in z.members:
            if m.review or m.detection_id is None:
                continue
            p = float(m.p or 0.0)
            unsure = m.type_id in (None, "unknown") or p < QUEUE_P
            if unsure:
                out.append({"evidence": z.evidence_id, "detection": m.detection_id, "date": z.observed_at.isoformat(),
                            "zone": z.zone_id, "type": m.type_id, "p": round(p, 3), "score": m.score,
                            "candidates": list(m.candidates)})
    out.sort(key=lambda r: (r["p"], -(r["score"] or 0.0)))
    return out[:limit]


def hand_counts(found: list[Review]) -> list[Review]:
    """The active hand counts of an image, the latest per (zone, type)."""
    latest: dict[tuple[str | None, str | None], Review] = {}
    for r in found:
        if r.active and r.action == "count":
            latest[(r.zone_id, r.type_id)] = r
    return list(latest.values())


__all__ = ["ReviewedDetection", "apply_reviews", "default_analyst", "hand_counts", "open_evidence_image", "review",
           "review_queue", "review_sheet",
           "reviewed_detections", "reviews", "undo"]
