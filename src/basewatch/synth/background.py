"""The ground of a site, the same on every date of a scenario: terrain, paved surfaces, sea, port works.

Air bases: a patchwork of fields and soil around a mown grass airfield, asphalt runways from the catalog's runway
zones (edge and centre lines, threshold bars, touchdown marks, rubber deposits), parallel taxiways with yellow
centre lines and links to every apron, concrete aprons with slab joints and uneven slabs, soil pads with earth
berms at air-defence positions, gravel staging areas and roads.
Naval bases: the sea to the west of a north-south coast (wave texture, lighter shallows), a rubble breakwater
north and west of the harbour, quays and floating piers built along the pier zones' pier lines, a commercial
port with basins, and a town inland.
The result depends only on (site, seed, frame): dates differ only by equipment, clutter shadows and conditions.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw
from shapely.geometry import LineString, Polygon, box

from basewatch.synth.frame import SceneFrame, ZoneBox
from basewatch.synth.layout import pier_lines
from basewatch.synth.texture import blur, fractal_u8, grain, noise_u8, shade, value_noise

ASPHALT = (78, 80, 80)
CONCRETE = (174, 170, 158)
TAXI = (120, 120, 116)
GRASS = (128, 128, 88)
GRAVEL = (156, 146, 124)
SOIL_PAD = (166, 150, 122)
SEA = (30, 62, 82)
HARBOUR = (40, 74, 82)
QUAY = (170, 168, 160)
RUBBLE = (178, 174, 164)
URBAN = (172, 162, 142)
FIELDS = [(86, 108, 60), (70, 92, 54), (118, 120, 78), (140, 118, 90), (162, 146, 112), (148, 142, 98),
          (104, 96, 70), (126, 104, 80)]


class Canvas:
    """A Pillow image and its scene frame: draws site-local polygons and lines in pixels."""

    def __init__(self, frame: SceneFrame, base: np.ndarray):
        self.frame = frame
        self.img = Image.fromarray(base)
        self.draw = ImageDraw.Draw(self.img)

    def px(self, pts: np.ndarray) -> list[tuple[float, float]]:
        return [tuple(p) for p in self.frame.local_to_px(np.asarray(pts))]

    def poly(self, geom: Polygon, fill: tuple[int, int, int]) -> None:
        if not geom.is_empty:
            self.draw.polygon(self.px(np.asarray(geom.exterior.coords)), fill=fill)

    def line(self, pts: np.ndarray, width_m: float, fill: tuple[int, int, int]) -> None:
        self.draw.line(self.px(pts), fill=fill, width=max(1, int(round(width_m / self.frame.gsd))), joint="curve")


def _visible(frame: SceneFrame, margin: float = 200.0) -> Polygon:
    x0, y0, x1, y1 = frame.local_box()
    return box(x0 - margin, y0 - margin, x1 + margin, y1 + margin)


# --------------------------------------------------------------------------------------------- terrain


def _fields(frame: SceneFrame, rng: np.random.Generator, cell_m: float = 4.0) -> np.ndarray:
    """Agricultural parcels in a slightly rotated grid, computed on a coarse grid and upsampled."""
    x0, y0, x1, y1 = frame.local_box()
    gw, gh = int((x1 - x0) / cell_m) + 2, int((y1 - y0) / cell_m) + 2
    xs = x0 + np.arange(gw) * cell_m
    ys = y1 - np.arange(gh) * cell_m
    X, Y = np.meshgrid(xs, ys)
    a = math.radians(12.0)
    U = X * math.cos(a) - Y * math.sin(a)
    V = X * math.sin(a) + Y * math.cos(a)
    # irregular parcel widths: cumulative random sizes, same for every frame of the site
    prng = np.random.default_rng(int(rng.integers(1 << 31)))
    edges_u = np.cumsum(prng.uniform(90, 260, 200)) - 200 * 175
    edges_v = np.cumsum(prng.uniform(120, 380, 200)) - 200 * 250
    iu = np.searchsorted(edges_u, U)
    iv = np.searchsorted(edges_v, V)
    cid = (iu * 7919 + iv * 104729) % 9973
    palette = np.asarray(FIELDS, dtype=np.uint8)
    colors = palette[(cid * 31 + prng.integers(0, 8)) % len(FIELDS)]
    low = Image.fromarray(colors)
    return np.asarray(low.resize((frame.width, frame.height), Image.BILINEAR))


_CACHE: dict[tuple, np.ndarray] = {}


def ground(frame: SceneFrame, zones: dict[str, ZoneBox], site_kind: str, seed: int, blur_px: float = 0.0) -> np.ndarray:
    """The ground image (H, W, 3 uint8) of a frame, softened by the optics blur; cached per process, read-only.

    Blurring the static ground once here (not per date) saves a full-frame filter on every date.
    """
    key = (frame.site.site.id, frame.x0, frame.y0, frame.width, frame.height, frame.gsd, seed, site_kind, blur_px)
    if key in _CACHE:
        return _CACHE[key]
    rng = np.random.default_rng([seed, 7])
    arr = _naval_ground(frame, zones, rng) if site_kind == "naval_base" else _air_ground(frame, zones, rng)
    arr = blur(arr, blur_px)
    arr.setflags(write=False)
    if len(_CACHE) >= 3:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = arr
    return arr


# --------------------------------------------------------------------------------------------- air base


def _taxiways(zones: dict[str, ZoneBox]) -> tuple[list[Polygon], list[np.ndarray]]:
    """Parallel taxiways beside each runway (on the side of its aprons) and links to every apron."""
    runways = [z for z in zones.values() if z.kind == "runway"]
    aprons = [z for z in zones.values() if z.kind in ("apron", "civil")]
    polys: list[Polygon] = []
    centre_lines: list[np.ndarray] = []
    if not runways:
        return polys, centre_lines
    for rw in runways:
        ax, ay = rw.axes()
        side_pos = [float(np.dot(np.array(a.center) - rw.center, ax)) for a in aprons]
        mine = [s for s in side_pos if abs(s) < 1200]
        # a runway with another runway between it and the aprons gets its own taxiway on the far side
        others = [float(np.dot(np.array(o.center) - rw.center, ax)) for o in runways if o is not rw]
        sign = 1.0 if (np.mean(mine) if mine else 1.0) > 0 else -1.0
        if any(0 < o * sign < 400 for o in others):
            sign = -sign
        off = sign * 125.0
        length = rw.size[1]
        p0 = np.array(rw.to_local(off, -length / 2 + 60))
        p1 = np.array(rw.to_local(off, length / 2 - 60))
        polys.append(LineString([p0, p1]).buffer(11.5, cap_style="flat"))
        centre_lines.append(np.array([p0, p1]))
        for f in (-0.47, -0.25, 0.0, 0.25, 0.47):  # high-speed and perpendicular links to the runway
            a = np.array(rw.to_local(off, f * length))
            b = np.array(rw.to_local(sign * rw.size[0] / 2, f * length))
            polys.append(LineString([a, b]).buffer(11.5, cap_style="flat"))
            centre_lines.append(np.array([a, b]))
        for ap in aprons:
            s = float(np.dot(np.array(ap.center) - rw.center, ax))
            if s * sign <= 0 or abs(s) > 1200:
                continue
            v = float(np.dot(np.array(ap.center) - rw.center, ay))
            a = np.array(rw.to_local(off, v))
            b = np.array(rw.to_local(s - sign * (ap.size[0] / 2 - 2), v))
            polys.append(LineString([a, b]).buffer(12.5, cap_style="flat"))
            centre_lines.append(np.array([a, b]))
    return polys, centre_lines


def paved_areas(zones: dict[str, ZoneBox]) -> list[Polygon]:
    """Runways, taxiways and aprons (site-local metres): where clutter must not stand."""
    polys = [z.polygon for z in zones.values() if z.kind in ("runway", "apron", "civil", "pier")]
    return polys + _taxiways(zones)[0]


def _runway(cv: Canvas, rw: ZoneBox) -> None:
    w, L = rw.size
    cv.poly(rw.polygon, ASPHALT)
    white = (214, 214, 206)

    def strip(u0: float, u1: float, v0: float, v1: float, fill: tuple[int, int, int]) -> None:
        pts = [rw.to_local(u0, v0), rw.to_local(u1, v0), rw.to_local(u1, v1), rw.to_local(u0, v1)]
        cv.draw.polygon(cv.px(np.array(pts)), fill=fill)

    for end in (-1, 1):  # rubber deposits in the touchdown zones
        v0 = end * (L / 2 - 150)
        strip(-7, 7, v0, v0 - end * 650, (58, 59, 60))
        strip(-3, 3, v0 - end * 50, v0 - end * 450, (48, 49, 50))
    for sgn in (-1, 1):
        strip(sgn * (w / 2 - 1.8), sgn * (w / 2 - 0.9), -L / 2 + 5, L / 2 - 5, white)
    v = -L / 2 + 120
    while v < L / 2 - 150:
        strip(-0.45, 0.45, v, v + 30, white)
        v += 50
    for end in (-1, 1):
        base = end * (L / 2 - 8)
        for k in range(8):
            u = (k - 3.5) * 5.0 + (3 if k >= 4 else -3)
            strip(u - 0.9, u + 0.9, base, base - end * 30, white)
        for d in (150, 300, 450):
            vv = end * (L / 2 - d - 8)
            for sgn in (-1, 1):
                strip(sgn * 4.5, sgn * 7.5, vv, vv - end * 22, white)
        vv = end * (L / 2 - 400)
        for sgn in (-1, 1):
            strip(sgn * 6, sgn * 15, vv, vv - end * 45, white)


def _apron(cv: Canvas, z: ZoneBox, rng: np.random.Generator, slab: float = 7.5) -> None:
    cv.poly(z.polygon, CONCRETE)
    w, h = z.size
    nu, nv = int(w / slab), int(h / slab)
    # uneven slabs: a fraction drawn lighter or darker
    uu, vv = np.meshgrid(np.arange(nu), np.arange(nv))
    pick = rng.random(uu.shape) < 0.22
    tones = rng.integers(-9, 8, size=uu.shape)
    for i, j, t in zip(uu[pick], vv[pick], tones[pick], strict=True):
        u0, v0 = -w / 2 + i * slab, -h / 2 + j * slab
        pts = np.array([z.to_local(u0, v0), z.to_local(u0 + slab, v0), z.to_local(u0 + slab, v0 + slab),
                        z.to_local(u0, v0 + slab)])
        cv.draw.polygon(cv.px(pts), fill=tuple(int(c + t) for c in CONCRETE))
    joint = (156, 152, 142)
    if slab / cv.frame.gsd >= 4:
        for i in range(1, nu):
            u = -w / 2 + i * slab
            cv.draw.line(cv.px(np.array([z.to_local(u, -h / 2), z.to_local(u, h / 2)])), fill=joint, width=1)
        for j in range(1, nv):
            v = -h / 2 + j * slab
            cv.draw.line(cv.px(np.array([z.to_local(-w / 2, v), z.to_local(w / 2, v)])), fill=joint, width=1)
    # crack sealant: short dark squiggles along and across slab joints
    seal = (118, 116, 108)
    for _ in range(int(w * h / 900)):
        i, j = int(rng.integers(0, nu + 1)), int(rng.integers(0, nv + 1))
        u, v = -w / 2 + i * slab, -h / 2 + j * slab
        pts = [z.to_local(u, v)]
        for _ in range(int(rng.integers(2, 6))):
            u = float(np.clip(u + rng.normal(0, 2.5), -w / 2, w / 2))
            v = float(np.clip(v + rng.normal(0, 2.5), -h / 2, h / 2))
            pts.append(z.to_local(u, v))
        cv.draw.line(cv.px(np.array(pts)), fill=seal, width=1)
    # oil and exhaust stains at the parking spots
    for _ in range(int(w * h / 12000)):
        u, v = rng.uniform(-w / 2, w / 2), rng.uniform(-h / 2, h / 2)
        r = rng.uniform(1.5, 4)
        c = cv.frame.local_to_px(np.array([z.to_local(u, v)]))[0]
        rp = r / cv.frame.gsd
        tone = int(rng.integers(150, 162))
        cv.draw.ellipse((c[0] - rp * 1.6, c[1] - rp * 0.6, c[0] + rp * 1.6, c[1] + rp * 0.6),
                        fill=(tone, tone - 2, tone - 8))


def _pad(cv: Canvas, z: ZoneBox, fill: tuple[int, int, int], berm: bool) -> None:
    if berm:
        cv.poly(z.polygon.buffer(14, join_style="mitre"), (136, 118, 92))
        cv.poly(z.polygon.buffer(7, join_style="mitre"), (182, 166, 136))
    cv.poly(z.polygon, fill)


def _air_ground(frame: SceneFrame, zones: dict[str, ZoneBox], rng: np.random.Generator) -> np.ndarray:
    W, H = frame.width, frame.height
    base = _fields(frame, rng)
    cv = Canvas(frame, np.ascontiguousarray(base))
    paved = [z for z in zones.values() if z.kind in ("runway", "apron", "civil")]
    if paved:
        from shapely.ops import unary_union

        field = unary_union([z.polygon for z in paved]).convex_hull.buffer(220, join_style="round")
        cv.poly(field, GRASS)
        cv.line(np.asarray(field.exterior.coords), 7, (150, 140, 112))  # perimeter road
        cv.line(np.asarray(field.buffer(25).exterior.coords), 1.5, (92, 92, 84))  # fence
    fractal = fractal_u8(W, H, (6, 40, 160), rng)
    # roads to the outlying positions
    for z in zones.values():
        if z.kind in ("air_defense", "staging"):
            cv.line(np.array([z.center, (z.center[0] * 0.55, z.center[1] * 0.55)]), 6, (150, 138, 112))
    taxi_polys, taxi_lines = _taxiways(zones)
    for p in taxi_polys:
        cv.poly(p.buffer(4), (146, 144, 134))
    for z in zones.values():
        if z.kind == "runway":
            cv.poly(z.polygon.buffer(6, join_style="mitre"), (140, 140, 132))
    for p in taxi_polys:
        cv.poly(p, TAXI)
    for ln in taxi_lines:
        cv.line(ln, 0.4, (196, 170, 70))
    for z in zones.values():
        if z.kind == "runway":
            _runway(cv, z)
        elif z.kind in ("apron", "civil"):
            _apron(cv, z, rng)
        elif z.kind == "staging":
            _pad(cv, z, GRAVEL, berm=False)
        elif z.kind == "air_defense":
            _pad(cv, z, SOIL_PAD, berm=True)
    # one soft-light pass: large-scale mottling (fields, grass, worn concrete) plus per-pixel grain
    tex = fractal.astype(np.int16)
    tex += (grain(W, H, rng).astype(np.int16) - 128) * 7 // 18
    np.clip(tex, np.int16(0), np.int16(255), out=tex)
    return shade(np.asarray(cv.img), tex.astype(np.uint8), 0.18)


# --------------------------------------------------------------------------------------------- naval base


def coast_x(y: np.ndarray, rng_seed: int) -> np.ndarray:
    """Local easting of the shoreline at northing y: a quay wall near the facility, a natural coast elsewhere."""
    prng = np.random.default_rng(rng_seed)
    k = prng.uniform(0, 2 * math.pi, 3)
    natural = 170 + 35 * np.sin(y / 310 + k[0]) + 18 * np.sin(y / 97 + k[1]) + 60 * np.sin(y / 1500 + k[2])
    port = (y > -1450) & (y < 540)
    return np.where(port, 110.0, natural)


BREAKWATER = np.array([(140, 560), (-420, 560), (-610, 380), (-700, -200), (-730, -1500)], dtype=float)


def port_basins(cp: ZoneBox) -> list[Polygon]:
    """Water basins cut into the commercial port from its seaward (west) side."""
    west, south = cp.center[0] - cp.size[0] / 2, cp.center[1] - cp.size[1] / 2
    return [box(west - 5, south + 90 + k * 260, west + 0.55 * cp.size[0], south + 210 + k * 260) for k in range(3)]


def _naval_ground(frame: SceneFrame, zones: dict[str, ZoneBox], rng: np.random.Generator) -> np.ndarray:
    W, H = frame.width, frame.height
    coast_seed = int(rng.integers(1 << 31))
    # sea and land masks on a coarse grid (2 m), upsampled
    ys_px = np.arange(H)
    ys = frame.y0 - (ys_px + 0.5) * frame.gsd
    cx = coast_x(ys, coast_seed)
    col = (cx - frame.x0) / frame.gsd
    xs_px = np.arange(W, dtype=np.float32)
    land = xs_px[None, :] >= col[:, None].astype(np.float32)  # (H, W) bool
    sea_tex = value_noise(W, H, 22, rng, aspect=0.18)  # crests elongated north-south
    swell = noise_u8(W, H, 260, rng).astype(np.int16) - 128
    s = (sea_tex * 9).astype(np.int16) + (swell // 10)
    sea = np.empty((H, W, 3), dtype=np.uint8)
    for i, c in enumerate(SEA):
        sea[..., i] = np.clip(c + s + (4 if i == 2 else 0), 0, 255)
    # shallows: lighter turquoise near the shore
    dist = (col[:, None] - xs_px[None, :]) * frame.gsd
    shallow = np.clip(1.0 - dist / 90.0, 0, 1).astype(np.float32)
    shallow[land] = 0
    sea = (sea * (1 - 0.45 * shallow[..., None]) + np.array([70, 118, 122], dtype=np.float32) * 0.45
           * shallow[..., None]).astype(np.uint8)
    land_rgb = _fields(frame, rng)
    base = np.where(land[..., None], land_rgb, sea)
    cv = Canvas(frame, np.ascontiguousarray(base))
    vis = _visible(frame)
    # town: blocks south and east of the port
    town = box(300, -3000, 3000, 250).intersection(vis)
    if not town.is_empty:
        cv.poly(town, URBAN)
    for yy in np.arange(-3000, 250, 90.0):
        if vis.intersects(box(300, yy - 5, 3000, yy + 5)):
            cv.line(np.array([(300, yy), (3000, yy)]), 10, (118, 114, 106))
    for xx in np.arange(300, 3000, 75.0):
        if vis.intersects(box(xx - 5, -3000, xx + 5, 250)):
            cv.line(np.array([(xx, -3000), (xx, 250)]), 10, (118, 114, 106))
    # commercial port land and basins
    cp = zones.get("commercial-port")
    if cp is not None and cp.polygon.intersects(vis):
        cv.poly(cp.polygon, QUAY)
        cx0, cy0 = cp.center
        for basin in port_basins(cp):
            cv.poly(basin, HARBOUR)
    # breakwater: rubble mound with a paved crest road
    if LineString(BREAKWATER).buffer(30).intersects(vis):
        cv.line(BREAKWATER, 26, (122, 120, 114))
        cv.line(BREAKWATER, 20, RUBBLE)
        cv.line(BREAKWATER, 6, (150, 148, 142))
    # facility: quay apron along the shore, quays and floating piers along the pier zones' pier lines
    yard = zones.get("facility-yard")
    if yard is not None:
        cv.poly(box(110, yard.center[1] - 300, 330, yard.center[1] + 300), (160, 158, 150))
        cv.poly(yard.polygon, (150, 146, 136))
    for z in zones.values():
        if z.kind != "pier":
            continue
        for pv in pier_lines(z):
            a = np.array(z.to_local(-z.size[0] / 2 + 20, pv))
            b = np.array([110.0, a[1]])
            width = 12.0 if z.size[1] <= 100 else 8.0
            cv.line(np.array([a, b]), width + 2, (96, 98, 98))
            cv.line(np.array([a, b]), width, QUAY)
            # bollards along the pier edges
            for t in np.linspace(0.05, 0.95, 12):
                p = a + (b - a) * t
                for sgn in (-1, 1):
                    q = cv.frame.local_to_px(np.array([[p[0], p[1] + sgn * (width / 2 - 0.8)]]))[0]
                    cv.draw.rectangle((q[0] - 0.6, q[1] - 0.6, q[0] + 0.6, q[1] + 0.6), fill=(60, 60, 60))
    for z in zones.values():
        if z.kind == "air_defense":
            _pad(cv, z, SOIL_PAD, berm=True)
    arr = np.asarray(cv.img)
    land_tex = fractal_u8(W, H, (3, 30, 140), rng)
    tex = land_tex.astype(np.int16)
    tex += (grain(W, H, rng).astype(np.int16) - 128) * 5 // 12  # grain at 0.05 relative to the 0.12 land texture
    np.clip(tex, np.int16(0), np.int16(255), out=tex)
    return shade(arr, tex.astype(np.uint8), 0.12)
