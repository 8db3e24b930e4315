"""A broken ontology or schemes file fails loudly with the file and line."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from portlod.resources import path


@pytest.mark.parametrize("name", ["ontology", "themes", "fuels", "roles"])
def test_packaged_turtle_parses(name: str) -> None:
    assert list(ox.parse(path=path(name), format=ox.RdfFormat.TURTLE))


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "portlod.ttl"
    lines = path("ontology").read_text(encoding="utf-8").splitlines()
    lines[40] = lines[40] + " ;; ]"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SyntaxError) as caught:
        list(ox.parse(path=broken, format=ox.RdfFormat.TURTLE))
    assert caught.value.lineno == 41
