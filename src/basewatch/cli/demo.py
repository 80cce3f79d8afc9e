"""`basewatch demo`: the built-in December 2024 example, end to end, then its dashboard."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from basewatch.cli.options import JsonOpt, console, print_json, print_table

DEFAULT_DIR = Path("basewatch-demo")


def demo(
    workspace: Annotated[Path, typer.Option("--workspace", "-w", help="Where to build the demo workspace.")]
    = DEFAULT_DIR,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only print the result; do not start the "
                                                              "dashboard.")] = False,
    port: Annotated[int, typer.Option(help="Port of the dashboard on 127.0.0.1.")] = 8765,
    json_: JsonOpt = False,
) -> None:
    """Build the example workspace (Khmeimim and Tartus, December 2024), run every stage, serve the dashboard.

    The dashboard starts only in an interactive terminal; otherwise the command to start it is printed.
    """
    from basewatch.demo import run_demo

    with console.status("Building the December 2024 example...") as status:
        result = run_demo(workspace, progress=lambda msg: status.update(msg[0].upper() + msg[1:] + "..."))
    if json_:
        print_json(result.to_dict())
    else:
        _print_summary(result)
    serve_cmd = f"basewatch serve --workspace {workspace}"
    if no_serve or not (sys.stdin.isatty() and sys.stdout.isatty()):
        if not json_:
            console.print(f"Dashboard: run [bold]{escape(serve_cmd)}[/] and open http://127.0.0.1:8765/")
        return
    from basewatch.web import serve

    def ready(url: str, _token: str) -> None:
        console.print(f"Dashboard of the example at [bold]{url}[/]  (Ctrl-C to stop)")

    try:
        serve(workspace, port=port, on_ready=ready)
    except KeyboardInterrupt:
        pass


def _print_summary(result) -> None:  # type: ignore[no-untyped-def]
    console.print(f"Workspace: [bold]{escape(str(result.workspace))}[/]")
    added = ", ".join(f"{v} {k}" for k, v in sorted(result.added.items())) or "nothing new"
    console.print(f"Evidence added: {added} ({result.unchanged} already present). Claims: {result.claims}; "
                  f"track events: {result.track_events}; detections: {result.detections}; alerts: {result.alerts}.")
    for site, days in result.inventories.items():
        categories = sorted({c for counts in days.values() for c in counts})
        print_table(f"{site}: expected counts per date (detector + identifier)", ["category", *days],
                    [[c, *(days[day].get(c, 0) for day in days)] for c in categories])
        kinds = sorted({k for c in result.changes.get(site, {}).values() for k in c})
        if kinds:
            print_table(f"{site}: changes between dates", ["dates", *kinds],
                        [[span, *(c.get(k, 0) for k in kinds)] for span, c in result.changes[site].items()])
    for site, rows in result.assessments.items():
        print_table(f"{site}: assessment by date", ["as of", "leading hypothesis", "likelihood", "confidence",
                                                    "contradictions"],
                    [[a["as_of"], _leading_text(a["leading"]), (a["leading"] or {}).get("likelihood", ""),
                      a["confidence"], a["contradictions"]] for a in rows])
        if rows:
            console.print(f"[bold]{site}, as of {rows[-1]['as_of']}:[/]")
            for sentence in rows[-1]["judgements"][:4]:
                console.print(f"  - {escape(sentence)}")
    for name, path in result.renders.items():
        console.print(f"{name}: images, labels, previews and STAC catalog in {escape(str(path))}")


def _leading_text(lead: dict | None) -> str:
    """The leading hypothesis as a table cell: its id, ties joined with '=', or no judgement yet."""
    if not lead:
        return "no judgement yet"
    return " = ".join([lead["id"], *lead.get("tied_with", [])])
