"""Contradictions: claims that the observations contradict, and claims that contradict each other.

Each is listed with both sides and their sources, so that an analyst can see who says what against what. One
statement repeated by several outlets is listed once, through its original speaker, with the number of
reports; two claims of one text never contradict each other, and two claims contradict each other only about
the same days (`claim_pair_days`) -- "staying" on the 5th and "leaving" on the 14th is a change, not a
contradiction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from basewatch.assess.config import AssessConfig
from basewatch.assess.indicators import Context, IndicatorResult, claim_key, effective_state
from basewatch.assess.inputs import SourcedClaim

GONE = {"ABSENT", "DEPARTED", "WITHDRAWN"}


def _claims_in_window(ctx: Context) -> list[SourcedClaim]:
    start = ctx.day - timedelta(days=int(ctx.settings.get("claim_days", 14)))
    return [c for c in ctx.inputs.claims if c.when is not None and start <= c.when.date() <= ctx.day
            and c.stance != "speculative"]


def _claim_side(c: SourcedClaim, ctx: Context) -> dict[str, Any]:
    d = c.to_dict()
    d["credibility"] = round(ctx.claim_credibility(c), 3)
    return d


def _about(c: SourcedClaim, subjects: tuple[str, ...], ctx: Context) -> bool:
    """Whether a claim is about one of the subjects: its type's category, or a word of its subject text."""
    if not subjects:
        return True
    known = ctx.snaps.catalog.equipment.get(c.equipment_type_id or "")
    category = known.category if known else ""
    text = f" {c.subject.lower()} "
    return any(category.startswith(s) or f" {s}" in text for s in subjects)


def _statement_key(c: SourcedClaim) -> tuple[str, str | None, str]:
    """What makes two reports one statement: the original speaker, the state and the day it is about."""
    day = c.when.date().isoformat() if c.when else ""
    return (c.who.strip().lower(), effective_state(c), day)


def _once_per_statement(found: list[tuple[SourcedClaim, dict[str, Any]]], ctx: Context) -> list[dict[str, Any]]:
    """One entry per statement (the most credible report of it), counting the reports behind it."""
    groups: dict[tuple[str, str | None, str], list[tuple[SourcedClaim, dict[str, Any]]]] = {}
    for c, entry in found:
        groups.setdefault(_statement_key(c), []).append((c, entry))
    out = []
    for items in groups.values():
        best = max(items, key=lambda it: ctx.claim_credibility(it[0]))[1]
        best["claim"]["reports"] = len(items)
        best["claim"]["report_evidence"] = list(dict.fromkeys(c.evidence_id for c, _ in items))
        out.append(best)
    return out


def against_observations(results: list[IndicatorResult], config: AssessConfig, ctx: Context) -> list[dict[str, Any]]:
    """Claims in the window against indicators whose value contradicts them (per the configured rules), once
    per statement."""
    by_id = {r.id: r for r in results}
    found: list[tuple[SourcedClaim, dict[str, Any]]] = []
    for c in _claims_in_window(ctx):
        state = effective_state(c)
        if state is None:
            continue
        claim_day = c.when.date() if c.when else ctx.day
        for rule in config.contradictions:
            if state not in rule.claim_states or not _about(c, rule.subjects, ctx):
                continue
            last = claim_day + timedelta(days=rule.max_days if rule.max_days is not None else 10_000)
            hits = [by_id[iid] for iid, value in rule.against
                    if iid in by_id and by_id[iid].value is value and by_id[iid].when is not None
                    and claim_day - timedelta(days=1) <= by_id[iid].when <= last]
            if not hits:
                continue
            labels = [(h.label if h.value is True else f"no sign of {h.label}") for h in hits]
            found.append((c, {
                "claim": _claim_side(c, ctx),
                "against": {"kind": "observation", "indicators": [h.id for h in hits], "summary": "; ".join(labels),
                            "evidence": list(dict.fromkeys(e for h in hits for e in h.evidence)),
                            "sources": sorted({ctx.inputs.evidence[e].source_id or "" for h in hits
                                               for e in h.evidence if e in ctx.inputs.evidence} - {""}),
                            "date": max(h.when for h in hits if h.when).isoformat()},
                "explanation": f"{c.who} ({c.source_name}, grade {c.grade}) said {state} on {claim_day}; "
                               f"{rule.explanation}: {'; '.join(labels)}.",
            }))
            ctx.contradicted.add(c.id)
            break
    return _once_per_statement(found + _equipment_contradictions(ctx), ctx)


def _equipment_contradictions(ctx: Context) -> list[tuple[SourcedClaim, dict[str, Any]]]:
    """A claim that a type is gone, against later imagery that still shows it."""
    out: list[tuple[SourcedClaim, dict[str, Any]]] = []
    for c in _claims_in_window(ctx):
        if effective_state(c) not in GONE or not c.equipment_type_id or c.when is None:
            continue
        later = [o for o, _, _, type_id in ctx.snaps.detections
                 if type_id == c.equipment_type_id and o.observed_at.at.date() >= c.when.date()
                 and o.state not in ("not_seen", "departed", "moving")]
        if not later:
            continue
        last = max(later, key=lambda o: o.observed_at.at)
        evidence = list(dict.fromkeys(o.evidence_id or f"obs-{o.id}" for o in later))
        out.append((c, {
            "claim": _claim_side(c, ctx),
            "against": {"kind": "observation", "indicators": [], "evidence": evidence,
                        "summary": f"{c.equipment_type_id} seen on {last.observed_at}",
                        "sources": sorted({ctx.inputs.evidence[e].source_id or "" for e in evidence
                                           if e in ctx.inputs.evidence} - {""}),
                        "date": last.observed_at.at.date().isoformat()},
            "explanation": f"{c.who} said {c.equipment_type_id} was {effective_state(c)} on {c.when.date()}, but "
                           f"imagery on {last.observed_at} still shows it.",
        }))
        ctx.contradicted.add(c.id)
    return out


def between_claims(config: AssessConfig, ctx: Context, limit: int = 12) -> list[dict[str, Any]]:
    """Pairs of claims from different speakers and texts, about the same days, whose states conflict; one pair
    per pair of statements."""
    claims = _claims_in_window(ctx)
    near = timedelta(days=int(ctx.settings.get("claim_pair_days", 2)))
    events: dict[str, SourcedClaim] = {}
    for c in claims:  # one representative (the most credible report) per event
        key = c.event_key or f"claim-{c.id}"
        if key not in events or ctx.claim_credibility(c) > ctx.claim_credibility(events[key]):
            events[key] = c
    reps = list(events.values())
    pairs = []
    for i, a in enumerate(reps):
        for b in reps[i + 1:]:
            if claim_key(a) == claim_key(b) or a.evidence_id == b.evidence_id:
                continue
            if a.when is None or b.when is None or abs(a.when - b.when) > near:
                continue
            if a.equipment_type_id and b.equipment_type_id and a.equipment_type_id != b.equipment_type_id:
                continue
            sa, sb = a.state, b.state
            negation = sa == sb and sa is not None and (a.stance == "negated") != (b.stance == "negated")
            ea, eb = effective_state(a), effective_state(b)
            conflict = negation or any((ea in x and eb in y) or (ea in y and eb in x)
                                       for x, y in config.claim_conflicts)
            if conflict:
                pairs.append((ctx.claim_credibility(a) * ctx.claim_credibility(b), a, b))
    pairs.sort(key=lambda t: -t[0])
    out, done = [], set()
    for _, a, b in pairs:
        key = frozenset((_statement_key(a), _statement_key(b)))
        if key in done:
            continue
        done.add(key)
        if len(out) >= limit:
            break
        first, second = sorted((a, b), key=lambda c: -ctx.claim_credibility(c))
        side = _claim_side(second, ctx)
        side["kind"] = "claim"
        side["summary"] = f"{second.who}: {effective_state(second)}"
        out.append({"claim": _claim_side(first, ctx), "against": side,
                    "explanation": f"{first.who} ({first.source_name}, grade {first.grade}) reports "
                                   f"{effective_state(first)}, while {second.who} ({second.source_name}, grade "
                                   f"{second.grade}) reports {effective_state(second)}."})
    return out
