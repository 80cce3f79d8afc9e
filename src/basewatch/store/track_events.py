"""Track events, stored as observations of kind `track_event`: the point as geometry, the analyser's
measurements in attributes (`event` names the kind)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from basewatch.model import Observation, TrackEvent
from basewatch.store.observations import read_observations

KIND = "track_event"


def track_event_observation(e: TrackEvent) -> Observation:
    attrs = {**e.details, "event": e.kind}
    if e.track_id is not None:
        attrs["track_id"] = e.track_id
    if e.category is not None:
        attrs["category"] = e.category
    geometry = {"type": "Point", "coordinates": [e.lon, e.lat]} if e.lon is not None and e.lat is not None else None
    return Observation(id=e.id or 0, site_id=e.site_id, kind=KIND, method=e.method, observed_at=e.observed_at,
                       equipment_type_id=e.equipment_type_id, zone_id=e.zone_id, count=e.count,
                       confidence=e.confidence, evidence_id=e.evidence_id, geometry=geometry, note=e.note,
                       attributes=attrs)


def track_event_of(o: Observation) -> TrackEvent:
    details = dict(o.attributes or {})
    kind = str(details.pop("event", ""))
    lon = lat = None
    if o.geometry and o.geometry.get("type") == "Point":
        lon, lat = o.geometry["coordinates"]
    return TrackEvent(kind=kind, site_id=o.site_id, observed_at=o.observed_at, method=o.method,
                      evidence_id=o.evidence_id, track_id=details.pop("track_id", None),
                      category=details.pop("category", None), equipment_type_id=o.equipment_type_id,
                      zone_id=o.zone_id, count=o.count, confidence=o.confidence, lon=lon, lat=lat, note=o.note,
                      details=details, id=o.id or None)


def read_track_events(conn: Connection, *, site_id: str | None = None, evidence_id: str | None = None,
                      start: datetime | None = None, end: datetime | None = None) -> list[TrackEvent]:
    """Track events in time order; `end` is exclusive."""
    return [track_event_of(o) for o in read_observations(conn, site_id=site_id, evidence_id=evidence_id, kind=KIND,
                                                          start=start, end=end)]


__all__ = ["read_track_events", "track_event_observation", "track_event_of"]
