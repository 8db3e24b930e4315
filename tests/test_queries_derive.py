"""Named questions, the parts finished in Python: the derive steps (dates, latest status,
differences), the order applied again after them, labels and passages asked for the answer's
terms only, a name looked up as written before it is looked for in any case, and the VALUES
blocks that carry bound values to every backend.

The data here is written out as quads, so that each test shows exactly what the sources say.
"""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest

from portlod import QueryError
from portlod import queries as Q
from portlod.queries._backend import Table, bound
from portlod.queries._derive import dates, differences, latest_status, sort_solutions
from portlod.queries._registry import parse

ID = "https://w3id.org/portlod/id/"
PL = "https://w3id.org/portlod/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
META = ox.NamedNode(ID + "graph/sources")


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(ID + local)


def day(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + {4: "gYear", 7: "gYearMonth"}.get(len(text), "date")))


def lit(text: str) -> ox.Literal:
    return ox.Literal(text)


# -- dates -----------------------------------------------------------------------------------------

def test_the_most_precise_date_is_shown_with_its_phrase() -> None:
    a, g1, g2 = n("agreement/a"), n("graph/s1/p1"), n("graph/s2/p1")
    rows = dates([{"agreement": a, "claim": day("2023"), "claim_graph": g1},
                  {"agreement": a, "claim": day("2023-03-16"), "claim_graph": g2},
                  {"agreement": a, "claim": day("2023-03-16"), "claim_as_printed": lit("March 16"), "claim_graph": g2}],
                 {}, per=["agreement"], date="signed")
    assert {(r["signed"].value, r["signed_as_printed"].value, r["precision"].value, r["certainty"].value)
            for r in rows} == {("2023-03-16", "March 16", "day", "within")}
    # the date alone, in a graph without a phrase, stays a claim of its own
    rows = dates([{"agreement": a, "claim": day("2023-03-16"), "claim_graph": g1},
                  {"agreement": a, "claim": day("2023-03-16"), "claim_graph": g2},
                  {"agreement": a, "claim": day("2023-03-16"), "claim_as_printed": lit("March 16"), "claim_graph": g2}],
                 {}, per=["agreement"], date="signed")
    assert {"signed_as_printed" in r for r in rows} == {False}


@pytest.mark.parametrize("claims, during, asked, certainty", [
    (["2023-03"], None, {"year": "2023"}, "within"),
    (["2023-03"], None, {"to": "2023-03-10"}, "overlaps"),
    (["2023-03", "2023-04"], None, {"from": "2023-04"}, "disputed"),
    (["2023-03", "2023-04"], None, {"year": "2022"}, None),  # outside: left out
    (["2023-03"], ("2023-03-11", "2023-03-18"), {"from": "2023-03-10"}, "within"),  # narrowed by the event
    ([], ("2023-03-11", "2023-03-18"), {"year": "2023"}, "within"),  # dated by the event alone
    ([], None, {"year": "2023"}, "unknown"),
])
def test_certainty(claims: list[str], during: tuple[str, str] | None, asked: dict[str, str], certainty: str | None) -> None:
    a, e = n("agreement/a"), n("event/e")
    solutions: list[dict[str, ox.NamedNode | ox.Literal]] = [{"agreement": a}]
    solutions += [{"agreement": a, "claim": day(c), "claim_graph": n(f"graph/s{i}/p1")} for i, c in enumerate(claims)]
    if during:
        solutions += [{"agreement": a, "during": e, "during_start": day(during[0]), "during_end": day(during[1])}]
    rows = dates(solutions, {k: day(v) for k, v in asked.items()}, per=["agreement"], date="signed")
    assert {r["certainty"].value for r in rows} == ({certainty} if certainty else set())


def test_only_the_first_reported_status_dates_a_corridor() -> None:
    c = n("initiative/c")
    rows = dates([{"relation": c, "status_claim": day("2024"), "assertion": n("initiative/c/status/b"), "claim_graph": n("graph/b")},
                  {"relation": c, "status_claim": day("2023-04"), "assertion": n("initiative/c/status/a"),
                   "claim_graph": n("graph/a")},
                  {"relation": c, "status_claim": day("2023-04"), "status_claim_as_printed": lit("in April"),
                   "assertion": n("initiative/c/status/a"), "claim_graph": n("graph/a")}],
                 {}, per=["relation"], date="date")
    assert {(r["date"].value, r["date_as_printed"].value) for r in rows} == {("2023-04", "in April")}


# -- the latest status -----------------------------------------------------------------------------

def test_the_latest_status_then_the_most_precise() -> None:
    c = n("initiative/c")

    def said(key: str, status: str, date: str | None) -> dict[str, ox.NamedNode | ox.Literal]:
        s = {"corridor": c, "assertion": n(f"initiative/c/status/{key}"), "assertion_status": ox.NamedNode(PL + status),
             "assertion_graph": n(f"graph/{key}")}
        return {**s, "assertion_date": day(date)} if date else s

    rows = latest_status([{"corridor": c, "endpoints": n("port/USLAX")}, said("a", "Agreed", "2023-04"),
                          said("b", "Announced", "2023"), said("c", "Planned", None), said("d", "Operational", "2023-04-02")],
                         {}, per=["corridor"])
    assert {(r["status"].value, r["status_date"].value) for r in rows} == {(PL + "Operational", "2023-04-02")}
    assert [r["status_sources"] for r in rows if "status_sources" in r] == [n("graph/d")]
    assert any(r.get("endpoints") == n("port/USLAX") for r in rows)
    assert not any("assertion" in r for r in rows)


# -- differences -----------------------------------------------------------------------------------

def test_sources_are_paired_when_their_values_differ() -> None:
    s, p = n("agreement/a"), ox.NamedNode(PL + "party")
    src = [n("source/x"), n("source/y"), n("source/z")]
    facts = [(src[0], "port/A"), (src[0], "port/B"), (src[1], "port/A"), (src[1], "port/B"), (src[2], "port/A")]
    rows = differences([{"kind": lit("values differ"), "subject": s, "predicate": p, "value": n(v), "source": x}
                        for x, v in facts], {})
    pairs = {(r["source_a"].value[-1], r["source_b"].value[-1]) for r in rows}
    assert pairs == {("x", "z"), ("y", "z")}  # x and y agree
    assert {r["only_a"] for r in rows if "only_a" in r} == {n("port/B")}


def test_parts_of_an_account_are_not_compared() -> None:
    a, b, p = n("initiative/a"), n("initiative/b"), ox.NamedNode(PL + "participant")
    common = {"kind": lit("alternative accounts"), "subject": a, "account": b, "forward": ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
              "predicate": p}
    yes = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
    no = ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean"))
    rows = differences([{**common, "ofSubject": yes, "value": n("initiative/a/participant/x"), "source": n("source/x")},
                        {**common, "ofSubject": no, "value": n("initiative/b/participant/x"), "source": n("source/y")}], {})
    assert rows == []


# -- the order, applied again ----------------------------------------------------------------------

def test_sort_solutions_follows_sparql() -> None:
    rows = [{"x": lit("b")}, {"x": n("z")}, {}, {"x": lit("a")}, {"x": ox.BlankNode("b0")}]
    assert [r.get("x") for r in sort_solutions(rows, [("x", False)])] == [None, ox.BlankNode("b0"), n("z"), lit("a"), lit("b")]
    assert [r.get("x") for r in sort_solutions(rows, [("x", True)])][0] == lit("b")


def test_solutions_that_tie_on_the_order_do_not_keep_the_stores_order() -> None:
    """Two stores holding the same data give solutions in different orders: ties on every ORDER BY
    variable are broken by the other variables, so the rows come out in one order."""
    rows = [{"date": lit("2023"), "partner": n(f"port/{c}"), "kind": lit(k)}
            for c in ("SEGOT", "CNSHA", "JPTYO") for k in ("MOU", "trade")] + [{"date": lit("2022")}]
    expected = sort_solutions(rows, [("date", True)])
    assert [(r.get("partner"), r.get("kind")) for r in expected[:3]] == [
        (n("port/CNSHA"), lit("MOU")), (n("port/JPTYO"), lit("MOU")), (n("port/SEGOT"), lit("MOU"))]  # ?kind, ?partner
    assert expected[-1] == {"date": lit("2022")}
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert sort_solutions(shuffled, [("date", True)]) == expected
    # numbers equal in value but written apart, and a NaN (which compares with nothing)
    numbers = [{"n": ox.Literal(v, datatype=ox.NamedNode(XSD + t))}
               for v, t in (("1", "integer"), ("01", "integer"), ("1.0", "decimal"), ("NaN", "double"), ("0.5", "double"))]
    first = sort_solutions(numbers, [("n", False)])
    assert [r["n"].value for r in first] == ["0.5", "01", "1", "1.0", "NaN"]
    for seed in range(5):
        shuffled = numbers[:]
        random.Random(seed).shuffle(shuffled)
        assert sort_solutions(shuffled, [("n", False)]) == first


def test_order_by_must_name_variables() -> None:
    text = "#+ name: bad\n#+ summary: Bad.\n\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY STR(?x)\n"
    with pytest.raises(QueryError, match="ORDER BY may only name variables"):
        parse(text, "portlod/queries/bad.rq")


def test_unknown_derive_step() -> None:
    text = "#+ name: bad\n#+ summary: Bad.\n#+ derive: {guess: {}}\n\nSELECT ?x WHERE { ?x ?p ?o }\n"
    with pytest.raises(QueryError, match="unknown derive step 'guess'"):
        parse(text, "portlod/queries/bad.rq")


@pytest.mark.parametrize(("settings", "message"), [
    ("{dates: {per: agreement, date: signed}}", "per must be a list"),      # was split into letters
    ("{dates: {per: [agreement], date: signed, rows: partner}}", "rows must be a list"),  # likewise
    ("{dates: {per: [agreement], date: signed, colour: red}}", "colour"),   # was a TypeError when asked
    ("{latest-status: {}}", "per"),
])
def test_derive_settings_are_checked(settings: str, message: str) -> None:
    text = f"#+ name: bad\n#+ summary: Bad.\n#+ derive: {settings}\n\nSELECT ?x WHERE {{ ?x ?p ?o }}\n"
    with pytest.raises(QueryError, match=message):
        parse(text, "portlod/queries/bad.rq")


# -- values blocks ---------------------------------------------------------------------------------

def test_a_table_is_a_second_values_block() -> None:
    text = bound("SELECT ?a ?b WHERE { ?a ?p ?b }", {"p": n("p")}, Table(("a", "b"), ((n("a"), None), (None, lit('x"y')))))
    assert 'VALUES (?p) { (<https://w3id.org/portlod/id/p>) }' in text
    assert 'VALUES (?a ?b) { (<https://w3id.org/portlod/id/a> UNDEF) (UNDEF "x\\"y") }' in text
    store = ox.Store()
    store.add(ox.Quad(n("a"), n("p"), lit('x"y')))
    store.add(ox.Quad(n("c"), n("p"), n("d")))
    rows = [(s["a"], s["b"]) for s in store.query(text)]  # the text parses and both blocks restrict
    assert rows == [(n("a"), lit('x"y'))] * 2   # one solution per row of the table it is compatible with


# -- a small data set: names, labels and passages ------------------------------------------------------

@pytest.fixture(scope="module")
def names() -> ox.Store:
    """Three resources named POLA in three spellings, one with an English and a German label, and
    McPort; each fact in the graph of a passage of its own source."""
    store = ox.Store()
    facts = [("org/a", RDFS_LABEL, ox.Literal("Port A", language="en")),
             ("org/a", ALT_LABEL, ox.Literal("POLA", language="en")),
             ("org/b", ALT_LABEL, ox.Literal("Pola", language="en")),
             ("org/c", RDFS_LABEL, ox.Literal("Zeta", language="en")),
             ("org/c", RDFS_LABEL, ox.Literal("Alpha", language="de")),
             ("org/c", ALT_LABEL, ox.Literal("PoLA", language="en")),
             ("org/d", RDFS_LABEL, ox.Literal("McPort", language="en"))]
    for i, (s, p, o) in enumerate(facts):
        graph, passage, source = n(f"graph/src{i}/p1"), n(f"source/src{i}/p1"), n(f"source/src{i}")
        store.add(ox.Quad(n(s), p, o, graph))
        store.add(ox.Quad(graph, ox.NamedNode(PL + "derivedFrom"), passage, META))
        store.add(ox.Quad(passage, ox.NamedNode(PL + "inSource"), source, META))
        store.add(ox.Quad(passage, ox.NamedNode(PL + "paragraph"), ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")), META))
    return store


def test_a_name_written_so_is_looked_up_directly(names: ox.Store) -> None:
    # POLA and its lower, upper and title case spellings: PoLA is none of them
    assert {r.resource.iri[len(ID):] for r in Q.ask(names, "resolve", name="POLA")} == {"org/a", "org/b"}
    # no spelling of it is in the data as written: every name compared ignoring case
    assert [r.resource.iri[len(ID):] for r in Q.ask(names, "resolve", name="mcport")] == ["org/d"]
    assert Q.ask(names, "resolve", name="nowhere") == []


def test_a_resource_shows_one_label_english_first(names: ox.Store) -> None:
    [row] = Q.ask(names, "resolve", name="zeta")
    assert row.resource.label == "Zeta"  # not the smaller German "Alpha"
    [source] = row.sources
    assert (source.source_key, source.passage, source.paragraph) == ("src3", "p1", 1)


@pytest.mark.parametrize("timeout", [0, -1.0, float("nan"), float("inf")])
def test_timeout_must_be_a_positive_number(timeout: float) -> None:
    """Regression: a NaN, infinite or negative timeout reached urllib and raised its ValueError."""
    with pytest.raises(QueryError, match="timeout"):
        Q.ask("http://localhost:9/sparql", "partners", port="USLAX", timeout=timeout)


def test_derive_variables_are_variables_of_the_select() -> None:
    """A misspelt variable in ``rows`` left every row out, silently."""
    from portlod.queries._registry import _check

    text = ("#+ name: bad\n#+ summary: Bad.\n#+ columns: {x: {type: resource, description: x}}\n"
            "#+ derive: {dates: {per: [x], date: d, rows: [parter]}}\n\nSELECT ?x ?d WHERE { ?x ?p ?d }\n")
    with pytest.raises(QueryError, match="rows names parter, not variables of the SELECT clause"):
        _check(parse(text, "portlod/queries/bad.rq"))
