"""Alerts: the one row mapper, reader and writers of the `alerts` table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from basewatch.model import Alert
from basewatch.store.schema import alerts as alerts_t


def alert_from_row(row: Row[Any]) -> Alert:
    return Alert(id=row.id, site=row.site_id, kind=row.kind, message=row.message, payload=row.payload or {},
                 created=row.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"), deliveries=tuple(row.deliveries or ()))


def write_alerts(conn: Connection, alerts: Sequence[tuple[str | None, str, str, dict[str, Any]]]) -> list[Alert]:
    """Record new alerts, each (site id, kind, message, payload); returns them with their ids."""
    now = datetime.now(UTC).replace(microsecond=0)
    out = []
    for site_id, kind, message, payload in alerts:
        new_id = conn.execute(insert(alerts_t).values(site_id=site_id, kind=kind, message=message, payload=payload,
                                                      created_at=now, deliveries=[])).inserted_primary_key[0]
        out.append(alert_from_row(conn.execute(select(alerts_t).where(alerts_t.c.id == new_id)).one()))
    return out


def write_deliveries(conn: Connection, alert_id: int, deliveries: Sequence[dict[str, Any]]) -> None:
    conn.execute(update(alerts_t).where(alerts_t.c.id == alert_id).values(deliveries=list(deliveries)))


def read_alerts(conn: Connection, *, site_id: str | None = None, newest_first: bool = False) -> list[Alert]:
    q = select(alerts_t).order_by(alerts_t.c.id.desc() if newest_first else alerts_t.c.id)
    if site_id is not None:
        q = q.where(alerts_t.c.site_id == site_id)
    return [alert_from_row(r) for r in conn.execute(q)]


__all__ = ["alert_from_row", "read_alerts", "write_alerts", "write_deliveries"]
