"""`basewatch export`: GeoJSON (RFC 7946), STIX 2.1 and CSV, to stdout or a file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from basewatch import errors
from basewatch.cli.options import WorkspaceOpt, err_console, open_workspace

app = typer.Typer(no_args_is_help=True, help="Export sites, detections, claims and assessments for other tools.")

OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")]
SiteOpt = Annotated[str | None, typer.Option("--site", help="Only this site (default: all).")]


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    if out.is_dir():
        raise errors.InvalidValueError(f"--out {out} is a directory; give a file name")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    err_console.print(f"Wrote {escape(str(out))}")


@app.command("geojson")
def geojson(workspace: WorkspaceOpt = Path("."), site: SiteOpt = None, out: OutOpt = None) -> None:
    """Sites, zones and detections (type, score) as an RFC 7946 FeatureCollection."""
    from basewatch.export import geojson_collection

    with open_workspace(workspace) as ws:
        _emit(json.dumps(geojson_collection(ws, site=site), ensure_ascii=False), out)


@app.command("stix")
def stix(workspace: WorkspaceOpt = Path("."), site: SiteOpt = None, out: OutOpt = None) -> None:
    """A STIX 2.1 bundle (validated with the stix2 library): locations, sightings, reports, notes, opinions,
    the assessment as a grouping, and the imagery-detection extension definition."""
    from basewatch.export import stix_bundle

    with open_workspace(workspace) as ws:
        _emit(stix_bundle(ws, site=site).serialize(pretty=True), out)


@app.command("csv")
def csv(
    table: Annotated[str, typer.Argument(help="observations or claims")],
    workspace: WorkspaceOpt = Path("."), site: SiteOpt = None, out: OutOpt = None,
) -> None:
    """Observations or claims as a CSV table."""
    from basewatch.export import claims_csv, observations_csv

    makers = {"observations": observations_csv, "claims": claims_csv}
    if table not in makers:
        raise errors.InvalidValueError(f"table {table!r}; use observations or claims")
    with open_workspace(workspace) as ws:
        _emit(makers[table](ws, site=site), out)


@app.command("labels")
def labels(
    out: Annotated[Path, typer.Option("--out", "-o", help="New folder for images, labels (GeoJSON, DOTA) and "
                                                          "chips.")],
    workspace: WorkspaceOpt = Path("."), site: SiteOpt = None,
) -> None:
    """The analyst's confirmed and corrected objects of every reviewed image as training labels (DOTA text and
    GeoJSON pixel polygons) with an image chip per object; rejected detections as negatives. Feed the folder
    to 'basewatch train detector --add'."""
    from basewatch.export.labels import export_labels

    with open_workspace(workspace) as ws:
        res = export_labels(ws, out, site=site)
    err_console.print(f"Wrote {escape(str(res.folder))}: {res.images} images, {res.objects} labelled objects, "
                      f"{res.ignored} unreviewed (ignored), {res.negatives} rejected, {res.chips} chips")
