"""Identification reads its size data from the catalog it is given, so a user's override counts."""

from dataclasses import replace

from basewatch.catalog import builtin_catalog
from basewatch.imagery.identify import hypotheses


def _swept(eq):
    return [h for h in hypotheses(eq) if h.pose == "wings_swept"]


def test_swing_wing_span_comes_from_the_catalog_type():
    su24 = builtin_catalog().equipment["su-24"]
    (h,) = _swept(su24)
    assert h.minor == 10.37 or h.major == 10.37
    edited = replace(su24, shape={**su24.shape, "width_swept_m": 12.0})
    (h,) = _swept(edited)
    assert 12.0 in (h.major, h.minor)
    assert _swept(replace(su24, shape={k: v for k, v in su24.shape.items() if k != "width_swept_m"})) == []
