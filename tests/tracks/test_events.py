"""Track events on the December example: ingest as evidence, derive events, idempotency, queries."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from basewatch.errors import InvalidValueError
from basewatch.synth.tracks import write_example_tracks
from basewatch.tracks import load_track_file, process_track_evidence, process_track_evidence_report, track_events
from basewatch.workspace import Workspace


@pytest.fixture(scope="module")
def example_ws(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("tracks-ws")
    ws = Workspace.init(root / "ws")
    items = write_example_tracks(root / "files", "dec2024")
    ids = {}
    for it in items:
        ev = ws.add_evidence(it["path"], kind=it["kind"], source=it["source"], site=it["site"],
                             collected=it["collected"]).evidence
        ids[it["site"]] = ev.id
        assert process_track_evidence(ws, ev.id) > 0
    yield ws, ids, items
    ws.close()


def test_example_is_deterministic_small_and_in_real_formats(tmp_path: Path, example_ws) -> None:
    _, _, items = example_ws
    again = write_example_tracks(tmp_path, "dec2024")
    for a, b in zip(items, again, strict=True):
        assert Path(a["path"]).read_bytes() == Path(b["path"]).read_bytes()
        assert Path(a["path"]).stat().st_size < 3_000_000
        assert a["kind"] == "track" and a["source"] == "synthetic"
    air, sea = items
    ts, report = load_track_file(air["path"])
    assert report.format == "opensky-csv" and report.duplicates == 3 and report.jumps == 6
    ru = [t for t in set(ts.track_id.tolist()) if 0x100000 <= int(t, 16) <= 0x1FFFFF]
    assert len(ru) >= 5
    truth = air["ground_truth"]
    assert truth["movements_transmitted"] < truth["movements_flown"]  # dark flights are not in the file
    ts, report = load_track_file(sea["path"])
    assert report.format == "nmea" and report.multipart_joined > 100
    assert [n for n, _ in report.malformed_lines] == sea["ground_truth"]["corrupted_lines"]
    assert any(str(m).startswith("273") for m in set(ts.track_id.tolist()))


def test_processing_twice_adds_nothing(example_ws) -> None:
    ws, ids, _ = example_ws
    before = len(ws.list_observations())
    for ev_id in ids.values():
        assert process_track_evidence(ws, ev_id) == 0
        assert process_track_evidence_report(ws, ev_id)["skipped"] == "already processed"
    assert len(ws.list_observations()) == before


def test_airlift_surge_at_khmeimim_after_a_quiet_baseline(example_ws) -> None:
    ws, _, _ = example_ws
    events = track_events(ws, "Hmeimim")
    surges = {e.observed_at.isoformat() for e in events if e.kind == "airlift_surge"}
    assert surges and min(surges) == "2024-12-07" and all("2024-12-07" <= d <= "2024-12-15" for d in surges)
    assert len(surges) >= 5
    heavy = Counter(e.observed_at.isoformat()[:10] for e in events if e.kind in ("arrival", "departure")
                    and e.category == "aircraft.transport.heavy")
    assert sum(heavy[f"2024-12-0{d}"] for d in range(1, 7)) <= 4  # quiet baseline
    arrivals = [e for e in events if e.kind == "arrival" and e.equipment_type_id in ("il-76", "an-124")]
    assert arrivals and all(e.details["runway"] in ("runway-west", "runway-east") for e in arrivals)
    assert {e.details["country"] for e in arrivals} == {"RU"}
    surge = next(e for e in events if e.kind == "airlift_surge")
    assert surge.count >= 3 and surge.details["baseline_per_day"] <= 1 and "not absence" in surge.details["caveat"]


def test_tartus_departures_returns_and_offshore_holding(example_ws) -> None:
    ws, _, _ = example_ws
    events = [{**e.details, **e.to_dict(), "time": e.observed_at.isoformat(), "equipment": e.equipment_type_id}
              for e in track_events(ws, "tartus")]
    by = [(e["kind"], e["time"][:10], e.get("name")) for e in events]
    assert ("departed_port", "2024-12-02", "ADMIRAL GORSHKOV") in by
    assert ("departed_port", "2024-12-03", "ADMIRAL GOLOVKO") in by
    assert ("entered_port", "2024-12-05", "ADMIRAL GORSHKOV") in by
    assert ("entered_port", "2024-12-06", "ADMIRAL GOLOVKO") in by
    hold = [e for e in events if e["kind"] == "holding_offshore" and e.get("category") == "ship.frigate"]
    assert hold and min(e["time"][:10] for e in hold) == "2024-12-09"
    assert all(7 <= e["median_distance_km"] <= 13.5 and 250 <= e["bearing_deg"] <= 330 for e in hold)
    assert any(e.get("zone") == "offshore-holding" for e in hold)
    cargo = [e for e in events if e["kind"] == "holding_offshore" and e.get("name") == "SPARTA IV"]
    assert cargo and cargo[0]["equipment"] == "cargo-ship"
    gaps = [e for e in events if e["kind"] == "ais_gap"]
    assert {e["name"] for e in gaps} >= {"ADMIRAL GOLOVKO"} and all(e["gap_h"] >= 3 for e in gaps)
    in_port_dec1 = {e["name"] for e in events if e["kind"] == "in_port" and e["time"].startswith("2024-12-01")}
    assert in_port_dec1 == {"ADMIRAL GORSHKOV", "ADMIRAL GOLOVKO", "VYAZMA"}


def test_events_are_observations_with_geometry_and_method(example_ws) -> None:
    ws, ids, _ = example_ws
    obs = [o for o in ws.list_observations(site="tartus") if o.kind == "track_event"]
    assert obs and all(o.method == "tracks:nmea" and o.evidence_id == ids["tartus"] for o in obs)
    o = next(o for o in obs if o.attributes["event"] == "departed_port")
    assert o.geometry["type"] == "Point" and 35.8 < o.geometry["coordinates"][0] < 35.9
    assert o.attributes["track_id"].startswith("273") and o.equipment_type_id == "frigate-22350"


def test_time_window_and_errors(example_ws) -> None:
    ws, ids, _ = example_ws
    window = track_events(ws, "khmeimim", "2024-12-07", "2024-12-07")
    assert window and all(e.observed_at.isoformat().startswith("2024-12-07") for e in window)
    assert track_events(ws, "khmeimim", "2025-01-01") == []
    with pytest.raises(InvalidValueError):
        track_events(ws, "khmeimim", "yesterday")
    txt = Path(ws.root) / "note.txt"
    txt.write_text("not a track")
    art = ws.add_evidence(txt, kind="article").evidence
    with pytest.raises(InvalidValueError, match="not 'track'"):
        process_track_evidence(ws, art.id)
