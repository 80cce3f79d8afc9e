"""An alert: an indicator that fired or a leading hypothesis that changed, with its webhook delivery log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from basewatch.model.record import Record


@dataclass(frozen=True)
class Alert(Record):
    """One recorded alert; `payload` says what changed, `deliveries` logs every webhook attempt."""

    id: int
    site: str | None
    kind: str
    message: str
    payload: dict[str, Any]
    created: str
    deliveries: tuple[dict[str, Any], ...] = field(default_factory=tuple)


__all__ = ["Alert"]
