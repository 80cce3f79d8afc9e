"""Targets on gold texts: the project's own (written for this project) and the shared seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

from basewatch.eval.claims import combine, evaluate_gold

GOLD = Path(__file__).parent / "gold"
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "texts" / "seed-article.gold.jsonl"


def test_own_gold_texts_core_recall() -> None:
    results = [evaluate_gold(p) for p in sorted(GOLD.glob("*.gold.jsonl"))]
    assert len(results) >= 4
    total = combine(results)
    assert total["recall_core"] >= 0.8
    assert total["precision"] >= 0.8
    assert total["field_accuracy"]["site"] >= 0.95 and total["field_accuracy"]["state"] >= 0.95


@pytest.mark.shared
@pytest.mark.skipif(not SEED.is_file(), reason="../shared/texts is absent")
def test_seed_article_targets() -> None:
    r = evaluate_gold(SEED, published="2024-12-14")
    assert r["recall_core"] == 1.0
    assert r["precision"] >= 0.8
    assert r["field_accuracy"]["site"] >= 0.95 and r["field_accuracy"]["state"] >= 0.95
