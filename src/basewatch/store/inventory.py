"""Zone counts (the inventory) stored as observations of kind `count`, and the identifications they carry.

Each detection's identification is kept in its zone count's `members` attribute (the detector's own rows are
never edited); `identifications` is the one place that reads it back.
"""

from __future__ import annotations

from sqlalchemy import Connection

from basewatch.model import Identification, Observation, ZoneCount
from basewatch.store.observations import read_observations

KIND = "count"
METHOD = "inventory"


def _member(m: Identification) -> dict[str, object]:
    return {"detection": m.detection_id, "type": m.type_id, "p": m.p, "score": m.score, "states": m.states,
            "heading_deg": m.heading_deg, "candidates": list(m.candidates), "review": list(m.review)}


def zone_count_observation(z: ZoneCount) -> Observation:
    attrs = {"category": z.category, "type": z.type_id, "name": z.name, "expected": z.expected, "low": z.low,
             "high": z.high, "states": dict(z.states), "zone_coverage": z.zone_coverage,
             "members": [_member(m) for m in z.members], "counted_by": z.counted_by}
    return Observation(id=z.id or 0, site_id=z.site_id, kind=KIND, method=METHOD, observed_at=z.observed_at,
                       equipment_type_id=z.equipment_type_id, zone_id=z.zone_id, count=z.count,
                       confidence=z.confidence, evidence_id=z.evidence_id, note=z.note, attributes=attrs)


def zone_count_of(o: Observation) -> ZoneCount:
    a = o.attributes or {}
    members = tuple(
        Identification(detection_id=m.get("detection"), evidence_id=o.evidence_id, type_id=m.get("type"),
                       p=m.get("p"), zone_id=o.zone_id, category=a.get("category"), score=m.get("score"),
                       states=dict(m.get("states") or {}), heading_deg=m.get("heading_deg"),
                       candidates=tuple(m.get("candidates") or ()), review=tuple(m.get("review") or ()))
        for m in a.get("members") or [] if isinstance(m, dict))
    expected = a.get("expected")
    return ZoneCount(evidence_id=o.evidence_id or "", site_id=o.site_id, observed_at=o.observed_at,
                     zone_id=o.zone_id, category=a.get("category"), type_id=a.get("type"),
                     name=str(a.get("name") or a.get("type") or ""), count=o.count,
                     expected=float(expected if expected is not None else o.count), low=int(a.get("low") or 0),
                     high=int(a.get("high") or 0), confidence=o.confidence, equipment_type_id=o.equipment_type_id,
                     states=dict(a.get("states") or {}), zone_coverage=a.get("zone_coverage"), members=members,
                     counted_by=a.get("counted_by"), id=o.id or None)


def read_zone_counts(conn: Connection, *, evidence_id: str | None = None,
                     site_id: str | None = None) -> list[ZoneCount]:
    """The inventory's zone counts, in time then id order."""
    return [zone_count_of(o) for o in read_observations(conn, evidence_id=evidence_id, site_id=site_id,
                                                         kind=KIND, method=METHOD)]


def identifications(counts: list[ZoneCount]) -> dict[int, Identification]:
    """Detection observation id -> its identification, from zone counts."""
    return {m.detection_id: m for z in counts for m in z.members if m.detection_id is not None}


__all__ = ["identifications", "read_zone_counts", "zone_count_observation", "zone_count_of"]
