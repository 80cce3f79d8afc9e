"""Assessments: one row per site and as-of date (replaced on re-run), the record kept whole as JSON."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, insert, select

from basewatch.model import Assessment, Instant
from basewatch.store.schema import assessments as assessments_t

_OWN = ("id", "created_at")  # columns of the row, not part of the stored result


def assessment_from_row(row: Row[Any]) -> Assessment:
    result = dict(row.result or {})
    result.setdefault("site", row.site_id)
    result.setdefault("as_of", Instant(row.as_of).isoformat())
    result.setdefault("leading", None)
    record = Assessment.from_dict({k: v for k, v in result.items() if k not in _OWN})
    return replace(record, id=row.id, created_at=Instant(row.created_at))


def write_assessment(conn: Connection, record: Assessment, *, replace_existing: bool = True) -> Assessment:
    """Store an assessment; by default the site's earlier assessment as of the same date is replaced."""
    if replace_existing:
        conn.execute(delete(assessments_t).where(and_(assessments_t.c.site_id == record.site,
                                                      assessments_t.c.as_of == record.as_of.at)))
    result = {k: v for k, v in record.to_dict().items() if k not in _OWN}
    now = datetime.now(UTC).replace(microsecond=0)
    new_id = conn.execute(insert(assessments_t).values(site_id=record.site, as_of=record.as_of.at, result=result,
                                                       created_at=now)).inserted_primary_key[0]
    return replace(record, id=new_id, created_at=Instant(now))


def read_assessments(conn: Connection, *, site_id: str | None = None) -> list[Assessment]:
    """Stored assessments, by site then as-of date (oldest first)."""
    q = select(assessments_t).order_by(assessments_t.c.site_id, assessments_t.c.as_of, assessments_t.c.id)
    if site_id is not None:
        q = q.where(assessments_t.c.site_id == site_id)
    return [assessment_from_row(r) for r in conn.execute(q)]


__all__ = ["assessment_from_row", "read_assessments", "write_assessment"]
