"""The site brief: key judgements (ICD 203 terms), indicators, counts over time, image chips with the
detections drawn, the change between the last two image dates, and the evidence with numbered citations.

    brief = build_brief(ws, "khmeimim", as_of="2024-12-15")
    Path("khmeimim.html").write_text(render_html(brief))

The HTML is one self-contained file (inline CSS, SVG chart, PNG chips as data URIs, no script); everything
taken from the workspace is escaped by Jinja2's autoescaping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from basewatch import __version__, errors
from basewatch.assess import assess_site
from basewatch.export import records
from basewatch.model import Assessment, Instant, parse_instant
from basewatch.report.chart import timeline_svg
from basewatch.report.chips import chip_jpeg, data_uri
from basewatch.report.judgement import judgement_view
from basewatch.workspace import Workspace

FORMATS = ("html", "md")


@dataclass
class Brief:
    site: dict[str, Any]
    as_of: str | None
    generated: str
    judgement: dict[str, Any] | None
    assessment_note: str | None
    timeline: dict[str, Any]
    chart_svg: str
    chips: list[dict[str, Any]] = field(default_factory=list)
    change: dict[str, Any] | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    citations: dict[str, int] = field(default_factory=dict)


def _assessment(ws: Workspace, site_id: str, as_of: datetime | None,
                given: Instant | None = None) -> tuple[Assessment | None, str | None]:
    """The stored assessment as of the date; else one computed now (not stored); else why there is none."""
    stored = records.latest_assessment(ws, site_id, as_of)
    if stored is not None and (as_of is None or stored.as_of.at.date() == as_of.date()):
        return stored, None
    try:
        return assess_site(ws, site_id, given, store=False).record(), None
    except errors.BasewatchError as exc:
        note = f"the assessment could not be made: {exc}"
    if stored is not None:
        return stored, f"showing the stored assessment as of {stored.as_of.isoformat()[:10]}; {note}"
    return None, note


def build_brief(ws: Workspace, site: str, *, as_of: str | None = None, chips: int = 2) -> Brief:
    """Collect everything the brief shows for `site` as of a date (default: everything known)."""
    s = ws.site(site)
    when = parse_instant(as_of, what="--as-of") if as_of else None
    cutoff = None
    if when is not None:
        # The whole day (or month...) given counts: "as of 2024-12-15" includes images of the 15th.
        cutoff = when.at.replace(hour=23, minute=59, second=59) if when.precision.value == "day" else when.at
    assessment, note = _assessment(ws, s.id, cutoff, when)
    judgement = judgement_view(assessment)

    tl = records.count_series(ws, s.id)
    if cutoff is not None:
        keep = [i for i, d in enumerate(tl["dates"]) if d <= cutoff.strftime("%Y-%m-%d")]
        tl = {**tl, "dates": [tl["dates"][i] for i in keep], "claims": [tl["claims"][i] for i in keep],
              "series": [{"label": x["label"], "values": [x["values"][i] for i in keep]} for x in tl["series"]]}

    evidence = [e for e in ws.list_evidence(site=s.id)
                if cutoff is None or _known_by(e, cutoff)]
    images = [e for e in evidence if e.kind == "image" and e.metadata.get("footprint")]
    dates = sorted({records.day(e.collected_at) for e in images if e.collected_at})
    chip_list = []
    for ev in images[-chips:] if chips else []:
        dets = records.observation_records(ws, evidence=ev.id, kind="detection")
        try:
            jpeg = chip_jpeg(ws.archive.path(ev.sha256), dets)
        except Exception as exc:  # an unreadable image is reported in the brief, not fatal
            chip_list.append({"evidence": ev.id, "date": records.day(ev.collected_at), "error": str(exc)})
            continue
        chip_list.append({"evidence": ev.id, "date": records.day(ev.collected_at), "detections": len(dets),
                          "types": _type_summary(dets), "src": data_uri(jpeg), "jpeg": jpeg})
    change = records.change(ws, s.id, dates[-2], dates[-1]) if len(dates) >= 2 else None

    ev_records = [records.evidence_record(ws, e) for e in evidence]
    claims_by_ev: dict[str, int] = {}
    for c in ws.claims(site=s.id):
        claims_by_ev[c.evidence_id or ""] = claims_by_ev.get(c.evidence_id or "", 0) + 1
    cited = []
    if judgement:
        for row in judgement["indicators"]:
            cited += row["evidence"]
        for c in judgement["contradictions"]:
            cited += c["claim"]["evidence"] + c["against"]["evidence"]
    order = {e["id"]: i for i, e in enumerate(ev_records)}
    ev_records.sort(key=lambda e: (e["id"] not in cited, order[e["id"]]))
    citations = {e["id"]: n for n, e in enumerate(ev_records, start=1)}
    for e in ev_records:
        e["claims"] = claims_by_ev.get(e["id"], 0)
    return Brief(site=records.site_record(s), as_of=when.isoformat() if when else None,
                 generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), judgement=judgement,
                 assessment_note=note, timeline=tl, chart_svg=timeline_svg(tl), chips=chip_list, change=change,
                 evidence=ev_records, citations=citations)


def _known_by(ev: Any, cutoff: datetime) -> bool:
    t = ev.collected_at or ev.published_at
    return t is None or t.at <= cutoff


def _type_summary(dets: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for d in dets:
        key = (d["type"] or {}).get("id") or d["class"] or "object"
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(f"{n} x {k}" for k, n in sorted(counts.items()))


_env = Environment(loader=PackageLoader("basewatch.report", "templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def render_html(brief: Brief) -> str:
    return _env.get_template("brief.html").render(b=brief, version=__version__)


def render_markdown(brief: Brief) -> str:
    return _env.get_template("brief.md").render(b=brief, version=__version__, md=md_escape)


def md_escape(text: Any) -> str:
    """Text from evidence made inert in Markdown: no HTML, links or emphasis sneak through."""
    s = "" if text is None else str(text)
    for ch in "\\`*_{}[]<>#|!":
        s = s.replace(ch, "\\" + ch)
    return s.replace("\n", " ")


def write_brief(ws: Workspace, site: str, out: Path, *, as_of: str | None = None, fmt: str | None = None) -> Path:
    """Build and write the brief; the format follows `fmt` or the file suffix (.md -> Markdown)."""
    fmt = fmt or ("md" if out.suffix.lower() in (".md", ".markdown") else "html")
    if fmt not in FORMATS:
        raise errors.InvalidValueError(f"--format {fmt!r}; use html or md")
    if out.exists() and out.is_dir():
        raise errors.InvalidValueError(f"{out} is a directory; give a file name such as brief.{fmt}")
    brief = build_brief(ws, site, as_of=as_of)
    text = render_html(brief) if fmt == "html" else render_markdown(brief)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return out
