"""Reading texts: formats, embedded posts and bad input."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from basewatch.errors import InputFileError
from basewatch.text import extract_document, read_document
from basewatch.text import reading as reading_mod
from basewatch.text.posts import split_embedded_posts

ARTICLE = """Analysts say the An-124 at Khmeimim has its nose open.
The Russian S-400 is leaving Hmeimim right now.
\u2014 Some Watcher (@some_watcher) December 13, 2024
The drone video from yesterday shows the 91N6E radar packed up. https://t.co/abc pic.twitter.com/xyz
Back in the article, nothing else happened.
"""


def test_embedded_posts_get_author_date_and_continuation() -> None:
    segs = split_embedded_posts(ARTICLE)
    posts = [s for s in segs if s.kind == "embedded_post"]
    assert len(posts) == 1
    p = posts[0]
    assert (p.author, p.handle, p.published) == ("Some Watcher", "@some_watcher", date(2024, 12, 13))
    body = ARTICLE[p.start:p.end]
    assert body.startswith("The Russian S-400") and "91N6E radar packed up" in body
    assert "Back in the article" not in body and "nose open" not in body


def test_claims_of_embedded_post_are_the_posters(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    claims = extract_document(read_document(f), published="2024-12-14", outlet="Example News")
    packed = [c for c in claims if c.state == "PACKED"]
    assert packed and packed[0].attribution[0].name == "Some Watcher (@some_watcher)"
    assert packed[0].event_time is not None and packed[0].event_time.start == date(2024, 12, 12)  # "yesterday"
    loading = [c for c in claims if c.state == "LOADING"]
    assert loading and loading[0].attribution[0].name == "Example News"


def test_markdown_is_stripped_and_titled(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text("# Ships leave **Tartus**\n\nThe [frigates](http://x) have *left the port* of Tartus.\n", "utf-8")
    doc = read_document(f)
    assert doc.title == "Ships leave Tartus"
    assert "**" not in doc.text and "http://x" not in doc.text
    assert any(c.state == "DEPARTED" for c in extract_document(doc))


def test_html_main_text_and_metadata_without_scripts(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text("""<html><head><title>T</title><meta property="og:site_name" content="Reuters">
<meta name="author" content="Jane Doe"><meta property="article:published_time" content="2024-12-11T14:00:00Z">
<script>document.write('<b>EVIL</b>'); alert("x")</script></head><body><nav>Home | World</nav><article>
<h1>Russian warships hold off Syrian coast</h1>
<p>Russian warships have moved out of the naval base at the port of Tartus and are holding off the coast,
satellite images taken on Tuesday showed.<script>steal()</script></p>
<p>No Russian warship was visible at the piers, according to the images reviewed by Reuters.</p>
</article></body></html>""", encoding="utf-8")
    doc = read_document(f)
    assert "EVIL" not in doc.text and "steal" not in doc.text and "alert" not in doc.text
    assert doc.outlet == "Reuters" and doc.author == "Jane Doe" and doc.published == date(2024, 12, 11)
    claims = extract_document(doc)
    states = {c.state for c in claims}
    assert {"DEPARTED", "HOLDING_OFFSHORE", "ABSENT"} <= states
    assert all(c.attribution[0].name == "Reuters" for c in claims)
    tuesday = [c for c in claims if c.state == "HOLDING_OFFSHORE" and c.site == "tartus"][0]
    assert tuesday.event_time is not None and tuesday.event_time.start == date(2024, 12, 10)


def test_x_api_v2_json(tmp_path: Path) -> None:
    f = tmp_path / "x.json"
    f.write_text(json.dumps({
        "data": [{"id": "1", "text": "Two An-124s landed at Hmeymim today.", "author_id": "9",
                  "created_at": "2024-12-13T08:20:00.000Z"}],
        "includes": {"users": [{"id": "9", "name": "Levant ORBAT", "username": "levant_orbat"}]}}), "utf-8")
    doc = read_document(f)
    assert doc.fmt == "x-json" and doc.segments[0].handle == "@levant_orbat"
    claims = extract_document(doc, kind="post")
    assert claims[0].state == "ARRIVED" and claims[0].site == "khmeimim"
    assert claims[0].attribution[0].name == "Levant ORBAT (@levant_orbat)"
    assert claims[0].event_time is not None and claims[0].event_time.start == date(2024, 12, 13)


def test_telegram_export_json(tmp_path: Path) -> None:
    f = tmp_path / "result.json"
    f.write_text(json.dumps({"name": "Rybar-like channel", "type": "public_channel", "messages": [
        {"id": 5, "type": "message", "date": "2024-12-10T09:00:00", "from": "Channel",
         "text": ["The frigates are ", {"type": "bold", "text": "holding offshore"}, " near Tartus."]},
        {"id": 6, "type": "service", "date": "2024-12-10T09:01:00", "text": ""},
        {"id": 7, "type": "message", "date": "2024-12-11T09:00:00", "from": "Channel",
         "text": "Nothing about the bases today."}]}), "utf-8")
    doc = read_document(f)
    assert doc.fmt == "telegram-json" and len(doc.segments) == 2 and doc.outlet == "Rybar-like channel"
    claims = extract_document(doc, kind="post")
    assert [c.state for c in claims] == ["HOLDING_OFFSHORE"]
    assert claims[0].event_time is not None and claims[0].event_time.start == date(2024, 12, 10)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"   \n\t ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("Khmeimim est proche de Lattaqui\u00e9".encode("latin-1"), "not UTF-8"),
    (b"{not json", "invalid JSON"),
])
def test_bad_input_is_a_clear_error(tmp_path: Path, data: bytes, message: str) -> None:
    f = tmp_path / ("bad.json" if message == "invalid JSON" else "bad.txt")
    f.write_bytes(data)
    with pytest.raises(InputFileError, match=message):
        read_document(f)


def test_enormous_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading_mod, "MAX_TEXT_BYTES", 1000)
    f = tmp_path / "big.txt"
    f.write_text("Khmeimim. " * 200, encoding="utf-8")
    with pytest.raises(InputFileError, match="limit"):
        read_document(f)


def test_large_text_under_the_limit_is_processed_in_bounded_time(tmp_path: Path) -> None:
    import time

    para = "The An-124 at Khmeimim had its nose open. Frigates are holding offshore near Tartus.\n\n"
    text = para * 600  # about 50 kB, 1200 sentences
    t0 = time.perf_counter()
    from basewatch.text import extract_claims

    claims = extract_claims(text, published="2024-12-14")
    assert len(claims) == 1200
    assert time.perf_counter() - t0 < 20


def test_text_about_neither_site_makes_no_claims() -> None:
    from basewatch.text import extract_claims

    assert extract_claims("The An-124 landed at Leipzig airport yesterday and was loading cargo.",
                          published="2024-12-14") == []
