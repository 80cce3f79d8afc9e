"""Benchmark of the synthetic renderer (not a timed test).

1. One 4096 x 4096 scene (Khmeimim, Dec 13 equipment, 0.8 m over 3.28 km) on ONE core, written in full
   (COG + labels + preview + STAC + manifest): median of N runs, caches cleared each run.
2. The whole December example (both built-in scenarios, 11 images) with `workers` = CPU count: median of N.

Prints the figures and appends one JSON line to bench/results/synth.jsonl.
Run: .venv/bin/python bench/bench_synth.py [--repeat 5] [--december-repeat 5]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "GDAL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import importlib  # noqa: E402
import platform  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

from record import save  # noqa: E402

from basewatch.synth import (  # noqa: E402
    background,  # noqa: E402
    load_scenario,
    render,
)
from basewatch.synth.scenario import Footprint  # noqa: E402

render_mod = importlib.import_module("basewatch.synth.render")


def _clear_caches() -> None:
    background._CACHE.clear()
    render_mod._CLUTTER.clear()


def _cpu_with_children() -> float:
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def scene_4096() -> object:
    sc = load_scenario("khmeimim-dec2024")
    spec = next(d for d in sc.dates if d.date.isoformat() == "2024-12-13")
    spec = replace(spec, footprint=Footprint(kind="box", center_m=(-300.0, 250.0), size_m=(4096 * 0.8, 4096 * 0.8)),
                   acquisition=replace(spec.acquisition, gsd_m=0.8))
    return replace(sc, name="bench-4096", dates=(spec,), texts=())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--december-repeat", type=int, default=5)
    args = ap.parse_args()
    nproc = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="bench-synth-"))
    try:
        sc = scene_4096()
        affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        if affinity:
            os.sched_setaffinity(0, {min(affinity)})
        single, single_cpu = [], []
        for i in range(args.repeat):
            _clear_caches()
            t, c = time.perf_counter(), time.process_time()
            res = render(sc, work / f"s{i}", workers=1)
            single.append(time.perf_counter() - t)
            single_cpu.append(time.process_time() - c)
            assert (res.images[0].width, res.images[0].height) == (4096, 4096)
        if affinity:
            os.sched_setaffinity(0, affinity)
        december, december_cpu = [], []
        for i in range(args.december_repeat):
            _clear_caches()
            t, c = time.perf_counter(), _cpu_with_children()
            n = 0
            for name in ("khmeimim-dec2024", "tartus-dec2024"):
                n += len(render(name, work / f"d{i}" / name, workers=nproc).images)
            december.append(time.perf_counter() - t)
            december_cpu.append(_cpu_with_children() - c)
            shutil.rmtree(work / f"d{i}", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    record = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": platform.processor() or platform.machine(), "nproc": nproc, "python": platform.python_version(),
        "load_average": [round(v, 2) for v in os.getloadavg()],
        "scene_4096_one_core_s": {"median": round(statistics.median(single), 3), "runs": [round(v, 3) for v in single],
                                  "cpu_median": round(statistics.median(single_cpu), 3)},
        "december_example_s": {"median": round(statistics.median(december), 3), "images": n, "workers": nproc,
                               "runs": [round(v, 3) for v in december],
                               "cpu_total_median": round(statistics.median(december_cpu), 3)},
        "budgets_s": {"scene_4096_one_core": 3.0, "december_example": 30.0},
    }
    save("synth", record)


if __name__ == "__main__":
    main()
