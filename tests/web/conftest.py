"""A populated workspace and an in-process client over the dashboard app."""

from __future__ import annotations

from pathlib import Path

import pytest

from basewatch.web import AppClient, create_app
from basewatch.workspace import Workspace


@pytest.fixture(scope="session")
def app(populated: Workspace):
    return create_app(populated, token="s3cret-token")


@pytest.fixture(scope="session")
def client(app) -> AppClient:
    return AppClient(app)


@pytest.fixture
def sample_root(populated: Workspace) -> Path:
    return populated.root
