"""SHACL validation returning a typed report, by a native engine or by pySHACL.

:func:`validate` checks a data set against the SHACL Core shapes of ``shapes/portlod.shapes.ttl``
(or another shapes file). The data graph is the union of the fact graphs and the metadata graph
(not the inferred graph), with the ontology and the SKOS schemes (themes, roles, fuels) and the
shapes' own ``rdfs:subClassOf`` statements mixed in, so that ``sh:class`` and ``sh:targetClass``
follow ``rdfs:subClassOf``; no inference is run.

Two engines give the same results. ``engine="native"`` (the default, :mod:`portlod._shacl`)
evaluates the SHACL Core subset portlod's shapes use straight over the pyoxigraph store: a few
SPARQL queries per shape returning only what may fail, or node by node for a few resources (and
for an rdflib graph, whose literals it keeps as written). A shape using anything else is validated
by pySHACL (only such shapes; all shapes if one of them is a blank node), so no check is skipped.
``engine="pyshacl"`` (:mod:`portlod._shacl_pyshacl`) is the reference: pySHACL 0.40 over an rdflib
copy of the data, 10 to 20 times slower.

Non-conformance is a result (:class:`ValidationReport`); only a failure of the validator itself (a
shapes file that does not parse or that pySHACL cannot load) raises
:class:`~portlod.errors.ValidatorError`. Each result says where the offending facts are stated: the
fact graphs, with the source file, line and paragraph of their passages (:class:`Origin`).

``resources=[iri, ...]`` validates just those resources and the nodes they link to, with all
their facts: the results are those the full validation gives about them, at a cost that follows
the number of resources, not the size of the data set.

pySHACL and rdflib change process-wide state; validate in one thread (style rule 8). Cyclic garbage
collection is paused while validating (:func:`portlod.dataset.collector_paused`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

from . import _shacl
from ._shacl_model import Shapes, read_shapes
from ._shacl_pyshacl import (empty_report, full_copy, graph_triples, neighbourhood, restrict, run, store_triples,
                             subclass_statements)
from ._shacl_report import Found, Origin, Origins, from_raw, from_report, merge, report_graph, term_text
from .dataset import INFERRED_GRAPH, Dataset, collector_paused, from_rdflib, from_rdflib_term, to_rdflib_term
from .errors import ValidatorError
from .resources import path as resource_path
from .vocab import ID, PREFIXES

__all__ = ["Engine", "Origin", "Severity", "ValidationReport", "ValidationResult", "validate"]

Severity = Literal["Violation", "Warning", "Info"]
Engine = Literal["native", "pyshacl"]
_SEVERITIES: dict[Node, Severity] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_RANK = {"Violation": 0, "Warning": 1, "Info": 2}
_SCHEMES = ("ontology", "themes", "roles", "fuels")


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
    (warnings and infos do not break conformance). ``graph`` is the SHACL report graph
    (pySHACL's own with ``engine="pyshacl"``).
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


def _resource_iri(value: object) -> str:
    """An IRI, or a kind/key path of portlod's resources (``port/USLAX``) made into its IRI."""
    text = value.value if isinstance(value, ox.NamedNode) else str(value)
    try:
        ox.NamedNode(text)
    except ValueError:
        if re.fullmatch(r"[a-z]+/[^\s/<>\"{}|^`\\]+", text):
            return str(ID) + text
        raise ValueError(f"resources: {text!r} is neither an IRI nor a resource path such as 'port/USLAX'") from None
    return text


def validate(data: Dataset | rdflib.Graph, *, resources: Iterable[str] | None = None,
             shapes: str | os.PathLike[str] | None = None, engine: Engine = "native") -> ValidationReport:
    """Validate a data set (or an rdflib graph) against the portlod shapes.

    ``data`` is a :class:`~portlod.Dataset`, an ``rdflib.Dataset`` (named graphs kept, so results
    get origins) or an ``rdflib.Graph`` (no named graphs, so no origins). ``resources`` limits the
    validation to those IRIs (or resource paths such as ``port/USLAX``) and the nodes they link
    to; ``shapes`` replaces the packaged shapes file; ``engine`` chooses the native engine or pySHACL (same results, see the module docs).

    Raises :class:`~portlod.errors.ValidatorError` only when the validator fails (a broken shapes
    file), never because the data does not conform.

    >>> validate(portlod.build("data")).conforms   # doctest: +SKIP
    True
    """
    if engine not in ("native", "pyshacl"):
        raise ValueError(f"engine must be 'native' or 'pyshacl', not {engine!r}")
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
    roots = None if resources is None else sorted({_resource_iri(r) for r in resources})
    if roots == []:
        return ValidationReport(True, (), str(shapes_file), empty_report(), ())

    with collector_paused():
        left: rdflib.Graph | None = None
        if engine == "pyshacl":
            report, focus = _by_pyshacl(store, graph, roots, shapes_graph, shapes_file)
            found = from_report(report)
        else:
            native, focus, describe = _natively(store, graph, roots, shapes_file)
            shapes_read = _native_shapes(shapes_file)
            if shapes_read.others:  # shapes the native engine leaves to pySHACL
                left, _ = _by_pyshacl(store, graph, roots, shapes_graph, shapes_file,
                                      shapes_read.others if shapes_read.native else None)
            found = native + (from_report(left) if left is not None else [])
        origins = Origins(store)
        results = sorted((_result(f, origins) for f in found), key=lambda r: (
            _RANK[r.severity], r.focus, r.path or "", r.shape, r.value or "", r.component, r.message))
        conforms = not any(r.severity == "Violation" for r in results)
        if engine == "native":
            report = report_graph(native, conforms, describe)
            if left is not None:
                merge(report, left)
    return ValidationReport(conforms, tuple(results), str(shapes_file), report, focus)


def _by_pyshacl(store: ox.Store | None, graph: rdflib.Graph | None, roots: list[str] | None,
                shapes_graph: rdflib.Graph, shapes_file: Path, use_shapes: Sequence[Node] | None = None
                ) -> tuple[rdflib.Graph, tuple[str, ...] | None]:
    """pySHACL's report graph (about the covered nodes, from ``use_shapes`` or all shapes) and
    the covered nodes (None for a full validation)."""
    if roots is None:
        data_graph, focus = full_copy(store, graph), None
    else:
        triples_of = store_triples(store) if store is not None else graph_triples(graph)  # type: ignore[arg-type]
        data_graph, covered = neighbourhood(triples_of, [rdflib.URIRef(r) for r in roots],
                                            subclass_statements(store, graph))
        focus = tuple(sorted(str(n) for n in covered))
    extra = list(_schemes()) + list(shapes_graph.triples((None, RDFS.subClassOf, None)))  # the shapes' class unions
    report = run(data_graph, shapes_graph, extra, shapes_file, use_shapes)
    if focus is not None:
        report = restrict(report, set(focus))
    return report, focus


def _natively(store: ox.Store | None, graph: rdflib.Graph | None, roots: list[str] | None, shapes_file: Path
              ) -> tuple[list[Found], tuple[str, ...] | None, Callable[[rdflib.BNode], list[tuple[Node, Node]]]]:
    """The native engine's results, the covered nodes (None for a full validation) and how to
    describe a blank node of the data."""
    native = _native_shapes(shapes_file)
    extra = _extra(shapes_file)
    if store is None:               # an rdflib graph: its triples as they are, node by node
        assert graph is not None
        data = _shacl.Graph(None, extra, triples=(_ox_triple(t) for t in graph))
        nodes = data.subjects() if roots is None else _shacl.neighbourhood(data, [ox.NamedNode(r) for r in roots])
        raw = _shacl.validate_nodes(native, data, sorted(nodes, key=str))
        focus = None if roots is None else tuple(sorted(str(n.value) for n in nodes))
    elif roots is None:
        if _has_inferences(store):
            asserted = ox.Store()       # the queries read the union of all graphs: leave the inferences out
            asserted.extend(q for q in store if q.graph_name != INFERRED_GRAPH)
            store = asserted
        data = _shacl.Graph(store, extra, skip=None)
        raw = _shacl.validate_all(native, data)
        focus = None
    else:
        data = _shacl.Graph(store, extra, skip=INFERRED_GRAPH if _has_inferences(store) else None)
        covered = sorted(_shacl.neighbourhood(data, [ox.NamedNode(r) for r in roots]), key=lambda n: n.value)
        raw = _shacl.validate_nodes(native, data, covered)
        focus = tuple(n.value for n in covered)

    def describe(node: rdflib.BNode) -> list[tuple[Node, Node]]:
        return [(to_rdflib_term(p), to_rdflib_term(o)) for p, o in data.describe(ox.BlankNode(str(node)))]

    return from_raw(raw), focus, describe


def _has_inferences(store: ox.Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, INFERRED_GRAPH)), None) is not None


def _result(found: Found, origins: Origins) -> ValidationResult:
    path = found.path
    severity = _SEVERITIES.get(found.severity, "Violation")
    return ValidationResult(
        focus=str(found.focus),
        path=str(path) if isinstance(path, rdflib.URIRef) else (path.n3() if path is not None else None),
        value=term_text(found.value), message=found.message(), severity=severity,
        shape=term_text(found.shape) or "", component=str(found.component),
        origins=origins.of(found.focus, path, found.value))


# -- shapes and schemes, read once per process --------------------------------------------------


def _shapes(file: Path) -> rdflib.Graph:
    return _load_shapes(*_key(file))


def _key(file: Path) -> tuple[str, int, int]:
    try:
        stat = file.stat()
    except OSError as exc:
        raise ValidatorError(f"{file}: cannot read the shapes file: {exc.strerror}") from exc
    return str(file), stat.st_mtime_ns, stat.st_size


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


def _native_shapes(file: Path) -> Shapes:
    return _read_native(*_key(file))


@lru_cache(maxsize=8)
def _read_native(file: str, mtime_ns: int, size: int) -> Shapes:
    """The shapes the native engine evaluates, and the others (once per shapes file)."""
    return read_shapes(_load_shapes(file, mtime_ns, size))


@lru_cache(maxsize=1)
def _schemes() -> tuple[tuple[Node, Node, Node], ...]:
    """The ontology and the SKOS schemes as rdflib triples (parsed once)."""
    triples: list[tuple[Node, Node, Node]] = []
    for name in _SCHEMES:
        for t in ox.parse(path=resource_path(name), format=ox.RdfFormat.TURTLE):
            triples.append((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
    return tuple(triples)


def _extra(file: Path) -> _shacl.Index:
    return _extra_triples(*_key(file))


@lru_cache(maxsize=8)
def _extra_triples(file: str, mtime_ns: int, size: int) -> _shacl.Index:
    """What the native engine adds to the data: the schemes and the shapes' rdfs:subClassOf."""
    subclasses = _load_shapes(file, mtime_ns, size).triples((None, RDFS.subClassOf, None))
    return _shacl.index({_ox_triple(t) for t in _schemes()} | {_ox_triple(t) for t in subclasses})


def _ox_triple(triple: tuple[Node, Node, Node]) -> ox.Triple:
    s, p, o = (from_rdflib_term(t) for t in triple)
    assert not isinstance(s, ox.Literal) and isinstance(p, ox.NamedNode)
    return ox.Triple(s, p, o)


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
