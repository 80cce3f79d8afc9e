"""Analysis of Competing Hypotheses (Heuer): a matrix of items against hypotheses, scored by inconsistency.

Each known indicator is a row rated CC/C/N/I/II against each hypothesis (from its definition), weighted by its
credibility and its diagnosticity (how differently it is rated across the hypotheses: an item consistent with
everything weighs nothing). The least inconsistent hypothesis leads; probabilities for the ICD 203 terms come
from the weighted inconsistency (consistency breaks near-ties only). A sensitivity analysis removes or
reverses each row, and resolves each unknown indicator, to name the items the conclusion hangs on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from basewatch.assess.config import AssessConfig, IndicatorDef
from basewatch.assess.estimative import likelihood_term
from basewatch.assess.indicators import UNKNOWN, IndicatorResult


@dataclass(frozen=True)
class Row:
    indicator: str
    label: str
    value: bool
    ratings: dict[str, str]
    credibility: float
    diagnosticity: float
    weight: float
    evidence: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "value": self.value, "ratings": dict(self.ratings),
                "credibility": round(self.credibility, 3), "diagnosticity": round(self.diagnosticity, 3),
                "weight": round(self.weight, 3), "evidence": list(self.evidence)}


@dataclass(frozen=True)
class HypothesisScore:
    id: str
    probability: float
    inconsistency: float
    consistency: float

    @property
    def likelihood(self) -> str:
        return likelihood_term(self.probability)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": round(self.probability, 3), "likelihood": self.likelihood,
                "inconsistency": round(self.inconsistency, 3), "consistency": round(self.consistency, 3)}


def _row(defn: IndicatorDef, res: IndicatorResult, value: bool, config: AssessConfig,
         credibility: float | None = None) -> Row | None:
    rated = defn.if_true if value else defn.if_false
    if not rated:
        return None
    ratings = {h.id: rated.get(h.id, "N") for h in config.hypotheses}
    llr = [config.ratings[r] for r in ratings.values()]
    span = max(config.ratings.values()) - min(config.ratings.values())
    diag = (max(llr) - min(llr)) / span if span > 0 else 0.0
    cred = res.credibility if credibility is None else credibility
    return Row(defn.id, res.label, value, ratings, cred, diag, cred * diag * defn.weight, tuple(res.evidence))


def build_matrix(results: list[IndicatorResult], config: AssessConfig) -> list[Row]:
    defs = {d.id: d for d in config.indicators}
    rows = []
    for res in results:
        if res.value == UNKNOWN or res.id not in defs:
            continue
        row = _row(defs[res.id], res, bool(res.value), config)
        if row is not None and row.weight > 0:
            rows.append(row)
    return rows


def score(rows: list[Row], config: AssessConfig) -> list[HypothesisScore]:
    """Scores in the configured hypothesis order; probabilities sum to 1."""
    beta, gamma = float(config.scoring.get("beta", 2.0)), float(config.scoring.get("gamma", 0.1))
    raw = []
    for h in config.hypotheses:
        inc = sum(r.weight * max(0.0, -config.ratings[r.ratings[h.id]]) for r in rows)
        con = sum(r.weight * max(0.0, config.ratings[r.ratings[h.id]]) for r in rows)
        raw.append((h, inc, con))
    logits = [math.log(h.prior) + beta * (-inc + gamma * con) for h, inc, con in raw]
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return [HypothesisScore(h.id, e / total, inc, con) for (h, inc, con), e in zip(raw, exps, strict=True)]


def leading(scores: list[HypothesisScore]) -> HypothesisScore:
    return max(scores, key=lambda s: s.probability)


def sensitivity(rows: list[Row], results: list[IndicatorResult], config: AssessConfig) -> list[dict[str, Any]]:
    """Items whose removal or reversal, and unknowns whose resolution, would change the leading hypothesis."""
    base = leading(score(rows, config)).id
    defs = {d.id: d for d in config.indicators}
    by_id = {r.id: r for r in results}
    out: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        rest = rows[:i] + rows[i + 1:]
        new = leading(score(rest, config)).id
        if new != base:
            out.append({"indicator": row.indicator, "label": row.label, "change": "removed", "leading": new})
        flipped = _row(defs[row.indicator], by_id[row.indicator], not row.value, config, row.credibility)
        new = leading(score(rest + ([flipped] if flipped else []), config)).id
        if new != base:
            out.append({"indicator": row.indicator, "label": row.label, "change": "reversed", "leading": new})
    for res in results:
        if res.value != UNKNOWN or res.id not in defs:
            continue
        for value in (True, False):
            added = _row(defs[res.id], replace(res, credibility=0.8), value, config)
            if added is None:
                continue
            new = leading(score(rows + [added], config)).id
            if new != base:
                out.append({"indicator": res.id, "label": res.label, "change": f"resolved {str(value).lower()}",
                            "leading": new})
    return out
