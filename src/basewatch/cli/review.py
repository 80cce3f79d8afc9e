"""`basewatch review`: the analyst confirms, rejects, retypes, redraws or adds detections, counts a zone by hand,
and undoes any of it. Thin over `basewatch.imagery.review`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_table
from basewatch.errors import InvalidValueError

app = typer.Typer(no_args_is_help=True, help="Review an image's detections: confirm, reject, retype, redraw, add, "
                                             "count by hand, undo.")

EvidenceArg = Annotated[str, typer.Argument(help="Image evidence id (see 'basewatch evidence list').")]
DetectionArg = Annotated[int, typer.Argument(help="Detection id (see 'basewatch review list EVIDENCE').")]
AnalystOpt = Annotated[str | None, typer.Option(help="Who is reviewing; default $BASEWATCH_ANALYST or the "
                                                     "login name.")]
NoteOpt = Annotated[str, typer.Option(help="Why (free text, kept with the review).")]
BoxOpt = Annotated[str, typer.Option("--box", help="Four pixel corners 'x,y x,y x,y x,y' in order around the "
                                                   "object.")]


def parse_box(text: str) -> list[tuple[float, float]]:
    """'x,y x,y x,y x,y' as four (column, row) pairs."""
    try:
        pts = [tuple(float(v) for v in pair.split(",")) for pair in text.replace(";", " ").split()]
    except ValueError as exc:
        raise InvalidValueError(f"--box {text!r}: give four corners as 'x,y x,y x,y x,y' in pixels") from exc
    if any(len(p) != 2 for p in pts):
        raise InvalidValueError(f"--box {text!r}: each corner is one 'x,y' pair")
    return pts  # type: ignore[return-value]


def _act(workspace: Path, evidence: str, action: str, json_: bool, **kw: Any) -> None:
    from basewatch.imagery.review import review

    with open_workspace(workspace) as ws:
        r = review(ws, evidence, action, **kw)
    if json_:
        print_json(r.to_dict())
        return
    what = f"detection {r.detection_id}" if r.detection_id is not None else f"zone {r.zone_id}"
    extra = f" as {r.type_id}" if r.type_id and action != "count" else ""
    if action == "count":
        extra = f": {r.count} x {r.type_id}"
    console.print(f"Review {r.id}: {r.analyst} {action} {what}{extra} on {r.evidence_id}; inventory rebuilt "
                  f"(undo with 'basewatch review undo {r.id}').")


@app.command("list")
def list_detections(evidence: EvidenceArg, workspace: WorkspaceOpt = Path("."), json_: JsonOpt = False) -> None:
    """The image's detections as they stand after review, and the reviews taken on it."""
    from basewatch.imagery.review import review_sheet, reviews

    with open_workspace(workspace) as ws:
        sheet = review_sheet(ws, evidence)
        history = reviews(ws, evidence=evidence)
    if json_:
        print_json({"detections": sheet, "reviews": [r.to_dict() for r in history]})
        return
    print_table(f"Detections of {evidence}", ["id", "class", "score", "type", "p", "zone", "status", "reviews"],
                [[d["detection"], d["class"], d["score"], d["type"], d["p"], d["zone"], d["status"],
                  ", ".join(f"{r['action']}#{r['id']}" for r in d["reviews"])] for d in sheet])
    if history:
        print_table("Reviews", ["id", "action", "detection", "type", "zone", "count", "analyst", "at", "undone"],
                    [[r.id, r.action, r.detection_id, r.type_id, r.zone_id, r.count, r.analyst,
                      r.reviewed_at.isoformat(), f"{r.undone_by} {r.undone_at.isoformat()}" if r.undone_at else ""]
                     for r in history])


@app.command("queue")
def queue(site: Annotated[str, typer.Argument(help="Site id or name.")],
          limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")] = 50,
          workspace: WorkspaceOpt = Path("."), json_: JsonOpt = False) -> None:
    """Detections to look at first: type unknown, unsure or known only by its family, least sure first."""
    from basewatch.imagery.review import review_queue

    with open_workspace(workspace) as ws:
        rows = review_queue(ws, site, limit=limit)
    if json_:
        print_json({"queue": rows})
        return
    print_table(f"Review queue of {site}", ["evidence", "detection", "date", "zone", "type", "p", "runner-up"],
                [[r["evidence"], r["detection"], r["date"], r["zone"], r["type"], r["p"],
                  ", ".join(f"{c['id']} {c['p']:.2f}" for c in r["candidates"][1:3])] for r in rows])


@app.command("confirm")
def confirm(evidence: EvidenceArg, detection: DetectionArg, analyst: AnalystOpt = None, note: NoteOpt = "",
            workspace: WorkspaceOpt = Path("."), json_: JsonOpt = False) -> None:
    """It is real: its score becomes 1 (the type stands unless retyped)."""
    _act(workspace, evidence, "confirm", json_, detection=detection, analyst=analyst, note=note)


@app.command("reject")
def reject(evidence: EvidenceArg, detection: DetectionArg, analyst: AnalystOpt = None, note: NoteOpt = "",
           workspace: WorkspaceOpt = Path("."), json_: JsonOpt = False) -> None:
    """Not an object (false alarm, shadow, decoy): dropped from counts, changes and indicators."""
    _act(workspace, evidence, "reject", json_, detection=detection, analyst=analyst, note=note)


@app.command("retype")
def retype(evidence: EvidenceArg, detection: DetectionArg,
           equipment: Annotated[str, typer.Option("--type", help="The right type (id or alias).")],
           analyst: AnalystOpt = None, note: NoteOpt = "", workspace: WorkspaceOpt = Path("."),
           json_: JsonOpt = False) -> None:
    """It is this type (probability 1)."""
    _act(workspace, evidence, "retype", json_, detection=detection, equipment=equipment, analyst=analyst,
         note=note)


@app.command("redraw")
def redraw(evidence: EvidenceArg, detection: DetectionArg, box: BoxOpt, analyst: AnalystOpt = None,
           note: NoteOpt = "", workspace: WorkspaceOpt = Path("."), json_: JsonOpt = False) -> None:
    """Its footprint is this box (sizes and heading are re-measured)."""
    _act(workspace, evidence, "redraw", json_, detection=detection, polygon=parse_box(box), analyst=analyst,
         note=note)


@app.command("add")
def add(evidence: EvidenceArg, box: BoxOpt,
        equipment: Annotated[str | None, typer.Option("--type", help="Its type (id or alias), if known.")] = None,
        cls: Annotated[str | None, typer.Option("--class", help="aircraft, helicopter, vehicle or ship (taken from "
                                                                "--type when given).")] = None,
        analyst: AnalystOpt = None, note: NoteOpt = "", workspace: WorkspaceOpt = Path("."),
        json_: JsonOpt = False) -> None:
    """An object the detector missed."""
    _act(workspace, evidence, "add", json_, polygon=parse_box(box), equipment=equipment, cls=cls, analyst=analyst,
         note=note)


@app.command("count")
def count(evidence: EvidenceArg, zone: Annotated[str, typer.Option(help="Zone of the site (see 'sites show').")],
          equipment: Annotated[str, typer.Option("--type", help="Type counted (id or alias).")],
          number: Annotated[int, typer.Option("--count", help="How many the image shows in the zone (0: none).")],
          analyst: AnalystOpt = None, note: NoteOpt = "", workspace: WorkspaceOpt = Path("."),
          json_: JsonOpt = False) -> None:
    """Count one type in one zone by hand; replaces the machine's count of that type there for this image."""
    _act(workspace, evidence, "count", json_, zone=zone, equipment=equipment, count=number, analyst=analyst,
         note=note)


@app.command("undo")
def undo(review_id: Annotated[int, typer.Argument(help="Review id (see 'basewatch review list').")],
         analyst: AnalystOpt = None, workspace: WorkspaceOpt = Path("."), json_: JsonOpt = False) -> None:
    """Withdraw a review (kept in the history, marked undone); the machine's reading returns."""
    from basewatch.imagery.review import undo as undo_review

    with open_workspace(workspace) as ws:
        r = undo_review(ws, review_id, analyst=analyst)
    if json_:
        print_json(r.to_dict())
    else:
        console.print(f"Review {r.id} ({r.action} on {r.evidence_id}) undone by {r.undone_by}; inventory rebuilt.")
