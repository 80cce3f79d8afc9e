"""The analyst's review in the dashboard: reject and retype from the evidence page, see the status follow, undo."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from basewatch.workspace import Workspace
from helpers import add_apron_image

TOKEN = "review-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def review_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Workspace, str]]:
    import uvicorn

    from basewatch.web import create_app
    from basewatch.web.app import vendor_missing

    if vendor_missing():
        pytest.skip("dashboard libraries missing; run 'cd frontend && npm ci && npm run build'")
    tmp = tmp_path_factory.mktemp("review")
    ws = Workspace.init(tmp / "ws")
    ev = add_apron_image(ws, tmp, "2024-12-10", 3, seed=5)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ws, token=TOKEN), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ws, ev
    server.should_exit = True
    thread.join(5)
    ws.close()


def test_reject_retype_and_undo_from_the_evidence_page(browser, review_site, artifacts: Path) -> None:
    url, ws, ev = review_site
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    js_errors: list[str] = []
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    page.goto(f"{url}/evidence/{ev}")
    rows = page.locator("#review tbody tr")
    assert rows.count() == 3
    first = rows.nth(0).get_attribute("data-detection")
    # without the token nothing happens, and the page says why
    rows.nth(0).locator("button[data-action='reject']").click()
    page.wait_for_selector("#review-status:has-text('Not done')")
    page.fill("#review-token", TOKEN)
    page.fill("#review-analyst", "browser-ana")
    with page.expect_navigation():
        rows.nth(0).locator("button[data-action='reject']").click()
    assert page.locator(f"#review tr[data-detection='{first}']").get_attribute("class") == "rejected"
    page.wait_for_selector("#evidence-map[data-detections='3']")
    assert page.locator("#evidence-map path.detection.rejected").count() == 1  # greyed on the map, not hidden
    second = page.locator("#review tbody tr.machine").first
    second_id = second.get_attribute("data-detection")
    with page.expect_navigation():
        second.locator("select[data-role='type']").select_option("su-25")
    row = page.locator(f"#review tr[data-detection='{second_id}']")
    assert "su-25 (100 %)" in row.inner_text() and "retype by browser-ana" in row.inner_text()
    page.screenshot(path=str(artifacts / "review.png"), full_page=True)
    assert sum(z.count for z in ws.zone_counts(evidence=ev) if z.zone_id == "main-apron") == 2
    with page.expect_navigation():
        page.locator(f"#review tr[data-detection='{first}'] button[data-undo]").click()
    assert page.locator(f"#review tr[data-detection='{first}']").get_attribute("class") != "rejected"
    assert sum(z.count for z in ws.zone_counts(evidence=ev) if z.zone_id == "main-apron") == 3
    assert not js_errors, js_errors
    ctx.close()
