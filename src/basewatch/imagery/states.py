"""States an image can show: nose visor open, rotor blades removed, radar packed or deployed, ship at berth.

Each state comes with a score in 0..1 and only where the identified type can show it (the catalog's
`image_states`); below its calibrated threshold (`data/state_thresholds.yaml`) it is not reported:
- `nose_open` / `ramp_open` (transports with a nose visor / a rear ramp): from the chip -- a raised An-124 visor
  leaves the nose end of the fuselage showing ground and a ramp, a lowered rear ramp shows a dark hold and a
  ramp behind the tail;
- `rotor_removed` (helicopters): from the chip (no thin dark blades and blade shadows across the rotor disc), and
  from the footprint -- a box much narrower than the rotor diameter is a fuselage without blades;
- `deployed` / `packed` (air-defence radars and launchers): from the chip (a raised antenna or erect canisters
  sticks out sideways and casts a long shadow; packed, the antenna lies flat along the vehicle);
- `at_berth` / `offshore` (ships): from where the ship is -- in a pier zone, near one, or out at sea.

Pixel scores come from the logistic state heads of `imagery.chipclass`; without them only the geometric rules
speak.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from shapely.geometry import Point, shape

from basewatch.catalog import Catalog, builtin_catalog
from basewatch.imagery.chipclass import ChipModel, default_model
from basewatch.imagery.identify import Identification
from basewatch.model import Detection, Site

# What an object whose type is unknown can still show: every helicopter has rotor blades; whether an unknown
# aircraft has a cargo door, or an unknown vehicle a radar, cannot be said.
UNIDENTIFIED_STATES = {"helicopter": ("rotor_removed",)}
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
    """Scores of the states the identified type can show (its catalog `image_states`), each the pixel score
    times the probability that the object is of a type that has the state; empty when none applies or nothing
    can be said (see `UNIDENTIFIED_STATES` for objects of unknown type)."""
    cat = catalog or builtin_catalog()
    model = model if model is not None else default_model()
    eq = cat.equipment.get(ident.type_id)
    if det.cls == "ship":  # where a ship lies says at berth or offshore, whatever its type
        return ship_berth_scores(det, site, zone_kind)
    allowed = set(eq.image_states) if eq is not None else set(UNIDENTIFIED_STATES.get(det.cls, ()))
    if not allowed:
        return {}
    out: dict[str, float] = {}

    def capable(state: str) -> float:
        """Probability that the object is of a type that can show the state at all (a truck read as a radar
        is not a packed radar)."""
        if eq is None:
            return 1.0
        return min(1.0, sum(c.p for c in ident.candidates
                            if (t := cat.equipment.get(c.id)) is not None and state in t.image_states)
                   or ident.p)

    if "rotor_removed" in allowed:
        score = model.state_score(chip, det.cls, "rotor_removed") if (model and chip is not None) else None
        if eq is not None and det.width_m and det.length_m and min(det.width_m, det.length_m) < 0.7 * eq.width_m:
            # a box far narrower than the rotor disc: the blades are off (or folded)
            score = max(score or 0.0, 0.85)
        if score is not None:
            out["rotor_removed"] = round(float(score) * capable("rotor_removed"), 3)
    if allowed & {"nose_open", "ramp_open"}:
        # one pixel head scores an open cargo door; it is reported as the door the type has (a visor first)
        score = model.state_score(chip, det.cls, "nose_open") if (model and chip is not None) else None
        door = "nose_open" if "nose_open" in allowed else "ramp_open"
        if score is not None:
            out[door] = round(float(score) * capable(door), 3)
    if "deployed" in allowed:
        score = model.state_score(chip, det.cls, "deployed") if (model and chip is not None) else None
        if score is not None:
            sure = capable("deployed")
            out["deployed"] = round(float(score) * sure, 3)
            out["packed"] = round((1.0 - float(score)) * sure, 3)
    return out


@cache
def state_thresholds() -> dict[str, float]:
    """The score each image state needs before it is reported (calibrated; see the data file)."""
    text = resources.files("basewatch.imagery").joinpath("data", "state_thresholds.yaml").read_text("utf-8")
    return {str(k): float(v) for k, v in (yaml.safe_load(text).get("thresholds") or {}).items()}


def dominant_state(states: dict[str, float]) -> str | None:
    """The state to report for an object: the highest-scoring one that reaches its calibrated threshold;
    None ("undetermined") when none does."""
    if not states:
        return None
    limits = state_thresholds()
    name, score = max(states.items(), key=lambda kv: kv[1])
    return name if score >= limits.get(name, 0.5) else None


__all__ = ["UNIDENTIFIED_STATES", "dominant_state", "object_states", "ship_berth_scores", "state_thresholds", "zone_of"]
