"""Options and output helpers shared by commands, written once.

- `WorkspaceOpt` (every command that reads or writes a workspace): `--workspace DIR`, default
  `$BASEWATCH_WORKSPACE` or the current directory.
- `JsonOpt` (every listing and show command): `--json` for scripts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from basewatch.workspace import Workspace

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

WorkspaceOpt = Annotated[
    Path,
    typer.Option("--workspace", "-w", envvar="BASEWATCH_WORKSPACE", show_default="current directory",
                 help="Workspace directory (or set BASEWATCH_WORKSPACE)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def open_workspace(path: Path) -> Workspace:
    return Workspace.open(path)


def print_json(data: Any) -> None:
    """Plain JSON on stdout (no colour codes), for scripts."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col)
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    console.print(table)


def print_record(record: dict[str, Any]) -> None:
    """A key/value view of one record for people."""
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for key, value in record.items():
        if isinstance(value, (dict, list, tuple)):
            value = json.dumps(value, ensure_ascii=False, default=str)
            if len(value) > 300:
                value = value[:300] + "..."
        table.add_row(key, "" if value is None else str(value))
    console.print(table)
