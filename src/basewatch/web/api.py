"""The JSON API (`/api/...`) and the imagery tiles (`/tiles/...`) behind the dashboard.

Every route is a thin shell over `basewatch.export.records` (or the workspace), the same functions the brief
and the exports use, so the HTTP API and the command line never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

import anyio
from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from basewatch import errors
from basewatch.assess import timeline
from basewatch.export import records
from basewatch.tracks import track_events
from basewatch.web.security import require_write
from basewatch.web.tiles import media_type, native_zoom, raster_info
from basewatch.workspace import Workspace

router = APIRouter()
T = TypeVar("T")


def _ws(request: Request) -> Workspace:
    return request.app.state.ws


def cached(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`fn(ws, *args, **kwargs)`, shared between requests until the workspace changes (see ResponseCache.memo).

    What it returns is shared: callers copy before they change it."""
    cache = request.app.state.response_cache
    ws = _ws(request)
    return cache.memo((fn, args, tuple(sorted(kwargs.items()))), lambda: fn(ws, *args, **kwargs))


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


def image_layers(ws: Workspace, site: str | None = None) -> list[dict[str, Any]]:
    """The site's georeferenced images as map layers: tiles URL, bounds and zoom range."""
    out = []
    for ev in records.image_evidence(ws, site):
        fp = ev.metadata["footprint"]
        xs = [p[0] for ring in fp["coordinates"] for p in ring]
        ys = [p[1] for ring in fp["coordinates"] for p in ring]
        gsd = ev.metadata.get("gsd_m") or 1.0
        src = ws.catalog.sources.get(ev.source_id) if ev.source_id else None
        out.append({"id": ev.id, "date": records.day(ev.collected_at), "collected": records.iso(ev.collected_at),
                    "title": records.evidence_title(ev), "source": src.name if src else None,
                    "site": ev.site_id, "gsd_m": gsd, "footprint": fp,
                    "bounds": [[min(ys), min(xs)], [max(ys), max(xs)]],
                    "native_zoom": native_zoom(gsd, (min(ys) + max(ys)) / 2),
                    "tiles": f"/tiles/{ev.id}/{{z}}/{{x}}/{{y}}.png"})
    return out


def site_summary(ws: Workspace, site_id: str) -> dict[str, Any]:
    site = records.site_of(ws, site_id)
    rec = records.site_record(site)
    evidence = ws.list_evidence(site=site.id)
    latest = records.latest_assessment(ws, site.id)
    rec["evidence_count"] = len(evidence)
    rec["image_dates"] = records.image_dates(ws, site.id)
    rec["latest_assessment"] = None if latest is None else {
        "as_of": latest.as_of.isoformat(), "leading": latest.leading.to_dict() if latest.leading else None,
        "confidence": latest.confidence}
    return rec


@router.get("/api/sites", summary="Sites with their zones, evidence counts and latest judgement")
def api_sites(request: Request) -> JSONResponse:
    ws = _ws(request)
    return _json({"sites": [cached(request, site_summary, s) for s in ws.catalog.sites]})


@router.get("/api/sites/{site_id}", summary="One site, its zones and its imagery layers")
def api_site(request: Request, site_id: str) -> JSONResponse:
    rec = {**cached(request, site_summary, site_id)}
    rec["images"] = cached(request, image_layers, rec["id"])
    return _json(rec)


@router.get("/api/sites/{site_id}/timeline",
            summary="Observations, claims and assessments on one axis, and counts (as `basewatch timeline`)")
def api_timeline(request: Request, site_id: str, start: str | None = None, end: str | None = None) -> JSONResponse:
    return _json(cached(request, site_timeline, site_id, start, end))


def site_timeline(ws: Workspace, site_id: str, start: str | None, end: str | None) -> dict[str, Any]:
    return timeline(ws, site_id, start, end).to_dict()


@router.get("/api/sites/{site_id}/counts", summary="Counts by category (or type) over time, and claims per day")
def api_counts(request: Request, site_id: str, by: str = "category") -> JSONResponse:
    if by not in ("category", "type"):
        raise errors.InvalidValueError(f"by={by!r}; use category or type")
    return _json(cached(request, records.count_series, site_id, by=by))


@router.get("/api/sites/{site_id}/change", summary="Changes between two image dates (default: the last two)")
def api_change(request: Request, site_id: str, a: str | None = None, b: str | None = None) -> JSONResponse:
    ws = _ws(request)
    a, b = default_dates(ws, site_id, a, b, request)
    if a is None or b is None:
        return _json({"site": records.site_id_of(ws, site_id), "a": a, "b": b, "changes": None, "inventory": [],
                      "note": "fewer than two image dates for this site"})
    return _json(cached(request, records.change, site_id, a, b))


def default_dates(ws: Workspace, site_id: str, a: str | None, b: str | None,
                  request: Request | None = None) -> tuple[str | None, str | None]:
    dates = cached(request, records.image_dates, site_id) if request is not None else \
        records.image_dates(ws, site_id)
    for d in (a, b):
        if d is not None and d not in dates:
            raise errors.InvalidValueError(f"no image of {site_id} on {d}; image dates: {', '.join(dates)}")
    if a is None and b is None:
        return (dates[-2], dates[-1]) if len(dates) >= 2 else (None, None)
    return a, b


@router.get("/api/evidence", summary="Evidence items with provenance")
def api_evidence(request: Request, site: str | None = None, kind: str | None = None) -> JSONResponse:
    return _json({"evidence": cached(request, evidence_records, site=site, kind=kind)})


def evidence_records(ws: Workspace, *, site: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    return [records.evidence_record(ws, e) for e in ws.list_evidence(kind=kind, site=site)]


@router.get("/api/evidence/{evidence_id}", summary="One evidence item, its text (if any) and its claims")
def api_evidence_one(request: Request, evidence_id: str) -> JSONResponse:
    ws = _ws(request)
    ev = ws.evidence(evidence_id)
    rec = records.evidence_record(ws, ev)
    rec["text"] = records.evidence_text(ws, ev)
    rec["claims"] = records.claim_records(ws, evidence=ev.id)
    return _json(rec)


@router.get("/api/observations", summary="Observations (detections, zone counts, coverage, track events)")
def api_observations(request: Request, site: str | None = None, kind: str | None = None,
                     evidence: str | None = None) -> JSONResponse:
    ws = _ws(request)
    ev_id = ws.evidence(evidence).id if evidence else None
    return _json({"observations": cached(request, records.observation_records, site=site, kind=kind,
                                         evidence=ev_id)})


@router.post("/api/observations", status_code=201, dependencies=[Depends(require_write)],
             summary="Record an analyst's observation (needs the token)")
def api_observe(request: Request, body: dict[str, Any] = Body(...)) -> JSONResponse:  # noqa: B008
    allowed = {"site", "time", "equipment", "state", "count", "zone", "evidence", "confidence", "note", "kind"}
    unknown = set(body) - allowed
    if unknown or "site" not in body:
        raise errors.InvalidValueError(f"observation fields {sorted(unknown)} are unknown or 'site' is missing; "
                                       f"use {sorted(allowed)}")
    ws = _ws(request)
    obs = ws.observe(**body, method="manual")
    return _json(records.observation_record(ws, obs), 201)


class ReviewBody(BaseModel):
    """One review action (see `basewatch review`); sizes and types are checked before anything runs."""

    model_config = ConfigDict(extra="forbid", strict=True)
    evidence: str = Field(max_length=64)
    action: Literal["confirm", "reject", "retype", "redraw", "add", "count"]
    detection: int | None = Field(default=None, ge=0)
    type: str | None = Field(default=None, max_length=80)
    cls: Literal["aircraft", "helicopter", "vehicle", "ship"] | None = Field(default=None, alias="class")
    box: list[tuple[float, float]] | None = Field(default=None, min_length=4, max_length=4)
    zone: str | None = Field(default=None, max_length=64)
    count: int | None = Field(default=None, ge=0, le=10_000)
    analyst: str | None = Field(default=None, max_length=64)
    note: str = Field(default="", max_length=2000)


@router.get("/api/evidence/{evidence_id}/review", summary="An image's detections as reviewed, and its reviews")
def api_review_sheet(request: Request, evidence_id: str) -> JSONResponse:
    from basewatch.imagery.review import review_sheet, reviews

    ws = _ws(request)
    ev = ws.evidence(evidence_id)
    return _json({"detections": cached(request, review_sheet, ev.id),
                  "reviews": [r.to_dict() for r in reviews(ws, evidence=ev.id)]})


@router.get("/api/sites/{site}/review-queue", summary="Detections to review first: unknown or unsure types")
def api_review_queue(request: Request, site: str, limit: int = 200) -> JSONResponse:
    from basewatch.imagery.review import review_queue

    return _json({"queue": cached(request, review_queue, site, limit=max(1, min(limit, 10_000)))})


@router.post("/api/reviews", status_code=201, dependencies=[Depends(require_write)],
             summary="Confirm, reject, retype, redraw or add a detection, or count a zone by hand (needs the token)")
def api_review(request: Request, body: ReviewBody) -> JSONResponse:
    from basewatch.imagery.review import review

    r = review(_ws(request), body.evidence, body.action, detection=body.detection, equipment=body.type,
               cls=body.cls, polygon=body.box, zone=body.zone, count=body.count,
               analyst=body.analyst or "dashboard", note=body.note)
    return _json(r.to_dict(), 201)


@router.post("/api/reviews/{review_id}/undo", dependencies=[Depends(require_write)],
             summary="Undo a review; it stays in the history, marked (needs the token)")
def api_review_undo(request: Request, review_id: int, analyst: str = "dashboard") -> JSONResponse:
    from basewatch.imagery.review import undo

    return _json(undo(_ws(request), review_id, analyst=analyst[:64]).to_dict())


@router.get("/api/claims", summary="Claims extracted from texts, with attribution and quote spans")
def api_claims(request: Request, site: str | None = None, evidence: str | None = None) -> JSONResponse:
    ws = _ws(request)
    ev_id = ws.evidence(evidence).id if evidence else None
    return _json({"claims": cached(request, records.claim_records, site=site, evidence=ev_id)})


@router.get("/api/assessments", summary="Stored assessments (the history of the judgement)")
def api_assessments(request: Request, site: str | None = None) -> JSONResponse:
    return _json({"assessments": cached(request, assessment_records, site=site)})


def assessment_records(ws: Workspace, *, site: str | None = None) -> list[dict[str, Any]]:
    return [a.to_dict() for a in ws.assessments(site=site)]


@router.get("/api/track-events", summary="Track events (arrivals, departures, holding offshore, AIS gaps...)")
def api_track_events(request: Request, site: str, start: str | None = None, end: str | None = None) -> JSONResponse:
    return _json({"events": cached(request, track_event_records, site, start, end)})


def track_event_records(ws: Workspace, site: str, start: str | None, end: str | None) -> list[dict[str, Any]]:
    return [e.to_dict() for e in track_events(ws, site, start, end)]


@router.get("/api/alerts", summary="Recorded alerts and their webhook deliveries")
def api_alerts(request: Request, site: str | None = None) -> JSONResponse:
    return _json({"alerts": cached(request, records.alert_records, site=site)})


@router.post("/api/alerts/check", dependencies=[Depends(require_write)],
             summary="Compare the latest assessments and record (and post) new alerts (needs the token)")
def api_alerts_check(request: Request) -> JSONResponse:
    from basewatch.alerts import check_alerts

    made = check_alerts(_ws(request))
    return _json({"alerts": [a.to_dict() for a in made]})


@router.get("/tiles/{evidence_id}/{z}/{x}/{y}.png",
            summary="A 256 px Web-Mercator tile of an archived image (JPEG, or PNG at its edges)")
async def tile(request: Request, evidence_id: str, z: int, x: int, y: int) -> Response:
    cache = request.app.state.tiles
    png = cache.peek(evidence_id, z, x, y)  # archived images never change: no lookup needed
    if png is None:
        png = await anyio.to_thread.run_sync(_render, _ws(request), cache, evidence_id, z, x, y)
    return Response(png, media_type=media_type(png), headers={"Cache-Control": "public, max-age=86400, immutable"})


def _render(ws: Workspace, cache: Any, evidence_id: str, z: int, x: int, y: int) -> bytes:
    if not (0 <= z <= 24 and 0 <= x < 2**z and 0 <= y < 2**z):
        raise errors.InvalidValueError(f"tile {z}/{x}/{y} does not exist")
    path = cache.paths.get(evidence_id)
    if path is None:
        ev = ws.evidence(evidence_id)
        if ev.kind != "image" or not ev.metadata.get("footprint"):
            raise errors.InvalidValueError(f"{ev.id} is a {ev.kind} without a map footprint; tiles need a "
                                           "georeferenced image")
        path = ws.archive.path(ev.sha256)
        raster_info(path)
        cache.paths[evidence_id] = path
    return cache.get(path, evidence_id, z, x, y)
