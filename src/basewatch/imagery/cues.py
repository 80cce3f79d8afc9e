"""Pixel cues for identification: the chip classifier's opinion as log-likelihood terms for the size rule.

The size rule stays in charge: the learned term is weighted below one and is neutral for types the classifier
was not trained on (a user's own catalog entries), so it can separate look-alikes of one size (truck vs APC,
launcher vs radar, Su-34 vs Su-35) without inventing a type the dimensions rule out.
"""

from __future__ import annotations

import math
from typing import Any

from basewatch.catalog import Catalog
from basewatch.imagery.chipclass import ChipModel, default_model

CUE_WEIGHT = 0.8
FLOOR = 1e-3


def cue_log_likelihoods(chip: Any, cls: str, type_ids: list[str], catalog: Catalog,
                        model: ChipModel | None = None) -> dict[str, float]:
    """Per-type log-likelihood terms (0 = no opinion) from the chip classifier."""
    model = model or default_model()
    if model is None:
        return {}
    proba = model.type_proba(chip, cls)
    if not proba:
        return {}
    k = len(proba)
    return {t: CUE_WEIGHT * math.log(max(proba[t], FLOOR) * k) for t in type_ids if t in proba}


__all__ = ["CUE_WEIGHT", "cue_log_likelihoods"]
