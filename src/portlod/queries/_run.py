"""Asking: parameters checked and turned into RDF terms, the query run (for a theme and every
narrower theme where a parameter asks for that; a name looked up as written before it is looked
for in any case), the answer finished in Python where the question says so (``_derive``) and
turned into typed, frozen rows (``_rows``)."""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import make_dataclass
from datetime import date as _date
from functools import cache

import pyoxigraph as ox

from ..errors import QueryError
from ..records import FuzzyDate
from ..resources import concept_index, path
from ..vocab import ID, PREFIXES, THEME
from ._backend import MIN_PART_ROWS, Backend, LocalBackend, Solution, Table, Term, solutions
from ._derive import derive, sort_solutions
from ._registry import PARAMETER_TYPES, NamedQuery, Parameter, internal, prepared, prologue, unordered
from ._rows import Rows, look_up, make_rows
from ._values import Resource, Value, python_value

__all__ = ["Rows", "ask_backend", "bind", "narrower_closure", "query_backend"]

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


def _given(q: NamedQuery, params: Mapping[str, object]) -> dict[str, object]:
    """The parameters given (``from_`` read as ``from``; ``None`` as not given)."""
    names = {p.name for p in q.parameters}
    given: dict[str, object] = {}
    for key, value in params.items():
        name = key[:-1] if key not in names and key.endswith("_") and key[:-1] in names else key
        if name not in names:
            raise QueryError(f"question {q.name!r} has no parameter {key!r}; its parameters: "
                             f"{', '.join(p.name for p in q.parameters) or 'none'}")
        if value is not None:
            given[name] = value
    return given


def _check_all(backend: Backend, q: NamedQuery, bound: Mapping[str, Term], params: Mapping[str, object]) -> None:
    given = _given(q, params)
    for p in q.parameters:
        node = bound.get(p.name)
        if p.type in _RESOURCE_TYPES and isinstance(node, ox.NamedNode):
            _check_exists(backend, q, p, node, given[p.name])


_RESOURCE_TYPES = frozenset({"locode", "org", "agreement", "person", "source", "resource"})


def bind(backend: Backend, q: NamedQuery, params: Mapping[str, object], *, check: bool = True) -> dict[str, Term]:
    """Check ``params`` against the question's parameters and turn them into RDF terms; with
    ``check``, also that the resources they name are in the data set."""
    given = _given(q, params)
    for p in q.parameters:
        if p.required and p.name not in given:
            raise QueryError(f"question {q.name!r} needs the parameter {p.name!r} ({PARAMETER_TYPES[p.type]})")
    for group in q.one_of:
        chosen = [n for n in group if n in given]
        if len(chosen) != 1:
            raise QueryError(f"question {q.name!r} needs {'exactly ' if chosen else ''}one of the parameters "
                             f"{', '.join(group)}" + (f" (got {', '.join(chosen)})" if chosen else ""))
    bound: dict[str, Term] = {p.name: _convert(q, p, given[p.name]) for p in q.parameters if p.name in given}
    if check:
        _check_all(backend, q, bound, params)
    return bound


# -- asking --------------------------------------------------------------------------------------

_SMALL_WORDS = frozenset({"a", "an", "and", "at", "de", "del", "der", "du", "for", "in", "la", "le", "of", "on", "the",
                          "to", "van", "von"})


def spellings(text: str) -> list[str]:
    """``text`` as written and in lower, upper and title case (small words such as 'of' kept in
    lower case, or not), each once."""
    words = text.split(" ")
    title = " ".join(w[:1].upper() + w[1:].lower() if i == 0 or w.lower() not in _SMALL_WORDS else w.lower()
                     for i, w in enumerate(words))
    return list(dict.fromkeys([text, text.lower(), text.upper(), text.title(), title]))


def _exact_table(q: NamedQuery, bound: dict[str, Term]) -> Table | None:
    """For a parameter with ``exact``: its spellings, plain and in English, for the variable."""
    for p in q.parameters:
        if p.exact and isinstance(bound.get(p.name), ox.Literal):
            rows = [(ox.Literal(t, language=lang) if lang else ox.Literal(t),)
                    for t in spellings(bound[p.name].value) for lang in ("", "en")]
            return Table((p.exact,), tuple(rows))
    return None


def ask_backend(backend: Backend, q: NamedQuery, params: Mapping[str, object]) -> Rows:
    from ..dataset import collector_paused  # the data set module imports the builder

    with collector_paused():  # an answer is thousands of small objects and no cycles
        return _ask(backend, q, params)


def sources_compared(backend: Backend) -> bool:
    """Whether the data's metadata graph says that the build compared the sources (its
    ``pl:sourcesDifferOn`` flags are complete); see ``_compared.rq``."""
    _, rows = backend.select(prepared(internal("_compared")), {})
    return any(python_value(r.get("compared")) is True for r in rows)


def _ask(backend: Backend, q: NamedQuery, params: Mapping[str, object]) -> Rows:
    bound = bind(backend, q, params, check=False)
    table = None
    fan = [p for p in q.parameters if p.narrower and p.name in bound]
    # a question that reads the build's flags asks another query of data without them (same
    # parameters, columns, steps and order: the rows are the question's own)
    asked = internal(q.unflagged) if q.unflagged and not sources_compared(backend) else q
    # the rows of a theme and its narrower themes are sorted by make_rows, by every single-valued
    # column: the local store need not sort the solutions first (an endpoint still gets the query
    # as written)
    text = unordered(asked) if fan and isinstance(backend, LocalBackend) else prepared(asked)
    if fan:  # the theme and every narrower theme, one table (asked at once or in parts, below)
        themes = narrower_closure(bound.pop(fan[0].name).value)
        table = Table((fan[0].name,), tuple((ox.NamedNode(t),) for t in themes))
    names: list[str] = []
    solutions: list[Solution] = []
    exact = _exact_table(q, bound) if table is None else None
    if exact is not None:  # a lookup of the name as written first; a scan only when it is not there
        names, solutions = backend.select(text, bound, table=exact)
    if not solutions:
        if table is None:
            names, solutions = backend.select(text, bound)
        else:  # the themes in parts, side by side on the local store when they are much stated
            values = [row[0] for row in table.rows if row[0] is not None]
            many = isinstance(backend, LocalBackend) and backend.mentions(values, MIN_PART_ROWS) >= MIN_PART_ROWS
            names, solutions = backend.select_union(text, bound, table, least=1 if many else MIN_PART_ROWS)
    if not solutions:  # an answer names the resources asked about: only an empty one may not
        _check_all(backend, q, bound, params)
    if q.derive:
        solutions = derive(q.derive, solutions, bound)
    if not solutions:
        return make_rows(q, solutions, {}, sort=bool(fan))
    # the passages of many fact graphs are looked up on other threads while the rows are made
    filled, cited = look_up(backend, q, names, solutions)
    if q.derive or filled & {v for v, _ in q.order}:  # the query's ORDER BY, over what Python added
        try:
            solutions = sort_solutions(solutions, q.order)
        except BaseException:
            cited.wait()  # no thread is left asking when the question fails
            raise
    return make_rows(q, solutions, cited, sort=bool(fan))


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
