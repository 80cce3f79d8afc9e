"""A stored claim: what a text says about a site, on whose word, about when, and where in the text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from basewatch.model.record import Record
from basewatch.model.time import Instant


@dataclass(frozen=True)
class Claim(Record):
    """One claim as stored: its evidence, subject, state and stance, its attribution chain and its quote.

    `span_start`/`span_end` are character offsets of the quote in the evidence's own text; `event_key` groups
    the claims that report the same event. `id` is None, and `evidence_id` may be, until the claim is stored.
    """

    evidence_id: str | None
    site_id: str | None
    subject: str
    state: str | None
    stance: str
    quote: str
    method: str
    equipment_type_id: str | None = None
    event_at: Instant | None = None
    speaker: str | None = None
    attribution: tuple[dict[str, Any], ...] = ()
    span_start: int | None = None
    span_end: int | None = None
    confidence: float | None = None
    event_key: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    id: int | None = None

    @property
    def category(self) -> str | None:
        return self.attributes.get("category")


__all__ = ["Claim"]
