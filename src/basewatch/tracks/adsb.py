"""ADS-B loaders: OpenSky state-vector CSV, the `traffic` library's pandas JSON, readsb trace files.

All of them fill the same columns in SI units. Units are part of each format (OpenSky: m, m/s, unix s;
traffic and readsb: ft, kt, ft/min, epoch ms or s); `check_air_units` catches files that break their format's
units (feet in a metres column, milliseconds in a seconds column) and says so in the report.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

import numpy as np

from basewatch.tracks.points import FT, KT, Columns, LoadReport, TrackSet, fbool, fnum

OPENSKY_REQUIRED = ("time", "icao24", "lat", "lon")
NAN = float("nan")


def _epoch_s(value: Any) -> float:
    """Unix seconds from seconds, milliseconds or ISO text."""
    if isinstance(value, str) and not value.replace(".", "", 1).strip().isdigit():
        text = value.strip().replace("Z", "+00:00")
        dt = datetime.fromisoformat(text)
        if dt.tzinfo is None:
            from datetime import UTC

            dt = dt.replace(tzinfo=UTC)
        return dt.timestamp()
    v = fnum(value)
    return v / 1000.0 if v > 1e11 else v


def _opensky_time(text: str) -> float:
    """Unix seconds as the format says; milliseconds pass through so that `check_air_units` reports them."""
    try:
        return float(text)
    except ValueError:
        return _epoch_s(text)


def _icao24(value: Any) -> str:
    s = str(value).strip().lower()
    if len(s) != 6 or any(c not in "0123456789abcdef" for c in s):
        raise ValueError(f"icao24 {value!r} is not 6 hex digits")
    return s


def load_opensky_csv(text: str, report: LoadReport) -> TrackSet:
    """OpenSky state vectors (Impala history / datasets): SI units, unix seconds."""
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    cols = Columns()
    hline = 0
    for lineno, row in enumerate(reader, start=1):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if header is None:
            header = [h.strip().lower() for h in row]
            hline = lineno
            missing = [c for c in OPENSKY_REQUIRED if c not in header]
            if missing:
                raise ValueError(f"OpenSky CSV header lacks {', '.join(missing)}")
            break
    assert header is not None
    ix = {name: i for i, name in enumerate(header)}
    i_t, i_id, i_lat, i_lon = (ix[c] for c in OPENSKY_REQUIRED)
    i_v, i_hd, i_cs, i_gnd = ix.get("velocity"), ix.get("heading"), ix.get("callsign"), ix.get("onground")
    i_alt = ix.get("baroaltitude", ix.get("geoaltitude"))
    i_geo = ix.get("geoaltitude")
    width = len(header)
    for lineno, row in enumerate(reader, start=hline + 1):
        if not row:
            continue
        if len(row) != width:
            report.bad(lineno, f"{len(row)} fields, expected {width}")
            continue
        try:
            t = _opensky_time(row[i_t])
            tid = _icao24(row[i_id])
            lat = fnum(row[i_lat])
            lon = fnum(row[i_lon])
            alt = fnum(row[i_alt]) if i_alt is not None else NAN
            if alt != alt and i_geo is not None:
                alt = fnum(row[i_geo])
            v = fnum(row[i_v]) if i_v is not None else NAN
            hd = fnum(row[i_hd]) if i_hd is not None else NAN
        except ValueError as exc:
            report.bad(lineno, str(exc))
            continue
        gnd = fbool(row[i_gnd]) if i_gnd is not None else -1
        cs = row[i_cs].strip() if i_cs is not None else ""
        cols.add(t, tid, lat, lon, alt, v, hd, gnd, cs, lineno)
    report.lines = lineno if header else 0
    return cols.build("air")


def _records(data: Any) -> list[dict[str, Any]]:
    """pandas JSON in orient records, columns, index or split, as a list of records."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if "columns" in data and "data" in data:  # orient="split"
            names = data["columns"]
            return [dict(zip(names, row, strict=False)) for row in data["data"]]
        values = list(data.values())
        if values and all(isinstance(v, dict) for v in values):
            keys = list(values[0].keys())
            if "timestamp" in data or "icao24" in data:  # orient="columns": {col: {index: value}}
                return [{c: data[c].get(k) for c in data} for k in keys]
            return values  # orient="index"
    raise ValueError("not a pandas JSON table (records, columns, index or split)")


def load_traffic_json(data: Any, report: LoadReport) -> TrackSet:
    """The `traffic` library's samples: pandas JSON, epoch ms, feet, knots, ft/min."""
    cols = Columns()
    records = _records(data)
    report.lines = len(records)
    for n, rec in enumerate(records, start=1):
        if not isinstance(rec, dict):
            report.bad(n, "record is not an object")
            continue
        try:
            t = _epoch_s(rec.get("timestamp"))
            tid = _icao24(rec.get("icao24"))
            lat = fnum(rec.get("latitude"))
            lon = fnum(rec.get("longitude"))
            alt = fnum(rec.get("altitude"))
            alt = alt * FT if alt == alt else fnum(rec.get("geoaltitude")) * FT
            v = fnum(rec.get("groundspeed")) * KT
            hd = fnum(rec.get("track"))
        except (ValueError, TypeError) as exc:
            report.bad(n, str(exc))
            continue
        cs = rec.get("callsign") or ""
        cols.add(t, tid, lat, lon, alt, v, hd, fbool(rec.get("onground")), str(cs).strip(), n)
    out = cols.build("air")
    for rec in records[:1]:
        if isinstance(rec, dict) and (rec.get("origin") or rec.get("destination")):
            out.info.setdefault(str(rec.get("icao24", "")).lower(), {}).update(
                {"origin": rec.get("origin"), "destination": rec.get("destination")})
    return out


def load_readsb_trace(data: dict[str, Any], report: LoadReport) -> TrackSet:
    """A readsb / tar1090 `trace_full_<hex>.json`: base time + offsets, altitude in ft or "ground"."""
    cols = Columns()
    try:
        tid = _icao24(data.get("icao"))
        base = float(data["timestamp"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"readsb trace lacks a valid icao/timestamp ({exc})") from exc
    trace = data.get("trace") or []
    report.lines = len(trace)
    callsign = ""
    for n, p in enumerate(trace, start=1):
        try:
            t = base + float(p[0])
            lat, lon = fnum(p[1]), fnum(p[2])
            if p[3] == "ground":
                alt, gnd = 0.0, 1
            else:
                alt, gnd = fnum(p[3]) * FT, 0
            v = fnum(p[4]) * KT
            hd = fnum(p[5])
        except (IndexError, TypeError, ValueError) as exc:
            report.bad(n, f"trace entry: {exc}")
            continue
        details = p[8] if len(p) > 8 else None
        if isinstance(details, dict) and details.get("flight"):
            callsign = str(details["flight"]).strip()
        cols.add(t, tid, lat, lon, alt, v, hd, gnd, callsign, n)
    out = cols.build("air")
    out.info[tid] = {k: v for k, v in (("registration", data.get("r")), ("typecode", data.get("t")),
                                       ("description", data.get("desc")), ("operator", data.get("ownOp")))
                     if v}
    return out


def load_adsb_json(raw: bytes, report: LoadReport) -> TrackSet:
    data = json.loads(raw)
    if isinstance(data, dict) and "trace" in data and "icao" in data:
        report.format = "readsb"
        return load_readsb_trace(data, report)
    report.format = "traffic-json"
    return load_traffic_json(data, report)


def check_air_units(ts: TrackSet, report: LoadReport) -> None:
    """Repair and report what cannot be in the format's units: feet read as metres, knots as m/s, ms as s."""
    if len(ts) == 0:
        return
    t_ok = ts.t[np.isfinite(ts.t)]
    if t_ok.size and np.nanmedian(t_ok) > 1e11:
        ts.t /= 1000.0
        report.warnings.append("timestamps look like milliseconds in a seconds column; divided by 1000")
    airborne = ts.onground != 1
    alt = ts.alt_m[airborne & np.isfinite(ts.alt_m)]
    # No airliner or transport flies above 20 km; values that high are feet in a metres column.
    if alt.size and np.nanpercentile(alt, 99) > 20000 and np.nanpercentile(alt, 99) / FT < 70000 / FT:
        ts.alt_m *= FT
        report.warnings.append("altitudes above 20,000 m: read as feet and converted to metres")
    spd = ts.speed_ms[airborne & np.isfinite(ts.speed_ms)]
    if spd.size and np.nanmedian(spd) > 330:
        ts.speed_ms *= KT
        report.warnings.append("median airborne speed above 330 m/s: speeds read as knots and converted")


__all__ = ["check_air_units", "load_adsb_json", "load_opensky_csv", "load_readsb_trace", "load_traffic_json"]
