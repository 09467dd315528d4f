"""Shared fixtures: a fresh workspace per test, and the evaluation data beside the project."""

from __future__ import annotations

from pathlib import Path

import pytest

import storylens

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def ws(tmp_path):
    """A workspace on a new store in a temporary folder."""
    with storylens.open(tmp_path / "store.db") as workspace:
        yield workspace


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when that data is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (the evaluation data sits beside the project root)")
    return path
