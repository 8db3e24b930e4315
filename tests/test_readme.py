"""Everything the README claims: the two set-up commands (and that CI runs the test one), the
Python example, and the CLI commands it lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from portlod.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", README, flags=re.S)


def test_readme_opens_with_the_two_commands() -> None:
    first, second = BLOCKS[0][1].strip(), BLOCKS[1][1].strip()
    assert "python3 -m venv .venv" in first and "portlod build data --out dist" in first
    assert "python3 -m venv .venv" in second and "pytest" in second
    assert second in (ROOT / ".ci" / "run").read_text(encoding="utf-8"), "CI must run the README's test command"


def test_main_command_writes_what_the_readme_says(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(ROOT / "data"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in re.findall(r"`(portlod\.\w+|context\.jsonld|validation\.\w+)`", README):
        assert (tmp_path / name).is_file(), name


def test_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    example = next(code for lang, code in BLOCKS if lang == "python")
    assert len([line for line in example.splitlines() if line.strip()]) <= 12
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {})
    assert "Tokyo" in capsys.readouterr().out
    assert (tmp_path / "dist" / "portlod.ttl").is_file() and (tmp_path / "dist" / "portlod.jsonld").is_file()


def test_listed_cli_commands_exist() -> None:
    listed = {m for _, code in BLOCKS for m in re.findall(r"^portlod (\w+)", code, flags=re.M)}
    assert {"build", "validate", "export", "stats", "query", "ask"} <= listed
    for command in listed:
        assert CliRunner().invoke(main, [command, "--help"]).exit_code == 0, command


def test_linked_docs_exist() -> None:
    for link in re.findall(r"\]\(([^)#]+)\)", README):
        assert (ROOT / link).exists(), link
