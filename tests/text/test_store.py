"""Text evidence in a real workspace: ingest, embedded posts, idempotence, de-duplication, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from basewatch.store.schema import claims as claims_t
from basewatch.text import process_text_evidence
from basewatch.text.store import claim_events, ingest_text
from basewatch.workspace import Workspace

ARTICLE = """Satellite images taken on Friday show two An-124s at Khmeimim with their noses open.

Russian warships have left the port of Tartus, officials said.
The Russian S-400 is definitely leaving Khmeimim Air Base.
\u2014 Some Watcher (@some_watcher) December 13, 2024
"""


def _count(ws: Workspace) -> int:
    with ws.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(claims_t)).scalar_one()


def test_ingest_stores_claims_and_embedded_post_once(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "article.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    out = ingest_text(ws, f, source="reuters", published="2024-12-14")
    assert out["created"] and out["claims"] == 3
    posts = ws.list_evidence(kind="post")
    assert len(posts) == 1 and posts[0].metadata["embedded_in"] == out["evidence"]
    assert posts[0].metadata["handle"] == "@some_watcher" and str(posts[0].published_at) == "2024-12-13"
    rows = ws.claims()
    post_rows = [r for r in rows if r.evidence_id == posts[0].id]
    assert [r.state for r in post_rows] == ["WITHDRAWING"]
    post_text = ws.archive.path(posts[0].sha256).read_text("utf-8")
    r = post_rows[0]
    assert post_text[r.span_start:r.span_end] == r.quote == "The Russian S-400 is definitely leaving " \
        "Khmeimim Air Base."
    art = [r for r in rows if r.evidence_id == out["evidence"]]
    article_text = f.read_text("utf-8")
    assert all(article_text[r.span_start:r.span_end] == r.quote for r in art)
    loading = [r for r in art if r.state == "LOADING"][0]
    assert loading.attribution[0] == {"name": "Reuters", "kind": "media"}
    assert str(loading.event_at) == "2024-12-13" and loading.equipment_type_id == "an-124"
    # idempotent: the same file again, and the same evidence processed again, store no duplicates
    before = _count(ws)
    again = ingest_text(ws, f, source="reuters", published="2024-12-14")
    assert not again["created"] and _count(ws) == before == 3
    assert process_text_evidence(ws, out["evidence"]) == 3 and _count(ws) == 3
    assert len(ws.list_evidence(kind="post")) == 1


def test_same_event_from_two_outlets_is_one_event_with_two_reports(ws: Workspace, tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("Satellite images taken on Friday show the S-400 at Khmeimim being dismantled.", "utf-8")
    b = tmp_path / "b.txt"
    b.write_text("On Friday the S-400 air-defence system at Hmeimim was being dismantled, imagery shows.", "utf-8")
    ingest_text(ws, a, source="bbc", published="2024-12-14")
    ingest_text(ws, b, source="ap", published="2024-12-15")
    events = [e for e in claim_events(ws) if e["state"] == "DISMANTLING"]
    assert len(events) == 1
    assert events[0]["reports"] == 2 and events[0]["sources"] == ["Associated Press", "BBC"]
    assert {c["evidence_id"] for c in events[0]["claims"]} == {e.id for e in ws.list_evidence()}


def test_text_about_neither_site_is_stored_without_claims(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "other.txt"
    f.write_text("The An-124 landed at Leipzig yesterday and was loading cargo.", "utf-8")
    assert ingest_text(ws, f, published="2024-12-14")["claims"] == 0
    assert len(ws.list_evidence()) == 1


def test_bad_text_leaves_nothing_behind(ws: Workspace, tmp_path: Path) -> None:
    import pytest

    from basewatch.errors import InputFileError

    f = tmp_path / "bad.txt"
    f.write_bytes(b"caf\xe9 Khmeimim")
    with pytest.raises(InputFileError, match="UTF-8"):
        ingest_text(ws, f)
    assert ws.list_evidence() == [] and _count(ws) == 0


def test_cli_claims_extract_json(cli, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Two An-124s at Hmeimim are reportedly loading, according to Maxar images.", "utf-8")
    r = cli("claims", "extract", f, "--published", "2024-12-14", "--outlet", "Reuters", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    c = data["claims"][0]
    assert c["site_id"] == "khmeimim" and c["state"] == "LOADING" and c["stance"] == "reported"
    assert c["subject"] == "An-124s" and c["equipment_type_id"] == "an-124"
    assert c["attributes"]["category"] == "aircraft.transport.heavy"
    assert c["attribution"][0] == {"name": "Reuters", "kind": "media"}
    assert c["quote"] == f.read_text("utf-8")[c["span_start"]:c["span_end"]]
    assert c["id"] is None and c["evidence_id"] is None  # not stored: the schema of `claims list --json`


def test_cli_bad_input_is_one_line_and_exit_1(cli, tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    r = cli("claims", "extract", f, "--json")
    assert r.exit_code == 1 and "empty" in r.output and "Traceback" not in r.output


def test_cli_html_never_echoes_script(cli, tmp_path: Path) -> None:
    f = tmp_path / "p.html"
    f.write_text("<html><body><script>alert('pwn')</script><p>[bold]x[/] The S-400 at Khmeimim was packed up "
                 "<b>yesterday</b>.</p></body></html>", "utf-8")
    r = cli("claims", "extract", f, "--published", "2024-12-14")
    assert r.exit_code == 0, r.output
    assert "alert" not in r.output and "pwn" not in r.output and "PACKED" in r.output


def test_cli_ingest_texts_and_images(cli, tmp_path: Path) -> None:
    from helpers import write_geotiff

    ws_dir = tmp_path / "ws"
    assert cli("init", ws_dir).exit_code == 0
    t = tmp_path / "post.json"
    t.write_text(json.dumps({"data": {"id": "7", "text": "Frigates holding offshore near Tartous today.",
                                      "author_id": "1", "created_at": "2024-12-10T08:00:00Z"},
                             "includes": {"users": [{"id": "1", "name": "Harbour", "username": "harbour"}]}}),
                 "utf-8")
    img = write_geotiff(tmp_path / "k.tif")
    r = cli("ingest", t, img, "--workspace", ws_dir, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out[0]["kind"] == "post" and out[0]["claims"] == 1
    assert out[1]["kind"] == "image" and out[1]["created"]
    r = cli("claims", "list", "--workspace", ws_dir, "--json")
    rows = json.loads(r.output)["claims"]
    assert rows[0]["state"] == "HOLDING_OFFSHORE" and rows[0]["speaker"] == "Harbour (@harbour)"
    assert cli("claims", "events", "--workspace", ws_dir).exit_code == 0


def test_a_claim_dated_to_recent_days_is_stored_at_the_end_of_the_range() -> None:
    from basewatch.text import extract_claims
    from basewatch.text.store import claim_record

    [c] = extract_claims("Two Il-76 left Khmeimim in recent days.", published="2025-03-05")
    assert c.event_time.precision == "range"
    rec = claim_record(c, None)
    assert rec.event_at.isoformat() == "2025-03-05"
    assert rec.attributes["event_start"] == "2025-02-26" and rec.attributes["event_precision"] == "range"
