"""`basewatch eval detection`: score the detector against labelled images."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from basewatch.cli.options import JsonOpt, console, print_json, print_table

app = typer.Typer(no_args_is_help=True, help="Measure how well basewatch's extractors do on labelled data.")


@app.command("detection")
def detection(
    images: Annotated[Path, typer.Option("--images", help="Folder of images.")],
    labels: Annotated[Path, typer.Option("--labels", help="Airbus CSV, DOTA txt (file or folder), MAR20 XML "
                                                          "(file or folder) or GeoJSON labels.")],
    model: Annotated[Path | None, typer.Option("--model", help="Model folder; default: the packaged one.")] = None,
    gsd: Annotated[float | None, typer.Option("--gsd", help="GSD in m/px for every image (default: from "
                                                            "the labels or the images).")] = None,
    threshold: Annotated[float | None, typer.Option("--threshold", help="Score threshold for precision, "
                                                                        "recall and counts.")] = None,
    split: Annotated[str | None, typer.Option("--split", help="Airbus sample only: 'val' or 'train' part of "
                                                              "basewatch's fixed split.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Print AP50, precision/recall at the threshold and per-image count error."""
    from rich.progress import Progress

    from basewatch.eval.detection import evaluate_folder

    if json_:
        res = evaluate_folder(images, labels, model=model, gsd=gsd, threshold=threshold, split=split)
        print_json(res.to_dict())
        return
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Detecting", total=None)

        def step(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total)

        res = evaluate_folder(images, labels, model=model, gsd=gsd, threshold=threshold, split=split,
                              progress=step)
    m = res.metrics
    print_table("Per image", ["image", "labelled", "detected", "correct", "count error"],
                [[i.image, i.gt, i.detected, i.true_positives, f"{i.count_error:.1%}"] for i in m.images])
    print_table("Per class", ["class", "AP50", "labelled", "detections"],
                [[c, f"{v['ap50']:.3f}", v["gt"], v["detections"]] for c, v in m.classes.items()])
    console.print(f"Model {res.model} on {res.images} images: AP50 [bold]{m.ap50:.3f}[/]; at score >= "
                  f"{m.threshold:g}: precision {m.precision:.3f}, recall {m.recall:.3f}, count error median "
                  f"{m.count_error_median:.1%} (mean {m.count_error_mean:.1%}); {res.seconds_per_image:.2f} s/image")


@app.command("claims")
def claims(
    gold: Annotated[Path, typer.Option("--gold", help="Gold claims, one JSON object per line.")],
    text: Annotated[Path | None, typer.Option("--text", help="The text (default: the gold file's name with "
                                                             ".txt, or its meta line).")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date of the text (ISO 8601).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet of the text.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Score claim extraction: recall (all and core rows), precision and per-field accuracy."""
    from basewatch.eval.claims import FIELDS, evaluate_gold

    res = evaluate_gold(gold, text_path=text, published=published, outlet=outlet)
    if json_:
        print_json(res)
        return
    print_table("Gold claims", ["n", "core", "site", "state", "found", "wrong fields"],
                [[r["n"], r["core"], r["site"], r["state"], r["matched"], ", ".join(r.get("wrong", []))]
                 for r in res["rows"]])
    acc = ", ".join(f"{f} {res['field_accuracy'][f]}" for f in FIELDS)
    console.print(f"recall {res['recall']} (core {res['recall_core']}), precision {res['precision']} "
                  f"(strict {res['precision_strict']}); {res['predicted']} predicted, {res['gold']} gold; "
                  f"field accuracy: {acc}")
