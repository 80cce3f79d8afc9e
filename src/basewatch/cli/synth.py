"""`basewatch synth`: render synthetic site imagery with ground truth, list built-in scenarios.

A thin shell over `basewatch.synth`; every error a user can cause ends as one line on stderr and exit code 1.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from basewatch.cli.options import JsonOpt, console, err_console, print_json
from basewatch.errors import BasewatchError

app = typer.Typer(help="Render synthetic site imagery (COG + labels + STAC + texts) from scenario files.",
                  no_args_is_help=True)


@app.command("render")
def render_cmd(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name (see `synth list`) or a scenario .yaml.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
    seed: Annotated[int | None, typer.Option("--seed", help="Override the scenario's seed.")] = None,
    cutouts: Annotated[Path | None, typer.Option(
        "--cutouts", help="Folder of real RGBA cut-outs per type (<dir>/<type>/no-background/*.png); local "
                          "training only, never commit them.")] = None,
    date: Annotated[list[str] | None,
                    typer.Option("--date", help="Render only this date (YYYY-MM-DD); repeat.")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Write into a non-empty output directory.")] = False,
    workers: Annotated[int, typer.Option("--workers", help="Parallel processes (default: CPU count).")] = 0,
    json_out: JsonOpt = False,
) -> None:
    """Render every date of SCENARIO into --out."""
    from basewatch.synth import load_scenario, render

    try:
        if out.exists() and not out.is_dir():
            raise BasewatchError(f"{out}: exists and is not a directory; fix: choose another --out")
        if out.is_dir() and any(out.iterdir()) and not overwrite:
            raise BasewatchError(f"{out}: directory is not empty; fix: choose an empty --out or add --overwrite")
        if cutouts is not None and not cutouts.is_dir():
            raise BasewatchError(f"{cutouts}: cut-out folder not found; fix: give an existing folder or drop --cutouts")
        for d in date or []:
            try:
                dt.date.fromisoformat(d)
            except ValueError as exc:
                raise BasewatchError(f"--date {d!r}: not a date; fix: use YYYY-MM-DD") from exc
        sc = load_scenario(scenario)
        n = workers or min(os.cpu_count() or 1, 4)
        with console.status(f"Rendering {sc.name} ({len(sc.dates)} dates)...", spinner="dots"):
            result = render(sc, out, seed=seed, cutouts_dir=cutouts, dates=date or None, workers=n)
    except BasewatchError as exc:
        err_console.print(f"error: {scenario}: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from exc
    if json_out:
        print_json(json.loads(result.manifest_path.read_text("utf-8")))
        return
    table = Table(title=f"{sc.name} -> {out}")
    for col in ("image", "collected", "size", "gsd", "objects"):
        table.add_column(col)
    for im in result.images:
        table.add_row(im.path.name, im.collected.isoformat(), f"{im.width}x{im.height}", f"{im.gsd} m", str(im.objects))
    console.print(table)
    console.print(f"{len(result.texts)} texts, manifest: {result.manifest_path}")


@app.command("list")
def list_cmd(json_out: JsonOpt = False) -> None:
    """List the built-in scenarios."""
    from basewatch.synth import builtin_scenarios, load_scenario

    try:
        rows = []
        for name in builtin_scenarios():
            sc = load_scenario(name)
            rows.append({"name": name, "site": sc.site_id, "dates": [d.stem_suffix for d in sc.dates],
                         "texts": len(sc.texts), "description": sc.description})
    except BasewatchError as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from exc
    if json_out:
        print_json(rows)
        return
    table = Table(title="Built-in scenarios")
    for col in ("name", "site", "dates", "texts"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["name"], r["site"], ", ".join(r["dates"]), str(r["texts"]))
    console.print(table)
