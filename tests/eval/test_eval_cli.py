"""`basewatch eval detection` end to end on made-up images with GeoJSON labels and the test model."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "imagery"))
from imagery_helpers import SQUARES, write_png  # noqa: E402


def test_eval_detection_json(tmp_path, cli):
    imgs = tmp_path / "imgs"
    imgs.mkdir()
    write_png(imgs / "one.png", [(40, 40), (120, 80)])
    write_png(imgs / "two.png", [(80, 40)])
    feats = [{"type": "Feature", "geometry": None, "properties": {"class": "aircraft", "image": img,
                                                                  "bbox_px": [x, y, x + 20, y + 20]}}
             for img, x, y in (("one.png", 40, 40), ("one.png", 120, 80), ("two.png", 80, 40), ("two.png", 0, 120))]
    labels = tmp_path / "labels.geojson"
    labels.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    r = cli("eval", "detection", "--images", imgs, "--labels", labels, "--model", SQUARES, "--gsd", "1", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["n_images"] == 2
    assert out["recall"] == 0.75 and out["precision"] == 1.0
    assert out["ap50"] == 0.75
    assert {i["image"]: i["count_error"] for i in out["images"]} == {"one": 0.0, "two": 0.5}
    r = cli("eval", "detection", "--images", imgs, "--labels", labels, "--model", SQUARES, "--gsd", "1")
    assert r.exit_code == 0 and "AP50" in r.output
