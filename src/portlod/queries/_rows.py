"""Rows: the solutions of a named question grouped into frozen dataclass rows, typed per column,
with the passages of the fact graphs they cite."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import make_dataclass
from functools import cache
from typing import Any

import pyoxigraph as ox

from ..records import FuzzyDate
from ._backend import Backend, Solution, Table, Term
from ._registry import Column, NamedQuery, internal, prepared
from ._values import Citation, Resource, Value, fuzzy_date, python_value

__all__ = ["Rows", "about", "make_rows", "row_class"]

class Rows(list[Any]):
    """The rows of an answer (frozen dataclass instances), with the names of its columns even
    when there are no rows."""

    def __init__(self, rows: Iterable[Any] = (), *, columns: Iterable[str] = (), question: str | None = None) -> None:
        super().__init__(rows)
        self.columns: tuple[str, ...] = tuple(columns)
        self.question = question


def _python_type(column: Column) -> Any:
    return {"resource": Resource | None, "resources": tuple[Resource, ...], "date": FuzzyDate | None,
            "str": str | None, "int": int | None, "bool": bool | None, "term": Value, "terms": tuple[Value, ...],
            "citations": tuple[Citation, ...]}[column.type]


def _class_name(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", name) if part) + "Row"


@cache
def row_class(q: NamedQuery) -> type:
    """The frozen dataclass of the rows of ``q`` (one field per column)."""
    cls = make_dataclass(_class_name(q.name), [(c.name, _python_type(c)) for c in q.columns], frozen=True)
    cls.__module__ = "portlod.queries"
    cls.__doc__ = f"A row of the answer to {q.name!r}: {q.summary}"
    return cls


_LABELLED = frozenset({"resource", "resources", "term", "terms"})


def _label_key(label: object) -> tuple[int, str]:
    """Which of several labels a resource shows: an English one (or one without language) first,
    then the smallest; an empty label (or a term that is not a literal) last."""
    if not isinstance(label, ox.Literal) or not label.value:
        return (2, "")
    lang = (label.language or "").lower()
    return (0 if lang in ("", "en") or lang.startswith("en-") else 1, label.value)


def _iris(solutions: list[Solution], columns: list[str]) -> set[ox.NamedNode]:
    """The distinct IRIs of the columns in the solutions."""
    found: set[Term | None] = set()
    for c in columns:
        found.update({s.get(c) for s in solutions})
    return {t for t in found if isinstance(t, ox.NamedNode)}


def about(backend: Backend, q: NamedQuery, projected: Iterable[str], solutions: list[Solution]) -> tuple[set[str], dict[str, Citation]]:
    """What the rows show about the terms of ``solutions``, asked for those terms only (see
    ``_about.rq``; in parts, side by side on the local store: :meth:`LocalBackend.select_union`):

    - ``?<column>_label`` filled in for the resource columns whose label the query does not give
      itself (a label stated in many graphs would multiply the query's rows): one label per
      resource, see :func:`_label_key`;
    - the passage behind each fact graph the citation columns name: its source, passage name and
      paragraph.

    Returns the names of the variables filled in, and the citations by graph IRI."""
    names = set(projected)
    columns = [c.name for c in q.columns if c.type in _LABELLED and f"{c.name}_label" not in names]
    cited_columns = [c.name for c in q.columns if c.type == "citations"]
    labelled, graphs = _iris(solutions, columns), _iris(solutions, cited_columns)
    # a term is asked for its labels and its passages both: only the ones its column shows are kept
    terms = sorted(labelled | graphs, key=lambda t: t.value)
    best: dict[Term | None, ox.Literal] = {}
    passages: dict[str, list[Solution]] = {}
    text = prepared(internal("_about"))
    for row in backend.select_union(text, {}, Table(("term",), tuple((t,) for t in terms)))[1] if terms else ():
        term, label = row.get("term"), row.get("label")
        if term is None:
            continue
        if "source" in row:
            if term in graphs:
                passages.setdefault(term.value, []).append(row)
        elif isinstance(label, ox.Literal) and term in labelled:
            old = best.get(term)
            if old is None or _label_key(label) < _label_key(old):
                best[term] = label
    if best:
        for c in columns:
            name = f"{c}_label"
            for s in solutions:
                found = best.get(s.get(c))
                if found is not None:
                    s[name] = found
    cited = {}
    sources: dict[tuple[Term, Term | None], Value] = {}
    for graph, items in passages.items():
        # (a graph derived from several passages: the first source by IRI, whatever the store's order)
        first = items[0] if len(items) == 1 else min(items, key=lambda r: (r["source"].value, str(r.get("source_label"))))
        key = (first["source"], first.get("source_label"))
        source = sources.get(key)
        if source is None:
            source = sources[key] = python_value(*key)
        # the paragraph of a graph derived from one passage (one derived from several has none)
        paragraph = int(first["paragraph"].value) if len(items) == 1 and "paragraph" in first else None
        passage = graph.rstrip("/").rsplit("/", 1)[-1]
        cited[graph] = Citation(source if isinstance(source, Resource) else Resource(graph), passage, paragraph, graph)
    return {f"{c}_label" for c in columns}, cited


class _Column:
    """The cells of one column of an answer: each distinct term (with the phrase as printed, for
    a date) converted once, a resource with the label that shows first among its labels in the
    answer (see :func:`_label_key`)."""

    __slots__ = ("name", "is_list", "values", "identities")

    def __init__(self, column: Column, cited: dict[str, Citation], solutions: list[Solution]) -> None:
        self.name = column.name
        self.is_list = column.is_list
        terms: list[object] = [s.get(column.name) for s in solutions]
        labels = [s.get(column.name + "_label") for s in solutions]
        printed_name = column.name + "_as_printed" if column.type in ("date", "term", "terms") else ""
        printed = [s.get(printed_name) for s in solutions] if printed_name else []
        keys: list[object] = terms
        if printed.count(None) < len(printed):  # a date's value holds the phrase as printed
            keys = list(zip(terms, printed))
        best: dict[object, Term] = {}  # the label each term shows, wherever it is
        if labels.count(None) < len(labels):
            found: dict[object, list[Term]] = {}
            for term, label in set(zip(terms, labels)):
                if label is not None:
                    found.setdefault(term, []).append(label)
            best = {term: min(named, key=_label_key) for term, named in found.items()}
        values: dict[object, Value] = {}
        for key in set(keys):
            term, as_printed = key if isinstance(key, tuple) else (key, None)
            values[key] = None if term is None else _value(column.type, cited, term, best.get(term), as_printed)
        identities = {key: _identity(value) for key, value in values.items()}
        #: the value and the identity of the value of each solution
        self.values: list[Value] = list(map(values.__getitem__, keys))
        self.identities: list[object] = list(map(identities.__getitem__, keys))


def _value(kind: str, cited: dict[str, Citation], term: Term, label: Term | None, printed: Term | None) -> Value:
    """The Python value of ``term`` in a column of type ``kind``."""
    if kind == "citations":
        return cited.get(term.value) or Citation(Resource(term.value), "", None, term.value)
    if kind == "date":
        return fuzzy_date(term, printed)
    value = python_value(term, label, printed)
    if kind == "str":
        return value.iri if isinstance(value, Resource) else (None if value is None else str(value))
    return value


def _identity(value: Value) -> object:
    """What makes two values equal, quicker to hash than the value itself: a resource is its IRI
    (its label is for people), a citation its source, passage and paragraph."""
    if isinstance(value, Resource):
        return (Resource, value.iri)
    if isinstance(value, Citation):
        return (Citation, value.source.iri, value.passage, value.paragraph)
    return value


def _sort_key(value: Value) -> tuple[str, ...]:
    if isinstance(value, Citation):
        return (value.source_key, f"{value.paragraph or 0:06d}", value.passage, value.graph)
    if isinstance(value, Resource):
        return ((value.label or "").lower(), value.iri)
    return (str(value),)


def make_rows(q: NamedQuery, solutions: Iterable[Solution], cited: dict[str, Citation], *,
              sort: bool = False) -> Rows:
    """Group the solutions into rows: solutions equal in every single-valued column make one row,
    whose list columns collect their distinct values (sorted). A resource named with several
    labels shows one: an English one first, then the smallest. The rows are in the order of their
    first solutions or, with ``sort``, sorted by their single-valued columns."""
    solutions = solutions if isinstance(solutions, list) else list(solutions)
    columns = [_Column(c, cited, solutions) for c in q.columns]
    scalars = [c for c in columns if not c.is_list]
    lists = [c for c in columns if c.is_list]
    members: dict[tuple[object, ...], list[int]] = {}  # the solutions of each row, by its values
    keys = zip(*[c.identities for c in scalars]) if scalars else [()] * len(solutions)
    for i, key in enumerate(keys):
        found = members.get(key)
        if found is None:
            members[key] = [i]
        else:
            found.append(i)
    cls = row_class(q)
    at = {c.name: i for i, c in enumerate(scalars)}
    at.update((c.name, len(scalars) + i) for i, c in enumerate(lists))
    order = [at[c.name] for c in q.columns]
    in_order = order == list(range(len(order)))
    out = []
    sort_keys = []
    for indices in members.values():
        first = indices[0]
        fields: list[Value] = [c.values[first] for c in scalars]
        for c in lists:
            values, identities = c.values, c.identities
            distinct = {identities[i]: values[i] for i in indices if values[i] is not None}
            collected = list(distinct.values())
            fields.append(tuple(collected) if len(collected) < 2 else tuple(sorted(collected, key=_sort_key)))
        out.append(cls(*(fields if in_order else [fields[i] for i in order])))
        if sort:
            sort_keys.append(tuple([_sort_key(v) for v in fields[:len(scalars)]]))
    if sort:
        out = [out[i] for i in sorted(range(len(out)), key=sort_keys.__getitem__)]
    return Rows(out, columns=[c.name for c in q.columns], question=q.name)
