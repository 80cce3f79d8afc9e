"""Rasterising oriented silhouettes with cast shadows, off-nadir lean and anti-aliasing.

Each object is drawn on its own small supersampled canvas (Pillow polygons), reduced with a box filter and
composited into the scene array: cost scales with object area, not with the image size. Body-frame metres go
to site-local metres by the object's position and compass heading, and to pixels only through
`SceneFrame.local_to_px` (the scene's explicit affine).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from basewatch.synth.frame import SceneFrame
from basewatch.synth.planform import Part


@dataclass(frozen=True)
class Light:
    """Sun and view geometry of one acquisition, as metre offsets per metre of height (local east, north)."""

    shadow: np.ndarray  # where the shadow of a 1 m tall point falls
    lean: np.ndarray  # where the top of a 1 m tall point appears (off-nadir)
    shadow_strength: float  # fraction of light a shadow removes
    brightness: float  # sunlit surface factor

    @classmethod
    def of(cls, sun_azimuth: float, sun_elevation: float, off_nadir: float, view_azimuth: float,
           haze: float) -> Light:
        a = math.radians(sun_azimuth)
        k = 1.0 / math.tan(math.radians(max(sun_elevation, 5.0)))
        shadow = -np.array([math.sin(a), math.cos(a)]) * k
        v = math.radians(view_azimuth)
        lean = np.array([math.sin(v), math.cos(v)]) * math.tan(math.radians(off_nadir))
        strength = 0.58 * (1.0 - 0.45 * haze)
        brightness = 0.82 + 0.25 * math.sin(math.radians(sun_elevation))
        return cls(shadow=shadow, lean=lean, shadow_strength=strength, brightness=brightness)


def body_to_local(pts: np.ndarray, pos: tuple[float, float], heading_deg: float) -> np.ndarray:
    """Body frame (x forward, y right) -> site-local metres (east, north) for a compass heading."""
    h = math.radians(heading_deg)
    fwd = np.array([math.sin(h), math.cos(h)])
    right = np.array([math.cos(h), -math.sin(h)])
    return np.asarray(pos) + pts[:, :1] * fwd + pts[:, 1:2] * right


def sweep_polygons(poly: np.ndarray, offset0: np.ndarray, offset1: np.ndarray) -> list[np.ndarray]:
    """Polygons whose union is the area `poly` sweeps when moved from offset0 to offset1 (a cast shadow)."""
    a, b = poly + offset0, poly + offset1
    out = [a, b]
    n = len(poly)
    for i in range(n):
        j = (i + 1) % n
        out.append(np.array([a[i], a[j], b[j], b[i]]))
    return out


def _hull(pts: np.ndarray) -> np.ndarray:
    """Convex hull (monotone chain) of 2-D points."""
    p = np.unique(pts.round(4), axis=0)
    if len(p) < 3:
        return p
    p = p[np.lexsort((p[:, 1], p[:, 0]))]

    def half(points: np.ndarray) -> list[np.ndarray]:
        out: list[np.ndarray] = []
        for q in points:
            while len(out) >= 2 and np.cross(out[-1] - out[-2], q - out[-2]) <= 0:
                out.pop()
            out.append(q)
        return out

    lower, upper = half(p), half(p[::-1])
    return np.asarray(lower[:-1] + upper[:-1])


def draw_object(img: np.ndarray, frame: SceneFrame, pos: tuple[float, float], heading_deg: float,
                parts: list[Part], tones: dict[str, tuple[int, int, int]], light: Light, rng: np.random.Generator,
                *, solid: bool, ss: int = 3, camo_scale: float = 6.0) -> None:
    """Draw one object (and its shadow) into `img` (H, W, 3 uint8) in place."""
    polys_px: list[tuple[np.ndarray, Part]] = []
    shadows_px: list[np.ndarray] = []
    for part in parts:
        local = body_to_local(part.pts, pos, heading_deg)
        top = local + light.lean * part.height
        polys_px.append((frame.local_to_px(top), part))
        if part.height <= 0.05:
            continue
        low = 0.0 if solid or part.height > 4.5 and part.tone in ("paint2", "paint") else part.height * 0.55
        for sp in sweep_polygons(local, light.shadow * low, light.shadow * part.height):
            shadows_px.append(frame.local_to_px(sp))
    allpts = np.concatenate([p for p, _ in polys_px] + shadows_px)
    c0, r0 = np.floor(allpts.min(axis=0)).astype(int) - 2
    c1, r1 = np.ceil(allpts.max(axis=0)).astype(int) + 2
    H, W = img.shape[:2]
    cc0, rr0, cc1, rr1 = max(c0, 0), max(r0, 0), min(c1, W), min(r1, H)
    if cc0 >= cc1 or rr0 >= rr1:
        return
    w, h = c1 - c0, r1 - r0
    size = (w * ss, h * ss)
    off = np.array([c0, r0], dtype=float)

    def canvas_pts(px: np.ndarray) -> list[tuple[float, float]]:
        q = (px - off) * ss
        return [tuple(v) for v in q]

    shadow = Image.new("L", size, 0)
    ds = ImageDraw.Draw(shadow)
    for sp in shadows_px:
        if len(sp) >= 3:
            ds.polygon(canvas_pts(sp), fill=255)
    color = Image.new("RGB", size, (0, 0, 0))
    alpha = Image.new("L", size, 0)
    camo_mask = Image.new("L", size, 0)
    dc, da, dm = ImageDraw.Draw(color), ImageDraw.Draw(alpha), ImageDraw.Draw(camo_mask)
    f = light.brightness
    for px, part in polys_px:
        rgb = tones.get(part.tone, tones["paint"])
        rgb = tuple(min(255, int(v * f)) for v in rgb)
        pts = canvas_pts(px)
        a = 150 if part.tone == "foam" else 255
        rgb = tuple(v * a // 255 for v in rgb)
        dc.polygon(pts, fill=rgb)
        da.polygon(pts, fill=a)
        dm.polygon(pts, fill=255 if part.paint else 0)
    arr_c = np.asarray(color.resize((w, h), Image.BOX), dtype=np.float32)
    arr_a = np.asarray(alpha.resize((w, h), Image.BOX), dtype=np.float32)[..., None] / 255.0
    arr_s = np.asarray(shadow.resize((w, h), Image.BOX), dtype=np.float32)[..., None] / 255.0
    if tones.get("has_camo", (0, 0, 0))[0]:
        blobs = Image.new("L", size, 0)
        db = ImageDraw.Draw(blobs)
        n = max(4, int(w * h / (camo_scale / frame.gsd) ** 2))
        for _ in range(min(n, 60)):
            cx, cy = rng.uniform(0, size[0]), rng.uniform(0, size[1])
            unit = camo_scale / frame.gsd * ss / 2
            rx, ry = rng.uniform(0.5, 1.3) * unit, rng.uniform(0.3, 0.9) * unit
            db.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
        m = np.asarray(Image.fromarray(np.minimum(np.asarray(blobs), np.asarray(camo_mask))).resize((w, h), Image.BOX),
                       dtype=np.float32)[..., None] / 255.0
        camo = np.asarray(tones["camo"], dtype=np.float32) * f
        arr_c = arr_c * (1 - m) + camo * m * arr_a
    # colour was drawn on black, so it is premultiplied by coverage: un-premultiply where covered
    sl = (slice(rr0 - r0, rr1 - r0), slice(cc0 - c0, cc1 - c0))
    crop = img[rr0:rr1, cc0:cc1].astype(np.float32)
    crop *= 1.0 - light.shadow_strength * arr_s[sl]
    a = arr_a[sl]
    col = arr_c[sl]
    crop = crop * (1.0 - a) + col
    img[rr0:rr1, cc0:cc1] = np.clip(crop + 0.5, 0, 255).astype(np.uint8)
