"""`basewatch tracks`: load a track file, derive track events from track evidence, list a site's events."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from basewatch.cli.options import JsonOpt, WorkspaceOpt, console, open_workspace, print_json, print_record, print_table
from basewatch.model import TrackEvent

app = typer.Typer(no_args_is_help=True, help="Flight (ADS-B) and vessel (AIS) tracks: load, events.")


@app.command("load")
def load(
    file: Annotated[Path, typer.Argument(help="Track file: OpenSky CSV, traffic JSON(.gz), readsb trace, NMEA "
                                              "AIS, MarineCadastre or DMA CSV.")],
    fmt: Annotated[str | None, typer.Option("--format", help="Force the format (default: detect).")] = None,
    airports: Annotated[str | None, typer.Option(help="Count arrivals/departures at these ICAO airports, "
                                                      "comma-separated (e.g. LFPG,LFPO,LFPB).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Read a track file without a workspace: format, points, tracks, malformed lines (with line numbers)."""
    from basewatch.tracks.summary import summarize_file

    summary = summarize_file(file, fmt=fmt, airports=[a for a in (airports or "").split(",") if a.strip()])
    if json_:
        print_json(summary)
        return
    rec = {k: v for k, v in summary["load"].items() if k not in ("malformed_lines", "spoofed_jump_lines")}
    rec["tracks"] = summary["tracks"]
    rec["period"] = " - ".join(summary["period"]) if summary["period"] else ""
    print_record(rec)
    bad = summary["load"]["malformed_lines"]
    if bad:
        print_table("Malformed lines (skipped)", ["line", "reason"], [[b["line"], b["reason"]] for b in bad[:30]])
    if summary.get("movements"):
        rows = [[a, d, c, n] for a, days in summary["movements"].items() for d, cats in days.items()
                for c, n in cats.items()]
        print_table("Arrivals + departures", ["airport", "day", "category", "movements"], rows)


@app.command("process")
def process(
    evidence: Annotated[str, typer.Argument(help="Evidence id of a track file (kind 'track').")],
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """Derive track events from track evidence and store them (running it again adds nothing)."""
    from basewatch.tracks.process import process_track_evidence_report

    with open_workspace(workspace) as ws:
        result = process_track_evidence_report(ws, evidence)
    if json_:
        print_json(result)
    elif result.get("skipped"):
        console.print(f"{result['evidence']}: already processed ({result['existing']} track events); nothing added.")
    else:
        counts = ", ".join(f"{n} {k}" for k, n in sorted(result["events"].items())) or "no events"
        load_ = result["load"]
        console.print(f"{result['evidence']}: {load_['points']} points ({load_['format']}), {load_['malformed']} "
                      f"malformed lines skipped; stored {result['created']} track events: {counts}.")


@app.command("events")
def events(
    site: Annotated[str, typer.Argument(help="Site id or name.")],
    start: Annotated[str | None, typer.Option("--from", help="From this time (ISO 8601).")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Up to this time, inclusive (ISO 8601).")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this event kind (arrival, departure, airlift_surge, "
                                                  "in_port, departed_port, holding_offshore, entered_port, "
                                                  "ais_gap).")] = None,
    workspace: WorkspaceOpt = Path("."),
    json_: JsonOpt = False,
) -> None:
    """List the track events of a site in time order."""
    from basewatch.errors import InvalidValueError
    from basewatch.tracks.process import EVENT_KINDS, track_events

    if kind is not None and kind not in EVENT_KINDS:
        raise InvalidValueError(f"--kind {kind!r}; use one of {', '.join(EVENT_KINDS)}")
    with open_workspace(workspace) as ws:
        items = track_events(ws, site, start, end)
    if kind:
        items = [e for e in items if e.kind == kind]
    if json_:
        print_json({"events": [e.to_dict() for e in items]})
        return
    print_table(f"Track events at {site}", ["time", "kind", "track", "who", "category", "count", "detail"],
                [[e.observed_at.isoformat(), e.kind, e.track_id, e.details.get("name") or e.details.get("callsign"),
                  e.category, e.count, _detail(e)] for e in items])


def _detail(e: TrackEvent) -> str:
    d = e.details
    if e.kind == "airlift_surge":
        return f"baseline {d.get('baseline_per_day')}/day"
    if e.kind == "holding_offshore":
        return f"{d.get('median_distance_km')} km, {d.get('duration_h')} h"
    if e.kind == "ais_gap":
        return f"{d.get('gap_h')} h silent"
    return str(d.get("runway") or d.get("airfield") or "")


@app.command("reference")
def reference(
    kind: Annotated[str, typer.Argument(help="aircraft (aircraft database CSV: icao24, registration, typecode, "
                                             "operator) or watchlist (kind,pattern,typecode,operator,military,"
                                             "country,note).")],
    file: Annotated[Path, typer.Argument(help="The CSV file.")],
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Add an aircraft database or a watch-list to the workspace; used by later track processing."""
    from basewatch.tracks.process import import_reference

    with open_workspace(workspace) as ws:
        dest = import_reference(ws, file, kind)
    console.print(f"Stored {kind} reference at {dest}.")
