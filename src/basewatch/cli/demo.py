"""`basewatch demo`: the built-in December 2024 example, end to end."""

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
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only print the result; do not serve it.")] = False,
    port: Annotated[int, typer.Option(help="Port for serving the outputs on 127.0.0.1.")] = 8765,
    json_: JsonOpt = False,
) -> None:
    """Build the example workspace (Khmeimim and Tartus, December 2024) and run every stage on it."""
    from basewatch.demo import run_demo
    from basewatch.workspace import Workspace

    with console.status("Rendering and ingesting the December 2024 example..."):
        result = run_demo(workspace)
    if json_:
        print_json(result.to_dict())
    else:
        console.print(f"Workspace: [bold]{escape(str(result.workspace))}[/]")
        added = ", ".join(f"{v} {k}" for k, v in sorted(result.added.items())) or "nothing new"
        console.print(f"Added {added}; {result.unchanged} already present; {result.observations} observations.")
        with Workspace.open(workspace) as ws:
            rows = []
            for site in ws.catalog.sites.values():
                ev = ws.list_evidence(site=site.id)
                kinds = sorted({e.kind for e in ev})
                rows.append([site.id, len(ev), ", ".join(kinds), len(ws.list_observations(site=site.id))])
        print_table("Evidence per site", ["site", "evidence", "kinds", "observations"], rows)
        for name, path in result.renders.items():
            console.print(f"{name}: images, labels and previews in {escape(str(path))} "
                          f"(STAC catalog: {escape(str(path / 'stac' / 'catalog.json'))})")
        console.print(f"Next: basewatch evidence list --workspace {escape(str(workspace))}")
    if not no_serve and sys.stdin.isatty() and sys.stdout.isatty():
        _serve(result.workspace / "renders", port)


def _serve(root: Path, port: int) -> None:
    """Serve the rendered outputs (previews, STAC, labels) on loopback until Ctrl-C."""
    import functools
    import http.server

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        console.print(f"Serving {escape(str(root))} on http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
