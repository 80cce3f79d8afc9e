"""`basewatch timeline SITE`: observations, claims and assessments on one axis, and counts over time."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from basewatch.cli.options import JsonOpt, WorkspaceOpt, open_workspace, print_json, print_table


def timeline(
    site: Annotated[str, typer.Argument(help="Site id or name.")],
    start: Annotated[str | None, typer.Option("--from", help="First date (ISO 8601).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last date (ISO 8601, inclusive).")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """A site's timeline: event, collection and report times kept apart, with counts by category and type."""
    from basewatch.assess import timeline as build

    with open_workspace(workspace) as ws:
        result = build(ws, site, start, end)
    if json_:
        print_json(result.to_dict())
        return

    def text(t: dict[str, str] | None) -> str:
        return t["text"] if t else ""

    print_table(f"Timeline of {result.site}", ["time", "kind", "summary", "event", "collected", "reported",
                                               "source", "evidence"],
                [[e["time"][:16], e["kind"], e["summary"][:80], text(e["event_time"]), text(e["collected_time"]),
                  text(e["reported_time"]), e.get("source"), e.get("evidence")] for e in result.events])
    print_table("Counts by category and type", ["date", "category", "type", "count", "zones"],
                [[c["date"], c["category"], c["type"], f"{c['count']:g}",
                  ", ".join(f"{z}: {n:g}" for z, n in c["zones"].items())] for c in result.counts])
