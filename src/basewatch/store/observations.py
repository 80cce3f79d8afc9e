"""Observations: the one row mapper and the one writer of the `observations` table.

Every stage that records observations (manual entry, the detector, the inventory, the track analyser) writes
them through `write_observations`, so every re-run is idempotent the same way: what one method wrote for one
evidence is replaced in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from basewatch.model import Detection, Instant, Observation
from basewatch.model.time import Precision
from basewatch.store.schema import evidence, observations

# columns an Observation carries that the writer fills from the record (the id is the database's)
_COLUMNS = ("site_id", "zone_id", "kind", "method", "equipment_type_id", "state", "count", "confidence",
            "evidence_id", "frame_index", "frame_time_s", "geometry", "note", "attributes")


def observation_from_row(row: Row[Any]) -> Observation:
    d = dict(row._mapping)
    d["observed_at"] = Instant(d.pop("observed_at"), Precision(d.pop("observed_precision")))
    d.pop("created_at")
    d["attributes"] = d.get("attributes") or {}
    return Observation(**d)


def observation_values(o: Observation, created_at: datetime) -> dict[str, Any]:
    """The row of a new observation (its id is left to the database)."""
    values = {c: getattr(o, c) for c in _COLUMNS}
    values.update(observed_at=o.observed_at.at, observed_precision=o.observed_at.precision.value,
                  created_at=created_at)
    return values


def write_observations(conn: Connection, evidence_id: str | None, method: str, records: Sequence[Observation],
                       *, replace: bool = True) -> list[Observation]:
    """Store observations of one evidence by one method; with `replace`, what that method wrote for that
    evidence before is deleted first (the caller's transaction makes it all or nothing). Returns them stored."""
    for o in records:
        if o.evidence_id != evidence_id or o.method != method:
            raise ValueError(f"observation of {o.evidence_id}/{o.method} written as {evidence_id}/{method}")
    if replace:
        conn.execute(delete(observations).where((observations.c.evidence_id == evidence_id)
                                                & (observations.c.method == method)))
    now = datetime.now(UTC).replace(microsecond=0)
    if not records:
        return []
    ids = conn.execute(insert(observations).returning(observations.c.id, sort_by_parameter_order=True),
                       [observation_values(o, now) for o in records]).scalars().all()
    rows = conn.execute(select(observations).where(observations.c.id.in_(ids)).order_by(observations.c.id))
    return [observation_from_row(r) for r in rows]


def set_attributes(conn: Connection, observation_id: int, attributes: dict[str, Any]) -> None:
    """Replace one observation's attributes (an analyst's review being undone keeps its row, marked)."""
    conn.execute(update(observations).where(observations.c.id == observation_id).values(attributes=attributes))


def delete_observation(conn: Connection, observation_id: int) -> None:
    conn.execute(delete(observations).where(observations.c.id == observation_id))


def read_observations(conn: Connection, *, site_id: str | None = None, evidence_id: str | None = None,
                      ids: Iterable[int] | None = None,
                      kind: str | Iterable[str] | None = None, method: str | None = None,
                      equipment_type_id: str | None = None, start: datetime | None = None,
                      end: datetime | None = None) -> list[Observation]:
    """Observations in time order (then id order), filtered; `end` is exclusive."""
    q = select(observations).order_by(observations.c.observed_at, observations.c.id)
    if site_id is not None:
        q = q.where(observations.c.site_id == site_id)
    if evidence_id is not None:
        q = q.where(observations.c.evidence_id == evidence_id)
    if ids is not None:
        q = q.where(observations.c.id.in_(tuple(ids)))
    if isinstance(kind, str):
        q = q.where(observations.c.kind == kind)
    elif kind is not None:
        q = q.where(observations.c.kind.in_(tuple(kind)))
    if method is not None:
        q = q.where(observations.c.method == method)
    if equipment_type_id is not None:
        q = q.where(observations.c.equipment_type_id == equipment_type_id)
    if start is not None:
        q = q.where(observations.c.observed_at >= start)
    if end is not None:
        q = q.where(observations.c.observed_at < end)
    return [observation_from_row(r) for r in conn.execute(q)]


def imaged_evidence(conn: Connection, *, site_id: str | None = None) -> list[tuple[str, Instant]]:
    """(evidence id, time) of the images that have detector or coverage observations, oldest first, once each."""
    q = select(observations.c.evidence_id, observations.c.observed_at, observations.c.observed_precision).where(
        observations.c.kind.in_(("detection", "coverage"))
        & observations.c.evidence_id.in_(select(evidence.c.id).where(evidence.c.kind == "image")))
    if site_id is not None:
        q = q.where(observations.c.site_id == site_id)
    seen: dict[str, Instant] = {}
    for ev_id, at, precision in conn.execute(q.order_by(observations.c.observed_at, observations.c.id)):
        seen.setdefault(ev_id, Instant(at, Precision(precision)))
    return list(seen.items())


# -- detections: the detector's observations ---------------------------------------------------------------
def detection_observation(d: Detection, *, site_id: str, evidence_id: str, method: str, observed_at: Instant,
                          model: str) -> Observation:
    """A detector's Detection as an observation: the map footprint as geometry, the pixel polygon kept."""
    geom = d.__geo_interface__
    dd = d.to_dict()
    return Observation(id=0, site_id=site_id, kind="detection", method=method, observed_at=observed_at,
                       confidence=round(float(d.score), 4), evidence_id=evidence_id,
                       geometry=geom["geometry"] if geom else None,
                       attributes={"class": d.cls, "polygon_px": dd["polygon_px"], "length_m": dd["length_m"],
                                   "width_m": dd["width_m"], "heading_deg": dd["heading_deg"], "model": model})


def detection_of(o: Observation) -> Detection | None:
    """A stored detection observation as a Detection; None when it lacks the pixel polygon."""
    a = o.attributes or {}
    px = a.get("polygon_px")
    if not px or len(px) < 4:
        return None
    lonlat = None
    if o.geometry and o.geometry.get("type") == "Polygon":
        lonlat = tuple((float(x), float(y)) for x, y in o.geometry["coordinates"][0][:4])
    return Detection(cls=str(a.get("class", "aircraft")), score=float(o.confidence if o.confidence is not None
                                                                      else 1.0),
                     polygon_px=tuple((float(x), float(y)) for x, y in px[:4]),  # type: ignore[arg-type]
                     polygon_lonlat=lonlat,  # type: ignore[arg-type]
                     length_m=a.get("length_m"), width_m=a.get("width_m"), heading_deg=a.get("heading_deg"))


__all__ = ["delete_observation", "detection_of", "detection_observation", "imaged_evidence", "observation_from_row",
           "observation_values", "read_observations", "set_attributes", "write_observations"]
