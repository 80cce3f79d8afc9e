"""`basewatch synth` CLI: listing, rendering, and one-line errors with exit code 1."""

from __future__ import annotations

import json

from synth_helpers import write_scenario
from typer.testing import CliRunner

from basewatch.cli.synth import app

runner = CliRunner()


def test_list_json() -> None:
    result = runner.invoke(app, ["list", "--json"])
    assert result.exit_code == 0, result.output
    names = {r["name"] for r in json.loads(result.stdout)}
    assert {"khmeimim-dec2024", "tartus-dec2024"} <= names


def test_render_and_refuse_non_empty_dir(tmp_path) -> None:
    path = write_scenario(tmp_path, "cli", footprint="{center_m: [-470, -550], size_m: [300, 300]}")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(path), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert (out / "manifest.json").is_file() and (out / "khmeimim-2024-12-13.tif").is_file()
    again = runner.invoke(app, ["render", str(path), "--out", str(out)])
    assert again.exit_code == 1
    assert "not empty" in again.output and "--overwrite" in again.output
    forced = runner.invoke(app, ["render", str(path), "--out", str(out), "--overwrite", "--seed", "3", "--json"])
    assert forced.exit_code == 0, forced.output
    assert json.loads(forced.stdout)["seed"] == 3


def test_invalid_scenario_is_one_line_exit_1(tmp_path) -> None:
    path = write_scenario(tmp_path, "broken", equipment="      - {type: Su-99, count: 1, zone: main-apron}\n")
    result = runner.invoke(app, ["render", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "broken.yaml line" in lines[0] and "Su-99" in lines[0]
    assert not (tmp_path / "o").exists()


def test_bad_date_option(tmp_path) -> None:
    result = runner.invoke(app, ["render", "khmeimim-dec2024", "--out", str(tmp_path / "o"), "--date", "13/12"])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output
