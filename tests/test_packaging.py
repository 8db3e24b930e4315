"""The wheel carries the ontology, schemes, shapes, context, queries and py.typed; the version
has one source."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

import portlod

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True)
    wheels = list(out.glob("portlod-*.whl"))
    assert len(wheels) == 1
    return zipfile.ZipFile(wheels[0])


def test_wheel_contains_the_data_files(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for required in ("portlod/_data/ontology/portlod.ttl", "portlod/_data/ontology/themes.ttl",
                     "portlod/_data/ontology/fuels.ttl", "portlod/_data/ontology/roles.ttl",
                     "portlod/_data/shapes/portlod.shapes.ttl", "portlod/_data/context.jsonld",
                     "portlod/py.typed", "portlod/__init__.py"):
        assert required in names, required
    queries = [n for n in names if n.startswith("portlod/queries/") and n.endswith(".rq")]
    assert len(queries) == len(list((ROOT / "src" / "portlod" / "queries").glob("*.rq"))) > 0


def test_wheel_declares_the_console_script(wheel: zipfile.ZipFile) -> None:
    entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "portlod = portlod.cli:main" in wheel.read(entry_points).decode()


def test_one_version_source() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert portlod.__version__ == declared
