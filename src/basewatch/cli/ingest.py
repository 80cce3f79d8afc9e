"""`basewatch ingest FILE...`: archive files as evidence and run the stage each kind needs (claims for texts,
events for track files, detections for images with --detect). Thin over `basewatch.ingest`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json
from basewatch.ingest.inspect import EVIDENCE_KINDS
from basewatch.ingest.route import FileIngest, ingest_files


def _line(r: FileIngest) -> str:
    if not r.ok:
        return f"{escape(r.file)}: [red]failed[/], nothing stored: {escape(r.error or '')}"
    extra = "".join(f", {n} {what}" for n, what in ((r.claims, "claims"), (r.track_events, "track events"),
                                                      (r.detections, "detections")) if n is not None)
    state = "added" if r.created else "already present"
    return f"{escape(r.file)}: {r.evidence_id} ({r.kind}, {state}{extra})"


def ingest(
    files: Annotated[list[Path], typer.Argument(help="Files: texts (txt, md, html, post JSON), images, videos, "
                                                     "track files (gzip too).")],
    kind: Annotated[str | None, typer.Option(help=f"Evidence kind for every file ({', '.join(EVIDENCE_KINDS)}); "
                                                  "guessed from each file when omitted.")] = None,
    source: Annotated[str | None, typer.Option(help="Source id or name (see 'catalog list --sources').")] = None,
    published: Annotated[str | None, typer.Option(help="Publication time (ISO 8601).")] = None,
    collected: Annotated[str | None, typer.Option(help="Collection / acquisition time (ISO 8601).")] = None,
    url: Annotated[str | None, typer.Option(help="Where the file came from.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet of a text (heads its claims' attribution).")] = None,
    site: Annotated[str | None, typer.Option(help="Site the files concern.")] = None,
    detect: Annotated[bool, typer.Option("--detect", help="Also run the detector on images.")] = False,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Store files as evidence and run each one's stage; a bad file is reported and the others go on."""
    with open_workspace(workspace) as ws:
        results = ingest_files(ws, files, kind=kind, source=source, published=published, collected=collected,
                               url=url, site=site, outlet=outlet, detect=detect)
    if json_:
        print_json([r.to_dict() for r in results])
    else:
        for r in results:
            console.print(_line(r))
    failed = sum(not r.ok for r in results)
    if failed:
        console.print(f"{failed} of {len(results)} files failed.", style="red")
        raise typer.Exit(1)
