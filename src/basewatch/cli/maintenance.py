"""`basewatch verify` and `basewatch backup DIR`: check a workspace's archive and database, and copy it safely."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_table


def verify(workspace: WorkspaceOpt = Path("."), json_: JsonOpt = False) -> None:
    """Re-hash every archive object and check the database; exit code 1 when anything is wrong."""
    from basewatch.store.verify import verify_workspace

    with open_workspace(workspace) as ws:
        report = verify_workspace(ws)
    if json_:
        print_json(report.to_dict())
    else:
        console.print(f"{report.objects_checked} archive objects hashed; database: {escape(report.database_checked)}"
                      f"; {len(report.unreferenced)} objects no evidence cites.")
        if report.problems:
            print_table("Problems", ["kind", "item", "detail"],
                        [[p.kind, p.item, escape(p.detail)] for p in report.problems])
        else:
            console.print("OK: no problems found.")
    if not report.ok:
        raise typer.Exit(1)


def backup(
    directory: Annotated[Path, typer.Argument(help="New or empty directory for the copy.")],
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Write a consistent copy of the workspace (database snapshot, archive hard-linked or copied)."""
    from basewatch.store.backup import backup_workspace

    with open_workspace(workspace) as ws:
        result = backup_workspace(ws, directory)
    if json_:
        print_json(result.to_dict())
    else:
        console.print(f"Backed up to [bold]{escape(str(result.directory))}[/]: database and {result.objects} "
                      f"archive objects ({result.linked} hard-linked).")
