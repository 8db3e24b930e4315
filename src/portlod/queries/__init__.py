"""Named questions about the data, and any SPARQL query, asked of a built data set or of a
SPARQL endpoint.

Every question is a ``.rq`` file in this folder with a grlc-style ``#+`` YAML header (name,
one-line summary, parameters with types, columns, an example). Values are bound as parameters,
never written into the query text; each query is read and checked once.

>>> from portlod import queries
>>> [q.name for q in queries.questions()][:3]
['according-to', 'agreements', 'conflicts']
>>> ds = portlod.build("data")                                           # doctest: +SKIP
>>> rows = queries.ask(ds, "agreements", org="port-of-los-angeles", year="2023")  # doctest: +SKIP
>>> print(queries.format_rows(rows, "text"))                             # doctest: +SKIP
"""

from __future__ import annotations

from ..errors import QueryError
from ..records import FuzzyDate
from ._backend import backend_for
from ._format import FORMATS, format_rows, render_questions_doc
from ._registry import Column, NamedQuery, Parameter, get, load
from ._run import Rows, ask_backend, query_backend
from ._values import Citation, Resource

__all__ = [
    "FORMATS",
    "Citation",
    "Column",
    "FuzzyDate",
    "NamedQuery",
    "Parameter",
    "QueryError",
    "Resource",
    "Rows",
    "ask",
    "format_rows",
    "query",
    "question",
    "questions",
    "render_questions_doc",
]


def questions() -> list[NamedQuery]:
    """Every named question, sorted by name."""
    return [question(name) for name in sorted(load()) if not name.startswith("_")]


def question(name: str) -> NamedQuery:
    """The named question ``name``; :class:`~portlod.QueryError` listing the questions if there is
    none."""
    return get(name)


def ask(data: object, name: str, /, *, timeout: float = 60.0, **params: object) -> Rows:
    """Ask the named question ``name`` of ``data`` and return its rows.

    ``data`` is a :class:`portlod.Dataset`, a ``pyoxigraph.Store``, an ``rdflib.Graph`` or
    ``rdflib.Dataset``, or the http(s) URL of a SPARQL endpoint. ``params`` are the question's
    parameters (see :func:`questions`); write ``from_`` for ``from``. Each row is a frozen
    dataclass whose fields are the question's columns: IRIs as :class:`Resource` (with label),
    dates as :class:`FuzzyDate` (with precision and the phrase as printed), passages as
    :class:`Citation`. Raises :class:`~portlod.QueryError` for an unknown question or
    parameter, a missing required parameter or a bad value.
    """
    return ask_backend(backend_for(data, timeout=timeout), get(name), params)


def query(data: object, sparql: str, /, *, timeout: float = 60.0) -> Rows:
    """Run any SPARQL query (with portlod's prefixes declared) and return its rows.

    For a local store the default graph is the union of all graphs. SELECT gives one field per
    variable (``?x_label`` and ``?x_as_printed`` become the label and phrase of ``?x``), ASK a
    row with ``answer``, CONSTRUCT and DESCRIBE rows of ``subject``, ``predicate``, ``object``.
    """
    return query_backend(backend_for(data, timeout=timeout), sparql)
