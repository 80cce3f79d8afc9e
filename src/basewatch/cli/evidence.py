"""`basewatch evidence`: archive files as evidence and look them up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from basewatch.cli.options import (
    CenterOpt,
    JsonOpt,
    LonLatOpt,
    WorkspaceOpt,
    console,
    open_workspace,
    parse_center,
    print_json,
    print_record,
    print_table,
)
from basewatch.ingest import EVIDENCE_KINDS

app = typer.Typer(no_args_is_help=True, help="Add evidence files to the archive; list, show, correct and remove them.")


@app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="The file: image, video, text, track file or PDF.")],
    kind: Annotated[str | None, typer.Option(help=f"Evidence kind ({', '.join(EVIDENCE_KINDS)}); "
                                                  "guessed from the file when omitted.")] = None,
    source: Annotated[str | None, typer.Option(help="Source id or name (see 'catalog list --sources').")] = None,
    collected: Annotated[str | None, typer.Option(help="Collection / acquisition time (ISO 8601).")] = None,
    published: Annotated[str | None, typer.Option(help="Publication time (ISO 8601).")] = None,
    url: Annotated[str | None, typer.Option(help="Where the file came from.")] = None,
    site: Annotated[str | None, typer.Option(help="Site it concerns (default: from the image footprint).")] = None,
    licence: Annotated[str | None, typer.Option(help="Licence or terms of the file.")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Archive a file by its sha256 and record its provenance; the same file twice is a no-op."""
    with open_workspace(workspace) as ws:
        result = ws.add_evidence(file, kind=kind, source=source, collected=collected, published=published,
                                 url=url, site=site, licence=licence)
    ev = result.evidence
    if json_:
        print_json({"created": result.created, **ev.to_dict()})
    elif result.created:
        frames = ev.metadata.get("keyframes")
        extra = f", {frames} keyframes" if frames else ""
        console.print(f"Added [bold]{ev.id}[/] ({ev.kind}, {ev.size_bytes} bytes{extra}"
                      f"{', site ' + ev.site_id if ev.site_id else ''}).")
    else:
        console.print(f"Already in the archive as [bold]{ev.id}[/] ({escape(ev.filename)}); nothing changed.")


@app.command("list")
def list_evidence(
    kind: Annotated[str | None, typer.Option(help="Only this kind.")] = None,
    site: Annotated[str | None, typer.Option(help="Only evidence about this site.")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """List evidence, oldest collection/publication first."""
    with open_workspace(workspace) as ws:
        items = ws.list_evidence(kind=kind, site=site)
    if json_:
        print_json([e.to_dict() for e in items])
        return
    print_table("Evidence", ["id", "kind", "site", "source", "collected", "published", "file"],
                [[e.id, e.kind, e.site_id, e.source_id, e.collected_at, e.published_at, e.filename] for e in items])


@app.command("show")
def show(
    evidence_id: Annotated[str, typer.Argument(help="Evidence id (ev-...) or a unique prefix of it or its sha256.")],
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Show one evidence item, its archive path and (for videos) its keyframes."""
    with open_workspace(workspace) as ws:
        ev = ws.evidence(evidence_id)
        record = {**ev.to_dict(), "archive_path": str(ws.archive.path(ev.sha256))}
        if ev.kind == "video":
            record["frames"] = ws.frames(ev.id)
    if json_:
        print_json(record)
        return
    frames = record.pop("frames", None)
    print_record(record)
    if frames:
        print_table("Keyframes", ["index", "time s", "archive path"],
                    [[f["index"], f["time_s"], f["path"]] for f in frames])


@app.command("update")
def update(
    evidence_id: Annotated[str, typer.Argument(help="Evidence id (or a unique prefix).")],
    site: Annotated[str | None, typer.Option(help="Site it concerns.")] = None,
    gsd: Annotated[float | None, typer.Option("--gsd", help="Ground sample distance, metres per pixel.")] = None,
    center: CenterOpt = None,
    lonlat: LonLatOpt = False,
    collected: Annotated[str | None, typer.Option(help="Collection / acquisition time (ISO 8601).")] = None,
    source: Annotated[str | None, typer.Option(help="Source id or name.")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Correct provenance or georeference a screenshot; records derived by machine are removed for a re-run."""
    point = parse_center(center, lonlat=lonlat)
    with open_workspace(workspace) as ws:
        result = ws.update_evidence(evidence_id, site=site, gsd=gsd, center=point, collected=collected,
                                    source=source)
    if json_:
        print_json({"removed_derived": result.removed_derived, **result.evidence.to_dict()})
        return
    again = f"; {result.removed_derived} derived records removed: run detect and analyze again" \
        if result.removed_derived else ""
    console.print(f"Updated [bold]{result.evidence.id}[/]{again}.")


@app.command("remove")
def remove(
    evidence_id: Annotated[str, typer.Argument(help="Evidence id (or a unique prefix).")],
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Delete an evidence item with its claims, observations and keyframes (archive object kept if shared)."""
    with open_workspace(workspace) as ws:
        ev = ws.evidence(evidence_id)
        n = ws.remove_evidence(ev.id)
    console.print(f"Removed {ev.id} ({n} evidence item{'s' if n != 1 else ''} with their derived records).")
