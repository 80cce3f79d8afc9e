"""Model cards and the runtime: cards are required and checked against the graph; the YOLO OBB adapter."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from imagery_helpers import SQUARES, WRONG, YOLO, write_png

from basewatch.imagery.detect import detect_image
from basewatch.imagery.modelcard import ModelError, read_card
from basewatch.imagery.runtime import Detector, default_model_dir, load_detector


def test_model_without_card_is_refused(tmp_path):
    shutil.copy(SQUARES / "model.onnx", tmp_path / "model.onnx")
    with pytest.raises(ModelError, match="no model card"):
        load_detector(tmp_path)
    with pytest.raises(ModelError, match="without a model card"):
        read_card(tmp_path / "model.onnx")


def test_card_that_does_not_match_the_outputs_is_refused():
    with pytest.raises(ModelError, match="do not match the card's layout"):
        Detector(read_card(WRONG))


def test_card_missing_fields_and_unknown_layout(tmp_path):
    shutil.copy(SQUARES / "model.onnx", tmp_path / "model.onnx")
    card = json.loads((SQUARES / "model.json").read_text())
    del card["properties"]["basewatch:gsd_m"]
    (tmp_path / "model.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="basewatch:gsd_m"):
        read_card(tmp_path)
    card["properties"]["basewatch:gsd_m"] = 1.0
    card["properties"]["basewatch:output_layout"] = "mystery"
    (tmp_path / "model.json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="unknown output layout"):
        read_card(tmp_path)


def test_corrupt_onnx_is_refused(tmp_path):
    shutil.copy(SQUARES / "model.json", tmp_path / "model.json")
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelError, match="cannot load"):
        Detector(read_card(tmp_path))


def test_yolo_obb_adapter_decodes_boxes_scores_classes_and_angles(tmp_path):
    png = write_png(tmp_path / "y.png", [], width=64, height=64)
    res = detect_image(png, gsd=1.0, model=YOLO, threshold=0.15)
    got = sorted((d.cls, round(d.score, 2)) for d in res.detections)
    assert got == [("aircraft", 0.9), ("ship", 0.2)]
    plane = next(d for d in res.detections if d.cls == "aircraft")
    p = np.asarray(plane.polygon_px)
    # 20 x 6 box at (32, 32) turned 90 degrees: 6 wide in x, 20 tall in y
    assert np.ptp(p[:, 0]) == pytest.approx(6, abs=1e-4) and np.ptp(p[:, 1]) == pytest.approx(20, abs=1e-4)
    assert p.mean(axis=0) == pytest.approx([32, 32])
    assert plane.length_m == pytest.approx(20) and plane.width_m == pytest.approx(6)
    assert min(plane.heading_deg, 180 - plane.heading_deg) == pytest.approx(0, abs=1e-4)  # long side north-south


def test_packaged_model_has_card_with_licence_terms():
    d = default_model_dir()
    if not (d / "model.json").is_file():
        pytest.skip("no packaged model yet")
    card = read_card(d)
    assert "CC-BY-NC-SA-4.0" in card.licence
    assert set(card.classes) == {"aircraft", "helicopter", "vehicle", "ship"}
    assert (d / "model.onnx").stat().st_size < 20 * 1024 * 1024
    Detector(card)  # the graph matches the card


def _squares_with(tmp_path, **props):
    shutil.copy(SQUARES / "model.onnx", tmp_path / "model.onnx")
    card = json.loads((SQUARES / "model.json").read_text())
    card["properties"].update(props)
    (tmp_path / "model.json").write_text(json.dumps(card))
    return tmp_path


def test_score_calibration_maps_scores_and_keeps_the_operating_point(tmp_path):
    png = write_png(tmp_path / "s.png", [(40, 40), (120, 90)])
    plain = detect_image(png, gsd=1.0, model=SQUARES, threshold=0.3)
    cls = plain.detections[0].cls
    # Everything the raw model scores at 0.3 or more becomes at least 0.9 on the calibrated scale.
    (tmp_path / "m").mkdir()
    model = _squares_with(tmp_path / "m", **{"basewatch:score_calibration": {
        cls: {"raw": [0.0, 0.3, 1.0], "calibrated": [0.0, 0.9, 1.0]}}})
    calibrated = detect_image(png, gsd=1.0, model=model, threshold=0.9)
    assert len(calibrated.detections) == len(plain.detections) == 2
    for a, b in zip(plain.detections, calibrated.detections, strict=True):
        assert b.score >= 0.9 and b.score == pytest.approx(0.9 + (a.score - 0.3) / 0.7 * 0.1, abs=1e-3)


def test_bad_score_calibration_is_refused(tmp_path):
    (tmp_path / "m").mkdir()
    model = _squares_with(tmp_path / "m", **{"basewatch:score_calibration": {
        "aircraft": {"raw": [0.0, 0.5], "calibrated": [0.9, 0.1]}}})
    with pytest.raises(ModelError, match="score_calibration"):
        read_card(model)
