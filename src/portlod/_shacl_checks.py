"""How each value constraint the native SHACL engine evaluates judges one value, and a SPARQL
filter for the values it may reject.

Each value constraint decides as pySHACL 0.40 (the reference engine) does, on the rdflib term it
would see (:func:`~portlod.dataset.to_rdflib_term`, through :meth:`Data.literal`): ill-typed
literals fail ``sh:datatype``, ``sh:in`` is rdflib term equality, ``sh:pattern`` searches the
lexical form with Python's ``re`` and fails on blank nodes, range constraints compare as pySHACL's
``compare_literal`` and fail on incomparable values. :meth:`Check.sparql` is a filter on ``?o``
keeping at least every value the constraint rejects (often exactly those): the set-at-a-time
engine judges only what it keeps. Whether rdflib reads a datatype's values at all comes from its
conversion tables (``_toPythonMapping``, ``_check_well_formed_types``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
import rdflib
from pyshacl.rdfutil.compare import compare_literal
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node, _check_well_formed_types, _toPythonMapping

__all__ = ["NODE_KINDS", "RANGES", "Check", "Data", "Term", "Unsupported", "class_check", "datatype_check",
           "in_check", "node_kind_check", "pattern_check", "range_check", "well_typed_always"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


class Unsupported(Exception):
    """A shape uses something the native engine does not evaluate."""


class Data:
    """What a value check needs to know about the data (implemented by the engine)."""

    def classes(self, node: Term) -> frozenset[ox.NamedNode | ox.BlankNode]:
        """The classes of ``node``: its ``rdf:type`` values and all their superclasses."""
        raise NotImplementedError

    def values(self, node: Term, path: ox.NamedNode) -> AbstractSet[Term]:
        """The distinct objects of ``node`` on ``path`` (none for a literal)."""
        raise NotImplementedError

    def subclasses(self, cls: ox.NamedNode | ox.BlankNode) -> frozenset[ox.NamedNode | ox.BlankNode]:
        """``cls`` and every class below it."""
        raise NotImplementedError

    def literal(self, value: ox.Literal) -> rdflib.Literal:
        """``value`` as the rdflib literal pySHACL would see."""
        raise NotImplementedError


@dataclass(frozen=True)
class Check:
    """One value constraint: ``ok`` says whether a value node passes."""

    component: str          # the SHACL constraint component IRI
    key: tuple[object, ...]  # identifies the rule (equal keys judge alike, for caching)
    judge: Callable[[Term, Data], bool]
    filter: Callable[[Data], str]   # SPARQL keeping at least the failing ?o ("" keeps all)

    def ok(self, value: Term, data: Data) -> bool:
        return self.judge(value, data)

    def sparql(self, data: Data) -> str:
        return self.filter(data)


_ACTUAL: dict[str, type | tuple[type, ...]] = {
    str(XSD.integer): int, str(XSD.float): float, str(XSD.decimal): Decimal, str(XSD.boolean): bool,
    str(XSD.date): date, str(XSD.time): time, str(XSD.dateTime): datetime}
_RDFS_LITERAL = str(RDFS.Literal)
_RDFS_DATATYPE = str(RDFS.Datatype)


def well_typed_always(datatype: str) -> bool:
    """Whether rdflib takes every lexical form of ``datatype`` as well-typed (it reads no value
    from it, or keeps the string as the value without checking it)."""
    dt = rdflib.URIRef(datatype)
    return dt not in _toPythonMapping or (_toPythonMapping[dt] is None and dt not in _check_well_formed_types)


def datatype_check(dt: rdflib.URIRef) -> Check:
    iri = str(dt)
    always = well_typed_always(iri)
    actual = _ACTUAL.get(iri)

    def judge(value: Term, data: Data) -> bool:
        if not isinstance(value, ox.Literal):
            return False
        if value.language:                      # rdflib: no datatype, a language
            return iri in (_RDFS_LITERAL, _LANG_STRING)
        datatype = value.datatype.value
        if datatype == _XSD_STRING:             # rdflib: a plain literal, its value a str
            return iri in (_RDFS_LITERAL, _XSD_STRING)
        if datatype == iri:
            if always:
                return True
            literal = data.literal(value)
            return literal.ill_typed is not True and (actual is None or isinstance(literal.value, actual))
        return iri in (_RDFS_LITERAL, _RDFS_DATATYPE)

    def sparql(data: Data) -> str:
        if iri == _LANG_STRING:
            return 'FILTER(!isLiteral(?o) || lang(?o) = "")'
        if iri == _XSD_STRING:
            return f'FILTER(!isLiteral(?o) || lang(?o) != "" || datatype(?o) != <{iri}>)'
        if iri in (_RDFS_LITERAL, _RDFS_DATATYPE):
            return "FILTER(!isLiteral(?o))"
        if always:
            return f"FILTER(!isLiteral(?o) || datatype(?o) != <{iri}>)"
        return ""                               # a literal of this datatype may be ill-typed

    return Check(str(SH.DatatypeConstraintComponent), ("datatype", iri), judge, sparql)


def class_check(cls: ox.NamedNode) -> Check:
    def judge(value: Term, data: Data) -> bool:
        return not isinstance(value, ox.Literal) and cls in data.classes(value)

    def sparql(data: Data) -> str:
        named = sorted((c for c in data.subclasses(cls) if isinstance(c, ox.NamedNode)), key=str)
        return f"MINUS {{ VALUES ?c {{ {' '.join(str(c) for c in named)} }} ?o a ?c }}"

    return Check(str(SH.ClassConstraintComponent), ("class", cls.value), judge, sparql)


def in_check(members: list[Node]) -> Check:
    iris = frozenset(str(m) for m in members if isinstance(m, rdflib.URIRef))
    literals = frozenset(m for m in members if isinstance(m, rdflib.Literal))

    def judge(value: Term, data: Data) -> bool:
        if isinstance(value, ox.NamedNode):
            return value.value in iris
        return isinstance(value, ox.Literal) and data.literal(value) in literals

    def sparql(data: Data) -> str:
        listed = f"?o IN ({', '.join(f'<{i}>' for i in sorted(iris))})"
        return f"FILTER(isLiteral(?o) || !({listed}))" if literals else f"FILTER(!({listed}))"

    return Check(str(SH.InConstraintComponent), ("in", iris, literals), judge, sparql)


NODE_KINDS: dict[Node, tuple[str, tuple[type, ...]]] = {
    SH.IRI: ("!isIRI(?o)", (ox.NamedNode,)),
    SH.BlankNode: ("!isBlank(?o)", (ox.BlankNode,)),
    SH.Literal: ("!isLiteral(?o)", (ox.Literal,)),
    SH.BlankNodeOrIRI: ("isLiteral(?o)", (ox.BlankNode, ox.NamedNode)),
    SH.BlankNodeOrLiteral: ("isIRI(?o)", (ox.BlankNode, ox.Literal)),
    SH.IRIOrLiteral: ("isBlank(?o)", (ox.NamedNode, ox.Literal)),
}


def node_kind_check(kind: Node) -> Check:
    test, allowed = NODE_KINDS[kind]
    return Check(str(SH.NodeKindConstraintComponent), ("nodeKind", str(kind)),
                 lambda value, data: isinstance(value, allowed), lambda data: f"FILTER({test})")


def _lexical(value: Term, data: Data) -> str:
    """The string pySHACL matches a pattern against: the IRI or the lexical form (as rdflib keeps it)."""
    if not isinstance(value, ox.Literal) or value.language or value.datatype.value == _XSD_STRING:
        return value.value
    return str(data.literal(value))


def pattern_check(pattern: rdflib.Literal, flags: rdflib.Literal | None) -> Check:
    re_flags = 0
    if flags is not None:
        text = str(flags.value).lower()
        re_flags |= (re.I if "i" in text else 0) | (re.M if "m" in text else 0)
    source = str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
    try:
        matcher = re.compile(source, re_flags)
    except re.error:
        raise Unsupported from None    # pySHACL reports the broken pattern

    def judge(value: Term, data: Data) -> bool:
        return not isinstance(value, ox.BlankNode) and matcher.search(_lexical(value, data)) is not None

    return Check(str(SH.PatternConstraintComponent), ("pattern", source, re_flags), judge, lambda data: "")


RANGES: dict[Node, tuple[rdflib.URIRef, Callable[[int], bool]]] = {
    SH.minExclusive: (SH.MinExclusiveConstraintComponent, lambda c: c > 0),
    SH.minInclusive: (SH.MinInclusiveConstraintComponent, lambda c: c >= 0),
    SH.maxExclusive: (SH.MaxExclusiveConstraintComponent, lambda c: c < 0),
    SH.maxInclusive: (SH.MaxInclusiveConstraintComponent, lambda c: c <= 0),
}


def range_check(p: Node, bound: rdflib.Literal) -> Check:
    component, passes = RANGES[p]
    bound_is_string = isinstance(bound.value, str)

    def judge(value: Term, data: Data) -> bool:
        if not isinstance(value, ox.Literal):
            return False
        literal = data.literal(value)
        if isinstance(literal.value, str) != bound_is_string:
            return False
        try:
            return passes(compare_literal(literal, bound))  # type: ignore[no-untyped-call]
        except (TypeError, NotImplementedError):
            return False

    return Check(str(component), (str(p), bound), judge, lambda data: "")
