"""`basewatch tracks ...` end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from basewatch.synth.tracks import write_example_tracks


def test_load_process_events(cli, tmp_path: Path) -> None:
    items = write_example_tracks(tmp_path / "files", "tartus-dec2024")
    assert len(items) == 1 and items[0]["site"] == "tartus"
    path = items[0]["path"]
    res = cli("tracks", "load", path, "--json")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output)
    assert summary["load"]["format"] == "nmea" and summary["tracks"] == 8
    assert [b["line"] for b in summary["load"]["malformed_lines"]] == [501, 901]
    ws = tmp_path / "ws"
    assert cli("init", ws).exit_code == 0
    res = cli("evidence", "add", path, "--kind", "track", "--source", "synthetic", "--site", "tartus", "-w", ws,
              "--json")
    ev_id = json.loads(res.output)["id"]
    res = cli("tracks", "process", ev_id, "-w", ws)
    assert res.exit_code == 0 and "stored" in res.output
    res = cli("tracks", "process", ev_id, "-w", ws)
    assert "already processed" in res.output
    res = cli("tracks", "events", "tartus", "--from", "2024-12-09", "--to", "2024-12-09", "-w", ws, "--json")
    assert res.exit_code == 0
    events = json.loads(res.output)["events"]
    assert {"kind", "observed_at", "track_id", "category", "details"} <= set(events[0])
    assert {e["kind"] for e in events} >= {"departed_port", "holding_offshore"}
    res = cli("tracks", "events", "tartus", "--kind", "ais_gap", "-w", ws)
    assert res.exit_code == 0 and "ais_gap" in res.output


def test_errors_are_one_line(cli, tmp_path: Path) -> None:
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    res = cli("tracks", "load", bad)
    assert res.exit_code == 1 and "not a known track format" in res.output
    res = cli("tracks", "load", bad, "--airports", "ZZZZ")
    assert res.exit_code == 1 and "ZZZZ" in res.output
    ws = tmp_path / "ws"
    cli("init", ws)
    res = cli("tracks", "events", "tartus", "--kind", "sunk", "-w", ws)
    assert res.exit_code == 1 and "--kind" in res.output


def test_reference_files_refine_identification(cli, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    cli("init", ws)
    db = tmp_path / "aircraft.csv"
    db.write_text("icao24,registration,typecode,operator\n3b77e4,F-RAAA,A400,French Air and Space Force\n")
    res = cli("tracks", "reference", "aircraft", db, "-w", ws)
    assert res.exit_code == 0 and (ws / "tracks" / "aircraft.csv").is_file()
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,pattern\n,\n")
    res = cli("tracks", "reference", "watchlist", bad, "-w", ws)
    assert res.exit_code == 1 and "row 2" in res.output
    from basewatch.tracks.process import identifier
    from basewatch.workspace import Workspace

    with Workspace.open(ws) as w:
        assert identifier(w).aircraft("3b77e4", "CTM1283")["category"] == "aircraft.transport.heavy"
