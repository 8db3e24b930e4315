#!/usr/bin/env python3
"""portlod against the naive rdflib stack, at 10k, 100k and 1M triples, in one command.

    .venv/bin/python bench/run.py                    # all three sizes; writes bench/results.json
                                                     # and bench/RESULTS.md
    .venv/bin/python bench/run.py --size 10k --quick # smoke run (what the tests run)

The tables, targets and RESULTS.md are rendered by bench/report.py from the JSON this writes.

For each size the same generated source records (``bench/generate.py``) are built and every step
is measured side by side, in this process (memory: each case in a fresh process):

==========================  ===================================  ==========================================
case                        portlod                              naive (what a user writes with rdflib alone)
==========================  ===================================  ==========================================
build                       ``portlod.build(records)``           ``rdflib.Graph.add`` of the same triples
                                                                 (converted before the clock starts)
build_dataset (info)        (the same build)                     ``rdflib.Dataset.add`` of the same quads
export_<fmt>                ``portlod.export.export(ds, dir)``   ``Graph.serialize`` / ``Dataset.serialize``
load_<fmt>                  ``portlod.export.load(file)``        ``Graph.parse`` / ``Dataset.parse``, same file
q:<question>                ``portlod.queries.ask``              ``Dataset.query`` with the same query text
                                                                 and bindings (``initBindings``)
validate_incremental        ``validate(ds, resources=100 IRIs)`` ``pyshacl.validate(focus_nodes=100 IRIs)``
validate_full               ``portlod.validate(ds)``             ``pyshacl.validate`` on the rdflib graph +
                                                                 ontology and schemes, same shapes
reason                      ``portlod.reason(ds)``               ``owlrl.DeductiveClosure(OWLRL_Semantics)``
memory_build / _load_*      RSS held and peak above baseline,    rdflib Dataset / Graph parsed from the same
                            fresh process                        file, fresh process
seed_cold                   ``python -m portlod build data``     (none)
==========================  ===================================  ==========================================

Medians of several runs (fewer for slow cases and larger sizes), ``gc.collect()`` before each.
Skip rule: before running a case at a larger size, its time is extrapolated from the sizes already
measured in this run (growth at least linear); a case predicted above its limit is not run: it is
reported as ``est.`` with the extrapolation, and a case that runs longer is stopped and reported as
``> N (stopped)``. Limits: ``--naive-max-seconds`` 60 for the naive stack, ``--max-seconds`` 300 for
portlod, 5 / 20 s for questions (the issue's 600 s does not fit in 30 minutes; README).

The JSON holds every run, the machine, the versions and the targets; ``RESULTS.md`` is made from
it (only by a run of all three sizes without ``--quick``, unless ``--markdown`` says otherwise).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as _dt
import gc
import json
import math
import os
import platform
import pstats
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _p in (str(ROOT / "src"), str(ROOT)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from bench.report import FORMATS, MEMORY_CASES, SIZES, fmt_rec, evaluate_targets, markdown, tables  # noqa: E402

RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}
QUAD_FORMATS = ("trig", "nq")
#: the questions asked of rdflib too in a --quick run (the others are skipped there: a smoke run)
QUICK_NAIVE_QUESTIONS = ("signatories", "theme")


# -- measuring --------------------------------------------------------------------------------------

class Stopped(BaseException):
    """Raised by the alarm inside a case that ran too long (a BaseException, so that the libraries'
    ``except Exception`` does not swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    if not seconds or not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum: int, frame: object) -> None:
        raise Stopped()

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def result(status: str, seconds: float | None = None, **more: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"status": status, "seconds": seconds}
    out.update({k: v for k, v in more.items() if v is not None})
    return out


class Runner:
    """Measures cases, applies the skip rule and keeps the history used to extrapolate."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        #: (case, side) → [(triples, seconds, status)], in the order measured
        self.history: dict[tuple[str, str], list[tuple[int, float, str]]] = {}
        self.triples = 0
        self.label = ""

    def repeats(self, case: str) -> int:
        if self.args.quick:
            return 1
        if self.args.repeat:
            return self.args.repeat
        q = case.startswith("q:") or case == "validate_incremental"
        if q:  # quick, and noisy on a shared machine: enough runs for a steady median (a case
            # stops repeating when its runs add up to its budget)
            return {"10k": 15, "100k": 9}.get(self.label, 5)
        return {"10k": 5, "100k": 3}.get(self.label, 1)

    def predict(self, case: str, side: str) -> tuple[float, bool] | None:
        """(seconds, is_lower_bound) at the current size, from the sizes measured before."""
        points = [p for p in self.history.get((case, side), []) if p[0] < self.triples]
        if not points:
            return None
        n2, t2, s2 = points[-1]
        k = 1.0
        ok = [p for p in points if p[2] == "ok"]
        if len(ok) >= 2:
            (n1, t1, _), (n2b, t2b, _) = ok[-2], ok[-1]
            if t1 > 0 and n2b > n1:
                k = max(1.0, math.log(max(t2b, 1e-9) / t1) / math.log(n2b / n1))
        return t2 * (self.triples / n2) ** k, s2 != "ok"

    def run(self, case: str, side: str, fn: Callable[[Any], Any], *, setup: Callable[[], Any] | None = None,
            limit: float | None = None, repeats: int | None = None, after: Callable[[Any], None] | None = None,
            budget: float = 30.0, fork: bool = False, summarize: Callable[[Any], Any] | None = None) -> dict[str, Any]:
        """Run ``fn(setup())`` a few times (``setup`` untimed) and return the result record.

        ``limit`` (default ``--max-seconds``) is both the skip threshold for the extrapolated time and
        the time after which a run is stopped. ``after(value)`` gets the value of the last run (with
        ``fork``: ``summarize(value)``). With ``fork`` the runs happen in a forked copy of this process,
        killed at the limit: the way to stop a query running inside the store's native code."""
        cap = limit if limit is not None else (self.args.naive_max_seconds if side == "naive" else self.args.max_seconds)
        guess = self.predict(case, side)
        if guess is not None and guess[0] > cap:
            est, lower = guess
            self.history.setdefault((case, side), []).append((self.triples, est, "estimated"))
            return result("estimated", None, estimate=round(est, 3), lower_bound=lower,
                          note=f"not run: extrapolated {'≥ ' if lower else ''}{est:.0f} s > {cap:.0f} s")
        n = repeats or self.repeats(case)
        budget = min(budget, 5.0 if case.startswith("q:") else 15.0)
        if fork:
            outcome = in_fork(lambda emit: _repeat(fn, setup, n, budget, cap, self.label, summarize, emit=emit), cap)
        else:
            outcome = _repeat(fn, setup, n, budget, cap, self.label, summarize, keep=after is not None)
        status = outcome["status"]
        if status == "stopped":
            elapsed = outcome.get("elapsed") or cap
            self.history.setdefault((case, side), []).append((self.triples, elapsed, "stopped"))
            return result("stopped", None, lower_bound=True, estimate=round(elapsed, 3),
                          note=f"stopped after {elapsed:.1f} s", runs=outcome.get("runs") or None)
        if status == "error":
            return result("error", None, note=outcome["note"])
        if after is not None:
            after(outcome.get("value"))
        runs = outcome["runs"]
        med = statistics.median(runs)
        self.history.setdefault((case, side), []).append((self.triples, med, "ok"))
        return result("ok", round(med, 6), runs=[round(r, 6) for r in runs])


    def unavailable(self, case: str, side: str, why: str) -> dict[str, Any]:
        """A case that cannot run (its input was not made): extrapolated when it can be."""
        guess = self.predict(case, side)
        if guess is not None:
            self.history.setdefault((case, side), []).append((self.triples, guess[0], "estimated"))
            return result("estimated", None, estimate=round(guess[0], 3), lower_bound=guess[1],
                          note=f"not run ({why}): extrapolated")
        return result("skipped", None, note=why)


def _repeat(fn: Callable[[Any], Any], setup: Callable[[], Any] | None, n: int, budget: float, cap: float | None,
            label: str, summarize: Callable[[Any], Any] | None, keep: bool = True,
            emit: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    runs: list[float] = []
    value: Any = None
    for i in range(n):
        state = setup() if setup is not None else None
        value = None
        gc.collect()
        t0 = time.perf_counter()
        try:
            with time_limit(cap):
                value = fn(state)
        except Stopped:
            elapsed = time.perf_counter() - t0
            del state
            value = None
            gc.collect()
            return {"status": "stopped", "elapsed": elapsed, "runs": runs}
        except Exception as exc:  # a failing case is reported, the run goes on
            return {"status": "error", "note": f"{type(exc).__name__}: {exc}"[:500]}
        elapsed = time.perf_counter() - t0
        runs.append(elapsed)
        if emit is not None:
            emit({"run": elapsed})
        del state
        if sum(runs) > budget or (elapsed > 5 and label != "10k"):
            break
    out: dict[str, Any] = {"status": "ok", "runs": runs}
    if summarize is not None:
        out["value"] = summarize(value)
    elif keep:
        out["value"] = value
    return out


def in_fork(fn: Callable[[Callable[[dict[str, Any]], None]], dict[str, Any]], limit: float) -> dict[str, Any]:
    """``fn(emit)`` in a forked child that shares this process's data copy-on-write. The child sends
    each finished run (``emit``) and its result as JSON lines through a pipe; it is killed when no
    run finishes within ``limit`` seconds (the runs finished by then are kept)."""
    if not hasattr(os, "fork"):
        return fn(lambda _: None)
    sys.stdout.flush()
    sys.stderr.flush()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(r)

        def send(obj: dict[str, Any]) -> None:
            payload = (json.dumps(obj, default=str) + "\n").encode()
            while payload:
                payload = payload[os.write(w, payload):]
        try:
            send({"final": fn(send)})
        except BaseException as exc:  # noqa: BLE001  (everything goes back to the parent)
            send({"final": {"status": "error", "note": f"{type(exc).__name__}: {exc}"[:500]}})
        os._exit(0)
    os.close(w)
    runs: list[float] = []
    last = time.perf_counter()
    buffer = b""
    final: dict[str, Any] | None = None
    try:
        while final is None:
            left = limit - (time.perf_counter() - last)
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                if runs:
                    return {"status": "ok", "runs": runs, "value": None}
                return {"status": "stopped", "elapsed": time.perf_counter() - last}
            ready, _, _ = select.select([r], [], [], left)
            if not ready:
                continue
            chunk = os.read(r, 1 << 16)
            if not chunk:
                break
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                msg = json.loads(line)
                if "run" in msg:
                    runs.append(msg["run"])
                    last = time.perf_counter()
                else:
                    final = msg["final"]
    finally:
        os.close(r)
        os.waitpid(pid, 0)
    if final is None:
        return {"status": "error", "note": "the forked run died without an answer"}
    return final


def io_module() -> Any:
    """portlod's export/load module (``portlod.formats``; ``portlod.export`` in earlier versions)."""
    import importlib

    for name in ("portlod.formats", "portlod.export"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "load") and hasattr(module, "FILENAMES"):
            return module
    raise ImportError("portlod has neither portlod.formats nor portlod.export with export() and load()")


# -- memory (fresh processes) ---------------------------------------------------------------------

def _rss() -> int:
    try:
        import psutil

        return int(psutil.Process().memory_info().rss)
    except ImportError:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS counter (VmHWM) of this process, where Linux allows it."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _peak() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child_memory(kind: str, size: str, file: str | None, codes: str) -> dict[str, Any]:
    """One memory case, run in a fresh process: RSS held after the data set is made (and
    ``gc.collect()``) and the peak while making it, both above the RSS just before."""
    if kind == "portlod-build":
        import portlod
        from bench.generate import generate

        gen = generate(size, codes=codes)
        make: Callable[[], Any] = lambda: portlod.build(gen.sources)  # noqa: E731
    elif kind.startswith("portlod-load-"):
        px = io_module()

        make = lambda: px.load(file, kind.rsplit("-", 1)[1])  # type: ignore[arg-type]  # noqa: E731
    elif kind == "naive-load-nq":
        import rdflib

        make = lambda: rdflib.Dataset().parse(file, format="nquads")  # noqa: E731
    elif kind == "naive-load-nt":
        import rdflib

        make = lambda: rdflib.Graph().parse(file, format="nt")  # noqa: E731
    else:
        raise SystemExit(f"unknown memory case {kind}")
    gc.collect()
    base = _rss()
    exact_peak = _reset_peak()
    t0 = time.perf_counter()
    data = make()
    seconds = time.perf_counter() - t0
    gc.collect()
    held = _rss() - base
    peak = _peak() - base
    return {"kind": kind, "baseline": base, "held": held, "peak": peak, "exact_peak": exact_peak,
            "seconds": seconds, "size": len(data.store) if hasattr(data, "store") else len(data)}


def run_child(kind: str, size: str, file: Path | None, codes: str, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--size", size, "--codes", codes]
    if file is not None:
        cmd += ["--file", str(file)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"})
    except subprocess.TimeoutExpired:
        return result("stopped", None, note=f"stopped after {timeout:.0f} s")
    if done.returncode != 0:
        return result("error", None, note=done.stderr.strip()[-500:])
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return result("ok", round(data["seconds"], 3), held_bytes=data["held"], peak_bytes=data["peak"],
                  baseline_bytes=data["baseline"], exact_peak=data["exact_peak"], items=data["size"])


# -- profiles -----------------------------------------------------------------------------------------

def profile(fn: Callable[[], Any], top: int = 18) -> dict[str, Any]:
    prof = cProfile.Profile()
    gc.collect()
    t0 = time.perf_counter()
    prof.enable()
    try:
        fn()
    finally:
        prof.disable()
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof)
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{_short_path(file)}:{line}({func})", "ncalls": nc, "tottime": round(tt, 4),
                     "cumtime": round(ct, 4)})
    by_tot = sorted(rows, key=lambda r: -r["tottime"])[:top]
    ours = sorted((r for r in rows if "portlod/" in r["function"] and "bench/" not in r["function"]),
                  key=lambda r: -r["cumtime"])[:top]
    return {"wall_seconds_under_profile": round(wall, 3), "by_tottime": by_tot, "portlod_by_cumtime": ours}


def _short_path(file: str) -> str:
    for marker in ("site-packages/", "/src/", "lib/python3"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


# -- the benchmark of one size --------------------------------------------------------------------

def question_cases(samples: dict[str, str]) -> list[tuple[str, str, dict[str, str], str]]:
    """(case, question, parameters, kind): kind is ``lookup`` (target ≤ 1 ms) or ``join`` /
    ``aggregate`` (target ≤ 100 ms)."""
    return [
        ("q:resolve", "resolve", {"name": samples["name"]}, "lookup"),
        ("q:signatories", "signatories", {"agreement": samples["agreement"]}, "lookup"),
        ("q:according-to", "according-to", {"subject": f"agreement/{samples['agreement']}"}, "lookup"),
        ("q:single-source", "single-source", {"subject": f"agreement/{samples['agreement']}"}, "lookup"),
        ("q:agreements", "agreements", {"org": samples["org"], "year": samples["year"]}, "join"),
        ("q:partners", "partners", {"port": samples["port"]}, "join"),
        ("q:corridors", "corridors", {"port": samples["port"]}, "join"),
        ("q:timeline", "timeline", {"port": samples["port"]}, "join"),
        ("q:theme", "theme", {"theme": "Decarbonization", "kind": "agreement"}, "aggregate"),
        ("q:conflicts", "conflicts", {}, "aggregate"),
        # what a user asks: where the sources disagree about one resource (an agreement they disagree on)
        ("q:conflicts-subject", "conflicts",
         {"subject": samples.get("conflict", f"initiative/{samples['corridor']}")}, "lookup"),
    ]


def bench_size(size: str, runner: Runner, args: argparse.Namespace, work: Path,
               profiles: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph as ox
    import pyshacl
    import rdflib

    import portlod
    from bench.generate import generate
    from portlod import jsonld
    from portlod import queries
    from portlod.build import Builder, check_or_raise
    from portlod.dataset import INFERRED_GRAPH, to_rdflib_term
    from portlod.queries._backend import LocalBackend, Table
    from portlod.queries._backend import bound as with_values
    from portlod.queries._registry import prologue, unordered
    from portlod.queries._run import _exact_table, bind, narrower_closure
    from portlod.resources import path as resource_path
    from portlod.validate import _schemes, _shapes

    px = io_module()
    log = args.log
    out: dict[str, Any] = {"cases": {}}
    cases: dict[str, dict[str, Any]] = out["cases"]
    take_profiles = args.profile and size == args.profile_at

    def record(case: str, side: str, rec: dict[str, Any], **info: Any) -> None:
        entry = cases.setdefault(case, {})
        entry[side] = rec
        entry.update({k: v for k, v in info.items() if v is not None})
        shown = fmt_rec(rec)
        log(f"  {case:<24} {side:<8} {shown}")

    def maybe_profile(case: str, fn: Callable[[], Any], seconds: float | None) -> None:
        if take_profiles and seconds is not None and seconds * 2.5 < args.profile_max_seconds:
            profiles[case] = {"size": size, **profile(fn)}

    # -- records ----------------------------------------------------------------------------------
    t0 = time.perf_counter()
    gen = generate(size, codes=args.codes)
    gen_seconds = time.perf_counter() - t0
    documents = len(gen.sources.documents)

    # -- build ------------------------------------------------------------------------------------
    holder: dict[str, Any] = {}
    runner.triples = max(1, int(gen.target))
    rec = runner.run("build", "portlod", lambda _: portlod.build(gen.sources), after=lambda v: holder.update(ds=v))
    ds = holder.get("ds") or portlod.build(gen.sources)
    quads = len(ds.store)
    union = ds.union()
    triples = len(union)
    runner.triples = triples
    if runner.history.get(("build", "portlod")):
        runner.history[("build", "portlod")][-1] = (triples, *runner.history[("build", "portlod")][-1][1:])
    out.update({"size": size, "ports": gen.ports, "documents": documents, "quads": quads, "triples": triples,
                "fact_graphs": len(ds.fact_graphs()), "codes": gen.codes, "generate_seconds": round(gen_seconds, 3)})
    log(f"{size}: {gen.ports} ports, {documents} documents, {quads} quads, {triples} triples, "
        f"{out['fact_graphs']} fact graphs (records made in {gen_seconds:.1f} s)")
    record("build", "portlod", rec)

    # where the build time goes (one run each; info)
    gc.collect()
    t0 = time.perf_counter()
    checked = check_or_raise(gen.sources)
    t1 = time.perf_counter()
    built = list(Builder().nquads(checked))
    t2 = time.perf_counter()
    store = ox.Store()
    for text in built:
        store.load(input=text, format=ox.RdfFormat.N_QUADS, lenient=True)
    t3 = time.perf_counter()
    del built, store, checked
    gc.collect()
    # portlod.build runs the last two side by side (the store loads a piece while the next is made)
    cases["build"]["portlod_breakdown"] = {"check_or_raise": round(t1 - t0, 3), "Builder.nquads": round(t2 - t1, 3),
                                           "Store.load": round(t3 - t2, 3)}
    log(f"  {'':<24} {'':<8} breakdown: check {t1 - t0:.3f} s, Builder.nquads {t2 - t1:.3f} s, "
        f"Store.load {t3 - t2:.3f} s")
    maybe_profile("build", lambda: portlod.build(gen.sources), rec.get("seconds"))

    # -- named questions, portlod's side ----------------------------------------------------------
    # Asked before the naive data sets exist: in forks of a process that holds the records and
    # portlod's data set, as a user's process holds its data set. A fork of the process holding
    # the rdflib graphs as well made theme at 1M ≈ 100 ms slower (copy-on-write pages of a heap
    # of gigabytes), a cost of this bench, not of portlod.
    gc.collect()
    gc.freeze()
    backend = LocalBackend(ds.store)
    asked: list[tuple[str, str, str, list[dict[str, Any]]]] = []
    for case, name, params, shape in question_cases(gen.samples):
        try:
            q = queries.question(name)
            bound = bind(backend, q, params)
        except Exception as exc:
            record(case, "portlod", result("error", None, note=f"{type(exc).__name__}: {exc}"[:300]))
            continue
        rows: dict[str, int] = {}
        rec = runner.run(case, "portlod", lambda _, n=name, p=params: queries.ask(ds, n, **p),
                         limit=args.query_limit, fork=True, summarize=len, after=lambda v: rows.update(rows=v))
        text = prologue() + q.text
        fan = [p for p in q.parameters if p.narrower and p.name in bound]
        bindings = [bound] if not fan else [{**bound, fan[0].name: ox.NamedNode(t)}
                                            for t in narrower_closure(bound[fan[0].name].value)]

        # the query as ask() sends it: parameters as VALUES blocks (the planner sees them, unlike
        # `substitutions`), narrower themes as one table, a name's exact spellings tried first
        if fan:  # (without its ORDER BY: Python sorts the rows)
            table = Table((fan[0].name,), tuple((ox.NamedNode(x),) for x in narrower_closure(bound[fan[0].name].value)))
            sparql = with_values(unordered(q), {k: v for k, v in bound.items() if k != fan[0].name}, table)
        else:
            sparql = with_values(text, bound, _exact_table(q, bound))

        def raw(_: Any, s: str = sparql) -> int:
            return len(list(ds.store.query(s)))

        raw_rec = (result("skipped", None, note="not run with --quick") if args.quick else
                   runner.run(case + ":sparql", "portlod", raw, limit=args.query_limit, fork=True, summarize=int))
        record(case, "portlod", rec, kind=shape, question=name, params=params, rows=rows.get("rows"),
               sparql_only=raw_rec)
        maybe_profile(case, lambda n=name, p=params: queries.ask(ds, n, **p), rec.get("seconds"))
        asked.append((case, name, text, bindings))

    # -- validation, portlod's side (as the questions: before the naive data sets exist) ---------
    # (in the process holding the rdflib graphs as well, incremental validation at 1M took
    # 60–91 ms over two runs; in one holding portlod's data set only, ≈ 45 ms)
    changed = list(gen.change_candidates[:100])
    report: dict[str, Any] = {}
    rec = runner.run("validate_incremental", "portlod",
                     lambda _: portlod.validate(ds, resources=changed), after=lambda v: report.update(r=v))
    r_incr = report.get("r")
    record("validate_incremental", "portlod", rec, resources=len(changed),
           covered=len(r_incr.focus) if r_incr is not None and r_incr.focus is not None else None,
           results=len(r_incr.results) if r_incr is not None else None)
    maybe_profile("validate_incremental", lambda: portlod.validate(ds, resources=changed), rec.get("seconds"))
    report.clear()
    rec = runner.run("validate_full", "portlod", lambda _: portlod.validate(ds), after=lambda v: report.update(r=v))
    r_full = report.get("r")
    record("validate_full", "portlod", rec, conforms=r_full.conforms if r_full is not None else None,
           results=len(r_full.results) if r_full is not None else None)
    maybe_profile("validate_full", lambda: portlod.validate(ds), rec.get("seconds"))
    del r_full, r_incr, report
    gc.unfreeze()  # the naive builds run with the GC as a user has it (frozen again after them)

    # naive build: the same triples as rdflib terms (converted before the clock starts)
    t0 = time.perf_counter()
    memo: dict[Any, Any] = {}

    def term(t: Any) -> Any:  # each distinct term converted once, and shared (as a builder would)
        r = memo.get(t)
        if r is None:
            r = memo[t] = to_rdflib_term(t)
        return r

    rl_triples = [(term(t.subject), term(t.predicate), term(t.object)) for t in union]
    rl_quads = [(term(q.subject), term(q.predicate), term(q.object), rdflib.URIRef(q.graph_name.value))
                for q in ds.store if isinstance(q.graph_name, ox.NamedNode)]
    convert_seconds = time.perf_counter() - t0
    del memo
    del union

    def graph_add(_: Any) -> rdflib.Graph:
        g = rdflib.Graph()
        add = g.add
        for t in rl_triples:
            add(t)
        return g

    def dataset_add(_: Any) -> rdflib.Dataset:
        d = rdflib.Dataset()
        add = d.add
        for q in rl_quads:
            add(q)
        return d

    naive: dict[str, Any] = {}
    # the naive builds are the input of every other naive case: held to portlod's limit
    rec = runner.run("build", "naive", graph_add, after=lambda v: naive.update(graph=v), limit=args.max_seconds)
    record("build", "naive", rec, naive_convert_seconds=round(convert_seconds, 3))
    rec = runner.run("build_dataset", "naive", dataset_add, after=lambda v: naive.update(dataset=v),
                     limit=args.max_seconds)
    record("build_dataset", "naive", rec)
    cases["build_dataset"]["portlod"] = cases["build"]["portlod"]
    del rl_triples, rl_quads
    # From here on the cyclic GC ignores what exists now (records, data set, rdflib graphs): a
    # collection would otherwise walk millions of rdflib objects during every later run, portlod's
    # included, and in every forked copy (copying their pages).
    gc.collect()
    gc.freeze()
    graph: rdflib.Graph | None = naive.get("graph")
    dataset: rdflib.Dataset | None = naive.get("dataset")

    # -- export and load --------------------------------------------------------------------------
    pdir = work / f"{size}-portlod"
    ndir = work / f"{size}-naive"
    ndir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for fmt in FORMATS:
        rec = runner.run(f"export_{fmt}", "portlod", lambda _, f=fmt: px.export(ds, pdir, formats=[f]))
        files[fmt] = pdir / px.FILENAMES[fmt]
        size_bytes = files[fmt].stat().st_size if files[fmt].exists() else None
        record(f"export_{fmt}", "portlod", rec, file_bytes=size_bytes)
        maybe_profile(f"export_{fmt}", lambda f=fmt: px.serialize(ds, f), rec.get("seconds"))
        source = dataset if fmt in QUAD_FORMATS else graph
        if source is None:
            record(f"export_{fmt}", "naive", runner.unavailable(f"export_{fmt}", "naive", "no naive graph"))
            continue
        target = ndir / px.FILENAMES[fmt]
        rec = runner.run(f"export_{fmt}", "naive",
                         lambda _, f=fmt, s=source, t=target: s.serialize(destination=str(t), format=RDFLIB_FORMATS[f],
                                                                           encoding="utf-8"))
        record(f"export_{fmt}", "naive", rec)
    # JSON-LD for rdflib: portlod's file with the context inlined (rdflib would fetch the URL)
    inlined = work / f"{size}-portlod.inline.jsonld"
    if files["jsonld"].exists():
        inlined.write_bytes(jsonld.inline_context(files["jsonld"].read_bytes()))
    # memory, each case in a fresh process; the naive N-Triples and N-Quads parses there are also
    # the naive load_nt / load_nq times (rdflib parsing is slow: not done twice)
    memory = run_memory(runner, args, size, triples, files, record)
    for fmt in FORMATS:
        if not files[fmt].exists():
            record(f"load_{fmt}", "portlod", result("skipped", None, note="export failed"))
            continue
        rec = runner.run(f"load_{fmt}", "portlod", lambda _, f=fmt: px.load(files[f], f))
        record(f"load_{fmt}", "portlod", rec)
        maybe_profile(f"load_{fmt}", lambda f=fmt: px.load(files[f], f), rec.get("seconds"))
        if fmt in ("nt", "nq"):
            child = dict(memory.get(f"memory_load_{fmt}", {}).get("naive") or result("skipped", None))
            for key in ("held_bytes", "peak_bytes", "baseline_bytes", "exact_peak", "items"):
                child.pop(key, None)
            if child.get("status") == "ok":
                child["note"] = "one run, in the fresh process of memory_load_" + fmt
            record(f"load_{fmt}", "naive", child)
            continue
        path = inlined if fmt == "jsonld" else files[fmt]
        kind: Callable[[], rdflib.Graph] = rdflib.Dataset if fmt in QUAD_FORMATS else rdflib.Graph
        rec = runner.run(f"load_{fmt}", "naive",
                         lambda _, f=fmt, p=path, k=kind: k().parse(str(p), format=RDFLIB_FORMATS[f]))
        record(f"load_{fmt}", "naive", rec)

    # -- named questions, the naive side --------------------------------------------------------
    for case, name, text, bindings in asked:
        if dataset is None:
            record(case, "naive", runner.unavailable(case, "naive", "no naive data set"))
            continue
        if args.quick and name not in QUICK_NAIVE_QUESTIONS:
            record(case, "naive", result("skipped", None, note="not run with --quick"))
            continue
        rl_bindings = [{rdflib.Variable(k): to_rdflib_term(v) for k, v in b.items()} for b in bindings]

        def naive_q(_: Any, t: str = text, bs: list[dict[Any, Any]] = rl_bindings) -> int:
            n = 0
            for b in bs:
                n += len(list(dataset.query(t, initBindings=b)))  # type: ignore[union-attr]
            return n

        naive_rows: dict[str, int] = {}
        rec = runner.run(case, "naive", naive_q, limit=args.naive_query_limit, fork=True, summarize=int,
                         after=lambda v: naive_rows.update(rows=v))
        record(case, "naive", rec, naive_rows=naive_rows.get("rows"))

    # -- validation, the naive side (portlod's ran before the naive data sets existed) -------------
    shapes = _shapes(resource_path("shapes"))
    vgraph: rdflib.Graph | None = None
    if graph is not None:
        vgraph = graph
        for t in _schemes():
            vgraph.add(t)
    if vgraph is not None:
        focus = [rdflib.URIRef(x) for x in changed]
        rec = runner.run("validate_incremental", "naive",
                         lambda _: pyshacl.validate(vgraph, shacl_graph=shapes, inference="none", allow_warnings=True,
                                                    allow_infos=True, focus_nodes=focus))
        record("validate_incremental", "naive", rec)
    else:
        record("validate_incremental", "naive", runner.unavailable("validate_incremental", "naive", "no naive graph"))
    if vgraph is not None:
        nres: dict[str, Any] = {}
        rec = runner.run("validate_full", "naive",
                         lambda _: pyshacl.validate(vgraph, shacl_graph=shapes, inference="none", allow_warnings=True,
                                                    allow_infos=True),
                         after=lambda v: nres.update(conforms=v[0]))
        record("validate_full", "naive", rec, naive_conforms=nres.get("conforms"))
    else:
        record("validate_full", "naive", runner.unavailable("validate_full", "naive", "no naive graph"))

    # -- reasoning --------------------------------------------------------------------------------
    def reason_once(_: Any) -> int:
        portlod.reason(ds)
        n = sum(1 for _ in ds.store.quads_for_pattern(None, None, None, INFERRED_GRAPH))
        return n

    inferred: dict[str, int] = {}
    rec = runner.run("reason", "portlod", reason_once, after=lambda v: inferred.update(n=v))
    record("reason", "portlod", rec, inferred=inferred.get("n"))
    maybe_profile("reason", lambda: portlod.reason(ds), rec.get("seconds"))
    if ds.store.contains_named_graph(INFERRED_GRAPH):
        ds.store.remove_graph(INFERRED_GRAPH)
    dataset = None
    naive.pop("dataset", None)
    gc.collect()
    if graph is not None:
        import owlrl

        ontology = [(to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object))
                    for t in ox.parse(path=resource_path("ontology"), format=ox.RdfFormat.TURTLE)]

        def fresh_copy() -> rdflib.Graph:
            g = rdflib.Graph()
            for t in graph:  # type: ignore[union-attr]
                g.add(t)
            for t in ontology:
                g.add(t)
            return g

        closure: dict[str, int] = {}
        guess = runner.predict("reason", "naive")
        setup = fresh_copy if guess is None or guess[0] <= args.naive_max_seconds else None
        rec = runner.run("reason", "naive",
                         lambda g: (owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g), len(g))[1],
                         setup=setup, after=lambda v: closure.update(n=v))
        record("reason", "naive", rec, naive_closure_triples=closure.get("n"))
    else:
        record("reason", "naive", runner.unavailable("reason", "naive", "no naive graph"))
    graph = vgraph = None
    naive.clear()
    gc.unfreeze()
    gc.collect()

    ds = None  # type: ignore[assignment]
    gc.collect()
    if not args.keep_files:
        shutil.rmtree(pdir, ignore_errors=True)
        shutil.rmtree(ndir, ignore_errors=True)
        inlined.unlink(missing_ok=True)
    return out


def run_memory(runner: Runner, args: argparse.Namespace, size: str, triples: int, files: dict[str, Path],
               record: Callable[..., None]) -> dict[str, dict[str, Any]]:
    """The memory cases, each in a fresh process (in parallel with ``--quick``)."""
    jobs = []
    for case, (pkind, nkind) in MEMORY_CASES.items():
        fmt = case.rsplit("_", 1)[1]
        file = files.get(fmt) if case.startswith("memory_load_") else None
        jobs.append((case, "portlod", pkind, file))
        if nkind:
            jobs.append((case, "naive", nkind, file))
    out: dict[str, dict[str, Any]] = {}

    def one(job: tuple[str, str, str, Path | None]) -> dict[str, Any]:
        case, side, kind, file = job
        guess = runner.predict(case, side)
        # the naive N-Triples parse is the headline memory comparison: it runs up to --max-seconds;
        # the naive N-Quads parse is held to the naive limit like the other naive cases
        limit = args.naive_max_seconds if kind == "naive-load-nq" else args.max_seconds
        if guess is not None and guess[0] > limit:
            return result("estimated", None, estimate=round(guess[0], 1), lower_bound=guess[1],
                          note=f"not run: extrapolated {guess[0]:.0f} s > {limit:.0f} s")
        if file is not None and not file.exists():
            return result("skipped", None, note=f"{file.name} was not exported")
        return run_child(kind, size, file, args.codes, timeout=args.max_seconds + 120)

    if args.quick:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            recs = list(pool.map(one, jobs))
    else:
        recs = [one(job) for job in jobs]
    for (case, side, _, _), rec in zip(jobs, recs):
        if rec["status"] == "ok":
            runner.history.setdefault((case, side), []).append((triples, rec["seconds"], "ok"))
        elif rec["status"] == "estimated":
            runner.history.setdefault((case, side), []).append((triples, rec["estimate"], "estimated"))
        out.setdefault(case, {})[side] = rec
        record(case, side, rec)
    return out


def seed_cold(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """``python -m portlod build data -o DIR`` (build, validate, reason, export every format) in a
    cold process: wall time of the whole process, median of a few runs."""
    runs = []
    note = None
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for i in range(1 if args.quick else 3):
        out = work / f"seed-{i}"
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "portlod", "build", str(ROOT / "data"), "-o", str(out)],
                              capture_output=True, text=True, cwd=str(ROOT), env=env, timeout=300)
        elapsed = time.perf_counter() - t0
        shutil.rmtree(out, ignore_errors=True)
        if done.returncode not in (0, 1):
            note = f"exit {done.returncode}: {done.stderr.strip()[-400:]}"
            return result("error", None, note=note)
        runs.append(elapsed)
    return result("ok", round(statistics.median(runs), 3), runs=[round(r, 3) for r in runs])


# -- machine and versions -------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    cpu = platform.processor() or "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 1024 ** 2, 1)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": cores, "ram_gib": ram, "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "hostname": platform.node()}


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    import portlod

    out = {"portlod": portlod.__version__}
    for name in ("pyoxigraph", "rdflib", "pyshacl", "owlrl", "psutil"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_describe() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return head + ("+uncommitted changes" if dirty else "") if head else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


# -- main ---------------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", action="append", choices=SIZES, help="size to run (repeatable; default: all three)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: one repetition, synthetic codes, naive cases and questions stopped early, "
                        "no profiles")
    p.add_argument("--repeat", type=int, help="repetitions per case (default: 5 at 10k, 3/1 at 100k, 1 at 1M)")
    p.add_argument("--max-seconds", type=float, default=None,
                   help="skip rule for portlod's cases: predicted above this, not run; running longer, stopped "
                        "(default 300; 10 with --quick)")
    p.add_argument("--naive-max-seconds", type=float, default=None,
                   help="the same for the naive stack's cases (default 60; 0.5 with --quick; the issue's rule "
                        "is 600, which does not fit in 30 minutes: see bench/README.md)")
    p.add_argument("--naive-query-limit", type=float, default=None,
                   help="the same for the naive stack's questions (default 5; 0.5 with --quick)")
    p.add_argument("--query-limit", type=float, default=None,
                   help="skip (by extrapolation) or stop a question, portlod's or rdflib's, after this many "
                        "seconds (default 20; 2 with --quick)")
    p.add_argument("--codes", choices=("auto", "real", "synthetic"), default=None,
                   help="UN/LOCODE codes of the generated ports (default auto; synthetic with --quick)")
    p.add_argument("--json", type=Path, help="where to write the results (default bench/results.json, "
                                              "bench/results-quick.json with --quick)")
    p.add_argument("--markdown", type=str, default=None,
                   help="where to write the markdown report ('none' for nowhere; default bench/RESULTS.md "
                        "after a full run of all sizes, nowhere otherwise)")
    p.add_argument("--no-profile", dest="profile", action="store_false", help="no cProfile of portlod's cases")
    p.add_argument("--profile-size", choices=SIZES, default="100k",
                   help="portlod's cases are profiled at the largest size run up to this one (default 100k)")
    p.add_argument("--profile-max-seconds", type=float, default=60.0,
                   help="profile a case only when 2.5× its median stays under this (default 60)")
    p.add_argument("--from-json", type=Path, metavar="JSON",
                   help="do not measure: re-judge the targets and rewrite the markdown report from the results "
                        "of an earlier run (--markdown, default bench/RESULTS.md)")
    p.add_argument("--keep-files", action="store_true", help="keep the exported files in the work folder")
    p.add_argument("--work", type=Path, help="work folder for exported files (default: a temporary folder)")
    p.add_argument("--no-seed", dest="seed", action="store_false", help="skip the cold-process seed run")
    # internal: one memory case in a fresh process
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--file", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.quick:
        args.profile = False
    args.max_seconds = args.max_seconds if args.max_seconds is not None else (10.0 if args.quick else 300.0)
    args.query_limit = args.query_limit if args.query_limit is not None else (2.0 if args.quick else 20.0)
    args.naive_max_seconds = (args.naive_max_seconds if args.naive_max_seconds is not None
                              else (0.5 if args.quick else 60.0))
    args.naive_query_limit = (args.naive_query_limit if args.naive_query_limit is not None
                              else (0.5 if args.quick else 5.0))
    args.codes = args.codes or ("synthetic" if args.quick else "auto")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        sizes = args.size or ["10k"]
        print(json.dumps(child_memory(args.child, sizes[0], args.file, args.codes)))
        return 0
    if args.from_json:
        data = json.loads(args.from_json.read_text(encoding="utf-8"))
        data["targets"] = evaluate_targets(data)
        _write_json(args.from_json, data)
        target = Path(args.markdown) if args.markdown and args.markdown.lower() != "none" else ROOT / "bench" / "RESULTS.md"
        target.write_text(markdown(data), encoding="utf-8")
        print(f"{target} rewritten from {args.from_json}")
        return 0
    sizes = [s for s in SIZES if s in (args.size or SIZES)]
    full = sizes == list(SIZES) and not args.quick
    json_path = args.json or (ROOT / "bench" / ("results-quick.json" if args.quick else
                                                "results.json" if full else f"results-{'-'.join(sizes)}.json"))
    md_path: Path | None
    if args.markdown is None:
        md_path = ROOT / "bench" / "RESULTS.md" if full else None
    else:
        md_path = None if args.markdown.lower() == "none" else Path(args.markdown)

    def log(text: str) -> None:
        print(text, flush=True)

    args.log = log
    # profiles at one size: the largest size run up to --profile-size
    args.profile_at = max((s for s in sizes if SIZES.index(s) <= SIZES.index(args.profile_size)),
                          key=SIZES.index, default=None)
    started = time.perf_counter()
    data: dict[str, Any] = {
        "command": "python bench/run.py" + ("" if argv is None and len(sys.argv) == 1 else " " + " ".join(argv if argv is not None else sys.argv[1:])),
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "git": git_describe(), "machine": machine(), "versions": versions(), "quick": args.quick,
        "settings": {"max_seconds": args.max_seconds, "naive_max_seconds": args.naive_max_seconds,
                     "query_limit": args.query_limit, "naive_query_limit": args.naive_query_limit,
                     "codes": args.codes, "repeat": args.repeat},
        "sizes": {}, "profiles": {},
    }
    log(f"portlod bench: sizes {', '.join(sizes)}{' (quick)' if args.quick else ''}; "
        f"{data['machine']['cores']} cores, Python {data['machine']['python']}")
    runner = Runner(args)
    work_ctx = contextlib.nullcontext(args.work) if args.work else tempfile.TemporaryDirectory(prefix="portlod-bench-")
    with work_ctx as work_dir:
        work = Path(work_dir)
        work.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            runner.label = size
            data["sizes"][size] = bench_size(size, runner, args, work, data["profiles"])
            _write_json(json_path, data)  # partial results survive an interrupted run
        if args.seed:
            data["seed_cold"] = seed_cold(args, work)
            log(f"seed data set, cold process: {fmt_rec(data['seed_cold'])}")
            if args.profile and data["seed_cold"].get("seconds") and data["seed_cold"]["seconds"] >= 2.0:
                data["profiles"]["seed_cold"] = _profile_seed(work)
    data["targets"] = evaluate_targets(data)
    data["run_seconds"] = round(time.perf_counter() - started, 1)
    _write_json(json_path, data)
    log("")
    log(tables(data))
    log("")
    for t in data["targets"]:
        met = "–" if t["met"] is None else ("met" if t["met"] else "MISSED")
        log(f"  [{met:>6}] {t['target']} @ {t['size']}: {t['measured']}")
    log(f"\nresults: {json_path}" + (f", {md_path}" if md_path else "") + f" ({data['run_seconds'] / 60:.1f} min)")
    if md_path is not None:
        md_path.write_text(markdown(data), encoding="utf-8")
    return 0


def _profile_seed(work: Path) -> dict[str, Any]:
    """Profile the seed job in this (warm) process: build + validate + reason + export."""
    from portlod.pipeline import publish

    out = work / "seed-profile"
    try:
        return {"size": "seed", **profile(lambda: publish(ROOT / "data", out))}
    except Exception as exc:  # the pipeline is being written by others; a profile is optional
        return {"size": "seed", "error": f"{type(exc).__name__}: {exc}", "wall_seconds_under_profile": 0,
                "by_tottime": [], "portlod_by_cumtime": []}
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


if __name__ == "__main__":
    raise SystemExit(main())
