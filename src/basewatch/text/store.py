"""Text evidence in the workspace: archive a text, split out its embedded posts, store its claims.

`process_text_evidence(ws, evidence_id)` is idempotent: it replaces the claims this method stored for the item
in one transaction, so running it twice leaves the same rows. Embedded posts become evidence of kind `post`
(metadata `embedded_in` names the article) and carry their own claims, with quote offsets into the post's text.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from basewatch.errors import InvalidValueError
from basewatch.ingest.inspect import TEXT_KINDS
from basewatch.model import Claim, Instant
from basewatch.model.time import Precision
from basewatch.store.claims import write_claims
from basewatch.text.dedup import event_key
from basewatch.text.extract import extract_document
from basewatch.text.model import ExtractedClaim, Segment
from basewatch.text.reading import read_document
from basewatch.workspace import Workspace

METHOD = "text-rules"


def claim_record(c: ExtractedClaim, evidence_id: str | None, *, offset: int = 0, published: date | None = None,
                 attributes: dict[str, Any] | None = None) -> Claim:
    """What the extractor found as the stored record; `offset` moves the quote into an embedded post's text."""
    event_at = None
    if c.event_time is not None:
        day, precision = c.event_time.start, c.event_time.precision
        if precision not in {p.value for p in Precision}:  # "in recent days", "last week": stored at the range's
            day, precision = c.event_time.end, "day"         # last day, the range itself in the attributes
        event_at = Instant(datetime(day.year, day.month, day.day, tzinfo=UTC), Precision(precision))
    return Claim(
        evidence_id=evidence_id, site_id=c.site, subject=c.subject.text, state=c.state, stance=c.stance,
        quote=c.quote, method=METHOD, equipment_type_id=c.subject.type, event_at=event_at, speaker=c.speaker,
        attribution=tuple(a.to_dict() for a in c.attribution), span_start=c.quote_start - offset,
        span_end=c.quote_end - offset, confidence=c.confidence, event_key=event_key(c, published),
        attributes={**(attributes or {}), "category": c.subject.category, "cue": c.cue,
                    "event_start": c.event_time.start.isoformat() if c.event_time else None,
                    "event_end": c.event_time.end.isoformat() if c.event_time else None,
                    "event_precision": c.event_time.precision if c.event_time else None})


def _outlet(ws: Workspace, ev: Any) -> str | None:
    if ev.metadata.get("outlet"):
        return str(ev.metadata["outlet"])
    if ev.source_id and ev.source_id in ws.catalog.sources:
        return ws.catalog.sources[ev.source_id].name
    return None


def _post_evidence(ws: Workspace, parent: Any, text: str, seg: Segment, n: int) -> str:
    """Archive an embedded post as its own evidence item and return its id."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{parent.id}-post-{n}.txt"
        path.write_text(text, encoding="utf-8")
        meta = {"embedded_in": parent.id, "author": seg.author, "handle": seg.handle,
                "span_in_parent": [seg.start, seg.end]}
        r = ws.add_evidence(path, kind="post", published=seg.published.isoformat() if seg.published else None,
                            site=parent.site_id, metadata={k: v for k, v in meta.items() if v is not None})
    return r.evidence.id


def process_text_evidence(ws: Workspace, evidence_id: str) -> int:
    """Extract the claims of one text evidence item (article, post, statement) and store them; returns how many
    claims were stored, those of its embedded posts included. Re-running replaces, never duplicates."""
    ev = ws.evidence(evidence_id)
    if ev.kind not in TEXT_KINDS:
        raise InvalidValueError(f"{ev.id} is a {ev.kind}, not a text ({', '.join(TEXT_KINDS)}); claims come from "
                                "texts only")
    doc = read_document(ws.archive.path(ev.sha256), name=ev.filename)
    published = ev.published_at.at.date() if ev.published_at else doc.published
    outlet = _outlet(ws, ev)
    if ev.kind == "post" and (not doc.segments or all(s.kind == "body" for s in doc.segments)):
        author = ev.metadata.get("author") or outlet
        doc.segments = [Segment(0, len(doc.text), kind="post", author=author, published=published, url=ev.url)]
    elif ev.kind == "post":  # an archived embedded post: its own signature gives author and date
        doc.segments = [Segment(0, len(doc.text), kind="post", author=s.author, handle=s.handle,
                                published=s.published or published)
                        for s in doc.segments if s.kind == "embedded_post"][:1] or doc.segments
    found = extract_document(doc, published=published, outlet=outlet, kind=ev.kind, catalog=ws.catalog,
                             site=ev.site_id)
    base_attrs = {"format": doc.fmt}
    rows: list[Claim] = []
    post_ids: dict[int, str] = {}
    if ev.kind != "post":
        for i, seg in enumerate(doc.segments):
            if seg.kind == "embedded_post":
                post_ids[i] = _post_evidence(ws, ev, doc.text[seg.start:seg.end], seg, i)
    for c in found:
        seg = doc.segments[c.segment] if doc.segments else None
        if c.segment in post_ids and seg is not None:
            rows.append(claim_record(c, post_ids[c.segment], offset=seg.start,
                                     published=seg.published or published,
                                     attributes={**base_attrs, "embedded_in": ev.id}))
        else:
            attrs = dict(base_attrs)
            if seg is not None and seg.ref:
                attrs["post_id"] = seg.ref
            rows.append(claim_record(c, ev.id, published=(seg.published if seg else None) or published,
                                     attributes=attrs))
    with ws.transaction() as conn:
        return write_claims(conn, ev.id, METHOD, rows, embedded=post_ids.values())


def ingest_text(ws: Workspace, path: Path | str, *, kind: str | None = None, source: str | None = None,
                published: str | None = None, url: str | None = None, site: str | None = None,
                outlet: str | None = None, author: str | None = None, title: str | None = None,
                licence: str | None = None, metadata: dict[str, Any] | None = None,
                collected: str | None = None) -> dict[str, Any]:
    """Archive a text file as evidence and store its claims. The file is read and checked before anything is
    written; HTML pages give their own title, outlet, author and date unless the caller gives them."""
    path = Path(path)
    doc = read_document(path)
    kind = kind or ("post" if doc.fmt in ("x-json", "telegram-json", "post-json") else "article")
    if kind not in TEXT_KINDS:
        raise InvalidValueError(f"--kind {kind!r} for a text; use one of {', '.join(TEXT_KINDS)}")
    outlet = outlet or doc.outlet
    if source is None and outlet and ws.catalog.source_names.resolve(outlet):
        source = ws.catalog.source_names.resolve(outlet)
    if published is None and doc.published is not None:
        published = doc.published.isoformat()
    meta = {"title": title or doc.title, "author": author or doc.author, "outlet": outlet, "format": doc.fmt,
            **(metadata or {})}
    result = ws.add_evidence(path, kind=kind, source=source, published=published, collected=collected,
                             url=url or doc.url, site=site, licence=licence,
                             metadata={k: v for k, v in meta.items() if v})
    try:
        n = process_text_evidence(ws, result.evidence.id)
    except BaseException:  # nothing half-written: the new evidence goes with its failed extraction
        if result.created:
            ws.remove_evidence(result.evidence.id)
        raise
    return {"evidence": result.evidence.id, "created": result.created, "kind": kind, "claims": n}


def claim_events(ws: Workspace, *, site: str | None = None) -> list[dict[str, Any]]:
    """Claims grouped by event key: one event, every report with its provenance."""
    groups: dict[str, list[Claim]] = defaultdict(list)
    for c in ws.claims(site=site):
        groups[c.event_key or f"claim-{c.id}"].append(c)
    out = []
    for key, reports in groups.items():
        first = reports[0]
        out.append({"event_key": key, "site_id": first.site_id, "state": first.state,
                    "subject": first.equipment_type_id or first.category,
                    "event_at": first.event_at.isoformat() if first.event_at else None, "reports": len(reports),
                    "sources": sorted({r.attribution[0]["name"] for r in reports if r.attribution}),
                    "claims": [r.to_dict() for r in reports]})
    return sorted(out, key=lambda e: (e["event_at"] or "", e["event_key"]))
