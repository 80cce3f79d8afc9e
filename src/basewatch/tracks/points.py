"""Track points in columns: one numpy array per field, so a million points cost a few arrays, not objects.

Every loader fills a `TrackSet` in SI units (seconds since the epoch, metres, metres per second, degrees) and
a `LoadReport` that says what was skipped and why, with line numbers, so a bad line is never silently lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

FT = 0.3048
KT = 0.514444
FPM = FT / 60.0
MAX_LISTED = 200  # malformed lines listed one by one; the count goes on past it


@dataclass
class LoadReport:
    """What a loader read, skipped, repaired and suspected."""

    format: str
    domain: str  # "air" or "sea"
    lines: int = 0
    points: int = 0
    malformed: int = 0
    malformed_lines: list[tuple[int, str]] = field(default_factory=list)
    no_position: int = 0
    no_time: int = 0
    out_of_order: int = 0
    duplicates: int = 0
    jumps: int = 0
    jump_lines: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    messages: int = 0  # AIS: decoded messages (after joining multipart ones)
    multipart_joined: int = 0

    def bad(self, line: int, why: str) -> None:
        self.malformed += 1
        if len(self.malformed_lines) < MAX_LISTED:
            self.malformed_lines.append((line, why))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format, "domain": self.domain, "lines": self.lines, "points": self.points,
            "messages": self.messages, "multipart_joined": self.multipart_joined,
            "malformed": self.malformed,
            "malformed_lines": [{"line": n, "reason": r} for n, r in self.malformed_lines],
            "no_position": self.no_position, "no_time": self.no_time, "out_of_order": self.out_of_order,
            "duplicates": self.duplicates, "spoofed_jumps": self.jumps, "spoofed_jump_lines": self.jump_lines[:50],
            "warnings": self.warnings,
        }


@dataclass
class TrackSet:
    """Points of many tracks, in columns, plus what each track says about itself (callsign, name, type)."""

    domain: str
    t: np.ndarray  # float64, unix seconds (NaN: unknown)
    track_id: np.ndarray  # object: icao24 (lower-case hex) or MMSI (text)
    lat: np.ndarray
    lon: np.ndarray
    alt_m: np.ndarray  # barometric altitude, NaN for ships or unknown
    speed_ms: np.ndarray
    heading: np.ndarray
    onground: np.ndarray  # int8: 1 on ground, 0 airborne, -1 unknown
    callsign: np.ndarray  # object, per point ("" unknown)
    line: np.ndarray  # int64, source line of each point
    info: dict[str, dict[str, Any]] = field(default_factory=dict)  # per track: static data

    def __len__(self) -> int:
        return int(self.t.shape[0])

    def take(self, idx: np.ndarray) -> TrackSet:
        return TrackSet(self.domain, self.t[idx], self.track_id[idx], self.lat[idx], self.lon[idx],
                        self.alt_m[idx], self.speed_ms[idx], self.heading[idx], self.onground[idx],
                        self.callsign[idx], self.line[idx], self.info)

    def tracks(self) -> list[tuple[str, np.ndarray]]:
        """(track id, indices) per track; assumes the set is sorted by track then time (see `clean`)."""
        n = len(self)
        if n == 0:
            return []
        ids = self.track_id
        change = np.nonzero(ids[1:] != ids[:-1])[0] + 1
        starts = np.concatenate(([0], change))
        ends = np.concatenate((change, [n]))
        return [(str(ids[s]), np.arange(s, e)) for s, e in zip(starts, ends, strict=True)]


class Columns:
    """Append-only column builder used by the loaders (lists are the fastest way to grow in pure Python)."""

    __slots__ = ("t", "track_id", "lat", "lon", "alt_m", "speed_ms", "heading", "onground", "callsign", "line")

    def __init__(self) -> None:
        for name in self.__slots__:
            setattr(self, name, [])

    def add(self, t: float, track_id: str, lat: float, lon: float, alt_m: float, speed_ms: float,
            heading: float, onground: int, callsign: str, line: int) -> None:
        self.t.append(t)
        self.track_id.append(track_id)
        self.lat.append(lat)
        self.lon.append(lon)
        self.alt_m.append(alt_m)
        self.speed_ms.append(speed_ms)
        self.heading.append(heading)
        self.onground.append(onground)
        self.callsign.append(callsign)
        self.line.append(line)

    def build(self, domain: str, info: dict[str, dict[str, Any]] | None = None) -> TrackSet:
        f = np.float64
        return TrackSet(
            domain=domain, t=np.asarray(self.t, dtype=f), track_id=np.asarray(self.track_id, dtype=object),
            lat=np.asarray(self.lat, dtype=f), lon=np.asarray(self.lon, dtype=f),
            alt_m=np.asarray(self.alt_m, dtype=f), speed_ms=np.asarray(self.speed_ms, dtype=f),
            heading=np.asarray(self.heading, dtype=f), onground=np.asarray(self.onground, dtype=np.int8),
            callsign=np.asarray(self.callsign, dtype=object), line=np.asarray(self.line, dtype=np.int64),
            info=info or {})


def fnum(value: Any) -> float:
    """A float from text or number; empty, None, 'null' and 'nan' are NaN. Raises ValueError on junk."""
    if value is None:
        return float("nan")
    if isinstance(value, (int, float)):
        return float(value)
    s = str(value).strip()
    if not s or s.lower() in ("null", "none", "nan", "na"):
        return float("nan")
    return float(s)


def fbool(value: Any) -> int:
    """1 / 0 / -1 (unknown) from booleans, numbers or text."""
    if value is None:
        return -1
    if isinstance(value, bool):
        return int(value)
    s = str(value).strip().lower()
    if s in ("true", "1", "t", "yes", "ground"):
        return 1
    if s in ("false", "0", "f", "no"):
        return 0
    return -1
