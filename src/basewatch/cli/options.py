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


CenterOpt = Annotated[str | None, typer.Option("--center", help="LAT,LON of the image centre in degrees, as Google "
                                                                "Earth copies it (with --gsd; north-up assumed); "
                                                                "--lonlat reads LON,LAT instead.")]
LonLatOpt = Annotated[bool, typer.Option("--lonlat", help="Read --center as LON,LAT.")]


def parse_center(value: str | None, *, lonlat: bool = False) -> tuple[float, float] | None:
    """A typed centre point as (lon, lat); LAT,LON unless `lonlat`."""
    if value is None:
        return None
    from basewatch.errors import InvalidValueError

    order = "LON,LAT" if lonlat else "LAT,LON"
    try:
        a, b = (float(v) for v in value.replace(" ", "").split(","))
    except ValueError:
        raise InvalidValueError(f"--center {value!r}: give {order} in degrees, e.g. "
                                f"{'35.401,35.412' if lonlat else '35.412,35.401'}") from None
    lon, lat = (a, b) if lonlat else (b, a)
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidValueError(f"--center {value!r} read as {order}: longitude must be -180..180 and latitude "
                                "-90..90" + ("" if lonlat else "; pass --lonlat if you gave LON,LAT"))
    return lon, lat
