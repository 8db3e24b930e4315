"""The built data set: a ``pyoxigraph.Store`` with one named graph per source passage, and the
single place where it is converted to and from rdflib (literals normalised on the way)."""

from __future__ import annotations

import gc
import itertools
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from . import records as r
from .build import METADATA_GRAPH, Builder, check_or_raise
from .errors import ExportError, Problem

__all__ = ["INFERRED_GRAPH", "Dataset", "build", "from_rdflib", "to_rdflib_term"]

#: The graph reason() writes entailments into; never mixed with asserted facts.
INFERRED_GRAPH = ox.NamedNode("https://w3id.org/portlod/id/graph/inferred")


@dataclass(frozen=True)
class Dataset:
    """A built portlod data set.

    ``store`` holds every fact in the named graph of the passage that states it, the source
    descriptions in ``METADATA_GRAPH`` and, after :func:`portlod.reason`, entailments in
    ``INFERRED_GRAPH``. ``warnings`` are the problems that did not stop the build.
    """

    store: ox.Store
    warnings: tuple[Problem, ...] = field(default=())
    sources: r.SourceSet | None = None

    def __len__(self) -> int:
        return len(self.store)

    def fact_graphs(self) -> list[ox.NamedNode]:
        """Every named graph except the metadata and inferred graphs, sorted."""
        return sorted((g for g in self.store.named_graphs()
                       if isinstance(g, ox.NamedNode) and g not in (METADATA_GRAPH, INFERRED_GRAPH)),
                      key=lambda g: g.value)

    def union(self, *, inferred: bool = False) -> list[ox.Triple]:
        """The distinct triples of all fact graphs plus the source descriptions (what Turtle,
        N-Triples and JSON-LD publish); with ``inferred=True`` the entailments too."""
        seen: set[ox.Triple] = set()
        for quad in self.store:
            if not inferred and quad.graph_name == INFERRED_GRAPH:
                continue
            seen.add(ox.Triple(quad.subject, quad.predicate, quad.object))
        return list(seen)

    def to_rdflib(self) -> rdflib.Dataset:
        """An rdflib copy with the same named graphs (the interchange type at the edges)."""
        ds = rdflib.Dataset()
        for quad in self.store:
            g = quad.graph_name
            ctx = ds.graph(rdflib.URIRef(g.value)) if isinstance(g, ox.NamedNode) else ds.default_graph
            ctx.add((to_rdflib_term(quad.subject), to_rdflib_term(quad.predicate), to_rdflib_term(quad.object)))
        return ds

    def to_rdflib_graph(self, *, inferred: bool = False) -> rdflib.Graph:
        """The union (see :meth:`union`) as one rdflib Graph."""
        g = rdflib.Graph()
        for t in self.union(inferred=inferred):
            g.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
        return g


def to_rdflib_term(term: object) -> rdflib.term.Node:
    """pyoxigraph term → rdflib term; ``xsd:string`` literals become plain rdflib literals so
    that both libraries compare equal (RDF 1.1: they are the same literal)."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(dt), normalize=False)
    raise TypeError(f"cannot convert {term!r} to rdflib")


def from_rdflib_term(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is None:
            return ox.Literal(str(term))
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    raise TypeError(f"cannot convert {term!r} to pyoxigraph")


def from_rdflib(data: rdflib.Graph) -> ox.Store:
    """An rdflib Graph or Dataset → a pyoxigraph Store (named graphs kept)."""
    store = ox.Store()
    quads: list[ox.Quad] = []
    if isinstance(data, rdflib.Dataset):
        for s, p, o, g in data.quads((None, None, None, None)):
            graph = ox.DefaultGraph() if g is None or g == DATASET_DEFAULT_GRAPH_ID \
                or isinstance(g, rdflib.BNode) else ox.NamedNode(str(g))
            quads.append(ox.Quad(from_rdflib_term(s), from_rdflib_term(p), from_rdflib_term(o), graph))  # type: ignore[arg-type]
    else:
        for s, p, o in data:
            quads.append(ox.Quad(from_rdflib_term(s), from_rdflib_term(p), from_rdflib_term(o)))  # type: ignore[arg-type]
    store.extend(quads)
    return store


def build(sources: r.SourceSet | str | os.PathLike[str], *, path: str | os.PathLike[str] | None = None) -> Dataset:
    """Build the data set from source files (a folder or file) or from records made in code.

    Raises :class:`~portlod.SourceError` listing every problem when the input is bad; nothing is
    built then. ``path`` keeps the store on disk instead of in memory, in a new folder (records
    made in code with an invalid IRI raise ``ValueError`` before it is made); a folder that is there
    already and not empty raises :class:`~portlod.ExportError` and is left as it is (a build into an
    existing store would keep the facts of sources removed since).

    >>> ds = build("data")   # doctest: +SKIP
    """
    from .sources import load_sources

    with collector_paused():
        checked = load_sources(sources) if isinstance(sources, (str, os.PathLike)) else check_or_raise(sources)
        if path is None:
            store = ox.Store()
            _load_nquads(store, Builder().nquads(checked))
        else:  # all the text first: an invalid IRI is found before the store folder is touched
            _check_store_folder(path)
            pieces = list(Builder().nquads(checked))
            store = ox.Store(path)
            _load_nquads(store, pieces, bulk=True)
    return Dataset(store, tuple(p for p in checked.warnings if isinstance(p, Problem)), checked)


def _check_store_folder(path: str | os.PathLike[str]) -> None:
    """ExportError unless ``path`` is free or an empty folder (a store built there before is kept)."""
    try:
        taken = os.path.lexists(path) and (not os.path.isdir(path) or bool(os.listdir(path)))
    except OSError as e:
        raise ExportError(f"{os.fspath(path)}: cannot make the store there: {e.strerror}") from None
    if taken:
        raise ExportError(f"{os.fspath(path)}: there is something there already; the build makes a new store: "
                          "remove it or choose another path (to use a store built before, open it with "
                          "pyoxigraph.Store(path))")


def _load_nquads(store: ox.Store, chunks: Iterable[str], *, bulk: bool = False) -> None:
    """Add N-Quads text, piece by piece, to ``store``. The store parses and indexes a piece in
    native code, without Python's lock, on a second thread while the next piece is being made;
    at most three pieces exist at a time. ``bulk`` uses the store's bulk loader (an on-disk store).
    After several pieces the C heap's free memory is handed back to the system (glibc keeps it
    otherwise: the text made and freed on the way is about the size of the store).

    The text must be valid (it is parsed leniently: IRIs are not checked again)."""
    load = store.bulk_load if bulk else store.load
    pieces = iter(chunks)
    first = next(pieces, None)
    if first is None:
        return
    second = next(pieces, None)
    if second is None:  # one piece: nothing to overlap, no second thread
        load(input=first, format=ox.RdfFormat.N_QUADS, lenient=True)
        return
    _load_overlapped(load, itertools.chain((first, second), pieces))
    del first, second  # before the trim: the text must be freed to be given back
    _trim_heap()


def _load_overlapped(load: Callable[..., None], pieces: Iterator[str]) -> None:
    failed: list[BaseException] = []

    def put(chunk: str) -> None:
        try:
            load(input=chunk, format=ox.RdfFormat.N_QUADS, lenient=True)
        except BaseException as exc:  # handed to the caller's thread below
            failed.append(exc)

    worker: threading.Thread | None = None
    try:
        for chunk in pieces:
            if worker is not None:
                worker.join()
                if failed:
                    raise failed[0]
            worker = threading.Thread(target=put, args=(chunk,), name="portlod-load")
            worker.start()
    finally:
        if worker is not None:
            worker.join()
    if failed:
        raise failed[0]


def _trim_heap() -> None:
    """glibc's ``malloc_trim(0)``; nothing where there is no glibc."""
    import ctypes  # here: only builds of more than one piece use it

    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector; restored (if it was on) even on error. Building and
    validating make millions of small objects and few cycles: collecting over them while they
    pile up costs time (a quarter of a pySHACL validation) and memory held after a build."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
