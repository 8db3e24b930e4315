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
from ..vocab import PREFIXES
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


_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_DERIVED_FROM = ox.NamedNode(PREFIXES["pl"] + "derivedFrom")


def about(backend: Backend, q: NamedQuery, projected: Iterable[str], solutions: list[Solution]) -> tuple[set[str], dict[str, Citation]]:
    """What the rows show about the terms of ``solutions``, asked for those terms only (one query):

    - ``?<column>_label`` filled in for the resource columns whose label the query does not give
      itself (a label stated in many graphs would multiply the query's rows): one label per
      resource, see :func:`_label_key`;
    - the passage behind each fact graph the citation columns name: its source, passage name and
      paragraph.

    Returns the names of the variables filled in, and the citations by graph IRI."""
    names = set(projected)
    columns = [c.name for c in q.columns if c.type in _LABELLED and f"{c.name}_label" not in names]
    cited_columns = [c.name for c in q.columns if c.type == "citations"]
    iris = sorted({s[c].value for s in solutions for c in columns if isinstance(s.get(c), ox.NamedNode)})
    graphs = sorted({s[c].value for s in solutions for c in cited_columns if isinstance(s.get(c), ox.NamedNode)})
    rows = [(ox.NamedNode(i), _LABEL) for i in iris] + [(ox.NamedNode(g), _DERIVED_FROM) for g in graphs]
    best: dict[str, ox.Literal] = {}
    passages: dict[str, list[Solution]] = {}
    text = prepared(internal("_about"))
    for at in range(0, len(rows), _PER_QUERY):
        for row in backend.select(text, {}, table=Table(("term", "property"), tuple(rows[at:at + _PER_QUERY])))[1]:
            term, prop, obj = row.get("term"), row.get("property"), row.get("object")
            if term is None or obj is None:
                continue
            if prop == _LABEL and isinstance(obj, ox.Literal):
                old = best.get(term.value)
                if old is None or _label_key(obj) < _label_key(old):
                    best[term.value] = obj
            elif prop == _DERIVED_FROM and "source" in row:
                passages.setdefault(term.value, []).append(row)
    for s in solutions:
        for c in columns:
            term = s.get(c)
            if isinstance(term, ox.NamedNode) and term.value in best:
                s[f"{c}_label"] = best[term.value]
    cited = {}
    sources: dict[tuple[Term, Term | None], Value] = {}
    for graph, items in passages.items():
        first = items[0]
        key = (first["source"], first.get("source_label"))
        source = sources.get(key) or sources.setdefault(key, python_value(*key))
        paragraphs = {r["paragraph"].value for r in items if "paragraph" in r}
        passage = graph.rstrip("/").rsplit("/", 1)[-1]
        paragraph = int(next(iter(paragraphs))) if len(paragraphs) == 1 and len(items) == 1 else None
        cited[graph] = Citation(source if isinstance(source, Resource) else Resource(graph), passage, paragraph, graph)
    return {f"{c}_label" for c in columns}, cited


_NO_RANK = (2, "")


class _Cells:
    """The Python values of the cells of one column, each term converted once per answer."""

    __slots__ = ("name", "type", "label", "printed", "cited", "seen")

    def __init__(self, column: Column, cited: dict[str, Citation]) -> None:
        self.name = column.name
        self.type = column.type
        self.label = column.name + "_label"
        self.printed = column.name + "_as_printed" if column.type in ("date", "term", "terms") else ""
        self.cited = cited
        self.seen: dict[tuple[Term, Term | None, Term | None], tuple[Value, tuple[int, str]]] = {}

    def __call__(self, solution: Solution) -> tuple[Value, tuple[int, str]]:
        """The cell's value, and the rank of the label it shows (see :func:`_label_key`)."""
        term = solution.get(self.name)
        if term is None:
            return None, _NO_RANK
        label = solution.get(self.label)
        printed = solution.get(self.printed) if self.printed else None
        key = (term, label, printed)
        found = self.seen.get(key)
        if found is None:
            found = self.seen[key] = (self._value(term, label, printed),
                                      _label_key(label) if isinstance(label, ox.Literal) and label.value else _NO_RANK)
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


def _sort_key(value: Value) -> tuple[str, ...]:
    if isinstance(value, Citation):
        return (value.source_key, f"{value.paragraph or 0:06d}", value.passage)
    if isinstance(value, Resource):
        return ((value.label or "").lower(), value.iri)
    return (str(value),)


def make_rows(q: NamedQuery, solutions: Iterable[Solution], cited: dict[str, Citation], *,
              sort: bool = False) -> Rows:
    """Group the solutions into rows: solutions equal in every single-valued column make one row,
    whose list columns collect their distinct values (sorted). A resource named with several
    labels shows one: an English one first, then the smallest."""
    scalars = [_Cells(c, cited) for c in q.columns if not c.is_list]
    lists = [_Cells(c, cited) for c in q.columns if c.is_list]
    groups: dict[tuple[Value, ...], tuple[list[tuple[Value, tuple[int, str]]], list[dict[Value, tuple[Value, tuple[int, str]]]]]] = {}
    for solution in solutions:
        cells = [cell(solution) for cell in scalars]
        key = tuple(value for value, _ in cells)
        group = groups.get(key)
        if group is None:
            group = groups[key] = (cells, [{} for _ in lists])
        else:
            kept = group[0]
            for i, (value, rank) in enumerate(cells):  # of equal resources, keep the best label
                if rank < kept[i][1] and isinstance(value, Resource):
                    kept[i] = (value, rank)
        for found, cell in zip(group[1], lists):
            value, rank = cell(solution)
            if value is None:
                continue
            old = found.get(value)
            if old is None or (rank < old[1] and isinstance(value, Resource)):
                found[value] = (value, rank)
    cls = row_class(q)
    names = [c.name for c in q.columns]
    out = []
    for kept, collected in groups.values():
        fields: dict[str, Value] = {cell.name: value for cell, (value, _) in zip(scalars, kept)}
        fields.update((cell.name, tuple(sorted((v for v, _ in found.values()), key=_sort_key)))
                      for cell, found in zip(lists, collected))
        out.append(cls(*[fields[n] for n in names]))
    if sort:
        out.sort(key=lambda r: tuple(_sort_key(getattr(r, c.name)) for c in scalars))
    return Rows(out, columns=names, question=q.name)
