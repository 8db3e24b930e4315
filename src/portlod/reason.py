"""Materialise the OWL RL entailments portlod's queries need into a separate named graph.

What is entailed (the OWL 2 RL rules that matter for this ontology, applied to a fixpoint):
class hierarchy (cax-sco, cax-eqc, scm-sco/eqc), property hierarchy (prp-spo1, prp-eqp), inverses
(prp-inv), symmetric properties (prp-symp), and domain/range typing (prp-dom, prp-rng) for IRIs.
Entailments go to :data:`~portlod.dataset.INFERRED_GRAPH`, never into the asserted graphs; triples
with a literal subject and ``owl:sameAs x x`` noise never reach the store. owlrl is the reference:
``tests/test_reason.py`` checks this closure against owlrl's on the seed data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from .dataset import INFERRED_GRAPH, Dataset
from .resources import path

__all__ = ["OntologyModel", "entailments", "reason"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"


class OntologyModel:
    """The closures of the ontology's class and property axioms, computed once."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        sub_class: dict[str, set[str]] = defaultdict(set)
        sub_prop: dict[str, set[str]] = defaultdict(set)
        inverse: dict[str, set[str]] = defaultdict(set)
        self.domain: dict[str, set[str]] = defaultdict(set)
        self.range: dict[str, set[str]] = defaultdict(set)
        self.symmetric: set[str] = set()
        #: the ontology's own terms; what is entailed about them is the ontology's business
        self.terms: set[ox.NamedNode] = set()
        for t in triples:
            if isinstance(t.subject, ox.NamedNode):
                self.terms.add(t.subject)
            if not isinstance(t.subject, ox.NamedNode) or not isinstance(t.object, ox.NamedNode):
                continue
            s, p, o = t.subject.value, t.predicate.value, t.object.value
            if p == RDFS + "subClassOf":
                sub_class[s].add(o)
            elif p == OWL + "equivalentClass":
                sub_class[s].add(o)
                sub_class[o].add(s)
            elif p == RDFS + "subPropertyOf":
                sub_prop[s].add(o)
            elif p == OWL + "equivalentProperty":
                sub_prop[s].add(o)
                sub_prop[o].add(s)
            elif p == OWL + "inverseOf":
                inverse[s].add(o)
                inverse[o].add(s)
            elif p == RDFS + "domain":
                self.domain[s].add(o)
            elif p == RDFS + "range":
                self.range[s].add(o)
            elif p == RDF_TYPE and o == OWL + "SymmetricProperty":
                self.symmetric.add(s)
        self.superclasses = {c: _closure(c, sub_class) for c in list(sub_class)}
        self.superproperties = {p: _closure(p, sub_prop) for p in list(sub_prop)}
        self.inverse = inverse
        # Datatype ranges (xsd:string, pl:FuzzyDate...) type literals only: not materialised.
        self.range = defaultdict(set, {p: {c for c in cs if not c.startswith("http://www.w3.org/2001/XMLSchema#")
                                           and c not in (RDFS + "Literal", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
                                                         "https://w3id.org/portlod/ontology#FuzzyDate")}
                                       for p, cs in self.range.items()})

    @classmethod
    def packaged(cls) -> "OntologyModel":
        return cls(ox.parse(path=path("ontology"), format=ox.RdfFormat.TURTLE))

    def classes(self, cls: str) -> set[str]:
        return self.superclasses.get(cls, {cls}) | {cls}

    def properties(self, prop: str) -> set[str]:
        return self.superproperties.get(prop, {prop}) | {prop}


def _closure(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def entailments(triples: Iterable[ox.Triple], model: OntologyModel) -> set[ox.Triple]:
    """Every triple the rules above entail from ``triples`` (asserted ones included)."""
    out: set[ox.Triple] = set()
    todo = list(triples)
    rdf_type = ox.NamedNode(RDF_TYPE)
    while todo:
        t = todo.pop()
        if t in out or isinstance(t.subject, ox.Literal):
            continue
        out.add(t)
        s, p, o = t.subject, t.predicate.value, t.object
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            todo.extend(ox.Triple(s, rdf_type, ox.NamedNode(c)) for c in model.classes(o.value))
            continue
        if p == OWL + "sameAs":
            continue
        for q in model.properties(p):
            todo.append(ox.Triple(s, ox.NamedNode(q), o))
            for c in model.domain.get(q, ()):
                todo.append(ox.Triple(s, rdf_type, ox.NamedNode(c)))
            if isinstance(o, (ox.NamedNode, ox.BlankNode)):
                for c in model.range.get(q, ()):
                    todo.append(ox.Triple(o, rdf_type, ox.NamedNode(c)))
                for inv in model.inverse.get(q, ()):
                    todo.append(ox.Triple(o, ox.NamedNode(inv), s))
                if q in model.symmetric:
                    todo.append(ox.Triple(o, ox.NamedNode(q), s))
    return out


def reason(dataset: Dataset, *, model: OntologyModel | None = None) -> Dataset:
    """Write the entailments of the asserted data into the inferred graph (replacing what was
    there) and return the same data set. Asserted graphs are left untouched."""
    store = dataset.store
    if store.contains_named_graph(INFERRED_GRAPH):
        store.remove_graph(INFERRED_GRAPH)
    asserted = set(dataset.union(inferred=False))
    model = model or _model()
    entailed = entailments(asserted, model)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH) for t in entailed - asserted
                 if t.subject not in model.terms)
    return dataset


_MODEL: OntologyModel | None = None


def _model() -> OntologyModel:
    global _MODEL
    if _MODEL is None:
        _MODEL = OntologyModel.packaged()
    return _MODEL
