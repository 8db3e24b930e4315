"""The build flags where sources can disagree (pl:sourcesDifferOn), and the conflicts question
reads only those: its answers must be those of a scan of every statement."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

import portlod
from portlod._accounts import NOT_COMPARED, Accounts, Prints, state
from portlod._nquads import PL, V
from portlod.build import Builder
from portlod.records import SourceSet
from portlod.queries._backend import LocalBackend
from portlod.queries._derive import derive
from portlod.queries._registry import get, internal, prepared

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/portlod/id/"
DIFFER_ON = ox.NamedNode(PL + "sourcesDifferOn")


def full_scan() -> str:
    """The question as it was before the build flagged pl:sourcesDifferOn: a scan of every
    statement, still asked of data without the flags (see test_queries_unflagged.py)."""
    return prepared(internal("_conflicts-scan"))


def _flags(ds: portlod.Dataset) -> set[tuple[str, str]]:
    return {(q.subject.value, q.object.value) for q in ds.store.quads_for_pattern(None, DIFFER_ON, None)}


def _answer(ds: portlod.Dataset, text: str) -> set[frozenset[tuple[str, object]]]:
    """The solutions of the question's query and derive step (before labels and rows)."""
    _, solutions = LocalBackend(ds.store).select(text, {})
    return {frozenset(s.items()) for s in derive(get("conflicts").derive, solutions, {})}


# -- the accounts, alone -----------------------------------------------------------------------

S, P, Q = "<s>", "<p>", "<q>"


def _noted(*graphs: tuple[str, dict[tuple[str, str], tuple[str, ...]]]) -> list[tuple[str, str]]:
    accounts = Accounts()
    for source, stated in graphs:
        accounts.note_graph(source, {key: set(values) for key, values in stated.items()})
    return accounts.differing()


def test_sources_that_say_the_same_are_not_flagged() -> None:
    assert _noted(("a", {(S, P): ("<x>",)}), ("b", {(S, P): ("<x>",)}), ("a", {(S, P): ("<x>",)})) == []


def test_sources_that_give_other_values_are_flagged() -> None:
    assert _noted(("a", {(S, P): ("<x>",), (S, Q): ("1",)}), ("b", {(S, P): ("<y>",), (S, Q): ("1",)})) == [(S, P)]


def test_a_source_that_adds_a_value_is_flagged() -> None:
    assert _noted(("a", {(S, P): ("<x>",)}), ("b", {(S, P): ("<x>", "<y>")})) == [(S, P)]


def test_a_value_spread_over_graphs_of_one_source_is_flagged_once_another_source_states_it() -> None:
    """a says x in one paragraph and y in another; b says x: a's set {x, y} differs from b's."""
    assert _noted(("a", {(S, P): ("<x>",)}), ("b", {(S, P): ("<x>",)}), ("a", {(S, P): ("<y>",)})) == [(S, P)]


def test_a_statement_written_twice_in_a_graph_counts_once() -> None:
    """A graph that names a membership twice (a signatory who is also quoted) states its facts
    once: the store keeps one copy. (They were flagged as differing from a graph naming it once.)"""
    once: Prints = {}
    twice: Prints = {}
    state(once, (S, P), "<x>")
    state(twice, (S, P), "<x>")
    state(twice, (S, P), "<x>")
    accounts = Accounts()
    accounts.note_graph("a", once)
    accounts.note_graph("b", twice)
    assert accounts.differing() == []


def test_one_source_alone_is_never_flagged() -> None:
    assert _noted(("a", {(S, P): ("<x>",)}), ("a", {(S, P): ("<y>",)})) == []


# -- the seed data -------------------------------------------------------------------------------

def test_seed_flags_the_properties_the_articles_disagree_on(seed_dataset: portlod.Dataset) -> None:
    flags = _flags(seed_dataset)
    yokohama = ID + "agreement/2023-03-16-pola-yokohama-mou"
    assert (yokohama, PL + "signedOn") in flags  # "early March 2023" against 16 March 2023
    assert (yokohama, PL + "theme") in flags
    # the two articles name Gene Seroka's role alike: his membership has nothing to compare
    seroka = ID + "membership/gene-seroka--port-of-los-angeles--executive-director"
    assert not {p for s, p in flags if s == seroka} - {PL + "attestedOn"}
    # how a source words things is never flagged
    assert not {p for _, p in flags} & {V[name][1:-1] for name in NOT_COMPARED}


def test_flags_are_in_the_metadata_graph(seed_dataset: portlod.Dataset) -> None:
    graphs = {q.graph_name for q in seed_dataset.store.quads_for_pattern(None, DIFFER_ON, None)}
    assert graphs == {ox.NamedNode(ID + "graph/sources")}


def test_not_compared_is_the_list_of_the_question() -> None:
    text = (ROOT / "src" / "portlod" / "queries" / "conflicts.rq").read_text(encoding="utf-8")
    listed = re.findall(r"FILTER\(\?predicate NOT IN \(([^)]*)\)\)", text)
    assert len(listed) == 4  # one per branch of alternative accounts
    for names in listed:
        assert sorted(n.strip().removeprefix("pl:") for n in names.split(",")) == sorted(NOT_COMPARED)


@pytest.mark.parametrize("data", ["seed", "generated"])
def test_conflicts_answers_as_a_scan_of_every_statement(data: str, request: pytest.FixtureRequest) -> None:
    ds = request.getfixturevalue("seed_dataset" if data == "seed" else "generated")
    scanned = _answer(ds, full_scan())
    assert scanned, "the data set has disagreements to find"
    assert _answer(ds, prepared(get("conflicts"))) == scanned


def _long_beach_in_new_york(seed: SourceSet) -> SourceSet:
    """The seed sources with the registry giving Long Beach a subdivision the UN/LOCODE list does not."""
    registries = tuple(
        dataclasses.replace(reg, ports=tuple(dataclasses.replace(p, subdivision="NY") if p.code == "USLGB" else p
                                             for p in reg.ports))
        for reg in seed.registries)
    return SourceSet(registries, seed.documents, (), seed.locodes)


def test_the_code_list_is_a_source_that_can_disagree(seed_sources: SourceSet) -> None:
    """The code list's own facts are noted like any source's (else the question would miss this)."""
    ds = portlod.build(_long_beach_in_new_york(seed_sources))
    assert (ID + "port/USLGB", PL + "subdivision") in _flags(ds)
    assert (ID + "port/USLGB", PL + "subdivision") not in _flags(portlod.build(seed_sources))
    scanned = _answer(ds, full_scan())
    assert _answer(ds, prepared(get("conflicts"))) == scanned
    assert any(dict(s).get("predicate") == ox.NamedNode(PL + "subdivision") for s in scanned)


def test_a_builder_used_again_starts_afresh(seed_sources: SourceSet) -> None:
    """Regression: the flags of a first build were carried into the next one."""
    builder = Builder()
    "".join(builder.nquads(_long_beach_in_new_york(seed_sources)))
    assert "".join(builder.nquads(seed_sources)) == "".join(Builder().nquads(seed_sources))
