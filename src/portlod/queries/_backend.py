"""Where questions are asked: a local pyoxigraph store (from a portlod Dataset, a Store or an
rdflib graph) or a remote SPARQL endpoint over the SPARQL 1.1 Protocol.

Bound values reach every backend the same way: as a ``VALUES`` block placed first in the query's
top-level ``WHERE`` group, each term written by pyoxigraph's own (escaping) serializer, never
pasted in by hand. (A ``VALUES`` block also tells Oxigraph's planner that the parameters are
bound, so that it starts from them; pyoxigraph's ``substitutions`` do not.) A table of values
(several rows: the fact graphs to cite, the spellings of a name) goes in as a second block.

A query whose answer is the union of its answers for the rows of its table (the passages of
thousands of fact graphs, a theme and its narrower themes) may be asked in parts
(:meth:`LocalBackend.select_union`): of at most :data:`MAX_TABLE_ROWS` rows each, and on the
local store, for a table of many rows, one part per core asked side by side (Oxigraph evaluates
a query without holding Python's lock). :meth:`LocalBackend.start_union` asks the parts on other
threads while the caller goes on: iterating solutions holds Python's lock, writing them out as
SPARQL TSV does not, so the parts are written out there and read back when the caller wants them.
"""

from __future__ import annotations

import math
import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Union

import pyoxigraph as ox
import rdflib

from ..errors import QueryError

__all__ = ["MAX_TABLE_ROWS", "Backend", "LocalBackend", "RemoteBackend", "Solution", "Started", "Table", "Term",
           "TsvTerms", "backend_for", "bound", "parts", "solutions", "tsv_cells", "with_values"]

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal]
Solution = dict[str, Term]
#: At most this many rows of a table go in one query: Oxigraph parses a VALUES row in about 6 µs
#: (as long as looking its IRI up), and an endpoint may refuse a query of megabytes.
MAX_TABLE_ROWS = 2000
#: Parts of a table asked side by side on the local store: at most one per core, and this many.
MAX_WORKERS = 4
#: ... and of at least this many rows each: handing a part to a thread and parsing the query
#: once more costs about as much as looking up a few hundred rows (a small answer is quicker
#: asked at once).
MIN_PART_ROWS = 256
#: Where the triples of an rdflib Graph without named graphs are put, so that GRAPH patterns see them.
UNNAMED_GRAPH = ox.NamedNode("urn:x-portlod:graph:unnamed")


def _syntax(e: SyntaxError) -> QueryError:
    return QueryError(f"the SPARQL query is not valid: {e}")


@dataclass(frozen=True)
class LocalBackend:
    store: ox.Store

    def run(self, text: str, *, union: bool = False) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        try:
            result = self.store.query(text, use_default_graph_as_union=union)
        except SyntaxError as e:
            raise _syntax(e) from None
        except (RuntimeError, OSError) as e:
            raise QueryError(f"the query failed: {e}") from None
        if isinstance(result, ox.QueryTriples):
            return list(result)
        return result

    def select(self, text: str, bindings: dict[str, Term], *, table: Table | None = None) -> tuple[list[str], list[Solution]]:
        """A SELECT query with ``bindings`` (and ``table``) as VALUES blocks (see :func:`bound`)."""
        return solutions(self.run(bound(text, bindings, table)))

    def select_union(self, text: str, bindings: dict[str, Term], table: Table, *,
                     least: int = MIN_PART_ROWS) -> tuple[list[str], list[Solution]]:
        """:meth:`select` for a query whose answer is the union of its answers for the parts of
        ``table``, in no particular order: the parts (see :func:`parts`: one per core, of at least
        ``least`` rows) are asked side by side by the calling thread and one thread more per
        core, which end with the call. The query must not sort, limit or count across rows of
        the table, and must project the table's variables (so that DISTINCT holds across the
        parts)."""
        workers = _workers()
        pieces = parts(table, workers, least=least)
        if len(pieces) == 1:
            return self.select(text, bindings, table=table)
        answers: list[list[Solution]] = [[] for _ in pieces]
        errors: list[BaseException | None] = [None] * len(pieces)
        names: list[str] = []

        def ask(first: int) -> None:  # the parts first, first + workers, ...
            nonlocal names
            for i in range(first, len(pieces), workers):
                try:
                    found, answers[i] = self.select(text, bindings, table=pieces[i])
                    if i == 0:
                        names = found
                except BaseException as e:  # noqa: BLE001 (handed to the calling thread below)
                    errors[i] = e
                    return

        helpers = _started([threading.Thread(target=ask, args=(k,), name="portlod-ask", daemon=True)
                            for k in range(1, min(workers, len(pieces)))])
        ask(0)
        for helper in helpers:  # no part is left running when the call returns, even on error
            helper.join()
        for error in errors:
            if error is not None:
                raise error
        return names, [row for rows in answers for row in rows]

    def start_union(self, text: str, bindings: dict[str, Term], table: Table, *,
                    least: int = MIN_PART_ROWS) -> Started:
        """:meth:`select_union`, asked on other threads while the caller goes on: each part is
        evaluated and written out as TSV by Oxigraph, which holds no Python lock meanwhile, and
        read back by :meth:`Started.result` (or by the caller, from :meth:`Started.written`). A
        table of one part is asked at once, here.

        An answer wanted at once is quicker from :meth:`select_union` (measured on a theme at 1M
        triples: ≈ 20–50 ms less), whose calling thread asks a part itself: reading TSV back
        costs more than the lock it saves when there is nothing to do meanwhile."""
        workers = _workers()
        pieces = parts(table, workers, least=least)
        if len(pieces) == 1:
            return Started.done(*self.select(text, bindings, table=table))
        texts = [bound(text, bindings, piece) for piece in pieces]
        written: list[bytes] = [b""] * len(texts)
        errors: list[BaseException | None] = [None] * len(texts)

        def ask(first: int) -> None:  # the parts first, first + workers, ...
            for i in range(first, len(texts), workers):
                try:
                    written[i] = self._written(texts[i])
                except BaseException as e:  # noqa: BLE001 (handed to the caller by result())
                    errors[i] = e
                    return

        threads = _started([threading.Thread(target=ask, args=(k,), name="portlod-ask", daemon=True)
                            for k in range(min(workers, len(texts)))])
        return Started(threads, written, errors)

    def _written(self, text: str) -> bytes:
        """The solutions of a SELECT query, as SPARQL TSV (evaluated and written without Python's lock)."""
        result = self.run(text)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("a named question must be a SELECT query")
        try:
            return result.serialize(format=ox.QueryResultsFormat.TSV) or b""
        except (RuntimeError, OSError) as e:
            raise QueryError(f"the query failed: {e}") from None

    def mentions(self, values: Sequence[Term], at_most: int) -> int:
        """How many statements have one of ``values`` as object, counted up to ``at_most``: how
        much a question about these values (a theme and its narrower themes) is likely to find."""
        found = 0
        for value in values:
            for _ in self.store.quads_for_pattern(None, None, value):
                found += 1
                if found >= at_most:
                    return found
        return found


class Started:
    """An answer being asked on other threads (:meth:`LocalBackend.start_union`), or one already
    there. :meth:`result` waits for it and gives what :meth:`LocalBackend.select` would."""

    def __init__(self, threads: Sequence[threading.Thread], written: list[bytes],
                 errors: list[BaseException | None]) -> None:
        self._threads, self._written, self._errors = threads, written, errors
        self._answer: tuple[list[str], list[Solution]] | None = None

    @classmethod
    def done(cls, names: list[str], rows: list[Solution]) -> Started:
        started = cls((), [], [])
        started._answer = (names, rows)
        return started

    def wait(self) -> None:
        """Return when no thread is asking any more (its answer is kept for :meth:`result`)."""
        for thread in self._threads:
            thread.join()

    def _finished(self) -> None:
        self.wait()
        for error in self._errors:
            if error is not None:
                raise error

    def written(self) -> list[bytes] | None:
        """The parts as Oxigraph wrote them (SPARQL TSV: see :func:`tsv_cells`), for a caller that
        reads them without making a term per cell; ``None`` for an answer asked at once or already
        read by :meth:`result`. Waits, and raises a part's error, as :meth:`result` does."""
        if self._answer is not None:
            return None
        self._finished()
        return self._written

    def result(self) -> tuple[list[str], list[Solution]]:
        """The variables and solutions, in no particular order; a part's error is raised here."""
        if self._answer is None:
            self._finished()
            names: list[str] = []
            rows: list[Solution] = []
            read = TsvTerms()  # (a cell met in several solutions, or parts, is read once)
            for data in self._written:
                names, cells = tsv_cells(data)
                for row in cells:
                    solution: Solution = {}
                    for name, cell in zip(names, row):
                        if cell:
                            solution[name] = read(cell)  # type: ignore[assignment]
                    rows.append(solution)
            self._answer = (names, rows)
            self._written = []
        return self._answer


def tsv_cells(data: bytes) -> tuple[list[str], list[list[str]]]:
    """A SPARQL TSV answer read as text: its variables, and per solution its cells as written
    (``""`` where unbound), to be made terms by :class:`TsvTerms` (cells repeat: a source and its
    title in every row of its passages)."""
    try:
        lines = data.decode("utf-8").split("\n")
    except UnicodeDecodeError as e:
        raise QueryError(f"an answer written by the store could not be read back: {e}") from None
    if lines[-1] == "":
        lines.pop()
    if not lines:
        raise QueryError("an answer written by the store could not be read back: it has no header")
    names = [name[1:] for name in lines[0].split("\t")] if lines[0] else []
    rows = [line.split("\t") for line in lines[1:]]
    for number, row in enumerate(rows, 2):
        if len(row) != len(names) and (names or row != [""]):
            raise QueryError(f"an answer written by the store could not be read back: line {number} has "
                             f"{len(row)} cells for {len(names)} variables")
    return names, rows if names else [[] for _ in rows]


_INTEGER = re.compile(r"[+-]?[0-9]+")
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _plain_iri(cell: str) -> bool:
    """Whether a TSV cell is an IRI as Oxigraph writes it (``<...>``: not escaped, not a triple)."""
    return cell[:1] == "<" and cell[1:2] != "<" and cell[-1:] == ">" and "\\" not in cell


class TsvTerms:
    """Cells of SPARQL TSV (:func:`tsv_cells`) made terms, each distinct cell once. The forms
    Oxigraph writes most (an IRI, a literal without escapes, with a language or a datatype, an
    integer) are read here; anything else (escapes, other numbers, blank nodes, triple terms, a
    text direction) by Oxigraph's own TSV parser."""

    def __init__(self) -> None:
        self._known: dict[str, Term | None] = {"": None}

    def __call__(self, cell: str) -> Term | None:
        term = self._known.get(cell)
        if term is None and cell not in self._known:
            term = self._known[cell] = self._read(cell)
        return term

    def iri(self, cell: str) -> str | None:
        """The IRI of a cell that holds one, else ``None``; an IRI as Oxigraph writes it is taken
        as written (not checked: the store holds valid IRIs only)."""
        if _plain_iri(cell):
            return cell[1:-1]
        term = self(cell)
        return term.value if isinstance(term, ox.NamedNode) else None

    def text(self, cell: str) -> str | None:
        """The text of a cell that holds a literal, else ``None`` (a literal as Oxigraph writes it,
        without escapes, is cut out of the cell unchecked)."""
        if cell[:1] == '"' and "\\" not in cell:
            end = cell.rfind('"')
            if end > 0:
                return cell[1:end]
        term = self(cell)
        return term.value if isinstance(term, ox.Literal) else None

    @staticmethod
    def _read(cell: str) -> Term:
        try:
            if _plain_iri(cell):
                return ox.NamedNode(cell[1:-1])
            if cell[:1] == '"' and "\\" not in cell:  # a literal without escapes ('"' would be one)
                end = cell.rfind('"')
                text, rest = cell[1:end], cell[end + 1:]
                if end > 0 and not rest:
                    return ox.Literal(text)
                if end > 0 and rest[:1] == "@" and "--" not in rest:  # (a text direction: the parser)
                    return ox.Literal(text, language=rest[1:])
                if end > 0 and rest[:3] == "^^<" and _plain_iri(rest[2:]):
                    return ox.Literal(text, datatype=ox.NamedNode(rest[3:-1]))
            elif _INTEGER.fullmatch(cell):  # as Oxigraph writes an xsd:integer
                return ox.Literal(cell, datatype=_XSD_INTEGER)
            parsed = ox.parse_query_results(b"?x\n" + cell.encode("utf-8") + b"\n", format=ox.QueryResultsFormat.TSV)
            found = [s[0] for s in parsed] if isinstance(parsed, ox.QuerySolutions) else []
        except (SyntaxError, ValueError) as e:
            raise QueryError(f"an answer written by the store could not be read back: {cell!r:.200}: {e}") from None
        term = found[0] if len(found) == 1 else None
        if term is None:
            raise QueryError(f"an answer written by the store could not be read back: {cell!r:.200} is not one term")
        return ox.Literal(str(term)) if isinstance(term, ox.Triple) else term  # RDF-star: shown as text


def _started(threads: list[threading.Thread]) -> list[threading.Thread]:
    """``threads``, started; if one cannot be (the system refuses a thread), the ones started are
    waited for, and the error says so."""
    for i, thread in enumerate(threads):
        try:
            thread.start()
        except RuntimeError as e:
            for earlier in threads[:i]:
                earlier.join()
            raise QueryError(f"cannot start a thread to ask the query in parts: {e}") from None
    return threads


def _workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def parts(table: Table, count: int = 1, *, least: int = 1) -> list[Table]:
    """``table`` cut into ``count`` parts of at least ``least`` rows (fewer parts when there are
    not enough rows), more if a part would have more than :data:`MAX_TABLE_ROWS` rows; rows are
    dealt out in turn, so the parts are of equal size."""
    rows = table.rows
    n = min(max(min(count, len(rows) // max(least, 1)), math.ceil(len(rows) / MAX_TABLE_ROWS)), len(rows))
    if n <= 1:
        return [table]
    return [Table(table.names, rows[i::n]) for i in range(n)]


def solutions(result: object) -> tuple[list[str], list[Solution]]:
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("a named question must be a SELECT query")
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row: Solution = {}
        for name, value in zip(names, solution):
            if value is None:
                continue
            row[name] = ox.Literal(str(value)) if isinstance(value, ox.Triple) else value  # RDF-star: shown as text
        rows.append(row)
    return names, rows


_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WHERE = re.compile(r"where\b", re.IGNORECASE)


def _top_level_where(text: str) -> int:
    """The offset of the ``{`` that opens the outermost WHERE group (skipping comments, strings
    and IRIs), or -1."""
    depth, i, seen_where = 0, 0, False
    n = len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<":
            m = _IRI.match(text, i)
            if m:
                i = m.end()
                continue
        if c == "{":
            if depth == 0 and seen_where:
                return i
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c in "wW" and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_?$:")) \
                and _WHERE.match(text, i):
            seen_where = True
        i += 1
    return -1


@lru_cache(maxsize=256)
def _where_at(text: str) -> int:
    at = _top_level_where(text)
    if at < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE { ... } group")
    return at


def _block(names: Sequence[str], rows: Sequence[Sequence[Term | None]]) -> str:
    head = " ".join(f"?{k}" for k in names)
    width = len(names)
    if any(len(row) != width for row in rows):
        raise QueryError(f"a table of values for {head} has a row of another width")
    cells = ["UNDEF" if v is None else str(v) for row in rows for v in row]
    if width != 1:  # (one string per row: a table of thousands of rows is written in a few ms)
        cells = [" ".join(cells[i * width:(i + 1) * width]) for i in range(len(rows))]
    body = "(" + ") (".join(cells) + ")" if rows else ""
    return f"\n  VALUES ({head}) {{ {body} }}"


def with_values(text: str, bindings: dict[str, Term]) -> str:
    """``text`` with a one-row ``VALUES`` block for ``bindings`` first in its top-level WHERE
    group; the terms are serialized by pyoxigraph (IRIs checked, literals escaped)."""
    return bound(text, bindings)


@dataclass(frozen=True)
class Table:
    """Rows of values for some variables of a query, whose answer is then restricted to them."""

    names: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]


def bound(text: str, bindings: dict[str, Term], table: Table | None = None) -> str:
    """``text`` with ``bindings`` as a one-row VALUES block and ``table`` as a second block (one
    row per row of the table), first in its top-level WHERE group."""
    if not bindings and table is None:
        return text
    at = _where_at(text) + 1
    blocks = _block(tuple(bindings), [tuple(bindings.values())]) if bindings else ""
    if table is not None:
        blocks += _block(table.names, table.rows)
    return text[:at] + blocks + text[at:]


@dataclass(frozen=True)
class RemoteBackend:
    """A SPARQL 1.1 Protocol endpoint: the query is POSTed as a form, results read as JSON."""

    url: str
    timeout: float = 60.0

    def _post(self, text: str) -> tuple[str, bytes]:
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8",
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http(s) only)
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip()[:500]
            e.close()
            raise QueryError(f"the endpoint {self.url} answered {e.code} {e.reason}: {detail}") from None
        except (urllib.error.URLError, OSError) as e:
            raise QueryError(f"cannot reach the SPARQL endpoint {self.url}: {e}") from None

    def run(self, text: str) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        content_type, data = self._post(text)
        try:
            if content_type in ("application/n-triples", "text/turtle", "text/plain"):
                fmt = ox.RdfFormat.TURTLE if content_type == "text/turtle" else ox.RdfFormat.N_TRIPLES
                return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=fmt)]
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as e:
            raise QueryError(f"the endpoint {self.url} sent an answer that cannot be read ({content_type}): {e}") from None

    def select(self, text: str, bindings: dict[str, Term], *, table: Table | None = None) -> tuple[list[str], list[Solution]]:
        """A SELECT query with ``bindings`` (and ``table``) sent as VALUES blocks (see :func:`bound`)."""
        return solutions(self.run(bound(text, bindings, table)))

    def select_union(self, text: str, bindings: dict[str, Term], table: Table, *,
                     least: int = MIN_PART_ROWS) -> tuple[list[str], list[Solution]]:
        """:meth:`LocalBackend.select_union`, the parts (of at most :data:`MAX_TABLE_ROWS` rows)
        sent one after another: an endpoint is somebody else's server (``least`` is for the local
        store's parts)."""
        names: list[str] = []
        rows: list[Solution] = []
        for piece in parts(table):
            names, found = self.select(text, bindings, table=piece)
            rows.extend(found)
        return names, rows

    def start_union(self, text: str, bindings: dict[str, Term], table: Table, *,
                    least: int = MIN_PART_ROWS) -> Started:
        """:meth:`select_union`, asked now (an endpoint works on its own machine)."""
        return Started.done(*self.select_union(text, bindings, table, least=least))


def _store_from_rdflib(data: rdflib.Graph) -> ox.Store:
    from ..dataset import from_rdflib

    store = from_rdflib(data)
    if not isinstance(data, rdflib.Dataset) or not any(True for _ in store.named_graphs()):
        # a graph without named graphs: put its triples in one named graph, so that the
        # GRAPH patterns of the questions see them (they then have no sources)
        moved = ox.Store()
        moved.extend(ox.Quad(q.subject, q.predicate, q.object, UNNAMED_GRAPH) for q in store)
        return moved
    return store


Backend = Union[LocalBackend, RemoteBackend]


def backend_for(data: object, *, timeout: float = 60.0) -> LocalBackend | RemoteBackend:
    """The backend for a portlod Dataset, a pyoxigraph Store, an rdflib Graph or Dataset, or the
    URL of a SPARQL endpoint."""
    from ..dataset import Dataset

    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and timeout > 0):
        raise QueryError(f"timeout must be a positive number of seconds, not {timeout!r}")

    if isinstance(data, Dataset):
        return LocalBackend(data.store)
    if isinstance(data, ox.Store):
        # a store of default-graph quads only is asked over a copy in a named graph (its first
        # quad tells whether it has any: len() would count every quad)
        if (not any(True for _ in data.named_graphs())
                and next(iter(data.quads_for_pattern(None, None, None)), None) is not None):
            moved = ox.Store()
            moved.extend(ox.Quad(q.subject, q.predicate, q.object, UNNAMED_GRAPH) for q in data)
            return LocalBackend(moved)
        return LocalBackend(data)
    if isinstance(data, rdflib.Graph):
        return LocalBackend(_store_from_rdflib(data))
    if isinstance(data, str) and re.match(r"^https?://", data):
        return RemoteBackend(data, timeout)
    raise QueryError(f"cannot ask questions of {type(data).__name__} {data!r:.80}: pass a portlod Dataset, a "
                     "pyoxigraph Store, an rdflib Graph or Dataset, or the http(s) URL of a SPARQL endpoint")
