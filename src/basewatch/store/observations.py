"""Observation rows: the one row mapper, the one detection converter and the one writer every stage uses.

A stage re-run is idempotent in one way only: `write_observations` replaces what that method wrote for that
evidence (optionally only some kinds) and inserts the new rows, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from basewatch.model import Detection, Instant, Observation
from basewatch.model.time import Precision
from basewatch.store.schema import observations


def observation_from_row(row: Any) -> Observation:
    d = dict(row._mapping)
    d["observed_at"] = Instant(d.pop("observed_at"), Precision(d.pop("observed_precision")))
    d.pop("created_at")
    return Observation(**d)


def detection_from_row(row: Any) -> Detection | None:
    """A stored detector observation as a Detection; None when it lacks the pixel polygon."""
    a = row.attributes or {}
    px = a.get("polygon_px")
    if not px or len(px) < 4:
        return None
    lonlat = None
    geom = row.geometry
    if geom and geom.get("type") == "Polygon":
        lonlat = tuple((float(x), float(y)) for x, y in geom["coordinates"][0][:4])
    return Detection(cls=str(a.get("class", "aircraft")),
                     score=float(row.confidence if row.confidence is not None else 1.0),
                     polygon_px=tuple((float(x), float(y)) for x, y in px[:4]),  # type: ignore[arg-type]
                     polygon_lonlat=lonlat,  # type: ignore[arg-type]
                     length_m=a.get("length_m"), width_m=a.get("width_m"), heading_deg=a.get("heading_deg"))


def read_observations(conn: Connection, evidence_id: str, *, method: str | None = None,
                      kinds: Sequence[str] | None = None) -> list[Any]:
    """The stored rows of one evidence item, in insertion order (rows, so callers can map them as they need)."""
    q = select(observations).where(observations.c.evidence_id == evidence_id)
    if method is not None:
        q = q.where(observations.c.method == method)
    if kinds:
        q = q.where(observations.c.kind.in_(tuple(kinds)))
    return list(conn.execute(q.order_by(observations.c.id)))


def write_observations(conn: Connection, evidence_id: str | None, method: str, rows: Iterable[dict[str, Any]],
                       *, kinds: Sequence[str] | None = None, replace: bool = True) -> int:
    """Insert observation rows made by `method` from one evidence item; with `replace`, first delete what that
    method wrote for that evidence (of `kinds`, when given). Run inside the caller's transaction."""
    now = datetime.now(UTC).replace(microsecond=0)
    values = [{"evidence_id": evidence_id, "method": method, "created_at": now, **r} for r in rows]
    if replace and evidence_id is not None:
        q = delete(observations).where((observations.c.evidence_id == evidence_id)
                                       & (observations.c.method == method))
        if kinds:
            q = q.where(observations.c.kind.in_(tuple(kinds)))
        conn.execute(q)
    if values:
        conn.execute(insert(observations), values)
    return len(values)
