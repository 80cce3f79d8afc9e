"""Where each object of a date stands: explicit placements first, then counted items packed into their zone.

Aircraft park in flight lines across an apron's long axis (noses towards the runway side), vehicles in rows,
ships alongside the pier lines of a pier zone (berths on both sides of each pier), and ships in an offshore zone
spread out and holding on similar headings. A zone that cannot hold what the scenario puts in it is a
ScenarioError naming the line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Polygon

from basewatch.catalog import builtin_catalog
from basewatch.catalog.geometry import rect_m
from basewatch.errors import ScenarioError
from basewatch.model import EquipmentType
from basewatch.synth.frame import ZoneBox
from basewatch.synth.scenario import EquipmentSpec


@dataclass(frozen=True)
class PlacedObject:
    """One object to render and label."""

    eq: EquipmentType
    state: str
    zone: str
    pos: tuple[float, float]  # site-local metres
    heading_deg: float  # compass heading of the nose / bow

    def footprint(self) -> Polygon:
        """The oriented length x width rectangle on the ground (site-local metres)."""
        return rect_m(self.pos, (self.eq.width_m, self.eq.length_m), self.heading_deg)


def pier_lines(zone: ZoneBox) -> list[float]:
    """Offsets (zone y axis, metres) of the pier structures drawn in a pier zone."""
    w, h = zone.size
    if h <= 100:
        return [0.0]
    return [h / 4, -h / 4]


def _compass(vec: np.ndarray) -> float:
    return math.degrees(math.atan2(vec[0], vec[1])) % 360.0


def _default_heading(zone: ZoneBox, form: str) -> float:
    """Ships along the zone's long axis; everything else across it, facing the site centre (the runways)."""
    ax, ay = zone.axes()
    long_ax, short_ax = (ax, ay) if zone.size[0] >= zone.size[1] else (ay, ax)
    if form == "ship":
        return _compass(long_ax)
    if float(np.dot(short_ax, -np.asarray(zone.center))) < 0:
        short_ax = -short_ax
    return _compass(short_ax)


class _ZonePacker:
    """Fills one zone row by row."""

    def __init__(self, zone: ZoneBox, rng: np.random.Generator):
        self.zone = zone
        self.rng = rng
        w, h = zone.size
        self.long_is_x = w >= h
        self.long, self.short = (w, h) if self.long_is_x else (h, w)
        self.u = -self.long / 2 + float(rng.uniform(0.05, 0.25)) * self.long
        self.row_start = -self.long / 2
        self.v = self.short / 2
        self.row_depth = 0.0
        self.berths: list[tuple[float, float]] | None = None  # (v, u cursor)

    def _to_local(self, u: float, v: float) -> tuple[float, float]:
        return self.zone.to_local(u, v) if self.long_is_x else self.zone.to_local(v, u)

    def place(self, eq: EquipmentType, form: str, taken: list[Polygon]) -> tuple[tuple[float, float], float] | None:
        L, W = eq.length_m, eq.width_m
        if self.zone.kind == "offshore":
            return self._scatter(eq, taken)
        heading = _default_heading(self.zone, form)
        if self.zone.kind == "air_defense":
            return self._ring(eq, taken)
        if form == "ship" and self.zone.kind == "pier":
            return self._berth(eq, heading, taken)
        along, depth = (L, W) if form == "ship" else (W, L)
        gap_u = max(3.0, 0.45 * along) if form != "vehicle" else 1.8
        gap_v = max(3.0, 0.3 * depth) if form != "vehicle" else 3.0
        margin = 3.0
        # vehicles park in blocks of at most 14 abreast, so a large count fills several rows
        row_end = self.long / 2 - margin
        if form == "vehicle":
            row_end = min(row_end, self.row_start + 14 * (along + gap_u))
        for _ in range(400):
            if self.u + along > row_end:
                self.v -= self.row_depth + gap_v
                self.u = self.row_start
                self.row_depth = 0.0
            if self.v - depth < -self.short / 2:
                return None
            u = self.u + margin + along / 2
            v = self.v - margin - depth / 2
            self.u += along + gap_u
            self.row_depth = max(self.row_depth, depth)
            pos = self._to_local(u + self.rng.uniform(-0.4, 0.4), v + self.rng.uniform(-0.4, 0.4))
            hd = (heading + self.rng.uniform(-2.5, 2.5)) % 360
            fp = rect_m(pos, (W, L), hd)
            if not any(fp.intersects(t) for t in taken):
                return pos, hd
        return None

    def _berth(self, eq: EquipmentType, heading: float,
               taken: list[Polygon]) -> tuple[tuple[float, float], float] | None:
        L, B = eq.length_m, eq.width_m
        if self.berths is None:
            lines = pier_lines(self.zone)
            self.berths = []
            for pv in lines:
                self.berths += [(pv + 6.0, -self.long / 2 + 14), (pv - 6.0, -self.long / 2 + 14)]
        half = self.short / 2
        # round-robin: the emptiest berth that can take the ship, so ships spread over both sides of each pier
        order = sorted(range(len(self.berths)), key=lambda i: (self.berths[i][1], i))
        for i in order:
            edge, cursor = self.berths[i]
            sign = 1 if i % 2 == 0 else -1
            v = edge + sign * B / 2
            if abs(v) + B / 2 > half + 1e-6:
                continue
            if cursor + L + 4 > self.long / 2:
                continue
            u = cursor + 4 + L / 2
            pos = self._to_local(u, v)
            hd = heading if self.rng.random() < 0.5 else (heading + 180) % 360
            fp = rect_m(pos, (B, L), hd)
            self.berths[i] = (edge, cursor + L + 8)
            if not any(fp.intersects(t) for t in taken):
                return pos, hd
        return None

    def _ring(self, eq: EquipmentType, taken: list[Polygon]) -> tuple[tuple[float, float], float] | None:
        """Air-defence sites: launchers and radars spread on a ring, facing outwards."""
        w, h = self.zone.size
        radius = 0.32 * min(w, h)
        start = getattr(self, "_ring_k", 0)
        for k in range(start, start + 24):
            ang = math.radians(k * 137.5 + 20)
            r = radius * (0.55 if k % 3 == 2 else 1.0)
            pos = (self.zone.center[0] + r * math.sin(ang), self.zone.center[1] + r * math.cos(ang))
            hd = (math.degrees(ang) + self.rng.uniform(-8, 8)) % 360
            fp = rect_m(pos, (eq.width_m, eq.length_m), hd)
            if self.zone.polygon.contains(fp) and not any(fp.buffer(3).intersects(t) for t in taken):
                self._ring_k = k + 1
                return pos, hd
        return None

    def _scatter(self, eq: EquipmentType, taken: list[Polygon]) -> tuple[tuple[float, float], float] | None:
        w, h = self.zone.size
        for _ in range(200):
            u = self.rng.uniform(-w / 2 + eq.length_m, w / 2 - eq.length_m)
            v = self.rng.uniform(-h / 2 + eq.length_m, h / 2 - eq.length_m)
            pos = self.zone.to_local(u, v)
            hd = (300 + self.rng.normal(0, 25)) % 360
            fp = rect_m(pos, (eq.width_m, eq.length_m), hd).buffer(eq.length_m)
            if not any(fp.intersects(t) for t in taken):
                return pos, hd
        return None


def layout(specs: tuple[EquipmentSpec, ...], zones: dict[str, ZoneBox], rng: np.random.Generator,
           scenario_name: str) -> list[PlacedObject]:
    """Positions and headings of every object of one date (explicit placements first)."""
    cat = builtin_catalog()
    placed: list[PlacedObject] = []
    taken: list[Polygon] = []
    for spec in specs:
        if spec.position_m is None:
            continue
        eq = cat.equipment[spec.type_id]
        zone = zones[spec.zone]
        form = str(eq.shape.get("form", "vehicle"))
        pos = (zone.center[0] + spec.position_m[0], zone.center[1] + spec.position_m[1])
        hd = spec.heading_deg if spec.heading_deg is not None else _default_heading(zone, form)
        obj = PlacedObject(eq=eq, state=spec.state, zone=spec.zone, pos=pos, heading_deg=hd)
        placed.append(obj)
        taken.append(obj.footprint())
    packers: dict[str, _ZonePacker] = {}
    for spec in specs:
        if spec.position_m is not None:
            continue
        eq = cat.equipment[spec.type_id]
        form = str(eq.shape.get("form", "vehicle"))
        packer = packers.setdefault(spec.zone, _ZonePacker(zones[spec.zone], rng))
        for _ in range(spec.count):
            got = packer.place(eq, form, taken)
            if got is None:
                raise ScenarioError(
                    f"{scenario_name} line {spec.line}: zone {spec.zone!r} ({zones[spec.zone].size[0]:.0f} x "
                    f"{zones[spec.zone].size[1]:.0f} m) has no room for {spec.count} x {spec.type_id}; "
                    "fix: lower the count, use another zone, or place items with position_m")
            pos, hd = got
            if spec.heading_deg is not None:
                hd = spec.heading_deg
            obj = PlacedObject(eq=eq, state=spec.state, zone=spec.zone, pos=pos, heading_deg=hd)
            placed.append(obj)
            taken.append(obj.footprint())
    return placed
