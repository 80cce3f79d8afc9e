"""Estimative language (ICD 203): likelihood terms for probabilities, and analytic confidence kept apart.

ICD 203 fixes seven likelihood terms with their probability ranges; confidence (low, moderate, high) says how
good the evidence and reasoning are and is stated in its own sentence, never mixed with a likelihood term.
"""

from __future__ import annotations

# (upper bound of the range, term, range as text)
LIKELIHOOD_TERMS: tuple[tuple[float, str, str], ...] = (
    (0.05, "almost no chance", "01-05 %"),
    (0.20, "very unlikely", "05-20 %"),
    (0.45, "unlikely", "20-45 %"),
    (0.55, "roughly even chance", "45-55 %"),
    (0.80, "likely", "55-80 %"),
    (0.95, "very likely", "80-95 %"),
    (1.01, "almost certain", "95-99 %"),
)
TERMS = tuple(t for _, t, _ in LIKELIHOOD_TERMS)
CONFIDENCE_LEVELS = ("low", "moderate", "high")


def likelihood_term(p: float) -> str:
    """The ICD 203 term for a probability 0..1."""
    for upper, term, _ in LIKELIHOOD_TERMS:
        if p < upper:
            return term
    return TERMS[-1]


def likelihood_range(term: str) -> str:
    return next(r for _, t, r in LIKELIHOOD_TERMS if t == term)


def at_least(term: str, floor: str) -> bool:
    """Whether `term` is `floor` or stronger on the ICD 203 scale."""
    return TERMS.index(term) >= TERMS.index(floor)
