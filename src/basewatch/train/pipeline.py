"""Train -> export -> evaluate -> (maybe) install: what `basewatch train detector` runs.

The operating score threshold is chosen on *training* images (the one that minimises the median per-image
count error), never on the validation split; validation figures are measured once, through ONNX Runtime.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from basewatch.eval.detection import PredBox, evaluate
from basewatch.imagery.modelcard import read_card
from basewatch.imagery.runtime import default_model_dir
from basewatch.model import DETECTION_CLASSES
from basewatch.train.data import Scene
from basewatch.train.export import install as install_dir
from basewatch.train.export import update_card, write_model_dir
from basewatch.train.loop import TrainConfig, predict_scene, train
from basewatch.train.scenes import load_training_scenes

MODEL_NAME = "basewatch-det-v2"


def choose_threshold(net: torch.nn.Module, scenes: list[Scene], gsd_m: float, flips: int = 1) -> float:
    """Score threshold minimising the median count error (then maximising F1) on training scenes."""
    from basewatch.imagery.nms import rotated_nms

    preds, truth = {}, {}
    for sc in scenes:
        c, s, k = predict_scene(net, sc.image, sc.gsd_m, gsd_m, threshold=0.1, flips=flips)
        keep = rotated_nms(c, s, k, 0.4)
        preds[sc.name] = [PredBox(DETECTION_CLASSES[k[i]], float(s[i]), c[i]) for i in keep]
        truth[sc.name] = sc.objects
    best = (float("inf"), 0.0, 0.5)
    for thr in np.arange(0.2, 0.71, 0.025):
        m = evaluate(preds, truth, threshold=float(thr), classes=["aircraft"])
        f1 = 2 * m.precision * m.recall / max(m.precision + m.recall, 1e-9)
        key = (round(m.count_error_median, 3), -f1, float(thr))
        if key < best:
            best = key
    return round(best[2], 3)


def evaluate_model_dir(model_dir: Path, data: Path) -> dict[str, Any]:
    """AP50 etc. of a model folder on the Airbus validation split, through the runtime (ONNX)."""
    from basewatch.eval.detection import evaluate_folder

    airbus = data / "airbus-aircraft-sample"
    res = evaluate_folder(airbus / "train", airbus / "annotations.csv", model=model_dir, split="val",
                          classes=["aircraft"])
    m = res.metrics
    return {"ap50": round(m.ap50, 4), "precision": round(m.precision, 4), "recall": round(m.recall, 4),
            "count_error_median": round(m.count_error_median, 4), "count_error_mean": round(m.count_error_mean, 4),
            "threshold": m.threshold, "images": res.images, "seconds_per_image": round(res.seconds_per_image, 3),
            "calibration": m.reliability}


def calibration_tiles(scenes: list[Scene], gsd_m: float, n: int = 16, size: int = 512) -> list[np.ndarray]:
    from basewatch.train.data import CropSampler

    s = CropSampler([x for x in scenes if x.source == "airbus"], [1.0] * sum(x.source == "airbus" for x in scenes),
                    size=size, gsd_m=gsd_m, jitter=(1.0, 1.0), seed=123)
    return [s.sample()[0] for _ in range(n)]


def calibrate(model_dir: Path, metrics: dict[str, Any]) -> None:
    """Write the validation split's calibration curve into the card (aircraft, the class it measures), with the
    operating threshold moved onto the calibrated scale: the same detections pass, their scores read as
    probabilities, so the inventory's expected counts (sums of scores) match what is visible."""
    from basewatch.eval.detection import calibration_knots

    knots = calibration_knots(metrics["calibration"])
    raw_thr = metrics["threshold"]
    threshold = round(float(np.interp(raw_thr, knots["raw"], knots["calibrated"])), 4)
    # Classes without validation labels keep their operating point: only the threshold moves onto the new scale.
    carried = {"raw": [0.0, raw_thr, 1.0], "calibrated": [0.0, threshold, 1.0]}
    per_class = {c: (knots if c == "aircraft" else carried) for c in DETECTION_CLASSES}
    update_card(model_dir, **{"basewatch:score_calibration": per_class, "basewatch:score_threshold": threshold})


def _logging_to(path: Path, echo: Callable[[str], None]) -> Callable[[str], None]:
    """A logger that appends time-stamped lines to the run's train.log and echoes them (runs go to background)."""
    def log(msg: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        with path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")
        echo(line)
    return log


def export_workspaces(workspaces: list[Path], out: Path, log: Callable[[str], None]) -> list[dict[str, Any]]:
    """Each workspace's reviewed objects as a label folder under out/added (re-exported on every run, so a
    resumed run sees the same labels only if nobody reviewed more in between -- the card says what went in)."""
    import shutil

    from basewatch.export.labels import export_labels
    from basewatch.workspace import Workspace

    added = []
    for i, root in enumerate(workspaces):
        target = out / "added" / f"{i}-{root.resolve().name}"
        shutil.rmtree(target, ignore_errors=True)
        with Workspace.open(root) as ws:
            res = export_labels(ws, target)
        manifest = json.loads((target / "manifest.json").read_text("utf-8"))
        log(f"added {root}: {res.images} reviewed images, {res.objects} labelled objects, {res.ignored} masked")
        added.append({"workspace": manifest["workspace"], "exported": manifest["exported"], "folder": str(target),
                      "images": res.images, "objects": res.objects, "masked": res.ignored,
                      "negatives": res.negatives, "reviews": manifest["reviews"]})
    return added


def train_and_export(data: Path, out: Path, *, synth: list[Path], minutes: float, steps: int, seed: int,
                     threads: int, resume: bool, install: bool, init: Path | None = None, int8: bool = False,
                     flips: int = 1, lr: float = 2e-3, add: list[Path] | None = None,
                     log: Callable[[str], None] = print, net: torch.nn.Module | None = None) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    log = _logging_to(out / "train.log", log)
    added = export_workspaces(add or [], out, log)
    scenes, val = load_training_scenes(data, synth, [Path(a["folder"]) for a in added], log)
    cfg = TrainConfig(steps=steps, max_minutes=minutes, threads=threads, seed=seed, lr=lr)
    t0 = time.time()
    if net is None:
        net = train(scenes, out, cfg, val_scenes=val, resume=resume, init=init, log=log)
    torch.set_num_threads(threads)
    airbus_train = [s for s in scenes if s.source == "airbus"]
    thr = choose_threshold(net, airbus_train[:20], cfg.gsd_m, flips)
    log(f"operating threshold (chosen on 20 training images): {thr}")
    ckpt = torch.load(out / "final.pt", weights_only=False) if (out / "final.pt").is_file() else {}
    info = {"steps": ckpt.get("step"), "minutes": round(ckpt.get("elapsed", time.time() - t0) / 60, 1),
            "config": ckpt.get("config"), "seed": seed, "cpu_threads": threads,
            "init": str(init) if init else None, "added_from_workspaces": added,
            "scenes": {src: sum(s.source == src for s in scenes) for src in {s.source for s in scenes}}}
    model_dir = out / "model"
    write_model_dir(net, model_dir, name=MODEL_NAME, gsd_m=cfg.gsd_m, train_info=info, threshold=thr,
                    int8_calib=calibration_tiles(scenes, cfg.gsd_m) if int8 else None, flips=flips)
    metrics = evaluate_model_dir(model_dir, data)
    update_card(model_dir, **{"basewatch:metrics": {"airbus_validation": metrics}})
    log(f"validation (ONNX runtime): {json.dumps(metrics)}")
    calibrate(model_dir, metrics)
    result: dict[str, Any] = dict(metrics)
    if install:
        target = default_model_dir()
        old = None
        if (target / "model.json").is_file():
            old = read_card(target).raw.get("properties", {}).get("basewatch:metrics", {}) \
                .get("airbus_validation", {}).get("ap50")
        if old is None or metrics["ap50"] > old:
            install_dir(model_dir, target)
            result["installed"] = True
            log(f"installed into {target} (AP50 {metrics['ap50']} > {old})")
        else:
            log(f"not installed: AP50 {metrics['ap50']} does not beat the packaged {old}")
    return result
