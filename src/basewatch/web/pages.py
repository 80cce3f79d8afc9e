"""The dashboard's HTML pages: server-rendered with Jinja2 (autoescaped), maps and charts drawn by app.js.

Data for the scripts is embedded with Jinja's `tojson`, which escapes `<`, `>` and `&`, so hostile text in
evidence can never close the script element; scripts then insert text with `textContent` only.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from basewatch.export import records
from basewatch.model import Assessment
from basewatch.report.judgement import HYPOTHESIS_LABELS, judgement_view
from basewatch.web.api import cached, default_dates, evidence_records, image_layers, site_summary
from basewatch.workspace import Workspace

router = APIRouter(include_in_schema=False)

def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    basemap = request.app.state.basemap
    if basemap and isinstance(context.get("data"), dict):
        context["data"] = {**context["data"], "basemap": basemap}
    return request.app.state.templates.TemplateResponse(request, name, context)


def _ws(request: Request) -> Workspace:
    return request.app.state.ws


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    ws = _ws(request)
    sites = [cached(request, site_summary, s) for s in ws.catalog.sites]
    layers = []
    for s in sites:
        imgs = cached(request, image_layers, s["id"])
        if imgs:
            layers.append(imgs[-1])
    data = {"sites": [{k: s[k] for k in ("id", "name", "kind", "lat", "lon", "aoi", "evidence_count")}
                      for s in sites], "images": layers}
    return _render(request, "index.html", sites=sites, data=data, alerts=cached(request, records.alert_records)[:10],
                   labels=HYPOTHESIS_LABELS)


def site_assessments(ws: Workspace, site_id: str) -> list[Assessment]:
    return ws.assessments(site=site_id)


@router.get("/sites/{site_id}", response_class=HTMLResponse)
def site_page(request: Request, site_id: str) -> HTMLResponse:
    summary = cached(request, site_summary, site_id)
    sid = summary["id"]
    images = cached(request, image_layers, sid)
    history = cached(request, site_assessments, sid)
    evidence = cached(request, evidence_records, site=sid)
    claims = cached(request, records.claim_records, site=sid)
    claims_by_ev: dict[str, int] = {}
    for c in claims:
        claims_by_ev[c["evidence_id"]] = claims_by_ev.get(c["evidence_id"], 0) + 1
    judgement = judgement_view(history[-1] if history else None)
    labels = judgement["labels"] if judgement else HYPOTHESIS_LABELS
    data = {"site": {k: summary[k] for k in ("id", "name", "lat", "lon", "aoi", "zones")}, "images": images,
            "timeline": cached(request, records.count_series, sid)}
    return _render(request, "site.html", site=summary, data=data, images=images,
                   judgement=judgement, history=[
                       {"as_of": a.as_of.isoformat(), "leading": a.leading.to_dict() if a.leading else {},
                        "confidence": a.confidence} for a in history],
                   evidence=evidence, claims_by_ev=claims_by_ev,
                   claims=claims, dates=cached(request, records.image_dates, sid), labels=labels)


@router.get("/sites/{site_id}/change", response_class=HTMLResponse)
def change_page(request: Request, site_id: str, a: str | None = None, b: str | None = None) -> HTMLResponse:
    ws = _ws(request)
    site = records.site_of(ws, site_id)
    dates = cached(request, records.image_dates, site.id)
    a, b = default_dates(ws, site.id, a or None, b or None, request)
    if a is None and b is not None:
        a = b
    if b is None and a is not None:
        b = a
    result = cached(request, records.change, site.id, a, b) if a and b else None
    images = cached(request, image_layers, site.id)
    pick = {d: next((i for i in images if i["date"] == d), None) for d in (a, b) if d}
    data = {"site": records.site_record(site), "a": pick.get(a) if a else None, "b": pick.get(b) if b else None}
    return _render(request, "change.html", site=site, dates=dates, a=a, b=b, result=result, data=data)


@router.get("/evidence/{evidence_id}", response_class=HTMLResponse)
def evidence_page(request: Request, evidence_id: str) -> HTMLResponse:
    ws = _ws(request)
    ev = ws.evidence(evidence_id)
    rec = records.evidence_record(ws, ev)
    claims = ws.claims(evidence=ev.id)
    text = records.evidence_text(ws, ev)
    segments = records.text_segments(text, claims) if text is not None else None
    observations = cached(request, records.observation_records, evidence=ev.id)
    layer = next((i for i in cached(request, image_layers, ev.site_id) if i["id"] == ev.id), None) \
        if ev.kind == "image" else None
    site = ws.catalog.sites.get(ev.site_id) if ev.site_id else None
    data = {"site": records.site_record(site) if site else None, "image": layer}
    review = None
    if ev.kind == "image" and any(o["kind"] == "detection" for o in observations):
        from basewatch.imagery.identify import FORM_CLASS
        from basewatch.imagery.review import review_sheet

        types = [{"id": e.id, "name": e.aliases[0] if e.aliases else e.name,
                  "class": FORM_CLASS.get(str(e.shape.get("form", "vehicle")), "vehicle")}
                 for e in sorted(ws.catalog.equipment.values(), key=lambda e: e.id)]
        review = {"detections": cached(request, review_sheet, ev.id), "types": types}
    return _render(request, "evidence.html", ev=rec, claims=[c.to_dict() for c in claims], segments=segments,
                   observations=observations, review=review, data=data, site=site)
