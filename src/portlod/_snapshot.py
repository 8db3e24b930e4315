"""The store read once for the exports: N-Triples text per graph, and the canonical order.

Every export format is made from N-Triples text that the store writes (in Rust, one
``Store.dump`` per graph, run on a few threads: the store releases the GIL while it writes);
Python only splits, sorts and rewrites it with built-ins: no RDF term object is made per triple.

* :func:`lines` (N-Triples, N-Quads): the lines as written (``s p o .\\n``), sorted as bytes
  (``LC_ALL=C sort``).
* :func:`triples` (Turtle, TriG, JSON-LD): each line as ``s p o`` without the final ``" ."``,
  *marked* (``rdf:type`` between spaces becomes :data:`TYPE`, ``<\\x00>``, which sorts before
  every IRI), then sorted as bytes: a subject's triples are contiguous, its types first, then
  the rest by predicate and object.

Either order is a function of the content only, not of the order the store was filled in (which
is the order it iterates in). Writers of marked triples write :data:`TYPE` back (``a`` in
Turtle, ``type`` in JSON-LD); the store never writes a NUL byte (N-Triples escapes control
characters), so the marker cannot clash with data, and :func:`unmark` restores any that a
literal received.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby, islice
from operator import itemgetter

import pyoxigraph as ox

from .dataset import INFERRED_GRAPH, Dataset
from .errors import ExportError

__all__ = ["RDF_TYPE", "TYPE", "Snapshot", "distinct", "lines", "triples", "unmark"]

RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
#: ``rdf:type`` in marked lines (sorts before any other term)
TYPE = b"<\x00>"
_END = b" .\n"
_TYPE_IN_TEXT = b" " + RDF_TYPE + b" "
_TYPE_MARKED = b" " + TYPE + b" "
#: graphs per Store.dump batch handed to a thread
_BATCH = 1024
_THREADS = max(1, min(2, os.cpu_count() or 1))

Source = Dataset | ox.Store
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


def unmark(text: bytes) -> bytes:
    """``text`` with every :data:`TYPE` written as :data:`RDF_TYPE` again."""
    return text.replace(TYPE, RDF_TYPE) if b"\x00" in text else text


def lines(text: bytes) -> list[bytes]:
    """The lines of N-Triples text written by the store (``s p o .\\n``), sorted."""
    out = text.splitlines(keepends=True)  # only "\n" ends a line: the store escapes "\r"
    out.sort()
    return out


def triples(text: bytes) -> list[bytes]:
    """The lines of N-Triples text written by the store as marked ``s p o``, sorted."""
    out = text.replace(_TYPE_IN_TEXT, _TYPE_MARKED).split(_END)  # " .\n" ends lines only
    out.pop()  # after the last line
    out.sort()
    return out


def distinct(sorted_lines: list[bytes]) -> Iterator[bytes]:
    """Sorted lines without repeats (``groupby`` compares neighbours, in C)."""
    return map(itemgetter(0), groupby(sorted_lines))


class Snapshot:
    """The store's graphs as N-Triples text, read once: the store writes batches of graphs on a
    few threads while the first consumer (a writer) works on the batches that are done; later
    consumers get the same batches again."""

    def __init__(self, batches: Generator[list[tuple[bytes | None, bytes]], None, None]) -> None:
        self._pending: Generator[list[tuple[bytes | None, bytes]], None, None] | None = batches
        self._batches: list[list[tuple[bytes | None, bytes]]] = []
        self._union: dict[str, list[bytes]] = {}

    @classmethod
    def of_store(cls, source: Source, *, inferred: bool) -> Snapshot:
        """Every graph of the store (the default graph first, then named graphs by IRI, blank
        nodes last), without the inferred graph unless ``inferred``."""
        store = source.store if isinstance(source, Dataset) else source
        if not isinstance(store, ox.Store):
            raise ExportError(f"cannot export a {type(source).__name__}; pass a portlod Dataset or a pyoxigraph Store")
        iris: list[tuple[str, GraphName]] = []
        blanks: list[tuple[str, GraphName]] = []
        for g in store.named_graphs():
            (blanks if isinstance(g, ox.BlankNode) else iris).append((g.value, g))
        iris.sort()  # graph names are distinct: only the strings are compared
        blanks.sort()
        graphs: list[tuple[bytes | None, GraphName]] = [(None, ox.DefaultGraph())]
        skip = None if inferred else INFERRED_GRAPH.value
        graphs += ((f"<{name}>".encode(), g) for name, g in iris if name != skip)
        graphs += ((f"_:{name}".encode(), g) for name, g in blanks)
        return cls(_dump(store, graphs))

    @classmethod
    def of_text(cls, text: bytes) -> Snapshot:
        """N-Triples text as written by pyoxigraph, as the default graph."""
        batch: list[tuple[bytes | None, bytes]] = [(None, text)]
        return cls(x for x in [batch])

    def close(self) -> None:
        """Stop reading the store (waits for the batches being written)."""
        if self._pending is not None:
            self._pending.close()
            self._pending = None

    def batches(self) -> Iterator[list[tuple[bytes | None, bytes]]]:
        """Batches of consecutive graphs: (graph token, or None for the default graph; its
        N-Triples text), graphs in order."""
        yield from self._batches
        while self._pending is not None:
            batch = next(self._pending, None)
            if batch is None:
                self._pending = None
                break
            self._batches.append(batch)
            yield batch

    def graphs(self) -> Iterator[tuple[bytes | None, bytes]]:
        """Every graph in order: (graph token or None, its N-Triples text)."""
        for batch in self.batches():
            yield from batch

    def lines(self) -> list[bytes]:
        """:func:`lines` of every graph, repeats included (see :func:`distinct`)."""
        return self._all(lines)

    def triples(self) -> list[bytes]:
        """:func:`triples` of every graph, repeats included."""
        return self._all(triples)

    def _all(self, split: Callable[[bytes], list[bytes]]) -> list[bytes]:
        out = self._union.get(split.__name__)
        if out is None:
            out = []
            for batch in self.batches():  # sorted batch by batch, as the store writes them
                out += split(b"".join(text for _, text in batch))
            out.sort()  # merges the sorted batches
            self._union[split.__name__] = out
        return out


def _dump(store: ox.Store, graphs: list[tuple[bytes | None, GraphName]],
          ) -> Generator[list[tuple[bytes | None, bytes]], None, None]:
    """Batches of graphs as N-Triples text, in the order given. A few threads write the next
    batches (the store does not hold the GIL while it writes) while the caller works on this one;
    closing the iterator waits only for the batches being written."""
    batches = [graphs[i:i + _BATCH] for i in range(0, len(graphs), _BATCH)]
    if len(batches) == 1 or _THREADS == 1:
        yield from (_dump_batch(store, batch) for batch in batches)
        return
    todo = iter(batches)
    with ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="portlod-dump") as pool:
        running = deque(pool.submit(_dump_batch, store, batch) for batch in islice(todo, _THREADS + 1))
        while running:
            done = running.popleft().result()
            batch = next(todo, None)
            if batch is not None:
                running.append(pool.submit(_dump_batch, store, batch))
            yield done


def _dump_batch(store: ox.Store, graphs: list[tuple[bytes | None, GraphName]]) -> list[tuple[bytes | None, bytes]]:
    nt = ox.RdfFormat.N_TRIPLES
    return [(token, store.dump(format=nt, from_graph=g) or b"") for token, g in graphs]
