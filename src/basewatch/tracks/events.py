"""Track events: arrivals and departures at airfields, airlift surges against a baseline, and for ports the
in-port / departed / holding-offshore / entered / AIS-gap events of each vessel.

Pure functions over a cleaned `TrackSet`; the workspace glue is in `process.py`. Every event is a plain dict
with at least kind, time (ISO 8601 UTC), t (unix seconds), track_id and category.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from shapely.ops import unary_union

from basewatch.tracks.identify import Identifier
from basewatch.tracks.places import Airfield, Port, distance_to, inside
from basewatch.tracks.points import TrackSet

CAVEAT = ("absence of a track is not absence of activity: many military aircraft and warships do not transmit "
          "ADS-B or AIS, or switch it off")
HEAVY = ("aircraft.transport.heavy",)


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class AirParams:
    segment_gap_s: float = 20 * 60  # a silence this long splits a track into separate flights
    field_radius_m: float = 6500.0  # around the reference point when runways are not known (big airports
    # have runways 3 km from their reference point, and coverage often ends on short final)
    runway_radius_m: float = 1500.0  # around the runway polygons when they are
    touch_agl_m: float = 300.0  # about 1000 ft above the field: landing or taking off
    approach_radius_m: float = 30_000.0  # tracks further than this never touch the airfield


@dataclass(frozen=True)
class SeaParams:
    holding_km: float = 25.0  # loitering inside this distance counts as holding offshore
    holding_speed_ms: float = 1.5  # ~3 kn: at anchor, drifting or station keeping
    offshore_min_km: float = 2.0  # closer than this (or inside the site's AOI) is the harbour, not offshore
    holding_min_s: float = 2 * 3600
    gap_s: float = 3 * 3600  # a vessel silent this long near the site has an AIS gap


# -- air -----------------------------------------------------------------------------------------------------
def _segments(t: np.ndarray, gap: float) -> list[tuple[int, int]]:
    if t.size == 0:
        return []
    cuts = np.nonzero(np.diff(t) > gap)[0] + 1
    starts = np.concatenate(([0], cuts))
    ends = np.concatenate((cuts, [t.size]))
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def air_events(ts: TrackSet, airfields: list[Airfield], ident: Identifier,
               params: AirParams = AirParams()) -> list[dict[str, Any]]:
    """Arrivals and departures: a flight that comes down low over the field from the air, or leaves it."""
    if len(ts) == 0 or not airfields:
        return []
    timed = np.isfinite(ts.t)
    if not timed.any():
        return []
    t_first, t_last = float(np.nanmin(ts.t)), float(np.nanmax(ts.t))
    per_field: list[tuple[Airfield, np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]] = []
    for af in airfields:
        x, y = af.frame.xy(ts.lat, ts.lon)
        d_ref = np.hypot(x, y)
        close = (d_ref <= params.approach_radius_m) & timed
        if not close.any():
            continue
        ground = _ground_level(ts, af, d_ref, params)
        agl = ts.alt_m - ground
        low = (ts.onground == 1) | (np.isfinite(agl) & (agl <= params.touch_agl_m))
        cand = close & low & (d_ref <= params.field_radius_m + 2000)
        if af.runways:
            idx = np.nonzero(cand)[0]
            d_rw = np.full(len(ts), np.inf)
            geom = unary_union([poly for _, poly in af.runways])
            d_rw[idx] = distance_to(geom, x[idx], y[idx])
            at_field = cand & (d_rw <= params.runway_radius_m)
        else:
            at_field = cand & (d_ref <= params.field_radius_m)
        per_field.append((af, at_field, d_ref, x, y, ground))
    if not per_field:
        return []
    if len(per_field) > 1:  # a point low near two fields belongs to the nearer one (Le Bourget vs CDG)
        nearest = np.argmin(np.stack([f[2] for f in per_field]), axis=0)
        per_field = [(af, at & (nearest == k), d, x, y, g) for k, (af, at, d, x, y, g) in enumerate(per_field)]
    events: list[dict[str, Any]] = []
    any_close = np.zeros(len(ts), dtype=bool)
    for _, at_field, *_ in per_field:
        any_close |= at_field
    touched = set(ts.track_id[any_close].tolist())
    who_cache: dict[tuple[str, str], dict[str, Any]] = {}
    for track, idx in ts.tracks():
        if track not in touched:
            continue
        for s, e in _segments(ts.t[idx], params.segment_gap_s):
            seg = idx[s:e]
            found: list[tuple[tuple[float, float], dict[str, Any]]] = []
            for af, at_field, d_ref, x, y, ground in per_field:
                hits = np.nonzero(at_field[seg])[0]
                if hits.size == 0:
                    continue
                i0, i1 = int(hits[0]), int(hits[-1])
                # The event time is touchdown / lift-off when the data show it: the first (last) point on the
                # ground or within 50 m of the field; otherwise the first (last) low point over the field.
                agl = ts.alt_m[seg[hits]] - ground
                down = hits[(ts.onground[seg[hits]] == 1) | (np.isfinite(agl) & (agl <= 50.0))]
                t_arr = int(down[0]) if down.size else i0
                t_dep = int(down[-1]) if down.size else i1
                # Passing low near a field is not using it: the run must reach the runway (on the ground or
                # within ~100 m of it) unless the data end (arrival) or begin (departure) inside the run.
                touched_down = bool(((ts.onground[seg[hits]] == 1) | (np.isfinite(agl) & (agl <= 100.0))).any())
                callsign = _callsign(ts, seg)
                key = (track, callsign)
                if key not in who_cache:
                    who_cache[key] = ident.aircraft(track, callsign, ts.info.get(track))
                who = who_cache[key]
                for kind, i in (("arrival", t_arr), ("departure", t_dep)):
                    outside = seg[:i0] if kind == "arrival" else seg[i1 + 1:]
                    if outside.size == 0 or at_field[outside].all():
                        continue  # the data begin (or end) on the field: no movement seen
                    # ...and the edge must be where coverage was lost, not where the file's time window ends
                    if kind == "arrival":
                        edge = i1 == seg.size - 1 and ts.t[seg[-1]] < t_last - 60
                    else:
                        edge = i0 == 0 and ts.t[seg[0]] > t_first + 60
                    if not (touched_down or edge):
                        continue
                    p = seg[i]
                    if not _moves_relative(ts.t, d_ref, seg, i, kind):
                        continue  # low nearby but flying towards (departure) or away from (arrival) this field
                    ev = _air_event(kind, ts, p, who, af, x[p], y[p], ground)
                    # A flight that passes low near one field and lands at the next ends its low run later at
                    # the field where it lands; a departure starts its low run earlier where it took off.
                    rank = -float(ts.t[seg[i1]]) if kind == "arrival" else float(ts.t[seg[i0]])
                    found.append(((rank, float(d_ref[p])), ev))
            # A flight lands at (or leaves) one place: when two fields claim it, keep the best-ranked one.
            best: dict[str, tuple[tuple[float, float], dict[str, Any]]] = {}
            for rank, ev in found:
                if ev["kind"] not in best or rank < best[ev["kind"]][0]:
                    best[ev["kind"]] = (rank, ev)
            events.extend(ev for _, ev in best.values())
    events.sort(key=lambda ev: (ev["t"], ev["track_id"]))
    return events


def _moves_relative(t: np.ndarray, d_ref: np.ndarray, seg: np.ndarray, i: int, kind: str,
                    window_s: float = 90.0, margin_m: float = 300.0) -> bool:
    """An arrival comes from further away in the minute and a half before; a departure goes further away
    in the minute and a half after. (A flight low near one field on its way to the next does not.)"""
    ts_seg = t[seg]
    if kind == "arrival":
        j = int(np.searchsorted(ts_seg, ts_seg[i] - window_s, side="right")) - 1
        j = max(j, 0)
    else:
        j = int(np.searchsorted(ts_seg, ts_seg[i] + window_s, side="left"))
        j = min(j, seg.size - 1)
    if j == i:
        return True  # nothing before / after within the segment: the low run decides
    return bool(d_ref[seg[j]] > d_ref[seg[i]] + margin_m)


def _callsign(ts: TrackSet, seg: np.ndarray) -> str:
    values = [c for c in ts.callsign[seg].tolist() if c]
    if not values:
        return str(ts.info.get(str(ts.track_id[seg[0]]), {}).get("callsign") or "")
    return max(set(values), key=values.count)


def _ground_level(ts: TrackSet, af: Airfield, d_ref: np.ndarray, params: AirParams) -> float:
    """The barometric altitude aircraft report standing on this field (pressure altitude differs from the
    elevation by the day's QNH, often by a few hundred feet); the elevation when the data do not say."""
    on = (ts.onground == 1) & (d_ref <= params.field_radius_m) & np.isfinite(ts.alt_m)
    if int(on.sum()) >= 5:
        level = float(np.median(ts.alt_m[on]))
        if abs(level - af.elevation_m) < 300:  # a plausible QNH offset, not a glitch
            return level
    return af.elevation_m


def _air_event(kind: str, ts: TrackSet, p: int, who: dict[str, Any], af: Airfield, x: float,
               y: float, ground: float) -> dict[str, Any]:
    runway = None
    if af.runways:
        import shapely

        pt = shapely.Point(x, y)
        runway = min(af.runways, key=lambda r: r[1].distance(pt))[0]
    agl = ts.alt_m[p] - ground
    return {
        "kind": kind, "time": iso(float(ts.t[p])), "t": float(ts.t[p]), "track_id": str(ts.track_id[p]),
        "callsign": who.get("callsign"), "registration": who.get("registration"), "typecode": who.get("typecode"),
        "category": who.get("category"), "equipment": who.get("equipment"), "country": who.get("country"),
        "military": who.get("military"), "operator": who.get("operator"), "id_basis": who.get("id_basis"),
        "airfield": af.id, "site": af.site_id, "runway": runway,
        "lat": round(float(ts.lat[p]), 6), "lon": round(float(ts.lon[p]), 6),
        "agl_m": None if not np.isfinite(agl) else round(float(agl), 1),
        "onground": bool(ts.onground[p] == 1), "source_line": int(ts.line[p]),
    }


def airlift_surges(events: list[dict[str, Any]], covered_days: list[str], *, categories: tuple[str, ...] = HEAVY,
                   min_count: int = 3, ratio: float = 2.0, window_days: int = 14,
                   min_baseline_days: int = 3) -> list[dict[str, Any]]:
    """Days whose movements of heavy transports stand out from the baseline of the days before.

    The baseline is the median of the earlier covered days that were not surges themselves (up to
    `window_days`); days without any track data are unknown, not zero, and are left out.
    """
    by_site: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for ev in events:
        if ev["kind"] in ("arrival", "departure") and ev.get("category") in categories:
            by_site[ev.get("site") or ev["airfield"]][day(ev["t"])].append(ev)
    out: list[dict[str, Any]] = []
    for days in by_site.values():
        history: list[tuple[str, int, bool]] = []
        for d in sorted(set(covered_days) | set(days)):
            evs = days.get(d, [])
            n = len(evs)
            base_days = [c for _, c, surge in history[-window_days:] if not surge]
            surge = False
            if len(base_days) >= min_baseline_days:
                baseline = float(np.median(base_days))
                surge = n >= max(min_count, ratio * max(baseline, 0.5))
                if surge:
                    t0 = datetime.strptime(d, "%Y-%m-%d").replace(tzinfo=UTC).timestamp()
                    types: dict[str, int] = defaultdict(int)
                    for ev in evs:
                        types[ev.get("typecode") or "unknown"] += 1
                    first = evs[0]
                    out.append({
                        "kind": "airlift_surge", "time": d, "t": t0, "track_id": None, "category": categories[0],
                        "site": first.get("site"), "airfield": first["airfield"], "count": n,
                        "arrivals": sum(ev["kind"] == "arrival" for ev in evs),
                        "departures": sum(ev["kind"] == "departure" for ev in evs),
                        "baseline_per_day": baseline, "baseline_days": len(base_days),
                        "ratio": round(n / max(baseline, 0.5), 2), "types": dict(types),
                        "track_ids": sorted({ev["track_id"] for ev in evs}), "caveat": CAVEAT,
                    })
            history.append((d, n, surge))
    return out


def daily_counts(events: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, int]]]:
    """{airfield: {day: {category: movements}}} for the arrivals and departures."""
    out: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for ev in events:
        if ev["kind"] in ("arrival", "departure"):
            out[ev["airfield"]][day(ev["t"])][ev.get("category") or "unknown"] += 1
    return {a: {d: dict(c) for d, c in v.items()} for a, v in out.items()}


# -- sea -----------------------------------------------------------------------------------------------------
def sea_events(ts: TrackSet, port: Port, ident: Identifier, params: SeaParams = SeaParams()) -> list[dict[str, Any]]:
    """Per vessel near a port: in_port (once a day), departed_port, entered_port, holding_offshore, ais_gap."""
    timed = np.isfinite(ts.t)
    if len(ts) == 0 or not timed.any():
        return []
    frame = port.frame
    x, y = frame.xy(ts.lat, ts.lon)
    dist = np.hypot(x, y)
    radius = params.holding_km * 1000
    near = (dist <= radius) & timed
    if not near.any():
        return []
    data_end = float(np.nanmax(ts.t))
    touched = set(ts.track_id[near].tolist())
    events: list[dict[str, Any]] = []
    for track, idx in ts.tracks():
        if track in touched:
            events.extend(_vessel_events(ts, track, idx[timed[idx]], x, y, dist, port, ident, params, data_end))
    events.sort(key=lambda e: (e["t"], e["track_id"], e["kind"]))
    return events


def _vessel_events(ts: TrackSet, track: str, idx: np.ndarray, x: np.ndarray, y: np.ndarray, dist: np.ndarray,
                   port: Port, ident: Identifier, params: SeaParams, data_end: float) -> list[dict[str, Any]]:
    """The events of one vessel (its timed points `idx`, sorted by time)."""
    if idx.size == 0:
        return []
    events: list[dict[str, Any]] = []
    radius = params.holding_km * 1000
    who = ident.vessel(track, ts.info.get(track))
    xi, yi, ti, di = x[idx], y[idx], ts.t[idx], dist[idx]
    in_port = inside(port.port_area, xi, yi)
    spd = ts.speed_ms[idx].copy()
    derived = np.zeros_like(spd)
    if idx.size > 1:
        step = np.hypot(np.diff(xi), np.diff(yi)) / np.maximum(np.diff(ti), 1.0)
        derived[1:] = step
        derived[0] = step[0]
    spd = np.where(np.isfinite(spd), spd, derived)
    at_sea = ~inside(port.aoi, xi, yi) & (di >= params.offshore_min_km * 1000) if port.aoi is not None \
        else di >= params.offshore_min_km * 1000
    holding = (~in_port) & at_sea & (di <= radius) & (spd <= params.holding_speed_ms)
    in_zone = inside(port.holding_zone[1], xi, yi) if port.holding_zone else np.zeros(idx.size, dtype=bool)

    def ev(kind: str, i: int, **extra: Any) -> dict[str, Any]:
        p = idx[i]
        bearing = (math.degrees(math.atan2(xi[i], yi[i])) + 360) % 360
        out = {"kind": kind, "time": iso(float(ti[i])), "t": float(ti[i]), "track_id": track,
               "name": who.get("name"), "callsign": who.get("callsign"), "imo": who.get("imo"),
               "category": who.get("category"), "equipment": who.get("equipment"),
               "country": who.get("country"), "military": who.get("military"),
               "ship_type": who.get("ship_type"), "length_m": who.get("length_m"),
               "length_check": who.get("length_check"), "class_candidates": who.get("class_candidates"),
               "id_basis": who.get("id_basis"), "site": port.site_id, "port": port.id,
               "lat": round(float(ts.lat[p]), 6), "lon": round(float(ts.lon[p]), 6),
               "distance_km": round(float(di[i]) / 1000, 2), "bearing_deg": round(bearing),
               "source_line": int(ts.line[p])}
        out.update(extra)
        return out

    seen_days: set[str] = set()
    run_start: int | None = None
    n = idx.size
    for i in range(n):
        gap = float(ti[i] - ti[i - 1]) if i else 0.0
        if i and gap > params.gap_s and di[i - 1] <= radius:
            events.append(ev("ais_gap", i - 1, gap_h=round(gap / 3600, 1), resumed=iso(float(ti[i])),
                             resumed_distance_km=round(float(di[i]) / 1000, 2),
                             resumed_in_port=bool(in_port[i]), caveat=CAVEAT))
        if in_port[i]:
            d = day(float(ti[i]))
            if d not in seen_days:
                seen_days.add(d)
                events.append(ev("in_port", i))
        if i:
            if in_port[i - 1] and not in_port[i]:
                j = i - 1 if gap <= params.gap_s else i
                events.append(ev("departed_port", j, after_gap=gap > params.gap_s))
            elif not in_port[i - 1] and in_port[i]:
                events.append(ev("entered_port", i, after_gap=gap > params.gap_s))
        # holding runs: consecutive holding points without a long silence, split by day
        cont = holding[i] and run_start is not None and gap <= params.gap_s \
            and day(float(ti[i])) == day(float(ti[run_start]))
        if holding[i] and not cont:
            if run_start is not None:
                _close_hold(events, ev, run_start, i - 1, ti, di, in_zone, port, params)
            run_start = i
        elif not holding[i] and run_start is not None:
            _close_hold(events, ev, run_start, i - 1, ti, di, in_zone, port, params)
            run_start = None
    if run_start is not None:
        _close_hold(events, ev, run_start, n - 1, ti, di, in_zone, port, params)
    last = n - 1
    if di[last] <= radius and data_end - ti[last] > params.gap_s:
        events.append(ev("ais_gap", last, gap_h=round((data_end - float(ti[last])) / 3600, 1), resumed=None,
                         resumed_distance_km=None, resumed_in_port=None, caveat=CAVEAT))
    return events


def _close_hold(events: list[dict[str, Any]], ev: Any, a: int, b: int, ti: np.ndarray, di: np.ndarray,
                in_zone: np.ndarray, port: Port, params: SeaParams) -> None:
    duration = float(ti[b] - ti[a])
    if duration < params.holding_min_s:
        return
    zone = port.holding_zone[0] if port.holding_zone is not None and in_zone[a:b + 1].mean() >= 0.5 else None
    events.append(ev("holding_offshore", a, duration_h=round(duration / 3600, 1),
                     until=iso(float(ti[b])), median_distance_km=round(float(np.median(di[a:b + 1])) / 1000, 2),
                     zone=zone))


def covered_days(ts: TrackSet) -> list[str]:
    t = ts.t[np.isfinite(ts.t)]
    if t.size == 0:
        return []
    days = np.unique((t // 86400).astype(np.int64))
    return [datetime.fromtimestamp(int(d) * 86400, UTC).strftime("%Y-%m-%d") for d in days]
