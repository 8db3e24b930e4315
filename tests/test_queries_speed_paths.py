"""Named questions, the faster paths (issue #6): a question whose rows Python sorts anyway runs
its query without ORDER BY on a local store; labels and passages are asked for with one table of
terms (``_about.rq``); rows are grouped by the Python values of their cells; a pyoxigraph Store is
not counted to tell whether it is empty.

Each test shows that the answer is the one the slower path gave.
"""

from __future__ import annotations

import random
import re
import sys
from types import FrameType
from typing import Any

import pyoxigraph as ox
import pytest

import portlod
from portlod import queries as Q
from portlod.queries import Citation, Resource
from portlod.queries._backend import UNNAMED_GRAPH, LocalBackend, Table, backend_for
from portlod import QueryError
from portlod.queries._registry import _check, get, load, parse, prepared, unordered
from portlod.queries._rows import about, make_rows
from portlod.queries._run import bind, narrower_closure
from portlod.vocab import THEME

ID = "https://w3id.org/portlod/id/"
PL = "https://w3id.org/portlod/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
META = ox.NamedNode(ID + "graph/sources")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(ID + local)


def pl(local: str) -> ox.NamedNode:
    return ox.NamedNode(PL + local)


def shown(rows: list[Any]) -> list[str]:
    """The rows as text, labels and cited graphs included (equality of resources ignores labels)."""
    return [repr(r) for r in rows]


# -- a pyoxigraph Store is not counted ------------------------------------------------------------

def test_backend_for_does_not_count_the_quads_of_a_store() -> None:
    """Regression: backend_for called len() on a pyoxigraph Store to tell whether it was empty;
    len() counts every quad (≈ 100 ms per question at 1M triples)."""
    named = ox.Store()
    named.add(ox.Quad(n("a"), RDFS_LABEL, ox.Literal("A"), n("graph/g")))
    unnamed = ox.Store()
    unnamed.add(ox.Quad(n("a"), RDFS_LABEL, ox.Literal("A")))
    empty = ox.Store()
    lens: list[int] = []

    def watch(frame: FrameType, event: str, arg: object) -> None:
        if event == "c_call" and arg is len and frame.f_code is backend_for.__code__:
            lens.append(frame.f_lineno)

    sys.setprofile(watch)
    try:
        backends = [backend_for(store) for store in (named, unnamed, empty)]
    finally:
        sys.setprofile(None)
    assert lens == []
    # as before: a store with named graphs (or none at all) is asked as it is; one of
    # default-graph quads only is asked over a copy of them in a named graph
    stores = [b.store for b in backends if isinstance(b, LocalBackend)]
    assert len(stores) == 3 and stores[0] is named and stores[2] is empty
    assert list(stores[1]) == [ox.Quad(n("a"), RDFS_LABEL, ox.Literal("A"), UNNAMED_GRAPH)]
    assert [r.resource.label for r in Q.ask(unnamed, "resolve", name="A")] == ["A"]


# -- a question whose rows Python sorts runs without ORDER BY ----------------------------------------

def test_unordered_drops_only_a_final_order_by() -> None:
    for q in load().values():
        text = unordered(q)
        tail = q.text[q.text.rfind("}"):]
        if re.search(r"\b(LIMIT|OFFSET)\b", tail) or "ORDER BY" not in tail:
            assert text == prepared(q), q.name  # the ORDER BY picks the rows: kept
        else:
            assert "ORDER BY" not in text[text.rfind("}"):], q.name
            assert text.strip() == prepared(q)[:prepared(q).rindex("ORDER BY")].strip(), q.name
    assert "ORDER BY ?resource" in unordered(load()["_instances"])  # LIMIT 100 follows it


@pytest.mark.parametrize("name", [q.name for q in Q.questions()])
def test_the_unordered_query_gives_the_same_solutions(seed_dataset: portlod.Dataset, name: str) -> None:
    q = get(name)
    backend = LocalBackend(seed_dataset.store)
    bound = bind(backend, q, dict(q.example or ()))
    table = None
    fan = [p.name for p in q.parameters if p.narrower and p.name in bound]
    if fan:
        table = Table((fan[0],), tuple((ox.NamedNode(t),) for t in narrower_closure(bound.pop(fan[0]).value)))

    def solutions(text: str) -> list[str]:
        return sorted(repr(sorted(s.items())) for s in backend.select(text, bound, table=table)[1])

    assert solutions(unordered(q)) == solutions(prepared(q))


def test_rows_of_a_theme_do_not_depend_on_the_order_of_its_solutions(seed_dataset: portlod.Dataset) -> None:
    """The theme question's rows are sorted by every single-valued column (make_rows sort=True):
    so its query may run without ORDER BY."""
    q = get("theme")
    backend = LocalBackend(seed_dataset.store)
    bound = bind(backend, q, {"theme": "Decarbonization"})
    themes = Table(("theme",), tuple((ox.NamedNode(t),) for t in narrower_closure(bound.pop("theme").value)))
    names, ordered = backend.select(prepared(q), bound, table=themes)
    _, cited = about(backend, q, names, ordered)
    expected = shown(make_rows(q, ordered, cited, sort=True))
    assert len(expected) > 5
    shuffled = list(ordered)
    random.Random(6).shuffle(shuffled)
    for solutions in (ordered[::-1], shuffled):
        assert shown(make_rows(q, solutions, cited, sort=True)) == expected
    assert shown(Q.ask(seed_dataset, "theme", theme="Decarbonization")) == expected


# -- rows, labels and passages -------------------------------------------------------------------

def test_rows_are_grouped_by_value_not_by_term() -> None:
    """Two solutions whose terms differ but whose cells are equal values make one row: a kind
    given with and without a language, an item named with two labels (the English one shows)."""
    q = get("theme")
    item, theme, g1, g2 = n("agreement/a"), ox.NamedNode(str(THEME) + "ShorePower"), n("graph/s/p1"), n("graph/s/p2")
    solutions: list[dict[str, Any]] = [
        {"item": item, "item_label": ox.Literal("Zed", language="de"), "kind": ox.Literal("agreement"),
         "theme": theme, "sources": g2},
        {"item": item, "item_label": ox.Literal("Alpha", language="en"),
         "kind": ox.Literal("agreement", language="en"), "theme": theme, "sources": g1},
        {"item": item, "item_label": ox.Literal("Alpha", language="en"), "kind": ox.Literal("agreement"),
         "theme": theme, "sources": g2},
    ]
    [row] = make_rows(q, solutions, {})
    assert (row.item, row.item.label, row.kind) == (Resource(item.value), "Alpha", "agreement")
    assert [t.iri for t in row.theme] == [theme.value]
    assert [c.graph for c in row.sources] == [g1.value, g2.value]  # each graph once, sorted


@pytest.fixture(scope="module")
def themed() -> ox.Store:
    """An agreement about shore power, labelled in English and German, stated in two fact graphs:
    one derived from paragraph 3 of a source, one from two of its passages."""
    store = ox.Store()
    item, theme = n("agreement/a"), ox.NamedNode(str(THEME) + "ShorePower")
    source = n("source/s")
    one, two = n("graph/s/p1"), n("graph/s/derived-p1-p2")
    store.add(ox.Quad(item, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      pl("MemorandumOfUnderstanding"), one))
    store.add(ox.Quad(item, pl("theme"), theme, one))
    store.add(ox.Quad(item, pl("theme"), theme, two))
    store.add(ox.Quad(item, RDFS_LABEL, ox.Literal("Ein Abkommen", language="de"), one))
    store.add(ox.Quad(item, RDFS_LABEL, ox.Literal("An agreement", language="en"), two))
    store.add(ox.Quad(source, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("The source"), META))
    for graph, passages in ((one, ["p1"]), (two, ["p1", "p2"])):
        for p in passages:
            passage = n(f"source/s/{p}")
            store.add(ox.Quad(graph, pl("derivedFrom"), passage, META))
            store.add(ox.Quad(passage, pl("inSource"), source, META))
            store.add(ox.Quad(passage, pl("paragraph"), ox.Literal(p[1:], datatype=ox.NamedNode(XSD + "integer")),
                              META))
    return store


def test_labels_and_passages_of_an_answer(themed: ox.Store) -> None:
    [row] = Q.ask(themed, "theme", theme="ShorePower")
    assert (row.item.label, row.kind) == ("An agreement", "agreement")
    [theme] = row.theme
    assert theme.iri == str(THEME) + "ShorePower" and theme.label  # from the theme scheme
    source = Resource(ID + "source/s", "The source")
    assert row.sources == (Citation(source, "derived-p1-p2", None, ID + "graph/s/derived-p1-p2"),
                           Citation(source, "p1", 1, ID + "graph/s/p1"))
    assert [c.source.label for c in row.sources] == ["The source", "The source"]


@pytest.mark.parametrize("order", [1, -1])
def test_an_empty_label_does_not_hide_a_real_one(order: int) -> None:
    """Regression: a resource labelled "" and "Port A" showed no label when "" was seen first
    (an empty label ranked first among English ones)."""
    q = get("theme")
    item, theme = n("agreement/a"), ox.NamedNode(str(THEME) + "ShorePower")
    solutions: list[dict[str, Any]] = [
        {"item": item, "item_label": ox.Literal(""), "kind": ox.Literal("agreement"), "theme": theme,
         "sources": n("graph/s/p1")},
        {"item": item, "item_label": ox.Literal("Port A", language="en"), "kind": ox.Literal("agreement"),
         "theme": theme, "sources": n("graph/s/p1")},
    ][::order]
    [row] = make_rows(q, solutions, {})
    assert row.item.label == "Port A"


def test_a_resource_shows_one_label_in_every_column_and_row() -> None:
    """A term value named with two labels (and printed two ways) shows the same label wherever it
    is: in a single-valued column and in a list column, in each row."""
    q = parse("""#+ name: pairs
#+ summary: Pairs.
#+ columns:
#+   one: {type: term, description: a value}
#+   many: {type: terms, description: values}

SELECT ?one ?many WHERE { ?one ?p ?many }
""", "pairs.rq")
    x = n("thing/x")
    solutions: list[dict[str, Any]] = [
        {"one": x, "one_label": ox.Literal("Zeta"), "one_as_printed": ox.Literal("in May"),
         "many": x, "many_label": ox.Literal("Zeta"), "many_as_printed": ox.Literal("in May")},
        {"one": x, "one_label": ox.Literal("Alpha"), "one_as_printed": ox.Literal("on 3 May"),
         "many": x, "many_label": ox.Literal("Alpha"), "many_as_printed": ox.Literal("on 3 May")},
    ]
    rows = make_rows(q, solutions, {})
    assert {r.one.label for r in rows} == {"Alpha"}
    assert {v.label for r in rows for v in r.many} == {"Alpha"}


def test_a_variable_named_limit_is_not_a_limit() -> None:
    text = """#+ name: limits
#+ summary: Limits of a theme.
#+ params:
#+   theme: {type: theme, required: true, narrower: true, description: the theme}
#+ columns:
#+   limit: {type: str, description: a limit}

SELECT ?theme ?limit WHERE { GRAPH ?g { ?item pl:theme ?theme ; pl:limit ?limit } } ORDER BY ?limit
"""
    q = parse(text, "limits.rq")
    _check(q)  # ?limit and pl:limit are not LIMIT: accepted
    assert q.order == (("limit", False),)
    assert "ORDER BY" not in unordered(q)
    with pytest.raises(QueryError, match="cannot LIMIT or OFFSET"):
        _check(parse(text.replace("ORDER BY ?limit", "ORDER BY ?limit LIMIT 5"), "limits.rq"))
    with pytest.raises(QueryError, match="cannot LIMIT or OFFSET"):
        _check(parse(text.replace("ORDER BY ?limit", "ORDER BY ?limit offset 5"), "limits.rq"))
