"""States an image can show: nose visor open, rotor blades removed, radar packed or deployed, ship at berth.

Each state comes with a score in 0..1 and only where it applies:
- `nose_open` (transports with cargo doors): from the chip -- a raised An-124 visor leaves the nose end of the
  fuselage showing ground and a ramp, a lowered rear ramp shows a dark hold and a ramp behind the tail;
- `rotor_removed` (helicopters): from the chip (no thin dark blades and blade shadows across the rotor disc), and
  from the footprint -- a box much narrower than the rotor diameter is a fuselage without blades;
- `deployed` / `packed` (air-defence radars and launchers): from the chip (a raised antenna or erect canisters
  sticks out sideways and casts a long shadow; packed, the antenna lies flat along the vehicle);
- `at_berth` / `offshore` (ships): from where the ship is -- in a pier zone, near one, or out at sea.

Pixel scores come from the logistic state heads of `imagery.chipclass`; without them only the geometric rules
speak.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import Point, shape

from basewatch.catalog import Catalog, builtin_catalog
from basewatch.imagery.chipclass import ChipModel, default_model
from basewatch.imagery.identify import Identification
from basewatch.model import Detection, Site

AD_CATEGORIES = ("air-defense.radar", "air-defense.launcher", "air-defense.gun-missile")
BERTH_DISTANCE_M = 120.0


def _centroid_lonlat(det: Detection) -> tuple[float, float] | None:
    if det.polygon_lonlat is None:
        return None
    xs = [p[0] for p in det.polygon_lonlat]
    ys = [p[1] for p in det.polygon_lonlat]
    return sum(xs) / len(xs), sum(ys) / len(ys)


def zone_of(det: Detection, site: Site | None) -> str | None:
    """The id of the site zone that holds the detection's centre (the smallest one if zones overlap)."""
    c = _centroid_lonlat(det)
    if c is None or site is None:
        return None
    pt = Point(c)
    hits = [(shape(z.geometry).area, z.id) for z in site.zones if shape(z.geometry).contains(pt)]
    return min(hits)[1] if hits else None


def _metres_per_degree(lat: float) -> tuple[float, float]:
    import math

    return 111_320.0 * math.cos(math.radians(lat)), 110_574.0


def ship_berth_scores(det: Detection, site: Site | None, zone_kind: str | None = None) -> dict[str, float]:
    """`at_berth` / `offshore` from where the ship lies: pier zone, distance to one, or an offshore zone."""
    kind = zone_kind
    dist = None
    c = _centroid_lonlat(det)
    if site is not None and c is not None:
        zid = zone_of(det, site)
        kinds = {z.id: z.kind for z in site.zones}
        kind = kinds.get(zid) if zid else kind
        mx, my = _metres_per_degree(c[1])
        pt = Point(c[0] * mx, c[1] * my)
        piers = [z for z in site.zones if z.kind == "pier"]
        for z in piers:
            g = shape(z.geometry)
            from shapely.affinity import scale

            g_m = scale(g, xfact=mx, yfact=my, origin=(0, 0))
            d = g_m.distance(pt)
            dist = d if dist is None else min(dist, d)
    if kind == "pier":
        return {"at_berth": 0.95, "offshore": 0.05}
    if kind == "offshore":
        return {"at_berth": 0.03, "offshore": 0.97}
    if dist is not None:
        p = 0.8 if dist <= BERTH_DISTANCE_M else 0.15
        return {"at_berth": p, "offshore": 1 - p}
    return {}


def object_states(det: Detection, ident: Identification, chip: Any = None, *, site: Site | None = None,
                  zone_kind: str | None = None, catalog: Catalog | None = None,
                  model: ChipModel | None = None) -> dict[str, float]:
    """Scores of the states that apply to this object (empty when none does or nothing can be said)."""
    cat = catalog or builtin_catalog()
    model = model if model is not None else default_model()
    out: dict[str, float] = {}
    category = ident.category
    cls = det.cls
    if cls == "ship":
        out.update(ship_berth_scores(det, site, zone_kind))
        return out
    if cls == "helicopter":
        score = model.state_score(chip, cls, "rotor_removed") if (model and chip is not None) else None
        eq = cat.equipment.get(ident.type_id)
        if eq is not None and det.width_m and det.length_m:
            # a box far narrower than the rotor disc: the blades are off (or folded)
            narrow = min(det.width_m, det.length_m) < 0.7 * eq.width_m
            geometric = 0.85 if narrow else None
            if geometric is not None:
                score = max(score or 0.0, geometric)
        if score is not None:
            out["rotor_removed"] = round(float(score), 3)
        return out
    if cls == "aircraft":
        eq = cat.equipment.get(ident.type_id)
        big_unknown = (ident.type_id == "unknown" and category.startswith("aircraft")
                       and max(det.length_m or 0, det.width_m or 0) > 35)
        if (eq is not None and eq.shape.get("cargo_door")) or big_unknown:
            score = model.state_score(chip, cls, "nose_open") if (model and chip is not None) else None
            if score is not None:
                out["nose_open"] = round(float(score), 3)
        return out
    if cls == "vehicle" and category.startswith(AD_CATEGORIES):
        score = model.state_score(chip, cls, "deployed") if (model and chip is not None) else None
        if score is not None:
            out["deployed"] = round(float(score), 3)
            out["packed"] = round(1.0 - float(score), 3)
    return out


def dominant_state(states: dict[str, float], threshold: float = 0.5) -> str | None:
    """The state to report for an object: the highest-scoring one above the threshold."""
    if not states:
        return None
    name, score = max(states.items(), key=lambda kv: kv[1])
    return name if score >= threshold else None


__all__ = ["AD_CATEGORIES", "dominant_state", "object_states", "ship_berth_scores", "zone_of"]
