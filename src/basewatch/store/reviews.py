"""Reviews stored as observations of kind `review`, method `analyst`; this module is the only place that knows
their attribute keys. A review is never deleted: undoing it marks it (`undone_at`, `undone_by`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from basewatch.model import Observation, Review, parse_instant
from basewatch.store.observations import read_observations, set_attributes

KIND = "review"
METHOD = "analyst"


def review_observation(r: Review) -> Observation:
    attrs: dict[str, Any] = {"action": r.action, "analyst": r.analyst, "reviewed_at": r.reviewed_at.isoformat(),
                             "detection": r.detection_id, "type": r.type_id, "class": r.cls,
                             "polygon_px": [list(p) for p in r.polygon_px] if r.polygon_px else None}
    if r.undone_at is not None:
        attrs.update(undone_at=r.undone_at.isoformat(), undone_by=r.undone_by)
    return Observation(id=r.id or 0, site_id=r.site_id, kind=KIND, method=METHOD, observed_at=r.observed_at,
                       equipment_type_id=r.type_id if r.action == "count" else None, zone_id=r.zone_id,
                       count=r.count if r.count is not None else 1, confidence=1.0, evidence_id=r.evidence_id,
                       note=r.note, attributes=attrs)


def review_of(o: Observation) -> Review:
    a = o.attributes or {}
    poly = a.get("polygon_px")
    return Review(evidence_id=o.evidence_id or "", site_id=o.site_id, action=str(a.get("action")),
                  analyst=str(a.get("analyst") or ""), reviewed_at=parse_instant(a["reviewed_at"]),
                  observed_at=o.observed_at, detection_id=a.get("detection"), type_id=a.get("type"),
                  cls=a.get("class"), polygon_px=tuple((float(x), float(y)) for x, y in poly) if poly else None,
                  zone_id=o.zone_id, count=o.count if a.get("action") == "count" else None, note=o.note,
                  undone_at=parse_instant(a["undone_at"]) if a.get("undone_at") else None,
                  undone_by=a.get("undone_by"), id=o.id or None)


def read_reviews(conn: Connection, *, evidence_id: str | None = None, site_id: str | None = None,
                 ids: list[int] | None = None) -> list[Review]:
    """Reviews in time then id order, undone ones included."""
    return [review_of(o) for o in read_observations(conn, evidence_id=evidence_id, site_id=site_id, ids=ids,
                                                     kind=KIND, method=METHOD)]


def mark_undone(conn: Connection, r: Review) -> None:
    o = review_observation(r)
    set_attributes(conn, int(r.id or 0), o.attributes)


__all__ = ["KIND", "METHOD", "mark_undone", "read_reviews", "review_observation", "review_of"]
