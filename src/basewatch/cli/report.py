"""`basewatch report`: a brief on one site, as self-contained HTML or Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json


def report(
    site: Annotated[str, typer.Argument(help="Site id or any of its names.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write (.html, or .md for Markdown).")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge as of this date (YYYY-MM-DD); default: "
                                              "everything known.")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="html or md (default: from the file suffix).")]
    = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Write the brief: key judgements, indicators, counts over time, image chips, change, cited evidence."""
    from basewatch.report import write_brief

    with open_workspace(workspace) as ws:
        path = write_brief(ws, site, out, as_of=as_of, fmt=fmt)
    if json_:
        print_json({"site": site, "as_of": as_of, "out": str(path), "bytes": path.stat().st_size})
    else:
        console.print(f"Wrote {escape(str(path))} ({path.stat().st_size:,} bytes)")
