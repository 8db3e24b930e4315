"""The Python values of answer cells: resources with labels, fuzzy dates, citations, and the
conversion of RDF terms into them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Union

import pyoxigraph as ox

from ..records import FuzzyDate
from ..resources import path
from ..vocab import PREFIXES

__all__ = ["Citation", "FuzzyDate", "Resource", "Value", "compact", "python_value", "vocabulary_label"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_DATE_TYPES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear"}
_INT_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "positiveInteger", "nonNegativeInteger",
                                "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong")}
_LABELS = {"http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel"}


@dataclass(frozen=True, slots=True, order=True)
class Resource:
    """An IRI and its label (``None`` when the data gives none). Two resources are equal when their
    IRIs are: the label is for people, not for identity."""

    iri: str
    label: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.label if self.label else compact(self.iri)


@dataclass(frozen=True, slots=True, order=True)
class Citation:
    """A passage that states a fact: its source, the passage name (``p3``, ``derived-p4-p15``,
    ``port-USLAX`` for a registry entry), its paragraph number and the fact graph's IRI."""

    source: Resource
    passage: str
    paragraph: int | None = None
    graph: str = field(default="", compare=False)

    @property
    def source_key(self) -> str:
        return self.source.iri.rstrip("/").rsplit("/", 1)[-1]

    def __str__(self) -> str:
        if not self.passage:
            return compact(self.source.iri)
        return f"{self.source_key} {self.passage}"


#: A cell value: what the columns of named questions and of ``query()`` hold.
Value = Union[Resource, FuzzyDate, Citation, str, int, float, Decimal, bool, None, tuple["Value", ...]]


def compact(iri: str) -> str:
    """``https://w3id.org/portlod/ontology#Signed`` → ``pl:Signed`` (longest matching prefix)."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


@cache
def _vocabulary_labels() -> dict[str, str]:
    """Labels of the terms of the packaged ontology and concept schemes (themes, roles, fuels),
    which are not part of a built data set."""
    labels: dict[str, str] = {}
    for name in ("ontology", "themes", "roles", "fuels"):
        for triple in ox.parse(path=path(name), format=ox.RdfFormat.TURTLE):
            if (triple.predicate.value in _LABELS and isinstance(triple.subject, ox.NamedNode)
                    and isinstance(triple.object, ox.Literal)):
                labels.setdefault(triple.subject.value, triple.object.value)
    return labels


def vocabulary_label(iri: str) -> str | None:
    return _vocabulary_labels().get(iri)


def resource(term: ox.NamedNode | ox.BlankNode, label: ox.Literal | ox.NamedNode | ox.BlankNode | None) -> Resource:
    if isinstance(term, ox.BlankNode):
        return Resource(f"_:{term.value}", label.value if isinstance(label, ox.Literal) else None)
    return named(term.value, label.value if isinstance(label, ox.Literal) else None)


def named(iri: str, label: str | None) -> Resource:
    """The resource of an IRI with the text of its label, if any: an empty label, or none, gives
    way to the packaged vocabulary's label."""
    return Resource(iri, label or vocabulary_label(iri))


def whole_number(term: object) -> int | None:
    """The number a literal writes as digits (a paragraph number: ``3``, ``"3"^^xsd:integer``,
    ``"3"``), else ``None``."""
    if isinstance(term, ox.Literal) and _NUMBER.match(term.value):
        return int(term.value)
    return None


def fuzzy_date(term: object, as_printed: object) -> FuzzyDate | None:
    printed = as_printed.value if isinstance(as_printed, ox.Literal) and as_printed.value else None
    value = term.value if isinstance(term, ox.Literal) else None
    if value is not None:
        value = value[:10]
        try:
            FuzzyDate.check(value)
        except ValueError:
            value = None
    if value is None and printed is None:
        return None
    return FuzzyDate(value, printed)


_NUMBER = re.compile(r"^[+-]?\d+$")


def python_value(term: object, label: object = None, as_printed: object = None) -> Value:
    """The Python value of an RDF term: IRIs become :class:`Resource` (with ``label``), dates
    :class:`FuzzyDate` (with ``as_printed``), numbers and booleans Python numbers and booleans,
    other literals their text."""
    if term is None:
        return None
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return resource(term, label if isinstance(label, ox.Literal) else None)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype is not None else XSD + "string"
        if dt in _DATE_TYPES:
            return fuzzy_date(term, as_printed) or term.value
        if dt in _INT_TYPES and _NUMBER.match(term.value):
            return int(term.value)
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
        if dt == XSD + "decimal":
            try:
                return Decimal(term.value)
            except InvalidOperation:
                return term.value
        if dt in (XSD + "double", XSD + "float"):
            try:
                return float(term.value)
            except ValueError:
                return term.value
        return term.value
    return str(term)
