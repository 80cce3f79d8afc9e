"""`assess_site`: indicators, competing hypotheses, contradictions, gaps and judgements for a site as of a date.

The result is stored in the `assessments` table (one row per site and as-of date, replaced on re-run) so that
the history of the judgement can be shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from basewatch.assess.ach import HypothesisScore, Row, build_matrix, leading, score, sensitivity
from basewatch.assess.config import AssessConfig, load_config
from basewatch.assess.contradictions import against_observations, between_claims
from basewatch.assess.estimative import TERMS, likelihood_range
from basewatch.assess.indicators import UNKNOWN, Context, IndicatorResult, evaluate_all
from basewatch.assess.inputs import SiteInputs, read_claims, read_inputs
from basewatch.assess.snapshots import Snapshots
from basewatch.model import (
    Assessment,
    Contradiction,
    Gap,
    Hypothesis,
    Indicator,
    Instant,
    MatrixRow,
    Site,
    parse_instant,
)
from basewatch.model.time import Precision
from basewatch.store.assessments import write_assessment
from basewatch.workspace import Workspace

WATCHED_ZONE_KINDS = ("apron", "pier", "air_defense", "staging")


@dataclass
class SiteAssessment:
    """The assess stage's working result for a site as of a date; `record()` is what is stored and shown."""

    site: Site
    as_of: Instant
    hypotheses: list[HypothesisScore]
    leading: HypothesisScore
    confidence: str
    confidence_reasons: list[str]
    indicators: list[IndicatorResult]
    matrix: list[Row]
    contradictions: list[dict[str, Any]]
    gaps: list[dict[str, Any]]
    judgements: list[str]
    sensitivity: list[dict[str, Any]]
    config: AssessConfig = field(repr=False)
    judged: bool = True  # False: nothing bears on the hypotheses yet ("no judgement yet", no leading one)
    tied: list[str] = field(default_factory=list)  # hypotheses tied with the leading one

    def indicator(self, iid: str) -> IndicatorResult | None:
        return next((i for i in self.indicators if i.id == iid), None)

    def record(self) -> Assessment:
        """The typed record every output reads (and `to_dict()`, the JSON of `basewatch assess --json`)."""
        labels = {h.id: h.label for h in self.config.hypotheses}
        return Assessment(
            site=self.site.id, as_of=self.as_of,
            leading=Hypothesis(id=self.leading.id, likelihood=self.leading.likelihood,
                               score=round(self.leading.probability, 3), label=labels[self.leading.id],
                               tied_with=tuple(self.tied)) if self.judged else None,
            hypotheses=tuple(Hypothesis.from_dict({**h.to_dict(), "label": labels[h.id]}) for h in self.hypotheses),
            confidence=self.confidence, confidence_reasons=tuple(self.confidence_reasons),
            indicators=tuple(Indicator.from_dict(i.to_dict()) for i in self.indicators),
            matrix=tuple(MatrixRow.from_dict(r.to_dict()) for r in self.matrix),
            contradictions=tuple(Contradiction.from_dict(c) for c in self.contradictions),
            gaps=tuple(Gap.from_dict(g) for g in self.gaps), judgements=tuple(self.judgements),
            sensitivity=tuple(self.sensitivity), definitions=tuple(self.config.sources))

    def to_dict(self) -> dict[str, Any]:
        return self.record().to_dict()


def _estimate(statement: str, term: str) -> str:
    """ "a full withdrawal ... is likely", or "there is almost no chance of a full withdrawal ..." """
    if term.endswith("chance"):
        article = "a " if term.startswith("roughly") else ""
        return f"there is {article}{term} of {statement.rstrip(',')}"
    return f"{statement} is {term}"


def _day_text(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def resolve_as_of(ws: Workspace, site: Site, as_of: str | datetime | date | Instant | None) -> Instant:
    """The as-of instant: given, else the day of the latest observation or report about the site."""
    if isinstance(as_of, Instant):
        return as_of
    if isinstance(as_of, datetime):
        return Instant(as_of)
    if isinstance(as_of, date):
        return Instant(datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC), Precision.DAY)
    if isinstance(as_of, str) and as_of.strip():
        return parse_instant(as_of, what="--as-of")
    times = [o.observed_at.at for o in ws.list_observations(site=site.id)]
    times += [c.reported_at.at for c in read_claims(ws, site) if c.reported_at]
    latest = max(times) if times else datetime.now(UTC)
    return Instant(datetime(latest.year, latest.month, latest.day, tzinfo=UTC), Precision.DAY)


def _gaps(inputs: SiteInputs, snaps: Snapshots, results: list[IndicatorResult], ctx: Context) -> list[dict[str, Any]]:
    day = inputs.as_of_day
    stale = int(ctx.settings.get("stale_days", 3))
    recent = int(ctx.settings.get("recent_days", 4))
    gaps: list[dict[str, Any]] = []
    imagery_days = [d for d in snaps.days if d <= day]
    if not imagery_days:
        gaps.append({"kind": "no_imagery", "subject": inputs.site.id, "last_seen": None,
                     "text": f"No imagery or observations of {inputs.site.name} up to {day}."})
    for z in inputs.site.zones:
        if z.kind not in WATCHED_ZONE_KINDS:
            continue
        last = snaps.last_seen(z.id, day)
        if last is None and imagery_days:
            gaps.append({"kind": "zone_not_seen", "subject": z.id, "last_seen": None,
                         "text": f"We have no image of the {z.name} up to {day}."})
        elif last is not None and (day - last).days > stale:
            gaps.append({"kind": "zone_not_seen", "subject": z.id, "last_seen": last.isoformat(),
                         "text": f"We have not seen the {z.name} since {_day_text(last)}."})
        for d in sorted(d for d in snaps.days if day - timedelta(days=recent) <= d <= day):
            ev = snaps.clouded.get((d, z.id))
            if ev and not snaps.covered(d, z.id):
                gaps.append({"kind": "cloud", "subject": z.id, "last_seen": last.isoformat() if last else None,
                             "evidence": sorted(ev),
                             "text": f"Cloud or no-data hid the {z.name} on {d} ({', '.join(sorted(ev))})."})
    if not snaps.tracks:
        gaps.append({"kind": "no_tracks", "subject": inputs.site.id, "last_seen": None,
                     "text": "No flight or vessel track data for the site; many military aircraft and ships do "
                             "not transmit, so missing tracks say nothing about activity."})
    start = day - timedelta(days=int(ctx.settings.get("claim_days", 14)))
    if not any(c.when and start <= c.when.date() <= day for c in inputs.claims):
        gaps.append({"kind": "no_reporting", "subject": inputs.site.id, "last_seen": None,
                     "text": f"No reporting about the site between {start} and {day}."})
    if inputs.undated_claims:
        gaps.append({"kind": "undated_claims", "subject": inputs.site.id, "last_seen": None,
                     "text": f"{inputs.undated_claims} claim(s) without event or report time were left out."})
    defs = {d.id: d for d in ctx.config.indicators}
    for r in results:
        d = defs.get(r.id)
        if r.value == UNKNOWN and d is not None and (d.if_true or d.if_false) and r.kind != "claim":
            gaps.append({"kind": "indicator_unknown", "subject": r.id, "last_seen": None,
                         "text": f"Unknown: {r.label} ({r.detail})." if r.detail else f"Unknown: {r.label}."})
    return gaps


def _confidence(rows: list[Row], results: list[IndicatorResult], scores: list[HypothesisScore],
                snaps: Snapshots, inputs: SiteInputs, ctx: Context,
                sens: list[dict[str, Any]]) -> tuple[str, list[str]]:
    kinds = {r.id: r.kind for r in results}
    observed = [r for r in rows if kinds.get(r.indicator) in ("imagery", "track")]
    cfg = ctx.settings
    points, reasons = 0, []
    if len(observed) >= int(cfg["confidence_many_observed"]):
        points += 1
        reasons.append(f"{len(observed)} observed indicators bear on the question")
    elif len(observed) <= 1:
        points -= 1
        reasons.append("no observed indicator bears on the question" if not observed
                       else "only one observed indicator bears on the question")
    else:
        reasons.append(f"{len(observed)} observed indicators bear on the question")
    days = [d for d in snaps.days if d <= inputs.as_of_day]
    stale = int(ctx.settings.get("stale_days", 3))
    if not days or (inputs.as_of_day - max(days)).days > stale:
        points -= 1
        reasons.append("the latest imagery is " + (f"from {max(days)}" if days else "missing"))
    ranked = sorted((s.probability for s in scores), reverse=True)
    margin = ranked[0] - ranked[1] if len(ranked) > 1 else 1.0
    if margin >= float(cfg["confidence_wide_margin"]):
        points += 1
        reasons.append("the leading hypothesis is well ahead of the next")
    elif margin < float(cfg["confidence_narrow_margin"]):
        points -= 1
        reasons.append("the leading hypothesis is close to the next")
    defs = {d.id: d for d in ctx.config.indicators}
    rated = [r for r in results if defs[r.id].if_true or defs[r.id].if_false]
    unknown = [r for r in rated if r.value == UNKNOWN and r.kind != "claim"]
    if rated and len(unknown) / len(rated) >= float(cfg["confidence_unknown_share"]):
        points -= 1
        reasons.append(f"{len(unknown)} of {len(rated)} indicators could not be evaluated")
    if rows and not observed:
        points -= 1
        reasons.append("the evidence is reporting, not observation")
    if any(s["change"] in ("removed", "reversed") for s in sens):
        points -= 1
        reasons.append("a single item, removed or reversed, would change the conclusion")
    level = ("high" if points >= int(cfg["confidence_high_points"])
             else "low" if points <= int(cfg["confidence_low_points"]) else "moderate")
    return level, reasons


def _as_of_text(as_of: Instant) -> str:
    return _day_text(as_of.at.date()) if as_of.precision != Precision.SECOND else str(as_of)


def _no_judgement(site: Site, as_of: Instant, gaps: list[dict[str, Any]], confidence: str,
                  reasons: list[str]) -> list[str]:
    """What is said when nothing observed, tracked or reported bears on the hypotheses: no headline, only what
    is missing."""
    out = [f"As of {_as_of_text(as_of)}, there is no judgement yet on {site.name}: no observed, tracked or "
           "reported indicator bears on the hypotheses."]
    out += [g["text"] for g in gaps[:4]]
    out.append(f"We have {confidence} confidence: {'; '.join(reasons)}.")
    return out


def _judgements(site: Site, as_of: Instant, scores: list[HypothesisScore], lead: HypothesisScore, rows: list[Row],
                results: list[IndicatorResult], contradictions: list[dict[str, Any]], gaps: list[dict[str, Any]],
                sens: list[dict[str, Any]], confidence: str, reasons: list[str], config: AssessConfig,
                tied: list[str]) -> list[str]:
    by_id = {r.id: r for r in results}
    hyp = config.hypothesis(lead.id)
    day = _as_of_text(as_of)
    if tied:
        names = " and ".join(config.hypothesis(h).label.lower() for h in [lead.id, *tied])
        out = [f"As of {day}, {names} at {site.name} are about equally likely ({lead.likelihood}, "
               f"{likelihood_range(lead.likelihood)}): the evidence does not tell them apart."]
    else:
        out = [f"As of {day}, {_estimate(hyp.statement.format(site=site.name), lead.likelihood)} "
               f"({likelihood_range(lead.likelihood)})."]
    others = [s for s in sorted(scores, key=lambda s: -s.probability) if s.id != lead.id and s.id not in tied]
    if others:
        out.append("The alternatives: " + "; ".join(
            f"{config.hypothesis(s.id).label.lower()} {s.likelihood} ({likelihood_range(s.likelihood)})"
            for s in others) + ".")

    def lean(r: Row) -> float:
        mine = config.ratings[r.ratings[lead.id]]
        rest = [config.ratings[v] for k, v in r.ratings.items() if k != lead.id]
        return r.weight * (mine - sum(rest) / max(1, len(rest)))

    def cite(r: Row) -> str:
        res = by_id[r.indicator]
        label = r.label if r.value else f"no {r.label}" if res.kind == "claim" else f"no sign of {r.label}"
        when = f"{res.when}, " if res.when else ""
        ev = ", ".join(r.evidence[:3]) or "no evidence id"
        return f"{label} ({when}{ev})"

    observed = {r.id for r in results if r.kind != "claim"}
    support = sorted((r for r in rows if lean(r) > 0), key=lean, reverse=True)
    strongest = [r for r in support if r.indicator in observed][:6]
    if strongest:
        out.append("The strongest evidence: " + "; ".join(cite(r) for r in strongest) + ".")
    reports = [r for r in support if r.indicator not in observed][:3]
    if reports:
        out.append("Reporting that agrees: " + "; ".join(cite(r) for r in reports) + ".")
    against = sorted((r for r in rows if config.ratings[r.ratings[lead.id]] < 0), key=lambda r: -r.weight)[:3]
    if against:
        out.append(f"Against {hyp.label.lower()}: " + "; ".join(cite(r) for r in against) + ".")
    for c in [c for c in contradictions if c["against"]["kind"] == "observation"][:3]:
        cl = c["claim"]
        quote = f" \u201c{cl['quote']}\u201d" if cl.get("quote") else ""
        out.append(f"{cl['speaker']} ({cl['source']}) said{quote} ({cl['reported_time'] or cl['event_time']}), "
                   f"which the observations contradict: {c['against']['summary']}.")
    n_claims = sum(1 for c in contradictions if c["against"]["kind"] == "claim")
    if n_claims:
        out.append(f"{n_claims} pair(s) of reports contradict each other (listed under contradictions).")
    for g in [g for g in gaps if g["kind"] in ("zone_not_seen", "cloud", "no_imagery")][:3]:
        out.append(g["text"])
    changes = [s for s in sens if s["change"] in ("removed", "reversed")]
    if changes:
        out.append("The conclusion hangs on: " + "; ".join(
            f"{s['label']} (if {s['change']}, {config.hypothesis(s['leading']).label.lower()} would lead)"
            for s in changes[:3]) + ".")
    elif rows:
        out.append("No single item, removed or reversed, changes the leading hypothesis.")
    out.append(f"We have {confidence} confidence in this assessment: {'; '.join(reasons)}.")
    return out


def _store(ws: Workspace, assessment: SiteAssessment) -> None:
    record = Assessment.from_dict(json.loads(json.dumps(assessment.to_dict(), default=str)))  # plain JSON only
    with ws.transaction() as conn:
        write_assessment(conn, record)


def assess_site(ws: Workspace, site: str | Site, as_of: str | datetime | date | Instant | None = None, *,
                store: bool = True, config: AssessConfig | None = None) -> SiteAssessment:
    """Assess a site as of a date (default: the day of its latest observation or report).

    Reads the site's observations and claims known by then, evaluates the indicators (built-in definitions
    overridden by `<workspace>/indicators.yaml` and `hypotheses.yaml`), scores the hypotheses, finds
    contradictions and gaps, and writes the judgements. Missing inputs (no claims, no tracks, no imagery) leave
    the indicators that need them "unknown". Stored in the workspace unless `store=False`.
    """
    site_obj = site if isinstance(site, Site) else ws.site(site)
    config = config or load_config(ws.root)
    when = resolve_as_of(ws, site_obj, as_of)
    inputs = read_inputs(ws, site_obj, when)
    snaps = Snapshots(site_obj, inputs.observations, ws.catalog, config.settings)
    ctx = Context(inputs, snaps, config)
    results = evaluate_all(ctx, site_obj.kind)
    contradictions = against_observations(results, config, ctx)
    if ctx.contradicted:  # contradicted claims weigh less: evaluate the indicators again
        results = evaluate_all(ctx, site_obj.kind)
    contradictions += between_claims(config, ctx)
    rows = build_matrix(results, config)
    scores = score(rows, config)
    lead = leading(scores)
    sens = sensitivity(rows, results, config)
    gaps = _gaps(inputs, snaps, results, ctx)
    level, reasons = _confidence(rows, results, scores, snaps, inputs, ctx, sens)
    judged = bool(rows)
    margin = float(config.settings.get("tie_margin", 0.03))
    tied = [s.id for s in sorted(scores, key=lambda s: -s.probability)
            if s.id != lead.id and lead.probability - s.probability < margin] if judged else []
    if judged:
        judgements = _judgements(site_obj, when, scores, lead, rows, results, contradictions, gaps, sens, level,
                                 reasons, config, tied)
    else:
        judgements = _no_judgement(site_obj, when, gaps, level, reasons)
    out = SiteAssessment(site=site_obj, as_of=when, hypotheses=scores, leading=lead, confidence=level,
                     confidence_reasons=reasons, indicators=results, matrix=rows, contradictions=contradictions,
                     gaps=gaps, judgements=judgements, sensitivity=sens, config=config, judged=judged, tied=tied)
    if store:
        _store(ws, out)
    return out


def assessment_history(ws: Workspace, site: str | Site) -> list[Assessment]:
    """The stored assessments of a site, oldest as-of first: the history of the judgement."""
    return ws.assessments(site=site.id if isinstance(site, Site) else site)


__all__ = ["TERMS", "SiteAssessment", "assess_site", "assessment_history", "resolve_as_of"]
