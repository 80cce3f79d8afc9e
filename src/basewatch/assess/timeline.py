"""A site's timeline: every observation, claim and stored assessment on one axis, plus counts over time.

Event, collection and report times stay apart, each with its precision: a claim placed by its event time still
says when it was reported, and an image says when it was collected. Items are placed on the axis by their event
time where known, else by collection time, else by report time (`axis` says which).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from basewatch.assess.inputs import read_claims
from basewatch.assess.snapshots import Snapshots
from basewatch.model import Instant, Observation, Site, parse_instant
from basewatch.store.coverage import coverage_of
from basewatch.workspace import Workspace


def _t(inst: Instant | None) -> dict[str, str] | None:
    return {"at": inst.at.isoformat(), "text": inst.isoformat(), "precision": inst.precision.value} if inst else None


@dataclass
class Timeline:
    site: str
    start: str | None
    end: str | None
    events: list[dict[str, Any]]
    counts: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"site": self.site, "start": self.start, "end": self.end, "events": self.events,
                "counts": self.counts}


def _summary(o: Observation, zone: str) -> str:
    a = o.attributes or {}
    if o.kind == "coverage":
        cov = coverage_of(o)
        extra = [f"cloud {cov.cloud_fraction:.0%}"]
        if cov.cloud:
            n = len(cov.cloud["coordinates"]) if cov.cloud.get("type") == "MultiPolygon" else 1
            extra.append(f"{n} cloud polygon(s)")
        return f"image coverage ({', '.join(extra)})"
    if o.kind == "track_event":
        return f"{a.get('event', 'track event')} {a.get('category') or o.equipment_type_id or ''} " \
               f"(track {a.get('track_id', '?')})".replace("  ", " ")
    what = o.equipment_type_id or a.get("category") or a.get("class") or "item"
    if o.kind == "count":
        n = a.get("expected", o.count)
        rng = f" ({a['low']}-{a['high']})" if a.get("low") is not None and a.get("high") is not None else ""
        return f"{n}{rng} x {what} in {zone}"
    return f"{o.count} x {what}{' ' + o.state if o.state else ''} in {zone}"


def timeline(ws: Workspace, site: str | Site, start: str | None = None, end: str | None = None) -> Timeline:
    """Observations, claims and assessments of a site between `start` and `end` (ISO dates, inclusive)."""
    site_obj = site if isinstance(site, Site) else ws.site(site)
    lo = parse_instant(start, what="--from").at if start else None
    hi_inst = parse_instant(end, what="--to") if end else None
    if hi_inst is not None:
        from basewatch.assess.inputs import cutoff_of

        hi = cutoff_of(hi_inst)
    else:
        hi = None

    def inside(at: datetime | None) -> bool:
        return at is not None and (lo is None or at >= lo) and (hi is None or at < hi)

    evidence = {e.id: e for e in ws.list_evidence()}
    observations = ws.list_observations(site=site_obj.id)
    snaps = Snapshots(site_obj, observations, ws.catalog, {"min_confidence": 0.0})
    events: list[dict[str, Any]] = []
    for o in observations:
        ev = evidence.get(o.evidence_id) if o.evidence_id else None
        if not inside(o.observed_at.at):
            continue
        zone = snaps.zone_of(o)
        events.append({
            "id": f"obs-{o.id}", "kind": o.kind, "time": o.observed_at.at.isoformat(), "axis": "event",
            "event_time": _t(o.observed_at), "collected_time": _t(ev.collected_at if ev else None),
            "reported_time": _t(ev.published_at if ev else None), "summary": _summary(o, zone),
            "zone": None if zone == "_site" else zone, "type": o.equipment_type_id, "state": o.state,
            "method": o.method, "confidence": o.confidence, "evidence": o.evidence_id,
            "source": ev.source_id if ev else None})
    for c in read_claims(ws, site_obj):
        axis_inst, axis = (c.event_at, "event") if c.event_at else (c.reported_at, "reported")
        if axis_inst is None or not inside(axis_inst.at):
            continue
        subject = c.equipment_type_id or c.subject
        events.append({
            "id": f"claim-{c.id}", "kind": "claim", "time": axis_inst.at.isoformat(), "axis": axis,
            "event_time": _t(c.event_at), "collected_time": None, "reported_time": _t(c.reported_at),
            "summary": f"{c.who}: {c.state or '?'} {subject} ({c.stance})", "quote": c.quote, "state": c.state,
            "stance": c.stance, "speaker": c.who, "attribution": list(c.attribution), "evidence": c.evidence_id,
            "source": c.source_id, "grade": c.grade, "event_key": c.event_key})
    for a in ws.assessments(site=site_obj.id):
        if not inside(a.as_of.at):
            continue
        lead_id, lead_term = (a.leading.id, a.leading.likelihood) if a.leading else (None, None)
        events.append({"id": f"assessment-{a.id}", "kind": "assessment", "time": a.as_of.at.isoformat(),
                       "axis": "as_of", "event_time": None, "collected_time": None, "reported_time": None,
                       "summary": f"assessed: {lead_id} {lead_term}, {a.confidence} confidence", "evidence": None,
                       "source": None})
    events.sort(key=lambda e: (e["time"], e["kind"], e["id"]))

    per: dict[tuple[str, str, str | None], dict[str, float]] = defaultdict(dict)
    for day in sorted(snaps.days):
        at = datetime(day.year, day.month, day.day, tzinfo=UTC)
        if not inside(at) and not (lo is None and hi is None):
            continue
        zones = {z for (d, z, _k) in snaps.items if d == day}
        for z in zones:
            best: dict[tuple[str, str | None], float] = {}
            for (d, zz, _k), items in snaps.items.items():
                if d != day or zz != z:
                    continue
                sums: dict[tuple[str, str | None], float] = defaultdict(float)
                for i in items:
                    sums[(i.category or "unknown", i.type_id)] += i.count
                for key, n in sums.items():
                    best[key] = max(best.get(key, 0.0), n)
            for (cat, type_id), n in best.items():
                per[(day.isoformat(), cat, type_id)][z] = n
    counts = [{"date": d, "category": cat, "type": t, "count": sum(zs.values()),
               "zones": {("site" if z == "_site" else z): n for z, n in sorted(zs.items())}}
              for (d, cat, t), zs in sorted(per.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or ""))]
    return Timeline(site=site_obj.id, start=start, end=end, events=events, counts=counts)
