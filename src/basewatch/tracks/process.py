"""Track evidence in a workspace: parse the archived file, derive events for the sites the tracks touch, store
them as `track_event` observations (idempotent per evidence item), and read them back.

Optional user files in the workspace refine identification: `tracks/aircraft.csv` (an aircraft database in
OpenSky's `aircraftDatabase.csv` shape: icao24, registration, typecode, operator) and `tracks/watchlist.csv`
(kind,pattern,typecode,operator,military,country,note; kinds callsign_prefix, registration_regex, name, imo,
mmsi, icao24).
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from basewatch import errors
from basewatch.model import Instant, Site, TrackEvent, parse_instant
from basewatch.model.time import Precision
from basewatch.store.observations import write_observations
from basewatch.store.track_events import track_event_observation
from basewatch.tracks.events import (
    AirParams,
    SeaParams,
    air_events,
    airlift_surges,
    covered_days,
    sea_events,
)
from basewatch.tracks.identify import Identifier
from basewatch.tracks.load import load_tracks, read_bytes
from basewatch.tracks.places import airfield_from_site, port_from_site
from basewatch.tracks.points import LoadReport, TrackSet
from basewatch.workspace import Workspace

AIR_SITE_KINDS = ("air_base", "airfield", "airport", "helicopter_base")
SEA_SITE_KINDS = ("naval_base", "port", "naval_facility")
EVENT_KINDS = ("arrival", "departure", "airlift_surge", "in_port", "departed_port", "holding_offshore",
               "entered_port", "ais_gap")
USER_DIR = "tracks"
_CONFIDENCE = {"arrival": 0.8, "departure": 0.8, "airlift_surge": 0.7, "in_port": 0.8, "departed_port": 0.75,
               "entered_port": 0.75, "holding_offshore": 0.7, "ais_gap": 0.6}


def identifier(ws: Workspace) -> Identifier:
    """Built-in rules plus the workspace's aircraft database and watch-list, when present."""
    base = Path(ws.root) / USER_DIR
    db = Identifier.read_aircraft_db(base / "aircraft.csv") if (base / "aircraft.csv").is_file() else {}
    watch = Identifier.read_watchlist(base / "watchlist.csv") if (base / "watchlist.csv").is_file() else []
    return Identifier(catalog=ws.catalog, aircraft_db=db, watch=watch)


def import_reference(ws: Workspace, path: Path | str, kind: str) -> Path:
    """Copy a user aircraft database ('aircraft') or watch-list ('watchlist') into the workspace, checked first."""
    path = Path(path)
    if kind == "aircraft":
        Identifier.read_aircraft_db(path)
    elif kind == "watchlist":
        Identifier.read_watchlist(path)
    else:
        raise errors.InvalidValueError(f"reference kind {kind!r}; use aircraft or watchlist")
    dest = Path(ws.root) / USER_DIR / f"{kind}.csv"
    dest.parent.mkdir(exist_ok=True)
    shutil.copyfile(path, dest)
    return dest


def _near_sites(ts: TrackSet, sites: list[Site], radius_m: float) -> list[Site]:
    out = []
    for s in sites:
        kx = 110_946.0 * np.cos(np.radians(s.lat))
        d = np.hypot((ts.lon - s.lon) * kx, (ts.lat - s.lat) * 110_946.0)
        if d.size and float(d.min()) <= radius_m:
            out.append(s)
    return out


def derive_events(ws: Workspace, ts: TrackSet, *, sites: list[str] | None = None, air: AirParams | None = None,
                  sea: SeaParams | None = None) -> list[dict[str, Any]]:
    """Events for the catalog sites the tracks come near (or only the given sites)."""
    air = air or AirParams()
    sea = sea or SeaParams()
    cat = ws.catalog
    candidates = [ws.site(s) for s in sites] if sites else list(cat.sites.values())
    ident = identifier(ws)
    events: list[dict[str, Any]] = []
    if ts.domain == "air":
        fields = [airfield_from_site(s) for s in _near_sites(
            ts, [s for s in candidates if s.kind in AIR_SITE_KINDS or sites], air.approach_radius_m)]
        moves = air_events(ts, fields, ident, air)
        events.extend(moves)
        events.extend(airlift_surges(moves, covered_days(ts)))
    else:
        for s in _near_sites(ts, [s for s in candidates if s.kind in SEA_SITE_KINDS or sites],
                             sea.holding_km * 1000):
            events.extend(sea_events(ts, port_from_site(s), ident, sea))
    events.sort(key=lambda e: (e["t"], e["kind"]))
    return events


def _existing(ws: Workspace, evidence_id: str) -> int:
    return len(ws.track_events(evidence=evidence_id))


def load_evidence(ws: Workspace, evidence_id: str) -> tuple[Any, TrackSet, LoadReport]:
    ev = ws.evidence(evidence_id)
    if ev.kind != "track":
        raise errors.InvalidValueError(f"evidence {ev.id} is of kind {ev.kind!r}, not 'track'; give a track file")
    path = ws.archive.path(ev.sha256)
    if not path.is_file():
        raise errors.WorkspaceError(f"evidence {ev.id}: its archived file is missing; re-ingest {ev.filename}")
    ts, report = load_tracks(read_bytes(path), name=f"{ev.filename} ({ev.id})")
    return ev, ts, report


def process_track_evidence_report(ws: Workspace, evidence_id: str, **kwargs: Any) -> dict[str, Any]:
    """Like `process_track_evidence`, returning the load report and event counts as well."""
    ev = ws.evidence(evidence_id)
    existing = _existing(ws, ev.id)
    if existing:
        return {"evidence": ev.id, "created": 0, "existing": existing, "skipped": "already processed"}
    ev, ts, report = load_evidence(ws, ev.id)
    events = derive_events(ws, ts, **kwargs)
    method = f"tracks:{report.format}"
    rows = [track_event_observation(_record(ws, ev.id, method, e)) for e in events if e.get("site")]
    if rows:
        with ws.transaction() as conn:  # one transaction: all events of the file or none
            write_observations(conn, ev.id, method, rows)
    counts: dict[str, int] = {}
    for e in events:
        counts[e["kind"]] = counts.get(e["kind"], 0) + 1
    return {"evidence": ev.id, "created": len(rows), "existing": 0, "events": counts, "load": report.to_dict()}


def process_track_evidence(ws: Workspace, evidence_id: str) -> int:
    """Derive track events from a track evidence item and store them; returns how many were added (0 if the
    item was processed before)."""
    return int(process_track_evidence_report(ws, evidence_id)["created"])


def _record(ws: Workspace, evidence_id: str, method: str, e: dict[str, Any]) -> TrackEvent:
    eq = e.get("equipment")
    if eq is not None and eq not in ws.catalog.equipment:
        eq = None
    details = {k: v for k, v in e.items() if k not in ("kind", "t", "time", "site", "lat", "lon", "equipment",
                                                       "track_id", "category") and v is not None}
    return TrackEvent(kind=e["kind"], site_id=e["site"], observed_at=parse_instant(e["time"]),  # a day or a second
                      method=method, evidence_id=evidence_id, track_id=e.get("track_id"),
                      category=e.get("category"), equipment_type_id=eq,
                      zone_id=e.get("zone") if e["kind"] == "holding_offshore" else None,
                      count=int(e.get("count", 1)), confidence=_CONFIDENCE.get(e["kind"]),
                      lon=e.get("lon") if e.get("lat") is not None else None, lat=e.get("lat"), note=_note(e),
                      details=details)


def _note(e: dict[str, Any]) -> str:
    who = e.get("callsign") or e.get("name") or e.get("track_id") or ""
    k = e["kind"]
    if k == "airlift_surge":
        return (f"{e['count']} heavy-transport movements (baseline {e['baseline_per_day']:g}/day over "
                f"{e['baseline_days']} days)")
    if k == "holding_offshore":
        return f"{who} holding {e.get('median_distance_km')} km offshore for {e.get('duration_h')} h"
    if k == "ais_gap":
        return f"{who} stopped transmitting for {e.get('gap_h')} h near the site"
    return f"{who} {k.replace('_', ' ')}".strip()


def track_events(ws: Workspace, site: str, start: str | None = None, end: str | None = None) -> list[TrackEvent]:
    """The stored track events of a site in time order; `end` names a period that is included whole."""
    begin = parse_instant(start, what="--from").at if start else None
    stop = _period_end(parse_instant(end, what="--to")) if end else None
    return ws.track_events(site=site, start=begin, end=stop)


def _period_end(inst: Instant) -> datetime:
    """The end of the period an Instant names: '--to 2024-12-15' includes all of that day."""
    at = inst.at
    match inst.precision:
        case Precision.YEAR:
            return at.replace(year=at.year + 1)
        case Precision.MONTH:
            return (at.replace(day=28) + timedelta(days=4)).replace(day=1)
        case Precision.DAY:
            return at + timedelta(days=1)
        case Precision.MINUTE:
            return at + timedelta(minutes=1)
    return at + timedelta(seconds=1)
