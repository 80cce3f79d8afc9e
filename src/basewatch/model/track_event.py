"""A track event: what an aircraft or ship track did near a site (arrival, departure, holding, AIS gap...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from basewatch.model.record import Record
from basewatch.model.time import Instant


@dataclass(frozen=True)
class TrackEvent(Record):
    """One event derived from ADS-B or AIS tracks; `details` keeps what the analyser measured for this kind."""

    kind: str
    site_id: str
    observed_at: Instant
    method: str
    evidence_id: str | None = None
    track_id: str | None = None
    category: str | None = None
    equipment_type_id: str | None = None
    zone_id: str | None = None
    count: int = 1
    confidence: float | None = None
    lon: float | None = None
    lat: float | None = None
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


__all__ = ["TrackEvent"]
