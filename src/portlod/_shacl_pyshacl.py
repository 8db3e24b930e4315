"""The reference engine: pySHACL over an rdflib copy of the data.

:func:`run` hands pySHACL (no inference, SHACL Core) an rdflib graph of the data: the union of the
fact graphs plus the metadata graph, or for an incremental validation the neighbourhood of the
resources (:func:`neighbourhood`), with the ontology and the SKOS schemes mixed in so that
``sh:class`` and ``sh:targetClass`` follow ``rdfs:subClassOf``. The copy lives in a lean store of
our own (:class:`TripleIndex`), each distinct term converted once; it is freed as soon as pySHACL
is done. pySHACL and rdflib change process-wide state: one thread at a time.

``portlod.validate(..., engine="pyshacl")`` validates with it alone; the native engine
(:mod:`portlod._shacl`) uses it for the shapes it does not evaluate itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import rdflib
from pyshacl.errors import ReportableRuntimeError
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from .dataset import INFERRED_GRAPH, to_rdflib_term
from .errors import ValidatorError

__all__ = ["TripleIndex", "empty_report", "full_copy", "graph_triples", "neighbourhood", "restrict", "run",
           "store_triples", "subclass_statements"]

_XSD_STRING = XSD.string
_SUBCLASS_OF = ox.NamedNode(str(RDFS.subClassOf))


def run(data_graph: rdflib.Graph, shapes_graph: rdflib.Graph, extra: Iterable[tuple[Node, Node, Node]],
        shapes_file: Path, use_shapes: Sequence[Node] | None = None) -> rdflib.Graph:
    """pySHACL's report graph for ``data_graph`` plus the ``extra`` triples (the schemes and the
    shapes' class unions), with all shapes or only ``use_shapes``. The data graph is consumed."""
    for t in extra:
        data_graph.add(t)
    # Not pySHACL's focus_nodes option: in pySHACL 0.40 it also filters the value nodes of
    # nested shapes (sh:node, sh:or, ...), which then pass unchecked. The extract is small;
    # validate all of it and keep the results about the covered nodes.
    named = None
    if use_shapes is not None:
        assert all(isinstance(s, rdflib.URIRef) for s in use_shapes)   # pySHACL names shapes by IRI only
        named = [str(s) for s in use_shapes]
    try:
        _, report_graph, _ = pyshacl.validate(
            data_graph, shacl_graph=shapes_graph, inference="none", advanced=False, inplace=True,
            allow_warnings=True, allow_infos=True, use_shapes=named)
    except ReportableRuntimeError as exc:
        raise ValidatorError(f"{shapes_file}: pySHACL cannot use these shapes: {exc}") from exc
    finally:
        if isinstance(data_graph.store, TripleIndex):   # free the copy now, not at the next
            data_graph.store.clear()                    # full garbage collection
    if not isinstance(report_graph, rdflib.Graph):  # pySHACL returns a ValidationFailure, not raises it
        raise ValidatorError(f"{shapes_file}: pySHACL failed to validate: {report_graph}")
    return report_graph


# -- the data to validate -----------------------------------------------------------------------

Triple = tuple[Node, Node, Node]


Pattern = tuple[Node | None, Node | None, Node | None]
_NO_CONTEXTS: tuple[rdflib.Graph, ...] = ()


class TripleIndex(SimpleMemory):
    """The rdflib store of the graph handed to pySHACL: one graph of triples in nested dictionaries
    of sets, by subject and predicate, and by predicate and object.

    rdflib's default ``Memory`` store records the contexts of every triple, which is most of the
    time spent adding the data and a good part of answering pySHACL's triple patterns; its
    ``SimpleMemory`` store counts its triples by iterating over all of them, which pySHACL makes it
    do once per shape (through the truth value of the graph). This index counts as it adds and adds
    without exceptions. pySHACL asks (s, p, ?) and (?, p, o) only, so the index by object alone,
    for (?, ?, o), is built the first time such a pattern comes.

    It is declared context and graph aware only because pySHACL wraps every data graph in an
    rdflib ``Dataset``, which insists on that; it holds one graph and ignores contexts. Prefix
    bindings are ``SimpleMemory``'s. :meth:`clear` frees the triples at once."""

    context_aware = True
    graph_aware = True

    def __init__(self) -> None:
        super().__init__()
        self.clear()

    def clear(self) -> None:
        self._spo: dict[Node, dict[Node, set[Node]]] = {}
        self._pos: dict[Node, dict[Node, set[Node]]] = {}
        self._osp: dict[Node, dict[Node, set[Node]]] | None = None
        self._size = 0

    def add(self, triple: Triple, context: object = None, quoted: bool = False) -> None:
        s, p, o = triple
        by_predicate = self._spo.get(s)
        if by_predicate is None:
            by_predicate = self._spo[s] = {}
        objects = by_predicate.get(p)
        if objects is None:
            by_predicate[p] = {o}
        elif o in objects:
            return
        else:
            objects.add(o)
        by_object = self._pos.get(p)
        if by_object is None:
            self._pos[p] = {o: {s}}
        else:
            subjects = by_object.get(o)
            if subjects is None:
                by_object[o] = {s}
            else:
                subjects.add(s)
        if self._osp is not None:
            self._osp.setdefault(o, {}).setdefault(s, set()).add(p)
        self._size += 1

    def remove(self, triple_pattern: Pattern, context: object = None) -> None:
        for (s, p, o), _ in list(self.triples(triple_pattern)):
            self._spo[s][p].discard(o)
            self._pos[p][o].discard(s)
            if self._osp is not None:
                self._osp[o][s].discard(p)
            self._size -= 1

    def _by_object(self) -> dict[Node, dict[Node, set[Node]]]:
        if self._osp is None:
            osp: dict[Node, dict[Node, set[Node]]] = {}
            for s, by_predicate in self._spo.items():
                for p, objects in by_predicate.items():
                    for o in objects:
                        osp.setdefault(o, {}).setdefault(s, set()).add(p)
            self._osp = osp
        return self._osp

    def triples(self, triple_pattern: Pattern,  # type: ignore[override]
                context: object = None) -> Iterator[tuple[Triple, tuple[rdflib.Graph, ...]]]:
        s, p, o = triple_pattern
        none = _NO_CONTEXTS
        if s is not None:
            by_predicate = self._spo.get(s)
            if not by_predicate:
                return
            if p is not None:
                objects = by_predicate.get(p)
                if not objects:
                    return
                if o is not None:
                    if o in objects:
                        yield (s, p, o), none
                    return
                for obj in objects:
                    yield (s, p, obj), none
                return
            for pred, objects in by_predicate.items():
                if o is None:
                    for obj in objects:
                        yield (s, pred, obj), none
                elif o in objects:
                    yield (s, pred, o), none
            return
        if p is not None:
            by_object = self._pos.get(p)
            if not by_object:
                return
            if o is not None:
                for subj in by_object.get(o, ()):
                    yield (subj, p, o), none
                return
            for obj, subjects in by_object.items():
                for subj in subjects:
                    yield (subj, p, obj), none
            return
        if o is not None:
            for subj, predicates in self._by_object().get(o, {}).items():
                for pred in predicates:
                    yield (subj, pred, o), none
            return
        for subj, by_predicate in self._spo.items():
            for pred, objects in by_predicate.items():
                for obj in objects:
                    yield (subj, pred, obj), none

    def __len__(self, context: object = None) -> int:
        return self._size


def _new_graph() -> rdflib.Graph:
    """An empty rdflib graph on a :class:`TripleIndex`."""
    return rdflib.Graph(store=TripleIndex())


class _Terms(dict[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, Node]):
    """pyoxigraph term → rdflib term (:func:`~portlod.dataset.to_rdflib_term`), each distinct
    term converted once: in the registry a term occurs seven times on average."""

    def __missing__(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
        converted: Node
        if type(term) is ox.NamedNode:
            # what rdflib.URIRef(...) makes, without re-checking an IRI pyoxigraph has checked
            converted = str.__new__(rdflib.URIRef, term.value)
        else:
            converted = to_rdflib_term(term)
        self[term] = converted
        return converted


def _normalised(t: Triple) -> Triple:
    s, p, o = t
    if isinstance(o, rdflib.Literal) and o.datatype == _XSD_STRING:
        o = rdflib.Literal(str(o))
    return s, p, o


def full_copy(store: ox.Store | None, graph: rdflib.Graph | None) -> rdflib.Graph:
    """The union of all fact graphs and the metadata graph (not the inferred graph), as a new
    rdflib Graph with plain literals for ``xsd:string``.

    The quads go straight into the graph's store (a triple stated in several fact graphs is stored
    once), each distinct term converted once (IRIs and many literals repeat)."""
    copy = _new_graph()
    add = copy.store.add
    if store is not None:
        terms = _Terms()
        for s, p, o, g in store:
            if g != INFERRED_GRAPH:
                add((terms[s], terms[p], terms[o]), copy)
    else:
        assert graph is not None
        for s, p, o in graph:
            if type(o) is rdflib.Literal and o.datatype == _XSD_STRING:
                o = rdflib.Literal(str(o))
            add((s, p, o), copy)
    return copy


def store_triples(store: ox.Store) -> Callable[[Node], Iterable[Triple]]:
    terms = _Terms()

    def triples_of(node: Node) -> Iterable[Triple]:
        if not isinstance(node, (rdflib.URIRef, rdflib.BNode)):
            return ()
        subject = ox.NamedNode(str(node)) if isinstance(node, rdflib.URIRef) else ox.BlankNode(str(node))
        return [(node, terms[q.predicate], terms[q.object])
                for q in store.quads_for_pattern(subject, None, None, None) if q.graph_name != INFERRED_GRAPH]
    return triples_of


def graph_triples(graph: rdflib.Graph) -> Callable[[Node], Iterable[Triple]]:
    def triples_of(node: Node) -> Iterable[Triple]:
        return [_normalised(t) for t in graph.triples((node, None, None))]
    return triples_of


def subclass_statements(store: ox.Store | None, graph: rdflib.Graph | None) -> list[Triple]:
    """The ``rdfs:subClassOf`` statements of the data (usually none: the ontology has them)."""
    if store is not None:
        terms = _Terms()
        return [(terms[q.subject], RDFS.subClassOf, terms[q.object])
                for q in store.quads_for_pattern(None, _SUBCLASS_OF, None, None) if q.graph_name != INFERRED_GRAPH]
    assert graph is not None
    return [_normalised(t) for t in graph.triples((None, RDFS.subClassOf, None))]


def neighbourhood(triples_of: Callable[[Node], Iterable[Triple]], roots: list[rdflib.URIRef],
                  subclasses: Iterable[Triple]) -> tuple[rdflib.Graph, set[rdflib.URIRef]]:
    """The triples of ``roots`` and of the nodes they link to, plus the ``rdf:type`` of the nodes
    those link to and the data's ``subclasses`` statements; and the IRIs whose shapes can be
    checked completely on that extract."""
    extract = _new_graph()
    for t in subclasses:
        extract.add(t)
    first: set[Node] = set(roots)
    second: set[Node] = set()
    node: Node
    for node in first:
        for t in triples_of(node):
            extract.add(t)
            if isinstance(t[2], (rdflib.URIRef, rdflib.BNode)) and t[1] != RDF.type:
                second.add(t[2])
    second -= first
    third: set[Node] = set()
    for node in second:
        for t in triples_of(node):
            extract.add(t)
            if isinstance(t[2], (rdflib.URIRef, rdflib.BNode)) and t[1] != RDF.type:
                third.add(t[2])
    for node in third - second - first:
        for t in triples_of(node):
            if t[1] == RDF.type:
                extract.add(t)
    covered = {n for n in first | second if isinstance(n, rdflib.URIRef)}
    return extract, covered


def empty_report() -> rdflib.Graph:
    graph = rdflib.Graph()
    node = rdflib.BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, rdflib.Literal(True)))
    return graph


def restrict(report: rdflib.Graph, focus: set[str]) -> rdflib.Graph:
    """pySHACL's report graph with only the results about ``focus`` (and ``sh:conforms`` to match)."""
    kept = rdflib.Graph()
    for prefix, namespace in report.namespaces():
        kept.bind(prefix, namespace)
    conforms = True
    for report_node in report.subjects(RDF.type, SH.ValidationReport):
        kept.add((report_node, RDF.type, SH.ValidationReport))
        for result in report.objects(report_node, SH.result):
            if str(report.value(result, SH.focusNode)) not in focus:
                continue
            kept.add((report_node, SH.result, result))
            conforms = conforms and report.value(result, SH.resultSeverity) != SH.Violation
            todo, seen = [result], set()
            while todo:                                     # the result and its blank-node details
                node = todo.pop()
                seen.add(node)
                for s, p, o in report.triples((node, None, None)):
                    kept.add((s, p, o))
                    if isinstance(o, rdflib.BNode) and o not in seen:
                        todo.append(o)
        kept.add((report_node, SH.conforms, rdflib.Literal(conforms)))
    return kept

