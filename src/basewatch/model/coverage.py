"""What one image saw: the record the inventory, change detection and the assessment all read.

"Not observed" is never "absent": a zone outside `footprint`, or under `cloud` or `nodata`, was not seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from basewatch.model.record import Record
from basewatch.model.time import Instant


@dataclass(frozen=True)
class Coverage(Record):
    """The footprint of one image and what hid parts of it, all GeoJSON geometries in WGS84 lon/lat.

    `cloud_fraction` without a `cloud` geometry (a provider's cloud share) discounts the whole image.
    `details` holds what the producer measured besides (GSD, size, model, detection counts).
    """

    evidence_id: str | None
    site_id: str
    observed_at: Instant
    footprint: dict[str, Any] | None
    method: str
    cloud: dict[str, Any] | None = None
    nodata: dict[str, Any] | None = None
    cloud_fraction: float = 0.0
    nodata_fraction: float = 0.0
    cloud_method: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


__all__ = ["Coverage"]
