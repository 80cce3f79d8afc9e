"""NWPU VHR-10 txt, Pascal-VOC XML and COCO JSON readers, format detection, and scoring against upright labels."""

from __future__ import annotations

import json

import numpy as np
import pytest

from basewatch.errors import InputFileError
from basewatch.eval.detection import PredBox, evaluate
from basewatch.eval.labels import GroundTruth, read_labels
from helpers import SHARED


def test_nwpu_lines_keep_our_classes_and_estimate_the_gsd(tmp_path):
    gt = tmp_path / "ground_truth"
    gt.mkdir()
    (gt / "001.txt").write_text("(10,10),(86,86),1\n(200,200),(260,240),3\n\n")  # airplane, storage tank
    (gt / "002.txt").write_text("(5,5),(50,50),4\n")  # baseball diamond only: a negative image
    ls = read_labels(gt)
    assert [g.cls for g in ls.objects["001"]] == ["aircraft"] and ls.objects["002"] == []
    assert ls.gsd_m["001"] == pytest.approx(38.0 / 76) and ls.gsd_m["002"] == 1.0
    (gt / "003.txt").write_text("10,10,86,86 plane\n")
    with pytest.raises(InputFileError, match="003.txt:1"):
        read_labels(gt)


def test_voc_and_coco_are_told_apart_from_mar20_and_geojson(tmp_path):
    (tmp_path / "a.xml").write_text("<annotation><filename>a.jpg</filename><object><name>LMV</name><bndbox>"
                                    "<xmin>1</xmin><ymin>2</ymin><xmax>30</xmax><ymax>12</ymax></bndbox></object>"
                                    "<object><name>tree</name><bndbox><xmin>0</xmin><ymin>0</ymin><xmax>5</xmax>"
                                    "<ymax>5</ymax></bndbox></object></annotation>")
    voc = read_labels(tmp_path / "a.xml")
    assert voc.fmt == "voc" and [g.cls for g in voc.objects["a"]] == ["vehicle"]
    coco = tmp_path / "c.json"
    coco.write_text(json.dumps({"categories": [{"id": 1, "name": "0"}], "images": [{"id": 7, "file_name": "x.jpg"}],
                                "annotations": [{"image_id": 7, "category_id": 1, "bbox": [10, 20, 30, 15]}]}))
    ls = read_labels(coco)
    assert ls.fmt == "coco" and ls.objects["x"][0].polygon[2] == (40.0, 35.0)


def test_a_correct_diagonal_box_matches_an_upright_label_by_its_envelope():
    c, s = np.cos(np.pi / 4), np.sin(np.pi / 4)
    half = np.array([[-30, -5], [30, -5], [30, 5], [-30, 5]], float)
    diag = half @ np.array([[c, s], [-s, c]]) + 100
    lo, hi = diag.min(0), diag.max(0)
    upright = GroundTruth("ship", ((lo[0], lo[1]), (hi[0], lo[1]), (hi[0], hi[1]), (lo[0], hi[1])), oriented=False)
    as_oriented = GroundTruth("ship", upright.polygon, oriented=True)
    pred = {"i": [PredBox("ship", 0.9, diag)]}
    assert evaluate(pred, {"i": [upright]}).ap50 == 1.0
    assert evaluate(pred, {"i": [as_oriented]}).ap50 == 0.0


@pytest.mark.skipif(not (SHARED / "data" / "nwpu-vhr10").is_dir(), reason="needs ../shared/data/nwpu-vhr10")
def test_real_nwpu_counts_match_its_readme():
    ls = read_labels(SHARED / "data" / "nwpu-vhr10" / "ground_truth")
    counts = {c: sum(g.cls == c for gs in ls.objects.values() for g in gs) for c in ("aircraft", "ship", "vehicle")}
    assert counts == {"aircraft": 757, "ship": 302, "vehicle": 598} and len(ls.objects) == 650


def test_roboflow_names_with_dots_match_their_labels():
    from basewatch.eval.labels import image_key

    name = "GBG_059_jpg.rf.14fb6288df16105e6832b105a0672963"
    assert image_key(name + ".jpg") == image_key(name) == name.lower()
    assert image_key("P0706.txt") == image_key("P0706.png") == "p0706"


def test_calibration_curve_counts_true_share_per_score_bin():
    import numpy as np

    from basewatch.eval.detection import reliability

    tp = np.array([1, 1, 0, 0, 1, 0])
    sc = np.array([0.95, 0.92, 0.91, 0.35, 0.33, 0.1])
    bins = {(b["lo"], b["hi"]): b for b in reliability(tp, sc)}
    assert bins[(0.9, 1.0)]["n"] == 3 and bins[(0.9, 1.0)]["true_share"] == round(2 / 3, 3)
    assert bins[(0.3, 0.4)]["true_share"] == 0.5 and bins[(0.05, 0.2)]["true_share"] == 0.0
    assert sum(b["n"] for b in bins.values()) == len(sc)


def test_calibration_knots_follow_the_curve_and_never_tie_scores():
    from basewatch.eval.detection import calibration_knots

    curve = [{"mean_score": 0.3, "true_share": 0.5}, {"mean_score": 0.6, "true_share": 0.99},
             {"mean_score": 0.7, "true_share": 0.97}, {"mean_score": 0.85, "true_share": 1.0}]
    k = calibration_knots(curve)
    assert k["raw"][0] == 0.0 and k["raw"][-1] == 1.0 and k["calibrated"][-1] == 1.0
    assert all(a < b for a, b in zip(k["calibrated"], k["calibrated"][1:], strict=False))  # ranking kept: AP unchanged
    assert abs(k["calibrated"][2] - 0.99) < 0.02  # the curve is followed where it is monotone
