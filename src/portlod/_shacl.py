"""The native SHACL engine: the shapes of :mod:`portlod._shacl_model` evaluated over a pyoxigraph
store, set at a time for a full validation and node by node for a few resources.

The data graph is what pySHACL validates (:mod:`portlod._shacl_pyshacl`): the union of every graph
of the store but the inferred one, plus a few thousand ``extra`` triples (the ontology, the SKOS
schemes and the shapes' ``rdfs:subClassOf`` statements) kept in Python. Class membership follows
``rdf:type``/``rdfs:subClassOf*`` over both.

:func:`validate_all` runs a handful of SPARQL queries per shape over the store's union graph, each
returning only what may fail: the focus nodes missing values (``sh:minCount``), those with too
many (``sh:maxCount``), and for a value constraint the distinct values of its path that its
SPARQL filter keeps; Python judges those values (:meth:`~portlod._shacl_model.Check.ok`, cached),
then one more query finds the focus nodes holding the bad ones. Focus nodes are the instances of
the target classes and their subclasses (a ``VALUES`` list). The subjects of the extra triples
are validated node by node instead, since their triples are not all in the store.

:func:`validate_nodes` validates given nodes one at a time from their own triples (the per-node
lookups of :class:`Graph`): its cost follows the number of nodes, not the size of the store.
Both give the same results for the same node (tests/test_shacl_engines.py checks them against
each other and against pySHACL).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet

import pyoxigraph as ox
import rdflib

from ._shacl_checks import Check, Data, Term
from ._shacl_model import Shape, Shapes
from .dataset import to_rdflib_term

__all__ = ["Graph", "Index", "Raw", "index", "neighbourhood", "validate_all", "validate_nodes"]

#: One result: the shape, the constraint component IRI, the focus node, the value (None for counts).
Raw = tuple[Shape, str, Term, Term | None]

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_MIN_COUNT = "http://www.w3.org/ns/shacl#MinCountConstraintComponent"
_MAX_COUNT = "http://www.w3.org/ns/shacl#MaxCountConstraintComponent"
_CHUNK = 2000   # values per VALUES clause

Index = dict[Term, dict[ox.NamedNode, set[Term]]]
Class = ox.NamedNode | ox.BlankNode
_NONE: frozenset[Term] = frozenset()


class Graph(Data):
    """The data graph: the quads of ``store`` in every graph but ``skip`` (the inferred graph), or
    else the given ``triples`` (kept in Python, as they are: a store would write numbers in their
    canonical form); plus ``extra`` triples. Set-at-a-time queries need a store without ``skip``
    quads (see :func:`validate_all`); per-node lookups leave them out themselves."""

    def __init__(self, store: ox.Store | None, extra: Index, *, skip: ox.NamedNode | None = None,
                 triples: Iterable[ox.Triple] = ()) -> None:
        self.store = store
        self.skip = skip
        self.extra = extra               # read only: shared between validations
        self._own = index(triples)      # without a store: all the data, by subject
        self._classes: dict[Term, frozenset[Class]] = {}
        self._ok: dict[tuple[tuple[object, ...], Term], bool] = {}
        self._literals: dict[ox.Literal, rdflib.Literal] = {}
        self._distinct: dict[tuple[str, str], list[Term]] = {}
        self._subclasses: dict[Class, frozenset[Class]] = {}
        self._supers = self._superclasses()

    def subjects(self) -> set[Term]:
        """Every subject of the data (without a store) and of the extra triples."""
        assert self.store is None
        return set(self._own) | set(self.extra)

    # -- per-node lookups ---------------------------------------------------------------------

    def own(self, node: Term) -> dict[ox.NamedNode, set[Term]]:
        """All the data triples of ``node`` (not the extra ones), by predicate; kept."""
        found = self._own.get(node)
        if found is None:
            found = {}
            if self.store is not None and not isinstance(node, ox.Literal):
                quads = self.store.quads_for_pattern(node, None, None, None)
                for q in quads if self.skip is None else (q for q in quads if q.graph_name != self.skip):
                    found.setdefault(q.predicate, set()).add(q.object)  # type: ignore[arg-type]
            self._own[node] = found
        return found

    def describe(self, node: ox.BlankNode) -> Iterator[tuple[ox.NamedNode, Term]]:
        """The predicates and objects of ``node``, data and extra."""
        for p, objects in self.own(node).items():
            for o in objects:
                yield p, o
        for p, objects in self.extra.get(node, {}).items():
            for o in objects:
                yield p, o

    def values(self, node: Term, path: ox.NamedNode) -> AbstractSet[Term]:
        """The distinct objects of ``node`` on ``path`` (not to be changed)."""
        if isinstance(node, ox.Literal):
            return _NONE
        own = self._own.get(node)
        found: AbstractSet[Term]
        if own is not None:
            found = own.get(path, _NONE)
        elif self.store is None:
            found = _NONE
        else:
            found = {q.object for q in self.store.quads_for_pattern(node, path, None, None)  # type: ignore[misc]
                     if q.graph_name != self.skip}
        extra = self.extra.get(node)
        if extra is not None and path in extra:
            found = found | extra[path]
        return found

    def classes(self, node: Term) -> frozenset[Class]:
        found = self._classes.get(node)
        if found is None:
            supers: set[Class] = set()
            for t in self.values(node, _TYPE):
                if not isinstance(t, ox.Literal):
                    supers.update(self._supers.get(t, (t,)))
            found = self._classes[node] = frozenset(supers)
        return found

    def subclasses(self, cls: Class) -> frozenset[Class]:
        found = self._subclasses.get(cls)
        if found is None:
            found = self._subclasses[cls] = frozenset({cls} | {c for c, s in self._supers.items() if cls in s})
        return found

    def literal(self, value: ox.Literal) -> rdflib.Literal:
        found = self._literals.get(value)
        if found is None:
            converted = to_rdflib_term(value)
            assert isinstance(converted, rdflib.Literal)
            found = self._literals[value] = converted
        return found

    def ok(self, check: Check, value: Term) -> bool:
        key = (check.key, value)
        found = self._ok.get(key)
        if found is None:
            found = self._ok[key] = check.ok(value, self)
        return found

    def _superclasses(self) -> dict[Class, frozenset[Class]]:
        """Class → itself and all its superclasses (rdfs:subClassOf*, cycles allowed)."""
        direct: dict[Class, set[Class]] = {}
        pairs: list[tuple[Term, Term]] = []
        if self.store is not None:
            quads = self.store.quads_for_pattern(None, _SUBCLASS, None, None)
            pairs += [(q.subject, q.object) for q in quads if q.graph_name != self.skip]  # type: ignore[misc]
        for index in (self._own, self.extra):
            pairs += [(s, o) for s, by_p in index.items() for o in by_p.get(_SUBCLASS, ())]
        for s, o in pairs:
            if not isinstance(s, ox.Literal) and not isinstance(o, ox.Literal):
                direct.setdefault(s, set()).add(o)
        closure = {}
        for cls in direct:
            seen, todo = {cls}, [cls]
            while todo:
                for up in direct.get(todo.pop(), ()):
                    if up not in seen:
                        seen.add(up)
                        todo.append(up)
            closure[cls] = frozenset(seen)
        return closure

    # -- set-at-a-time queries ----------------------------------------------------------------

    def select(self, query: str) -> Iterator[tuple[Term, ...]]:
        assert self.store is not None
        for solution in self.store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
            yield tuple(solution)

    def distinct_values(self, path: str, where: str) -> list[Term]:
        """The distinct objects ``?o`` of ``path`` (an IRI in SPARQL syntax) that pass ``where``,
        whatever the subject; kept."""
        found = self._distinct.get((path, where))
        if found is None:
            found = self._distinct[path, where] = [
                v for (v,) in self.select(f"SELECT DISTINCT ?o WHERE {{ ?s {path} ?o . {where} }}")]
        return found


def index(triples: Iterable[ox.Triple]) -> Index:
    """Triples by subject and predicate."""
    by_subject: Index = {}
    for t in triples:
        by_subject.setdefault(t.subject, {}).setdefault(t.predicate, set()).add(t.object)  # type: ignore[arg-type]
    return by_subject


def validate_all(shapes: Shapes, graph: Graph) -> list[Raw]:
    """The results of every native shape over the whole graph (``graph.store`` without the
    inferred graph)."""
    special = set(graph.extra)
    raw: list[Raw] = []
    by_focus: dict[tuple[Class, ...], list[Shape]] = {}
    for shape in shapes.native:
        classes = tuple(sorted({c for t in shape.targets for c in graph.subclasses(t)}, key=str))
        by_focus.setdefault(classes, []).append(shape)
    odd: set[Term] = set(special)
    for classes, group in by_focus.items():
        named = [c for c in classes if isinstance(c, ox.NamedNode)]
        raw.extend(r for r in _shapes_at_once(group, named, graph) if r[2] not in special)
        for c in classes:       # a blank node as a class (a subclass of a target): not in a VALUES list
            if isinstance(c, ox.BlankNode):
                assert graph.store is not None
                odd.update(q.subject for q in graph.store.quads_for_pattern(None, _TYPE, c, None)
                           if not isinstance(q.subject, ox.Triple))
    raw.extend(validate_nodes(shapes, graph, odd))
    return list(dict.fromkeys(raw))     # a node reached both ways is reported once


def validate_nodes(shapes: Shapes, graph: Graph, nodes: Iterable[Term]) -> list[Raw]:
    """The results of every native shape about ``nodes`` (as focus nodes), node by node."""
    raw: list[Raw] = []
    nodes = list(nodes)
    for node in nodes:              # all their triples at once: most shapes read several
        graph.own(node)
    for node in nodes:
        for shape in shapes.targeting(graph.classes(node)):
            raw.extend(_check_node(shape, node, graph))
    return raw


def neighbourhood(graph: Graph, roots: Iterable[ox.NamedNode]) -> set[ox.NamedNode]:
    """``roots`` and the IRIs they link to (not through ``rdf:type``): the resources an
    incremental validation covers."""
    first = set(roots)
    second: set[Term] = set()
    for node in first:
        for p, objects in graph.own(node).items():
            if p != _TYPE:
                second.update(o for o in objects if not isinstance(o, ox.Literal))
    return {n for n in first | second if isinstance(n, ox.NamedNode)}


def _check_node(shape: Shape, node: Term, graph: Graph) -> Iterator[Raw]:
    values = {node} if shape.path is None else graph.values(node, shape.path)
    if shape.min_count is not None and len(values) < shape.min_count:
        yield shape, _MIN_COUNT, node, None
    if shape.max_count is not None and len(values) > shape.max_count:
        yield shape, _MAX_COUNT, node, None
    for check in shape.checks:
        for value in values:
            if not graph.ok(check, value):
                yield shape, check.component, node, value


def _shapes_at_once(shapes: list[Shape], classes: list[ox.NamedNode], graph: Graph) -> Iterator[Raw]:
    """The results of ``shapes``, all targeting the instances of ``classes``."""
    focus = f"VALUES ?t {{ {' '.join(str(c) for c in classes)} }} ?s a ?t ."
    distinct = f"{{ SELECT DISTINCT ?s WHERE {{ {focus} }} }}"
    required: dict[str, list[Shape]] = {}     # sh:minCount 1, the commonest rule: one query for all the paths
    for shape in shapes:
        if shape.path is not None and shape.min_count == 1:
            required.setdefault(str(shape.path), []).append(shape)
    if required:
        query = (f"SELECT ?s ?p WHERE {{ {distinct} VALUES ?p {{ {' '.join(required)} }} "
                 f"FILTER NOT EXISTS {{ ?s ?p ?o }} }}")
        for node, p in graph.select(query):
            for shape in required[str(p)]:
                yield shape, _MIN_COUNT, node, None
    for shape in shapes:
        yield from _shape_at_once(shape, focus, distinct, graph)


def _shape_at_once(shape: Shape, focus: str, distinct: str, graph: Graph) -> Iterator[Raw]:
    if shape.path is None:
        if shape.checks:
            for (node,) in graph.select(f"SELECT ?s WHERE {distinct}"):
                yield from _check_node(shape, node, graph)
        return
    p = str(shape.path)
    if shape.min_count is not None and shape.min_count > 1:
        query = (f"SELECT ?s WHERE {{ {distinct} OPTIONAL {{ ?s {p} ?o }} }} "
                 f"GROUP BY ?s HAVING (COUNT(DISTINCT ?o) < {shape.min_count})")
        for (node,) in graph.select(query):
            yield shape, _MIN_COUNT, node, None
    if shape.max_count is not None:     # any subject with too many values, then the focus nodes among them
        query = f"SELECT ?s WHERE {{ ?s {p} ?o }} GROUP BY ?s HAVING (COUNT(DISTINCT ?o) > {shape.max_count})"
        for (node,) in graph.select(query):
            if not graph.classes(node).isdisjoint(shape.targets):
                yield shape, _MAX_COUNT, node, None
    for check in shape.checks:      # the values that may be bad, judged; then who holds the bad ones
        bad = {v for v in graph.distinct_values(p, check.sparql(graph)) if not graph.ok(check, v)}
        for node, value in _holders(graph, p, bad, focus):
            yield shape, check.component, node, value


def _holders(graph: Graph, p: str, bad: set[Term], focus: str) -> Iterator[tuple[Term, Term]]:
    """The focus nodes with one of the ``bad`` values on ``p``, with the value."""
    named = sorted((v for v in bad if not isinstance(v, ox.BlankNode)), key=str)
    for start in range(0, len(named), _CHUNK):
        listed = " ".join(str(v) for v in named[start:start + _CHUNK])
        yield from graph.select(  # type: ignore[misc]
            f"SELECT DISTINCT ?s ?o WHERE {{ VALUES ?o {{ {listed} }} ?s {p} ?o . FILTER EXISTS {{ {focus} }} }}")
    if len(named) < len(bad):   # blank nodes cannot be listed in VALUES
        for node, value in graph.select(
                f"SELECT DISTINCT ?s ?o WHERE {{ ?s {p} ?o . FILTER(isBlank(?o)) FILTER EXISTS {{ {focus} }} }}"):
            if value in bad:
                yield node, value
