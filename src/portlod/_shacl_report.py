"""SHACL results in rdflib terms, from either engine, and where their facts are stated.

:class:`Found` is one result before it is put into words: what pySHACL's report graph says
(:func:`from_report`) or what the native engine found (:func:`from_raw`). :func:`report_graph`
writes results as a SHACL validation report graph; :class:`Origins` finds the fact graphs, source
files, lines and paragraphs behind a result.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import NamedTuple

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from ._shacl import Raw
from .build import METADATA_GRAPH
from .dataset import INFERRED_GRAPH, from_rdflib_term, to_rdflib_term
from .vocab import PREFIXES

__all__ = ["Found", "Origin", "Origins", "from_raw", "from_report", "merge", "report_graph", "term_text"]

_PL = PREFIXES["pl"]
_DERIVED_FROM = ox.NamedNode(_PL + "derivedFrom")
_IN_SOURCE = ox.NamedNode(_PL + "inSource")
_PARAGRAPH = ox.NamedNode(_PL + "paragraph")
_LINE = ox.NamedNode(_PL + "line")
_SOURCE_FILE = ox.NamedNode(_PL + "sourceFile")
_OX_TYPE = ox.NamedNode(str(RDF.type))


class Found(NamedTuple):
    """One validation result in rdflib terms (``value`` and ``path`` None where SHACL gives none)."""

    focus: Node
    path: Node | None
    value: Node | None
    messages: tuple[Node, ...]
    severity: Node
    shape: Node
    component: Node

    def message(self) -> str:
        """The English (or untagged) message, else the first."""
        ordered = sorted(self.messages, key=lambda m: (getattr(m, "language", None) not in (None, "en"), str(m)))
        return str(ordered[0]) if ordered else ""


def from_report(report: rdflib.Graph, shapes: set[Node] | None = None) -> list[Found]:
    """The top-level results of pySHACL's report graph (of ``shapes`` only, if given)."""
    # the report read once, by subject (thousands of warnings on a registry)
    about: dict[Node, dict[Node, list[Node]]] = {}
    for s, p, o in report:
        about.setdefault(s, {}).setdefault(p, []).append(o)

    def value(node: Node, p: Node) -> Node | None:
        found = about.get(node, {}).get(p)
        return found[0] if found else None

    found = []
    # only the top-level results: pySHACL also types the nested results of sh:node, sh:or, ...
    # (linked through sh:detail) as sh:ValidationResult
    for report_node in report.subjects(RDF.type, SH.ValidationReport):
        for node in about[report_node].get(SH.result, ()):
            shape = value(node, SH.sourceShape)
            if shapes is not None and shape not in shapes:
                continue
            focus, severity, component = value(node, SH.focusNode), value(node, SH.resultSeverity), \
                value(node, SH.sourceConstraintComponent)
            assert focus is not None and shape is not None and component is not None
            found.append(Found(focus, value(node, SH.resultPath), value(node, SH.value),
                               tuple(about[node].get(SH.resultMessage, ())),
                               severity if severity is not None else SH.Violation, shape, component))
    return found


def from_raw(raw: Iterable[Raw]) -> list[Found]:
    """The native engine's results."""
    return [Found(to_rdflib_term(focus), rdflib.URIRef(shape.path.value) if shape.path is not None else None,
                  to_rdflib_term(value) if value is not None else None, shape.messages, shape.severity,
                  shape.node, rdflib.URIRef(component))
            for shape, component, focus, value in raw]


def report_graph(found: Iterable[Found], conforms: bool,
                 describe: Callable[[rdflib.BNode], Iterable[tuple[Node, Node]]]) -> rdflib.Graph:
    """A SHACL validation report graph of these results. As pySHACL does, a blank focus node or
    value comes with its description (``describe``: its predicates and objects), blank nodes
    among those with theirs, ten levels deep."""
    graph = rdflib.Graph()
    graph.bind("sh", SH)
    report = rdflib.BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, rdflib.Literal(conforms)))
    described: set[Node] = set()
    for f in found:
        node = rdflib.BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, f.focus))
        if f.path is not None:
            graph.add((node, SH.resultPath, f.path))
        if f.value is not None:
            graph.add((node, SH.value, f.value))
        for m in f.messages:
            graph.add((node, SH.resultMessage, m))
        graph.add((node, SH.resultSeverity, f.severity))
        graph.add((node, SH.sourceShape, f.shape))
        graph.add((node, SH.sourceConstraintComponent, f.component))
        for term in (f.focus, f.value):
            if isinstance(term, rdflib.BNode) and term not in described:
                _describe(graph, term, describe, described, 0)
    return graph


def _describe(graph: rdflib.Graph, node: rdflib.BNode, describe: Callable[[rdflib.BNode], Iterable[tuple[Node, Node]]],
              described: set[Node], depth: int) -> None:
    described.add(node)
    if depth >= 10:         # pySHACL's limit
        return
    for p, o in describe(node):
        graph.add((node, p, o))
        if isinstance(o, rdflib.BNode) and o not in described:
            _describe(graph, o, describe, described, depth + 1)


def merge(into: rdflib.Graph, other: rdflib.Graph) -> None:
    """Add the results of another report graph (pySHACL's) to ``into``."""
    (report,) = into.subjects(RDF.type, SH.ValidationReport)
    for other_report in other.subjects(RDF.type, SH.ValidationReport):
        for s, p, o in other:
            if s == other_report:
                if p == SH.result:
                    into.add((report, p, o))
            else:
                into.add((s, p, o))


def term_text(term: Node | None) -> str | None:
    """An IRI as is, anything else in N-Triples syntax (a plain literal as ``xsd:string``)."""
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return str(term)
    if isinstance(term, rdflib.Literal) and term.datatype is None and term.language is None:
        return rdflib.Literal(str(term), datatype=XSD.string).n3()  # RDF 1.1: plain = xsd:string
    with warnings.catch_warnings():     # rdflib warns about a number that is not one: often the fault reported
        warnings.simplefilter("ignore", UserWarning)
        return term.n3()


class Origin(NamedTuple):
    """Where a fact is stated: a fact graph and the source file, line and paragraph of the passage
    it comes from (``None`` where unknown, e.g. registry entries have no paragraph)."""

    graph: str
    source_file: str | None
    line: int | None
    paragraph: int | None

    def __str__(self) -> str:
        where = self.source_file or "<no source file>"
        if self.line is not None:
            where += f":{self.line}"
        if self.paragraph is not None:
            where += f" (paragraph {self.paragraph})"
        return f"{where} [graph <{self.graph}>]"


class Origins:
    """Finds the fact graphs stating a result's triples and describes them from the metadata
    graph: fact graph → pl:derivedFrom → passage → pl:line, pl:paragraph, pl:inSource → source →
    pl:sourceFile."""

    def __init__(self, store: ox.Store | None) -> None:
        self.store = store
        self.graphs: dict[ox.NamedNode, tuple[Origin, ...]] = {}

    def of(self, focus: Node | None, path: Node | None, value: Node | None) -> tuple[Origin, ...]:
        if self.store is None or not isinstance(focus, (rdflib.URIRef, rdflib.BNode)):
            return ()
        subject = ox.NamedNode(str(focus)) if isinstance(focus, rdflib.URIRef) else ox.BlankNode(str(focus))
        predicate = ox.NamedNode(str(path)) if isinstance(path, rdflib.URIRef) else None
        obj = from_rdflib_term(value) if value is not None and predicate is not None else None
        graphs = self._graphs(subject, predicate, obj)
        if not graphs and predicate is not None:        # nothing stated on this path: where is the node?
            graphs = self._graphs(subject, _OX_TYPE, None) or self._graphs(subject, None, None)
        found: set[Origin] = set()
        for g in graphs:
            found.update(self._describe(g, subject))
        return tuple(sorted(found, key=lambda o: (o.source_file or "", o.paragraph or 0, o.line or 0, o.graph)))

    def _graphs(self, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode | None,
                o: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> set[ox.NamedNode]:
        assert self.store is not None
        return {q.graph_name for q in self.store.quads_for_pattern(s, p, o, None)
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name != INFERRED_GRAPH}

    def _describe(self, graph: ox.NamedNode, focus: ox.NamedNode | ox.BlankNode) -> tuple[Origin, ...]:
        if graph == METADATA_GRAPH:
            # facts about sources, passages and fact graphs: name the passage or source concerned
            passages = self._objects(focus, _DERIVED_FROM) or ([focus] if self._objects(focus, _IN_SOURCE) else [])
            if passages:
                return tuple(self._passage(graph, p) for p in passages)
            return (Origin(graph.value, self._source_file(focus), None, None),)
        if graph not in self.graphs:
            passages = self._objects(graph, _DERIVED_FROM)
            self.graphs[graph] = (tuple(self._passage(graph, p) for p in passages)
                                  or (Origin(graph.value, None, None, None),))
        return self.graphs[graph]

    def _passage(self, graph: ox.NamedNode, passage: ox.NamedNode | ox.BlankNode) -> Origin:
        sources = self._objects(passage, _IN_SOURCE)
        # a passage may name its own file (a row of a registry spread over many files)
        own = self._source_file(passage)
        return Origin(graph.value, own or (self._source_file(sources[0]) if sources else None),
                      self._int(passage, _LINE), self._int(passage, _PARAGRAPH))

    def _objects(self, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode) -> list[ox.NamedNode | ox.BlankNode]:
        assert self.store is not None
        return sorted({q.object for q in self.store.quads_for_pattern(s, p, None, METADATA_GRAPH)
                       if isinstance(q.object, (ox.NamedNode, ox.BlankNode))}, key=str)

    def _int(self, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode) -> int | None:
        assert self.store is not None
        for q in self.store.quads_for_pattern(s, p, None, METADATA_GRAPH):
            if isinstance(q.object, ox.Literal) and q.object.value.isdigit():
                return int(q.object.value)
        return None

    def _source_file(self, source: ox.NamedNode | ox.BlankNode) -> str | None:
        """The portlod source file (pl:sourceFile) the source's facts were built from."""
        assert self.store is not None
        files = sorted(q.object.value for q in self.store.quads_for_pattern(source, _SOURCE_FILE, None, METADATA_GRAPH)
                       if isinstance(q.object, ox.Literal))
        return files[0] if files else None
