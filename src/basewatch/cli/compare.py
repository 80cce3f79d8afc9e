"""`basewatch compare SITE DATE_A DATE_B`: arrivals, departures, moves and state changes between two dates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_table


def compare(
    site: Annotated[str, typer.Argument(help="Site id or name.")],
    date_a: Annotated[str, typer.Argument(help="Older date (YYYY-MM-DD).")],
    date_b: Annotated[str, typer.Argument(help="Newer date (YYYY-MM-DD).")],
    move_radius: Annotated[float, typer.Option(help="Largest move (m) in a zone still counted as one object.")]
    = 150.0,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Match objects across two dates; outside the newer footprint or under cloud is 'not_observed', not 'departed'."""
    from basewatch.imagery.change import compare as compare_dates
    from basewatch.imagery.change import summarize

    with open_workspace(workspace) as ws:
        changes = compare_dates(ws, site, date_a, date_b, move_radius_m=move_radius)
    if json_:
        print_json({"site": site, "date_a": date_a, "date_b": date_b, "summary": summarize(changes),
                    "changes": [c.to_dict() for c in changes]})
        return
    s = summarize(changes)
    console.print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in s.items()))
    print_table(f"{site}: {date_a} -> {date_b}", ["change", "class", "type", "zone", "note"],
                [[c.kind, c.cls, c.type, c.zone or "-", c.note] for c in changes if c.kind != "unchanged"])
