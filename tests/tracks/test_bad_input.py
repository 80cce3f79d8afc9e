"""Bad input: malformed lines are skipped with their numbers, never fatal; wrong units, out-of-order
timestamps, duplicates and spoofed jumps are repaired or dropped and counted."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from pyais import encode_dict

from basewatch.errors import InputFileError
from basewatch.tracks import detect_format, load_track_file, load_tracks

HEADER = ("time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,baroaltitude,"
          "geoaltitude,lastposupdate,lastcontact")


def row(t: int, icao: str = "1533fd", lat: float = 35.0, lon: float = 35.0, v: float = 200.0,
        alt: float = 9000.0) -> str:
    return f"{t},{icao},{lat:.5f},{lon:.5f},{v},90.0,0.0,RFF7081 ,false,false,false,1000,{alt},{alt + 50},{t},{t}"


def opensky(lines: list[str]) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def test_malformed_csv_lines_are_skipped_with_their_numbers() -> None:
    lines = [row(1733000000 + 10 * i, lon=35.0 + 0.02 * i) for i in range(10)]
    lines[2] = "1733000020,1533fd,35.0"  # too few fields (file line 4)
    lines[5] = row(1733000050).replace("35.00000", "north", 1)  # not a number (line 7)
    lines[7] = row(1733000070, icao="zz33fd")  # not an icao24 (line 9)
    ts, report = load_tracks(opensky(lines), name="t.csv")
    assert report.malformed == 3
    assert [n for n, _ in report.malformed_lines] == [4, 7, 9]
    assert "fields" in report.malformed_lines[0][1] and "icao24" in report.malformed_lines[2][1]
    assert report.points == 7 and len(ts) == 7


def test_out_of_order_and_duplicates_are_sorted_and_dropped() -> None:
    good = [row(1733000000 + 10 * i, lon=35.0 + 0.02 * i) for i in range(6)]
    lines = [good[0], good[2], good[1], good[3], good[3], good[4], good[5], good[5]]
    ts, report = load_tracks(opensky(lines))
    assert report.out_of_order == 1
    assert report.duplicates == 2  # the second copies of good[3] and good[5]
    assert report.points == 6
    assert np.all(np.diff(ts.t) > 0)


def test_spoofed_jump_is_dropped_and_its_line_reported() -> None:
    lines = [row(1733000000 + 10 * i, lon=35.0 + 0.02 * i) for i in range(20)]
    lines[10] = row(1733000100, lat=33.82, lon=35.49)  # jumps ~130 km to Beirut in 10 s
    ts, report = load_tracks(opensky(lines))
    assert report.jumps == 1 and report.jump_lines == [12]
    assert len(ts) == 19 and float(ts.lat.min()) > 34.9


def test_spoofed_start_of_track_does_not_reject_the_real_track() -> None:
    lines = [row(1733000000 + 10 * i, lat=33.82, lon=35.49) for i in range(2)]
    lines += [row(1733000020 + 10 * i, lon=35.0 + 0.02 * i) for i in range(10)]
    ts, report = load_tracks(opensky(lines))
    assert report.jumps == 2 and len(ts) == 10


def test_wrong_units_feet_in_a_metres_column_and_milliseconds() -> None:
    lines = [row((1733000000 + 10 * i) * 1000, lon=35.0 + 0.02 * i, alt=33000.0) for i in range(10)]
    ts, report = load_tracks(opensky(lines))
    assert any("milliseconds" in w for w in report.warnings)
    assert any("feet" in w for w in report.warnings)
    assert abs(float(ts.alt_m[0]) - 33000 * 0.3048) < 1
    assert 1.7e9 < float(ts.t[0]) < 1.8e9


def test_traffic_json_epoch_ms_records_and_bad_records(tmp_path: Path) -> None:
    recs = [{"timestamp": 1633608773000 + 1000 * i, "icao24": "3b77e4", "latitude": 48.7, "longitude": 2.0 + 0.001 * i,
             "altitude": 2000.0, "groundspeed": 150.0, "track": 90.0, "callsign": "CTM1283", "onground": False}
            for i in range(5)]
    recs[2]["icao24"] = "nothex"
    recs.append("junk")
    path = tmp_path / "t.json.gz"
    path.write_bytes(gzip.compress(json.dumps(recs).encode()))
    ts, report = load_track_file(path)
    assert report.format == "traffic-json"
    assert [n for n, _ in report.malformed_lines] == [3, 6]
    assert len(ts) == 4 and abs(float(ts.alt_m[0]) - 609.6) < 0.1 and abs(float(ts.speed_ms[0]) - 77.17) < 0.1


def test_nmea_bad_sentences_are_reported_and_multipart_joined(tmp_path: Path) -> None:
    pos = encode_dict({"type": 1, "mmsi": 273458210, "lat": 34.92, "lon": 35.86, "speed": 0.0, "course": 90.0},
                      talker_id="AI", sentence_type="VDM")[0]
    static = encode_dict({"type": 5, "mmsi": 273458210, "shipname": "ADMIRAL GORSHKOV", "ship_type": 35,
                          "to_bow": 70, "to_stern": 65, "to_port": 8, "to_starboard": 8, "callsign": "RGKV"},
                         talker_id="AI", sentence_type="VDM", seq_id=3)
    text = "\n".join([
        "\\c:1733011200*5C\\" + pos,  # 1: good, with a tag block time (checksum of the tag not enforced)
        pos[:-2] + "00",  # 2: wrong checksum
        "garbage line",  # 3: not AIS
        static[0],  # 4-5: a two-part message
        static[1],
        static[0],  # 6: a first fragment whose second never comes
        "!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip",  # 7: truncated (no checksum field)
        "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47",  # 8: other NMEA, ignored
    ])
    path = tmp_path / "x.nmea"
    path.write_text(text + "\n")
    ts, report = load_track_file(path)
    assert report.format == "nmea"
    lines = dict(report.malformed_lines)
    assert set(lines) == {2, 3, 6, 7}
    assert lines[2] == "checksum mismatch" and "later fragments" in lines[6]
    assert report.multipart_joined == 1
    assert ts.info["273458210"]["name"] == "ADMIRAL GORSHKOV" and ts.info["273458210"]["length_m"] == 135
    assert len(ts) == 1 and float(ts.t[0]) == 1733011200


def test_marinecadastre_and_dma_csv(tmp_path: Path) -> None:
    mc = tmp_path / "mc.csv"
    mc.write_text(
        "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,"
        "Cargo,TransceiverClass\n"
        "367000001,2023-01-01T00:00:00,34.90,35.80,0.1,12.0,511,USNS TEST,IMO9000001,NTST,35,1,150,20,6,,A\n"
        "367000001,2023-01-01T00:10:00,34.90,35.80,0.2,12.0,511,USNS TEST,IMO9000001,NTST,35,1,150,20,6,,A\n"
        "367000001,not-a-time,34.90,35.80,0.2,12.0,511,USNS TEST,IMO9000001,NTST,35,1,150,20,6,,A\n"
        "367000001,2023-01-01T00:20:00,91.0,181.0,0.2,12.0,511,USNS TEST,IMO9000001,NTST,35,1,150,20,6,,A\n")
    ts, report = load_track_file(mc)
    assert report.format == "marinecadastre-csv" and report.points == 2
    assert report.malformed_lines[0][0] == 4 and report.no_position == 1
    assert ts.info["367000001"] == {"name": "USNS TEST", "callsign": "NTST", "imo": 9000001, "ship_type": 35,
                                    "length_m": 150.0}
    dma = tmp_path / "dma.csv"
    dma.write_text(
        "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,"
        "Name,Ship type,Cargo type,Width,Length\n"
        "01/12/2024 00:00:00,Class A,219000001,55.5,12.5,Moored,0,0.0,0.0,0,Unknown,OXAB,HDMS TEST,Military,,15,"
        "138\n"
        "01/12/2024 00:05:00,Class A,219000001,55.5,12.5,Moored,0,0.0,0.0,0,Unknown,OXAB,HDMS TEST,Military,,15\n")
    ts, report = load_track_file(dma)
    assert report.format == "dma-csv" and report.points == 1 and report.malformed_lines[0][0] == 3
    assert ts.info["219000001"]["ship_type"] == 35


def test_unknown_format_empty_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        detect_format(b"hello,world\n1,2\n")
    p = tmp_path / "x.csv"
    p.write_text("hello,world\n1,2\n")
    with pytest.raises(InputFileError, match="not a known track format"):
        load_track_file(p)
    g = tmp_path / "x.json.gz"
    g.write_bytes(gzip.compress(b"[1,2,3]")[:-6])
    with pytest.raises(InputFileError, match="gzip"):
        load_track_file(g)
    j = tmp_path / "y.json"
    j.write_text('[{"timestamp": 1')
    with pytest.raises(InputFileError, match="cannot be read"):
        load_track_file(j)


@pytest.mark.parametrize("orient", ["columns", "split", "index"])
def test_traffic_json_other_pandas_orients(tmp_path: Path, orient: str) -> None:
    rows = [{"timestamp": 1633608773000 + 1000 * i, "icao24": "3b77e4", "latitude": 48.7,
             "longitude": 2.0 + 0.001 * i, "altitude": 2000.0, "groundspeed": 150.0, "track": 90.0,
             "callsign": "CTM1283"} for i in range(3)]
    cols = list(rows[0])
    if orient == "columns":
        data = {c: {str(i): r[c] for i, r in enumerate(rows)} for c in cols}
    elif orient == "split":
        data = {"columns": cols, "index": [0, 1, 2], "data": [[r[c] for c in cols] for r in rows]}
    else:
        data = {str(i): r for i, r in enumerate(rows)}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data))
    ts, report = load_track_file(path)
    assert report.format == "traffic-json" and len(ts) == 3 and report.malformed == 0
    assert list(ts.callsign) == ["CTM1283"] * 3
