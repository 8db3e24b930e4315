"""Named questions asked in parts (issue #6): a query whose answer is the union of its answers for
the rows of a table (the passages of many fact graphs, a theme and its narrower themes) is asked
in parts of at most ``MAX_TABLE_ROWS`` rows, side by side on the local store (one part per core)
and one after another at an endpoint. The answer is the one a single query gives."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import portlod
from portlod import QueryError
from portlod import queries as Q
from portlod.queries import _backend
from portlod.queries._backend import MAX_TABLE_ROWS, LocalBackend, RemoteBackend, Table, parts
from portlod.queries._registry import get, internal, parse, prepared, unordered
from portlod.queries._rows import about
from portlod.queries._run import bind, narrower_closure
from portlod.vocab import THEME

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/portlod/id/"


def rows_of(n: int) -> Table:
    return Table(("term",), tuple((ox.NamedNode(f"{ID}graph/t/p{i}"),) for i in range(n)))


def as_multiset(solutions: list[dict[str, Any]]) -> Counter[str]:
    return Counter(repr(sorted(s.items())) for s in solutions)


# -- cutting a table -----------------------------------------------------------------------------

@pytest.mark.parametrize(("size", "count", "least", "expected"), [
    (0, 2, 1, [0]), (1, 4, 1, [1]), (9, 1, 1, [9]), (9, 2, 1, [5, 4]), (9, 4, 1, [3, 2, 2, 2]), (3, 8, 1, [1, 1, 1]),
    (MAX_TABLE_ROWS, 1, 1, [MAX_TABLE_ROWS]), (2 * MAX_TABLE_ROWS + 500, 1, 1, [1500, 1500, 1500]),
    (2 * MAX_TABLE_ROWS + 500, 4, 1, [1125, 1125, 1125, 1125]),
    # parts of at least `least` rows: a small table is asked at once
    (9, 2, 256, [9]), (511, 2, 256, [511]), (600, 2, 256, [300, 300]), (600, 4, 256, [300, 300]),
    (2 * MAX_TABLE_ROWS + 500, 1, 4000, [1500, 1500, 1500]),  # never more than MAX_TABLE_ROWS a part
])
def test_parts_deal_the_rows_out(size: int, count: int, least: int, expected: list[int]) -> None:
    table = rows_of(size)
    cut = parts(table, count, least=least)
    assert [len(p.rows) for p in cut] == expected
    assert all(p.names == table.names for p in cut)
    assert sorted(r for p in cut for r in p.rows) == sorted(table.rows)  # every row once


# -- the local store: side by side ---------------------------------------------------------------

@pytest.mark.parametrize("workers", [1, 2, 3])
def test_a_theme_asked_in_parts_is_the_theme_asked_at_once(generated: portlod.Dataset, workers: int,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_backend, "_workers", lambda: workers)
    backend = LocalBackend(generated.store)
    q = get("theme")
    bound = bind(backend, q, {"theme": "Decarbonization"})
    themes = Table(("theme",), tuple((ox.NamedNode(t),) for t in narrower_closure(bound.pop("theme").value)))
    assert len(themes.rows) > workers
    whole = backend.select(unordered(q), bound, table=themes)
    names, solutions = backend.select_union(unordered(q), bound, themes, least=1)
    assert names == whole[0]
    assert len(solutions) > 50
    assert as_multiset(solutions) == as_multiset(whole[1])


def test_passages_of_many_graphs_asked_in_parts(generated: portlod.Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """More fact graphs than go in one query: the parts, asked side by side, give every passage."""
    monkeypatch.setattr(_backend, "MAX_TABLE_ROWS", 300)
    graphs = generated.fact_graphs()
    assert len(graphs) > 2 * 300
    table = Table(("term",), tuple((g,) for g in graphs))
    backend = LocalBackend(generated.store)
    text = prepared(internal("_about"))
    whole = backend.select(text, {}, table=table)[1]
    monkeypatch.setattr(_backend, "_workers", lambda: 2)
    assert as_multiset(backend.select_union(text, {}, table)[1]) == as_multiset(whole)
    assert {s["term"].value for s in whole if "source" in s} == {g.value for g in graphs}  # every graph has its passage


def test_the_answer_does_not_depend_on_the_number_of_cores(generated: portlod.Dataset,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    answers = []
    for workers in (1, 2, 4):
        monkeypatch.setattr(_backend, "_workers", lambda w=workers: w)
        answers.append([repr(r) for r in Q.ask(generated, "theme", theme="Decarbonization")])
    assert len(answers[0]) > 20
    assert answers[0] == answers[1] == answers[2]


def test_an_error_in_a_part_reaches_the_caller(seed_dataset: portlod.Dataset,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_backend, "_workers", lambda: 2)
    with pytest.raises(QueryError, match="not valid"):  # (the calling thread's own part)
        LocalBackend(seed_dataset.store).select_union("SELECT ?term WHERE { ?term ?p }", {}, rows_of(10), least=1)


def test_an_error_in_another_threads_part_reaches_the_caller(seed_dataset: portlod.Dataset,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_backend, "_workers", lambda: 2)
    select = LocalBackend.select
    threads: list[str] = []

    def failing(self: LocalBackend, text: str, bindings: dict[str, Any], *, table: Table | None = None) -> Any:
        threads.append(threading.current_thread().name)
        if threading.current_thread() is not threading.main_thread():
            raise QueryError("the part failed")
        return select(self, text, bindings, table=table)

    monkeypatch.setattr(LocalBackend, "select", failing)
    with pytest.raises(QueryError, match="the part failed"):
        LocalBackend(seed_dataset.store).select_union(prepared(internal("_about")), {}, rows_of(10), least=1)
    assert sorted(threads) == ["MainThread", "portlod-ask"]
    assert [t.name for t in threading.enumerate() if t.name == "portlod-ask"] == []  # none left running


def _ask_in_child(store: ox.Store, out: Any) -> None:
    out.send(len(Q.ask(store, "theme", theme="Decarbonization")))


@pytest.mark.skipif(sys.platform != "linux", reason="fork: Linux")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")  # Python 3.12+
def test_a_forked_child_asks_in_parts_too(seed_dataset: portlod.Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that asked in parts and then forks (a server forking its workers): the child asks
    in parts too (the threads that ask the parts end with each question, none is inherited)."""
    monkeypatch.setattr(_backend, "_workers", lambda: 2)
    expected = len(Q.ask(seed_dataset, "theme", theme="Decarbonization"))  # the parent's threads exist
    assert expected > 2
    reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_ask_in_child, args=(seed_dataset.store, writer),
                                                        daemon=True)
    child.start()
    try:
        assert reader.poll(60), "the child did not answer (its pool of threads was the parent's)"
        assert reader.recv() == expected
    finally:
        child.join(30)
        if child.is_alive():  # a hung child is not left behind
            child.kill()
            child.join()
    assert child.exitcode == 0


# -- an endpoint: one part after another ---------------------------------------------------------

class _Counting(BaseHTTPRequestHandler):
    store: ox.Store
    asked: list[str]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
        query = urllib.parse.parse_qs(body)["query"][0]
        self.asked.append(query)
        data = self.store.query(query).serialize(format=ox.QueryResultsFormat.JSON) or b""
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture()
def counting_endpoint(generated: portlod.Dataset) -> Iterator[tuple[str, list[str]]]:
    asked: list[str] = []
    handler = type("Handler", (_Counting,), {"store": generated.store, "asked": asked})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_an_endpoint_gets_the_parts_one_after_another(generated: portlod.Dataset, counting_endpoint: tuple[str, list[str]],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    url, asked = counting_endpoint
    monkeypatch.setattr(_backend, "MAX_TABLE_ROWS", 300)
    graphs = generated.fact_graphs()[:2 * 300 + 1]
    table = Table(("term",), tuple((g,) for g in graphs))
    text = prepared(internal("_about"))
    names, solutions = RemoteBackend(url).select_union(text, {}, table)
    assert len(asked) == 3  # at most MAX_TABLE_ROWS rows a query
    assert all(q.count("<" + ID + "graph/") <= 300 for q in asked)
    local = LocalBackend(generated.store).select(text, {}, table=table)
    assert names == local[0]
    assert as_multiset(solutions) == as_multiset(local[1])


def test_about_gives_the_same_at_an_endpoint(generated: portlod.Dataset,
                                             counting_endpoint: tuple[str, list[str]]) -> None:
    url, _ = counting_endpoint
    q = get("theme")
    local = LocalBackend(generated.store)
    bound = bind(local, q, {"theme": "Decarbonization"})
    themes = Table(("theme",), tuple((ox.NamedNode(t),) for t in narrower_closure(bound.pop("theme").value)))
    names, solutions = local.select(unordered(q), bound, table=themes)
    # without the query's own labels of the items: about() fills them in
    names = [n for n in names if n != "item_label"]
    unlabelled = [{k: v for k, v in s.items() if k != "item_label"} for s in solutions]
    filled_here, filled_there = [dict(s) for s in unlabelled], [dict(s) for s in unlabelled]
    here = about(local, q, names, filled_here)
    there = about(RemoteBackend(url), q, names, filled_there)
    assert here == there and len(here[1]) > 20
    assert filled_here == filled_there
    assert all("item_label" in s for s in filled_here)


# -- what a question asked in parts may not do ---------------------------------------------------

def test_a_question_for_narrower_themes_cannot_limit_its_rows() -> None:
    text = """#+ name: few
#+ summary: A few things of a theme.
#+ params:
#+   theme: {type: theme, required: true, narrower: true, description: the theme}
#+ columns:
#+   item: {type: resource, description: a thing}

SELECT ?theme ?item WHERE { GRAPH ?g { ?item pl:theme ?theme } } ORDER BY ?item LIMIT 10
"""
    from portlod.queries._registry import _check

    with pytest.raises(QueryError, match="cannot LIMIT or OFFSET"):
        _check(parse(text, "few.rq"))
    _check(parse(text.replace(" LIMIT 10", ""), "few.rq"))  # without it: fine


def test_mentions_counts_statements_up_to_a_bound(generated: portlod.Dataset) -> None:
    backend = LocalBackend(generated.store)
    themes = [ox.NamedNode(t) for t in narrower_closure(str(THEME) + "Decarbonization")]
    every = sum(1 for t in themes for _ in generated.store.quads_for_pattern(None, None, t))
    assert every > 10
    assert backend.mentions(themes, every + 100) == every
    assert backend.mentions(themes, 10) == 10
    assert backend.mentions([ox.NamedNode(ID + "nothing/here")], 10) == 0


@pytest.mark.parametrize(("size", "parted"), [("seed", False), ("generated", True)])
def test_a_theme_is_asked_in_parts_when_its_themes_are_much_stated(size: str, parted: bool,
                                                                    request: pytest.FixtureRequest,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    ds = request.getfixturevalue("seed_dataset" if size == "seed" else "generated")
    monkeypatch.setattr(_backend, "_workers", lambda: 2)
    monkeypatch.setattr(_backend, "MIN_PART_ROWS", 64)
    monkeypatch.setattr("portlod.queries._run.MIN_PART_ROWS", 64)
    threads: set[str] = set()
    select = LocalBackend.select

    def recording(self: LocalBackend, text: str, bindings: dict[str, Any], *, table: Table | None = None) -> Any:
        if "#+ name: theme\n" in text:
            threads.add(threading.current_thread().name)
        return select(self, text, bindings, table=table)

    monkeypatch.setattr(LocalBackend, "select", recording)
    Q.ask(ds, "theme", theme="Decarbonization")
    assert threads == ({"MainThread", "portlod-ask"} if parted else {"MainThread"})


# -- asked aside: parts on other threads while the caller goes on --------------------------------

def test_an_answer_asked_aside_is_the_answer_asked_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """start_union's parts go through SPARQL TSV (written by Oxigraph without Python's lock, read
    back by result()): every kind of term comes back as the store holds it."""
    monkeypatch.setattr(_backend, "_workers", lambda: 2)
    store = ox.Store()
    g = ox.NamedNode(ID + "graph/t/p1")
    objects = [ox.Literal("tab\there, \"quoted\"\nnew line \\ back"), ox.Literal("Tōkyō 東京", language="ja"),
               ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
               ox.Literal("2.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
               ox.Literal("1.0E3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")),
               ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
               ox.Literal("2023-03", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth")),
               ox.Literal(""), ox.BlankNode("b1"), ox.NamedNode(ID + "port/USLAX")]
    subjects = [ox.NamedNode(f"{ID}thing/{i}") for i in range(len(objects))]
    for s, o in zip(subjects, objects):
        store.add(ox.Quad(s, ox.NamedNode(ID + "says"), o, g))
    backend = LocalBackend(store)
    text = "SELECT ?term ?o WHERE { GRAPH ?g { ?term ?p ?o } }"
    table = Table(("term",), tuple((s,) for s in subjects))
    here = backend.select(text, {}, table=table)
    started = backend.start_union(text, {}, table, least=1)
    names, aside = started.result()
    assert names == here[0] == ["term", "o"]
    assert as_multiset(aside) == as_multiset(here[1])
    assert {s["o"] for s in aside} == {q.object for q in store} and len(aside) == len(objects)
    assert started.result() == (names, aside)  # asked once, kept


def test_an_error_in_a_part_asked_aside_reaches_the_caller(seed_dataset: portlod.Dataset,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_backend, "_workers", lambda: 2)
    started = LocalBackend(seed_dataset.store).start_union("SELECT ?term WHERE { ?term ?p }", {}, rows_of(10), least=1)
    with pytest.raises(QueryError, match="not valid"):
        started.result()
    assert [t.name for t in threading.enumerate() if t.name == "portlod-ask"] == []  # none left running


def test_result_waits_for_a_slow_part_before_raising(seed_dataset: portlod.Dataset,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """One part fails at once, the other is still being asked: result() raises only when no
    thread is asking any more."""
    monkeypatch.setattr(_backend, "_workers", lambda: 2)
    release = threading.Event()
    write = LocalBackend._written

    def written(self: LocalBackend, text: str) -> bytes:
        if "p0>" in text:  # the first part fails at once
            raise QueryError("the part failed")
        release.wait(10)
        return write(self, text)

    monkeypatch.setattr(LocalBackend, "_written", written)
    started = LocalBackend(seed_dataset.store).start_union("SELECT ?term WHERE { }", {}, rows_of(4), least=1)
    threading.Timer(0.2, release.set).start()
    with pytest.raises(QueryError, match="the part failed"):
        started.result()
    assert release.is_set()  # raised after the slow part ended
    assert [t.name for t in threading.enumerate() if t.name == "portlod-ask"] == []


def test_no_thread_is_left_asking_when_the_labels_fail(generated: portlod.Dataset,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Passages asked aside, then the labels' query fails: the error reaches the caller once the
    threads have ended."""
    from portlod.queries import _rows

    monkeypatch.setattr(_backend, "_workers", lambda: 2)
    monkeypatch.setattr(_rows, "MIN_PART_ROWS", 4)
    release = threading.Event()
    write = LocalBackend._written

    def slow(self: LocalBackend, text: str) -> bytes:
        release.wait(10)
        return write(self, text)

    select_union = LocalBackend.select_union

    def failing(self: LocalBackend, text: str, *args: Any, **kwargs: Any) -> Any:
        if "derivedFrom" not in text:  # the theme's own query
            return select_union(self, text, *args, **kwargs)
        threading.Timer(0.2, release.set).start()
        raise QueryError("the labels failed")

    monkeypatch.setattr(LocalBackend, "_written", slow)
    monkeypatch.setattr(LocalBackend, "select_union", failing)
    with pytest.raises(QueryError, match="the labels failed"):
        Q.ask(generated, "theme", theme="Decarbonization")
    assert release.is_set()
    assert [t.name for t in threading.enumerate() if t.name == "portlod-ask"] == []


def test_passages_looked_up_aside_while_the_rows_are_made(generated: portlod.Dataset,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer citing many fact graphs: their passages are asked on other threads (in parts,
    as TSV) while its labels are asked and its rows made; the rows are those of one query."""
    from portlod.queries import _rows

    monkeypatch.setattr(_rows, "MIN_PART_ROWS", 10**6)  # one query for labels and passages
    expected = [repr(r) for r in Q.ask(generated, "theme", theme="Decarbonization")]
    monkeypatch.setattr(_backend, "_workers", lambda: 2)
    monkeypatch.setattr(_rows, "MIN_PART_ROWS", 4)
    written: list[str] = []
    write = LocalBackend._written

    def counting(self: LocalBackend, text: str) -> bytes:
        written.append(threading.current_thread().name)
        return write(self, text)

    monkeypatch.setattr(LocalBackend, "_written", counting)
    assert [repr(r) for r in Q.ask(generated, "theme", theme="Decarbonization")] == expected
    assert len(expected) > 20
    assert written and set(written) == {"portlod-ask"}  # the passages were asked aside


# -- TSV read back as text ----------------------------------------------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"
ODD_TERMS = [
    ox.Literal("tab\there, \"quoted\"\nnew line \\ back"), ox.Literal("Tōkyō 東京", language="ja"),
    ox.Literal("Port of LA", language="en-US"), ox.Literal("a^^<http://x/>"), ox.Literal("x@y"), ox.Literal('"'),
    ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")), ox.Literal("-07", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("3", datatype=ox.NamedNode(XSD + "positiveInteger")), ox.Literal("3"),
    ox.Literal("2.50", datatype=ox.NamedNode(XSD + "decimal")), ox.Literal("1.0E3", datatype=ox.NamedNode(XSD + "double")),
    ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")), ox.Literal("2023-03", datatype=ox.NamedNode(XSD + "gYearMonth")),
    ox.Literal("odd", datatype=ox.NamedNode("http://example.org/type#x")), ox.Literal(""),
    ox.Literal("مرحبا", language="ar", direction=ox.BaseDirection.RTL),  # written "…"@ar--rtl
    ox.BlankNode("b1"), ox.NamedNode(ID + "port/USLAX"), ox.NamedNode("http://example.org/é?q=1#f"),
]
TRIPLE = ox.Triple(ox.NamedNode(ID + "a"), ox.NamedNode(ID + "b"), ox.Literal("c"))


def test_tsv_cells_read_as_text_are_the_terms_oxigraph_reads() -> None:
    """The fast reader (an IRI or a literal without escapes as text, anything else by Oxigraph's
    parser) gives every kind of term exactly as Oxigraph's own parser does."""
    store = ox.Store()
    g = ox.NamedNode(ID + "graph/t/p1")
    for i, o in enumerate(ODD_TERMS):
        store.add(ox.Quad(ox.NamedNode(f"{ID}thing/{i}"), ox.NamedNode(ID + "says"), o, g))
    written = LocalBackend(store)._written("SELECT ?s ?o ?none WHERE { GRAPH ?g { ?s ?p ?o } OPTIONAL { ?s ?q ?none } }")
    names, cells = _backend.tsv_cells(written)
    expected = [list(s) for s in ox.parse_query_results(written, format=ox.QueryResultsFormat.TSV)]  # type: ignore[union-attr]
    read = _backend.TsvTerms()
    assert names == ["s", "o", "none"]
    assert [[read(c) for c in row] for row in cells] == expected
    assert Counter(str(row[1]) for row in expected) == Counter(str(q.object) for q in store)
    assert any(isinstance(t, ox.Literal) and t.direction is not None for t in map(read, (r[1] for r in cells)))
    assert [read.text(row[1]) for row in cells] == [t.value if isinstance(t, ox.Literal) else None for _, t, _ in expected]
    assert [read.iri(row[1]) for row in cells] == [t.value if isinstance(t, ox.NamedNode) else None for _, t, _ in expected]


def test_a_triple_term_read_from_tsv_is_shown_as_text() -> None:
    """As solutions() shows a triple term (RDF 1.2) read from a store."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(ID + "s"), ox.NamedNode(ID + "p"), TRIPLE, ox.NamedNode(ID + "g")))
    text = "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    backend = LocalBackend(store)
    _, cells = _backend.tsv_cells(backend._written(text))
    assert _backend.TsvTerms()(cells[0][0]) == ox.Literal(str(TRIPLE)) == backend.select(text, {})[1][0]["o"]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "no header"),
    (b"?a\t?b\n<http://x/>\n", "line 2 has 1 cells for 2 variables"),
    (b"?a\n\xff\n", "could not be read back"),
    (b"?a\n<not an iri>\n", "could not be read back: '<not an iri>'"),
    (b"?a\n\"unclosed\n", "could not be read back"),
])
def test_tsv_that_cannot_be_read_back_is_a_query_error(data: bytes, message: str) -> None:
    read = _backend.TsvTerms()
    with pytest.raises(QueryError, match=message):
        for row in _backend.tsv_cells(data)[1]:
            [read(cell) for cell in row]


def test_passages_read_from_tsv_are_the_passages_of_one_query(monkeypatch: pytest.MonkeyPatch) -> None:
    """Citations made from the TSV written aside equal those made from one query's solutions,
    for sources as the generated data has them and for odd ones: a title with escapes, in another
    language or none, a blank-node or literal source, a paragraph that is not a whole number, a
    graph derived from two passages, a graph without passage."""
    from portlod.queries import _rows

    sources_graph = ox.NamedNode(ID + "graph/sources")
    pl = "https://w3id.org/portlod/ontology#"
    store = ox.Store()

    def says(s: ox.NamedNode | ox.BlankNode, p: str, o: Any) -> None:
        store.add(ox.Quad(s, ox.NamedNode(p), o, sources_graph))

    title = "http://purl.org/dc/terms/title"
    graphs = []
    odd_sources: list[tuple[Any, Any, Any]] = [
        (ox.NamedNode(ID + "source/a"), ox.Literal('The "A" report\tpart 1', language="en"), ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))),
        (ox.NamedNode(ID + "source/b"), ox.Literal("Bericht", language="de"), ox.Literal("three")),
        (ox.NamedNode(ID + "source/f"), ox.Literal("plain"), ox.Literal("5")),
        (ox.NamedNode(ID + "source/c"), None, ox.Literal("4", datatype=ox.NamedNode(XSD + "positiveInteger"))),
        (ox.BlankNode("anon"), ox.Literal("no IRI"), None),
        (ox.NamedNode(ID + "source/e"), ox.Literal(""), ox.Literal("7", datatype=ox.NamedNode(XSD + "integer"))),
    ]
    for i in range(40):
        graph = ox.NamedNode(f"{ID}graph/article-{i}/p{i % 7}")
        graphs.append(graph)
        if i == 39:
            continue  # no passage
        passage = ox.NamedNode(f"{ID}passage/{i}")
        says(graph, pl + "derivedFrom", passage)
        source, label, paragraph = odd_sources[i % len(odd_sources)] if i < 10 else (
            ox.NamedNode(f"{ID}source/article-{i}"), ox.Literal(f"Article {i}", language="en"),
            ox.Literal(str(i % 9 + 1), datatype=ox.NamedNode(XSD + "integer")))
        says(passage, pl + "inSource", source)
        if label is not None:
            says(source, title, label)
        if paragraph is not None:
            says(passage, pl + "paragraph", paragraph)
        if i == 12:  # derived from two passages, of two sources
            says(graph, pl + "derivedFrom", ox.NamedNode(f"{ID}passage/second"))
            says(ox.NamedNode(f"{ID}passage/second"), pl + "inSource", ox.NamedNode(ID + "source/aaa-first"))
        if i == 14:  # derived from two passages, one of a blank node source "zz" (compared by its id)
            says(graph, pl + "derivedFrom", ox.NamedNode(f"{ID}passage/third"))
            says(ox.NamedNode(f"{ID}passage/third"), pl + "inSource", ox.BlankNode("zz"))
        if i == 15:  # one passage, whose source has two titles: still one paragraph
            says(source, title, ox.Literal("Another title", language="en"))
        if i == 13:  # a literal as source
            store.remove(ox.Quad(passage, ox.NamedNode(pl + "inSource"), source, sources_graph))
            says(passage, pl + "inSource", ox.Literal("a newspaper"))
    q = get("theme")
    solutions = [{"sources": g} for g in graphs]
    backend = LocalBackend(store)
    monkeypatch.setattr(_rows, "MIN_PART_ROWS", 10**6)  # one query, read as solutions
    _, at_once = _rows.look_up(backend, q, ["sources"], [dict(s) for s in solutions])
    expected = at_once.result()
    monkeypatch.setattr(_backend, "_workers", lambda: 2)
    monkeypatch.setattr(_rows, "MIN_PART_ROWS", 4)  # in parts, aside, read from TSV
    _, aside = _rows.look_up(backend, q, ["sources"], [dict(s) for s in solutions])
    assert aside._started.written() is not None
    cited = aside.result()
    assert cited == expected and len(cited) == 39
    assert {g: (c.source.label, c.graph) for g, c in cited.items()} == \
        {g: (c.source.label, c.graph) for g, c in expected.items()}  # (labels do not make resources equal)
    assert cited[graphs[0].value].source.label == 'The "A" report\tpart 1' and cited[graphs[0].value].paragraph == 3
    assert cited[graphs[1].value].paragraph is None  # "three"
    assert cited[graphs[2].value].paragraph == 5 and cited[graphs[2].value].source.label == "plain"  # "5"
    assert cited[graphs[3].value].paragraph == 4 and cited[graphs[3].value].source.label is None
    assert cited[graphs[4].value].source.iri == "_:anon"
    assert cited[graphs[14].value].source.iri == graphs[14].value.replace("graph/", "source/").rsplit("/", 1)[0] \
        and cited[graphs[14].value].paragraph is None  # "http…" sorts before "zz"
    assert cited[graphs[15].value].paragraph == 15 % 9 + 1
    assert cited[graphs[15].value].source.label == "Another title"  # the first title
    assert cited[graphs[12].value].source.iri == ID + "source/aaa-first" and cited[graphs[12].value].paragraph is None
    assert cited[graphs[13].value].source.iri == graphs[13].value  # a literal source: the graph stands for it


@pytest.mark.parametrize("aside", [False, True])
def test_a_thread_the_system_refuses_is_a_query_error(seed_dataset: portlod.Dataset, monkeypatch: pytest.MonkeyPatch,
                                                      aside: bool) -> None:
    """The second thread cannot start: the first one is waited for, and the error says what failed."""
    monkeypatch.setattr(_backend, "_workers", lambda: 3)
    start = threading.Thread.start
    calls: list[str] = []

    def refusing(self: threading.Thread) -> None:
        calls.append(self.name)
        if len(calls) == 2:
            raise RuntimeError("can't start new thread")
        start(self)

    monkeypatch.setattr(threading.Thread, "start", refusing)
    backend = LocalBackend(seed_dataset.store)
    text = "SELECT ?term ?p WHERE { OPTIONAL { GRAPH ?g { ?term ?p ?o } } }"
    with pytest.raises(QueryError, match="cannot start a thread to ask the query in parts: can't start new thread"):
        if aside:
            backend.start_union(text, {}, rows_of(30), least=1)
        else:
            backend.select_union(text, {}, rows_of(30), least=1)
    assert len(calls) == 2
    assert [t.name for t in threading.enumerate() if t.name == "portlod-ask"] == []
