"""`basewatch claims`: extract claims from a text file, list stored claims and the events they report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_table

app = typer.Typer(no_args_is_help=True, help="Claims read from texts: who said what about a site, how firmly, when.")


@app.command("extract")
def extract(
    file: Annotated[Path, typer.Argument(help="Text, Markdown, HTML or post JSON (X API v2, Telegram export).")],
    published: Annotated[str | None, typer.Option(help="Publication date (ISO 8601) for relative dates.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet that published it (heads the attribution).")] = None,
    url: Annotated[str | None, typer.Option(help="Where the text came from.")] = None,
    kind: Annotated[str | None, typer.Option(help="article, post or statement (default: from the file).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Print the claims in one file without storing anything (no workspace needed)."""
    from basewatch.model import parse_instant
    from basewatch.text import extract_document, read_document
    from basewatch.text.store import claim_record

    doc = read_document(file)
    if url:
        doc.url = url
    found = extract_document(doc, published=published, outlet=outlet, kind=kind)
    if json_:  # the schema of `claims list --json`, without the ids a stored claim gets
        day = parse_instant(published, what="--published").at.date() if published else doc.published
        print_json({"claims": [claim_record(c, None, published=day).to_dict() for c in found]})
        return
    print_table(escape(f"Claims in {file.name}"),
                ["site", "subject", "state", "stance", "when", "attribution", "quote"],
                [[c.site, escape(c.subject.text), c.state, c.stance, c.event_time.start if c.event_time else None,
                  escape(" < ".join(a.name for a in c.attribution)), escape(c.quote[:80])] for c in found])
    if not found:
        console.print("No claims: the text names none of the catalog's sites, or makes no claim about them.")


@app.command("list")
def list_cmd(
    site: Annotated[str | None, typer.Option(help="Only claims about this site.")] = None,
    evidence: Annotated[str | None, typer.Option(help="Only claims from this evidence item.")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """List the claims stored in the workspace, by event time."""
    with open_workspace(workspace) as ws:
        rows = ws.claims(site=site, evidence=evidence)
    if json_:
        print_json({"claims": [c.to_dict() for c in rows]})
        return
    print_table("Claims", ["id", "evidence", "site", "subject", "state", "stance", "event", "speaker"],
                [[c.id, c.evidence_id, c.site_id, escape(c.subject), c.state, c.stance,
                  c.event_at.isoformat() if c.event_at else None, escape(c.speaker or "")] for c in rows])


@app.command("events")
def events(
    site: Annotated[str | None, typer.Option(help="Only events at this site.")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Claims grouped into events: the same thing reported by several outlets is one event."""
    from basewatch.text.store import claim_events

    with open_workspace(workspace) as ws:
        rows = claim_events(ws, site=site)
    if json_:
        print_json(rows)
        return
    print_table("Reported events", ["site", "subject", "state", "when", "reports", "sources"],
                [[e["site_id"], e["subject"], e["state"], e["event_at"], e["reports"],
                  escape(", ".join(e["sources"]))] for e in rows])
