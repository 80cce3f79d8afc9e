"""`basewatch alerts`: indicators that fired and leading hypotheses that changed, posted to webhooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_table
from basewatch.model import Alert

app = typer.Typer(no_args_is_help=True, help="Record alerts from the latest assessments and post them to the "
                                             "webhooks in basewatch.toml ([alerts] webhooks = [...]).")


def _show(alerts: list[Alert], json_: bool, title: str) -> None:
    if json_:
        print_json([a.to_dict() for a in alerts])
        return
    rows = []
    for a in alerts:
        ok = sum(1 for d in a.deliveries if d.get("ok"))
        rows.append([a.id, a.created, a.site, a.kind, a.message, f"{ok} ok / {len(a.deliveries)}"])
    print_table(title, ["id", "created", "site", "kind", "message", "deliveries"], rows)


@app.command("check")
def check(
    workspace: WorkspaceOpt = Path("."),
    site: Annotated[str | None, typer.Option("--site", help="Only this site.")] = None,
    no_deliver: Annotated[bool, typer.Option("--no-deliver", help="Record alerts without posting them.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Compare each site's two latest assessments; record and post what changed (once)."""
    from basewatch.alerts import check_alerts

    with open_workspace(workspace) as ws:
        made = check_alerts(ws, site, deliver=not no_deliver)
    if not made and not json_:
        console.print("No new alerts.")
        return
    _show(made, json_, "New alerts")


@app.command("list")
def list_alerts(workspace: WorkspaceOpt = Path("."), json_: JsonOpt = False) -> None:
    """Recorded alerts with their delivery log."""
    with open_workspace(workspace) as ws:
        _show(ws.alerts(newest_first=True), json_, "Alerts")


@app.command("retry")
def retry(workspace: WorkspaceOpt = Path("."), json_: JsonOpt = False) -> None:
    """Post again every alert that a configured webhook has not acknowledged."""
    from basewatch.alerts import retry_deliveries

    with open_workspace(workspace) as ws:
        _show(retry_deliveries(ws), json_, "Redelivered")
