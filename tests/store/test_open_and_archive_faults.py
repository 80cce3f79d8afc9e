"""Faults around the workspace's database and archive give a clear WorkspaceError, never a traceback, and a
killed copy's temporary files are cleaned up when the workspace next opens."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from basewatch.errors import WorkspaceError
from basewatch.workspace import CONFIG_NAME, DB_NAME, Workspace


def test_missing_database_is_reported_not_recreated(tmp_path):
    Workspace.init(tmp_path / "ws").close()
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / "ws" / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
    with pytest.raises(WorkspaceError, match="missing.*backup"):
        Workspace.open(tmp_path / "ws")
    assert not (tmp_path / "ws" / DB_NAME).exists()


def test_corrupt_database_names_the_file(tmp_path):
    Workspace.init(tmp_path / "ws").close()
    for suffix in ("-wal", "-shm"):
        (tmp_path / "ws" / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
    (tmp_path / "ws" / DB_NAME).write_bytes(b"this is not SQLite" * 512)
    with pytest.raises(WorkspaceError, match=f"{DB_NAME} cannot be read.*backup"):
        Workspace.open(tmp_path / "ws")


def test_unreachable_postgresql_names_the_url_without_its_password(tmp_path):
    pytest.importorskip("psycopg", reason="the PostgreSQL driver is the extra 'postgres'")
    Workspace.init(tmp_path / "ws").close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    cfg = tmp_path / "ws" / CONFIG_NAME
    url = f"postgresql+psycopg://analyst:s3cret@127.0.0.1:{port}/basewatch"
    cfg.write_text(cfg.read_text().replace('url = "sqlite:///basewatch.db"', f'url = "{url}"'))
    with pytest.raises(WorkspaceError, match=f"cannot reach the database .*127.0.0.1:{port}") as err:
        Workspace.open(tmp_path / "ws")
    assert "s3cret" not in str(err.value)


def test_stale_incoming_files_are_removed_on_open_and_fresh_ones_kept(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    fan = ws.archive.root / "sha256" / "ab"
    fan.mkdir(parents=True)
    stale, fresh = fan / ".incoming-killed", fan / ".incoming-writing"
    stale.write_bytes(b"half a copy")
    fresh.write_bytes(b"a copy in progress")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    ws.close()
    Workspace.open(tmp_path / "ws").close()
    assert not stale.exists() and fresh.exists()


def test_a_full_disk_while_archiving_is_a_clear_error_and_leaves_nothing(tmp_path):
    """The kernel refuses the write (RLIMIT_FSIZE: EFBIG, as a quota or a full disk would with ENOSPC)."""
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(3 << 20))
    script = textwrap.dedent(f"""
        import resource, signal
        from pathlib import Path
        from basewatch.errors import WorkspaceError
        from basewatch.store import Archive
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, {resource.RLIM_INFINITY}))
        try:
            Archive(Path({str(tmp_path / 'archive')!r})).put_file(Path({str(src)!r}))
        except WorkspaceError as exc:
            print("ERR", exc)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ERR") and "no room to archive big.bin" in out.stdout and "free disk" in out.stdout
    assert not [p for p in (tmp_path / "archive").rglob("*") if p.is_file()]
