"""The portlod command line: every command's help, exit codes 0/1/2, the main job, and output
formats. The CLI is run in-process with click's CliRunner and once as a real console script."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from portlod.cli import main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
GOOD = ROOT / "tests" / "data" / "sources" / "good"
COMMANDS = ["build", "validate", "export", "stats", "query", "ask", "registry"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_help_lists_every_command() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in COMMANDS:
        assert command in out
    assert "Exit codes" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "Usage:" in out and len(out.splitlines()) > 3


def test_registry_import_has_help() -> None:
    code, out, _ = run("registry", "import", "--help")
    assert code == 0 and "--ports-only" in out


def test_build_is_the_main_job(tmp_path: Path) -> None:
    out_dir = tmp_path / "dist"
    code, out, err = run("build", DATA, "--out", out_dir)
    assert code == 0, err
    for name in ("portlod.ttl", "portlod.nt", "portlod.jsonld", "context.jsonld", "portlod.trig", "portlod.nq",
                 "validation.txt", "validation.json"):
        assert (out_dir / name).is_file(), name
        assert str(out_dir / name) in out  # says where the files went
    assert "conforms" in out
    assert "portlod: build" not in err  # no progress lines in a pipe
    graph = rdflib.Graph().parse(out_dir / "portlod.ttl")
    assert len(graph) > 500


def _bad_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    shutil.copytree(GOOD, folder)
    article = folder / "sources" / "article.yaml"
    text = article.read_text(encoding="utf-8")
    text = text.replace("signed: {date: 2023-03, as_printed: mid-March}", "signed: 2023-02-30")
    text = text.replace("person: gene-seroka", "person: gene-serocka")
    article.write_text(text, encoding="utf-8")
    return folder


def test_bad_source_exits_2_with_one_message_per_problem_and_exports_nothing(tmp_path: Path) -> None:
    out_dir = tmp_path / "dist"
    code, out, err = run("build", _bad_copy(tmp_path), "--out", out_dir)
    assert code == 2
    problems = [line for line in err.splitlines() if " error: " in line and "article.yaml:" in line]
    assert len(problems) == 2, err
    assert any("2023-02-30" in p for p in problems) and any("gene-serocka" in p for p in problems)
    assert "Traceback" not in err + out
    assert not out_dir.exists() or not any(out_dir.iterdir())


def _nonconforming(tmp_path: Path) -> Path:
    """Sources that pass the build checks but not the shapes: an agreement with one party."""
    folder = tmp_path / "one-party"
    shutil.copytree(GOOD, folder)
    article = folder / "sources" / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "parties: [port-of-los-angeles, port-of-tokyo]", "parties: [port-of-los-angeles]"), encoding="utf-8")
    return folder


def test_validate_exit_codes(tmp_path: Path) -> None:
    assert run("validate", GOOD)[0] == 0
    code, out, _ = run("validate", _nonconforming(tmp_path))
    assert code == 1
    assert "at least two parties" in out
    assert run("validate", _bad_copy(tmp_path))[0] == 2
    assert run("validate", tmp_path / "missing")[0] == 2


def test_validate_json(tmp_path: Path) -> None:
    code, out, _ = run("validate", _nonconforming(tmp_path), "--json")
    assert code == 1
    report = json.loads(out)
    assert report["conforms"] is False


def test_build_of_nonconforming_data_exits_1_and_exports_no_data(tmp_path: Path) -> None:
    out_dir = tmp_path / "dist"
    code, _, err = run("build", _nonconforming(tmp_path), "--out", out_dir)
    assert code == 1
    assert "does not conform" in err
    assert (out_dir / "validation.txt").is_file()
    assert not (out_dir / "portlod.ttl").exists()


def test_export_selected_formats_and_reload(tmp_path: Path) -> None:
    code, _, err = run("export", GOOD, "--out", tmp_path, "-f", "trig", "-f", "jsonld")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["context.jsonld", "portlod.jsonld", "portlod.trig"]
    # an exported file is itself a DATA argument
    code, out, _ = run("stats", tmp_path / "portlod.trig")
    assert code == 0 and "fact graphs" in out


def test_stats(tmp_path: Path) -> None:
    code, out, _ = run("stats", GOOD, "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["per_class"]["https://w3id.org/portlod/ontology#MemorandumOfUnderstanding"] == 1
    assert "https://w3id.org/portlod/id/source/test-article" in stats["per_source"]


def test_query_formats() -> None:
    sparql = "SELECT ?a WHERE { ?a a pl:MemorandumOfUnderstanding }"
    code, out, _ = run("query", sparql, "--data", GOOD, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["a"] and len(rows) == 2
    code, out, _ = run("query", sparql, "--data", GOOD, "--format", "json")
    assert code == 0 and json.loads(out)
    assert run("query", "SELECT WHERE {", "--data", GOOD)[0] == 2


def test_ask_partners_of_los_angeles() -> None:
    code, out, err = run("ask", "partners", "--port", "USLAX", "--data", DATA, "--format", "json")
    assert code == 0, err
    text = json.dumps(json.loads(out))
    for partner in ("Tokyo", "Yokohama", "Gothenburg", "Shanghai", "Singapore"):
        assert partner in text


def test_ask_list_and_errors() -> None:
    code, out, _ = run("ask", "--list")
    assert code == 0 and "partners" in out and "--port" in out
    code, _, err = run("ask", "no-such-question", "--data", GOOD)
    assert code == 2 and "partners" in err  # lists what exists
    code, _, err = run("ask", "partners", "--colour", "red", "--data", GOOD)
    assert code == 2 and "colour" in err
    assert run("ask", "partners", "--port")[0] == 2


def test_ask_timeout_must_be_a_number() -> None:
    """Regression: `--timeout x` was passed through to ask() as a string and silently ignored."""
    for bad in ("x", "nan", "inf", "0", "-1"):
        code, _, err = run("ask", "partners", "--port", "USLAX", "--timeout", bad, "--data", GOOD)
        assert code == 2 and "--timeout" in err and "seconds" in err, bad
    assert run("ask", "partners", "--port", "USLAX", "--timeout", "30", "--data", GOOD)[0] == 0


def test_console_script_runs() -> None:
    script = Path(sys.executable).with_name("portlod")
    if not script.exists():
        pytest.skip("portlod is not installed as a console script in this environment")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "build" in result.stdout


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "nq"])
def test_every_export_is_a_data_argument(tmp_path: Path, fmt: str) -> None:
    """Regression: an exported JSON-LD file (context by URL) could not be read back."""
    assert run("export", GOOD, "--out", tmp_path, "-f", fmt)[0] == 0
    code, out, err = run("stats", tmp_path / f"portlod.{fmt}", "--json")
    assert code == 0, err
    assert json.loads(out)["triples"] > 50
