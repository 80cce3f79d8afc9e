"""Claims: the one row mapper, writer and reader of the `claims` table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select

from basewatch.model import Claim, Instant
from basewatch.model.time import Precision
from basewatch.store.schema import claims as claims_t


def claim_from_row(row: Row[Any]) -> Claim:
    event = Instant(row.event_at, Precision(row.event_precision or "day")) if row.event_at is not None else None
    return Claim(id=row.id, evidence_id=row.evidence_id, site_id=row.site_id, subject=row.subject, state=row.state,
                 stance=row.stance, quote=row.quote, method=row.method, equipment_type_id=row.equipment_type_id,
                 event_at=event, speaker=row.speaker,
                 attribution=tuple(a for a in (row.attribution or []) if isinstance(a, dict)),
                 span_start=row.span_start, span_end=row.span_end, confidence=row.confidence,
                 event_key=row.event_key, attributes=row.attributes or {})


def claim_values(c: Claim, created_at: datetime) -> dict[str, Any]:
    return {"evidence_id": c.evidence_id, "site_id": c.site_id, "subject": c.subject,
            "equipment_type_id": c.equipment_type_id, "state": c.state, "stance": c.stance,
            "event_at": c.event_at.at if c.event_at else None,
            "event_precision": c.event_at.precision.value if c.event_at else None, "speaker": c.speaker,
            "attribution": list(c.attribution), "quote": c.quote, "span_start": c.span_start,
            "span_end": c.span_end, "confidence": c.confidence, "method": c.method, "event_key": c.event_key,
            "attributes": dict(c.attributes), "created_at": created_at}


def write_claims(conn: Connection, evidence_id: str, method: str, records: Sequence[Claim], *,
                 replace: bool = True, embedded: Iterable[str] = ()) -> int:
    """Store the claims one method found in one evidence (and in the posts `embedded` in it, archived as their
    own evidence); with `replace`, what that method stored for them before is deleted first."""
    owners = {evidence_id, *embedded}
    for c in records:
        if c.evidence_id not in owners or c.method != method:
            raise ValueError(f"claim of {c.evidence_id}/{c.method} written as {evidence_id}/{method}")
    if replace:
        conn.execute(delete(claims_t).where(claims_t.c.evidence_id.in_(owners), claims_t.c.method == method))
    now = datetime.now(UTC).replace(microsecond=0)
    if records:
        conn.execute(insert(claims_t), [claim_values(c, now) for c in records])
    return len(records)


def read_claims(conn: Connection, *, site_id: str | None = None, evidence_id: str | None = None) -> list[Claim]:
    """Claims in event-time order (undated first), then id order."""
    q = select(claims_t).order_by(claims_t.c.event_at, claims_t.c.id)
    if site_id is not None:
        q = q.where(claims_t.c.site_id == site_id)
    if evidence_id is not None:
        q = q.where(claims_t.c.evidence_id == evidence_id)
    return [claim_from_row(r) for r in conn.execute(q)]


__all__ = ["claim_from_row", "claim_values", "read_claims", "write_claims"]
