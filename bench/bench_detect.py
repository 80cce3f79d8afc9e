"""Detector benchmark: seconds per 2560 x 2560 image on ONE core, peak RSS on a 20000 x 20000 GeoTIFF, and
AP50 / count error on the Airbus validation split. Appends one JSON line to bench/results/detect.jsonl.

    OMP_NUM_THREADS=1 .venv/bin/python bench/bench_detect.py [--model DIR] [--skip-rss] [--skip-ap]

Not a test: the figures depend on the machine, and the line records which machine gave them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
AIRBUS = SHARED / "airbus-aircraft-sample"


def machine() -> dict[str, object]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"host": platform.node(), "cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "load_1m": round(os.getloadavg()[0], 2)}


def speed(model: str | None, runs: int = 5) -> dict[str, float]:
    """Median wall time of detect_image on 2560 x 2560 images at 0.5 m, one thread everywhere."""
    from basewatch.imagery.detect import detect_image
    from basewatch.imagery.runtime import load_detector

    det = load_detector(model, threads=1)
    if AIRBUS.is_dir():
        from basewatch.eval.labels import airbus_split, read_labels

        names = airbus_split(sorted(read_labels(AIRBUS / "annotations.csv").objects))[1][:runs]
        paths = [AIRBUS / "train" / n for n in names]
    else:
        from PIL import Image

        tmp = Path(tempfile.mkdtemp())
        rng = np.random.default_rng(0)
        paths = []
        for i in range(runs):
            p = tmp / f"s{i}.png"
            Image.fromarray(rng.integers(0, 255, (2560, 2560, 3), dtype=np.uint8)).save(p)
            paths.append(p)
    detect_image(paths[0], gsd=0.5, model=det)  # warm-up
    times, infer = [], []
    for p in paths:
        t = time.perf_counter()
        res = detect_image(p, gsd=0.5, model=det)
        times.append(time.perf_counter() - t)
        x = np.zeros((1, 3, 1280, 1280), np.float32)
        t = time.perf_counter()
        det.session.run(None, {det.card.input_name: x})
        infer.append(time.perf_counter() - t)
        assert res.width == 2560
    return {"s_per_2560_image_1core": round(statistics.median(times), 3),
            "s_inference_only_1core": round(statistics.median(infer), 3), "runs": len(times)}


def make_big_geotiff(path: Path, size: int = 20000) -> None:
    """A 20000 x 20000 RGB GeoTIFF at 0.5 m (tiled, deflate), built block by block from a real or noise chip."""
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.windows import Window

    if AIRBUS.is_dir():
        from PIL import Image

        chip = np.asarray(Image.open(sorted((AIRBUS / "train").glob("*.jpg"))[0]).convert("RGB")).transpose(2, 0, 1)
    else:
        chip = np.random.default_rng(0).integers(0, 255, (3, 2560, 2560), dtype=np.uint8)
    profile = {"driver": "GTiff", "width": size, "height": size, "count": 3, "dtype": "uint8", "crs": "EPSG:32636",
               "transform": from_origin(300000, 3920000, 0.5, 0.5), "tiled": True, "blockxsize": 512,
               "blockysize": 512, "compress": "deflate", "BIGTIFF": "YES"}
    step = 2048
    with rasterio.open(path, "w", **profile) as ds:
        for r in range(0, size, step):
            for c in range(0, size, step):
                h, w = min(step, size - r), min(step, size - c)
                ds.write(chip[:, :h, :w], window=Window(c, r, w, h))


def peak_rss(model: str | None) -> dict[str, float]:
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as d:
        big = Path(d) / "big.tif"
        t = time.perf_counter()
        make_big_geotiff(big)
        gen = time.perf_counter() - t
        code = ("import sys, time, resource; from basewatch.imagery.detect import detect_image; t=time.perf_counter(); "
                f"r = detect_image(sys.argv[1], model={model!r}, threads=1); "
                "print(len(r.detections), r.tiles, time.perf_counter()-t, "
                "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
        out = subprocess.run([sys.executable, "-c", code, str(big)], check=True, capture_output=True, text=True,
                             env={**os.environ, "OMP_NUM_THREADS": "1"}).stdout.split()
    return {"rss_mb_20000px": round(int(out[3]) / 1024, 1), "s_20000px_1core": round(float(out[2]), 1),
            "tiles_20000px": int(out[1]), "detections_20000px": int(out[0]), "s_generate": round(gen, 1)}


def accuracy(model: str | None) -> dict[str, float]:
    from basewatch.eval.detection import evaluate_folder

    res = evaluate_folder(AIRBUS / "train", AIRBUS / "annotations.csv", model=model, split="val",
                          classes=["aircraft"])
    m = res.metrics
    return {"ap50_val": round(m.ap50, 4), "precision_val": round(m.precision, 4), "recall_val": round(m.recall, 4),
            "count_error_median_val": round(m.count_error_median, 4), "count_error_mean_val":
            round(m.count_error_mean, 4), "threshold": m.threshold, "val_images": res.images}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=None)
    ap.add_argument("--skip-rss", action="store_true")
    ap.add_argument("--skip-ap", action="store_true")
    ap.add_argument("--note", default="")
    a = ap.parse_args()
    from basewatch.imagery.runtime import load_detector

    det = load_detector(a.model, threads=1)
    rec: dict[str, object] = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
                              "model": det.id, "model_dir": a.model or "packaged", "note": a.note}
    rec.update(speed(a.model))
    if not a.skip_ap and AIRBUS.is_dir():
        rec.update(accuracy(a.model))
    if not a.skip_rss:
        rec.update(peak_rss(a.model))
    rec["self_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    line = json.dumps(rec)
    print(line)
    out = ROOT / "bench" / "results" / "detect.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
