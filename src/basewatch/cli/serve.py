"""`basewatch serve`: the dashboard and HTTP API of a workspace, on 127.0.0.1 by default."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from basewatch.cli.options import WorkspaceOpt, console, err_console, open_workspace

DEFAULT_PORT = 8765


def serve(
    workspace: WorkspaceOpt = Path("."),
    host: Annotated[str, typer.Option(help="Address to bind; other hosts read only with the token or "
                                            "--read-only.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
    read_only: Annotated[bool, typer.Option("--read-only", help="Refuse every write and let other hosts "
                                                                "read: for sharing.")] = False,
    token: Annotated[str | None, typer.Option(envvar="BASEWATCH_TOKEN", help="Token that writes need "
                                              "(default: a random one, printed).")] = None,
    workers: Annotated[int, typer.Option(help="Server processes (more throughput on several cores).")] = 1,
    get: Annotated[str | None, typer.Option("--get", metavar="PATH", help="Run one GET request in-process, "
                                            "print the body and exit (non-zero on an HTTP error).")] = None,
) -> None:
    """Serve the dashboard (map, timeline, change, evidence, judgement) and the API (/openapi.json)."""
    if get is not None:
        from basewatch.web import AppClient, create_app

        with open_workspace(workspace) as ws:
            resp = AppClient(create_app(ws, read_only=read_only, token=token)).get(get)
        sys.stdout.write(resp.text if resp.headers.get("content-type", "").startswith(("text/", "application/json"))
                         else f"<{len(resp.content)} bytes of {resp.headers.get('content-type')}>\n")
        if resp.status_code >= 400:
            err_console.print(f"[bold red]Error:[/] GET {escape(get)} answered {resp.status_code}")
            raise typer.Exit(1)
        return
    from basewatch.web import serve as run_server

    def ready(url: str, write_token: str) -> None:
        console.print(f"basewatch dashboard of [bold]{escape(str(workspace))}[/] at [bold]{url}[/]"
                      f"{' (read-only)' if read_only else ''}  (Ctrl-C to stop)")
        if not read_only:
            console.print(f"Write token: {escape(write_token)}  (header 'Authorization: Bearer TOKEN')")

    with open_workspace(workspace) as ws:
        try:
            run_server(ws, host=host, port=port, read_only=read_only, token=token, workers=workers, on_ready=ready)
        except KeyboardInterrupt:
            pass
