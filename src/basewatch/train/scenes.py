"""The training scenes of the default detector, read from a ../shared/data-style folder.

Used by `basewatch train detector` (train/pipeline.py) and the benchmarks.
"""

from __future__ import annotations

from pathlib import Path

from basewatch.train.data import Scene, load_airbus, load_dota, load_exported, load_mar20, load_nwpu, load_rendered


def load_training_scenes(data: Path, synth_dirs: list[Path] | None = None, label_dirs: list[Path] | None = None,
                         log=print) -> tuple[list[Scene], list[Scene]]:  # noqa: ANN001
    """(train scenes, Airbus validation scenes) from a ../shared/data-style folder, rendered scenes and analysts'
    label folders (`basewatch export labels`)."""
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
    if (data / "nwpu-vhr10" / "image_set").is_dir():
        scenes += load_nwpu(data / "nwpu-vhr10", "train")
    for d in synth_dirs or []:
        scenes += load_rendered(d)
    for d in label_dirs or []:
        scenes += load_exported(d)
    by_src: dict[str, int] = {}
    for s in scenes:
        by_src[s.source] = by_src.get(s.source, 0) + 1
    log(f"training scenes {by_src}; validation {len(val)} Airbus images")
    return scenes, val
