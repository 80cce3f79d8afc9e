"""The same schema and workspace code on PostgreSQL: a throwaway server on loopback, skipped where none is installed."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from basewatch.workspace import ARCHIVE_NAME, CONFIG_NAME, Workspace
from helpers import write_geotiff

psycopg = pytest.importorskip("psycopg", reason="the PostgreSQL driver is the extra 'postgres'")


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    initdb, postgres = _pg_bin("initdb"), _pg_bin("postgres")
    if not initdb or not postgres:
        pytest.skip("PostgreSQL server binaries not installed (Debian package 'postgresql')")
    run_as: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="bw-pg-"))
    if os.geteuid() == 0:  # postgres refuses to run as root
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server")
        os.chown(root, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", _free_port()
    subprocess.run([*run_as, initdb, "-D", str(data), "-A", "trust", "-U", "bw", "--no-sync"], check=True,
                   capture_output=True)
    server = subprocess.Popen([*run_as, postgres, "-D", str(data), "-p", str(port), "-k", str(root),
                               "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(f"host=127.0.0.1 port={port} user=bw dbname=postgres").close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield f"postgresql+psycopg://bw@127.0.0.1:{port}/postgres"
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(root, ignore_errors=True)


def test_workspace_on_postgresql(pg_url, tmp_path):
    from basewatch.store import make_engine, upgrade
    from basewatch.store.catalog_tables import seed_builtin

    engine = make_engine(pg_url)
    upgrade(engine, pg_url)
    with engine.begin() as conn:
        seed_builtin(conn)
    engine.dispose()
    (tmp_path / ARCHIVE_NAME).mkdir()
    (tmp_path / CONFIG_NAME).write_text(f'[database]\nurl = "{pg_url}"\n', encoding="utf-8")
    with Workspace.open(tmp_path) as ws:
        assert ws.site("Хмеймим").id == "khmeimim" and ws.equipment("Condor").id == "an-124"
        tif = write_geotiff(tmp_path / "scene.tif", site="tartus")
        first = ws.add_evidence(tif, source="maxar")
        assert first.created and first.evidence.site_id == "tartus"
        assert not ws.add_evidence(tif).created
        obs = ws.observe(site="Tartous", equipment="Admiral Golovko", state="offshore", zone="offshore-holding",
                         evidence=first.evidence.id)
        assert obs.observed_at.isoformat() == "2024-12-13T08:30:00Z"
        assert ws.list_observations(site="tartus") == [obs]
