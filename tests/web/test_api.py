"""The HTTP API and pages, in-process: content, OpenAPI, the token, who may read, escaping, tiles."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from basewatch.web import AppClient, create_app
from basewatch.web.tiles import render_tile
from basewatch.workspace import Workspace
from populated import HOSTILE_QUOTE, HOSTILE_TITLE


def test_sites_lists_both_sites_with_zones_and_judgement(client):
    sites = {s["id"]: s for s in client.get("/api/sites").json()["sites"]}
    assert set(sites) >= {"khmeimim", "tartus"}
    assert any(z["id"] == "transport-apron" for z in sites["khmeimim"]["zones"])
    assert sites["khmeimim"]["image_dates"] == ["2024-12-10", "2024-12-13"]
    lead = sites["khmeimim"]["latest_assessment"]["leading"]
    assert (lead["id"], lead["likelihood"]) == ("withdrawal", "likely")
    assert sites["tartus"]["latest_assessment"] is None


def test_openapi_describes_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/sites", "/api/sites/{site_id}", "/api/sites/{site_id}/counts", "/api/track-events",
              "/api/evidence", "/api/evidence/{evidence_id}",
              "/api/observations", "/api/claims", "/api/assessments", "/api/alerts",
              "/tiles/{evidence_id}/{z}/{x}/{y}.png"):
        assert p in paths, p
    assert "post" in paths["/api/observations"]


def test_observations_claims_assessments_and_timeline(client, populated):
    img = populated.sample_ids["images"]["2024-12-13"]
    dets = client.get(f"/api/observations?evidence={img}&kind=detection").json()["observations"]
    assert len(dets) == 4 and all(d["geometry"]["type"] == "Polygon" for d in dets)
    # Types and states come from the inventory's members for the 12-13 image.
    assert sorted(d["type"]["id"] for d in dets) == ["an-124", "an-124", "ka-52", "su-34"]
    assert any(d["states"].get("nose_open") for d in dets)
    claims = client.get("/api/claims?site=Hmeimim").json()["claims"]
    assert [c["state"] for c in claims] == ["LOADING", "NO_DECISION", "PACKED"]
    history = client.get("/api/assessments?site=khmeimim").json()["assessments"]
    assert [a["leading"]["id"] for a in history] == ["status-quo", "withdrawal"]
    tl = client.get("/api/sites/khmeimim/counts").json()
    heavy = next(s for s in tl["series"] if s["label"] == "aircraft.transport.heavy")
    assert tl["dates"] == ["2024-12-10", "2024-12-13"] and heavy["values"] == [1, 2]
    fighters = next(s for s in tl["series"] if s["label"] == "aircraft.combat.fighter")
    assert fighters["values"] == [1, 0]  # imaged and none seen: 0, not missing
    events = client.get("/api/sites/khmeimim/timeline").json()  # the event list of `basewatch timeline`
    assert {"site", "events", "counts"} <= set(events)
    assert {e["kind"] for e in events["events"]} >= {"detection", "claim", "assessment"}


def test_change_between_dates(client):
    ch = client.get("/api/sites/khmeimim/change").json()
    assert (ch["a"], ch["b"]) == ("2024-12-10", "2024-12-13")
    assert {"category": "aircraft.combat.fighter", "a": 1, "b": 0, "delta": -1} in ch["inventory"]
    assert "arrived" in {c["kind"] for c in ch["changes"]}
    bad = client.get("/api/sites/khmeimim/change?a=2024-12-11&b=2024-12-13")
    assert bad.status_code == 400 and "2024-12-10" in bad.json()["error"]


def test_unknown_things_are_404_with_the_fix(client):
    r = client.get("/api/sites/atlantis")
    assert r.status_code == 404 and "unknown site 'atlantis'" in r.json()["error"]
    assert client.get("/api/evidence/ev-000000000000").status_code == 404
    assert client.get("/api/nope").status_code == 404
    page = client.get("/sites/%3Cscript%3Ex", headers={"accept": "text/html"})
    assert page.status_code == 404 and "<script>x" not in page.text
    assert "unknown site &#39;&lt;script&gt;x&#39;" in page.text


@pytest.mark.parametrize("path", ["/", "/sites/khmeimim", "/sites/khmeimim/change", "EVIDENCE"])
def test_pages_escape_hostile_text(client, populated, path):
    if path == "EVIDENCE":
        path = f"/evidence/{populated.sample_ids['article']}"
    r = client.get(path)
    assert r.status_code == 200
    html = r.text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>base</b>" not in html
    # Embedded page data cannot close its script element.
    data = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_site_page_shows_hostile_title_as_text(client):
    html = client.get("/sites/khmeimim").text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Russia pulls back" in html
    assert "officials deny a decision" in html and 'id="ach"' in html


def test_evidence_page_highlights_claims_in_the_text(client, populated):
    html = client.get(f"/evidence/{populated.sample_ids['article']}").text
    marks = re.findall(r'<mark id="c(\d+)"[^>]*>(.*?)</mark>', html, re.S)
    assert len(marks) == 3
    assert "&lt;img src=x onerror=alert(1)&gt; officials say no final decisions" in html
    assert marks[0][1] == "two An-124 transports with their noses open"


def test_api_returns_hostile_text_verbatim_as_json(client, populated):
    ev = client.get(f"/api/evidence/{populated.sample_ids['article']}").json()
    assert ev["title"] == HOSTILE_TITLE
    assert any(c["quote"] == HOSTILE_QUOTE for c in ev["claims"])
    assert client.get("/api/evidence").headers["content-type"].startswith("application/json")


@pytest.fixture
def small_ws(tmp_path):
    ws = Workspace.init(tmp_path / "w")
    yield ws
    ws.close()


def test_writes_need_the_token(small_ws):
    app = create_app(small_ws, token="right")
    c = AppClient(app)
    body = {"site": "khmeimim", "equipment": "An-124", "state": "nose_open", "time": "2024-12-13", "count": 2}
    assert c.post("/api/observations", json=body).status_code == 401
    assert c.post("/api/observations", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = c.post("/api/observations", json=body, headers={"Authorization": "Bearer right"})
    assert r.status_code == 201 and r.json()["equipment_type_id"] == "an-124"
    r = c.post("/api/observations", json={**body, "site": "atlantis"}, headers={"X-Basewatch-Token": "right"})
    assert r.status_code == 404
    assert len(small_ws.list_observations()) == 1
    assert c.post("/api/alerts/check", headers={"Authorization": "Bearer right"}).json() == {"alerts": []}


def test_read_only_refuses_writes_even_with_the_token(small_ws):
    c = AppClient(create_app(small_ws, read_only=True, token="right"))
    r = c.post("/api/observations", json={"site": "khmeimim"}, headers={"Authorization": "Bearer right"})
    assert r.status_code == 403 and "read-only" in r.json()["error"]
    assert small_ws.list_observations() == []


def test_reading_from_another_host_needs_token_unless_read_only(small_ws):
    app = create_app(small_ws, token="right")
    remote = AppClient(app, client_host="192.0.2.7")
    assert remote.get("/api/sites").status_code == 403
    assert remote.get("/api/sites", headers={"Authorization": "Bearer right"}).status_code == 200
    shared = AppClient(create_app(small_ws, read_only=True), client_host="192.0.2.7")
    assert shared.get("/api/sites").status_code == 200
    assert AppClient(app, client_host="::1").get("/api/sites").status_code == 200


def _tile_of(lat: float, lon: float, z: int) -> tuple[int, int]:
    import math

    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def test_tiles_are_cut_from_the_archived_image(client, populated):
    img = populated.sample_ids["images"]["2024-12-13"]
    site = populated.catalog.sites["khmeimim"]
    for z in (13, 16, 18):  # an overview level, and full resolution
        x, y = _tile_of(site.lat, site.lon, z)
        r = client.get(f"/tiles/{img}/{z}/{x}/{y}.png")
        assert r.status_code == 200 and r.headers["content-type"] in ("image/png", "image/jpeg")
        tile = Image.open(io.BytesIO(r.content))
        assert tile.size == (256, 256) and tile.format == r.headers["content-type"].split("/")[1].upper()
        assert tile.convert("RGBA").getchannel("A").getextrema()[1] == 255  # image pixels, not an empty tile
        # The same pixels as GDAL's warper gives (nearest neighbour; a few may differ at pixel boundaries).
        path = populated.archive.path(populated.evidence(img).sha256)
        ref = np.asarray(Image.open(io.BytesIO(render_tile(path, z, x, y, gdal_warp=True))).convert("RGBA"), int)
        got = np.asarray(tile.convert("RGBA"), int)
        assert (np.abs(ref - got).max(axis=2) <= 12).mean() > 0.97  # JPEG noise and boundary pixels aside
    # A tile on the image's edge is PNG, transparent outside the footprint.
    (s, w), (n, e) = client.get("/api/sites/khmeimim").json()["images"][-1]["bounds"]
    x, y = _tile_of(n, (w + e) / 2, 15)
    edge = client.get(f"/tiles/{img}/15/{x}/{y}.png")
    assert edge.headers["content-type"] == "image/png"
    alpha = Image.open(io.BytesIO(edge.content)).getchannel("A").getextrema()
    assert alpha == (0, 255)
    x, y = _tile_of(0.0, 0.0, 16)
    empty = Image.open(io.BytesIO(client.get(f"/tiles/{img}/16/{x}/{y}.png").content))
    assert empty.getchannel("A").getextrema() == (0, 0)
    assert client.get(f"/tiles/{img}/3/9/0.png").status_code == 400
    assert client.get(f"/tiles/{populated.sample_ids['article']}/16/1/1.png").status_code == 400


def test_serve_get_smoke_mode(cli, populated):
    ok = cli("serve", "--workspace", populated.root, "--get", "/api/sites")
    assert ok.exit_code == 0 and '"khmeimim"' in ok.output
    bad = cli("serve", "--workspace", populated.root, "--get", "/api/sites/atlantis")
    assert bad.exit_code == 1


def test_serve_refuses_a_taken_port():
    import socket

    from basewatch import errors
    from basewatch.web.server import check_port

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        with pytest.raises(errors.InvalidValueError, match="already in use; pass another --port"):
            check_port("127.0.0.1", s.getsockname()[1])


def test_cached_answers_follow_changes_to_the_workspace(small_ws):
    import time

    app = create_app(small_ws, token="t")
    c = AppClient(app)
    assert c.get("/api/observations").json()["observations"] == []
    c.post("/api/observations", json={"site": "khmeimim", "time": "2024-12-13"}, headers={"Authorization": "Bearer t"})
    assert len(c.get("/api/observations").json()["observations"]) == 1  # a write through the API: at once
    other = Workspace.open(small_ws.root)  # another process writes
    other.observe(site="tartus", time="2024-12-13")
    other.close()
    time.sleep(app.state.response_cache.min_check_s + 0.05)
    assert len(c.get("/api/observations").json()["observations"]) == 2


def test_internet_base_map_is_off_unless_configured(small_ws):
    html = AppClient(create_app(small_ws)).get("/").text
    assert '"basemap"' not in html
    cfg = small_ws.root / "basewatch.toml"
    cfg.write_text(cfg.read_text("utf-8") + '\n[web]\nbasemap_url = "https://tiles.example.org/{z}/{x}/{y}.png"\n',
                   encoding="utf-8")
    ws = Workspace.open(small_ws.root)
    r = AppClient(create_app(ws)).get("/")
    assert "tiles.example.org/{z}/{x}/{y}.png" in r.text
    assert "img-src 'self' data: https://tiles.example.org" in r.headers["content-security-policy"]
    ws.close()
