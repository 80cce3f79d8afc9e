"""A workspace-free summary of a track file: what `basewatch tracks load` prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from basewatch.tracks.events import air_events, daily_counts, iso
from basewatch.tracks.identify import Identifier
from basewatch.tracks.load import load_track_file
from basewatch.tracks.places import airport_from_icao


def summarize_file(path: Path | str, *, fmt: str | None = None, airports: list[str] | None = None) -> dict[str, Any]:
    """Load report, track count and period; with `airports` (ICAO codes), arrivals and departures there."""
    fields = [airport_from_icao(a) for a in airports or []]  # check codes before the (slow) load
    ts, report = load_track_file(path, fmt)
    t = ts.t[np.isfinite(ts.t)]
    out: dict[str, Any] = {"file": str(path), "load": report.to_dict(), "tracks": len(set(ts.track_id.tolist())),
                           "period": [iso(float(t.min())), iso(float(t.max()))] if t.size else []}
    if fields:
        from basewatch.catalog import builtin_catalog

        events = air_events(ts, fields, Identifier(catalog=builtin_catalog()))
        out["movements"] = daily_counts(events)
        out["events"] = [{k: v for k, v in e.items() if k != "t"} for e in events]
    return out
