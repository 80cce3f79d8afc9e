"""The packaged detector on real Google-Earth screenshots of Russian bases, against a person's hand counts.

Hand counts: tests/data/ru_airbases_counts.yaml (made by eye before any model ran). The full comparison is
bench/bench_ru_airbases.py; here only what must never regress: no ship on dry land, and no image whose
aircraft count is more than doubled.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from basewatch.imagery.detect import detect_image

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT.parent / "shared" / "data" / "ru-airbases-unlabeled"
COUNTS = yaml.safe_load((ROOT / "tests" / "data" / "ru_airbases_counts.yaml").read_text("utf-8"))["images"]
DRY = sorted(name for name, c in COUNTS.items() if not c["water"])


@pytest.mark.shared
@pytest.mark.skipif(not IMAGES.is_dir(), reason="needs ../shared/data/ru-airbases-unlabeled")
def test_no_ships_on_dry_land_and_no_doubled_aircraft_counts():
    ships, doubled = {}, {}
    for name in DRY:
        truth = COUNTS[name]
        res = detect_image(IMAGES / name, gsd=float(truth["gsd_m"]))
        counts = res.counts()
        if counts.get("ship"):
            ships[name] = counts["ship"]
        if counts.get("aircraft", 0) > 2 * truth["aircraft"] + 1:
            doubled[name] = (counts["aircraft"], truth["aircraft"])
    assert len(DRY) >= 15
    assert ships == {}, f"ships found on images without water: {ships}"
    assert doubled == {}, f"aircraft counts far above the hand counts: {doubled}"
