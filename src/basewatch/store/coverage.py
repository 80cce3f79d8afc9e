"""Coverage records, stored as observations of kind `coverage`: the footprint as geometry, the rest in
attributes under fixed keys. This module is the only place that knows those keys."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from basewatch.model import Coverage, Observation
from basewatch.store.observations import read_observations

KIND = "coverage"
_KEYS = {"cloud": "cloud_polygons_lonlat", "nodata": "nodata_polygons_lonlat", "cloud_fraction": "cloud_fraction",
         "nodata_fraction": "nodata_fraction", "cloud_method": "cloud_method"}


def coverage_observation(c: Coverage) -> Observation:
    attrs: dict[str, Any] = {"nodata_fraction": round(c.nodata_fraction, 4),
                             "cloud_fraction": round(c.cloud_fraction, 4), "cloud_polygons_lonlat": c.cloud,
                             "cloud_method": c.cloud_method}
    if c.nodata is not None:
        attrs["nodata_polygons_lonlat"] = c.nodata
    attrs.update(c.details)
    return Observation(id=c.id or 0, site_id=c.site_id, kind=KIND, method=c.method, observed_at=c.observed_at,
                       evidence_id=c.evidence_id, geometry=c.footprint, attributes=attrs)


def coverage_of(o: Observation) -> Coverage:
    a = o.attributes or {}
    return Coverage(evidence_id=o.evidence_id, site_id=o.site_id, observed_at=o.observed_at, footprint=o.geometry,
                    method=o.method, cloud=a.get(_KEYS["cloud"]) or None, nodata=a.get(_KEYS["nodata"]) or None,
                    cloud_fraction=float(a.get("cloud_fraction") or 0.0),
                    nodata_fraction=float(a.get("nodata_fraction") or 0.0),
                    cloud_method=str(a.get("cloud_method") or ""),
                    details={k: v for k, v in a.items() if k not in _KEYS.values()}, id=o.id or None)


def read_coverage(conn: Connection, *, evidence_id: str | None = None, site_id: str | None = None) -> list[Coverage]:
    return [coverage_of(o) for o in read_observations(conn, evidence_id=evidence_id, site_id=site_id, kind=KIND)]


__all__ = ["coverage_observation", "coverage_of", "read_coverage"]
