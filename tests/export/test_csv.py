"""CSV tables of observations and claims, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io

from basewatch.export import claims_csv, observations_csv
from basewatch.export.csvfiles import CLAIM_COLUMNS, OBSERVATION_COLUMNS


def test_observations_csv(populated):
    rows = list(csv.DictReader(io.StringIO(observations_csv(populated))))
    assert list(rows[0]) == OBSERVATION_COLUMNS
    assert sum(r["kind"] == "detection" for r in rows) == 9
    assert {r["type"] for r in rows if r["kind"] == "detection"} >= {"an-124", "su-34", "ka-52"}


def test_claims_csv_and_formula_guard(populated, cli):
    rows = list(csv.DictReader(io.StringIO(claims_csv(populated, site="khmeimim"))))
    assert list(rows[0]) == CLAIM_COLUMNS and len(rows) == 3
    assert rows[1]["attribution"] == "Reuters < Kremlin <i>spokesman</i>"
    assert rows[0]["span_start"] == "22"
    from basewatch.export.csvfiles import _cell

    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and _cell("-3.5") == "-3.5"
    r = cli("export", "csv", "claims", "--workspace", populated.root)
    assert r.exit_code == 0 and r.output.startswith("id,site_id,evidence_id")
    assert cli("export", "csv", "tracks", "--workspace", populated.root).exit_code == 1
