"""Shared fixtures: the seed source set is read once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

import portlod
from portlod.records import SourceSet

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def seed_sources() -> SourceSet:
    return portlod.load_sources(DATA)


@pytest.fixture(scope="session")
def seed_dataset(seed_sources: SourceSet) -> portlod.Dataset:
    """The seed data set, built once. Tests must not modify it (build their own to do so)."""
    return portlod.build(seed_sources)
