"""`train_detector`: load the labelled data, train, and (optionally) export the ONNX model and its card.

    python -m basewatch.train.run --data ../shared/data --out runs/detector [--resume] [--minutes 55]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from basewatch.train.data import Scene, load_airbus, load_dota, load_mar20, load_rendered
from basewatch.train.loop import TrainConfig, train


def load_training_scenes(data: Path, synth_dirs: list[Path] | None = None,
                         log=print) -> tuple[list[Scene], list[Scene]]:  # noqa: ANN001
    """(train scenes, Airbus validation scenes) from a ../shared/data-style folder and rendered scenes."""
    from basewatch.errors import InputFileError

    airbus = data / "airbus-aircraft-sample"
    if not (airbus / "annotations.csv").is_file():
        raise InputFileError(f"{data}: no airbus-aircraft-sample/annotations.csv; pass --data pointing at the "
                             "shared data folder")
    scenes = load_airbus(airbus, "train")
    val = load_airbus(airbus, "val")
    if (data / "dota-devkit-example").is_dir():
        scenes += load_dota(data / "dota-devkit-example")
    if (data / "mar20-sample").is_dir():
        scenes += load_mar20(data / "mar20-sample")
    for d in synth_dirs or []:
        scenes += load_rendered(d)
    by_src: dict[str, int] = {}
    for s in scenes:
        by_src[s.source] = by_src.get(s.source, 0) + 1
    log(f"training scenes {by_src}; validation {len(val)} Airbus images")
    return scenes, val


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--synth", type=Path, action="append", default=[])
    ap.add_argument("--steps", type=int, default=3200)
    ap.add_argument("--minutes", type=float, default=55.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--init", type=Path, default=None, help="start from this checkpoint's weights")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--synth-weight", type=float, default=0.08, help="share of crops from synthetic scenes")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    logf = open(a.out / "train.log", "a", buffering=1)  # noqa: SIM115

    def log(msg: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, file=logf)
        print(line, file=sys.stderr)

    scenes, val = load_training_scenes(a.data, a.synth, log)
    cfg = TrainConfig(steps=a.steps, max_minutes=a.minutes, threads=a.threads, seed=a.seed, lr=a.lr)
    cfg.source_weights["synth"] = a.synth_weight
    cfg.source_weights["airbus"] = max(0.1, cfg.source_weights["airbus"] - (a.synth_weight - 0.08))
    train(scenes, a.out, cfg, val_scenes=val, resume=a.resume, init=a.init, log=log)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
