"""A site's assessment as of a date, as stored and shown: hypotheses, indicators, contradictions and gaps.

This is the record every output reads (CLI `--json`, the API, the dashboard, briefs, STIX); the assess stage
builds it from its working objects. Readers of older rows get defaults for what those rows lack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Self

from basewatch.model.record import Record
from basewatch.model.time import Instant


@dataclass(frozen=True)
class Hypothesis(Record):
    """One competing hypothesis with its score (a probability) and the ICD 203 term for it."""

    id: str
    score: float | None = None
    likelihood: str | None = None
    label: str | None = None
    inconsistency: float | None = None
    consistency: float | None = None
    tied_with: tuple[str, ...] = ()  # hypotheses the evidence does not tell apart from this one


@dataclass(frozen=True)
class Indicator(Record):
    """One indicator's value (True, False or "unknown") with the evidence it rests on."""

    id: str
    value: Any = None
    label: str | None = None
    kind: str | None = None
    evidence: tuple[str, ...] = ()
    detail: str | None = None
    credibility: float | None = None
    date: str | None = None


@dataclass(frozen=True)
class MatrixRow(Record):
    """One row of the ACH matrix: an indicator's ratings against every hypothesis and its weight."""

    indicator: str
    value: Any = None
    ratings: dict[str, str] = field(default_factory=dict)
    credibility: float | None = None
    diagnosticity: float | None = None
    weight: float | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contradiction(Record):
    """A claim and what contradicts it (an observation or another claim), explained in one sentence."""

    claim: Any
    against: Any
    explanation: str = ""


@dataclass(frozen=True)
class Gap(Record):
    """Something the assessment could not see: a zone not imaged, cloud, no tracks, no reporting."""

    text: str
    kind: str | None = None
    subject: str | None = None
    last_seen: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "subject": self.subject, "last_seen": self.last_seen, "text": self.text,
                **self.details}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | str) -> Self:
        if isinstance(data, str):  # rows written before gaps were records hold only the sentence
            return cls(text=data)
        known = ("kind", "subject", "last_seen", "text")
        return cls(text=str(data.get("text", "")), kind=data.get("kind"), subject=data.get("subject"),
                   last_seen=data.get("last_seen"), details={k: v for k, v in data.items() if k not in known})


@dataclass(frozen=True)
class Assessment(Record):
    """The judgement on a site as of a date; `id` and `created_at` are set once it is stored."""

    site: str
    as_of: Instant
    leading: Hypothesis | None
    confidence: str | None = None
    hypotheses: tuple[Hypothesis, ...] = ()
    confidence_reasons: tuple[str, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    matrix: tuple[MatrixRow, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()
    gaps: tuple[Gap, ...] = ()
    judgements: tuple[str, ...] = ()
    sensitivity: tuple[dict[str, Any], ...] = ()
    definitions: tuple[str, ...] = ()
    id: int | None = None
    created_at: Instant | None = None

    @property
    def judgement(self) -> str:
        """The key judgement: the first sentence."""
        return self.judgements[0] if self.judgements else ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        data = dict(data)
        if "gap_details" in data:  # the pre-record form kept the sentences and the details apart
            data["gaps"] = data.pop("gap_details")
        return super().from_dict(data)


__all__ = ["Assessment", "Contradiction", "Gap", "Hypothesis", "Indicator", "MatrixRow"]
