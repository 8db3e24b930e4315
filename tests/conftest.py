"""Shared fixtures: the seed source set is read once per test session, the seed data set and a
generated one (bench/generate.py, 10k triples) built once."""

from __future__ import annotations

import sys
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


@pytest.fixture(scope="session")
def generated() -> portlod.Dataset:
    """A data set of about 10k triples made by the benchmark's generator (synthetic codes), built
    once. Tests must not modify it."""
    sys.path.insert(0, str(ROOT))
    try:
        from bench.generate import generate
    finally:
        sys.path.remove(str(ROOT))
    return portlod.build(generate("10k", codes="synthetic").sources)
