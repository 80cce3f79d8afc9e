"""`basewatch ingest FILE...`: archive files as evidence and run the stage each kind needs (claims for texts,
events for track files)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json
from basewatch.ingest.inspect import EVIDENCE_KINDS, TEXT_KINDS, guess_kind


def _kind_of(path: Path, kind: str | None) -> str:
    if kind:
        return kind
    if path.suffix.lower() == ".json":
        return "post"
    return guess_kind(path)


def ingest_one(ws: Any, path: Path, *, kind: str | None, source: str | None, published: str | None,
               url: str | None, site: str | None, outlet: str | None) -> dict[str, Any]:
    k = _kind_of(path, kind)
    if k in TEXT_KINDS:
        from basewatch.text.store import ingest_text

        out = ingest_text(ws, path, kind=k, source=source, published=published, url=url, site=site, outlet=outlet)
        return {"file": str(path), **out}
    result = ws.add_evidence(path, kind=k, source=source, published=published, url=url, site=site)
    out = {"file": str(path), "evidence": result.evidence.id, "created": result.created, "kind": k}
    if k == "track":
        try:
            from basewatch import tracks
        except ImportError:  # the tracks stage is not installed: archive only
            return out
        process = getattr(tracks, "process_track_evidence", None)
        if process is None:
            from basewatch.tracks.process import process_track_evidence as process
        out["track_events"] = process(ws, result.evidence.id)
    return out


def ingest(
    files: Annotated[list[Path], typer.Argument(help="Files: texts (txt, md, html, post JSON), images, videos, "
                                                     "track files.")],
    kind: Annotated[str | None, typer.Option(help=f"Evidence kind for every file ({', '.join(EVIDENCE_KINDS)}); "
                                                  "guessed from each file when omitted.")] = None,
    source: Annotated[str | None, typer.Option(help="Source id or name (see 'catalog list --sources').")] = None,
    published: Annotated[str | None, typer.Option(help="Publication time (ISO 8601).")] = None,
    url: Annotated[str | None, typer.Option(help="Where the file came from.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet of a text (heads its claims' attribution).")] = None,
    site: Annotated[str | None, typer.Option(help="Site the files concern.")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Store files as evidence; texts also get their claims extracted, track files their events."""
    results = []
    with open_workspace(workspace) as ws:
        for f in files:
            results.append(ingest_one(ws, f, kind=kind, source=source, published=published, url=url, site=site,
                                      outlet=outlet))
    if json_:
        print_json(results)
        return
    for r in results:
        extra = f", {r['claims']} claims" if "claims" in r else ""
        extra += f", {r['track_events']} track events" if "track_events" in r else ""
        state = "added" if r["created"] else "already present"
        console.print(f"{escape(r['file'])}: {r['evidence']} ({r['kind']}, {state}{extra})")
