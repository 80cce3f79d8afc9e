"""Scoring claims against gold: pairing, recall, precision and field accuracy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from basewatch.errors import InputFileError
from basewatch.eval.claims import attribution_matches, cue_positions, load_gold, score
from basewatch.text import extract_claims

TEXT = ("Satellite images show two An-124s at Khmeimim with their noses open. "
        "Officials said no final decision has been taken on Tartus. The weather was fine.")
GOLD = [
    {"n": 1, "core": True, "site": "khmeimim", "state": "LOADING", "when": None,
     "attribution": ["article", "satellite images"], "stance": "asserted", "cue": "noses open"},
    {"n": 2, "core": True, "site": "tartus", "state": "NO_DECISION", "when": None,
     "attribution": ["article", "Officials"], "stance": "asserted", "cue": "no final decision"},
    {"n": 3, "core": False, "site": "tartus", "state": "PRESENT", "when": None, "attribution": ["article"],
     "stance": "asserted", "cue": "The weather was fine"},
]


def test_score_pairs_and_counts() -> None:
    claims = extract_claims(TEXT)
    r = score(TEXT, GOLD, claims)
    assert r["matched"] == 2 and r["recall"] == round(2 / 3, 3) and r["recall_core"] == 1.0
    assert r["precision"] == 1.0
    assert r["field_accuracy"] == {"site": 1.0, "state": 1.0, "time": 1.0, "attribution": 1.0, "stance": 1.0}


def test_wrong_field_is_reported() -> None:
    gold = [dict(GOLD[0], stance="hedged")]
    r = score(TEXT, gold, extract_claims(TEXT))
    assert r["rows"][0]["wrong"] == ["stance"] and r["field_accuracy"]["stance"] == 0.0
    assert r["precision_strict"] == 0.5  # the NO_DECISION claim is not in this gold


def test_cue_pieces_are_found_in_order() -> None:
    text = "all visible here. Later: drone footage shared by X ... then all visible again."
    pos = cue_positions(text, "drone footage shared by X ... all visible")
    assert pos == [text.index("drone footage"), text.rindex("all visible")]


def test_attribution_matching() -> None:
    assert attribution_matches(["article", "Maxar Technologies (satellite imagery)"],
                               [{"name": "BBC"}, {"name": "Maxar Technologies (satellite imagery)"}])
    assert not attribution_matches(["article"], [{"name": "BBC"}, {"name": "unnamed reports"}])
    assert not attribution_matches(["Oliver Alexander (@OAlexanderDK)"], [{"name": "Someone Else"}])


def test_load_gold_meta_and_errors(tmp_path: Path) -> None:
    p = tmp_path / "x.gold.jsonl"
    p.write_text(json.dumps({"meta": {"text": "x.txt", "published": "2024-12-14"}}) + "\n" + json.dumps(GOLD[0])
                 + "\n", "utf-8")
    g = load_gold(p)
    assert g.meta["published"] == "2024-12-14" and g.text_path() == tmp_path / "x.txt" and len(g.rows) == 1
    p.write_text("{broken\n", "utf-8")
    with pytest.raises(InputFileError, match="invalid JSON"):
        load_gold(p)


def test_cli_eval_claims(cli, tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text(TEXT, "utf-8")
    g = tmp_path / "t.gold.jsonl"
    g.write_text("\n".join(json.dumps(r) for r in GOLD) + "\n", "utf-8")
    r = cli("eval", "claims", "--gold", g, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["recall_core"] == 1.0 and data["precision"] == 1.0
