"""detect_evidence: observations stored in one go, idempotent, nothing written on bad input; the CLI."""

from __future__ import annotations

import json

from imagery_helpers import SQUARES, write_png, write_squares_tif

from basewatch.imagery.detect import detect_evidence


def _obs(ws):
    return [o for o in ws.list_observations() if o.method.startswith("detector:")]


def test_detections_and_coverage_become_observations_once(tmp_path, ws):
    path, _ = write_squares_tif(tmp_path / "k.tif", [(40, 60), (200, 100), (120, 140)])
    ev = ws.add_evidence(path).evidence
    assert ev.site_id == "khmeimim"
    dets = detect_evidence(ws, ev.id, model=SQUARES)
    assert len(dets) == 3
    obs = _obs(ws)
    assert sorted(o.kind for o in obs) == ["coverage", "detection", "detection", "detection"]
    det = next(o for o in obs if o.kind == "detection")
    assert det.method == "detector:test-squares" and det.evidence_id == ev.id
    assert det.observed_at.at.date().isoformat() == "2024-12-13"
    assert det.geometry["type"] == "Polygon" and len(det.geometry["coordinates"][0]) == 5
    assert det.attributes["class"] == "aircraft" and len(det.attributes["polygon_px"]) == 4
    assert abs(det.attributes["length_m"] - 20) < 0.1 and 0.5 < det.confidence <= 1
    cov = next(o for o in obs if o.kind == "coverage")
    assert cov.geometry["type"] == "Polygon" and cov.attributes["nodata_fraction"] == 0
    assert "cloud_fraction" in cov.attributes
    again = detect_evidence(ws, ev.id, model=SQUARES)
    assert len(_obs(ws)) == 4
    assert sorted(d.polygon_px for d in again) == sorted(tuple(tuple(p) for p in d.to_dict()["polygon_px"])
                                                         for d in dets)


def test_bad_image_evidence_writes_nothing(tmp_path, ws):
    path, _ = write_squares_tif(tmp_path / "k.tif", [(40, 60)], width=400, height=400)
    ev = ws.add_evidence(path).evidence
    blob = ws.archive.path(ev.sha256)
    blob.chmod(0o644)
    data = blob.read_bytes()
    blob.write_bytes(data[: len(data) // 3])  # the archived copy got truncated
    import pytest

    from basewatch.errors import InputFileError

    with pytest.raises(InputFileError):
        detect_evidence(ws, ev.id, model=SQUARES)
    assert _obs(ws) == []


def test_cli_detect_json_contract(tmp_path, cli):
    png = write_png(tmp_path / "s.png", [(40, 40), (120, 80)])
    r = cli("detect", png, "--gsd", "1", "--model", SQUARES, "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert len(out["detections"]) == 2
    d = out["detections"][0]
    assert {"class", "score", "polygon_px", "polygon_lonlat", "length_m", "width_m"} <= set(d)
    assert d["class"] == "aircraft" and len(d["polygon_px"]) == 4 and d["polygon_lonlat"] is None


def test_cli_errors_are_one_line(tmp_path, cli):
    png = write_png(tmp_path / "s.png", [(40, 40)])
    r = cli("detect", png, "--model", SQUARES, "--json")
    assert r.exit_code == 1 and "no georeferencing" in r.output and "Traceback" not in r.output
    r = cli("detect", png, "--gsd", "1", "--model", tmp_path, "--json")
    assert r.exit_code == 1 and "no model card" in r.output


def test_raster_too_small_for_one_tile_is_refused(tmp_path, cli):
    tiny = write_png(tmp_path / "tiny.png", [], width=24, height=24)
    r = cli("detect", tiny, "--gsd", "1", "--model", SQUARES, "--json")
    assert r.exit_code == 1 and "too small for one tile" in r.output and "--gsd" in r.output
    big_enough = write_png(tmp_path / "ok.png", [], width=64, height=64)
    assert cli("detect", big_enough, "--gsd", "1", "--model", SQUARES, "--json").exit_code == 0


def test_cli_detect_evidence_stores(tmp_path, ws, cli):
    path, _ = write_squares_tif(tmp_path / "k.tif", [(40, 60)])
    ev = ws.add_evidence(path).evidence
    r = cli("detect", "--evidence", ev.id, "--model", SQUARES, "--workspace", ws.root, "--json")
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.output)["evidence"][ev.id]) == 1
    assert len(_obs(ws)) == 2
