"""Deterministic, atomic exports of a portlod data set, and reading them back.

========== ================================================================== ==================
format     content                                                            file
========== ================================================================== ==================
``ttl``    Turtle with ``vocab.PREFIXES``: the union of the fact graphs and   ``portlod.ttl``
           the source descriptions, one block per subject
``nt``     N-Triples: the same triples                                        ``portlod.nt``
``jsonld`` JSON-LD 1.1, compacted with portlod's context: the same triples,   ``portlod.jsonld``
           one node object per subject in ``@graph``; refers to the context   (+ ``context.jsonld``)
           by its URL and has a copy of it next to it
``trig``   TriG: every named graph (provenance), one block per graph          ``portlod.trig``
``nq``     N-Quads: every named graph, lines grouped by graph                 ``portlod.nq``
========== ================================================================== ==================

Order: the same store always gives byte-identical files. Everything is sorted by its N-Triples
form as bytes: the N-Triples file is in ``LC_ALL=C sort`` order; Turtle and JSON-LD list subjects
in the same order (so ``<…/mou/signatory/x>`` comes before ``<…/mou>``: ``/`` sorts before ``>``),
predicates by IRI with ``rdf:type`` first and JSON keys by name; N-Quads and TriG list graphs
by IRI (the default graph first) and sort the lines within each graph. Blank-node labels are
written as the store holds them (portlod's builder mints IRIs only).

Speed: the store writes each graph as N-Triples (Rust); Python de-duplicates and sorts those
lines with built-ins and rewrites them with cached look-ups; no RDF term object is made per
triple. ``jsonld.py`` holds the compactor.

Atomicity: every file goes to a temporary file in the target folder, flushed to disk, and all
are renamed over the old files only once every requested file is complete; on any failure the
old files stay, the temporary files are removed, and :class:`~portlod.ExportError` names the
file that was being written. (Each rename is atomic; the set of renames is not: should one fail
after another succeeded, the folder holds new and old files, and the error says which failed.)
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from . import jsonld
from .dataset import INFERRED_GRAPH, Dataset
from .errors import ExportError
from .vocab import PREFIXES

__all__ = ["CONTEXT_FILE", "FILENAMES", "FORMATS", "MEDIA_TYPES", "UNION_FORMATS", "export", "load", "serialize",
           "serialize_triples", "write_atomic"]

FORMATS: tuple[str, ...] = ("ttl", "nt", "jsonld", "trig", "nq")
#: Formats that carry the union of the fact graphs (no graph names).
UNION_FORMATS = frozenset({"ttl", "nt", "jsonld"})
FILENAMES: dict[str, str] = {fmt: f"portlod.{fmt}" for fmt in FORMATS}
#: The copy of the JSON-LD context written next to ``portlod.jsonld``.
CONTEXT_FILE = "context.jsonld"
MEDIA_TYPES: dict[str, str] = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "trig": "application/trig",
    "nq": "application/n-quads",
}
_RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}

Source = Dataset | ox.Store


def _check_format(fmt: str) -> str:
    if fmt not in _RDF_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    return fmt


# -- reading the store ---------------------------------------------------------------------------

def _graph_sort_key(graph: ox.NamedNode | ox.BlankNode) -> tuple[bool, str]:
    return (isinstance(graph, ox.BlankNode), graph.value)


class _Snapshot:
    """The store read once, as N-Triples text per graph (written by the store, in Rust); every
    format is made from these lines."""

    def __init__(self, source: Source, *, inferred: bool) -> None:
        store = source.store if isinstance(source, Dataset) else source
        if not isinstance(store, ox.Store):
            raise ExportError(f"cannot export a {type(source).__name__}; pass a portlod Dataset or a pyoxigraph Store")
        named = sorted((g for g in store.named_graphs() if inferred or g != INFERRED_GRAPH), key=_graph_sort_key)
        #: (graph token, or None for the default graph; its N-Triples text), graphs sorted
        self.graphs: list[tuple[bytes | None, bytes]] = [(None, _dump(store, ox.DefaultGraph()))]
        self.graphs += [(str(g).encode("utf-8"), _dump(store, g)) for g in named]
        self._union: list[bytes] | None = None
        self._per_graph: list[tuple[bytes | None, list[bytes]]] | None = None

    @classmethod
    def of_text(cls, text: bytes) -> _Snapshot:
        self = cls.__new__(cls)
        self.graphs = [(None, text)]
        self._union = None
        self._per_graph = None
        return self

    def per_graph(self) -> list[tuple[bytes | None, list[bytes]]]:
        """Each graph's N-Triples lines, sorted (bytes)."""
        if self._per_graph is None:
            self._per_graph = [(graph, _sorted_lines(text)) for graph, text in self.graphs]
        return self._per_graph

    def union(self) -> list[bytes]:
        """The distinct triples of all graphs as N-Triples lines in byte order (so the lines of
        a subject are contiguous, and so are those of a predicate within a subject)."""
        if self._union is None:
            self._union = _sorted_lines(b"".join(text for _, text in self.graphs))
        return self._union


def _dump(store: ox.Store, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bytes:
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""


def _sorted_lines(text: bytes) -> list[bytes]:
    """The distinct lines of N-Triples text, sorted (bytes), without newlines."""
    unique = set(text.split(b"\n"))
    unique.discard(b"")
    return sorted(unique)


# -- N-Triples and N-Quads -----------------------------------------------------------------------

def _write_nt(snap: _Snapshot) -> Iterator[bytes]:
    lines = snap.union()
    if lines:
        yield b"\n".join(lines)
        yield b"\n"


def _write_nq(snap: _Snapshot) -> Iterator[bytes]:
    for graph, lines in snap.per_graph():
        if not lines:
            continue
        if graph is not None:
            tail = b" " + graph + b" ."
            lines = [line[:-2] + tail for line in lines]
        yield b"\n".join(lines)
        yield b"\n"


# -- Turtle and TriG -----------------------------------------------------------------------------

# A conservative subset of Turtle's PN_LOCAL: what cannot be written like this stays <IRI>.
_LOCAL = re.compile(rb"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_BARE = {  # datatypes whose canonical lexical forms Turtle writes without quotes
    b"<" + (_XSD + "integer").encode() + b">": re.compile(rb'"[+-]?[0-9]+"'),
    b"<" + (_XSD + "decimal").encode() + b">": re.compile(rb'"[+-]?[0-9]*\.[0-9]+"'),
    b"<" + (_XSD + "boolean").encode() + b">": re.compile(rb'"(?:true|false)"'),
}


class _Turtle:
    """Writes N-Triples lines (contiguous per subject, sorted within) as Turtle blocks."""

    #: objects of one predicate go one per line when they would make a longer line
    WRAP = 100

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.header = b"".join(f"@prefix {name}: <{ns}> .\n".encode() for name, ns in prefixes.items())
        if not all(ns.endswith(("/", "#")) for ns in prefixes.values()):
            raise ExportError("Turtle prefixes must end with '/' or '#'")
        # A prefixed name's local part never holds '/' or '#', so the namespace of an IRI that
        # has one is exactly its "directory": everything up to the last '/' or '#'.
        self.prefix_of = {f"<{ns}".encode(): f"{name}:".encode() for name, ns in prefixes.items()}
        self.names: dict[bytes, bytes] = {}

    def name(self, text: bytes) -> bytes:
        """An IRI token (an object keeps its trailing ``" ."``) as a prefixed name where one
        fits, else as it is (also blank nodes)."""
        out = self.names.get(text)
        if out is None:
            out = self.names[text] = self._name(text[:-2] if text[-1] == 46 else text)
        return out

    def _name(self, token: bytes) -> bytes:
        cut = max(token.rfind(b"/"), token.rfind(b"#")) + 1
        prefix = self.prefix_of.get(token[:cut])
        if prefix is not None and _LOCAL.fullmatch(token, cut, len(token) - 1):
            return prefix + token[cut:-1]
        return token

    def object(self, o: bytes) -> bytes:
        if o[0] != 34:
            return self.name(o)
        end = o.rindex(b'"')
        if end + 1 == len(o) or o[end + 1] == 64:  # plain or language-tagged
            return o
        datatype = o[end + 3:]
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(o, 0, end + 1):
            return o[1:end]
        return o[:end + 1] + b"^^" + self.name(datatype)

    def blocks(self, lines: Iterable[bytes], indent: bytes = b"") -> Iterator[bytes]:
        """One ``subject predicate objects ;`` block per subject; predicates in line order but
        ``rdf:type`` first, objects in line order."""
        names = self.names
        name = self.name
        out: list[bytes] = []
        subject = b""
        preds: list[tuple[bytes, bytes, list[bytes]]] = []
        last = b""
        objects: list[bytes] = []
        for line in lines:
            s, p, o = line.split(b" ", 2)  # o ends with " ."
            if s != subject:
                if subject:
                    out.append(self._emit(subject, preds, indent))
                    if len(out) >= 2048:
                        yield b"".join(out)
                        out.clear()
                subject = s
                preds = []
                last = b""
            if o[0] == 34:  # a literal
                o = self.object(o[:-2]) if o[-3] == 62 else o[:-2]  # typed: shorten the datatype
            else:
                o = names.get(o) or name(o)
            if p != last:
                last = p
                objects = [o]
                preds.append((p, b"a" if p == _RDF_TYPE else names.get(p) or name(p), objects))
            else:
                objects.append(o)
        if subject:
            out.append(self._emit(subject, preds, indent))
        if out:
            yield b"".join(out)

    def _emit(self, subject: bytes, preds: list[tuple[bytes, bytes, list[bytes]]], indent: bytes) -> bytes:
        if len(preds) > 1:
            preds.sort(key=lambda p: p[0] != _RDF_TYPE)  # stable: the rest stay sorted
        sep = b" ;\n" + indent + b"    "
        wrap = b",\n" + indent + b"        "
        parts = []
        for _, name, objects in preds:
            text = b" " + b", ".join(objects)
            if len(objects) > 1 and len(text) > self.WRAP:
                text = b"\n" + indent + b"        " + wrap.join(objects)
            parts.append(name + text)
        return indent + self._name(subject) + b" " + sep.join(parts) + b" .\n\n"


def _write_ttl(snap: _Snapshot) -> Iterator[bytes]:
    ttl = _Turtle(PREFIXES)
    yield ttl.header + b"\n"
    yield from ttl.blocks(snap.union())


def _write_trig(snap: _Snapshot) -> Iterator[bytes]:
    ttl = _Turtle(PREFIXES)
    yield ttl.header
    for graph, lines in snap.per_graph():
        if graph is None:
            if lines:
                yield b"\n"
                yield from ttl.blocks(lines)
            continue
        yield b"\n" + ttl.name(graph) + b" {\n"
        yield from ttl.blocks(lines, b"    ")
        yield b"}\n"


def _write_jsonld(snap: _Snapshot) -> Iterator[bytes]:
    return jsonld.compactor().document(snap.union())


_WRITERS: dict[str, Callable[[_Snapshot], Iterable[bytes]]] = {
    "ttl": _write_ttl,
    "nt": _write_nt,
    "jsonld": _write_jsonld,
    "trig": _write_trig,
    "nq": _write_nq,
}


# -- public API ----------------------------------------------------------------------------------

def serialize(dataset: Source, fmt: str, *, inferred: bool = False) -> bytes:
    """The data set in one format, in memory (what :func:`export` writes to the file).

    ``ttl``, ``nt`` and ``jsonld`` carry the union of the fact graphs and the source
    descriptions, ``trig`` and ``nq`` every named graph; ``inferred=True`` adds the entailments.
    """
    _check_format(fmt)
    return b"".join(_WRITERS[fmt](_Snapshot(dataset, inferred=inferred)))


def serialize_triples(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    """Some triples (e.g. a CONSTRUCT result, a resource's description) as ``ttl``, ``nt`` or
    ``jsonld``, written exactly as :func:`serialize` writes a data set."""
    if _check_format(fmt) not in UNION_FORMATS:
        raise ExportError(f"serialize_triples writes {', '.join(sorted(UNION_FORMATS))}, not {fmt!r}")
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return b"".join(_WRITERS[fmt](_Snapshot.of_text(text)))


def export(dataset: Source, folder: str | os.PathLike[str], *, formats: Iterable[str] = FORMATS,
           inferred: bool = False) -> dict[str, Path]:
    """Write the data set into ``folder`` (created if missing) in each of ``formats``; return
    ``{format: path}``, plus ``"context"`` for the context copy when ``jsonld`` is written.

    Files are replaced only when every one of them has been written and flushed to disk; if
    anything fails, the old files are left as they were, no temporary file remains, and
    :class:`~portlod.ExportError` names the file that could not be written.
    """
    wanted = list(dict.fromkeys(_check_format(f) for f in formats))
    target = Path(folder)
    current = str(target)
    staged: list[tuple[str, Path, Path]] = []  # (key, temporary file, final path)
    try:
        target.mkdir(parents=True, exist_ok=True)
        snap = _Snapshot(dataset, inferred=inferred)
        jobs: list[tuple[str, Callable[[], Iterable[bytes]]]] = [(fmt, partial(_WRITERS[fmt], snap)) for fmt in wanted]
        if "jsonld" in wanted:
            jobs.append(("context", lambda: [jsonld.context_bytes()]))
        for key, produce in jobs:
            final = target / (CONTEXT_FILE if key == "context" else FILENAMES[key])
            current = str(final)
            staged.append((key, _write_temporary(final, produce), final))
        for _, temporary, final in staged:
            current = str(final)
            os.replace(temporary, final)
        _fsync_directory(target)
    except BaseException as error:
        for _, temporary, _final in staged:
            temporary.unlink(missing_ok=True)
        if isinstance(error, Exception):
            raise ExportError(f"could not write {current}: {error}") from error
        raise
    return {key: final for key, _, final in staged}


def _write_temporary(final: Path, produce: Callable[[], Iterable[bytes]]) -> Path:
    """Write ``produce()``'s chunks to a temporary file next to ``final``, flushed to disk."""
    fd, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in produce():
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _fsync_directory(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load(source: str | os.PathLike[str] | bytes, fmt: str) -> ox.Store:
    """Read an export (a path, or the content as bytes) into a new in-memory store.

    ``ttl``, ``nt`` and ``jsonld`` go to the default graph, ``trig`` and ``nq`` keep their named
    graphs. JSON-LD that refers to portlod's context by URL is read with the packaged copy of
    the context; nothing is fetched. Raises ``SyntaxError`` (with line and column) on bad input.
    """
    rdf_format = _RDF_FORMATS[_check_format(fmt)]
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if fmt == "jsonld":
        data = jsonld.inline_context(data)
    store = ox.Store()
    store.load(data, format=rdf_format)
    return store


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder, flushed, then
    renamed); on failure the old file is left as it was and :class:`~portlod.ExportError` names it."""
    final = Path(path)
    try:
        os.replace(_write_temporary(final, lambda: [data]), final)
    except OSError as error:
        raise ExportError(f"could not write {final}: {error}") from error
    return final
