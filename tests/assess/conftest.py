"""Fixtures of the assessment tests: the December example workspace and a builder on a fresh workspace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from assess_builders import Builder, build_khmeimim, build_tartus

from basewatch.workspace import Workspace


@pytest.fixture(scope="session")
def december(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, dict[str, str]]]:
    ws = Workspace.init(tmp_path_factory.mktemp("dec") / "ws")
    b = Builder(ws)
    evs = build_khmeimim(b)
    evs.update({f"tartus-{k}": v for k, v in build_tartus(b).items()})
    yield ws, evs
    ws.close()


@pytest.fixture
def builder(ws: Workspace) -> Builder:
    return Builder(ws)
