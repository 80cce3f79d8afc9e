"""`basewatch train detector`: train the default detector (needs the optional extra `train`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from basewatch.cli.options import console

app = typer.Typer(no_args_is_help=True, help="Train basewatch's models (optional extra 'train': PyTorch).")


@app.command("detector")
def detector(
    data: Annotated[Path, typer.Option("--data", help="The shared data folder (airbus-aircraft-sample, "
                                                      "dota-devkit-example, mar20-sample, nwpu-vhr10).")],
    out: Annotated[Path, typer.Option("--out", help="Run folder: checkpoints, train.log and the exported model.")],
    synth: Annotated[list[Path] | None, typer.Option("--synth", help="Rendered synthetic scene folder(s) "
                                                                     "(images + labels/*.geojson).")] = None,
    minutes: Annotated[float, typer.Option(help="Time budget; the schedule anneals within it.")] = 55.0,
    steps: Annotated[int, typer.Option(help="Training steps (batches of 8 crops).")] = 3200,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    threads: Annotated[int, typer.Option(help="PyTorch threads.")] = 2,
    lr: Annotated[float, typer.Option(help="Peak learning rate (cosine schedule after 100 warm-up steps).")] = 2e-3,
    int8: Annotated[bool, typer.Option("--int8", help="Quantize the exported ONNX to int8 (calibrated on "
                                                      "training tiles).")] = False,
    flips: Annotated[int, typer.Option(min=1, max=4, help="Mirror passes averaged inside the exported model "
                                                          "(1 = none, 4 = identity + 3 mirrors).")] = 1,
    resume: Annotated[bool, typer.Option("--resume", help="Continue from out/state.pt.")] = False,
    init: Annotated[Path | None, typer.Option("--init", help="Start from the weights of an earlier run's "
                                                             "final.pt (fine-tuning).")] = None,
    install: Annotated[bool, typer.Option("--install", help="Replace the packaged model if the new one's "
                                                            "validation AP50 is higher.")] = False,
    add: Annotated[list[Path] | None, typer.Option("--add", help="A workspace whose analyst-reviewed objects "
                                                                 "join the training data (repeatable; see "
                                                                 "'basewatch export labels').")] = None,
) -> None:
    """Train (from ImageNet Lite0 weights), export ONNX + card into OUT/model, evaluate on Airbus validation."""
    from basewatch.errors import InputFileError

    try:
        from basewatch.train.pipeline import train_and_export
    except ImportError as exc:
        raise InputFileError(f"training needs PyTorch ({exc}); install the extra: pip install "
                             "'basewatch[train]'") from exc
    result = train_and_export(data, out, synth=synth or [], minutes=minutes, steps=steps, seed=seed,
                              threads=threads, resume=resume, init=init, install=install, int8=int8, flips=flips, lr=lr,
                              add=add or [], log=console.print)
    console.print(f"Model in {out / 'model'}: validation AP50 {result['ap50']:.3f}, count error median "
                  f"{result['count_error_median']:.1%}" + ("; installed" if result.get("installed") else ""))
