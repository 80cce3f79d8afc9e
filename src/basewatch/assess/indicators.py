"""Evaluate the indicator definitions on a site's snapshots, tracks and claims as of a date.

Every value is true, false or "unknown" with the evidence ids behind it and a credibility 0..1 built from the
source's reliability grade, the information's credibility (corroboration, stance) and the detector's confidence.
An indicator about an area that was not seen is "unknown", never false.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any

from basewatch.assess.config import AssessConfig, IndicatorDef
from basewatch.assess.inputs import SiteInputs, SourcedClaim
from basewatch.assess.snapshots import SITE_ZONE, Snapshots, matches

UNKNOWN = "unknown"
Value = bool | str

# A negated claim means the opposite state, where there is one; otherwise it is not used as an indicator.
NEGATION = {"WITHDRAWING": "NOT_WITHDRAWING", "WITHDRAWN": "NOT_WITHDRAWING", "PLANNED_WITHDRAWAL": "NOT_WITHDRAWING",
            "NOT_WITHDRAWING": "WITHDRAWING", "PRESENT": "ABSENT", "ABSENT": "PRESENT", "DEPARTED": "PRESENT",
            "REINFORCING": "UNCHANGED"}


def effective_state(claim: SourcedClaim) -> str | None:
    if claim.state is None:
        return None
    if claim.stance == "negated":
        return NEGATION.get(claim.state)
    return claim.state


@dataclass
class IndicatorResult:
    id: str
    label: str
    value: Value
    evidence: list[str] = field(default_factory=list)
    detail: str = ""
    credibility: float = 0.0
    kind: str = "imagery"  # imagery | track | claim
    when: date | None = None  # the latest date behind the value
    claims: list[SourcedClaim] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "value": self.value, "evidence": list(self.evidence),
                "detail": self.detail, "credibility": round(self.credibility, 3), "kind": self.kind,
                "date": self.when.isoformat() if self.when else None}


class Context:
    """Everything an indicator test reads."""

    def __init__(self, inputs: SiteInputs, snaps: Snapshots, config: AssessConfig):
        self.inputs = inputs
        self.snaps = snaps
        self.config = config
        self.settings = config.settings
        self.cred = config.credibility
        self.day = inputs.as_of_day
        self.contradicted: set[int] = set()

    def grade_factor(self, evidence_id: str | None) -> float:
        grade = self.inputs.grade_of(evidence_id)
        if grade is None:
            return float(self.cred.get("no_source", 0.5))
        return float(self.cred["reliability"].get(grade, 0.25))

    def claim_credibility(self, c: SourcedClaim) -> float:
        cred = float(self.cred["reliability"].get(c.grade, 0.25))
        cred *= float(self.cred["stance"].get(c.stance, 0.5))
        if c.anonymous:
            cred *= float(self.cred.get("anonymous", 0.8))
        cred *= c.confidence if c.confidence is not None else float(self.cred.get("default_confidence", 0.8))
        if c.id in self.contradicted:
            cred *= float(self.cred.get("contradicted_claim", 0.5))
        return cred

    def obs_credibility(self, evidence_ids: list[str], confidences: list[float | None]) -> float:
        evs = [e for e in evidence_ids if not e.startswith("obs-")] or [None]  # type: ignore[list-item]
        grade = sum(self.grade_factor(e) for e in evs) / len(evs)
        default = float(self.cred.get("default_confidence", 0.8))
        confs = [c if c is not None else default for c in confidences] or [default]
        return grade * (sum(confs) / len(confs))


def _days(spec: dict[str, Any], key: str, ctx: Context) -> int:
    return int(spec.get(key, ctx.settings.get(key, 4)))


def _partial_lower_bounds(snaps: Snapshots, zones: list[str], start: date, day: date, sel: tuple[Any, ...],
                          per_zone: dict[str, tuple[date | None, float | None, list[date]]],
                          ) -> dict[tuple[str, date], float]:
    """Per zone, the largest count on a recent day when only part of it was seen (zones seen whole that day
    are left out: their count is not a bound but the count)."""
    out: dict[tuple[str, date], float] = {}
    for z in zones:
        partial = [d for d in snaps.covered_days(z, start, day, partial=True) if not snaps.covered(d, z)]
        best = max(partial, key=lambda d: snaps.count(d, z, *sel), default=None)
        if best is None:
            continue
        n = snaps.count(best, z, *sel)
        whole = per_zone.get(z, (None, None, []))[0]
        if whole is not None and snaps.count(whole, z, *sel) >= n:
            continue
        out[(z, best)] = n
    return out


def _seen_text(snaps: Snapshots, bounds: dict[tuple[str, date], float]) -> str:
    parts = []
    for (z, d), n in bounds.items():
        frac = snaps.seen_fraction(d, z)
        share = f"{frac:.0%} of " if frac is not None else "part of "
        parts.append(f"{n:g} in {share}{snaps.zone_name.get(z, z)} on {d}")
    return "; ".join(parts)


def _count(spec: dict[str, Any], ctx: Context, label: str) -> IndicatorResult:
    snaps, day = ctx.snaps, ctx.day
    recent, window = _days(spec, "recent_days", ctx), _days(spec, "baseline_days", ctx)
    sel = (spec.get("categories"), spec.get("types"), spec.get("exclude_categories"))
    filtered = bool(spec.get("zone_kinds") or spec.get("zones"))
    zones = snaps.zones(spec.get("zone_kinds"), spec.get("zones")) if filtered else snaps.zones()
    rstart, bstart = day - timedelta(days=recent), day - timedelta(days=window)
    per_zone: dict[str, tuple[date | None, float | None, list[date]]] = {}
    for z in zones:
        latest_days = snaps.covered_days(z, rstart, day)
        latest = latest_days[-1] if latest_days else None
        base_days = snaps.covered_days(z, bstart, rstart - timedelta(days=1))
        if not base_days and latest is not None:
            base_days = snaps.covered_days(z, bstart, latest - timedelta(days=1))
        base = median(snaps.count(d, z, *sel) for d in base_days) if base_days else None
        per_zone[z] = (latest, base, base_days)
    if filtered:
        relevant = [z for z, (lt, b, _) in per_zone.items() if lt is not None or b is not None]
    else:
        relevant = [z for z, (lt, b, _) in per_zone.items()
                    if (b or 0) > 0 or (lt is not None and snaps.count(lt, z, *sel) > 0)]
    res = IndicatorResult(id="", label=label, value=UNKNOWN, kind="imagery")
    if not relevant and spec["compare"] != "present":  # a partial sighting can still show presence
        res.detail = "no covered image of the relevant zones in the baseline or recent window"
        return res
    seen = [z for z in relevant if per_zone[z][0] is not None]
    covered = [z for z in seen if per_zone[z][1] is not None]
    total_base = sum(per_zone[z][1] or 0 for z in relevant)
    latest_sum = sum(snaps.count(per_zone[z][0], z, *sel) for z in seen)  # type: ignore[arg-type]
    latest_dates = sorted({per_zone[z][0] for z in seen})  # type: ignore[type-var]
    evidence: list[str] = []
    confs: list[float | None] = []
    for z in seen:
        evidence += snaps.evidence(per_zone[z][0], z, *sel)  # type: ignore[arg-type]
        confs += [i.confidence for i in snaps.items_on(per_zone[z][0], z, *sel)]  # type: ignore[arg-type]
    for z in covered:
        if per_zone[z][2]:
            evidence += snaps.evidence(per_zone[z][2][-1], z, *sel)
    res.evidence = list(dict.fromkeys(evidence))
    res.when = latest_dates[-1] if latest_dates else None
    res.credibility = ctx.obs_credibility(res.evidence, confs)
    missing = [snaps.zone_name.get(z, z) for z in relevant if z not in seen]
    compare = spec["compare"]
    if compare == "present":
        need = float(spec.get("min_count", 1))
        seen_base = sum(per_zone[z][1] or 0 for z in seen)
        partial = {z: snaps.covered_days(z, rstart, day, partial=True) for z in zones}
        sightings = {z: max((snaps.count(d, z, *sel) for d in ds[-1:]), default=0.0) for z, ds in partial.items()}
        if latest_sum < need and sum(sightings.values()) >= need:
            latest_sum = sum(sightings.values())
            latest_dates = sorted({ds[-1] for z, ds in partial.items() if ds and sightings[z] > 0})
            res.when = latest_dates[-1]
            for z, ds in partial.items():
                if ds and sightings[z] > 0:
                    res.evidence = list(dict.fromkeys(res.evidence + snaps.evidence(ds[-1], z, *sel)))
        if latest_sum >= need:
            res.value = True
        elif seen and (total_base == 0 or seen_base / total_base >= 0.5):
            res.value = False
        res.detail = f"{latest_sum:g} seen on {', '.join(map(str, latest_dates)) or 'no recent image'}"
    else:
        # a view of part of a zone is a lower bound on its count: it can show more than the baseline, never fewer
        lower = _partial_lower_bounds(snaps, [z for z in relevant if per_zone[z][1] is not None], rstart, day, sel,
                                      per_zone)
        if compare == "above" and lower:
            part_base = sum(per_zone[z][1] or 0 for z, _ in lower)
            part_thr = max(float(spec.get("min_delta", 1)), float(spec.get("ratio", 0.0)) * part_base)
            if sum(lower.values()) - part_base >= part_thr:
                res.value = True
                for z, d in lower:
                    res.evidence = list(dict.fromkeys(res.evidence + snaps.evidence(d, z, *sel)))
                res.when = max([d for _, d in lower] + ([res.when] if res.when else []))
                res.detail = (f"at least {sum(lower.values()):g} where the baseline had {part_base:g}, from a "
                              f"partial view ({_seen_text(snaps, lower)})")
                return res
        if not covered:
            res.detail = ("not covered in the last "
                          f"{recent} days" if not seen else "no earlier covered image for a baseline")
            if missing:
                res.detail += f" ({', '.join(missing)} not seen)"
            if lower:
                res.detail += f"; only part seen ({_seen_text(snaps, lower)}), which cannot show fewer"
            return res
        base_sum = sum(per_zone[z][1] or 0 for z in covered)
        latest_cov = sum(snaps.count(per_zone[z][0], z, *sel) for z in covered)  # type: ignore[arg-type]
        if total_base > 0 and base_sum / total_base < 0.5:
            res.detail = f"zones holding most of the baseline were not seen recently: {', '.join(missing)}"
            return res
        thr = max(float(spec.get("min_delta", 1)), float(spec.get("ratio", 0.0)) * base_sum)
        if compare == "above":
            res.value = latest_cov - base_sum >= thr
        elif compare == "below":
            res.value = base_sum - latest_cov >= thr
        else:
            res.value = base_sum > 0 and abs(latest_cov - base_sum) < thr
        n_base = max(len(per_zone[z][2]) for z in covered)
        res.detail = (f"{latest_cov:g} on {', '.join(map(str, latest_dates))} against a baseline of {base_sum:g} "
                      f"(median of {n_base} earlier image date{'s' if n_base != 1 else ''})")
        if missing:
            res.detail += f"; not seen recently: {', '.join(missing)}"
        if n_base < 2:
            res.credibility *= 0.85
    return res


def _state(spec: dict[str, Any], ctx: Context, label: str) -> IndicatorResult:
    """Items of the selected types in one of the states, from detections and from inventory state counts."""
    day = ctx.day
    start = day - timedelta(days=_days(spec, "within_days", ctx) if "within_days" in spec
                            else _days(spec, "recent_days", ctx))
    states = set(spec["states"])
    min_score = float(spec.get("min_state_score", ctx.settings.get("min_state_score", 0.5)))
    zones = set(ctx.snaps.zones(spec.get("zone_kinds"), spec.get("zones"))) \
        if spec.get("zone_kinds") or spec.get("zones") else None
    window = _days(spec, "baseline_days", ctx)
    bstart, bend = day - timedelta(days=window), start - timedelta(days=1)

    def scan(lo: date, hi: date) -> tuple[list[tuple[Any, int]], list[tuple[Any, int, str]]]:
        seen: list[tuple[Any, int]] = []
        hits: list[tuple[Any, int, str]] = []
        for o, zone, cat, type_id, src in rows:
            d = o.observed_at.at.date()
            if not (lo <= d <= hi) or (zones is not None and zone not in zones):
                continue
            if not matches(cat, type_id, spec.get("categories"), spec.get("types"), spec.get("exclude_categories")):
                continue
            if o.state == "not_seen":
                continue
            attrs = o.attributes or {}
            what = type_id or (attrs.get("type") if isinstance(attrs.get("type"), str) else None)
            what = what or attrs.get("class") or cat or "item"
            if src == "inv":  # an inventory row: how many of its members were in each state
                n_seen = o.count
                if n_seen <= 0:
                    continue
                seen.append((o, n_seen))
                counts = attrs.get("states") or {}
                n = sum(int(v) for k, v in counts.items() if k in states and isinstance(v, (int, float)))
                if n > 0:
                    hits.append((o, n, f"{what} {next(k for k in counts if k in states)}"))
                continue
            seen.append((o, o.count))
            scores = attrs.get("states") or {}
            if o.state in states or any(isinstance(scores.get(s), (int, float)) and scores[s] >= min_score
                                        for s in states):
                st = o.state if o.state in states else next(s for s in states if (scores.get(s) or 0) >= min_score)
                hits.append((o, o.count, f"{what} {st}"))
        return seen, hits

    def per_day(hits: list[tuple[Any, int, str]], seen: list[tuple[Any, int]]) -> dict[date, int]:
        """Per day, the largest count from one evidence item (images of a day see the same items; an image's
        detections and its inventory too), never a sum over them; 0 on days items were seen but none in state."""
        per: dict[tuple[date, str], int] = {}
        for o, n, _ in hits:
            key = (o.observed_at.at.date(), f"{o.evidence_id or o.id}-{o.kind}")
            per[key] = per.get(key, 0) + n
        out: dict[date, int] = {o.observed_at.at.date(): 0 for o, _ in seen}
        for (d, _), n in per.items():
            out[d] = max(out.get(d, 0), n)
        return out

    rows = [(o, z, c, t, "det") for o, z, c, t in ctx.snaps.detections]
    rows += [(o, z, c, t, "inv") for o, z, c, t in ctx.snaps.inventories]
    seen, hits = scan(start, day)
    base_seen, base_hits = scan(bstart, bend) if spec.get("baseline", True) else ([], [])
    base_days = per_day(base_hits, base_seen)
    baseline = median(base_days.values()) if base_days else 0.0
    res = IndicatorResult(id="", label=label, value=UNKNOWN, kind="imagery")
    use = [h[0] for h in hits] or [o for o, _ in seen]
    res.evidence = list(dict.fromkeys(o.evidence_id or f"obs-{o.id}" for o in use))
    res.credibility = ctx.obs_credibility(res.evidence, [o.confidence for o in use])
    res.when = max((o.observed_at.at.date() for o in use), default=None)
    recent = per_day(hits, [])
    best_day = max(recent, key=lambda d: (recent[d], d)) if recent else None
    n = recent[best_day] if best_day else 0
    base_text = f" against {baseline:g} in that state before {start}" if base_days else ""
    if n >= int(spec.get("min_count", 1)) and n - baseline >= float(spec.get("min_delta", 1)):
        res.value = True
        kinds = sorted({h[2] for h in hits})
        res.detail = f"{n} seen on {best_day} ({', '.join(kinds)}){base_text}; latest {res.when}"
    elif seen:
        res.value = False
        res.detail = (f"{n} in state {'/'.join(sorted(states))} up to {res.when}{base_text}" if n else
                      f"items seen up to {res.when}, none in state {'/'.join(sorted(states))}")
    else:
        res.detail = f"none seen since {start}"
    return res


def _track(spec: dict[str, Any], ctx: Context, label: str) -> IndicatorResult:
    day = ctx.day
    start = day - timedelta(days=_days(spec, "within_days", ctx) if "within_days" in spec
                            else _days(spec, "recent_days", ctx))
    events = set(spec["events"])
    hits, any_tracks = [], False
    for o in ctx.snaps.tracks:
        d = o.observed_at.at.date()
        if not start <= d <= day:
            continue
        any_tracks = True
        attrs = o.attributes or {}
        if attrs.get("event") in events and (not spec.get("categories") or matches(
                attrs.get("category"), o.equipment_type_id, spec.get("categories"), spec.get("types"))):
            hits.append(o)
    res = IndicatorResult(id="", label=label, value=UNKNOWN, kind="track")
    res.evidence = list(dict.fromkeys(o.evidence_id or f"obs-{o.id}" for o in hits))
    res.credibility = ctx.obs_credibility(res.evidence, [o.confidence for o in hits])
    res.when = max((o.observed_at.at.date() for o in hits), default=None)
    if sum(o.count for o in hits) >= int(spec.get("min_count", 1)):
        res.value = True
        res.detail = f"{len(hits)} track event(s) ({', '.join(sorted(events))}) since {start}"
    elif any_tracks and spec.get("absence") == "false":
        res.value = False
    else:
        res.detail = "no such track event (missing tracks are not missing activity)"
    return res


def claim_key(c: SourcedClaim) -> str:
    """Claims from the same original speaker are not independent of each other."""
    return (c.who or c.source_id or str(c.id)).lower()


def _claim(spec: dict[str, Any], ctx: Context, label: str) -> IndicatorResult:
    day = ctx.day
    start = day - timedelta(days=_days(spec, "within_days", ctx) if "within_days" in spec
                            else _days(spec, "claim_days", ctx))
    states, kinds = set(spec["states"]), {k.lower() for k in spec.get("source_kinds") or ()}
    window = [c for c in ctx.inputs.claims if c.when is not None and start <= c.when.date() <= day]
    hits = []
    for c in window:
        if effective_state(c) not in states or ctx.claim_credibility(c) <= 0:
            continue
        if kinds and not (kinds & c.speaker_kinds):
            continue
        hits.append(c)
    res = IndicatorResult(id="", label=label, value=UNKNOWN, kind="claim")
    if hits:
        res.value = True
        best: dict[str, float] = {}
        for c in hits:
            best[claim_key(c)] = max(best.get(claim_key(c), 0.0), ctx.claim_credibility(c))
        miss = 1.0
        for v in best.values():
            miss *= 1.0 - v
        res.credibility = min(0.95, 1.0 - miss)
        res.evidence = list(dict.fromkeys(c.evidence_id for c in hits))
        res.claims = hits
        res.sources = {c.source_id or "" for c in hits}
        res.when = max(c.when.date() for c in hits if c.when)
        res.detail = "; ".join(f"{c.who} ({c.grade}, {c.stance}): \u201c{c.short_quote[:80]}\u201d" for c in hits[:3])
    elif window:
        res.value = False
        res.detail = f"no such claim among {len(window)} since {start}"
    else:
        res.detail = "no claims about the site in the window"
    return res


TESTS = {"count": _count, "state": _state, "track": _track, "claim": _claim}


def _evaluate_spec(test: str, spec: dict[str, Any], ctx: Context, label: str) -> IndicatorResult:
    if test != "any":
        return TESTS[test](spec, ctx, label)
    subs = [_evaluate_spec(s["test"], s, ctx, label) for s in spec["any_of"]]
    true = [s for s in subs if s.value is True]
    if true:
        best = max(true, key=lambda s: s.credibility)
        res = IndicatorResult(id="", label=label, value=True, kind=best.kind, credibility=best.credibility,
                              when=max((s.when for s in true if s.when), default=None),
                              claims=[c for s in true for c in s.claims])
        res.evidence = list(dict.fromkeys(e for s in true for e in s.evidence))
        res.detail = "; ".join(s.detail for s in true)
        return res
    if all(s.value is False for s in subs):
        known = max(subs, key=lambda s: s.credibility)
        return IndicatorResult(id="", label=label, value=False, kind=known.kind, credibility=known.credibility,
                               evidence=list(dict.fromkeys(e for s in subs for e in s.evidence)),
                               detail="; ".join(s.detail for s in subs), when=known.when)
    return IndicatorResult(id="", label=label, value=UNKNOWN, kind=subs[0].kind,
                           detail="; ".join(s.detail for s in subs if s.detail))


def evaluate(ind: IndicatorDef, ctx: Context) -> IndicatorResult:
    res = _evaluate_spec(ind.test, ind.params, ctx, ind.label)
    res.id = ind.id
    return res


def evaluate_all(ctx: Context, site_kind: str) -> list[IndicatorResult]:
    return [evaluate(i, ctx) for i in ctx.config.indicators if i.applies(site_kind)]


__all__ = ["SITE_ZONE", "UNKNOWN", "Context", "IndicatorResult", "effective_state", "evaluate", "evaluate_all"]
