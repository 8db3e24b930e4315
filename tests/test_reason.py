"""reason(): entailments go to their own graph and agree with owlrl, the reference."""

from __future__ import annotations

import owlrl
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

import portlod
from portlod.dataset import INFERRED_GRAPH, to_rdflib_term
from portlod.reason import reason
from portlod.resources import path

PL = "https://w3id.org/portlod/ontology#"
ID = "https://w3id.org/portlod/id/"


@pytest.fixture(scope="module")
def reasoned(seed_sources: object) -> portlod.Dataset:
    return reason(portlod.build(seed_sources))  # type: ignore[arg-type]


def _ours(ds: portlod.Dataset) -> set[tuple[rdflib.term.Node, ...]]:
    return {(to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object))
            for q in ds.store.quads_for_pattern(None, None, None, INFERRED_GRAPH)}


def test_asserted_graphs_untouched(seed_sources: object) -> None:
    plain = portlod.build(seed_sources)  # type: ignore[arg-type]
    before = {q for q in plain.store if q.graph_name != INFERRED_GRAPH}
    reason(plain)
    after = {q for q in plain.store if q.graph_name != INFERRED_GRAPH}
    assert before == after
    assert len(plain.store) > len(before)


def test_reasoning_twice_is_idempotent(reasoned: portlod.Dataset) -> None:
    first = _ours(reasoned)
    reason(reasoned)
    assert _ours(reasoned) == first


def test_no_noise(reasoned: portlod.Dataset) -> None:
    for s, p, o in _ours(reasoned):
        assert not isinstance(s, rdflib.Literal)
        assert not (p == OWL.sameAs and s == o)


def test_expected_entailments(reasoned: portlod.Dataset) -> None:
    ours = _ours(reasoned)
    pola = rdflib.URIRef(ID + "org/port-of-los-angeles")
    uslax = rdflib.URIRef(ID + "port/USLAX")
    # inverse: the cluster has member ports <-> the port is in the cluster
    assert (uslax, rdflib.URIRef(PL + "inCluster"), rdflib.URIRef(ID + "cluster/san-pedro-bay")) in ours
    # alignment classes: a port authority is a W3C ORG and schema.org organization
    assert (pola, RDF.type, rdflib.URIRef("http://www.w3.org/ns/org#Organization")) in ours
    assert (pola, RDF.type, rdflib.URIRef("https://schema.org/Organization")) in ours
    mou = rdflib.URIRef(ID + "agreement/2023-03-16-pola-yokohama-mou")
    assert (mou, RDF.type, rdflib.URIRef(PL + "Agreement")) in ours


def test_agrees_with_owlrl(reasoned: portlod.Dataset) -> None:
    """Every entailment of ours is one of owlrl's, and owlrl entails nothing more about the data's
    resources in terms of the ontology's named classes and properties."""
    data = reasoned.to_rdflib_graph(inferred=False)
    ontology = rdflib.Graph().parse(path("ontology"))
    graph = rdflib.Graph()
    for t in data:
        graph.add(t)
    for t in ontology:
        graph.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    named = {s for s in ontology.subjects() if isinstance(s, rdflib.URIRef)} | \
            {o for o in ontology.objects() if isinstance(o, rdflib.URIRef)}
    subjects = {s for s in data.subjects() if s not in named} | \
               {o for o in data.objects() if isinstance(o, rdflib.URIRef) and o not in named}
    noise = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
    reference = {
        (s, p, o) for s, p, o in graph
        if s in subjects and (s, p, o) not in data and not isinstance(s, rdflib.Literal)
        and p != OWL.sameAs and not (p == RDF.type and (o in noise or o not in named))
        and (p == RDF.type or p in named) and not isinstance(o, rdflib.BNode)
    }
    ours = _ours(reasoned)
    assert ours - reference == set(), sorted(ours - reference)[:10]
    assert reference - ours == set(), sorted(reference - ours)[:10]
