"""The `basewatch` command: one Typer app; each command group lives in its own module."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from basewatch import __version__
from basewatch.cli import alerts as alerts_cli  # outputs: serve, report, export, alerts
from basewatch.cli import (  # text evidence  # imagery understanding
    analyze,
    assess,
    catalog,
    claims,
    compare,
    demo,
    evidence,
    ingest,
    maintenance,
    observe,
    sites,
    synth,
    timeline,
    tracks,
)
from basewatch.cli import detect as detect_cli  # imagery / eval / train
from basewatch.cli import eval as eval_cli
from basewatch.cli import export as export_cli
from basewatch.cli import report as report_cli
from basewatch.cli import review as review_cli
from basewatch.cli import serve as serve_cli
from basewatch.cli import train as train_cli
from basewatch.cli.options import JsonOpt, console, err_console, print_json
from basewatch.errors import BasewatchError
from basewatch.store.db import is_damaged


class BasewatchGroup(TyperGroup):
    """Turns every BasewatchError raised below it into one line on stderr and exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BasewatchError as exc:
            err_console.print(f"[bold red]Error:[/] {escape(str(exc))}")
            raise typer.Exit(1) from None
        except Exception as exc:
            if not is_damaged(exc):
                raise
            err_console.print(f"[bold red]Error:[/] the workspace database is damaged ({escape(str(exc.orig))}); "
                              "run 'basewatch verify' and restore it from a 'basewatch backup' copy")
            raise typer.Exit(1) from None


app = typer.Typer(cls=BasewatchGroup, no_args_is_help=True, add_completion=False,
                  help="Watch military sites from open sources: imagery, tracks and texts, fused with evidence.")
# --- command registrations: one line per command or group (each in its own cli/ module) ---
app.add_typer(sites.app, name="sites")
app.add_typer(evidence.app, name="evidence")
app.add_typer(observe.observations_app, name="observations")
app.add_typer(catalog.app, name="catalog")
app.add_typer(synth.app, name="synth")
app.command("observe")(observe.observe)
app.command("demo")(demo.demo)
app.command("detect")(detect_cli.detect)
app.add_typer(eval_cli.app, name="eval")
app.add_typer(train_cli.app, name="train")
app.command("assess")(assess.assess)
app.command("timeline")(timeline.timeline)
app.add_typer(tracks.app, name="tracks")
app.add_typer(claims.app, name="claims")
app.command("ingest")(ingest.ingest)
app.command("analyze")(analyze.analyze)
app.add_typer(review_cli.app, name="review")
app.command("compare")(compare.compare)
app.command("serve")(serve_cli.serve)
app.command("report")(report_cli.report)
app.add_typer(export_cli.app, name="export")
app.add_typer(alerts_cli.app, name="alerts")
app.command("verify")(maintenance.verify)
app.command("backup")(maintenance.backup)
# --- end of registrations ---


def _version(value: bool) -> None:
    if value:
        typer.echo(f"basewatch {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """basewatch: is this base being reinforced, held, drawn down or abandoned -- and how sure are we?"""


@app.command("init")
def init(
    directory: Annotated[Path, typer.Argument(help="Directory of the new workspace (created if needed).")],
    name: Annotated[str | None, typer.Option(help="Name of the investigation.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Create an investigation workspace: config, SQLite database (WAL) and evidence archive."""
    from basewatch.workspace import Workspace

    with Workspace.init(directory, name=name) as ws:
        cat = ws.catalog
        summary = {"workspace": str(ws.root.resolve()), "sites": len(cat.sites),
                   "equipment_types": len(cat.equipment), "sources": len(cat.sources)}
    if json_:
        print_json(summary)
    else:
        console.print(f"Created workspace [bold]{escape(summary['workspace'])}[/] with {summary['sites']} sites, "
                      f"{summary['equipment_types']} equipment types and {summary['sources']} sources.")


def run() -> None:
    """Console-script entry point."""
    app()
