"""The domain model: sites, equipment types, sources, evidence and observations.

Value objects are frozen; each has symmetric `to_dict` / `from_dict`, and located ones expose
`__geo_interface__` (GeoJSON, WGS84 lon/lat) so shapely, geopandas and folium take them directly.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Self

from basewatch.model.time import Instant, parse_instant


class _Dict:
    """Symmetric dict conversion for flat dataclasses; Instants become ISO text."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, Instant):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = [v.to_dict() if isinstance(v, _Dict) else v for v in value]
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        kwargs: dict[str, Any] = {}
        for f in fields(cls):  # type: ignore[arg-type]
            if f.name not in data:
                continue
            value = data[f.name]
            if f.type in ("Instant | None", "Instant") and isinstance(value, str):
                value = parse_instant(value)
            elif isinstance(value, list):
                value = tuple(value)
            kwargs[f.name] = value
        return cls(**kwargs)


@dataclass(frozen=True)
class Zone(_Dict):
    """A named part of a site (apron, pier, air-defence position) with its polygon."""

    id: str
    site_id: str
    name: str
    kind: str
    geometry: dict[str, Any]

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "Feature", "id": f"{self.site_id}/{self.id}", "geometry": self.geometry,
                "properties": {"name": self.name, "kind": self.kind, "site": self.site_id}}


@dataclass(frozen=True)
class Site(_Dict):
    """A watched place: its names, area of interest and zones."""

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    aoi: dict[str, Any]
    operator: str = ""
    country: str = ""
    aliases: tuple[str, ...] = ()
    zones: tuple[Zone, ...] = ()
    citation: str = ""
    builtin: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        data = dict(data)
        data["zones"] = tuple(z if isinstance(z, Zone) else Zone.from_dict(z) for z in data.get("zones", ()))
        return super().from_dict(data)

    def zone(self, zone_id: str) -> Zone:
        from basewatch.errors import UnknownZoneError

        for z in self.zones:
            if z.id == zone_id:
                return z
        raise UnknownZoneError(zone_id, f"Zones of {self.id}: {', '.join(z.id for z in self.zones)}.")

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        return {"type": "Feature", "id": self.id, "geometry": self.aoi,
                "properties": {"name": self.name, "kind": self.kind, "centre": [self.lon, self.lat]}}


@dataclass(frozen=True)
class EquipmentType(_Dict):
    """A catalog entry: what a thing is called, its category and its real size."""

    id: str
    name: str
    category: str
    length_m: float
    width_m: float
    nato_name: str = ""
    icao: str = ""
    role: str = ""
    check: str = ""
    aliases: tuple[str, ...] = ()
    shape: dict[str, Any] = field(default_factory=dict)
    image_states: tuple[str, ...] = ()  # the states imagery may report for it (a nose visor only where it has one)
    family: str = ""  # look-alikes from above share one (Il-76 / A-50 / Il-78), named when images cannot tell
    citation: str = ""
    builtin: bool = False


@dataclass(frozen=True)
class Source(_Dict):
    """Who produced evidence, with an Admiralty reliability grade (A-F) that belongs to the source."""

    id: str
    name: str
    kind: str
    reliability: str = "F"
    aliases: tuple[str, ...] = ()
    url: str = ""
    builtin: bool = False


@dataclass(frozen=True)
class Evidence(_Dict):
    """One immutable artefact in the archive, with its provenance and its three times."""

    id: str
    sha256: str
    kind: str
    media_type: str
    filename: str
    size_bytes: int
    ingested_at: Instant
    source_id: str | None = None
    site_id: str | None = None
    url: str | None = None
    collected_at: Instant | None = None
    published_at: Instant | None = None
    licence: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Observation(_Dict):
    """A dated fact about a site derived from evidence by a method (manual, detector, track analyser)."""

    id: int
    site_id: str
    kind: str
    method: str
    observed_at: Instant
    equipment_type_id: str | None = None
    zone_id: str | None = None
    state: str | None = None
    count: int = 1
    confidence: float | None = None
    evidence_id: str | None = None
    frame_index: int | None = None
    frame_time_s: float | None = None
    geometry: dict[str, Any] | None = None
    note: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)


__all__ = ["EquipmentType", "Evidence", "Observation", "Site", "Source", "Zone", "asdict"]
