"""`basewatch verify` finds tampered, deleted and damaged data; `basewatch backup` writes a copy that verifies."""

from __future__ import annotations

import json
import os
import sqlite3

from basewatch.workspace import DB_NAME, Workspace
from helpers import write_geotiff, write_video


def _workspace(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    ev = ws.add_evidence(write_geotiff(tmp_path / "a.tif"), kind="image").evidence
    ws.add_evidence(write_video(tmp_path / "clip.mp4"), kind="video")
    ws.close()
    return tmp_path / "ws", ev


def test_verify_passes_a_clean_workspace(tmp_path, cli):
    root, _ = _workspace(tmp_path)
    res = cli("verify", "-w", root, "--json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["ok"] and report["objects_checked"] >= 3 and "integrity_check" in report["database_checked"]


def test_verify_reports_a_tampered_and_a_deleted_object(tmp_path, cli):
    root, ev = _workspace(tmp_path)
    with Workspace.open(root) as ws:
        blob = ws.archive.path(ev.sha256)
        frame = ws.archive.root.parent / ws.frames(ws.list_evidence(kind="video")[0].id)[0]["path"]
    os.chmod(blob, 0o644)
    blob.write_bytes(blob.read_bytes() + b"tampered")
    frame.unlink()  # a video keyframe, cited by evidence_frames
    res = cli("verify", "-w", root, "--json")
    assert res.exit_code == 1
    kinds = {(p["kind"], p["item"]) for p in json.loads(res.output)["problems"]}
    assert ("hash_mismatch", ev.sha256) in kinds
    assert ("missing", frame.parent.name + frame.name) in kinds


def test_verify_reports_a_damaged_database(tmp_path, cli):
    root, _ = _workspace(tmp_path)
    db = root / DB_NAME
    with sqlite3.connect(db) as conn:  # flush the WAL so the pages live in the main file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        root_page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='observations'").fetchone()[0]
    data = bytearray(db.read_bytes())
    start = (root_page - 1) * page
    data[start:start + page] = b"\xff" * page  # one table's b-tree page overwritten
    db.write_bytes(bytes(data))
    res = cli("verify", "-w", root)
    assert res.exit_code == 1 and "integrity_check" in res.output and "malformed" in res.output
    res = cli("observations", "list", "-w", root)  # any other command: one clear line, not a traceback
    assert res.exit_code == 1 and "database is damaged" in res.output and "basewatch verify" in res.output


def test_backup_writes_a_copy_that_opens_and_verifies(tmp_path, cli):
    root, ev = _workspace(tmp_path)
    res = cli("backup", tmp_path / "copy", "-w", root, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["objects"] >= 3
    with Workspace.open(tmp_path / "copy") as copy:
        assert [e.sha256 for e in copy.list_evidence(kind="image")] == [ev.sha256]
    res = cli("verify", "-w", tmp_path / "copy")
    assert res.exit_code == 0, res.output
    assert not list(tmp_path.glob(".copy.partial-*"))


def test_backup_refuses_a_non_empty_directory(tmp_path, cli):
    root, _ = _workspace(tmp_path)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    res = cli("backup", tmp_path / "full", "-w", root)
    assert res.exit_code == 1 and "not an empty directory" in res.output
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
