"""User additions to the catalog: YAML in the built-in format, and sites drawn as GeoJSON.

A site GeoJSON is a FeatureCollection: the feature without a `zone` property is the area of interest (its
properties give `id`, `name`, `kind`, `operator`, `aliases`); every feature with `zone` is a named zone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from shapely.geometry import shape
from shapely.validation import explain_validity

from basewatch.catalog import GRADES, builtin_catalog, equipment_from_entry, site_from_catalog_entry
from basewatch.errors import InputFileError
from basewatch.model import EquipmentType, Site, Source, Zone


def _load(path: Path, loader: Any, what: str) -> Any:
    if not path.is_file():
        raise InputFileError(f"{path}: no such file; check the path")
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"{path}: cannot be read as UTF-8 text ({exc})") from exc
    if not text.strip():
        raise InputFileError(f"{path}: file is empty; give a {what}")
    try:
        return loader(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise InputFileError(f"{path}: not valid {what} ({exc})") from exc


def _polygon(geom: dict[str, Any], where: str) -> dict[str, Any]:
    try:
        g = shape(geom)
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        raise InputFileError(f"{where}: bad geometry ({exc})") from exc
    if g.geom_type not in ("Polygon", "MultiPolygon"):
        raise InputFileError(f"{where}: geometry is a {g.geom_type}; draw a Polygon")
    if not g.is_valid:
        raise InputFileError(f"{where}: invalid polygon ({explain_validity(g)}); fix it in your GIS")
    minx, miny, maxx, maxy = g.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise InputFileError(f"{where}: coordinates are not WGS84 lon/lat; reproject to EPSG:4326")
    return geom


def site_from_geojson(path: Path, *, site_id: str | None = None, name: str | None = None) -> Site:
    """A Site from a GeoJSON FeatureCollection (AOI + zones) in WGS84."""
    data = _load(path, json.loads, "GeoJSON FeatureCollection")
    feats = data.get("features") if isinstance(data, dict) else None
    if data.get("type") == "Feature":
        feats = [data]
    if not feats:
        raise InputFileError(f"{path}: no features; give a FeatureCollection with the site's area of interest")
    aoi_feats = [f for f in feats if "zone" not in (f.get("properties") or {})]
    if len(aoi_feats) != 1:
        raise InputFileError(f"{path}: needs exactly one feature without a 'zone' property (the area of "
                             f"interest), found {len(aoi_feats)}")
    props = aoi_feats[0].get("properties") or {}
    sid = site_id or props.get("id")
    if not sid:
        raise InputFileError(f"{path}: the site has no id; set properties.id or pass --id")
    aoi = _polygon(aoi_feats[0].get("geometry") or {}, f"{path} (area of interest)")
    centre = shape(aoi).centroid
    zones = []
    for f in feats:
        zp = f.get("properties") or {}
        if "zone" in zp:
            zones.append(Zone(id=str(zp["zone"]), site_id=sid, name=zp.get("name", str(zp["zone"])),
                              kind=zp.get("kind", "area"),
                              geometry=_polygon(f.get("geometry") or {}, f"{path} (zone {zp['zone']})")))
    return Site(id=sid, name=name or props.get("name", sid), kind=props.get("kind", "site"),
                lat=float(props.get("lat", centre.y)), lon=float(props.get("lon", centre.x)), aoi=aoi,
                operator=props.get("operator", ""), country=props.get("country", ""),
                aliases=tuple(str(a) for a in props.get("aliases", ())), zones=tuple(zones),
                citation=props.get("citation", f"user file {path.name}"))


def read_user_catalog(path: Path) -> tuple[list[EquipmentType], list[Site], list[Source]]:
    """Equipment types, sites and sources from a YAML file with any of `types`, `sites`, `sources`."""
    data = _load(path, yaml.safe_load, "YAML catalog")
    if not isinstance(data, dict) or not ({"types", "sites", "sources"} & data.keys()):
        raise InputFileError(f"{path}: expected a mapping with 'types', 'sites' and/or 'sources' lists")
    eq, sites, srcs = [], [], []
    for i, e in enumerate(data.get("types") or []):
        missing = {"id", "name", "category", "length_m", "width_m"} - set(e)
        if missing:
            raise InputFileError(f"{path}: types[{i}] lacks {', '.join(sorted(missing))}")
        states = e.get("image_states") or []
        vocabulary = builtin_catalog().states
        if not isinstance(states, list) or any(st not in vocabulary for st in states):
            raise InputFileError(f"{path}: types[{i}] image_states {states!r}: give a list of states from the "
                                 f"vocabulary ({', '.join(vocabulary)})")
        eq.append(equipment_from_entry(e, data.get("citations")))
    for i, s in enumerate(data.get("sites") or []):
        missing = {"id", "name", "lat", "lon"} - set(s)
        if missing:
            raise InputFileError(f"{path}: sites[{i}] lacks {', '.join(sorted(missing))}")
        sites.append(site_from_catalog_entry(s))
    for i, s in enumerate(data.get("sources") or []):
        missing = {"id", "name", "kind"} - set(s)
        if missing:
            raise InputFileError(f"{path}: sources[{i}] lacks {', '.join(sorted(missing))}")
        grade = str(s.get("reliability", "F")).upper()
        if grade not in GRADES:
            raise InputFileError(f"{path}: sources[{i}] reliability {grade!r} is not an Admiralty grade A-F")
        srcs.append(Source(id=s["id"], name=s["name"], kind=s["kind"], reliability=grade,
                           aliases=tuple(str(a) for a in s.get("aliases", ())), url=s.get("url", "")))
    return eq, sites, srcs
