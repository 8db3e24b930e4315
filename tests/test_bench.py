"""The benchmark code must not rot: the smoke run (``bench/run.py --size 10k --quick``) completes
and writes JSON with every case, and the generator is deterministic. No wall-clock assertions:
CI machines are too noisy for them (the numbers live in bench/RESULTS.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("ttl", "nt", "jsonld", "trig", "nq")
CASES = (["build", "build_dataset", "validate_incremental", "validate_full", "reason"]
         + [f"export_{f}" for f in FORMATS] + [f"load_{f}" for f in FORMATS]
         + ["memory_build", "memory_load_nq", "memory_load_nt"])
QUESTIONS = ("resolve", "signatories", "according-to", "single-source", "agreements", "partners", "corridors",
             "timeline", "theme", "conflicts")
STATUSES = {"ok", "stopped", "estimated", "error", "skipped"}


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench")
    json_path = out / "results.json"
    md_path = out / "RESULTS.md"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--size", "10k", "--quick", "--json", str(json_path),
         "--markdown", str(md_path), "--work", str(out / "work")],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    data = json.loads(json_path.read_text(encoding="utf-8"))
    data["_markdown"] = md_path.read_text(encoding="utf-8")
    data["_stdout"] = done.stdout
    return data


def test_quick_run_writes_every_case(quick_run: dict) -> None:
    assert quick_run["quick"] is True
    assert set(quick_run["sizes"]) == {"10k"}
    size = quick_run["sizes"]["10k"]
    assert 5_000 < size["triples"] < 20_000
    assert size["quads"] >= size["triples"]
    cases = size["cases"]
    for case in CASES + [f"q:{q}" for q in QUESTIONS]:
        assert case in cases, case
        assert "portlod" in cases[case] or case == "build_dataset", case
    for case, entry in cases.items():
        for side in ("portlod", "naive"):
            if side in entry:
                assert entry[side]["status"] in STATUSES, (case, side, entry[side])
    # the portlod side of the core cases ran (the naive side may be stopped at the quick limits)
    for case in ["build"] + [f"export_{f}" for f in FORMATS] + [f"load_{f}" for f in FORMATS]:
        assert cases[case]["portlod"]["status"] == "ok", (case, cases[case]["portlod"])
        assert cases[case]["portlod"]["seconds"] > 0
    for side in ("portlod", "naive"):
        assert cases["build"][side]["status"] == "ok"
    assert set(cases["build"]["portlod_breakdown"]) == {"check_or_raise", "Builder.nquads", "Store.load"}
    for case in ("memory_load_nq", "memory_load_nt"):
        for side in ("portlod", "naive"):
            rec = cases[case][side]
            assert rec["status"] == "ok", (case, side, rec)
            assert rec["held_bytes"] > 0 and rec["peak_bytes"] > 0
    assert cases["q:signatories"]["kind"] == "lookup"
    assert cases["q:conflicts"]["kind"] == "aggregate"


def test_quick_run_reports(quick_run: dict) -> None:
    assert {"cpu", "cores", "python"} <= set(quick_run["machine"])
    assert {"pyoxigraph", "rdflib", "pyshacl", "owlrl"} <= set(quick_run["versions"])
    ids = {t["id"] for t in quick_run["targets"]}
    assert {"build", "build_ratio", "export_ttl", "load_nq", "validate_incremental", "validate_full",
            "memory_build", "seed_cold", "questions_per_1k"} <= ids
    for t in quick_run["targets"]:
        assert t["met"] in (True, False, None)
    assert "seed_cold" in quick_run and quick_run["seed_cold"]["status"] in STATUSES
    md = quick_run["_markdown"]
    assert md.startswith("# portlod benchmark results")
    assert "| build |" in md and "## Targets" in md
    assert "| case | 10k portlod | 10k naive | 10k × |" in quick_run["_stdout"]


def test_generator_is_deterministic() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from bench.generate import generate, parse_size
    finally:
        sys.path.remove(str(ROOT))
    assert parse_size("10k") == 10_000 and parse_size("1M") == 1_000_000 and parse_size(2500) == 2500
    a = generate("10k", codes="synthetic")
    b = generate(10_000, codes="synthetic")
    assert a.sources == b.sources
    assert a.samples == b.samples and a.change_candidates == b.change_candidates
    assert len(a.change_candidates) == 100
    c = generate(10_000, codes="synthetic", seed=7)
    assert c.sources != a.sources
