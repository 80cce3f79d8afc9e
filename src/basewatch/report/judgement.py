"""An assessment record shaped for reading: ranked hypotheses, the ACH matrix, sides of each contradiction.
Shared by the dashboard and the brief; rows stored by older versions lack some fields."""

from __future__ import annotations

from typing import Any

from basewatch.model import Assessment

HYPOTHESIS_LABELS = {"withdrawal": "Full withdrawal", "drawdown": "Partial drawdown", "status-quo": "Status quo",
                     "reinforcement": "Reinforcement"}



def _side(value: Any) -> dict[str, Any]:
    """One side of a contradiction (a claim or an observation summary, or plain text) for the page."""
    if isinstance(value, dict):
        text = value.get("quote") or value.get("summary") or value.get("text") or value.get("subject") or ""
        who = value.get("speaker") or value.get("source")
        ev = value.get("evidence")
        return {"text": str(text), "who": who, "state": value.get("state"), "grade": value.get("grade"),
                "evidence": [ev] if isinstance(ev, str) else list(ev or [])}
    return {"text": "" if value is None else str(value), "who": None, "state": None, "grade": None,
            "evidence": []}


def judgement_view(assessment: Assessment | None) -> dict[str, Any] | None:
    """An assessment shaped for the page: hypotheses ranked, and the ACH matrix of ratings."""
    if assessment is None:
        return None
    r = assessment.to_dict()
    hyps = sorted(r.get("hypotheses") or [], key=lambda h: -(h.get("score") or 0))
    hyp_ids = [h.get("id") for h in hyps]
    matrix = {m.get("indicator"): m for m in r.get("matrix") or [] if isinstance(m, dict)}
    rows = []
    for ind in r.get("indicators") or []:
        m = matrix.get(ind.get("id"), {})
        ratings = m.get("ratings") or {}
        rows.append({"id": ind.get("id"), "label": ind.get("label") or ind.get("id"),
                     "detail": ind.get("detail"), "value": ind.get("value"),
                     "evidence": [e for e in ind.get("evidence") or [] if isinstance(e, str)],
                     "weight": m.get("weight"),
                     "ratings": [ratings.get(h) if isinstance(ratings, dict) else None for h in hyp_ids]})
    labels = dict(HYPOTHESIS_LABELS)
    labels.update({h.get("id"): h.get("label") for h in hyps if h.get("label")})
    return {"as_of": r["as_of"], "leading": r.get("leading") or {}, "confidence": r.get("confidence"),
            "hypotheses": [{**h, "label": labels.get(h.get("id"), h.get("id"))} for h in hyps],
            "indicators": rows, "has_ratings": any(any(x is not None for x in row["ratings"]) for row in rows),
            "contradictions": [{"claim": _side(c.get("claim")), "against": _side(c.get("against")),
                                "explanation": c.get("explanation") or ""} for c in r.get("contradictions") or []],
            "gaps": [g["text"] for g in r["gaps"]], "judgements": r.get("judgements") or [], "labels": labels}
