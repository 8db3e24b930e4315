"""The public API is typed: ``mypy --strict`` (configured in pyproject.toml) passes on the package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_package_is_strictly_typed() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "src/portlod"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
