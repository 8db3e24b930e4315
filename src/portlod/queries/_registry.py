"""The registry of named questions: ``*.rq`` files in this folder, each with a grlc-style ``#+``
YAML header (name, summary, parameters with types, columns, an example), read and checked once."""

from __future__ import annotations

import inspect
import keyword
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

import pyoxigraph as ox
import yaml

from ..errors import QueryError
from ..vocab import PREFIXES

__all__ = ["Column", "NamedQuery", "Parameter", "PARAMETER_TYPES", "COLUMN_TYPES", "get", "internal", "load",
           "prepared", "prologue", "unordered"]

#: Parameter types and what a value of each looks like.
PARAMETER_TYPES: dict[str, str] = {
    "locode": "a port: UN/LOCODE (USLAX) or port IRI",
    "org": "an organization: key (port-of-los-angeles) or IRI",
    "agreement": "an agreement: key (2023-03-16-pola-yokohama-mou) or IRI",
    "person": "a person: key (gene-seroka) or IRI",
    "source": "a source: key (ktla-2023-03-16-port-of-la-gsc) or IRI",
    "resource": "a resource: IRI, prefixed name (pl:Signed) or kind/key (port/USLAX, agreement/<key>)",
    "property": "a property: IRI, prefixed name (pl:signedOn, rdfs:label) or portlod name (signedOn)",
    "term": "an IRI, prefixed name or kind/key, or else a literal compared by its text",
    "date": "a date at day, month or year precision: 2023-03-16, 2023-03 or 2023",
    "theme": "a theme of the theme scheme: local name (ZeroEmissionVessels) or label, any case",
    "choice": "one of the listed values",
    "text": "any text",
}
#: Column types and the Python value of a cell of each.
COLUMN_TYPES: dict[str, str] = {
    "resource": "Resource",
    "resources": "tuple[Resource, ...]",
    "date": "FuzzyDate",
    "str": "str",
    "int": "int",
    "bool": "bool",
    "term": "Resource | FuzzyDate | str | int",
    "terms": "tuple[Resource | FuzzyDate | str | int, ...]",
    "citations": "tuple[Citation, ...]",
}
LIST_TYPES = frozenset({"resources", "terms", "citations"})


@dataclass(frozen=True, slots=True)
class Parameter:
    """A parameter of a named question. ``narrower`` (themes only): the question is asked for the
    theme and every narrower theme, and the answers are merged. ``exact`` (text only): a variable
    of the query that the query compares with the value ignoring case; the question is first
    asked with that variable restricted to the value as written and in lower, upper and title
    case (a lookup), and only when none of them is in the data as written (a scan)."""

    name: str
    type: str
    required: bool = False
    description: str = ""
    choices: tuple[str, ...] = ()
    narrower: bool = False
    exact: str = ""


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a named question's answer."""

    name: str
    type: str
    description: str = ""

    @property
    def is_list(self) -> bool:
        return self.type in LIST_TYPES


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A named question: its SPARQL text (header included) and what its header declares.

    ``one_of`` lists groups of parameters of which exactly one must be given; ``example`` is the
    parameters of the example answer shown in docs/questions.md. ``derive`` names the steps of
    :mod:`portlod.queries._derive` that finish the answer in Python (with their settings), and
    ``order`` is the query's ``ORDER BY`` (variable, descending), applied again after them (and
    after labels are filled in). ``unflagged`` names the internal question asked instead on data
    whose metadata graph does not say ``pl:sourcesCompared`` (a question that reads the build's
    ``pl:sourcesDifferOn`` flags): same parameters, columns, steps and order, another query.
    """

    name: str
    summary: str
    parameters: tuple[Parameter, ...]
    text: str
    columns: tuple[Column, ...] = ()
    description: str = ""
    one_of: tuple[tuple[str, ...], ...] = ()
    example: tuple[tuple[str, str], ...] | None = None
    file: str = ""
    derive: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = ()
    order: tuple[tuple[str, bool], ...] = ()
    unflagged: str = ""

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise QueryError(f"question {self.name!r} has no parameter {name!r}; "
                         f"its parameters: {', '.join(p.name for p in self.parameters) or 'none'}")


_HEADER_LINE = re.compile(r"^#\+ ?(.*)$")
_NAME = re.compile(r"^_?[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: the LIMIT or OFFSET keyword with its number (not a variable ?limit, nor pl:offset)
_LIMIT = r"(?<![?$:/#\w-])(?:LIMIT|OFFSET)\s+\d"
_LIMIT_OR_OFFSET = re.compile(_LIMIT, re.IGNORECASE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\s+(.*?)\s*(?:" + _LIMIT + r"|\Z)", re.IGNORECASE | re.DOTALL)
_ORDER_KEY = re.compile(r"(ASC|DESC)\s*\(\s*\?(\w+)\s*\)|\?(\w+)", re.IGNORECASE)


def prologue() -> str:
    """The PREFIX declarations every query runs with (``portlod.vocab.PREFIXES``)."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def _header(text: str, file: str) -> dict[str, Any]:
    lines = []
    for line in text.splitlines():
        match = _HEADER_LINE.match(line)
        if match:
            lines.append(match.group(1))
        elif lines and not line.strip().startswith("#"):
            break
    try:
        header = yaml.safe_load("\n".join(lines)) if lines else None
    except yaml.YAMLError as e:
        raise QueryError(f"{file}: the #+ header is not valid YAML: {e}") from None
    if not isinstance(header, dict):
        raise QueryError(f"{file}: no '#+' header (name, summary, params, columns) at the top of the file")
    return header


def _parameter(name: str, spec: Any, file: str) -> Parameter:
    if not isinstance(spec, dict) or spec.get("type") not in PARAMETER_TYPES:
        raise QueryError(f"{file}: parameter {name!r} needs a type, one of {', '.join(PARAMETER_TYPES)}")
    unknown = set(spec) - {"type", "required", "description", "choices", "narrower", "exact"}
    if unknown:
        raise QueryError(f"{file}: parameter {name!r} has unknown field(s) {', '.join(sorted(map(str, unknown)))} "
                         "(quote a description that holds a comma)")
    choices = tuple(str(c) for c in spec.get("choices", ()))
    if spec["type"] == "choice" and not choices:
        raise QueryError(f"{file}: parameter {name!r} of type choice needs choices")
    exact = str(spec.get("exact", ""))
    if exact and (spec["type"] != "text" or not _VARIABLE.match(exact)):
        raise QueryError(f"{file}: parameter {name!r}: exact names a variable of the query (without '?') "
                         "and is for text parameters only")
    return Parameter(name, spec["type"], bool(spec.get("required", False)), str(spec.get("description", "")),
                     choices, bool(spec.get("narrower", False)), exact)


def _column(name: str, spec: Any, file: str) -> Column:
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, dict) or spec.get("type") not in COLUMN_TYPES:
        raise QueryError(f"{file}: column {name!r} needs a type, one of {', '.join(COLUMN_TYPES)}")
    unknown = set(spec) - {"type", "description"}
    if unknown:
        raise QueryError(f"{file}: column {name!r} has unknown field(s) {', '.join(sorted(map(str, unknown)))} "
                         "(quote a description that holds a comma)")
    if not name.isidentifier() or keyword.iskeyword(name):
        raise QueryError(f"{file}: column {name!r} must be a Python identifier (it names a field of the rows)")
    return Column(name, spec["type"], str(spec.get("description", "")))


def _order(text: str, file: str) -> tuple[tuple[str, bool], ...]:
    """The variables of the query's final ORDER BY (only ``?x``, ``ASC(?x)``, ``DESC(?x)``)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = _ORDER_BY.search(body[body.rfind("}"):])
    if not match:
        return ()
    keys = []
    rest = match.group(1)
    for m in _ORDER_KEY.finditer(rest):
        keys.append((m.group(2) or m.group(3), (m.group(1) or "").upper() == "DESC"))
    if _ORDER_KEY.sub("", rest).strip():
        raise QueryError(f"{file}: ORDER BY may only name variables (?x, ASC(?x), DESC(?x)); the rows are "
                         "put in that order again after Python has added labels and derived values")
    return tuple(keys)


def _derive(raw: Any, file: str) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    from ._derive import STEPS

    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise QueryError(f"{file}: derive must map steps to their settings")
    steps = []
    for step, settings in raw.items():
        if step not in STEPS:
            raise QueryError(f"{file}: unknown derive step {step!r}; the steps are {', '.join(STEPS)}")
        if not isinstance(settings, dict):
            raise QueryError(f"{file}: the settings of derive step {step!r} must be a mapping")
        try:
            inspect.signature(STEPS[step]).bind([], {}, **settings)
        except TypeError as e:
            raise QueryError(f"{file}: derive step {step!r}: {e}") from None
        for setting in ("per", "rows"):  # lists of variables (a bare name would be read letter by letter)
            if setting in settings and not isinstance(settings[setting], list):
                raise QueryError(f"{file}: derive step {step!r}: {setting} must be a list of variables, "
                                 f"e.g. {setting}: [agreement]")
        steps.append((str(step), tuple((str(k), tuple(v) if isinstance(v, list) else v) for k, v in settings.items())))
    return tuple(steps)


def parse(text: str, file: str) -> NamedQuery:
    """Read a ``.rq`` file's header into a :class:`NamedQuery` (the query is checked by
    :func:`get`)."""
    header = _header(text, file)
    unknown = set(header) - {"name", "summary", "description", "params", "columns", "one_of", "example", "derive",
                             "unflagged"}
    if unknown:
        raise QueryError(f"{file}: unknown header field(s) {', '.join(sorted(unknown))}")
    name = header.get("name")
    stem = file.rsplit("/", 1)[-1].removesuffix(".rq")
    if name != stem or not _NAME.match(str(name)):
        raise QueryError(f"{file}: the header's name ({name!r}) must be the file name without .rq ({stem!r})")
    summary = header.get("summary")
    if not isinstance(summary, str) or not summary.strip() or "\n" in summary.strip():
        raise QueryError(f"{file}: the header needs a one-line summary")
    params = tuple(_parameter(str(k), v, file) for k, v in (header.get("params") or {}).items())
    columns = tuple(_column(str(k), v, file) for k, v in (header.get("columns") or {}).items())
    names = {p.name for p in params}
    one_of = header.get("one_of") or []
    if one_of and not isinstance(one_of[0], list):
        one_of = [one_of]  # a single group may be written flat: one_of: [port, org]
    groups = tuple(tuple(str(n) for n in g) for g in one_of)
    for group in groups:
        if not set(group) <= names:
            raise QueryError(f"{file}: one_of names unknown parameters {sorted(set(group) - names)}")
    raw = header.get("example")
    if raw is not None and not isinstance(raw, dict):
        raise QueryError(f"{file}: the example must be a mapping of parameters to values")
    example = None if raw is None else tuple((str(k), str(v)) for k, v in raw.items())
    for key, _ in example or ():
        if key not in names:
            raise QueryError(f"{file}: the example uses unknown parameter {key!r}")
    derive = _derive(header.get("derive"), file)
    unflagged = header.get("unflagged") or ""
    if unflagged and (not isinstance(unflagged, str) or not unflagged.startswith("_") or not _NAME.match(unflagged)):
        raise QueryError(f"{file}: unflagged names an internal question (its name starts with '_'), not {unflagged!r}")
    return NamedQuery(str(name), summary.strip(), params, text, columns, str(header.get("description", "")).strip(),
                      groups, example, file, derive, _order(text, file), unflagged)


def _check(q: NamedQuery) -> None:
    """Parse the query once (on an empty store) with every parameter bound, so that a broken
    file fails at first use with its name, and check that parameters and columns are projected."""
    def dummy(p: Parameter) -> ox.NamedNode | ox.Literal:
        if p.type == "date":
            return ox.Literal("2000", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))
        if p.type in ("choice", "text", "term"):
            return ox.Literal(p.choices[0] if p.choices else "x")
        return ox.NamedNode("urn:x-portlod:check")

    subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(p.name): dummy(p) for p in q.parameters}
    try:
        result = ox.Store().query(prologue() + q.text, substitutions=subs)
    except SyntaxError as e:
        raise QueryError(f"{q.file}: the query is not valid SPARQL: {e}") from None
    except RuntimeError as e:
        raise QueryError(f"{q.file}: {e} (every parameter must be a variable of the SELECT clause)") from None
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"{q.file}: a named question must be a SELECT query")
    if any(p.narrower for p in q.parameters) and _LIMIT_OR_OFFSET.search(_masked(q.text)):
        raise QueryError(f"{q.file}: a question asked for a theme and its narrower themes cannot LIMIT or OFFSET "
                         "its rows (the answers of the themes are merged)")
    projected = {v.value for v in result.variables}
    missing = [c.name for c in q.columns if c.name not in projected]
    if missing:
        raise QueryError(f"{q.file}: column(s) {', '.join(missing)} are not variables of the SELECT clause")
    for step, settings in q.derive:
        for setting, value in settings:
            if setting in ("per", "rows"):
                unknown = [v for v in value if v not in projected]
                if unknown:
                    raise QueryError(f"{q.file}: derive step {step!r}: {setting} names {', '.join(unknown)}, "
                                     "not variables of the SELECT clause")


@cache
def load() -> dict[str, NamedQuery]:
    """Every ``.rq`` file of the package by name (``_``-prefixed ones are internal), read once."""
    found: dict[str, NamedQuery] = {}
    folder = importlib_resources.files(__package__ or "portlod.queries")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            q = parse(entry.read_text(encoding="utf-8"), f"portlod/queries/{entry.name}")
            found[q.name] = q
    return found


@cache
def get(name: str) -> NamedQuery:
    """The named question ``name``, parsed and checked once."""
    queries = load()
    if name not in queries or name.startswith("_"):
        known = ", ".join(n for n in queries if not n.startswith("_"))
        raise QueryError(f"unknown question {name!r}; the questions are: {known}")
    q = queries[name]
    _check(q)
    if q.unflagged:
        _check_unflagged(q, queries)
    return q


def _check_unflagged(q: NamedQuery, queries: dict[str, NamedQuery]) -> None:
    """The question asked on data without flags must answer alike: same parameters, columns,
    steps and order."""
    other = queries.get(q.unflagged)
    if other is None:
        raise QueryError(f"{q.file}: unflagged names {q.unflagged!r}, which is not a question of the package")
    _check(other)
    for what, mine, its in (("parameters", q.parameters, other.parameters), ("columns", q.columns, other.columns),
                            ("derive steps", q.derive, other.derive), ("ORDER BY", q.order, other.order)):
        if mine != its:
            differ = next(((a, b) for a, b in zip(mine, its) if a != b), (mine[len(its):] or None, its[len(mine):] or None))
            raise QueryError(f"{q.file}: {other.file} (asked on data without flags) must have the same {what}: "
                             f"{q.name} has {differ[0]}, {other.name} has {differ[1]}")
    if other.unflagged:
        raise QueryError(f"{other.file}: a question asked on data without flags cannot name another")


@cache
def prepared(q: NamedQuery) -> str:
    """The text a question runs as: portlod's PREFIX declarations, then the file (built once)."""
    return prologue() + q.text


def _masked(text: str) -> str:
    """``text`` with its comment lines blanked (offsets kept)."""
    return "".join(" " * len(line) if line.lstrip().startswith("#") else line for line in text.splitlines(keepends=True))


@cache
def unordered(q: NamedQuery) -> str:
    """:func:`prepared` without the query's final ``ORDER BY``, for a question whose rows Python
    puts in their order anyway (sorting thousands of solutions is much of such a query's time).
    A query whose ORDER BY picks the rows (a LIMIT or OFFSET follows it) keeps it."""
    masked = _masked(q.text)
    match = _ORDER_BY.search(masked, masked.rfind("}") + 1)
    if match is None or _LIMIT_OR_OFFSET.search(match.group(0)):
        return prepared(q)
    return prologue() + q.text[:match.start()].rstrip() + "\n"


@cache
def internal(name: str) -> NamedQuery:
    q = load()[name]
    _check(q)
    return q
