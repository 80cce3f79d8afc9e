"""Built-in reference data with citations: equipment types, sites, sources and the state vocabulary.

Each new workspace is seeded from here; users override or extend it in their workspace
(`basewatch sites add`, `basewatch catalog import`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml

from basewatch.catalog.gazetteer import Gazetteer, normalize
from basewatch.catalog.geometry import local_rect_geojson
from basewatch.model import EquipmentType, Site, Source, Zone

GRADES = ("A", "B", "C", "D", "E", "F")


def _read(name: str) -> dict[str, Any]:
    return yaml.safe_load(resources.files("basewatch.catalog").joinpath("data", name).read_text("utf-8"))


def site_from_catalog_entry(entry: dict[str, Any], *, builtin: bool = False) -> Site:
    """A Site from a catalog YAML entry whose AOI and zones are rectangles in metres around the centre."""
    lat, lon = float(entry["lat"]), float(entry["lon"])
    aoi = entry.get("aoi_m", {})
    aoi_geo = local_rect_geojson(lat, lon, tuple(aoi.get("offset", (0, 0))), tuple(aoi.get("size", (3000, 3000))))
    zones = tuple(
        Zone(id=z["id"], site_id=entry["id"], name=z.get("name", z["id"]), kind=z.get("kind", "area"),
             geometry=local_rect_geojson(lat, lon, tuple(z["center_m"]), tuple(z["size_m"]),
                                         float(z.get("rotation_deg", 0))))
        for z in entry.get("zones", [])
    )
    return Site(id=entry["id"], name=entry["name"], kind=entry.get("kind", "site"), lat=lat, lon=lon,
                aoi=aoi_geo, operator=entry.get("operator", ""), country=entry.get("country", ""),
                aliases=tuple(entry.get("aliases", ())), zones=zones,
                citation=" ".join(str(entry.get("citation", "")).split()), builtin=builtin)


def equipment_from_entry(entry: dict[str, Any], citations: dict[str, str] | None = None,
                         *, builtin: bool = False) -> EquipmentType:
    data = dict(entry)
    data["citation"] = (citations or {}).get(data.get("citation", ""), data.get("citation", ""))
    data["builtin"] = builtin
    data["aliases"] = tuple(str(a) for a in data.get("aliases", ()))
    data["image_states"] = tuple(str(a) for a in data.get("image_states", ()))
    return EquipmentType.from_dict({k: v for k, v in data.items() if k in EquipmentType.__dataclass_fields__})


@dataclass(frozen=True)
class Catalog:
    """Reference data: what can be watched, what can be seen there, and who reports it."""

    sites: dict[str, Site]
    equipment: dict[str, EquipmentType]
    sources: dict[str, Source]
    states: dict[str, str] = field(default_factory=dict)
    countries: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ISO code -> names, first is English

    def host_country_names(self) -> tuple[str, ...]:
        """Names of the countries the watched sites are in (vocabulary.yaml `countries`)."""
        codes = dict.fromkeys(s.country for s in self.sites.values() if s.country)
        return tuple(n for c in codes for n in self.countries.get(c, ()))

    def with_additions(self, equipment: Sequence[EquipmentType] = (), sites: Sequence[Site] = (),
                       sources: Sequence[Source] = ()) -> Catalog:
        """This catalog with user additions or overrides (same ids replace), without a workspace."""
        return replace(self, equipment={**self.equipment, **{e.id: e for e in equipment}},
                       sites={**self.sites, **{s.id: s for s in sites}},
                       sources={**self.sources, **{s.id: s for s in sources}})

    @property
    def site_names(self) -> Gazetteer:
        return Gazetteer((s.id, (s.name, *s.aliases)) for s in self.sites.values())

    @property
    def equipment_names(self) -> Gazetteer:
        return Gazetteer((e.id, (e.name, e.nato_name, e.icao, *e.aliases)) for e in self.equipment.values())

    @property
    def source_names(self) -> Gazetteer:
        return Gazetteer((s.id, (s.name, *s.aliases)) for s in self.sources.values())


@cache
def builtin_catalog() -> Catalog:
    """The catalog shipped with basewatch (read once per process)."""
    eq = _read("equipment.yaml")
    equipment = {e["id"]: equipment_from_entry(e, eq.get("citations"), builtin=True) for e in eq["types"]}
    sites = {s["id"]: site_from_catalog_entry(s, builtin=True) for s in _read("sites.yaml")["sites"]}
    sources = {
        s["id"]: Source(id=s["id"], name=s["name"], kind=s["kind"], reliability=s["reliability"],
                        aliases=tuple(s.get("aliases", ())), builtin=True)
        for s in _read("sources.yaml")["sources"]
    }
    vocabulary = _read("vocabulary.yaml")
    countries = {str(k): tuple(str(n) for n in v) for k, v in vocabulary.get("countries", {}).items()}
    return Catalog(sites=sites, equipment=equipment, sources=sources, states=dict(vocabulary["states"]),
                   countries=countries)


__all__ = ["GRADES", "Catalog", "Gazetteer", "builtin_catalog", "equipment_from_entry", "normalize",
           "site_from_catalog_entry"]
