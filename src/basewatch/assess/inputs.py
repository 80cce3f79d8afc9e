"""What an assessment reads: a site's observations, claims and evidence up to a cut-off, in one pass.

Claims carry their provenance (source grade, stance, attribution); observations carry the evidence's source.
Nothing reported or collected after the cut-off is read, so an assessment "as of" a date uses only what was
known then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from basewatch.model import Evidence, Instant, Observation, Site
from basewatch.model.time import Precision
from basewatch.store.schema import claims as claims_t
from basewatch.store.schema import evidence as evidence_t
from basewatch.workspace import Workspace


@dataclass(frozen=True)
class Claim:
    """A claim about the site with the provenance needed to weigh it."""

    id: int
    evidence_id: str
    source_id: str | None
    source_name: str
    source_kind: str
    grade: str
    subject: str
    equipment_type_id: str | None
    state: str | None
    stance: str
    event_at: Instant | None
    reported_at: Instant | None
    speaker: str | None
    attribution: tuple[dict[str, Any], ...]
    quote: str
    event_key: str | None
    confidence: float | None

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
    claims: list[Claim]
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


def _inst(at: datetime | None, precision: str | None) -> Instant | None:
    return Instant(at, Precision(precision or "second")) if at is not None else None


def read_claims(ws: Workspace, site: Site) -> list[Claim]:
    """Every claim about the site, with its evidence's source and publication time."""
    cat = ws.catalog
    q = (select(claims_t, evidence_t.c.source_id, evidence_t.c.published_at, evidence_t.c.published_precision)
         .join(evidence_t, evidence_t.c.id == claims_t.c.evidence_id)
         .where(claims_t.c.site_id == site.id).order_by(claims_t.c.id))
    out = []
    with ws.engine.connect() as conn:
        rows = conn.execute(q).all()
    for r in rows:
        src = cat.sources.get(r.source_id) if r.source_id else None
        attribution = tuple(a for a in (r.attribution or []) if isinstance(a, dict))
        grade = src.reliability if src else ""
        # The original speaker's own grade when the catalog knows them (a Kremlin statement quoted by an outlet).
        if attribution:
            inner = cat.source_names.resolve(str(attribution[-1].get("name") or ""))
            if inner and inner in cat.sources:
                grade = cat.sources[inner].reliability
        out.append(Claim(
            id=r.id, evidence_id=r.evidence_id, source_id=r.source_id, source_name=src.name if src else "unknown",
            source_kind=src.kind if src else "", grade=grade or "F", subject=r.subject,
            equipment_type_id=r.equipment_type_id, state=(r.state or "").upper() or None, stance=r.stance,
            event_at=_inst(r.event_at, r.event_precision), reported_at=_inst(r.published_at, r.published_precision),
            speaker=r.speaker, attribution=attribution, quote=r.quote, event_key=r.event_key,
            confidence=r.confidence))
    return out


def read_inputs(ws: Workspace, site: Site, as_of: Instant) -> SiteInputs:
    cutoff = cutoff_of(as_of)
    all_obs = ws.list_observations(site=site.id)
    obs = [o for o in all_obs if o.observed_at.at < cutoff]
    evidence = {e.id: e for e in ws.list_evidence()}
    claims, undated, later = [], 0, len(all_obs) - len(obs)
    for c in read_claims(ws, site):
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
