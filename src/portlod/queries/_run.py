"""Asking: parameters checked and turned into RDF terms, the query run (once per narrower theme
where a parameter asks for that), solutions turned into typed, frozen rows."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Mapping
from dataclasses import make_dataclass
from datetime import date as _date
from functools import cache
from typing import Any

import pyoxigraph as ox

from ..errors import QueryError
from ..records import FuzzyDate
from ..resources import concept_index, path
from ..vocab import ID, PREFIXES, THEME
from ._backend import Backend, LocalBackend, Solution, Term, solutions
from ._registry import PARAMETER_TYPES, Column, NamedQuery, Parameter, internal, prepared, prologue
from ._values import Citation, Resource, Value, fuzzy_date, python_value

__all__ = ["Rows", "ask_backend", "query_backend"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_DATE_TYPE = {"day": XSD + "date", "month": XSD + "gYearMonth", "year": XSD + "gYear"}
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
_KINDS = ("port", "org", "person", "agreement", "initiative", "event", "relationship", "cluster", "region",
          "country", "membership", "quotation", "image", "source")
_KIND_KEY = re.compile(rf"^(?:{'|'.join(_KINDS)})/\S+$")
_PREFIXED = re.compile(r"^([A-Za-z][\w-]*):(\S*)$")
_KEYED = {"org": ("org", "organization"), "agreement": ("agreement", "agreement"),
          "person": ("person", "person"), "source": ("source", "source")}


class Rows(list[Any]):
    """The rows of an answer (frozen dataclass instances), with the names of its columns even
    when there are no rows."""

    def __init__(self, rows: Iterable[Any] = (), *, columns: Iterable[str] = (), question: str | None = None) -> None:
        super().__init__(rows)
        self.columns: tuple[str, ...] = tuple(columns)
        self.question = question


# -- parameters ----------------------------------------------------------------------------------

def _iri(text: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError as e:
        raise QueryError(f"{text!r} is not a valid IRI: {e}") from None


def _named(text: str) -> ox.NamedNode | None:
    """An IRI, a prefixed name of portlod's prefixes or a kind/key path, else None."""
    if re.match(r"^https?://|^urn:", text):
        return _iri(text)
    if _KIND_KEY.match(text):
        return _iri(str(ID) + text)
    m = _PREFIXED.match(text)
    if m and m.group(1) in PREFIXES:
        return _iri(PREFIXES[m.group(1)] + m.group(2))
    return None


def _text(value: object) -> str:
    if isinstance(value, Resource):
        return value.iri
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return value.value
    if isinstance(value, FuzzyDate):
        return value.value or ""
    if isinstance(value, _date):
        return value.isoformat()
    return " ".join(str(value).split())


def _bad(q: NamedQuery, p: Parameter, value: object, why: str) -> QueryError:
    return QueryError(f"bad value {value!r} for parameter {p.name!r} of question {q.name!r}: {why} "
                      f"(expected {PARAMETER_TYPES[p.type]})")


def _convert(q: NamedQuery, p: Parameter, value: object) -> ox.NamedNode | ox.Literal:
    text = _text(value)
    if not text:
        raise _bad(q, p, value, "it is empty")
    if p.type == "locode":
        if re.match(r"^https?://", text):
            return _iri(text)
        code = text.upper().replace(" ", "")
        if not _LOCODE.match(code):
            raise _bad(q, p, value, "not a UN/LOCODE (five characters: country code and location, e.g. USLAX)")
        return _iri(f"{ID}port/{code}")
    if p.type in _KEYED:
        if re.match(r"^https?://", text):
            return _iri(text)
        if not _KEY.match(text):
            raise _bad(q, p, value, f"not a {_KEYED[p.type][1]} key (lower-case words joined by '-')")
        return _iri(f"{ID}{_KEYED[p.type][0]}/{text}")
    if p.type == "resource":
        node = _named(text)
        if node is None:
            raise _bad(q, p, value, "not an IRI, a prefixed name or kind/key")
        return node
    if p.type == "property":
        node = _named(text)
        if node is None and re.match(r"^[A-Za-z][A-Za-z0-9]*$", text):
            node = _iri(PREFIXES["pl"] + text)
        if node is None:
            raise _bad(q, p, value, "not an IRI, a prefixed name or a portlod property name")
        return node
    if p.type == "term":
        return _named(text) or ox.Literal(text)
    if p.type == "date":
        try:
            precision = FuzzyDate.check(text)
        except ValueError as e:
            raise _bad(q, p, value, str(e)) from None
        return ox.Literal(text, datatype=ox.NamedNode(_DATE_TYPE[precision]))
    if p.type == "theme":
        index = concept_index("themes")
        if text.startswith(str(THEME)):
            local: str | None = text[len(str(THEME)):]
            local = local if local in index.names else None
        else:
            local = index.find(text.removeprefix("theme:"))
        if local is None:
            raise _bad(q, p, value, f"no such theme; the themes are {', '.join(index.names)}")
        return _iri(index.iri(local))
    if p.type == "choice":
        if text.lower() not in p.choices:
            raise _bad(q, p, value, f"choose one of {', '.join(p.choices)}")
        return ox.Literal(text.lower())
    return ox.Literal(text)


def _check_exists(backend: Backend, q: NamedQuery, p: Parameter, node: ox.NamedNode, value: object) -> None:
    _, found = backend.select(prepared(internal("_exists")), {"resource": node})
    if found:
        return
    what = {"locode": "port", "org": "organization", "agreement": "agreement", "person": "person",
            "source": "source"}.get(p.type, "resource")
    hint = ""
    if p.type in ("locode", "org", "agreement", "person", "source"):
        prefix = node.value.rsplit("/", 1)[0] + "/"
        _, rows = backend.select(prepared(internal("_instances")), {"prefix": ox.Literal(prefix)})
        keys = [k for k in (r["resource"].value[len(prefix):] for r in rows if "resource" in r) if "/" not in k]
        hint = f"; the {what}s in it: {', '.join(keys) if keys else 'none'}"
        if p.type in ("locode", "org"):
            hint += " (to find one by name, ask the question 'resolve')"
    raise QueryError(f"no {what} {_text(value)!r} ({node.value}) in the data set{hint}")


@cache
def _narrower() -> dict[str, tuple[str, ...]]:
    skos = "http://www.w3.org/2004/02/skos/core#"
    children: dict[str, list[str]] = {}
    for t in ox.parse(path=path("themes"), format=ox.RdfFormat.TURTLE):
        if t.predicate.value == skos + "broader" and isinstance(t.object, ox.NamedNode):
            children.setdefault(t.object.value, []).append(t.subject.value)
        elif t.predicate.value == skos + "narrower" and isinstance(t.object, ox.NamedNode):
            children.setdefault(t.subject.value, []).append(t.object.value)
    return {k: tuple(sorted(set(v))) for k, v in children.items()}


def narrower_closure(iri: str) -> list[str]:
    """The theme and every theme below it (skos:broader, transitively), the theme first."""
    found, todo = [iri], [iri]
    while todo:
        for child in _narrower().get(todo.pop(), ()):
            if child not in found:
                found.append(child)
                todo.append(child)
    return found


def bind(backend: Backend, q: NamedQuery, params: Mapping[str, object]) -> dict[str, Term]:
    """Check ``params`` against the question's parameters and turn them into RDF terms."""
    names = {p.name for p in q.parameters}
    given: dict[str, object] = {}
    for key, value in params.items():
        name = key[:-1] if key not in names and key.endswith("_") and key[:-1] in names else key
        if name not in names:
            raise QueryError(f"question {q.name!r} has no parameter {key!r}; its parameters: "
                             f"{', '.join(p.name for p in q.parameters) or 'none'}")
        if value is not None:
            given[name] = value
    for p in q.parameters:
        if p.required and p.name not in given:
            raise QueryError(f"question {q.name!r} needs the parameter {p.name!r} ({PARAMETER_TYPES[p.type]})")
    for group in q.one_of:
        chosen = [n for n in group if n in given]
        if len(chosen) != 1:
            raise QueryError(f"question {q.name!r} needs {'exactly ' if chosen else ''}one of the parameters "
                             f"{', '.join(group)}" + (f" (got {', '.join(chosen)})" if chosen else ""))
    bound: dict[str, Term] = {}
    for p in q.parameters:
        if p.name in given:
            node = _convert(q, p, given[p.name])
            if p.type in ("locode", "org", "agreement", "person", "source", "resource") and isinstance(node, ox.NamedNode):
                _check_exists(backend, q, p, node, given[p.name])
            bound[p.name] = node
    return bound


# -- rows ----------------------------------------------------------------------------------------

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


def _citations(backend: Backend) -> dict[str, Citation]:
    _, rows = backend.select(prepared(internal("_citations")), {})
    found: dict[str, list[Solution]] = {}
    for row in rows:
        if "graph" in row:
            found.setdefault(row["graph"].value, []).append(row)
    citations = {}
    for graph, items in found.items():
        first = items[0]
        source = python_value(first.get("source"), first.get("source_label"))
        paragraphs = {r["paragraph"].value for r in items if "paragraph" in r}
        passage = graph.rstrip("/").rsplit("/", 1)[-1]
        paragraph = int(next(iter(paragraphs))) if len(paragraphs) == 1 and len(items) == 1 else None
        citations[graph] = Citation(source if isinstance(source, Resource) else Resource(graph), passage, paragraph, graph)
    return citations


def _cell(column: Column, term: Term | None, row: Solution, name: str, citations: dict[str, Citation]) -> Value:
    if column.type == "citations":
        if term is None:
            return None
        return citations.get(term.value) or Citation(Resource(term.value), "", None, term.value)
    if column.type == "date":
        return fuzzy_date(term, row.get(name + "_as_printed"))
    printed = row.get(name + "_as_printed") if column.type in ("term", "terms") else None
    value = python_value(term, row.get(name + "_label"), printed)
    if column.type == "str":
        return value.iri if isinstance(value, Resource) else (None if value is None else str(value))
    return value


def _sort_key(value: Value) -> tuple[str, ...]:
    if isinstance(value, Citation):
        return (value.source_key, f"{value.paragraph or 0:06d}", value.passage)
    if isinstance(value, Resource):
        return ((value.label or "").lower(), value.iri)
    return (str(value),)


def make_rows(q: NamedQuery, solutions: Iterable[Solution], citations: dict[str, Citation], *,
              sort: bool = False) -> Rows:
    """Group the solutions into rows: solutions equal in every single-valued column make one row,
    whose list columns collect their distinct values (sorted)."""
    scalars = [c for c in q.columns if not c.is_list]
    lists = [c for c in q.columns if c.is_list]
    groups: dict[tuple[Value, ...], tuple[list[Value], list[list[Value]]]] = {}
    for solution in solutions:
        values = [_cell(c, solution.get(c.name), solution, c.name, citations) for c in scalars]
        key = tuple(values)
        if key not in groups:
            groups[key] = (values, [[] for _ in lists])
        kept, collected = groups[key]
        for i, value in enumerate(values):  # keep the smallest label of equal resources
            old = kept[i]
            if isinstance(value, Resource) and isinstance(old, Resource) and value.label and \
                    (old.label is None or value.label < old.label):
                kept[i] = value
        for i, c in enumerate(lists):
            cell = _cell(c, solution.get(c.name), solution, c.name, citations)
            if cell is not None and cell not in collected[i]:
                collected[i].append(cell)
    cls = row_class(q)
    out = []
    for kept, collected in groups.values():
        fields: dict[str, Value] = {c.name: v for c, v in zip(scalars, kept)}
        fields.update((c.name, tuple(sorted(v, key=_sort_key))) for c, v in zip(lists, collected))
        out.append(cls(**{c.name: fields[c.name] for c in q.columns}))
    if sort:
        out.sort(key=lambda r: tuple(_sort_key(getattr(r, c.name)) for c in scalars))
    return Rows(out, columns=[c.name for c in q.columns], question=q.name)


def ask_backend(backend: Backend, q: NamedQuery, params: Mapping[str, object]) -> Rows:
    bound = bind(backend, q, params)
    text = prepared(q)
    fan = [p for p in q.parameters if p.narrower and p.name in bound]
    if fan:
        p = fan[0]
        solutions: list[Solution] = []
        for theme in narrower_closure(bound[p.name].value):
            solutions += backend.select(text, {**bound, p.name: ox.NamedNode(theme)})[1]
    else:
        solutions = backend.select(text, bound)[1]
    citations = _citations(backend) if any(c.type == "citations" for c in q.columns) and solutions else {}
    return make_rows(q, solutions, citations, sort=bool(fan))


# -- any query -----------------------------------------------------------------------------------

def _field(name: str, taken: set[str]) -> str:
    field = re.sub(r"\W", "_", name)
    if not field.isidentifier() or keyword.iskeyword(field) or field.startswith("_"):
        field = f"{field.lstrip('_')}_" if field.lstrip("_").isidentifier() else f"v_{field}"
    while field in taken:
        field += "_"
    taken.add(field)
    return field


@cache
def _generic_class(fields: tuple[str, ...]) -> type:
    cls = make_dataclass("Row", [(f, Value) for f in fields], frozen=True)
    cls.__module__ = "portlod.queries"
    return cls


def _generic_rows(names: list[str], rows: list[Solution]) -> Rows:
    shown = [n for n in names if not (n.endswith("_label") and n[:-6] in names)]
    taken: set[str] = set()
    cls = _generic_class(tuple(_field(n, taken) for n in shown))
    out = [cls(*(python_value(r.get(n), r.get(n + "_label"), r.get(n + "_as_printed")) for n in shown)) for r in rows]
    return Rows(out, columns=shown)


def query_backend(backend: Backend, sparql: str) -> Rows:
    text = prologue() + sparql
    if isinstance(backend, LocalBackend):
        result = backend.run(text, union=True)
    else:
        result = backend.run(text)
    if isinstance(result, ox.QueryBoolean):
        return _generic_rows(["answer"], [{"answer": ox.Literal("true" if bool(result) else "false",
                                                               datatype=ox.NamedNode(XSD + "boolean"))}])
    if isinstance(result, list):
        def term(t: object) -> Term:
            return t if isinstance(t, (ox.NamedNode, ox.BlankNode, ox.Literal)) else ox.Literal(str(t))

        return _generic_rows(["subject", "predicate", "object"],
                             [{"subject": term(t.subject), "predicate": t.predicate, "object": term(t.object)}
                              for t in result])
    return _generic_rows(*solutions(result))
