"""One tiny training run (two batches), resume, export to ONNX and run it through the runtime."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")


def test_train_resume_export_and_detect(tmp_path):
    from basewatch.eval.labels import GroundTruth
    from basewatch.imagery.detect import detect_image
    from basewatch.imagery.modelcard import read_card
    from basewatch.imagery.runtime import Detector
    from basewatch.train.data import Scene
    from basewatch.train.export import write_model_dir
    from basewatch.train.loop import TrainConfig, train

    img = np.random.default_rng(0).integers(0, 80, (256, 256, 3), dtype=np.uint8)
    img[40:80, 40:120] = 240
    scene = Scene("s", img, 0.5, [GroundTruth("aircraft", ((40, 40), (120, 40), (120, 80), (40, 80)))], "airbus")
    cfg = TrainConfig(steps=2, steps_per_epoch=1, batch=2, crop=64, threads=1, eval_every=1)
    logs: list[str] = []
    net = train([scene], tmp_path / "run", cfg, val_scenes=[scene], log=logs.append)
    assert (tmp_path / "run" / "state.pt").is_file() and (tmp_path / "run" / "final.pt").is_file()
    assert any("epoch 2" in m and "val ap50" in m for m in logs)
    assert all(np.isfinite(p.detach().numpy()).all() for p in net.parameters())
    cfg.steps = 3
    train([scene], tmp_path / "run", cfg, resume=True, log=logs.append)
    assert any("resumed at step 2" in m for m in logs) and any("epoch 3" in m for m in logs)

    out = write_model_dir(net, tmp_path / "model", name="smoke", gsd_m=1.0, train_info={"steps": 3})
    card = read_card(out)
    assert card.licence == "CC-BY-NC-SA-4.0" and card.layout == "centernet-obb-v1"
    Detector(card)
    from PIL import Image

    Image.fromarray(img).save(tmp_path / "s.png")
    res = detect_image(tmp_path / "s.png", gsd=0.5, model=out, threshold=0.01)
    assert res.model == "smoke" and res.tiles == 1
