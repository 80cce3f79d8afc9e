"""Per zone and day: what was seen (coverage) and how many of each category/type were there.

Coverage comes from `coverage` observations (image footprint minus cloud and no-data); an image without a
coverage record counts as having seen the zones where it produced observations. Counts come from the inventory
(`count` observations) where an image has one, otherwise from its detections; several images of one day give
the largest count, never a sum (they see the same aircraft). A zone that was not seen has no count: "not
observed" never becomes zero.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from basewatch.catalog import Catalog
from basewatch.model import Observation, Site
from basewatch.store.coverage import coverage_of
from basewatch.store.reviews import KIND as REVIEW_KIND
from basewatch.store.reviews import review_of

SITE_ZONE = "_site"
MIN_PARTIAL = 0.05  # a sliver of a zone at an image's edge says nothing about it
CLASS_CATEGORY = {"aircraft": "aircraft", "helicopter": "aircraft.helicopter", "ship": "ship", "vehicle": "vehicle"}


def matches(category: str | None, type_id: str | None, categories: list[str] | tuple[str, ...] | None,
            types: list[str] | tuple[str, ...] | None, exclude: list[str] | tuple[str, ...] | None = None) -> bool:
    """Whether an item's category/type is selected: prefixes of dotted categories, or exact type ids."""
    cat = category or ""

    def under(prefixes: Any) -> bool:
        return any(cat == p or cat.startswith(f"{p}.") for p in prefixes or ())

    if exclude and under(exclude):
        return False
    if not categories and not types:
        return True
    return under(categories) or (type_id is not None and type_id in (types or ()))


def _geometry(value: Any) -> BaseGeometry | None:
    if not value:
        return None
    try:
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        if isinstance(value, dict) and value.get("type") == "FeatureCollection":
            return unary_union([shape(f["geometry"]) for f in value.get("features", []) if f.get("geometry")])
        if isinstance(value, list):  # bare polygon rings
            return shape({"type": "Polygon", "coordinates": value})
        return shape(value)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def item_category(obs: Observation, catalog: Catalog) -> tuple[str | None, str | None]:
    """(category, type id) of a detection or count observation, from the catalog where it is identified."""
    attrs = obs.attributes or {}
    type_id = obs.equipment_type_id
    t = attrs.get("type")
    if type_id is None and isinstance(t, dict) and t.get("id") in catalog.equipment:
        type_id = t["id"]
    elif type_id is None and isinstance(t, str) and t in catalog.equipment:
        type_id = t
    if type_id and type_id in catalog.equipment:
        return catalog.equipment[type_id].category, type_id
    category = attrs.get("category")
    if isinstance(category, str) and category:
        return category, type_id
    return CLASS_CATEGORY.get(str(attrs.get("class", "")), attrs.get("class")), type_id


@dataclass(frozen=True)
class Item:
    category: str | None
    type_id: str | None
    count: float
    obs_id: int
    evidence_id: str | None
    confidence: float | None = None


class Snapshots:
    """Coverage and counts per (day, zone) for one site."""

    def __init__(self, site: Site, observations: list[Observation], catalog: Catalog, settings: dict[str, Any]):
        self.site = site
        self.catalog = catalog
        self.min_coverage = float(settings.get("min_coverage", 0.5))
        self.min_confidence = float(settings.get("min_confidence", 0.3))
        self.zone_geoms: dict[str, BaseGeometry] = {z.id: shape(z.geometry) for z in site.zones}
        self.zone_geoms[SITE_ZONE] = shape(site.aoi)
        self.zone_kind = {z.id: z.kind for z in site.zones}
        self.zone_name = {z.id: z.name for z in site.zones}
        self.zone_name[SITE_ZONE] = site.name
        self.coverage: dict[tuple[date, str], float] = defaultdict(float)
        self.coverage_evidence: dict[tuple[date, str], set[str]] = defaultdict(set)
        self.clouded: dict[tuple[date, str], set[str]] = defaultdict(set)
        self.seen: dict[tuple[date, str], set[str]] = defaultdict(set)  # positive sightings, maybe partial
        self.full: dict[tuple[date, str], set[str]] = defaultdict(set)  # whole-zone counts without a record
        self.items: dict[tuple[date, str, str], list[Item]] = defaultdict(list)
        self.detections: list[tuple[Observation, str, str | None, str | None]] = []
        self.inventories: list[tuple[Observation, str, str | None, str | None]] = []  # count rows (with states)
        self.tracks: list[Observation] = []
        self.days: set[date] = set()

        recorded = {o.evidence_id for o in observations if o.kind == "coverage" and o.evidence_id}
        inventoried = {o.evidence_id for o in observations if o.kind == "count" and o.evidence_id}
        rejected = {r.detection_id for o in observations if o.kind == REVIEW_KIND
                    and (r := review_of(o)).active and r.action == "reject"}
        for o in observations:
            day = o.observed_at.at.date()
            if o.kind == "coverage":
                self._add_coverage(o, day)
            elif o.kind == "track_event":
                self.tracks.append(o)
            elif o.kind in ("detection", "count"):
                if o.kind == "detection" and o.confidence is not None and o.confidence < self.min_confidence:
                    continue
                zone = self.zone_of(o)
                category, type_id = item_category(o, catalog)
                if o.kind == "detection":
                    if o.id not in rejected:  # the analyst's rejections (imagery.review)
                        self.detections.append((o, zone, category, type_id))
                else:
                    self.inventories.append((o, zone, category, type_id))
                key = o.evidence_id or f"manual-{day}"
                if o.kind == "detection" and o.evidence_id in inventoried:
                    pass  # the inventory of this image already counts its detections
                else:
                    # An inventory row's `count` (confident detections whose best type is this one) adds up
                    # across types to the objects seen; its `expected` under-counts types that are nobody's
                    # best guess, so it is only the fallback.
                    n = o.count
                    expected = (o.attributes or {}).get("expected")
                    if o.kind == "count" and n is None and isinstance(expected, (int, float)):
                        n = expected
                    if o.state == "not_seen":
                        n = 0
                    self.items[(day, zone, key)].append(Item(category, type_id, float(n), o.id, o.evidence_id,
                                                                o.confidence))
                if o.evidence_id not in recorded:  # no coverage record: the zone was seen where it was observed
                    self.seen[(day, zone)].add(o.evidence_id or f"obs-{o.id}")
                    if o.kind == "count" or o.state == "not_seen":  # an inventory or "covered, absent"
                        self.full[(day, zone)].add(o.evidence_id or f"obs-{o.id}")
                self.days.add(day)

    def _add_coverage(self, o: Observation, day: date) -> None:
        cov = coverage_of(o)
        foot = _geometry(cov.footprint)
        if foot is None:
            return
        hidden = [g if g.is_valid else g.buffer(0) for v in (cov.cloud, cov.nodata)
                  if (g := _geometry(v)) is not None and not g.is_empty]
        cloud = unary_union(hidden) if hidden else None
        seen = foot.difference(cloud) if cloud is not None else foot
        scale = 1.0
        if cloud is None:  # a cloud share without its polygons: discount the whole image
            scale = max(0.0, 1.0 - cov.cloud_fraction)
        self.days.add(day)
        for zid, geom in self.zone_geoms.items():
            if geom.area <= 0 or not foot.intersects(geom):
                continue
            frac = seen.intersection(geom).area / geom.area * scale
            key = (day, zid)
            if frac > self.coverage[key]:
                self.coverage[key] = frac
            if o.evidence_id:
                self.coverage_evidence[key].add(o.evidence_id)
            if cloud is not None and cloud.intersects(geom) and frac < self.min_coverage:
                self.clouded[key].add(o.evidence_id or f"obs-{o.id}")
            elif cloud is None and scale < 1 and frac < self.min_coverage:
                self.clouded[key].add(o.evidence_id or f"obs-{o.id}")

    def zone_of(self, o: Observation) -> str:
        if o.zone_id and o.zone_id in self.zone_geoms:
            return o.zone_id
        geom = _geometry(o.geometry)
        if geom is not None:
            c = geom.centroid
            for zid, g in self.zone_geoms.items():
                if zid != SITE_ZONE and g.contains(c):
                    return zid
        return SITE_ZONE

    # -- queries ----------------------------------------------------------------------------------------------
    def zones(self, kinds: list[str] | None = None, ids: list[str] | None = None) -> list[str]:
        if ids:
            return [z for z in ids if z in self.zone_geoms]
        if kinds:
            return [z for z, k in self.zone_kind.items() if k in kinds]
        return list(self.zone_geoms)

    def covered(self, day: date, zone: str, *, partial: bool = False) -> bool:
        """Whether the whole zone was seen that day (or, with `partial`, any part of it was)."""
        key = (day, zone)
        if self.coverage.get(key, 0.0) >= self.min_coverage or bool(self.full.get(key)):
            return True
        return partial and (bool(self.seen.get(key)) or self.coverage.get(key, 0.0) >= MIN_PARTIAL)

    def seen_fraction(self, day: date, zone: str) -> float | None:
        """How much of the zone the day's images saw (footprint minus cloud and no-data); None when no image
        recorded its footprint there."""
        if self.full.get((day, zone)):
            return 1.0
        return self.coverage.get((day, zone))

    def covered_days(self, zone: str, start: date, end: date, *, partial: bool = False) -> list[date]:
        return sorted(d for d in self.days if start <= d <= end and self.covered(d, zone, partial=partial))

    def count(self, day: date, zone: str, categories: Any = None, types: Any = None, exclude: Any = None) -> float:
        """Largest count over the day's images of the selected items in a zone (0 when seen and empty)."""
        best = 0.0
        for (d, z, _), items in self.items.items():
            if d == day and z == zone:
                best = max(best, sum(i.count for i in items if matches(i.category, i.type_id, categories, types,
                                                                        exclude)))
        return best

    def evidence(self, day: date, zone: str, categories: Any = None, types: Any = None,
                 exclude: Any = None) -> list[str]:
        ids: list[str] = []
        for (d, z, _), items in self.items.items():
            if d == day and z == zone:
                ids += [i.evidence_id or f"obs-{i.obs_id}" for i in items
                        if i.count > 0 and matches(i.category, i.type_id, categories, types, exclude)]
        ids += sorted(self.coverage_evidence.get((day, zone), set()))
        return list(dict.fromkeys(ids))

    def items_on(self, day: date, zone: str, categories: Any = None, types: Any = None,
                 exclude: Any = None) -> list[Item]:
        return [i for (d, z, _), items in self.items.items() if d == day and z == zone
                for i in items if matches(i.category, i.type_id, categories, types, exclude)]

    def last_seen(self, zone: str, end: date) -> date | None:
        days = [d for d in self.days if d <= end and self.covered(d, zone, partial=True)]
        return max(days) if days else None
