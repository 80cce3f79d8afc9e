"""Detector counts on real Google-Earth screenshots of Russian bases against a person's hand counts.

    .venv/bin/python bench/bench_ru_airbases.py [--model DIR ...] [--note TEXT]

The counts (tests/data/ru_airbases_counts.yaml) were made by eye, before any model was run on the images, with a
GSD estimated per image from the length of an identified aircraft. Per model and image it reports detections at
the card threshold per class, the hand count, and "ships on land" (ships found on an image with no open water).
Appends one JSON line per model to bench/results/ru_airbases.jsonl.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import yaml

os.environ.setdefault("OMP_NUM_THREADS", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_detect import machine  # noqa: E402
from record import save  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ru-airbases-unlabeled"
COUNTS = ROOT / "tests" / "data" / "ru_airbases_counts.yaml"
CLASSES = ("aircraft", "helicopter", "ship", "vehicle")


def score(model: str | None) -> dict:
    from basewatch.imagery.detect import detect_image
    from basewatch.imagery.runtime import load_detector

    det = load_detector(model)
    counts = yaml.safe_load(COUNTS.read_text("utf-8"))["images"]
    rows, abs_err, hand_total, ships_on_land = [], 0, 0, 0
    for name, truth in sorted(counts.items()):
        res = detect_image(DATA / name, gsd=float(truth["gsd_m"]), model=det)
        found = {c: sum(d.cls == c for d in res.detections) for c in CLASSES}
        for c in ("aircraft", "helicopter", "ship"):
            if truth.get(c) is not None:
                abs_err += abs(found[c] - int(truth[c]))
                hand_total += int(truth[c])
        if not truth.get("water"):
            ships_on_land += found["ship"]
        rows.append({"image": name, "gsd_m": truth["gsd_m"], "found": found,
                     "hand": {c: truth.get(c) for c in CLASSES}})
    return {"model": det.id, "images": len(rows), "ships_on_land": ships_on_land,
            "abs_count_error_air_heli_ship": abs_err, "hand_total_air_heli_ship": hand_total,
            "relative_error": round(abs_err / max(hand_total, 1), 3), "per_image": rows}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", action="append", default=None, help="model folder (repeat to compare)")
    ap.add_argument("--note", default="")
    a = ap.parse_args()
    if not DATA.is_dir() or not COUNTS.is_file():
        print(f"skipped: needs {DATA} and {COUNTS}")
        return 0
    for model in a.model or [None]:
        r = score(model)
        print(f"{r['model']}: ships on land {r['ships_on_land']}, |found - hand| {r['abs_count_error_air_heli_ship']}"
              f" of {r['hand_total_air_heli_ship']} hand-counted aircraft/helicopters/ships")
        for row in r["per_image"]:
            print(f"  {row['image']:45s} found {row['found']}  hand {row['hand']}")
        save("ru_airbases", {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
                             "note": a.note, **r})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
