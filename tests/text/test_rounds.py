"""The development rounds of tests/data/claims stay where they were measured (see bench/bench_claims.py for the
blind rounds and the figures). Floors sit a little under the measured figures: a drop means a regression."""

from __future__ import annotations

from pathlib import Path

import pytest

from basewatch.catalog import builtin_catalog
from basewatch.catalog.user import read_user_catalog
from basewatch.eval.claims import evaluate_round

ROUNDS = Path(__file__).resolve().parents[1] / "data" / "claims"


@pytest.fixture(scope="module")
def catalog():
    return builtin_catalog().with_additions(*read_user_catalog(ROUNDS / "sites.yaml"))


@pytest.mark.parametrize(("name", "recall_core", "precision"), [("dev", 0.75, 0.66), ("ru-dev", 0.76, 0.64)])
def test_development_round_holds(catalog, name: str, recall_core: float, precision: float) -> None:
    r = evaluate_round(ROUNDS / name, catalog=catalog)
    assert r["recall_core"] >= recall_core, r
    assert r["precision"] >= precision, r
    for text in r["texts_scored"]:
        for claim in text["unmatched_predictions"]:
            assert claim["quote"]["text"].strip(), claim


def test_every_gold_cue_is_in_its_text() -> None:
    from basewatch.eval.claims import cue_positions, load_gold

    for path in sorted(ROUNDS.glob("*/*.gold.jsonl")):
        gold = load_gold(path)
        text = gold.text_path().read_text("utf-8")
        for row in gold.rows:
            assert cue_positions(text, row["cue"]), (path.name, row["n"])
