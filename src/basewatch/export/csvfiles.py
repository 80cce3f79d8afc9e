"""Observations and claims as CSV tables (UTF-8, one header row), safe to open in a spreadsheet.

Cells that a spreadsheet would run as a formula (starting with = + - @ or a tab) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from basewatch.export import records
from basewatch.workspace import Workspace

# the records' own field names (see `basewatch.model`), flattened: `type_p` is the identified type's probability
OBSERVATION_COLUMNS = ["id", "site_id", "zone_id", "kind", "method", "observed_at", "equipment_type_id", "class",
                       "category", "type", "type_p", "count", "confidence", "state", "states", "evidence_id",
                       "frame_index", "note", "geometry"]
CLAIM_COLUMNS = ["id", "site_id", "evidence_id", "subject", "equipment_type_id", "state", "stance", "event_at",
                 "speaker", "attribution", "quote", "span_start", "span_end", "confidence", "method", "event_key"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        text = "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _write(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([_cell(r.get(c)) for c in columns])
    return buf.getvalue()


def observations_csv(ws: Workspace, *, site: str | None = None) -> str:
    rows = []
    for o in records.observation_records(ws, site=site):
        t = o["type"] or {}
        rows.append({**o, "type": t.get("id"), "type_p": t.get("p")})
    return _write(OBSERVATION_COLUMNS, rows)


def claims_csv(ws: Workspace, *, site: str | None = None) -> str:
    rows = []
    for c in records.claim_records(ws, site=site):
        chain = " < ".join(a.get("name", "") for a in c["attribution"])
        rows.append({**c, "attribution": chain})
    return _write(CLAIM_COLUMNS, rows)
