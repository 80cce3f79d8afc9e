"""One ingest route, evidence corrections and the CLI bugs of the one-path issue, each tested as a user meets it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from imagery_helpers import SQUARES, write_png, write_squares_tif

from basewatch import ingest
from basewatch.cli.options import parse_center
from basewatch.errors import BasewatchError
from basewatch.synth.tracks import write_example_tracks
from helpers import archive_files, row_counts

KHMEIMIM = (35.945, 35.41167)  # lon, lat on the airfield
NOTE = "Two Il-76 transport aircraft were loading equipment at Hmeimim air base on Friday, satellite images show."


def _detections(ws, ev_id):
    return [o for o in ws.list_observations() if o.evidence_id == ev_id and o.kind == "detection"]


def test_detect_evidence_processes_every_id(tmp_path, ws, cli):
    a = ws.add_evidence(write_squares_tif(tmp_path / "a.tif", [(40, 60)])[0]).evidence
    b = ws.add_evidence(write_squares_tif(tmp_path / "b.tif", [(40, 60), (200, 100)])[0]).evidence
    r = cli("detect", "--evidence", a.id, b.id, "--model", SQUARES, "--workspace", ws.root, "--json")
    assert r.exit_code == 0, r.output
    assert {k: len(v) for k, v in json.loads(r.output)["evidence"].items()} == {a.id: 1, b.id: 2}
    assert len(_detections(ws, a.id)) == 1 and len(_detections(ws, b.id)) == 2


def test_detect_evidence_checks_every_id_before_running(tmp_path, ws, cli):
    a = ws.add_evidence(write_squares_tif(tmp_path / "a.tif", [(40, 60)])[0]).evidence
    r = cli("detect", "--evidence", a.id, "ev-nosuchthing", "--model", SQUARES, "--workspace", ws.root)
    assert r.exit_code == 1 and "ev-nosuchthing" in r.output
    assert _detections(ws, a.id) == []


def test_detect_evidence_honours_center_and_gsd(tmp_path, ws, cli):
    ev = ws.add_evidence(write_png(tmp_path / "shot.png", [(40, 40)]), site="khmeimim",
                         collected="2024-12-13").evidence
    r = cli("detect", "--evidence", ev.id, "--gsd", "1", "--center", f"{KHMEIMIM[1]},{KHMEIMIM[0]}",
            "--model", SQUARES, "--workspace", ws.root, "--json")
    assert r.exit_code == 0, r.output
    (det,) = json.loads(r.output)["evidence"][ev.id]
    lon = sum(p[0] for p in det["polygon_lonlat"]) / 4
    lat = sum(p[1] for p in det["polygon_lonlat"]) / 4
    assert abs(lon - KHMEIMIM[0]) < 0.002 and abs(lat - KHMEIMIM[1]) < 0.002


def test_center_is_lat_lon_unless_told(tmp_path):
    assert parse_center("35.412, 35.401") == (35.401, 35.412)
    assert parse_center("35.401,35.412", lonlat=True) == (35.401, 35.412)
    with pytest.raises(BasewatchError, match="--lonlat"):
        parse_center("120.5,35.4")  # a longitude typed first reads as latitude 120.5
    with pytest.raises(BasewatchError, match="LAT,LON"):
        parse_center("north")


def test_evidence_update_georeferences_a_screenshot(tmp_path, ws, cli):
    ev = ws.add_evidence(write_png(tmp_path / "shot.png", [(40, 40)]), collected="2024-12-13").evidence
    assert ev.site_id is None and "footprint" not in ev.metadata
    r = cli("evidence", "update", ev.id, "--gsd", "1", "--center", f"{KHMEIMIM[1]},{KHMEIMIM[0]}",
            "--workspace", ws.root, "--json")
    assert r.exit_code == 0, r.output
    fixed = ws.evidence(ev.id)
    assert fixed.site_id == "khmeimim" and fixed.metadata["footprint"]["type"] == "Polygon"
    r = cli("detect", "--evidence", ev.id, "--model", SQUARES, "--workspace", ws.root, "--json")
    assert r.exit_code == 0, r.output
    assert _detections(ws, ev.id)[0].geometry is not None  # the stored georeferencing is used
    ws.observe(site="khmeimim", equipment="Il-76", evidence=ev.id, note="the analyst's own reading")
    r = cli("evidence", "update", ev.id, "--gsd", "0.5", "--workspace", ws.root, "--json")
    assert json.loads(r.output)["removed_derived"] == 2  # detection + coverage, measured at the old GSD
    assert _detections(ws, ev.id) == [] or all(o.method == "manual" for o in _detections(ws, ev.id))
    assert any(o.method == "manual" for o in ws.list_observations() if o.evidence_id == ev.id)


def test_evidence_update_refuses_bad_values(tmp_path, ws, cli):
    ev = ws.add_evidence(write_png(tmp_path / "shot.png", [(40, 40)])).evidence
    before = ws.evidence(ev.id)
    for args, said in ((["--center", "95,35"], "--lonlat"), (["--gsd", "-1"], "--gsd"),
                       (["--site", "Atlantis"], "Atlantis")):
        r = cli("evidence", "update", ev.id, *args, "--workspace", ws.root)
        assert r.exit_code == 1 and said in r.output and "Traceback" not in r.output
    assert ws.evidence(ev.id) == before
    r = cli("evidence", "update", "ev-nothere", "--gsd", "1", "--workspace", ws.root)
    assert r.exit_code == 1 and "ev-nothere" in r.output


def test_ingest_goes_on_past_a_bad_file_and_fails_the_batch(tmp_path, ws, cli):
    good = tmp_path / "note.txt"
    good.write_text(NOTE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    track = Path(write_example_tracks(tmp_path / "t", "tartus-dec2024")[0]["path"])
    r = cli("ingest", good, empty, track, "--published", "2024-12-14", "--workspace", ws.root, "--json")
    assert r.exit_code == 1
    results = json.loads(r.output.split("\n1 of")[0]) if "\n1 of" in r.output else json.loads(r.output)
    assert [x["error"] is None for x in results] == [True, False, True]
    assert "empty" in results[1]["error"]
    assert results[2]["track_events"] > 0
    assert {e.filename for e in ws.list_evidence()} == {"note.txt", track.name}


def test_a_track_file_that_fails_leaves_nothing(tmp_path, ws, cli):
    bad = tmp_path / "broken.nmea"
    bad.write_text("this is no NMEA at all\nnor this\n", encoding="utf-8")
    before_rows, before_files = row_counts(ws), archive_files(ws)
    r = cli("ingest", bad, "--workspace", ws.root)
    assert r.exit_code == 1 and "broken.nmea" in r.output
    assert row_counts(ws) == before_rows and archive_files(ws) == before_files
    r = cli("ingest", bad, "--kind", "article", "--workspace", ws.root)  # another kind can still proceed
    assert r.exit_code == 0, r.output


def test_ingest_reads_gzipped_track_files(tmp_path, ws):
    track = Path(write_example_tracks(tmp_path / "t", "tartus-dec2024")[0]["path"])
    gz = tmp_path / "tartus.nmea.gz"
    gz.write_bytes(gzip.compress(track.read_bytes()))
    out = ingest(ws, gz, site="tartus")
    assert out.kind == "track" and out.track_events and out.track_events > 0


def test_evidence_remove_takes_derived_records_and_unshared_objects(tmp_path, ws, cli):
    good = tmp_path / "note.txt"
    good.write_text(NOTE, encoding="utf-8")
    before_rows, before_files = row_counts(ws), archive_files(ws)
    out = ingest(ws, good, published="2024-12-14")
    assert out.claims and out.claims > 0
    r = cli("evidence", "remove", out.evidence_id, "--workspace", ws.root)
    assert r.exit_code == 0, r.output
    assert row_counts(ws) == before_rows and archive_files(ws) == before_files
    assert ws.claims() == []
