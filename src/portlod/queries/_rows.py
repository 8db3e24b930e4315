"""Rows: the solutions of a named question grouped into frozen dataclass rows, typed per column,
with the passages of the fact graphs they cite."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import make_dataclass
from functools import cache
from typing import Any

import pyoxigraph as ox

from ..records import FuzzyDate
from ..errors import QueryError
from ._backend import MIN_PART_ROWS, Backend, LocalBackend, Solution, Started, Table, Term, TsvTerms, tsv_cells
from ._registry import Column, NamedQuery, internal, prepared
from ._values import Citation, Resource, Value, fuzzy_date, named, python_value, whole_number

__all__ = ["Citations", "Rows", "about", "look_up", "make_rows", "row_class"]

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


def _terms(terms: Iterable[Term]) -> Table:
    return Table(("term",), tuple((t,) for t in terms))


class Citations:
    """The passages behind the fact graphs an answer cites, as :func:`look_up` asks for them
    (perhaps still on other threads): :meth:`result` waits for them."""

    def __init__(self, started: Started, graphs: set[ox.NamedNode]) -> None:
        self._started, self._graphs = started, graphs
        self._cited: dict[str, Citation] | None = None

    def wait(self) -> None:
        """Return when no thread is looking passages up any more."""
        self._started.wait()

    def result(self) -> dict[str, Citation]:
        """The citation of each fact graph, by the graph's IRI: its source, passage name and
        paragraph."""
        if self._cited is None:
            self._cited = self._make()
        return self._cited

    def _passages(self) -> Iterator[tuple[str, str, Value, int | None]]:
        """(fact graph IRI, source's IRI or blank node id, source, paragraph) of each passage
        found, read from the TSV written aside (as text: a term is made only for a cell that is
        not a plain IRI or literal) or from the solutions. A source is a :class:`Resource` with its
        title, or the value of whatever else the data gives; each distinct one is made once."""
        sources: dict[tuple[object, object], tuple[str, Value]] = {}
        paragraphs: dict[object, int | None] = {}
        written = self._started.written()
        if written is None:
            names, solutions = self._started.result()
            _check_about(names)
            for row in solutions:
                term, source = row.get("term"), row.get("source")
                if source is None or not isinstance(term, ox.NamedNode):
                    continue
                key: tuple[object, object] = (source, row.get("source_label"))
                found = sources.get(key)
                if found is None:
                    found = sources[key] = (source.value, python_value(*key))
                number = row.get("paragraph")
                if number not in paragraphs:
                    paragraphs[number] = whole_number(number)
                yield term.value, *found, paragraphs[number]
            return
        read = TsvTerms()
        for data in written:
            names, rows = tsv_cells(data)
            _check_about(names)
            at_term, at_source = names.index("term"), names.index("source")
            at_label = names.index("source_label") if "source_label" in names else -1
            at_paragraph = names.index("paragraph") if "paragraph" in names else -1
            for cells in rows:
                graph = read.iri(cells[at_term])
                if graph is None or not cells[at_source]:
                    continue
                key = (cells[at_source], "" if at_label < 0 else cells[at_label])
                found = sources.get(key)
                if found is None:
                    iri = read.iri(key[0])
                    if iri is not None:
                        found = (iri, named(iri, read.text(key[1])))
                    else:
                        term = read(key[0])
                        found = (term.value if term is not None else "", python_value(term, read(key[1])))
                    sources[key] = found
                cell = "" if at_paragraph < 0 else cells[at_paragraph]
                if cell not in paragraphs:
                    paragraphs[cell] = whole_number(read(cell))
                yield graph, *found, paragraphs[cell]

    def _make(self) -> dict[str, Citation]:
        graphs = {g.value for g in self._graphs}
        passages: dict[str, list[tuple[str, Value, int | None]]] = {}
        for graph, order, source, paragraph in self._passages():
            if graph in graphs:
                passages.setdefault(graph, []).append((order, source, paragraph))
        cited = {}
        for graph, items in passages.items():
            _, source, paragraph = items[0] if len(items) == 1 else _first_passage(items)
            passage = graph.rstrip("/").rsplit("/", 1)[-1]
            cited[graph] = Citation(source if isinstance(source, Resource) else Resource(graph), passage, paragraph, graph)
        return cited


def _check_about(names: list[str]) -> None:
    if "term" not in names or "source" not in names:
        raise QueryError(f"the passages' answer lacks ?term or ?source (it has {names})")


def _first_passage(items: list[tuple[str, Value, int | None]]) -> tuple[str, Value, int | None]:
    """Of the rows found for a fact graph: the first source by IRI (a blank node by its id), then
    by title, whatever the store's order; with no paragraph when the graph is derived from several
    passages (not when one passage's source has several titles)."""
    first = min(items, key=lambda item: (item[0], (item[1].label or "") if isinstance(item[1], Resource) else ""))
    if len({(order, paragraph) for order, _, paragraph in items}) > 1:
        return first[0], first[1], None
    return first


def look_up(backend: Backend, q: NamedQuery, projected: Iterable[str], solutions: list[Solution]) -> tuple[set[str], Citations]:
    """What the rows show about the terms of ``solutions``, asked for those terms only (see
    ``_about.rq``):

    - ``?<column>_label`` filled in for the resource columns whose label the query does not give
      itself (a label stated in many graphs would multiply the query's rows): one label per
      resource, see :func:`_label_key`;
    - the passage behind each fact graph the citation columns name: its source, passage name and
      paragraph. The passages of many graphs are looked up in parts on other threads
      (:meth:`LocalBackend.start_union`), while the labels are asked here and the rows are made:
      the :class:`Citations` returned may still be on their way.

    Returns the names of the variables filled in, and the citations."""
    names = set(projected)
    columns = [c.name for c in q.columns if c.type in _LABELLED and f"{c.name}_label" not in names]
    cited_columns = [c.name for c in q.columns if c.type == "citations"]
    labelled, graphs = _iris(solutions, columns), _iris(solutions, cited_columns)
    text = prepared(internal("_about"))
    aside = isinstance(backend, LocalBackend) and len(graphs) >= 2 * MIN_PART_ROWS
    if aside:
        started = backend.start_union(text, {}, _terms(graphs), least=MIN_PART_ROWS)
    else:  # asked now, in one query for both (a term is asked for its labels and its passages:
        # only the ones its column shows are kept), in parts for a large table
        started = backend.start_union(text, {}, _terms(labelled | graphs)) if labelled or graphs else Started.done([], [])
    try:
        if not aside:
            label_rows = started.result()[1]
        else:
            label_rows = backend.select_union(text, {}, _terms(labelled))[1] if labelled else []
        best: dict[Term | None, ox.Literal] = {}
        for row in label_rows:
            term, label = row.get("term"), row.get("label")
            if isinstance(label, ox.Literal) and term in labelled:
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
    except BaseException:
        started.wait()  # no thread is left asking when this call fails
        raise
    return {f"{c}_label" for c in columns}, Citations(started, graphs)


def about(backend: Backend, q: NamedQuery, projected: Iterable[str], solutions: list[Solution]) -> tuple[set[str], dict[str, Citation]]:
    """:func:`look_up`, waiting for the citations."""
    filled, citations = look_up(backend, q, projected, solutions)
    return filled, citations.result()


class _Column:
    """The cells of one column of an answer, each distinct term (with the phrase as printed, for
    a date) converted once: a resource with the label that shows first among its labels in the
    answer (see :func:`_label_key`).

    Cells are known by numbers: ``codes[i]`` numbers the term of solution ``i``, with its phrase as
    printed if any (a cell met again gets the number it got first), ``values[code]`` is its value
    and ``identities[code]`` numbers what makes values equal (see :func:`_identity`), so that
    grouping rows hashes small integers rather than terms."""

    __slots__ = ("name", "is_list", "codes", "values", "identities", "_sort_keys")

    def __init__(self, column: Column, cited: dict[str, Citation], solutions: list[Solution]) -> None:
        name = self.name = column.name
        self.is_list = column.is_list
        terms: list[Term | None] = [s.get(name) for s in solutions]
        printed: list[Term | None] = []
        if column.type in ("date", "term", "terms"):
            printed = [s.get(name + "_as_printed") for s in solutions]
        keys: list[Any] = terms
        if printed.count(None) < len(printed):  # a date's value holds the phrase as printed
            keys = list(zip(terms, printed))
        numbers: dict[Any, int] = {}
        number = numbers.setdefault
        self.codes: list[int] = [number(key, len(numbers)) for key in keys]
        distinct = list(numbers)
        # the label each term shows, wherever it is: a term printed two ways shows one label
        of_term, term_of = self.codes, self.codes
        if keys is not terms:
            by_term: dict[Term | None, int] = {}
            of_term = [by_term.setdefault(t, len(by_term)) for t in terms]
            term_of = [by_term[key[0]] for key in distinct]
        best: list[Term | None] = [None] * len(distinct)
        labels = [s.get(name + "_label") for s in solutions]
        if labels.count(None) < len(labels):
            for code, label in zip(of_term, labels):
                if label is not None:
                    old = best[code]
                    if old is None or (label != old and _label_key(label) < _label_key(old)):
                        best[code] = label
        kind = column.type
        self.values: list[Value] = [
            None if key is None or (keys is not terms and key[0] is None)
            else _value(kind, cited, key, best[code], None) if keys is terms
            else _value(kind, cited, key[0], best[term_of[code]], key[1])
            for code, key in enumerate(distinct)]
        identities: dict[object, int] = {}
        number = identities.setdefault
        self.identities: list[int] = [number(_identity(v), len(identities)) for v in self.values]
        self._sort_keys: list[tuple[str, ...] | None] = [None] * len(distinct)

    def sort_key(self, code: int) -> tuple[str, ...]:
        """The sort key of the value numbered ``code`` (see :func:`_sort_key`), made once."""
        key = self._sort_keys[code]
        if key is None:
            key = self._sort_keys[code] = _sort_key(self.values[code])
        return key


def _value(kind: str, cited: dict[str, Citation], term: Term, label: Term | None, printed: Term | None) -> Value:
    """The Python value of ``term`` in a column of type ``kind``."""
    if kind == "citations":
        return cited.get(term.value) or Citation(Resource(term.value), "", None, term.value)
    if isinstance(term, ox.NamedNode) and kind in ("resource", "resources"):  # (python_value's answer, sooner)
        return named(term.value, label.value if isinstance(label, ox.Literal) else None)
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


def _list_cells(c: _Column, groups: list[list[int]]) -> list[Value]:
    """The cells of list column ``c`` in rows grouping the solutions ``groups``: each the distinct
    values of its solutions, sorted (of equal values, the last cell's)."""
    codes, values, identities = c.codes, c.values, c.identities
    cells: list[Value] = []
    for indices in groups:
        if len(indices) == 1:
            value = values[codes[indices[0]]]
            cells.append(() if value is None else (value,))
            continue
        distinct: dict[int, int] = {}  # a code of each distinct value (its last cell, as before)
        for i in indices:
            if values[codes[i]] is not None:
                distinct[identities[codes[i]]] = codes[i]
        picked = sorted(distinct.values(), key=c.sort_key) if len(distinct) > 1 else distinct.values()
        cells.append(tuple([values[code] for code in picked]))
    return cells


def make_rows(q: NamedQuery, solutions: Iterable[Solution], cited: dict[str, Citation] | Citations, *,
              sort: bool = False) -> Rows:
    """Group the solutions into rows: solutions equal in every single-valued column make one row,
    whose list columns collect their distinct values (sorted). A resource named with several
    labels shows one: an English one first, then the smallest. The rows are in the order of their
    first solutions or, with ``sort``, sorted by their single-valued columns.

    ``cited`` gives the citations of the fact graphs; :class:`Citations` still being looked up
    are waited for once the other columns are made."""
    solutions = solutions if isinstance(solutions, list) else list(solutions)
    made: dict[str, _Column] = {}
    try:
        for column in q.columns:
            if column.type != "citations":
                made[column.name] = _Column(column, {}, solutions)
    finally:
        if isinstance(cited, Citations):
            cited.wait()
    citations = cited.result() if isinstance(cited, Citations) else cited
    columns = [made[column.name] if column.name in made else _Column(column, citations, solutions)
               for column in q.columns]
    scalars = [c for c in columns if not c.is_list]
    lists = [c for c in columns if c.is_list]
    members: dict[tuple[int, ...], list[int]] = {}  # the solutions of each row, by its values
    keys: Iterable[tuple[int, ...]] = [()] * len(solutions)
    if scalars:
        keys = zip(*[list(map(c.identities.__getitem__, c.codes)) for c in scalars])
    for i, key in enumerate(keys):
        found = members.get(key)
        if found is None:
            members[key] = [i]
        else:
            found.append(i)
    groups = list(members.values())
    firsts = [indices[0] for indices in groups]
    # the fields column by column (a comprehension per column, not a loop per row and column)
    fields: dict[str, list[Value]] = {}
    for c in scalars:
        values, codes = c.values, c.codes
        fields[c.name] = [values[codes[first]] for first in firsts]
    for c in lists:
        fields[c.name] = _list_cells(c, groups)
    cls = row_class(q)
    out = [cls(*row) for row in zip(*[fields[c.name] for c in q.columns])] if q.columns else [cls() for _ in groups]
    if sort and scalars:
        keys_of = [[c.sort_key(c.codes[first]) for first in firsts] for c in scalars]
        sort_keys = list(zip(*keys_of))
        out = [out[i] for i in sorted(range(len(out)), key=sort_keys.__getitem__)]
    return Rows(out, columns=[c.name for c in q.columns], question=q.name)
