"""The loaders on real samples nobody here wrote (../shared/data/tracks)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from basewatch.tracks import load_track_file
from basewatch.tracks.events import iso

pytestmark = pytest.mark.shared

SHARED_TRACKS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "tracks"


@pytest.fixture(scope="session")
def shared_file():
    """`shared_file("ais/sample.ais")`: the path of a shared sample, or skip the test when it is absent."""

    def get(rel: str) -> Path:
        path = SHARED_TRACKS / rel
        if not path.is_file():
            pytest.skip(f"shared track sample {rel} is absent")
        return path

    return get


@pytest.fixture(scope="module")
def quickstart(shared_file):
    """The Paris sample, loaded once for the tests that need it."""
    return load_track_file(shared_file("adsb/collections/quickstart.json.gz"))


def test_quickstart_traffic_json_loads_every_record(quickstart) -> None:
    ts, report = quickstart
    assert report.format == "traffic-json"
    assert report.lines == 284_505
    assert report.malformed == 0
    # every record is either kept or accounted for
    assert report.points + report.no_position + report.duplicates + report.jumps == report.lines
    assert len(set(ts.track_id.tolist())) == 213
    assert iso(float(np.nanmin(ts.t))).startswith("2021-10-07T12")
    # feet and knots became metres and m/s: airliners cruise below 13 km and 300 m/s
    assert np.nanpercentile(ts.alt_m, 99) < 14_000 and np.nanpercentile(ts.speed_ms, 99) < 300


def test_readsb_trace_keeps_registration_type_and_ground_state(shared_file) -> None:
    ts, report = load_track_file(shared_file("adsb/readsb/trace_full_ac671b.json"))
    assert report.format == "readsb" and report.points == 2500
    assert ts.info["ac671b"]["registration"] == "N899DN" and ts.info["ac671b"]["typecode"] == "B739"
    assert (ts.onground == 1).any() and (ts.onground == 0).any()
    assert set(ts.callsign.tolist()) >= {"DAL1812"}


@pytest.mark.parametrize("rel", ["adsb/featured/elal747.json.gz", "adsb/military/aircraft_carrier.json.gz",
                                 "adsb/military/inflight_refuelling.json.gz", "adsb/onground/zurich_airport.json.gz"])
def test_other_traffic_samples_load(shared_file, rel: str) -> None:
    ts, report = load_track_file(shared_file(rel))
    assert report.format == "traffic-json" and report.points > 100 and report.malformed == 0


def test_carrier_sample_is_in_the_us_military_block(shared_file) -> None:
    from basewatch.tracks.identify import icao24_country

    ts, _ = load_track_file(shared_file("adsb/military/aircraft_carrier.json.gz"))
    assert "ae0455" in set(ts.track_id.tolist())
    assert icao24_country("ae0455") == ("US", "United States")


def test_every_nmea_sentence_of_the_pyais_sample_is_decoded_or_reported(shared_file) -> None:
    path = shared_file("ais/nmea_data_sample.txt")
    lines = path.read_text().splitlines()
    ts, report = load_track_file(path)
    bad_lines = {n for n, _ in report.malformed_lines}
    assert report.malformed == len(bad_lines) < 200  # all listed, one entry per line
    undecodable = sum(1 for _, r in report.malformed_lines if r.startswith("payload"))
    # each sentence is one decoded message, one fragment of a joined message, or a reported malformed line
    two_part = report.multipart_joined
    assert report.messages + two_part + (report.malformed - undecodable) == len([ln for ln in lines if ln.strip()])
    for n in bad_lines:  # the line numbers point at the sentences
        assert lines[n - 1].startswith("!AIVDM")
    assert report.points > 700 and len(set(ts.track_id.tolist())) > 100


def test_tag_blocks_multipart_and_junk_in_sample_ais(shared_file) -> None:
    ts, report = load_track_file(shared_file("ais/sample.ais"))
    assert report.multipart_joined == 1  # the two !SAVDM fragments with g:1-2 / g:2-2
    reasons = dict(report.malformed_lines)
    assert reasons[10] == "not an AIS sentence"  # IamNotAnAisMessage1111
    assert reasons[12] == "checksum mismatch"
    assert 17 in reasons  # !AAVDM,0,1,... fragment count 0
    timed = ts.t[np.isfinite(ts.t)]
    assert timed.size >= 1 and iso(float(timed.min())).startswith("2009-05-09")  # from the Gatehouse line


def test_gatehouse_times_apply_to_the_next_sentence(shared_file) -> None:
    ts, report = load_track_file(shared_file("ais/gatehouse.nmea"))
    assert report.points == 4 and report.no_time == 2
    assert sorted(iso(float(t)) for t in ts.t[np.isfinite(ts.t)]) == ["2008-05-09T00:00:00Z",
                                                                        "2009-05-09T00:00:00Z"]


def test_paris_arrivals_and_departures_checked_by_hand(quickstart) -> None:
    """The hand-checked sample of bench/results/tracks_paris_check.md."""
    from basewatch.catalog import builtin_catalog
    from basewatch.tracks.events import air_events, daily_counts
    from basewatch.tracks.identify import Identifier
    from basewatch.tracks.places import airport_from_icao

    events = air_events(quickstart[0], [airport_from_icao(c) for c in ("LFPG", "LFPO", "LFPB")],
                        Identifier(catalog=builtin_catalog()))
    got = {(e["kind"], e["airfield"], e["callsign"]) for e in events}
    for expected in [("departure", "LFPO", "CRL924"), ("departure", "LFPG", "AFR43NG"),
                     ("arrival", "LFPG", "AFR9455"), ("arrival", "LFPB", "KBD216"), ("departure", "LFPB", "N600FR"),
                     ("arrival", "LFPG", "AFR93XT"), ("departure", "LFPO", "VLG8031"), ("departure", "LFPB", "PEA501"),
                     ("arrival", "LFPG", "MSR799"), ("departure", "LFPG", "AFR76SV")]:
        assert expected in got, expected
    # approaches to CDG that pass low near Le Bourget are not Le Bourget movements
    assert not any(a == "LFPB" and (cs or "").startswith("AFR") for _, a, cs in got)
    assert ("arrival", "LFPB", "FDX5046") not in got  # lost at the edge of the file's time window
    totals = {a: sum(sum(c.values()) for c in days.values()) for a, days in daily_counts(events).items()}
    assert 90 <= totals["LFPG"] <= 110 and 50 <= totals["LFPO"] <= 65 and 40 <= totals["LFPB"] <= 60
