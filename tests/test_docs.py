"""docs/source-format.md: its worked example builds, conforms and answers questions; every field
the parser accepts is documented."""

from __future__ import annotations

import re
from pathlib import Path

import portlod
from portlod.queries import ask
from portlod.sources import _BLOCKS

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "source-format.md").read_text(encoding="utf-8")


def test_worked_example_builds_and_answers(tmp_path: Path) -> None:
    example = DOC.split("## Worked example", 1)[1]
    files = re.findall(r"`(data/[\w/.-]+\.yaml)`[^`]*?```yaml\n(.*?)```", example, flags=re.S)
    assert len(files) == 2
    for name, text in files:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    ds = portlod.build(tmp_path / "data")
    assert portlod.validate(ds).conforms
    rows = ask(ds, "corridors", port="SGSIN")
    assert any("Tokyo" in str(row) for row in rows)


def test_every_accepted_field_is_documented() -> None:
    for block, (_, fields) in _BLOCKS.items():
        assert f"### `{block}`" in DOC or f"`{block}`" in DOC, block
        for field in fields:
            assert re.search(rf"\b{field}:", DOC), f"{block}.{field} is not documented"
