"""Pixel cues for identification: the chip classifier's opinion as log-likelihood terms for the size rule.

The size rule stays in charge: the learned term is weighted below one, relative among the candidates, bounded,
and neutral for types the classifier was not trained on (a user's own catalog entries). So it can separate
look-alikes of one size (truck vs APC, launcher vs radar, Su-34 vs Su-35) without inventing a type the
dimensions rule out, and without turning a good size fit into "unknown".
"""

from __future__ import annotations

import math
from typing import Any

from basewatch.catalog import Catalog
from basewatch.imagery.chipclass import ChipModel, default_model

CUE_WEIGHT = 0.8
FLOOR = 1e-3
MAX_PENALTY = 4.0  # the cue may demote a type by at most this much log-likelihood


def cue_log_likelihoods(chip: Any, cls: str, type_ids: list[str], catalog: Catalog,
                        model: ChipModel | None = None) -> dict[str, float]:
    """Per-type log-likelihood terms (0 = no opinion) from the chip classifier."""
    model = model or default_model()
    if model is None:
        return {}
    proba = model.type_proba(chip, cls)
    if not proba:
        return {}
    raw = {t: CUE_WEIGHT * math.log(max(proba[t], FLOOR)) for t in type_ids if t in proba}
    if not raw:
        return {}
    # a type the classifier never saw gets the candidates' average opinion: neither favoured nor ruled out
    neutral = sum(raw.values()) / len(raw)
    raw.update({t: neutral for t in type_ids if t not in raw})
    # relative among the candidates: the cue reorders look-alikes; it never lowers the best one, so it cannot
    # push a good size fit into "unknown" (the open set stays a matter of size)
    top = max(raw.values())
    return {t: max(v - top, -MAX_PENALTY) for t, v in raw.items()}


__all__ = ["CUE_WEIGHT", "cue_log_likelihoods"]
