"""The shapes the native SHACL engine evaluates, read from a shapes graph.

The native engine (:mod:`portlod._shacl`) covers the SHACL Core subset portlod's shapes use:
shapes with ``sh:targetClass`` targets, a simple predicate ``sh:path`` (or none: a node shape),
``sh:minCount``/``sh:maxCount`` and the value constraints of :mod:`portlod._shacl_checks`
(``sh:datatype``, ``sh:class``, ``sh:in``, ``sh:nodeKind``, ``sh:pattern`` with ``sh:flags``,
``sh:minInclusive``/``sh:maxInclusive``/``sh:minExclusive``/``sh:maxExclusive``) and ``sh:or`` of
shapes made of these; with ``sh:severity``, ``sh:message`` and ``sh:deactivated``.
:func:`read_shapes` sorts the targeted shapes of a shapes graph into those and the others, which
pySHACL validates: nothing is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from ._shacl_checks import (NODE_KINDS, RANGES, Check, Data, Term, Unsupported, class_check, datatype_check, in_check,
                            node_kind_check, pattern_check, range_check)

__all__ = ["Member", "Shape", "Shapes", "read_shapes"]


@dataclass(frozen=True, eq=False)
class Member:
    """A shape inside an ``sh:or`` list: it conforms or not, it reports nothing itself."""

    path: ox.NamedNode | None
    min_count: int | None
    max_count: int | None
    checks: tuple[Check, ...]

    def conforms(self, focus: Term, data: Data) -> bool:
        if self.path is None:
            values: AbstractSet[Term] = {focus}
        else:
            values = data.values(focus, self.path)
        if self.min_count is not None and len(values) < self.min_count:
            return False
        if self.max_count is not None and len(values) > self.max_count:
            return False
        return all(c.ok(v, data) for c in self.checks for v in values)


@dataclass(frozen=True, eq=False)
class Shape:
    """A targeted shape the native engine validates."""

    node: Node                       # the shape's IRI (or blank node) in the shapes graph
    targets: tuple[ox.NamedNode, ...]
    path: ox.NamedNode | None        # None: a node shape (its value node is the focus node)
    min_count: int | None
    max_count: int | None
    checks: tuple[Check, ...]
    severity: Node
    messages: tuple[Node, ...]


@dataclass(frozen=True)
class Shapes:
    """The targeted shapes of a shapes graph: ``native`` ones and the ``others`` (their IRIs),
    which need pySHACL; all are others if one of those is a blank node."""

    native: tuple[Shape, ...]
    others: tuple[Node, ...]

    def targeting(self, classes: Iterable[ox.NamedNode | ox.BlankNode]) -> list[Shape]:
        """The native shapes targeting any of ``classes``, in order."""
        found: set[int] = set()
        for c in classes:
            found.update(self._by_target.get(c, ()))
        return [self.native[i] for i in sorted(found)]

    @cached_property
    def _by_target(self) -> dict[ox.NamedNode | ox.BlankNode, tuple[int, ...]]:
        index: dict[ox.NamedNode | ox.BlankNode, list[int]] = {}
        for i, shape in enumerate(self.native):
            for t in shape.targets:
                index.setdefault(t, []).append(i)
        return {t: tuple(shapes) for t, shapes in index.items()}


# -- reading the shapes graph -------------------------------------------------------------------

_SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape}
_VALUE_PARAMS = {SH.datatype, SH["class"], SH["in"], SH.nodeKind, SH.pattern, SH.flags, SH.minInclusive,
                 SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH["or"]}
_DESCRIPTIVE = {SH.message, SH.name, SH.description, SH.order, SH.group, SH.defaultValue}
_TARGETED_PARAMS = _VALUE_PARAMS | _DESCRIPTIVE | {SH.targetClass, SH.path, SH.minCount, SH.maxCount, SH.severity,
                                                   SH.deactivated}
_MEMBER_PARAMS = _VALUE_PARAMS | _DESCRIPTIVE | {SH.targetClass, SH.path, SH.minCount, SH.maxCount, SH.severity}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def read_shapes(sg: rdflib.Graph) -> Shapes:
    """Sort the targeted shapes of ``sg`` into native ones and the others (in IRI order)."""
    targeted: set[Node] = set()
    for p in _TARGETS:
        targeted.update(sg.subjects(p, None))
    # a shape that is also a class targets its instances implicitly (SHACL 2.1.3.3): pySHACL's
    implicit = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in sg.subjects(RDF.type, kind)
                if (s, RDF.type, RDFS.Class) in sg or (s, RDF.type, OWL.Class) in sg}
    targeted |= implicit
    if (None, RDF.type, SH.ConstraintComponent) in sg:   # constraint components of its own: pySHACL
        return Shapes((), tuple(sorted(targeted, key=str)))
    native: list[Shape] = []
    others: list[Node] = []
    for node in sorted(targeted, key=str):
        if node in implicit:
            others.append(node)
            continue
        try:
            shape = _shape(sg, node)
        except Unsupported:
            others.append(node)
            continue
        if shape is not None:
            native.append(shape)
    if any(isinstance(node, rdflib.BNode) for node in others):
        # pySHACL can be told to validate some shapes only by their IRIs: let it validate all
        return Shapes((), tuple(sorted(targeted, key=str)))
    return Shapes(tuple(native), tuple(others))


def _shape(sg: rdflib.Graph, node: Node) -> Shape | None:
    """The shape at ``node``, None if deactivated; :class:`Unsupported` if not native."""
    _only(sg, node, _TARGETED_PARAMS)
    deactivated = _at_most_one(sg, node, SH.deactivated)
    if deactivated is not None:
        if not isinstance(deactivated, rdflib.Literal):
            raise Unsupported
        if bool(deactivated.value):
            return None
    targets = list(sg.objects(node, SH.targetClass))
    if not all(isinstance(t, rdflib.URIRef) for t in targets):
        raise Unsupported
    severity = _at_most_one(sg, node, SH.severity)
    messages = tuple(sg.objects(node, SH.message))
    if not messages:            # pySHACL words a message of its own for each kind of result
        raise Unsupported
    path, min_count, max_count, checks = _constraints(sg, node, set())
    return Shape(node, tuple(ox.NamedNode(str(t)) for t in sorted(targets, key=str)), path, min_count, max_count,
                 checks, severity if severity is not None else SH.Violation, messages)


def _only(sg: rdflib.Graph, node: Node, allowed: set[rdflib.URIRef]) -> None:
    """Every SHACL term on ``node`` is one the engine knows; it is typed as a shape or not at all."""
    for p, o in sg.predicate_objects(node):
        if p == RDF.type:
            if o not in _SHAPE_TYPES:     # e.g. rdfs:Class: an implicit class target
                raise Unsupported
        elif str(p).startswith(str(SH)) and p not in allowed:
            raise Unsupported


def _at_most_one(sg: rdflib.Graph, node: Node, p: rdflib.URIRef) -> Node | None:
    values = list(sg.objects(node, p))
    if len(values) > 1:
        raise Unsupported
    return values[0] if values else None


def _constraints(sg: rdflib.Graph, node: Node, seen: set[Node]
                 ) -> tuple[ox.NamedNode | None, int | None, int | None, tuple[Check, ...]]:
    types = set(sg.objects(node, RDF.type))
    path = _at_most_one(sg, node, SH.path)
    if path is not None and (not isinstance(path, rdflib.URIRef) or SH.NodeShape in types):
        raise Unsupported
    if path is None and SH.PropertyShape in types:
        raise Unsupported
    min_count = _count(sg, node, SH.minCount, path)
    max_count = _count(sg, node, SH.maxCount, path)
    checks: list[Check] = []
    for p in (SH.datatype, SH["class"], SH["in"], SH.nodeKind, SH.pattern, SH.minInclusive, SH.maxInclusive,
              SH.minExclusive, SH.maxExclusive, SH["or"]):
        value = _at_most_one(sg, node, p)
        if value is not None:
            checks.append(_check(sg, node, p, value, seen))
    return (ox.NamedNode(str(path)) if path is not None else None), min_count, max_count, tuple(checks)


def _count(sg: rdflib.Graph, node: Node, p: rdflib.URIRef, path: Node | None) -> int | None:
    value = _at_most_one(sg, node, p)
    if value is None:
        return None
    if path is None or not isinstance(value, rdflib.Literal) or value.datatype != XSD.integer \
            or not isinstance(value.value, int) or value.value < 0:
        raise Unsupported
    return int(value.value)


def _check(sg: rdflib.Graph, node: Node, p: rdflib.URIRef, value: Node, seen: set[Node]) -> Check:
    if p == SH.datatype:
        if not isinstance(value, rdflib.URIRef):
            raise Unsupported
        return datatype_check(value)
    if p == SH["class"]:
        if not isinstance(value, rdflib.URIRef):
            raise Unsupported
        return class_check(ox.NamedNode(str(value)))
    if p == SH["in"]:
        members = list(sg.items(value))
        if not all(isinstance(m, (rdflib.URIRef, rdflib.Literal)) for m in members):
            raise Unsupported
        return in_check(members)
    if p == SH.nodeKind:
        if value not in NODE_KINDS:
            raise Unsupported
        return node_kind_check(value)
    if p == SH.pattern:
        flags = _at_most_one(sg, node, SH.flags)
        if not isinstance(value, rdflib.Literal) or (flags is not None and not isinstance(flags, rdflib.Literal)):
            raise Unsupported
        return pattern_check(value, flags)
    if p in RANGES:
        if not isinstance(value, rdflib.Literal):
            raise Unsupported
        return range_check(p, value)
    return _or(sg, value, seen | {node})



def _or(sg: rdflib.Graph, head: Node, seen: set[Node]) -> Check:
    if head == RDF.nil:
        raise Unsupported
    nodes = set(sg.items(head))
    if not nodes or not nodes.isdisjoint(seen):       # empty or recursive: pySHACL's errors
        raise Unsupported
    members = []
    for node in sorted(nodes, key=str):
        _only(sg, node, _MEMBER_PARAMS)
        if _at_most_one(sg, node, SH.severity) not in (None, SH.Violation):
            raise Unsupported        # pySHACL lets a member with a lesser severity conform anyway
        members.append(Member(*_constraints(sg, node, seen)))
    alternatives = tuple(members)

    def judge(value: Term, data: Data) -> bool:
        return any(m.conforms(value, data) for m in alternatives)

    return Check(str(SH.OrConstraintComponent), ("or", id(alternatives)), judge, lambda data: "")
