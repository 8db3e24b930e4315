"""SHACL validation with pySHACL, the reference validator, returning a typed report.

:func:`validate` runs pySHACL (no inference, SHACL Core shapes from ``shapes/portlod.shapes.ttl``)
over an rdflib copy of the data: the union of the fact graphs plus the metadata graph, with the
ontology and the SKOS schemes (themes, roles, fuels) mixed in so that ``sh:class`` and
``sh:targetClass`` follow ``rdfs:subClassOf``. The copy lives in a lean store of our own
(:class:`_TripleIndex`), each distinct term converted once; it is freed as soon as pySHACL is done.

Non-conformance is a result (:class:`ValidationReport`); only a failure of the validator itself (a
shapes file that does not parse or that pySHACL cannot load) raises
:class:`~portlod.errors.ValidatorError`. Each result says where the offending facts are stated: the
fact graphs, with the source file, line and paragraph of their passages (:class:`Origin`).

``resources=[iri, ...]`` validates just those resources: their own triples, the triples of the nodes
they link to, and the ``rdf:type`` of the nodes one hop further, all fetched from the store by
subject, so the cost depends on the neighbourhood and not on the size of the data set. The results
are those of the resources and of the nodes they link to (both fully present in the extract).

pySHACL and rdflib change process-wide state; validate in one thread (style rule 8). Cyclic garbage
collection is paused while validating (:func:`_gc_paused`).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

import pyoxigraph as ox
import pyshacl
import rdflib
from pyshacl.errors import ReportableRuntimeError
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from .build import METADATA_GRAPH
from .dataset import INFERRED_GRAPH, Dataset, from_rdflib, from_rdflib_term, to_rdflib_term
from .errors import ValidatorError
from .resources import path as resource_path
from .vocab import PREFIXES

__all__ = ["Origin", "Severity", "ValidationReport", "ValidationResult", "validate"]

Severity = Literal["Violation", "Warning", "Info"]
_SEVERITIES: dict[Node, Severity] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_RANK = {"Violation": 0, "Warning": 1, "Info": 2}
_SCHEMES = ("ontology", "themes", "roles", "fuels")
_PL = PREFIXES["pl"]
_DERIVED_FROM = ox.NamedNode(_PL + "derivedFrom")
_IN_SOURCE = ox.NamedNode(_PL + "inSource")
_PARAGRAPH = ox.NamedNode(_PL + "paragraph")
_LINE = ox.NamedNode(_PL + "line")
_SOURCE_FILE = ox.NamedNode(_PL + "sourceFile")
_OX_TYPE = ox.NamedNode(str(RDF.type))
_XSD_STRING = XSD.string


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


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """One SHACL result.

    ``focus`` is the IRI of the resource; ``path`` the property IRI (``None`` for a node-level
    constraint); ``value`` the offending value: an IRI as is, a literal in N-Triples syntax
    (``"2023"^^<http://www.w3.org/2001/XMLSchema#gYear>``), ``None`` for a missing value.
    ``shape`` is the IRI of the shape whose rule was broken and ``component`` the SHACL constraint
    component (``sh:MinCountConstraintComponent`` as a full IRI).
    """

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: Severity
    shape: str
    component: str
    origins: tuple[Origin, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "focus": self.focus, "path": self.path, "value": self.value, "message": self.message,
            "severity": self.severity, "shape": self.shape, "component": self.component,
            "origins": [o._asdict() for o in self.origins],
        }

    def __str__(self) -> str:
        path = f" [{_short(self.path)}]" if self.path else ""
        value = f" value {_short(self.value)}" if self.value is not None else ""
        return f"{self.severity}{path}{value}: {self.message} ({_short(self.shape)})"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`. ``conforms`` is true when no result is a Violation
    (warnings and infos do not break conformance). ``graph`` is pySHACL's report graph.
    ``focus`` lists the resources an incremental validation covered (``None``: everything)."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    shapes: str
    graph: rdflib.Graph = field(compare=False, repr=False)
    focus: tuple[str, ...] | None = None

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Warning")

    @property
    def infos(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Info")

    def by_resource(self) -> dict[str, tuple[ValidationResult, ...]]:
        """Results grouped by focus resource, resources in IRI order."""
        groups: dict[str, list[ValidationResult]] = {}
        for r in self.results:
            groups.setdefault(r.focus, []).append(r)
        return {focus: tuple(groups[focus]) for focus in sorted(groups)}

    def summary(self) -> str:
        state = "conforms" if self.conforms else "does not conform"
        scope = "" if self.focus is None else f" ({len(self.focus)} resources checked)"
        return (f"{state}{scope}: {_count(len(self.violations), 'violation')}, "
                f"{_count(len(self.warnings), 'warning')}, {_count(len(self.infos), 'info')}")

    def text(self) -> str:
        """A report for people: the summary, then each resource with its results and where the
        facts are stated."""
        lines = [f"Validation: {self.summary()}", f"Shapes: {self.shapes}"]
        for focus, results in self.by_resource().items():
            lines.append("")
            lines.append(_short(focus))
            for r in results:
                lines.append(f"  {r}")
                for origin in r.origins:
                    lines.append(f"    stated in {origin}")
        return "\n".join(lines) + "\n"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form (``json.dumps(report.to_dict())``); the report graph is left out."""
        return {
            "conforms": self.conforms, "shapes": self.shapes,
            "focus": list(self.focus) if self.focus is not None else None,
            "counts": {"violations": len(self.violations), "warnings": len(self.warnings),
                       "infos": len(self.infos)},
            "results": [r.to_dict() for r in self.results],
        }


# -- entry point --------------------------------------------------------------------------------


def validate(data: Dataset | rdflib.Graph, *, resources: Iterable[str] | None = None,
             shapes: str | os.PathLike[str] | None = None) -> ValidationReport:
    """Validate a data set (or an rdflib graph) against the portlod shapes.

    ``data`` is a :class:`~portlod.Dataset`, an ``rdflib.Dataset`` (named graphs kept, so results
    get origins) or an ``rdflib.Graph`` (no named graphs, so no origins). ``resources`` limits the
    validation to those IRIs and their neighbourhood; ``shapes`` replaces the packaged shapes file.

    Raises :class:`~portlod.errors.ValidatorError` only when the validator fails (a broken shapes
    file), never because the data does not conform.

    >>> validate(portlod.build("data")).conforms   # doctest: +SKIP
    True
    """
    shapes_file = Path(shapes) if shapes is not None else resource_path("shapes")
    shapes_graph = _shapes(shapes_file)
    store: ox.Store | None = None
    graph: rdflib.Graph | None = None
    if isinstance(data, Dataset):
        store = data.store
    elif isinstance(data, rdflib.Dataset):
        store = from_rdflib(data)
    elif isinstance(data, rdflib.Graph):
        graph = data
    else:
        raise TypeError(f"validate() takes a portlod Dataset or an rdflib Graph, not {type(data).__name__}")

    with _gc_paused():
        focus: tuple[str, ...] | None = None
        if resources is None:
            data_graph = _full_copy(store, graph)
        else:
            roots = [rdflib.URIRef(r.value if isinstance(r, ox.NamedNode) else str(r)) for r in resources]
            if store is not None:
                triples_of = _store_triples(store)
            else:
                assert graph is not None
                triples_of = _graph_triples(graph)
            data_graph, covered = _neighbourhood(triples_of, roots)
            focus = tuple(sorted(str(n) for n in covered))
            if not focus:
                return ValidationReport(True, (), str(shapes_file), _empty_report(), ())
        for t in _schemes():
            data_graph.add(t)
        for t in shapes_graph.triples((None, RDFS.subClassOf, None)):   # the shapes' class unions
            data_graph.add(t)
        # Not pySHACL's focus_nodes option: in pySHACL 0.40 it also filters the value nodes of
        # nested shapes (sh:node, sh:or, ...), which then pass unchecked. The extract is small;
        # validate all of it and keep the results about the covered nodes.
        try:
            _, report_graph, _ = pyshacl.validate(
                data_graph, shacl_graph=shapes_graph, inference="none", advanced=False, inplace=True,
                allow_warnings=True, allow_infos=True)
        except ReportableRuntimeError as exc:
            raise ValidatorError(f"{shapes_file}: pySHACL cannot use these shapes: {exc}") from exc
        finally:
            if isinstance(data_graph.store, _TripleIndex):  # free the copy now, not at the next
                data_graph.store.clear()                    # full garbage collection
        if not isinstance(report_graph, rdflib.Graph):  # pySHACL returns a ValidationFailure, not raises it
            raise ValidatorError(f"{shapes_file}: pySHACL failed to validate: {report_graph}")
        if focus is not None:
            report_graph = _restrict(report_graph, set(focus))
        results = _results(report_graph, store)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms, results, str(shapes_file), report_graph, focus)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while validating. The copy of the data and pySHACL's work are
    millions of small containers, few of them garbage; collecting over them while they pile up was
    a quarter of the time of a full validation. Collection resumes (if it was on) afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# -- shapes and schemes, read once per process --------------------------------------------------


def _shapes(file: Path) -> rdflib.Graph:
    try:
        stat = file.stat()
    except OSError as exc:
        raise ValidatorError(f"{file}: cannot read the shapes file: {exc.strerror}") from exc
    return _load_shapes(str(file), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_shapes(file: str, mtime_ns: int, size: int) -> rdflib.Graph:
    """Parse a shapes file once (the cache key includes its modification time and size)."""
    # pyoxigraph first: its syntax errors carry line and column.
    try:
        for _ in ox.parse(path=file, format=ox.RdfFormat.TURTLE):
            pass
    except SyntaxError as exc:
        raise ValidatorError(f"{file}:{exc.lineno}:{exc.offset}: Turtle syntax error in the shapes file: "
                             f"{exc.msg}") from exc
    except OSError as exc:
        raise ValidatorError(f"{file}: cannot read the shapes file: {exc}") from exc
    graph = rdflib.Graph()
    try:
        graph.parse(file, format="turtle")
    except SyntaxError as exc:  # rdflib's BadSyntax; pyoxigraph accepted the file
        line = getattr(exc, "lines", None)
        where = f"{file}:{line + 1}" if isinstance(line, int) else file
        raise ValidatorError(f"{where}: Turtle syntax error in the shapes file: {exc}") from exc
    # pySHACL adds these to every shapes graph it wraps; adding them now keeps the cached graph
    # from changing on first use.
    for t in pyshacl.ShapesGraph.system_triples:
        graph.add(t)
    return graph


@lru_cache(maxsize=1)
def _schemes() -> tuple[tuple[Node, Node, Node], ...]:
    """The ontology and the SKOS schemes as rdflib triples (parsed once)."""
    triples: list[tuple[Node, Node, Node]] = []
    for name in _SCHEMES:
        for t in ox.parse(path=resource_path(name), format=ox.RdfFormat.TURTLE):
            triples.append((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
    return tuple(triples)


# -- the data to validate -----------------------------------------------------------------------

Triple = tuple[Node, Node, Node]


Pattern = tuple[Node | None, Node | None, Node | None]
_NO_CONTEXTS: tuple[rdflib.Graph, ...] = ()


class _TripleIndex(SimpleMemory):
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
    """An empty rdflib graph on a :class:`_TripleIndex`."""
    return rdflib.Graph(store=_TripleIndex())


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


def _full_copy(store: ox.Store | None, graph: rdflib.Graph | None) -> rdflib.Graph:
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


def _store_triples(store: ox.Store) -> Callable[[Node], Iterable[Triple]]:
    terms = _Terms()

    def triples_of(node: Node) -> Iterable[Triple]:
        if not isinstance(node, (rdflib.URIRef, rdflib.BNode)):
            return ()
        subject = ox.NamedNode(str(node)) if isinstance(node, rdflib.URIRef) else ox.BlankNode(str(node))
        return [(node, terms[q.predicate], terms[q.object])
                for q in store.quads_for_pattern(subject, None, None, None) if q.graph_name != INFERRED_GRAPH]
    return triples_of


def _graph_triples(graph: rdflib.Graph) -> Callable[[Node], Iterable[Triple]]:
    def triples_of(node: Node) -> Iterable[Triple]:
        return [_normalised(t) for t in graph.triples((node, None, None))]
    return triples_of


def _neighbourhood(triples_of: Callable[[Node], Iterable[Triple]],
                   roots: list[rdflib.URIRef]) -> tuple[rdflib.Graph, set[rdflib.URIRef]]:
    """The triples of ``roots`` and of the nodes they link to, plus the ``rdf:type`` of the nodes
    those link to; and the IRIs whose shapes can be checked completely on that extract."""
    extract = _new_graph()
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


def _empty_report() -> rdflib.Graph:
    graph = rdflib.Graph()
    node = rdflib.BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, rdflib.Literal(True)))
    return graph


def _restrict(report: rdflib.Graph, focus: set[str]) -> rdflib.Graph:
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


# -- results and their origins ------------------------------------------------------------------


def _results(report: rdflib.Graph, store: ox.Store | None) -> tuple[ValidationResult, ...]:
    origins = _Origins(store)
    results = []
    # the report read once, by subject (thousands of warnings on a registry)
    about: dict[Node, dict[Node, list[Node]]] = {}
    for s, p, o in report:
        about.setdefault(s, {}).setdefault(p, []).append(o)

    def value(node: Node, p: Node) -> Node | None:
        found = about.get(node, {}).get(p)
        return found[0] if found else None

    # only the top-level results: pySHACL also types the nested results of sh:node, sh:or, ...
    # (linked through sh:detail) as sh:ValidationResult
    top = [r for report_node in report.subjects(RDF.type, SH.ValidationReport)
           for r in about[report_node].get(SH.result, ())]
    for node in top:
        focus = value(node, SH.focusNode)
        path = value(node, SH.resultPath)
        offending = value(node, SH.value)
        messages = sorted(about[node].get(SH.resultMessage, ()),
                          key=lambda m: (getattr(m, "language", None) not in (None, "en"), str(m)))
        severity_node = value(node, SH.resultSeverity)
        severity: Severity = _SEVERITIES[severity_node] if severity_node in _SEVERITIES else "Violation"
        results.append(ValidationResult(
            focus=str(focus),
            path=str(path) if isinstance(path, rdflib.URIRef) else (path.n3() if path is not None else None),
            value=_term_text(offending),
            message=str(messages[0]) if messages else "",
            severity=severity,
            shape=_term_text(value(node, SH.sourceShape)) or "",
            component=str(value(node, SH.sourceConstraintComponent)),
            origins=origins.of(focus, path, offending),
        ))
    results.sort(key=lambda r: (_RANK[r.severity], r.focus, r.path or "", r.shape, r.value or ""))
    return tuple(results)


def _term_text(term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return str(term)
    if isinstance(term, rdflib.Literal) and term.datatype is None and term.language is None:
        return rdflib.Literal(str(term), datatype=_XSD_STRING).n3()  # RDF 1.1: plain = xsd:string
    return term.n3()


class _Origins:
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
        obj = _ox(value) if value is not None and predicate is not None else None
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


def _ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    return from_rdflib_term(term)


# -- text helpers -------------------------------------------------------------------------------

_SHORT = sorted(((ns, prefix) for prefix, ns in {**PREFIXES, "plsh": "https://w3id.org/portlod/shapes#",
                                                 "sh": str(SH)}.items()), key=lambda x: -len(x[0]))


def _short(iri: str | None) -> str:
    if iri is None:
        return ""
    for ns, prefix in _SHORT:
        if iri.startswith(ns) and "/" not in iri[len(ns):] and "#" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>" if iri.startswith(("http:", "https:", "urn:")) else iri


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
