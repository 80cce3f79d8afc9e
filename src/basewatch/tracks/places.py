"""Where track events happen: airfields (runways of a catalog site, or an airport reference point from
`airportsdata`) and ports (pier zones, the offshore holding area and a neighbourhood radius).

Geometry is done in a local metric frame (east/north metres from the place's centre, equirectangular), which is
accurate to well under 1 % within the 30 km that matter here and fast enough for millions of points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon, shape
from shapely.ops import unary_union

from basewatch.errors import InvalidValueError
from basewatch.model import Site

M_PER_DEG_LAT = 110_946.0


@dataclass(frozen=True)
class Frame:
    """East/north metres around (lat0, lon0)."""

    lat0: float
    lon0: float

    def xy(self, lat: np.ndarray | float, lon: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        kx = M_PER_DEG_LAT * math.cos(math.radians(self.lat0))
        return (np.asarray(lon) - self.lon0) * kx, (np.asarray(lat) - self.lat0) * M_PER_DEG_LAT

    def geom(self, geojson: dict[str, Any]) -> Any:
        g = shape(geojson)
        return shapely.transform(g, lambda c: np.column_stack(self.xy(c[:, 1], c[:, 0])))


@dataclass(frozen=True)
class Airfield:
    id: str
    name: str
    lat: float
    lon: float
    elevation_m: float
    site_id: str | None = None
    runways: tuple[tuple[str, Any], ...] = ()  # (zone id, polygon in the local frame)

    @property
    def frame(self) -> Frame:
        return Frame(self.lat, self.lon)


@dataclass(frozen=True)
class Port:
    id: str
    name: str
    lat: float
    lon: float
    site_id: str | None
    port_area: Any  # polygon in the local frame: piers and quays, buffered
    holding_zone: tuple[str, Any] | None = None  # (zone id, polygon) of a known offshore holding area
    aoi: Any = None  # the site's area of interest (harbour included): never 'offshore'

    @property
    def frame(self) -> Frame:
        return Frame(self.lat, self.lon)


@lru_cache(maxsize=1)
def _airports() -> dict[str, dict[str, Any]]:
    import airportsdata

    return airportsdata.load("ICAO")


def airport_from_icao(code: str) -> Airfield:
    """An airport outside the catalog from its ICAO code (reference point and elevation from airportsdata)."""
    rec = _airports().get(code.strip().upper())
    if rec is None:
        raise InvalidValueError(f"airport {code!r} is not a known ICAO code; give e.g. LFPG, or add the site "
                                "with 'basewatch sites add'")
    return Airfield(id=rec["icao"], name=rec["name"], lat=float(rec["lat"]), lon=float(rec["lon"]),
                    elevation_m=float(rec["elevation"] or 0) * 0.3048)


def airfield_from_site(site: Site) -> Airfield:
    """A catalog air base: its centre, its runway zones and (through an ICAO alias) its elevation."""
    frame = Frame(site.lat, site.lon)
    runways = tuple((z.id, frame.geom(z.geometry)) for z in site.zones if z.kind == "runway")
    elevation = 0.0
    for alias in (site.id, *site.aliases):
        rec = _airports().get(alias.upper()) if len(alias) == 4 else None
        if rec:
            elevation = float(rec["elevation"] or 0) * 0.3048
            break
    return Airfield(id=site.id, name=site.name, lat=site.lat, lon=site.lon, elevation_m=elevation,
                    site_id=site.id, runways=runways)


def port_from_site(site: Site, *, pier_buffer_m: float = 300.0) -> Port:
    """A naval site: piers and quays (buffered) are 'in port'; an `offshore` zone is the known holding area."""
    frame = Frame(site.lat, site.lon)
    piers = [frame.geom(z.geometry) for z in site.zones if z.kind in ("pier", "quay", "berth")]
    area = unary_union(piers).buffer(pier_buffer_m) if piers else frame.geom(site.aoi)
    holding = next(((z.id, frame.geom(z.geometry)) for z in site.zones if z.kind == "offshore"), None)
    return Port(id=site.id, name=site.name, lat=site.lat, lon=site.lon, site_id=site.id, port_area=area,
                holding_zone=holding, aoi=frame.geom(site.aoi))


def port_from_point(name: str, lat: float, lon: float, radius_m: float = 1500.0) -> Port:
    return Port(id=name, name=name, lat=lat, lon=lon, site_id=None,
                port_area=shapely.Point(0, 0).buffer(radius_m))


def distance_to(geom: Polygon | Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Metres from each (x, y) to a geometry in the same local frame (0 inside)."""
    return shapely.distance(geom, shapely.points(x, y)) if x.size else np.zeros(0)


def inside(geom: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return shapely.contains_xy(geom, x, y) if x.size else np.zeros(0, dtype=bool)
