"""The brief: self-contained HTML (and Markdown) with judgements, indicators, chart, chips, change, citations."""

from __future__ import annotations

import base64
import io
import re

from PIL import Image

from basewatch.report import build_brief, render_html, render_markdown


def test_html_brief_is_self_contained_and_escaped(populated, tmp_path, cli):
    out = tmp_path / "khmeimim.html"
    r = cli("report", "Hmeimim", "--workspace", populated.root, "--out", out)
    assert r.exit_code == 0, r.output
    html = out.read_text("utf-8")
    assert "<script" not in html and "<img src=x" not in html  # no script at all; hostile text escaped
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched from elsewhere
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    assert "<strong>full withdrawal</strong>" in html and "<strong>likely</strong>" in html
    assert "<strong>moderate</strong> confidence" in html
    assert "<svg" in html and "aircraft.transport.heavy" in html
    chips = re.findall(r'<img src="data:image/jpeg;base64,([^"]+)"', html)
    assert len(chips) == 2
    chip = Image.open(io.BytesIO(base64.b64decode(chips[1]))).convert("RGB")
    # The footprints are drawn in the aircraft colour (orange: strong red, little blue); the scene has none.
    orange = sum(1 for r, g, b in chip.getdata() if r > 200 and 50 < g < 130 and b < 60)
    assert orange > 20
    assert "2024-12-10 → 2024-12-13" in html
    assert re.search(r'<tr id="e1"><td>\[1\]</td>', html)


def test_as_of_limits_what_is_known(populated):
    b = build_brief(populated, "khmeimim", as_of="2024-12-10")
    assert b.judgement["leading"]["id"] == "status-quo"
    assert [c["date"] for c in b.chips] == ["2024-12-10"]
    assert b.change is None and b.timeline["dates"] == ["2024-12-10"]
    assert "Status quo" in render_html(b)


def test_markdown_brief(populated, tmp_path, cli):
    md = render_markdown(build_brief(populated, "khmeimim"))
    assert md.startswith("# Khmeimim Air Base")
    assert "**full withdrawal** is **likely**" in md
    assert "| aircraft.transport.heavy | 1 | 2 | +1 |" in md
    assert "<script>" not in md and "\\<script\\>" in md
    out = tmp_path / "b.md"
    assert cli("report", "khmeimim", "--workspace", populated.root, "--out", out).exit_code == 0
    assert out.read_text("utf-8").startswith("# Khmeimim")
    assert cli("report", "khmeimim", "--workspace", populated.root, "--out", tmp_path / "x.pdf",
               "--format", "pdf").exit_code == 1


def test_site_without_anything(populated):
    html = render_html(build_brief(populated, "tartus", as_of="2024-12-12"))
    assert "Tartus" in html and "Fewer than two image dates" in html
