"""Fixtures for the track tests: the shared real samples (skipped when absent) and the synthetic example."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_TRACKS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "tracks"


@pytest.fixture
def shared_file():
    """`shared_file("ais/sample.ais")`: the path of a shared sample, or skip the test when it is absent."""

    def get(rel: str) -> Path:
        path = SHARED_TRACKS / rel
        if not path.is_file():
            pytest.skip(f"shared track sample {rel} is absent")
        return path

    return get


@pytest.fixture(scope="session")
def example_tracks(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    from basewatch.synth.tracks import write_example_tracks

    return write_example_tracks(tmp_path_factory.mktemp("example-tracks"), "dec2024")
