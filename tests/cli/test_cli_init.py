import json

from basewatch.workspace import CONFIG_NAME


def test_init_then_commands_find_the_workspace_by_option_and_env(cli, tmp_path, monkeypatch):
    result = cli("init", tmp_path / "case", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sites"] == 2
    assert (tmp_path / "case" / CONFIG_NAME).is_file()
    assert cli("sites", "list", "--workspace", tmp_path / "case").exit_code == 0
    monkeypatch.setenv("BASEWATCH_WORKSPACE", str(tmp_path / "case"))
    assert "khmeimim" in cli("sites", "list").stdout


def test_init_twice_fails_cleanly(cli, tmp_path):
    assert cli("init", tmp_path / "case").exit_code == 0
    result = cli("init", tmp_path / "case")
    assert result.exit_code == 1
    assert "already exists" in result.stderr and "Traceback" not in result.output


def test_command_outside_a_workspace_names_the_fix(cli, tmp_path):
    result = cli("evidence", "list", "--workspace", tmp_path)
    assert result.exit_code == 1
    assert "basewatch init" in result.stderr


def test_newer_schema_is_one_clear_error(cli, tmp_path):
    import sqlite3

    cli("init", tmp_path / "ws")
    con = sqlite3.connect(tmp_path / "ws" / "basewatch.db")
    con.execute("UPDATE alembic_version SET version_num='ffff'")
    con.commit()
    con.close()
    result = cli("sites", "list", "-w", tmp_path / "ws")
    assert result.exit_code == 1
    assert "newer than this basewatch knows" in result.stderr


def test_version(cli):
    from basewatch import __version__

    assert cli("--version").stdout.strip() == f"basewatch {__version__}"
