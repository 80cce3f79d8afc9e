"""Imagery fixtures."""

from __future__ import annotations

import pytest
from imagery_helpers import SQUARES


@pytest.fixture
def squares_model():
    from basewatch.imagery.runtime import load_detector

    return load_detector(SQUARES)
