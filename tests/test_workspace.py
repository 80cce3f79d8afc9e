import sqlite3

import pytest
from sqlalchemy import text

from basewatch.errors import SchemaVersionError, WorkspaceExistsError, WorkspaceNotFoundError
from basewatch.store import head_revision
from basewatch.workspace import CONFIG_NAME, DB_NAME, Workspace


def test_init_creates_config_wal_database_and_archive(tmp_path):
    root = tmp_path / "case"
    with Workspace.init(root, name="case one") as ws:
        assert (root / CONFIG_NAME).read_text().count('name = "case one"') == 1
        assert ws.archive.root.is_dir()
        assert set(ws.catalog.sites) == {"khmeimim", "tartus"}
    mode = sqlite3.connect(root / DB_NAME).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_open_finds_the_workspace_and_its_catalog(tmp_path):
    Workspace.init(tmp_path / "ws").close()
    with Workspace.open(tmp_path / "ws") as ws:
        assert ws.site("Hmeimim").id == "khmeimim"
        assert len(ws.catalog.equipment) >= 30


def test_init_refuses_an_existing_workspace(tmp_path):
    Workspace.init(tmp_path / "ws").close()
    with pytest.raises(WorkspaceExistsError, match="already exists"):
        Workspace.init(tmp_path / "ws")


def test_open_without_workspace_names_the_fix(tmp_path):
    with pytest.raises(WorkspaceNotFoundError, match="basewatch init"):
        Workspace.open(tmp_path)


def test_database_from_a_newer_schema_is_refused(tmp_path):
    with Workspace.init(tmp_path / "ws") as ws, ws.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaVersionError, match="9999_future.*upgrade basewatch"):
        Workspace.open(tmp_path / "ws")


def test_new_workspace_is_at_head_revision(ws):
    with ws.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()


def test_failed_init_leaves_nothing(tmp_path, monkeypatch):
    import basewatch.workspace as wmod

    def boom(conn):
        raise RuntimeError("disk full")

    monkeypatch.setattr(wmod, "seed_builtin", boom)
    with pytest.raises(RuntimeError):
        Workspace.init(tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_user_catalog_import_overrides_and_extends(ws, tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("""
types:
  - {id: il-76, name: Il-76MD-90A, category: aircraft.transport.heavy, length_m: 46.59, width_m: 50.5,
     aliases: [Il-476]}
  - {id: tor-m2, name: Tor-M2, category: air-defense.gun-missile, length_m: 7.5, width_m: 3.3, aliases: [SA-15],
     image_states: [packed, deployed]}
sources:
  - {id: my-stringer, name: Local stringer, kind: analyst, reliability: C, aliases: ["@stringer"]}
""")
    assert ws.import_catalog(f) == {"equipment": 2, "sites": 0, "sources": 1}
    assert ws.equipment("Il-476").name == "Il-76MD-90A"
    assert ws.equipment("SA-15").id == "tor-m2"
    assert ws.equipment("SA-15").image_states == ("packed", "deployed")
    assert ws.source("@stringer").reliability == "C"


def test_user_type_with_an_unknown_image_state_is_refused(ws, tmp_path):
    from basewatch.errors import InputFileError

    f = tmp_path / "bad.yaml"
    f.write_text("types:\n  - {id: x, name: X, category: aircraft.transport, length_m: 30, width_m: 30, "
                 "image_states: [visor_up]}\n")
    with pytest.raises(InputFileError, match=r"types\[0\] image_states"):
        ws.import_catalog(f)
    assert ws.catalog.equipment_names.resolve("x") is None


def test_user_catalog_with_bad_grade_is_rejected_whole(ws, tmp_path):
    from basewatch.errors import InputFileError

    f = tmp_path / "bad.yaml"
    f.write_text("sources:\n  - {id: ok, name: OK, kind: outlet, reliability: B}\n"
                 "  - {id: x, name: X, kind: outlet, reliability: Z}\n")
    with pytest.raises(InputFileError, match="Admiralty grade"):
        ws.import_catalog(f)
    assert ws.catalog.source_names.resolve("ok") is None
