"""`basewatch observe` and `basewatch observations`: an analyst's manual observations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_table
from basewatch.export.records import observation_record, observation_records

observations_app = typer.Typer(no_args_is_help=True, help="List observations.")


def observe(
    site: Annotated[str, typer.Option(help="Site id or name.")],
    equipment: Annotated[str | None, typer.Option("--type", help="Equipment type id or alias.")] = None,
    state: Annotated[str | None, typer.Option(help="State from the vocabulary ('catalog list --states').")] = None,
    time: Annotated[str | None, typer.Option(help="When it was seen (ISO 8601); default: the evidence's "
                                                  "collection time.")] = None,
    count: Annotated[int, typer.Option(help="How many were seen (0 with --state not_seen: covered, absent).")] = 1,
    zone: Annotated[str | None, typer.Option(help="Zone of the site (see 'sites show').")] = None,
    evidence: Annotated[str | None, typer.Option(help="Evidence id the observation rests on.")] = None,
    frame: Annotated[int | None, typer.Option(help="Keyframe index of a video evidence.")] = None,
    at: Annotated[float | None, typer.Option("--at", help="Time in seconds into a video evidence.")] = None,
    confidence: Annotated[float | None, typer.Option(help="Analyst's confidence 0..1.")] = None,
    kind: Annotated[str, typer.Option(help="detection, count or coverage.")] = "detection",
    note: Annotated[str, typer.Option(help="Free text.")] = "",
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Record a manual observation, e.g. from a drone-video frame: site, type, state, time, evidence."""
    with open_workspace(workspace) as ws:
        obs = ws.observe(site=site, equipment=equipment, state=state, time=time, count=count, zone=zone,
                         evidence=evidence, frame=frame, at_s=at, confidence=confidence, kind=kind, note=note)
        record = observation_record(ws, obs)
    if json_:
        print_json(record)
    else:
        console.print(f"Recorded observation {obs.id}: {obs.count} x {obs.equipment_type_id or 'item'} "
                      f"{obs.state or ''} at {obs.site_id} on {obs.observed_at}.")


@observations_app.command("list")
def list_observations(
    site: Annotated[str | None, typer.Option(help="Only this site.")] = None,
    equipment: Annotated[str | None, typer.Option("--type", help="Only this equipment type.")] = None,
    evidence: Annotated[str | None, typer.Option(help="Only observations resting on this evidence item.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind: detection, count, coverage or "
                                                  "track_event.")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """List observations in time order."""
    with open_workspace(workspace) as ws:
        if json_:  # the records of `GET /api/observations`
            print_json({"observations": observation_records(ws, site=site, equipment=equipment, evidence=evidence,
                                                            kind=kind)})
            return
        items = ws.list_observations(site=site, equipment=equipment, evidence=evidence, kind=kind)
    print_table("Observations", ["id", "time", "site", "zone", "type", "state", "count", "method", "evidence", "frame"],
                [[o.id, o.observed_at, o.site_id, o.zone_id, o.equipment_type_id, o.state, o.count, o.method,
                  o.evidence_id, o.frame_index] for o in items])
