"""The inventory's records: the identification of one detection, and a per-zone count of one type."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from basewatch.model.record import Record
from basewatch.model.time import Instant


@dataclass(frozen=True)
class Identification(Record):
    """What one detection was identified as, and the state scores it was given, by the inventory."""

    detection_id: int | None
    evidence_id: str | None
    type_id: str | None
    p: float | None
    zone_id: str | None = None
    category: str | None = None
    score: float | None = None
    states: dict[str, float] = field(default_factory=dict)
    heading_deg: float | None = None
    candidates: tuple[dict[str, Any], ...] = ()
    review: tuple[str, ...] = ()  # the analyst's actions behind it (confirm, retype, redraw, add)


@dataclass(frozen=True)
class ZoneCount(Record):
    """How many objects of one type an image shows in one zone, with the expected count and a 90 % interval.

    A count of 0 with no type is "seen empty": the image covered the zone and found nothing, which is not the
    same as a zone the image did not cover (no record at all).
    """

    evidence_id: str
    site_id: str
    observed_at: Instant
    zone_id: str | None
    category: str | None
    type_id: str | None
    name: str
    count: int
    expected: float
    low: int
    high: int
    confidence: float | None = None
    equipment_type_id: str | None = None
    states: dict[str, int] = field(default_factory=dict)
    zone_coverage: float | None = None
    members: tuple[Identification, ...] = ()
    counted_by: str | None = None  # the analyst who counted this zone by hand (then no members)
    id: int | None = None

    @property
    def note(self) -> str:
        return f"{self.name}: {self.count} (expected {self.expected}, 90% {self.low}-{self.high})"


__all__ = ["Identification", "ZoneCount"]
