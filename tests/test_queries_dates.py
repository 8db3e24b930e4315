"""The dated questions (partners, agreements) over a small data set in which every fact is stated
by several sources: each side, relation, kind and event counts once however many passages state
it, and the dates of a relation are read apart from its rows (the step ``dates`` with ``rows``).

The data is written out as quads, so that each test shows exactly what the sources say.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from portlod import queries as Q
from portlod.queries._derive import dates

ID = "https://w3id.org/portlod/id/"
PL = "https://w3id.org/portlod/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(ID + local)


def pl(local: str) -> ox.NamedNode:
    return ox.NamedNode(PL + local)


def day(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + {4: "gYear", 7: "gYearMonth"}.get(len(text), "date")))


def test_solutions_without_the_row_variables_only_date_their_item() -> None:
    r, x, g1, g2 = n("agreement/r"), n("org/x"), n("graph/s1/p1"), n("graph/s2/p1")
    rows = dates([{"relation": r, "partner": x, "sources": g1},
                  {"relation": r, "partner": x, "sources": g2},
                  {"relation": r, "claim": day("2023-03"), "claim_graph": g1},
                  {"relation": r, "claim": day("2023-03-16"), "claim_graph": g2}],
                 {"year": day("2023")}, per=["relation"], date="date", rows=["partner"])
    assert sorted((s["sources"].value, s["date"].value, s["certainty"].value) for s in rows) == [
        (g1.value, "2023-03-16", "within"), (g2.value, "2023-03-16", "within")]
    assert all(s["partner"] == x for s in rows)
    # without rows, every solution gives one (the dated ones without their dates)
    assert len(dates([{"relation": r, "claim": day("2023"), "claim_graph": g1}], {}, per=["relation"], date="date")) == 1


@pytest.fixture(scope="module")
def repeated() -> ox.Store:
    """Port P, operated by O; agreement R between O and X, signed during event E; X and the
    cluster C of P also sign R, but are on P's side. Two sources (s1, s2) state each fact."""
    store = ox.Store()
    p, o, x, y, c, r, e = (n("port/PPPPP"), n("org/o"), n("org/x"), n("org/y"), n("cluster/c"), n("agreement/r"),
                           n("event/e"))
    for source in ("s1", "s2"):
        g = n(f"graph/{source}/p1")
        for s, prop, obj in [
            (p, TYPE, pl("Port")), (o, pl("operates"), p), (p, pl("operatedBy"), o), (y, pl("governs"), p),
            (c, pl("memberPort"), p), (r, TYPE, pl("MemorandumOfUnderstanding")), (r, pl("party"), o),
            (r, pl("party"), x), (r, pl("party"), y), (r, pl("party"), c), (r, pl("signedDuring"), e),
            (e, pl("startDate"), day("2023-03-14")), (e, pl("endDate"), day("2023-03-18")),
        ]:
            store.add(ox.Quad(s, prop, obj, g))
    # the sources disagree on the kind; only s2 dates the signing, to the month
    store.add(ox.Quad(r, TYPE, pl("CooperationAgreement"), n("graph/s2/p1")))
    store.add(ox.Quad(r, pl("signedOn"), day("2023-03"), n("graph/s2/p2")))
    store.add(ox.Quad(r, pl("dateAsPrinted"), ox.Literal("in March"), n("graph/s2/p2")))
    return store


def test_partners_count_each_fact_once(repeated: ox.Store) -> None:
    rows = Q.ask(repeated, "partners", port="PPPPP")
    got = sorted((r.partner.iri[len(ID):], r.kind, r.via.iri[len(ID):]) for r in rows)
    # O and Y (which operate or govern P) and the cluster C (of P) are the asked side: X is the partner
    assert got == [("org/x", kind, via) for kind in ("cooperation", "mou") for via in ("cluster/c", "org/o", "org/y")]
    for row in rows:
        assert sorted(c.graph[len(ID):] for c in row.sources) == ["graph/s1/p1", "graph/s2/p1"]
        # the month given, narrowed by the event it was signed during to 14-18 March
        assert (row.date.value, row.date.as_printed) == ("2023-03", "in March")
    assert {r.certainty for r in Q.ask(repeated, "partners", port="PPPPP", from_="2023-03-14")} == {"within"}
    assert {r.kind for r in Q.ask(repeated, "partners", org="o", kind="mou")} == {"mou"}


def test_agreements_count_each_fact_once(repeated: ox.Store) -> None:
    rows = Q.ask(repeated, "agreements", port="PPPPP", to="2023-03-16")
    assert sorted((r.kind, r.certainty) for r in rows) == [("cooperation", "overlaps"), ("mou", "overlaps")]
    for row in rows:
        assert row.signed_during.iri == ID + "event/e"
        assert [p.iri[len(ID):] for p in row.parties] == ["cluster/c", "org/o", "org/x", "org/y"]
        assert sorted(c.graph[len(ID):] for c in row.sources) == ["graph/s1/p1", "graph/s2/p1"]
        assert sorted(c.graph[len(ID):] for c in row.date_sources) == ["graph/s2/p2"]
    assert Q.ask(repeated, "agreements", org="o", year="2022") == []


def _corridor_with_two_statuses(first: str, second: str) -> ox.Store:
    """A port and a corridor whose source reports two statuses in the same month, inserted in the
    order given."""
    pl, idp = "https://w3id.org/portlod/ontology#", "https://w3id.org/portlod/id/"
    g = f"<{idp}graph/s/p1>"
    a = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines = [f"<{idp}port/SEGOT> {a} <{pl}Port> {g} .",
             f"<{idp}initiative/c> {a} <{pl}GreenShippingCorridor> {g} .",
             f"<{idp}initiative/c> <{pl}endpoint> <{idp}port/SEGOT> {g} ."]
    for status in (first, second):
        node = f"<{idp}initiative/c/status/{status}>"
        lines += [f"<{idp}initiative/c> <{pl}statusAssertion> {node} {g} .",
                  f"{node} <{pl}asOf> \"2023-03\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> {g} .",
                  f"{node} <{pl}status> <{pl}{status}> {g} ."]
    store = ox.Store()
    store.load(input="\n".join(lines) + "\n", format=ox.RdfFormat.N_QUADS)
    return store


def test_timeline_orders_statuses_of_the_same_date_by_status() -> None:
    """Regression: two statuses reported for the same month came in the store's order (Oxigraph's
    ORDER BY does not settle ties), so the same data could give its timeline in either order."""
    orders = []
    for first, second in (("Announced", "Agreed"), ("Agreed", "Announced")):
        rows = Q.ask(_corridor_with_two_statuses(first, second), "timeline", port="SEGOT")
        orders.append([r.status.iri.rsplit("#", 1)[-1] for r in rows if r.event == "status"])
    assert orders[0] == orders[1] == ["Agreed", "Announced"]
