"""`basewatch analyze`: identify types and states of an image's detections and store its per-zone inventory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_table
from basewatch.errors import InvalidValueError


def analyze(
    evidence: Annotated[list[str] | None, typer.Argument(help="Image evidence ids (default: every image of "
                                                               "--site that has detections).")] = None,
    site: Annotated[str | None, typer.Option(help="Analyse every detected image of this site.")] = None,
    reference: Annotated[Path | None, typer.Option(
        help="CSV of aircraft types outside the catalog (AllPlanes format) for the open set.")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Identify each detection (type, probability, states) and count per zone; re-running replaces the old count."""
    from basewatch.imagery.identify import load_reference_table
    from basewatch.imagery.inventory import analyze_evidence, image_evidence_with_detections, inventory_row_dict

    if not evidence and not site:
        raise InvalidValueError("give one or more evidence ids or --site SITE")
    if reference is not None and not reference.is_file():
        raise InvalidValueError(f"{reference}: reference table not found; give an AllPlanes-style CSV file")
    table = load_reference_table(reference) if reference else None
    with open_workspace(workspace) as ws:
        ids = [ws.evidence(e).id for e in evidence] if evidence else image_evidence_with_detections(ws, site)
        results = [analyze_evidence(ws, e, reference=table) for e in ids]
    if json_:
        print_json({"results": [r.to_dict() for r in results]})
        return
    if not results:
        console.print("No image with detections to analyse; run 'basewatch detect' first.")
        return
    for r in results:
        rows = [inventory_row_dict(o) for o in r.inventory]
        print_table(f"{r.evidence_id} {r.site_id} {r.observed_at}: {len(r.objects)} objects",
                    ["zone", "type", "category", "count", "expected", "90% interval", "states", "zone seen"],
                    [[x["zone"] or "-", x["type"] or "-", x["category"] or "-", x["count"], x["expected"],
                      f"{x['low']}-{x['high']}", ", ".join(f"{k} {v}" for k, v in x["states"].items()),
                      "" if x["zone_coverage"] is None else f"{x['zone_coverage']:.0%}"] for x in rows])
