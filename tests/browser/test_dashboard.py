"""The dashboard as a person uses it: map of the sites, Khmeimim, timeline, detections, change view."""

from __future__ import annotations

import re


def test_overview_shows_both_sites(page, live_url, artifacts):
    page.goto(live_url + "/")
    page.wait_for_selector("#overview-map[data-sites='2']")
    assert page.locator("#overview-map path.site-aoi").count() == 2
    labels = page.locator(".site-label").all_inner_texts()
    assert any("Khmeimim" in t for t in labels) and any("Tartus" in t for t in labels)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)
    assert not page.js_errors, page.js_errors


def test_khmeimim_map_timeline_and_detection(page, live_url, artifacts):
    page.goto(live_url + "/")
    page.click("a.site-link[data-site='khmeimim']")
    page.wait_for_url(re.compile(r"/sites/khmeimim$"))
    page.wait_for_selector("#site-map[data-detections]")
    assert int(page.get_attribute("#site-map", "data-detections")) >= 1
    detections = page.locator("#site-map path.detection")
    assert detections.count() >= 1
    # Imagery tiles were served from the workspace's raster and drawn.
    page.wait_for_selector("#site-map img.leaflet-tile-loaded")
    page.wait_for_selector("#timeline-chart[data-ready='1']")
    page.click("#timeline-by button[data-by='type']")
    page.wait_for_selector("#timeline-chart[data-by='type']")
    page.click("#timeline-by button[data-by='category']")
    page.wait_for_selector("#timeline-chart[data-by='category']")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / "khmeimim.png"), full_page=True)
    # A detection is clickable and tells what it is.
    detections.first.click(force=True)
    page.wait_for_selector(".leaflet-popup-content .popup")
    popup = page.inner_text(".leaflet-popup-content")
    assert "score" in popup and "evidence ev-" in popup
    page.locator("#site-map").screenshot(path=str(artifacts / "khmeimim-detection.png"))
    # Hostile text from the article is shown as text, never run.
    assert page.locator("text=<script>alert('title')</script>").count() >= 1
    assert not page.js_errors, page.js_errors


def test_change_view(page, live_url, artifacts):
    page.goto(live_url + "/sites/khmeimim")
    page.click("#open-change")
    page.wait_for_url(re.compile(r"/sites/khmeimim/change\?a=2024-12-10&b=2024-12-13"))
    page.wait_for_selector("#map-a[data-detections]")
    page.wait_for_selector("#map-b[data-detections]")
    assert page.locator("#map-a img.leaflet-tile-loaded").count() >= 1
    assert page.locator("#inventory").inner_text().count("\n") >= 2
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / "change.png"), full_page=True)
    assert not page.js_errors, page.js_errors


def test_evidence_text_highlights_claims(page, live_url, artifacts):
    page.goto(live_url + "/sites/khmeimim")
    page.click("#evidence-table tr:has-text('article') a")
    page.wait_for_selector("#source-text mark")
    assert page.locator("#source-text mark").count() == 3
    assert page.locator("#source-text img").count() == 0  # the <img onerror> in a quote stays text
    page.screenshot(path=str(artifacts / "evidence.png"), full_page=True)
    assert not page.js_errors, page.js_errors
