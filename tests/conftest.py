"""Small named fixtures: a fresh workspace and a CLI runner. File makers live in helpers.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from basewatch.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.init(tmp_path / "ws")
    yield workspace
    workspace.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner: CliRunner):
    """Run `basewatch ARGS...`; returns the click Result."""
    from basewatch.cli.main import app

    def invoke(*args: str | Path):
        return runner.invoke(app, [str(a) for a in args])

    return invoke




@pytest.fixture(scope="session")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A workspace with evidence, detections, claims and assessments (tests/populated.py), for output tests."""
    from populated import build

    workspace = build(tmp_path_factory.mktemp("outputs"))
    yield workspace
    workspace.close()
