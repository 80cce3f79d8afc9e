"""Unlabelled clutter: buildings, hangars, fuel tanks, containers, cars, service vans and port cranes.

Clutter makes a detector earn its keep, but it must never look like a labelled type: buildings are large
boxes, containers are 6 m boxes in commercial colours, service vans are short white or yellow boxes, cars are
small. Clutter never stands inside a zone or on paved movement areas, so an equipment-free render differs from a
full one only where equipment stands. It depends on (site, seed), not on the date; its shadows follow each date's
sun. Drawn in one batch: a full-frame shadow mask, one darkening pass, then the roofs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from PIL import Image, ImageDraw
from shapely.geometry import Polygon, box
from shapely.ops import unary_union

from basewatch.catalog.geometry import rect_m
from basewatch.synth.background import paved_areas, port_basins
from basewatch.synth.draw import Light, sweep_polygons
from basewatch.synth.frame import SceneFrame, ZoneBox

ROOFS = [(196, 194, 186), (182, 176, 164), (160, 154, 146), (150, 86, 66), (208, 206, 200), (128, 132, 120),
         (170, 160, 138)]
CONTAINERS = [(150, 72, 52), (52, 84, 132), (64, 112, 84), (176, 170, 160), (188, 140, 54), (120, 46, 40)]


@dataclass(frozen=True)
class Box3D:
    """A flat-roofed box: footprint (site-local metres), height and roof colour; `ridge` draws a roof ridge."""

    poly: np.ndarray
    height: float
    rgb: tuple[int, int, int]
    ridge: bool = False
    canopy: bool = False  # a tree crown: its shadow is the crown moved along the sun ray, not a swept box


def _boxes_in(area: Polygon, rng: np.random.Generator, n: int, size: tuple[float, float, float, float],
              heading: float, height: tuple[float, float], palette: list[tuple[int, int, int]],
              ridge: float = 0.0) -> list[tuple[Polygon, float, tuple[int, int, int], bool]]:
    out = []
    x0, y0, x1, y1 = area.bounds
    for _ in range(n):
        c = (rng.uniform(x0, x1), rng.uniform(y0, y1))
        w, ln = rng.uniform(size[0], size[1]), rng.uniform(size[2], size[3])
        p = rect_m(c, (w, ln), heading + rng.choice([0.0, 90.0]) + rng.normal(0, 1.0))
        out.append((p, float(rng.uniform(*height)), palette[int(rng.integers(len(palette)))],
                    bool(rng.random() < ridge)))
    return out


def site_clutter(frame: SceneFrame, zones: dict[str, ZoneBox], site_kind: str, seed: int) -> list[Box3D]:
    """Every clutter box visible in the frame (deterministic per site and seed)."""
    rng = np.random.default_rng([seed, 11])
    x0, y0, x1, y1 = frame.local_box()
    view = box(x0 - 50, y0 - 50, x1 + 50, y1 + 50)
    cand: list[tuple[Polygon, float, tuple[int, int, int], bool]] = []
    rot = next((z.rotation_deg for z in zones.values() if z.kind in ("runway", "apron")), 0.0)
    aprons = [z for z in zones.values() if z.kind in ("apron", "civil")]
    if site_kind != "naval_base":
        # shelters in a row behind the main apron, barracks and workshops, fuel farm, terminal, car park, vans
        for ap in aprons:
            behind = -1 if ap.center[0] < 0 else 1
            for k in range(int(ap.size[1] / 45) if ap.kind == "apron" else 0):
                v = -ap.size[1] / 2 + 22 + k * 45
                c = ap.to_local(behind * (ap.size[0] / 2 + 30), v)
                cand.append((rect_m(c, (24, 30), rot + 90), 8.0, (118, 124, 112), True))
            for k in range(int(ap.size[1] / 30)):  # service vans parked along the apron edge, outside it
                if rng.random() < 0.5:
                    c = ap.to_local(behind * (ap.size[0] / 2 + 13), -ap.size[1] / 2 + 10 + k * 30 + rng.uniform(-3, 3))
                    cand.append((rect_m(c, (2.2, 5.6), rot + rng.choice([0, 180])), 2.4,
                                 [(226, 226, 220), (214, 180, 48), (200, 204, 206)][int(rng.integers(3))], False))
        west = min((z.center[0] for z in aprons), default=-500.0)
        base_area = box(west - 700, -700, west - 260, 500)
        cand += _boxes_in(base_area, rng, 70, (10, 16, 28, 55), rot, (4, 9), ROOFS, ridge=0.3)
        cand += _boxes_in(box(west - 560, 520, west - 200, 900), rng, 40, (2.3, 2.5, 6.0, 6.1), rot, (2.5, 2.6),
                          CONTAINERS)
        civil = next((z for z in aprons if z.kind == "civil"), None)
        if civil is not None:
            c = civil.to_local(civil.size[0] / 2 + 60, 0)
            cand.append((rect_m(c, (45, 160), rot), 14.0, (206, 204, 198), False))
            park = box(c[0] + 40, c[1] - 80, c[0] + 110, c[1] + 80)
            cand += _boxes_in(park, rng, 90, (1.8, 1.9, 4.4, 4.7), rot, (1.5, 1.6),
                              [(200, 200, 200), (40, 40, 44), (150, 30, 30), (190, 190, 180), (70, 80, 110)])
        for k in range(6):  # fuel farm: round tanks
            c = (west - 300 + (k % 3) * 40, -1150 - (k // 3) * 40)
            ring = [(c[0] + 13 * math.cos(t), c[1] + 13 * math.sin(t))
                    for t in np.linspace(0, 2 * math.pi, 20, endpoint=False)]
            cand.append((Polygon(ring),
                         10.0, (214, 214, 208), False))
    else:
        cp = zones.get("commercial-port")
        if cp is not None:
            land = cp.polygon.buffer(-30).difference(unary_union([b.buffer(12) for b in port_basins(cp)]))
            x0p, y0p, x1p, y1p = land.bounds
            for by in np.arange(y0p, y1p, 30.0):  # container blocks: 8 rows of 40 ft boxes, aisles between
                for bx in np.arange(x0p, x1p, 16.0):
                    if rng.random() < 0.35:
                        continue
                    tiers = int(rng.integers(1, 4))
                    for r in range(8):
                        if rng.random() < 0.15:
                            continue
                        p = rect_m((bx + 6.1, by + 1.3 + r * 2.6), (12.2, 2.45), 0.0)
                        if land.contains(p):
                            cand.append((p, 2.6 * max(1, tiers - int(rng.integers(0, 2))),
                                         CONTAINERS[int(rng.integers(6))], False))
            for k in range(5):  # gantry cranes along the basin quays
                c = cp.to_local(-cp.size[0] / 2 + 120 + k * 60, -cp.size[1] / 2 + 225)
                cand.append((rect_m(c, (3, 50), 90), 42.0, (200, 80, 50), False))
        for bx in np.arange(320, 2600, 75.0):  # one to three buildings per town block, aligned with the streets
            for by in np.arange(-2600, 240, 90.0):
                blk = box(bx + 8, by + 8, bx + 67, by + 82)
                if not blk.intersects(view):
                    continue
                for _ in range(int(rng.integers(1, 4))):
                    w, ln = rng.uniform(12, 26), rng.uniform(14, 34)
                    cxy = (rng.uniform(bx + 8 + w / 2, bx + 67 - w / 2), rng.uniform(by + 8 + ln / 2, by + 82 - ln / 2))
                    cand.append((rect_m(cxy, (w, ln), 0.0), float(rng.uniform(6, 24)),
                                 ROOFS[int(rng.integers(len(ROOFS)))], False))
        yard = zones.get("facility-yard")
        if yard is not None:
            for k in range(4):
                c = (yard.center[0] + 150, yard.center[1] - 120 + k * 60)
                cand.append((rect_m(c, (30, 45), 0), 9.0, ROOFS[k % len(ROOFS)], True))
    # trees: clumps of round canopies (dark greens), mostly near buildings and along field edges
    greens = [(52, 70, 42), (60, 78, 46), (44, 60, 38), (70, 84, 52)]
    for _ in range(int(view.area / 60000)):
        cx0, cy0 = rng.uniform(view.bounds[0], view.bounds[2]), rng.uniform(view.bounds[1], view.bounds[3])
        for _ in range(int(rng.integers(1, 7))):
            c = (cx0 + rng.normal(0, 12), cy0 + rng.normal(0, 12))
            r = float(rng.uniform(2.0, 4.5))
            ring = [(c[0] + r * math.cos(t), c[1] + r * math.sin(t)) for t in np.linspace(0, 2 * math.pi, 9,
                                                                                          endpoint=False)]
            cand.append((Polygon(ring), float(rng.uniform(4, 9)), greens[int(rng.integers(len(greens)))], None))
    # nothing inside zones, on paved areas, in the sea (naval) or outside the view
    naval = site_kind == "naval_base"
    keep_out = unary_union([z.polygon.buffer(8) for z in zones.values() if not (naval and z.kind == "civil")]
                           + [p.buffer(3) for p in paved_areas(zones) if not naval])
    polys = [c[0] if isinstance(c[0], Polygon) else Polygon(c[0]) for c in cand]
    arr = np.asarray(polys, dtype=object)
    ok = shapely.intersects(arr, view) & ~shapely.intersects(arr, keep_out)
    if site_kind == "naval_base":
        cx = np.array([p.centroid.x for p in polys])
        in_port = np.array([cp is not None and cp.polygon.contains(p.centroid) for p in polys])
        ok &= (cx > 125) | in_port
    return [Box3D(np.asarray(p.exterior.coords)[:-1], h, rgb, bool(ridge), canopy=ridge is None)
            for keep, p, (_, h, rgb, ridge) in zip(ok, polys, cand, strict=True) if keep]


def draw_clutter(img: np.ndarray, frame: SceneFrame, boxes: list[Box3D], light: Light) -> np.ndarray:
    """Shadows then roofs of all clutter boxes; returns the new image array."""
    if not boxes:
        return img
    pil = Image.fromarray(img)
    mask = Image.new("L", (frame.width, frame.height), 0)
    dm = ImageDraw.Draw(mask)
    for b in boxes:
        if b.canopy:
            dm.polygon([tuple(p) for p in frame.local_to_px(b.poly + light.shadow * b.height * 0.8)], fill=255)
            continue
        for sp in sweep_polygons(b.poly, np.zeros(2), light.shadow * b.height):
            dm.polygon([tuple(p) for p in frame.local_to_px(sp)], fill=255)
    dark = Image.eval(pil, lambda v: int(v * (1.0 - light.shadow_strength)))
    pil = Image.composite(dark, pil, mask)
    d = ImageDraw.Draw(pil)
    f = light.brightness
    for b in boxes:
        top = b.poly + light.lean * b.height
        pts = [tuple(p) for p in frame.local_to_px(top)]
        rgb = tuple(min(255, int(c * f)) for c in b.rgb)
        d.polygon(pts, fill=rgb)
        if b.ridge:
            e = top
            mid0, mid1 = (e[0] + e[1]) / 2, (e[2] + e[3]) / 2
            lit = tuple(min(255, int(c * 1.12)) for c in rgb)
            half = [tuple(p) for p in frame.local_to_px(np.array([e[0], mid0, mid1, e[3]]))]
            d.polygon(half, fill=lit)
    return np.asarray(pil)
