"""Detector accuracy on every labelled set we hold, models side by side in one run.

    .venv/bin/python bench/bench_detector_suites.py [--model DIR ...] [--suite NAME ...] [--note TEXT]

Without --model it scores the packaged detector. Suites (each from ../shared/data; missing ones are skipped):

- airbus-val: the 20 Airbus validation images (never trained on), aircraft;
- hrplanesv2: Google-Earth airports at ~1 m (evaluation only: its licence forbids derivatives), aircraft;
- nwpu-test: the 196 NWPU VHR-10 ids of `image_set/test.txt` (never trained on), airplanes, ships, vehicles;
  GSD estimated from the labelled sizes, as an analyst would give it for a screenshot;
- mvrsd: 12 military-vehicle tiles (never trained on; labels not exhaustive, so read recall, not precision);
- demo-khmeimim, demo-tartus: the December example as the demo renders it (seeds 2024/2025; training used
  renders with seed 7 only), every class; render them first into runs/demo-renders/<scenario>/ with
  `basewatch synth render khmeimim-dec2024 --out runs/demo-renders/khmeimim-dec2024` (and tartus-dec2024);
- dota, mar20: the devkit examples -- TRAINED ON, reported only because the issue asks for per-class figures.

Appends one JSON line per (model, suite) to bench/results/detector_suites.jsonl.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_detect import machine  # noqa: E402
from record import save  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEMO = Path(os.environ.get("BASEWATCH_DEMO_RENDERS", "runs/demo-renders"))  # `basewatch synth render` output
MVRSD_GSD_M = 0.11  # measured on the tiles: a 4.6 m HMMWV spans ~40 px (the README's 0.3 m does not fit)


def suites() -> dict[str, dict]:
    nwpu = DATA / "nwpu-vhr10"
    return {
        "airbus-val": {"images": DATA / "airbus-aircraft-sample" / "train",
                       "labels": DATA / "airbus-aircraft-sample" / "annotations.csv", "split": "val",
                       "classes": ["aircraft"], "held_out": True},
        "hrplanesv2": {"images": DATA / "hrplanesv2-valid" / "valid",
                       "labels": DATA / "hrplanesv2-valid" / "valid" / "_annotations.coco.json", "gsd": 1.0,
                       "classes": ["aircraft"], "held_out": True},
        "nwpu-test": {"images": nwpu / "positive_image_set", "labels": nwpu / "ground_truth",
                      "names_file": nwpu / "image_set" / "test.txt", "held_out": True},
        "mvrsd": {"images": DATA / "mvrsd-demo" / "images", "labels": DATA / "mvrsd-demo" / "labels",
                  "gsd": MVRSD_GSD_M, "classes": ["vehicle"], "held_out": True, "voc_split": ("train", "val")},
        **{f"demo-{site}": {"images": DEMO / f"{site}-dec2024", "labels": DEMO / f"{site}-dec2024" / "labels",
                             "held_out": True} for site in ("khmeimim", "tartus")},
        "dota": {"images": DATA / "dota-devkit-example" / "images", "labels": DATA / "dota-devkit-example" /
                 "labelTxt", "held_out": False},
        "mar20": {"images": DATA / "mar20-sample" / "images", "labels": DATA / "mar20-sample" / "annotations" / "obb",
                  "held_out": False},
    }


def run_suite(name: str, spec: dict, model: str | None) -> dict | None:
    from basewatch.eval.detection import evaluate_folder

    if not Path(spec["labels"]).exists():
        return None
    kw = {"model": model, "gsd": spec.get("gsd"), "split": spec.get("split"), "classes": spec.get("classes")}
    if "names_file" in spec:
        kw["names"] = Path(spec["names_file"]).read_text().split()
    if "voc_split" in spec:  # MVRSD keeps images and labels in parallel train/val folders
        res_list = [evaluate_folder(Path(spec["images"]) / part, Path(spec["labels"]) / part / "xml", **kw)
                    for part in spec["voc_split"]]
    else:
        res_list = [evaluate_folder(spec["images"], spec["labels"], **kw)]
    out = []
    for r in res_list:
        m = r.metrics
        out.append({"images": r.images, "s_per_image": round(r.seconds_per_image, 3),
                    "ap50": None if math.isnan(m.ap50) else round(m.ap50, 4),
                    "per_class_ap50": {c: (None if math.isnan(v["ap50"]) else round(v["ap50"], 4))
                                       for c, v in m.classes.items()},
                    "gt": {c: v["gt"] for c, v in m.classes.items()},
                    "precision": round(m.precision, 4), "recall": round(m.recall, 4),
                    "count_error_median": None if math.isnan(m.count_error_median) else round(m.count_error_median, 4),
                    "threshold": m.threshold, "model": r.model, "calibration": m.reliability})
    if len(out) == 1:
        return out[0]
    return {"parts": out, "model": out[0]["model"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", action="append", default=None, help="model folder (repeat to compare)")
    ap.add_argument("--suite", action="append", default=None)
    ap.add_argument("--note", default="")
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    if not DATA.is_dir():
        print(f"{DATA}: the shared data folder is missing; nothing to score", file=sys.stderr)
        return 1
    models = a.model or [None]
    wanted = a.suite or list(suites())
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for name in wanted:
        spec = suites()[name]
        for model in models:
            res = run_suite(name, spec, model)
            if res is None:
                continue
            save("detector_suites", {"date": stamp, "machine": machine(), "suite": name,
                                     "held_out": spec["held_out"], "model_dir": model or "packaged",
                                     "note": a.note, **res}, write=not a.no_write, indent=None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
