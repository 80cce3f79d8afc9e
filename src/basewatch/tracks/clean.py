"""Cleaning a loaded track set: drop impossible positions, sort each track in time, drop duplicate points and
spoofed jumps (a position that would need a speed no aircraft or ship has).

Counts go to the report; the line numbers of spoofed points are kept so an analyst can look at them.
"""

from __future__ import annotations

import numpy as np

from basewatch.tracks.points import LoadReport, TrackSet

EARTH_R = 6371008.8
# Fastest plausible ground speeds: aircraft ~ Mach 1.2 at altitude with wind; ships ~ 50 kn.
MAX_SPEED_MS = {"air": 420.0, "sea": 26.0}
# Jumps shorter than this are position noise, not spoofing.
MIN_JUMP_M = {"air": 2000.0, "sea": 500.0}


def haversine_m(lat1: np.ndarray | float, lon1: np.ndarray | float, lat2: np.ndarray | float,
                lon2: np.ndarray | float) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_R * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def clean(ts: TrackSet, report: LoadReport) -> TrackSet:
    """The usable points, sorted by track then time, with what was dropped counted in `report`."""
    n = len(ts)
    if n == 0:
        report.points = 0
        return ts
    ok = np.isfinite(ts.lat) & np.isfinite(ts.lon) & (np.abs(ts.lat) <= 90) & (np.abs(ts.lon) <= 180)
    ok &= ~((ts.lat == 0) & (ts.lon == 0))  # "null island": a receiver default, not a position
    report.no_position += int((~ok).sum())
    ts = ts.take(np.nonzero(ok)[0])
    # Out of order: a point earlier than the one before it in the same track, in file order.
    order = np.lexsort((ts.line, ts.track_id.astype(str)))  # group by track, keep file order inside
    tid, t = ts.track_id[order], ts.t[order]
    same = tid[1:] == tid[:-1]
    report.out_of_order = int(np.sum(same & (t[1:] < t[:-1])))
    # Sort by track then time (NaN times last, in file order).
    tkey = np.where(np.isfinite(ts.t), ts.t, np.inf)
    order = np.lexsort((ts.line, tkey, ts.track_id.astype(str)))
    ts = ts.take(order)
    # Duplicates: same track, time and position.
    if len(ts) > 1:
        dup = np.zeros(len(ts), dtype=bool)
        dup[1:] = ((ts.track_id[1:] == ts.track_id[:-1]) & (ts.t[1:] == ts.t[:-1])
                   & (ts.lat[1:] == ts.lat[:-1]) & (ts.lon[1:] == ts.lon[:-1]))
        report.duplicates = int(dup.sum())
        ts = ts.take(np.nonzero(~dup)[0])
    ts = drop_jumps(ts, report)
    report.points = len(ts)
    return ts


def drop_jumps(ts: TrackSet, report: LoadReport) -> TrackSet:
    """Drop points reached at an impossible speed from the last accepted point of the same track."""
    n = len(ts)
    if n < 2:
        return ts
    vmax, dmin = MAX_SPEED_MS[ts.domain], MIN_JUMP_M[ts.domain]
    same = ts.track_id[1:] == ts.track_id[:-1]
    d = haversine_m(ts.lat[:-1], ts.lon[:-1], ts.lat[1:], ts.lon[1:])
    dt = np.abs(ts.t[1:] - ts.t[:-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        fast = same & (d > dmin) & (d > vmax * np.maximum(dt, 1.0))
    if not fast.any():
        return ts
    keep = np.ones(n, dtype=bool)
    bad_tracks = set(ts.track_id[1:][fast].tolist())
    for track, idx in ts.tracks():
        if track not in bad_tracks:
            continue
        keep[idx] = _greedy(ts, idx, vmax, dmin)
    dropped = np.nonzero(~keep)[0]
    report.jumps += int(dropped.size)
    report.jump_lines.extend(int(x) for x in ts.line[dropped][:200])
    return ts.take(np.nonzero(keep)[0])


def _greedy(ts: TrackSet, idx: np.ndarray, vmax: float, dmin: float) -> np.ndarray:
    """Walk one track; a point is kept when it is reachable from the last kept point.

    If the first points themselves were the spoof, the walk would reject the real track; so when the rejected
    points outnumber the kept ones, the walk is repeated from the first rejected point.
    """
    lat, lon, t = ts.lat[idx], ts.lon[idx], ts.t[idx]

    def walk(start: int) -> np.ndarray:
        keep = np.zeros(idx.size, dtype=bool)
        keep[start] = True
        last = start
        for i in range(start + 1, idx.size):
            d = float(haversine_m(lat[last], lon[last], lat[i], lon[i]))
            dt = max(abs(t[i] - t[last]), 1.0) if np.isfinite(t[i] - t[last]) else 1.0
            if d <= dmin or d <= vmax * dt:
                keep[i] = True
                last = i
        return keep

    keep = walk(0)
    if keep.sum() * 2 < idx.size:
        first_rejected = int(np.argmin(keep))
        alt = walk(first_rejected)
        if alt.sum() > keep.sum():
            keep = alt
    return keep
