"""ICD 203 likelihood terms and their ranges."""

import pytest

from basewatch.assess.estimative import TERMS, at_least, likelihood_range, likelihood_term


@pytest.mark.parametrize("p, term", [(0.0, "almost no chance"), (0.04, "almost no chance"), (0.1, "very unlikely"),
                                     (0.3, "unlikely"), (0.5, "roughly even chance"), (0.6, "likely"),
                                     (0.9, "very likely"), (0.97, "almost certain"), (1.0, "almost certain")])
def test_terms(p, term):
    assert likelihood_term(p) == term


def test_order_and_ranges():
    assert len(TERMS) == 7
    assert at_least("very likely", "likely") and not at_least("roughly even chance", "likely")
    assert likelihood_range("likely") == "55-80 %"
