"""A STIX 2.1 bundle of a workspace, built and validated with the `stix2` library (no custom properties).

Mapping:
- each site -> `location` (latitude, longitude, country);
- each equipment type seen -> `infrastructure` (the thing sighted); detections of one type at one site on one
  day -> one `sighting` (count, first/last seen, where_sighted_refs = the site), with the individual imagery
  detections in the property extension `IMAGERY_DETECTIONS` (defined by an `extension-definition` object whose
  schema, `schemas/imagery-detections.json`, is embedded as text);
- each text (article, post, statement) -> `report`, its claims -> `note` objects (quote as content, attribution
  chain as authors, stance/state/event time in the `CLAIM_DETAIL` extension);
- contradictions of the latest assessment -> `opinion` (disagree) on the contradicted claim's note;
- the latest assessment of each site -> `grouping` (key judgements as description, hypotheses and indicators in
  the `ASSESSMENT_DETAIL` extension).
Ids are UUIDv5 of stable keys, so exporting twice gives the same ids.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import stix2

from basewatch.export import records
from basewatch.workspace import Workspace

NAMESPACE = uuid.UUID("6f0c3e55-4a5e-4a52-9e4c-6b6173657761")  # fixed: basewatch's id namespace
EXTENSION_TYPE = "property-extension"


def sid(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


IDENTITY_ID = sid("identity", "basewatch")
IMAGERY_DETECTIONS = sid("extension-definition", "imagery-detections/1.0")
CLAIM_DETAIL = sid("extension-definition", "claim-detail/1.0")
ASSESSMENT_DETAIL = sid("extension-definition", "assessment-detail/1.0")


def _schema(name: str) -> str:
    return resources.files("basewatch.export").joinpath("schemas", name).read_text("utf-8")


def _ext(ext_id: str, **props: Any) -> dict[str, Any]:
    return {ext_id: {"extension_type": EXTENSION_TYPE, **{k: v for k, v in props.items() if v is not None}}}


def _ts(text: str | None, fallback: datetime) -> datetime:
    if not text:
        return fallback
    text = text.rstrip("Z")
    for fmt, n in (("%Y-%m-%dT%H:%M:%S", 19), ("%Y-%m-%dT%H:%M", 16), ("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            return datetime.strptime(text[:n], fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return fallback


def extension_definitions(now: datetime) -> list[Any]:
    common = {"created_by_ref": IDENTITY_ID, "created": now, "modified": now, "version": "1.0.0",
              "extension_types": [EXTENSION_TYPE]}
    return [
        stix2.ExtensionDefinition(id=IMAGERY_DETECTIONS, name="basewatch imagery detections",
                                  description="Objects found on satellite or aerial images: oriented footprint "
                                              "(WGS84), class, identified type with probability, detector score "
                                              "and states (e.g. nose_open, packed). Schema embedded as text.",
                                  schema=_schema("imagery-detections.json"), **common),
        stix2.ExtensionDefinition(id=CLAIM_DETAIL, name="basewatch claim detail",
                                  description="What a text claims: subject, state from the basewatch vocabulary, "
                                              "stance, event time, attribution chain and the quote's character "
                                              "span in the archived text.",
                                  schema=_schema("claim-detail.json"), **common),
        stix2.ExtensionDefinition(id=ASSESSMENT_DETAIL, name="basewatch assessment detail",
                                  description="Competing hypotheses with scores and ICD 203 likelihood terms, "
                                              "analytic confidence, and indicator values with their evidence.",
                                  schema=_schema("assessment-detail.json"), **common),
    ]


def stix_bundle(ws: Workspace, *, site: str | None = None) -> stix2.Bundle:
    """Everything about the site(s) as a validated STIX 2.1 bundle."""
    now = datetime.now(UTC).replace(microsecond=0)
    site_ids = [ws.site(site).id] if site else list(ws.catalog.sites)
    objects: list[Any] = [stix2.Identity(id=IDENTITY_ID, name="basewatch", identity_class="system",
                                         created=now, modified=now,
                                         description="Open-source site monitoring (imagery, tracks, texts)."),
                          *extension_definitions(now)]
    sources_done: set[str] = set()

    def source_identity(src: dict[str, Any] | None) -> str | None:
        if not src:
            return None
        ident = sid("identity", f"source/{src['id']}")
        if src["id"] not in sources_done:
            sources_done.add(src["id"])
            objects.append(stix2.Identity(id=ident, name=src["name"], created=now, modified=now,
                                          identity_class="organization" if src["kind"] != "analyst"
                                          else "individual",
                                          description=f"{src['kind']}; Admiralty source reliability "
                                                      f"{src['reliability']}"))
        return ident

    for s_id in site_ids:
        s = ws.catalog.sites[s_id]
        loc_id = sid("location", s.id)
        objects.append(stix2.Location(id=loc_id, created_by_ref=IDENTITY_ID, created=now, modified=now,
                                      name=s.name, latitude=s.lat, longitude=s.lon,
                                      country=s.country or None, description=f"{s.kind}; operator {s.operator}"))
        objects += _sightings(ws, s.id, loc_id, now)
        claim_notes, claim_objs = _claims_and_reports(ws, s.id, loc_id, now, source_identity)
        objects += claim_objs
        objects += _assessment(ws, s.id, loc_id, now, claim_notes, objects)
    bundle = stix2.Bundle(objects=objects, allow_custom=False)
    return bundle


def _sightings(ws: Workspace, site_id: str, loc_id: str, now: datetime) -> list[Any]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for o in records.observation_records(ws, site=site_id, kind="detection"):
        t = (o["type"] or {}).get("id") or o["equipment_type_id"] or f"unknown-{o['class'] or 'object'}"
        groups.setdefault((o["observed_at"][:10], t), []).append(o)
    out: list[Any] = []
    seen_types: set[str] = set()
    for (day, type_id), dets in sorted(groups.items()):
        infra_id = sid("infrastructure", f"equipment/{type_id}")
        if type_id not in seen_types:
            seen_types.add(type_id)
            eq = ws.catalog.equipment.get(type_id)
            out.append(stix2.Infrastructure(
                id=infra_id, created_by_ref=IDENTITY_ID, created=now, modified=now,
                name=eq.name if eq else type_id, infrastructure_types=["unknown"],
                description=f"military equipment type {type_id}"
                            + (f" ({eq.category}, {eq.length_m} m x {eq.width_m} m)" if eq else "")))
        first = min(_ts(d["observed_at"], now) for d in dets)
        last = max(_ts(d["observed_at"], now) for d in dets)
        detail = [{"observation_id": d["id"], "evidence_id": d["evidence_id"], "class": d["class"],
                   "type": (d["type"] or {}).get("id"), "type_p": (d["type"] or {}).get("p"),
                   "score": d["confidence"], "states": d["states"] or {}, "zone": d["zone_id"],
                   "footprint": d["geometry"]} for d in dets]
        out.append(stix2.Sighting(
            id=sid("sighting", f"{site_id}/{day}/{type_id}"), created_by_ref=IDENTITY_ID, created=now,
            modified=now, sighting_of_ref=infra_id, where_sighted_refs=[loc_id], count=len(dets),
            first_seen=first, last_seen=last,
            description=f"{len(dets)} x {type_id} detected on imagery of {site_id} on {day}",
            extensions=_ext(IMAGERY_DETECTIONS, detections=detail)))
    return out


def _claims_and_reports(ws: Workspace, site_id: str, loc_id: str, now: datetime,
                        source_identity: Any) -> tuple[dict[int, str], list[Any]]:
    claims = records.claim_records(ws, site=site_id)
    by_ev: dict[str, list[dict[str, Any]]] = {}
    for c in claims:
        by_ev.setdefault(c["evidence_id"], []).append(c)
    notes: dict[int, str] = {}
    out: list[Any] = []
    for ev_id, cs in by_ev.items():
        ev = ws.evidence(ev_id)
        rec = records.evidence_record(ws, ev)
        author_ref = source_identity(rec["source"])
        note_ids = []
        for c in cs:
            note_id = sid("note", f"claim/{c['id']}/{ev.sha256}")
            notes[c["id"]] = note_id
            note_ids.append(note_id)
            authors = [a.get("name", "") if isinstance(a, dict) else str(a) for a in c["attribution"]]
            out.append(stix2.Note(
                id=note_id, created_by_ref=IDENTITY_ID, created=now, modified=now,
                abstract=f"{c['state'] or 'claim'}: {c['subject']}"[:256], content=c["quote"] or "(no quote)",
                authors=[a for a in authors if a] or None, object_refs=[loc_id],
                extensions=_ext(CLAIM_DETAIL, claim_id=c["id"], evidence_id=ev_id, subject=c["subject"],
                                equipment=c["equipment_type_id"], state=c["state"], stance=c["stance"],
                                event_time=c["event_at"], attribution=c["attribution"],
                                span=None if c["span_start"] is None else [c["span_start"], c["span_end"]],
                                confidence=c["confidence"])))
        refs: dict[str, Any] = {"source_name": rec["source"]["name"] if rec["source"] else "unknown source",
                                "hashes": {"SHA-256": ev.sha256}}
        if rec["url"]:
            refs["url"] = rec["url"]
        out.append(stix2.Report(
            id=sid("report", f"evidence/{ev.sha256}"), created_by_ref=author_ref or IDENTITY_ID, created=now,
            modified=now, name=rec["title"][:512], report_types=["threat-report"],
            published=_ts(rec["published"] or rec["collected"] or rec["ingested"], now),
            object_refs=note_ids + [loc_id], external_references=[refs],
            description=f"{ev.kind} {ev.id} ({ev.filename}); {len(cs)} claims extracted by basewatch"))
    return notes, out


def _assessment(ws: Workspace, site_id: str, loc_id: str, now: datetime, claim_notes: dict[int, str],
                so_far: list[Any]) -> list[Any]:
    found = records.latest_assessment(ws, site_id)
    if found is None:
        return []
    r = found.to_dict()
    as_of = r["as_of"]
    out: list[Any] = []
    for i, c in enumerate(r.get("contradictions") or []):
        claim = c.get("claim")
        claim_id = claim.get("id") if isinstance(claim, dict) else claim
        target = claim_notes.get(claim_id) if isinstance(claim_id, int) else None
        against = c.get("against")
        against_text = against.get("summary") if isinstance(against, dict) else against
        out.append(stix2.Opinion(
            id=sid("opinion", f"{site_id}/{as_of}/{i}"), created_by_ref=IDENTITY_ID, created=now,
            modified=now, opinion="disagree", authors=["basewatch"], object_refs=[target or loc_id],
            explanation=(c.get("explanation") or "") + (f" Against: {against_text}" if against_text else "")))
    site_refs = [o.id for o in so_far if getattr(o, "type", None) in ("sighting", "report", "note")
                 and (o.id in claim_notes.values() or o.type != "note")
                 and (o.type != "sighting" or loc_id in o.where_sighted_refs)
                 and (o.type != "report" or loc_id in o.object_refs)]
    lead = r.get("leading") or {}
    out.append(stix2.Grouping(
        id=sid("grouping", f"assessment/{site_id}/{as_of}"), created_by_ref=IDENTITY_ID, created=now,
        modified=now, context="suspicious-activity",
        name=f"Assessment of {site_id} as of {as_of[:10]}: {lead.get('id')} "
             f"({lead.get('likelihood')})",
        description=" ".join(str(j) for j in r.get("judgements") or []) or None,
        object_refs=[loc_id, *site_refs, *(o.id for o in out)],
        extensions=_ext(ASSESSMENT_DETAIL, as_of=as_of, leading=lead,
                        hypotheses=[{k: h.get(k) for k in ("id", "score", "likelihood")}
                                    for h in r.get("hypotheses") or []],
                        confidence=r.get("confidence"),
                        indicators=[{"id": i.get("id"), "value": i.get("value"),
                                     "evidence": [e for e in i.get("evidence") or [] if isinstance(e, str)]}
                                    for i in r.get("indicators") or []],
                        gaps=[g["text"] for g in r["gaps"]])))
    return out
