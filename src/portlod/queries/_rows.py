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

#: At most this many terms are asked about in one query.
_PER_QUERY = 2000


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


def _label_key(label: ox.Literal) -> tuple[int, str]:
    """Which of several labels a resource shows: English first (or no language), then the smallest."""
    lang = (label.language or "").lower()
    return (0 if lang in ("", "en") or lang.startswith("en-") else 1, label.value)


def _iris(solutions: list[Solution], columns: list[str]) -> set[ox.NamedNode]:
    """The distinct IRIs of the columns in the solutions."""
    found: set[Term | None] = set()
    for c in columns:
        found.update({s.get(c) for s in solutions})
    return {t for t in found if isinstance(t, ox.NamedNode)}


def about(backend: Backend, q: NamedQuery, projected: Iterable[str], solutions: list[Solution]) -> tuple[set[str], dict[str, Citation]]:
    """What the rows show about the terms of ``solutions``, asked for those terms only (one query
    per :data:`_PER_QUERY` terms, see ``_about.rq``):

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
    for at in range(0, len(terms), _PER_QUERY):
        table = Table(("term",), tuple((t,) for t in terms[at:at + _PER_QUERY]))
        for row in backend.select(text, {}, table=table)[1]:
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
        first = items[0]
        key = (first["source"], first.get("source_label"))
        source = sources.get(key)
        if source is None:
            source = sources[key] = python_value(*key)
        # the paragraph of a graph derived from one passage (one derived from several has none)
        paragraph = int(first["paragraph"].value) if len(items) == 1 and "paragraph" in first else None
        passage = graph.rstrip("/").rsplit("/", 1)[-1]
        cited[graph] = Citation(source if isinstance(source, Resource) else Resource(graph), passage, paragraph, graph)
    return {f"{c}_label" for c in columns}, cited


_NO_RANK = (2, "")
#: A cell: the number of its value among the column's distinct values (equal values, one number:
#: rows are grouped and lists kept distinct by it, not by hashing the values again), the rank of
#: the label it shows (see :func:`_label_key`) and the value.
_Cell = tuple[int, tuple[int, str], Value]


class _Cells:
    """The Python values of the cells of one column, each term converted once per answer."""

    __slots__ = ("name", "type", "label", "printed", "cited", "seen", "numbers")

    def __init__(self, column: Column, cited: dict[str, Citation]) -> None:
        self.name = column.name
        self.type = column.type
        self.label = column.name + "_label"
        self.printed = column.name + "_as_printed" if column.type in ("date", "term", "terms") else ""
        self.cited = cited
        self.seen: dict[object, _Cell] = {}
        self.numbers: dict[object, int] = {}

    def __call__(self, solution: Solution) -> _Cell:
        """The cell of ``solution`` in this column (see :data:`_Cell`)."""
        term = solution.get(self.name)
        label = solution.get(self.label)
        printed = solution.get(self.printed) if self.printed else None
        key = term if label is None and printed is None else (term, label, printed)
        found = self.seen.get(key)
        if found is None:
            value = None if term is None else self._value(term, label, printed)
            rank = _label_key(label) if term is not None and isinstance(label, ox.Literal) and label.value else _NO_RANK
            found = self.seen[key] = (self.numbers.setdefault(_identity(value), len(self.numbers)), rank, value)
        return found

    def _value(self, term: Term, label: Term | None, printed: Term | None) -> Value:
        if self.type == "citations":
            return self.cited.get(term.value) or Citation(Resource(term.value), "", None, term.value)
        if self.type == "date":
            return fuzzy_date(term, printed)
        value = python_value(term, label, printed)
        if self.type == "str":
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


def _better(new: _Cell, old: _Cell) -> bool:
    """Of two equal resources, the one whose label shows first (other values are kept as first seen)."""
    return new[1] < old[1] and isinstance(new[2], Resource)


def make_rows(q: NamedQuery, solutions: Iterable[Solution], cited: dict[str, Citation], *,
              sort: bool = False) -> Rows:
    """Group the solutions into rows: solutions equal in every single-valued column make one row,
    whose list columns collect their distinct values (sorted). A resource named with several
    labels shows one: an English one first, then the smallest."""
    scalars = [_Cells(c, cited) for c in q.columns if not c.is_list]
    lists = [_Cells(c, cited) for c in q.columns if c.is_list]
    groups: dict[tuple[int, ...], tuple[list[_Cell], list[dict[int, _Cell]]]] = {}
    for solution in solutions:
        cells = [cell(solution) for cell in scalars]
        key = tuple([c[0] for c in cells])
        group = groups.get(key)
        if group is None:
            group = groups[key] = (cells, [{} for _ in lists])
        else:
            kept = group[0]
            for i, c in enumerate(cells):
                if _better(c, kept[i]):
                    kept[i] = c
        for found, column in zip(group[1], lists):
            c = column(solution)
            if c[2] is None:
                continue
            old = found.get(c[0])
            if old is None or _better(c, old):
                found[c[0]] = c
    cls = row_class(q)
    names = [c.name for c in q.columns]
    at = {c.name: i for i, c in enumerate(scalars)}
    at.update((c.name, len(scalars) + i) for i, c in enumerate(lists))
    order = [at[n] for n in names]
    ordered = order == list(range(len(order)))
    out = []
    keys = []
    for kept, collected in groups.values():
        fields: list[Value] = [c[2] for c in kept]
        for found in collected:
            values = [c[2] for c in found.values()]
            fields.append(tuple(values) if len(values) < 2 else tuple(sorted(values, key=_sort_key)))
        out.append(cls(*(fields if ordered else [fields[i] for i in order])))
        if sort:
            keys.append(tuple([_sort_key(v) for v in fields[:len(scalars)]]))
    if sort:
        out = [out[i] for i in sorted(range(len(out)), key=keys.__getitem__)]
    return Rows(out, columns=names, question=q.name)
