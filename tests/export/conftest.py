"""The populated workspace of tests/web/populated.py, shared by the output tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))

from populated import build  # noqa: E402

from basewatch.workspace import Workspace  # noqa: E402


@pytest.fixture(scope="session")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = build(tmp_path_factory.mktemp("outputs"))
    yield ws
    ws.close()
