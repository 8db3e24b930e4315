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

Order: a function of the content only, not of the order in which the store was filled (the
order it iterates in), so the same data always gives byte-identical files. N-Triples lines are
sorted as bytes (``LC_ALL=C sort -u``); N-Quads lists graphs by IRI (the default graph first) and
sorts each graph's lines the same way. Turtle and JSON-LD list subjects in that order too (so
``<…/mou/signatory/x>`` comes before ``<…/mou>``: ``/`` sorts before ``>``), each subject's
``rdf:type`` first, then predicates by IRI, objects as N-Triples bytes; TriG lists graphs as
N-Quads does, each like Turtle. JSON-LD writes ``type`` first in node and value objects (the
order of Streaming JSON-LD, which :func:`load` reads without buffering the document). Blank-node
labels are written as the store holds them (portlod's builder mints IRIs only).

Speed: the store writes each graph as N-Triples (Rust, on two threads, while Python already works
on the graphs written; ``_snapshot.py``); Python sorts and rewrites the lines with built-ins and
cached look-ups (``_turtle.py``, the compactor in ``jsonld.py``); no RDF term object is made per
triple.

Atomicity: every file goes to a temporary file in the target folder, flushed to disk, and all
are renamed over the old files only once every requested file is complete; on any failure the
old files stay, the temporary files are removed, and :class:`~portlod.ExportError` names the
file that was being written. (Each rename is atomic; the set of renames is not: should one fail
after another succeeded, the folder holds new and old files, and the error says which failed.)
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from . import _snapshot, jsonld
from ._snapshot import Snapshot, Source, distinct, unmark
from ._turtle import Turtle
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

def _check_format(fmt: str) -> str:
    if fmt not in _RDF_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    return fmt


# -- writers: each turns a snapshot into the chunks of a file ----------------------------------------

def _write_nt(snap: Snapshot) -> Iterator[bytes]:
    return distinct(snap.lines())


def _write_nq(snap: Snapshot) -> Iterator[bytes]:
    for graph, text in snap.graphs():
        if text:
            yield b"".join(_snapshot.lines(text if graph is None else text.replace(b" .\n", b" " + graph + b" .\n")))


def _write_ttl(snap: Snapshot) -> Iterator[bytes]:
    ttl = Turtle(PREFIXES)
    yield ttl.header + b"\n"
    yield unmark(ttl.blocks(snap.triples()))


def _write_trig(snap: Snapshot) -> Iterator[bytes]:
    ttl = Turtle(PREFIXES)
    yield ttl.header
    for graph, text in snap.graphs():
        if not text:
            continue
        blocks = ttl.blocks(_snapshot.triples(text), b"" if graph is None else b"    ")
        yield unmark(b"\n" + blocks if graph is None else b"\n" + ttl.name(graph) + b" {\n" + blocks + b"}\n")


def _write_jsonld(snap: Snapshot) -> Iterator[bytes]:
    return map(unmark, jsonld.compactor().document(snap.triples()))


_WRITERS: dict[str, Callable[[Snapshot], Iterable[bytes]]] = {
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
    with closing(Snapshot.of_store(dataset, inferred=inferred)) as snap:
        return b"".join(_WRITERS[fmt](snap))


def serialize_triples(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    """Some triples (e.g. a CONSTRUCT result, a resource's description) as ``ttl``, ``nt`` or
    ``jsonld``, written exactly as :func:`serialize` writes a data set."""
    if _check_format(fmt) not in UNION_FORMATS:
        raise ExportError(f"serialize_triples writes {', '.join(sorted(UNION_FORMATS))}, not {fmt!r}")
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return b"".join(_WRITERS[fmt](Snapshot.of_text(text)))


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
        with closing(Snapshot.of_store(dataset, inferred=inferred)) as snap:
            jobs: list[tuple[str, Callable[[], Iterable[bytes]]]] = [(fmt, partial(_WRITERS[fmt], snap))
                                                                     for fmt in wanted]
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


_BUFFER = 1 << 20  # bytes written per system call


def _write_temporary(final: Path, produce: Callable[[], Iterable[bytes]]) -> Path:
    """Write ``produce()``'s chunks to a temporary file next to ``final``, flushed to disk."""
    fd, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb", buffering=_BUFFER) as out:
            out.writelines(produce())  # chunks or single lines
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
    store = ox.Store()
    if fmt != "jsonld":
        store.load(data, format=rdf_format)
        return store
    data = jsonld.inline_context(data)
    try:  # portlod writes Streaming JSON-LD, which is read without buffering the document
        store.load(data, format=ox.RdfFormat.STREAMING_JSON_LD)
    except SyntaxError:  # other JSON-LD (e.g. "@id" before "@type"): the general parser
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
