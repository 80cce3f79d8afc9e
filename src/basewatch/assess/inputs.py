"""What an assessment reads: a site's observations, claims and evidence up to a cut-off, in one pass.

Claims carry their provenance (source grade, stance, attribution); observations carry the evidence's source.
Nothing reported or collected after the cut-off is read, so an assessment "as of" a date uses only what was
known then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from basewatch.model import Claim, Evidence, Instant, Observation, Site
from basewatch.model.time import Precision
from basewatch.workspace import Workspace


@dataclass(frozen=True)
class SourcedClaim:
    """A stored claim with the provenance needed to weigh it: its source, the grade and the report time."""

    claim: Claim
    source_id: str | None
    source_name: str
    source_kind: str
    grade: str
    reported_at: Instant | None

    @property
    def id(self) -> int:
        return int(self.claim.id or 0)

    @property
    def evidence_id(self) -> str:
        return self.claim.evidence_id or ""

    @property
    def subject(self) -> str:
        return self.claim.subject

    @property
    def equipment_type_id(self) -> str | None:
        return self.claim.equipment_type_id

    @property
    def state(self) -> str | None:
        """Upper case, like the claim vocabulary (older rows may be lower case)."""
        return (self.claim.state or "").upper() or None

    @property
    def stance(self) -> str:
        return self.claim.stance

    @property
    def event_at(self) -> Instant | None:
        return self.claim.event_at

    @property
    def speaker(self) -> str | None:
        return self.claim.speaker

    @property
    def attribution(self) -> tuple[dict[str, Any], ...]:
        return self.claim.attribution

    @property
    def quote(self) -> str:
        return self.claim.quote

    @property
    def event_key(self) -> str | None:
        return self.claim.event_key

    @property
    def confidence(self) -> float | None:
        return self.claim.confidence

    @property
    def when(self) -> datetime | None:
        """The time the claim is about: its event time, else its report time."""
        inst = self.event_at or self.reported_at
        return inst.at if inst else None

    @property
    def speaker_kinds(self) -> set[str]:
        kinds = {str(a.get("kind", "")).lower() for a in self.attribution}
        return kinds | {self.source_kind.lower()}

    @property
    def anonymous(self) -> bool:
        return bool(self.attribution) and str(self.attribution[-1].get("kind", "")).lower() == "anonymous"

    @property
    def who(self) -> str:
        """The original speaker, for sentences: innermost attribution, else the speaker or the source."""
        for a in reversed(self.attribution):  # "satellite images" is what they saw, not who said it
            name = str(a.get("name") or "")
            if name and str(a.get("kind", "")).lower() not in ("imagery", "satellite imagery"):
                return name
        return self.speaker or self.source_name

    @property
    def short_quote(self) -> str:
        text = " ".join(self.quote.split())
        return text if len(text) <= 160 else text[:157].rstrip() + "..."

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "stance": self.stance, "subject": self.subject,
                "equipment_type": self.equipment_type_id, "quote": self.short_quote, "speaker": self.who,
                "source": self.source_id, "grade": self.grade, "evidence": self.evidence_id,
                "event_time": self.event_at.isoformat() if self.event_at else None,
                "reported_time": self.reported_at.isoformat() if self.reported_at else None}


@dataclass
class SiteInputs:
    site: Site
    cutoff: datetime  # exclusive
    as_of_day: date
    observations: list[Observation]
    claims: list[SourcedClaim]
    evidence: dict[str, Evidence]
    undated_claims: int = 0
    later_items: int = 0
    grades: dict[str, str] = field(default_factory=dict)  # evidence id -> source grade

    def grade_of(self, evidence_id: str | None) -> str | None:
        return self.grades.get(evidence_id) if evidence_id else None


def cutoff_of(as_of: Instant) -> datetime:
    """The exclusive end of what is known `as_of`: a day-precision date includes that whole day."""
    step = {Precision.YEAR: timedelta(days=366), Precision.MONTH: timedelta(days=31), Precision.DAY: timedelta(days=1)}
    if as_of.precision in step:
        return as_of.at + step[as_of.precision]
    return as_of.at + timedelta(seconds=1)


def read_claims(ws: Workspace, site: Site, evidence: dict[str, Evidence] | None = None) -> list[SourcedClaim]:
    """Every claim about the site, in id order, with its evidence's source and publication time."""
    cat = ws.catalog
    evidence = evidence if evidence is not None else {e.id: e for e in ws.list_evidence()}
    out = []
    for c in sorted(ws.claims(site=site.id), key=lambda c: c.id or 0):
        ev = evidence.get(c.evidence_id or "")
        source_id = ev.source_id if ev else None
        src = cat.sources.get(source_id) if source_id else None
        grade = src.reliability if src else ""
        # The original speaker's own grade when the catalog knows them (a Kremlin statement quoted by an outlet).
        if c.attribution:
            inner = cat.source_names.resolve(str(c.attribution[-1].get("name") or ""))
            if inner and inner in cat.sources:
                grade = cat.sources[inner].reliability
        out.append(SourcedClaim(claim=c, source_id=source_id, source_name=src.name if src else "unknown",
                                source_kind=src.kind if src else "", grade=grade or "F",
                                reported_at=ev.published_at if ev else None))
    return out


def read_inputs(ws: Workspace, site: Site, as_of: Instant) -> SiteInputs:
    cutoff = cutoff_of(as_of)
    all_obs = ws.list_observations(site=site.id)
    obs = [o for o in all_obs if o.observed_at.at < cutoff]
    evidence = {e.id: e for e in ws.list_evidence()}
    claims, undated, later = [], 0, len(all_obs) - len(obs)
    for c in read_claims(ws, site, evidence):
        known_at = c.reported_at.at if c.reported_at else (c.event_at.at if c.event_at else None)
        if known_at is None:
            undated += 1
        elif known_at < cutoff:
            claims.append(c)
        else:
            later += 1
    grades = {}
    for ev in evidence.values():
        src = ws.catalog.sources.get(ev.source_id) if ev.source_id else None
        if src is not None:
            grades[ev.id] = src.reliability
    day = (cutoff - timedelta(seconds=1)).date()
    return SiteInputs(site=site, cutoff=cutoff, as_of_day=day, observations=obs, claims=claims, evidence=evidence,
                      undated_claims=undated, later_items=later, grades=grades)
