"""Serialising the workspace's records for the dashboard, the API, briefs and exports: one JSON form each.

Nothing here queries the database: records come from the one reader of each family (`Workspace.claims`,
`.list_observations`, `.identifications`, `.assessments`...), and each is shown as its own `to_dict()`, with a
few derived fields where a view needs them (an observation's identified type, an evidence item's source).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from basewatch import errors
from basewatch.imagery.change import compare
from basewatch.ingest.inspect import TEXT_KINDS
from basewatch.model import Assessment, Claim, Evidence, Identification, Observation, Site
from basewatch.model.time import Instant
from basewatch.workspace import Workspace

MAX_TEXT_BYTES = 2_000_000


def iso(value: datetime | Instant | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, Instant):
        return value.isoformat()
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def day(value: datetime | Instant | None) -> str | None:
    if value is None:
        return None
    at = value.at if isinstance(value, Instant) else value
    return at.strftime("%Y-%m-%d")


# -- sites ----------------------------------------------------------------------------------------------
def site_id_of(ws: Workspace, name: str) -> str:
    """The site id a name stands for; an exact id skips the alias lookup (the hot path of every page)."""
    return name if name in ws.catalog.sites else ws.site(name).id


def site_of(ws: Workspace, name: str) -> Site:
    return ws.catalog.sites[site_id_of(ws, name)]


def site_record(site: Site) -> dict[str, Any]:
    return {"id": site.id, "name": site.name, "kind": site.kind, "operator": site.operator,
            "country": site.country, "lat": site.lat, "lon": site.lon, "aoi": site.aoi,
            "aliases": list(site.aliases), "citation": site.citation,
            "zones": [{"id": z.id, "name": z.name, "kind": z.kind, "geometry": z.geometry} for z in site.zones]}


# -- evidence -------------------------------------------------------------------------------------------
def evidence_title(ev: Evidence) -> str:
    return str(ev.metadata.get("title") or ev.filename)


def evidence_record(ws: Workspace, ev: Evidence) -> dict[str, Any]:
    src = ws.catalog.sources.get(ev.source_id) if ev.source_id else None
    meta = ev.metadata
    return {"id": ev.id, "kind": ev.kind, "title": evidence_title(ev), "filename": ev.filename,
            "media_type": ev.media_type, "sha256": ev.sha256, "size_bytes": ev.size_bytes,
            "site": ev.site_id, "url": ev.url, "licence": ev.licence,
            "source": {"id": src.id, "name": src.name, "kind": src.kind, "reliability": src.reliability}
            if src else None,
            "author": meta.get("author"),
            "collected": iso(ev.collected_at), "published": iso(ev.published_at), "ingested": iso(ev.ingested_at),
            "footprint": meta.get("footprint"), "crs": meta.get("crs"), "gsd_m": meta.get("gsd_m"),
            "width": meta.get("width"), "height": meta.get("height")}


def evidence_text(ws: Workspace, ev: Evidence) -> str | None:
    """The archived text of a text evidence item (what claim spans point into), or None."""
    if ev.kind not in (*TEXT_KINDS, "document") and not ev.media_type.startswith("text/"):
        return None
    stored = ev.metadata.get("text")
    if isinstance(stored, str):
        return stored
    path = ws.archive.path(ev.sha256)
    if not path.is_file() or path.stat().st_size > MAX_TEXT_BYTES:
        return None
    return path.read_bytes().decode("utf-8", errors="replace")


def image_evidence(ws: Workspace, site: str | None = None) -> list[Evidence]:
    """Georeferenced images (with a footprint), oldest first."""
    return [e for e in ws.list_evidence(kind="image", site=site) if e.metadata.get("footprint")]


# -- observations ---------------------------------------------------------------------------------------
def observation_record(ws: Workspace, obs: Observation, ident: Identification | None = None) -> dict[str, Any]:
    """An observation's own fields, plus what a view needs: the class and category, the identified type and
    states (from the inventory's identification when there is one) and that identification itself.
    `zone_id` is the observation's zone, else the zone the inventory placed the object in."""
    eq = ws.catalog.equipment.get(obs.equipment_type_id) if obs.equipment_type_id else None
    attrs = obs.attributes or {}
    rec = obs.to_dict()
    type_ = attrs.get("type") if isinstance(attrs.get("type"), dict) else None
    if type_ is None and ident is not None and ident.type_id:
        type_ = {"id": ident.type_id, "p": ident.p}
    rec.update({"zone_id": obs.zone_id or (ident.zone_id if ident else None),
                "class": attrs.get("class"),
                "category": attrs.get("category") or (eq.category if eq else None) or (ident.category if ident
                                                                                        else None),
                "type": type_, "states": attrs.get("states") or (ident.states if ident else {}) or {},
                "identification": ident.to_dict() if ident else None})
    if obs.kind == "detection":  # the analyst's actions behind its identification (see `imagery.review`)
        rec["review"] = list(ident.review) if ident else []
    return rec


def observation_records(ws: Workspace, *, site: str | None = None, kind: str | None = None,
                        evidence: str | None = None, equipment: str | None = None) -> list[dict[str, Any]]:
    """Observations as records; detections carry the identification the inventory gave them."""
    found = ws.list_observations(site=site, evidence=evidence, kind=kind, equipment=equipment)
    if not any(o.kind == "detection" for o in found):
        return [observation_record(ws, o) for o in found]
    from basewatch.imagery.review import reviews

    idents = ws.identifications(site=site, evidence=evidence)
    rejected = {r.detection_id for r in reviews(ws, site=site, evidence=evidence, include_undone=False)
                if r.action == "reject"}
    out = []
    for o in found:
        rec = observation_record(ws, o, idents.get(o.id) if o.kind == "detection" else None)
        if o.id in rejected:
            rec["review"] = ["reject"]
        out.append(rec)
    return out


# -- claims ---------------------------------------------------------------------------------------------
def claim_records(ws: Workspace, *, site: str | None = None, evidence: str | None = None) -> list[dict[str, Any]]:
    return [c.to_dict() for c in ws.claims(site=site, evidence=evidence)]


def text_segments(text: str, claims: list[Claim]) -> list[dict[str, Any]]:
    """Split a text into plain and claim-highlighted segments from the claims' quote spans.

    A span that does not fit the text (or overlaps an earlier one) falls back to the first occurrence of the
    quote; a claim found neither way is left out of the highlighting.
    """
    spans: list[tuple[int, int, int]] = []
    for c in claims:
        start, end = c.span_start, c.span_end
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            pos = text.find(c.quote) if c.quote else -1
            if pos < 0:
                continue
            start, end = pos, pos + len(c.quote)
        spans.append((start, end, c.id or 0))
    spans.sort()
    segments, cursor = [], 0
    for start, end, cid in spans:
        if start < cursor:
            continue
        if start > cursor:
            segments.append({"text": text[cursor:start], "claim": None})
        segments.append({"text": text[start:end], "claim": cid})
        cursor = end
    if cursor < len(text):
        segments.append({"text": text[cursor:], "claim": None})
    return segments


# -- assessments ----------------------------------------------------------------------------------------
def latest_assessment(ws: Workspace, site: str, as_of: datetime | None = None) -> Assessment | None:
    """The site's stored assessment with the latest as-of date (up to `as_of` when given)."""
    rows = [a for a in ws.assessments(site=site_id_of(ws, site)) if as_of is None or a.as_of.at <= as_of]
    return rows[-1] if rows else None


def alert_records(ws: Workspace, *, site: str | None = None) -> list[dict[str, Any]]:
    """Recorded alerts, newest first."""
    return [a.to_dict() for a in ws.alerts(site=site_id_of(ws, site) if site else None, newest_first=True)]


# -- count series ---------------------------------------------------------------------------------------
def count_series(ws: Workspace, site: str, *, by: str = "category") -> dict[str, Any]:
    """Counts over time for one site, by category (or type), and claims per day: the dashboard's chart.

    Zone counts (kind `count`) are summed over the zones of one image, and the largest image total of a day
    is kept, so two images of the same day are not added up. Without zone counts, detections are counted.
    """
    site_id = site_id_of(ws, site)
    obs = ws.list_observations(site=site_id)
    counts = [o for o in obs if o.kind == "count"]
    basis = "zone counts"
    if not counts:
        counts = [o for o in obs if o.kind == "detection"]
        basis = "detections"
    per_image: dict[tuple[str, str, str], int] = defaultdict(int)
    for o in counts:
        rec = observation_record(ws, o)
        if by == "type":
            t = rec["type"]["id"] if rec["type"] else (rec["attributes"].get("type") or rec["equipment_type_id"])
            key = t if isinstance(t, str) else None
        else:
            key = rec["category"]
        key = key or rec["class"] or "unidentified"
        per_image[(day(o.observed_at) or "", o.evidence_id or f"obs-{o.id}", key)] += o.count
    series: dict[str, dict[str, int]] = defaultdict(dict)
    for (d, _ev, key), n in per_image.items():
        series[key][d] = max(series[key].get(d, 0), n)
    claim_days: dict[str, int] = defaultdict(int)
    for c in ws.claims(site=site_id):
        if c.event_at:
            claim_days[c.event_at.isoformat()[:10]] += 1
    imaged = {d for s in series.values() for d in s}
    dates = sorted(imaged | set(claim_days))
    # A day with counts saw the site: a category missing that day is 0. A day without is no data (None).
    return {"site": site_id, "by": by, "basis": basis, "dates": dates,
            "series": [{"label": k, "values": [series[k].get(d, 0 if d in imaged else None) for d in dates]}
                       for k in sorted(series)],
            "claims": [claim_days.get(d, 0) for d in dates]}


# -- change between dates -------------------------------------------------------------------------------
def inventory_by_date(ws: Workspace, site: str) -> dict[str, dict[str, int]]:
    """{day: {category: count}} from the timeline, for a simple comparison between two dates."""
    tl = count_series(ws, site)
    return {d: {s["label"]: s["values"][i] for s in tl["series"] if s["values"][i] is not None}
            for i, d in enumerate(tl["dates"])}


def change(ws: Workspace, site: str, date_a: str, date_b: str) -> dict[str, Any]:
    """Changes between two dates: the change stage's object matching, and the inventory difference."""
    site_id = site_id_of(ws, site)
    inv = inventory_by_date(ws, site_id)
    a, b = inv.get(date_a, {}), inv.get(date_b, {})
    difference = [{"category": k, "a": a.get(k, 0), "b": b.get(k, 0), "delta": b.get(k, 0) - a.get(k, 0)}
                  for k in sorted(set(a) | set(b))]
    out: dict[str, Any] = {"site": site_id, "a": date_a, "b": date_b, "inventory": difference,
                           "changes": None, "note": None}
    try:
        out["changes"] = [c.to_dict() for c in compare(ws, site_id, date_a, date_b)]
    except errors.BasewatchError as exc:  # e.g. no analysed image on one of the dates: say so on the page
        out["note"] = str(exc)
    return out


def image_dates(ws: Workspace, site: str) -> list[str]:
    return sorted({d for e in image_evidence(ws, site) if (d := day(e.collected_at))})


def archive_path(ws: Workspace, ev: Evidence) -> Path:
    return ws.archive.path(ev.sha256)
