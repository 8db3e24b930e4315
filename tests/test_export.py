"""Exports: every format reads back (with rdflib, a different parser from the writer) to the
graph or dataset it was written from; the JSON-LD compactor writes what pyld writes; exports are
deterministic and atomic; the context covers the ontology."""

from __future__ import annotations

import json
import os
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from pyld import jsonld as pyld
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS

import portlod
from portlod import _snapshot as snapshot
from portlod import formats as ex
from portlod import jsonld as pljsonld
from portlod.dataset import INFERRED_GRAPH, Dataset, to_rdflib_term
from portlod.errors import ExportError
from portlod.resources import path
from portlod.vocab import PREFIXES

ROOT = Path(__file__).resolve().parents[1]
EDGE = Path(__file__).resolve().parent / "data" / "export" / "edge-cases.trig"
PL = "https://w3id.org/portlod/ontology#"
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "trig": "trig", "nq": "nquads"}


# -- helpers -------------------------------------------------------------------------------------

def assert_isomorphic(actual: rdflib.Graph, expected: rdflib.Graph, what: str) -> None:
    if isomorphic(actual, expected):
        return
    _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
    lines = [f"{what}: the graphs differ"]
    lines += ["  only in the export:"] + [f"    {t}" for t in sorted(only_actual.serialize(format="nt").splitlines())[:40]]
    lines += ["  only in the store:"] + [f"    {t}" for t in sorted(only_expected.serialize(format="nt").splitlines())[:40]]
    pytest.fail("\n".join(lines))


def edge_store() -> ox.Store:
    store = ox.Store()
    store.load(path=EDGE, format=ox.RdfFormat.TRIG)
    return store


def expected_union(source: Dataset | ox.Store, *, inferred: bool = False) -> rdflib.Graph:
    if isinstance(source, Dataset):
        return source.to_rdflib_graph(inferred=inferred)
    g = rdflib.Graph()
    for q in source:
        if inferred or q.graph_name != INFERRED_GRAPH:
            g.add((to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object)))
    return g


def expected_graphs(source: Dataset | ox.Store, *, inferred: bool = False) -> dict[str, rdflib.Graph]:
    store = source.store if isinstance(source, Dataset) else source
    graphs: dict[str, rdflib.Graph] = {}
    for q in store:
        if q.graph_name == INFERRED_GRAPH and not inferred:
            continue
        name = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        graphs.setdefault(name, rdflib.Graph()).add(
            (to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object)))
    return graphs


def parse_union(data: bytes, fmt: str) -> rdflib.Graph:
    """Read a union export with rdflib; JSON-LD gets the packaged context inlined (rdflib would
    fetch the URL)."""
    g = rdflib.Graph()
    if fmt == "jsonld":
        with warnings.catch_warnings():  # rdflib 7.6's JSON-LD parser makes a ConjunctiveGraph itself
            warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
            g.parse(data=pljsonld.inline_context(data), format="json-ld")
    else:
        g.parse(data=data, format=RDFLIB_FORMATS[fmt])
    return g


def parse_graphs(data: bytes, fmt: str) -> dict[str, rdflib.Graph]:
    ds = rdflib.Dataset()
    with warnings.catch_warnings():  # rdflib 7.6's Dataset.parse uses its own deprecated API
        warnings.filterwarnings("ignore", r"(Dataset\.\w+|ConjunctiveGraph) is deprecated", DeprecationWarning)
        ds.parse(data=data, format=RDFLIB_FORMATS[fmt])
    graphs: dict[str, rdflib.Graph] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = "" if g is None or g == DATASET_DEFAULT_GRAPH_ID else str(g)
        graphs.setdefault(name, rdflib.Graph()).add((s, p, o))
    return graphs


def nquads_graph(text: str) -> rdflib.Graph:
    g = rdflib.Graph()
    for graph in parse_graphs(text.encode("utf-8"), "nq").values():
        g += graph
    return g


def pyld_dataset(source: Dataset | ox.Store) -> dict[str, list[dict[str, Any]]]:
    """The union as pyld's internal RDF dataset, so that pyld's own N-Quads parser (which keeps
    ``\\f`` and ``\\uXXXX`` escapes as text) stays out of the comparison."""
    store = source.store if isinstance(source, Dataset) else source

    def term(t: Any) -> dict[str, str]:
        if isinstance(t, ox.NamedNode):
            return {"type": "IRI", "value": t.value}
        if isinstance(t, ox.BlankNode):
            return {"type": "blank node", "value": f"_:{t.value}"}
        out = {"type": "literal", "value": t.value, "datatype": t.datatype.value}
        if t.language:
            out["language"] = t.language
        return out

    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store if q.graph_name != INFERRED_GRAPH}
    return {"@default": [{"subject": term(t.subject), "predicate": term(t.predicate), "object": term(t.object)}
                         for t in triples]}


def pyld_compact(source: Dataset | ox.Store) -> dict[str, Any]:
    expanded = pyld.from_rdf(pyld_dataset(source), {})
    return pyld.compact(expanded, pljsonld.CONTEXT_URL, {"documentLoader": pljsonld.document_loader})


def normalise(doc: Any) -> Any:
    """Arrays sorted (their order carries no meaning here), a lone node wrapped in @graph."""
    if isinstance(doc, dict) and "@context" in doc and "@graph" not in doc:
        doc = {"@context": doc["@context"], "@graph": [{k: v for k, v in doc.items() if k != "@context"}]}
    if isinstance(doc, dict):
        return {k: normalise(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return sorted((normalise(v) for v in doc), key=lambda v: json.dumps(v, sort_keys=True))
    return doc


def keys(doc: Any) -> Iterator[str]:
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            yield from keys(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from keys(v)


@pytest.fixture(autouse=True)
def exact_literals(monkeypatch: pytest.MonkeyPatch) -> None:
    """rdflib rewrites some lexical forms when it parses ("…Z" → "…+00:00"); compare exactly."""
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)


@pytest.fixture(scope="module")
def exported(seed_dataset: portlod.Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return ex.export(seed_dataset, tmp_path_factory.mktemp("export"))


# -- every format round-trips --------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_union_formats_round_trip(exported: dict[str, Path], seed_dataset: portlod.Dataset, fmt: str) -> None:
    parsed = parse_union(exported[fmt].read_bytes(), fmt)
    assert len(parsed) == len(seed_dataset.union())
    assert_isomorphic(parsed, seed_dataset.to_rdflib_graph(), f"portlod.{fmt}")


@pytest.mark.parametrize("fmt", ["trig", "nq"])
def test_dataset_formats_round_trip_with_every_named_graph(exported: dict[str, Path],
                                                           seed_dataset: portlod.Dataset, fmt: str) -> None:
    parsed = parse_graphs(exported[fmt].read_bytes(), fmt)
    expected = {str(g.identifier): g for g in seed_dataset.to_rdflib().graphs() if len(g)}
    assert set(parsed) == set(expected)
    assert len(parsed) == len(seed_dataset.fact_graphs()) + 1  # + the metadata graph
    for name, graph in expected.items():
        assert_isomorphic(parsed[name], graph, f"portlod.{fmt}, graph <{name}>")


@pytest.mark.parametrize("fmt", ex.FORMATS)
def test_edge_cases_round_trip(fmt: str) -> None:
    store = edge_store()
    data = ex.serialize(store, fmt)
    if fmt in ex.UNION_FORMATS:
        assert_isomorphic(parse_union(data, fmt), expected_union(store), f"edge cases as {fmt}")
    else:
        parsed, expected = parse_graphs(data, fmt), expected_graphs(store)
        assert set(parsed) == set(expected)
        for name, graph in expected.items():
            assert_isomorphic(parsed[name], graph, f"edge cases as {fmt}, graph <{name}>")


@pytest.mark.parametrize("fmt", ex.FORMATS)
def test_load_reads_every_format_back(exported: dict[str, Path], seed_dataset: portlod.Dataset, fmt: str) -> None:
    from_path = ex.load(exported[fmt], fmt)
    from_bytes = ex.load(exported[fmt].read_bytes(), fmt)
    if fmt in ex.UNION_FORMATS:
        expected = {ox.Quad(t.subject, t.predicate, t.object) for t in seed_dataset.union()}
    else:
        expected = set(seed_dataset.store)
    assert set(from_path) == expected
    assert set(from_bytes) == expected


@pytest.mark.parametrize("fmt", ex.FORMATS)
def test_load_reads_the_edge_cases_back(fmt: str) -> None:
    store = edge_store()
    loaded = ex.load(ex.serialize(store, fmt), fmt)
    if fmt in ex.UNION_FORMATS:
        assert_isomorphic(expected_union(loaded), expected_union(store), f"edge cases as {fmt}, loaded")
    else:
        graphs, expected = expected_graphs(loaded), expected_graphs(store)
        assert set(graphs) == set(expected)
        for name, graph in expected.items():
            assert_isomorphic(graphs[name], graph, f"edge cases as {fmt}, loaded, graph <{name}>")


def test_load_reads_jsonld_in_any_key_order() -> None:
    """Exports are Streaming JSON-LD (``type`` first); JSON-LD from elsewhere need not be."""
    doc = (b'{"@context": "https://w3id.org/portlod/context.jsonld", "@graph": [{"id": "https://example.org/p", '
           b'"name": "Port of Somewhere", "type": "Port", "signedOn": {"value": "2023-03", "type": "xsd:gYearMonth"}}]}')
    loaded = ex.load(doc, "jsonld")
    port = ox.NamedNode("https://example.org/p")
    assert {(q.predicate.value, q.object) for q in loaded} == {
        (str(RDF.type), ox.NamedNode(PL + "Port")),
        (str(RDFS.label), ox.Literal("Port of Somewhere", language="en")),
        (PL + "signedOn", ox.Literal("2023-03", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth"))),
    }
    assert {q.subject for q in loaded} == {port}
    with pytest.raises(SyntaxError):
        ex.load(b'{"@context": "https://w3id.org/portlod/context.jsonld", "@graph": [', "jsonld")


def test_inferred_triples_are_left_out_unless_asked_for() -> None:
    store = edge_store()
    inferred_class = rdflib.URIRef("http://example.org/InferredClass")
    assert (None, None, inferred_class) not in parse_union(ex.serialize(store, "ttl"), "ttl")
    assert (None, None, inferred_class) in parse_union(ex.serialize(store, "ttl", inferred=True), "ttl")
    assert INFERRED_GRAPH.value not in parse_graphs(ex.serialize(store, "nq"), "nq")
    with_inferred = parse_graphs(ex.serialize(store, "trig", inferred=True), "trig")
    assert_isomorphic(with_inferred[INFERRED_GRAPH.value], expected_graphs(store, inferred=True)[INFERRED_GRAPH.value],
                      "the inferred graph")


def test_serialize_triples_writes_like_serialize() -> None:
    store = edge_store()
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)
               if q.graph_name != INFERRED_GRAPH]
    for fmt in sorted(ex.UNION_FORMATS):
        assert ex.serialize_triples(triples, fmt) == ex.serialize(store, fmt)
    assert ex.serialize_triples([], "jsonld") == b'{\n  "@context": "https://w3id.org/portlod/context.jsonld",\n  "@graph": []\n}\n'
    with pytest.raises(ExportError, match="trig"):
        ex.serialize_triples(triples, "trig")


def test_literals_keep_every_character() -> None:
    """N-Triples escapes are copied into JSON as they are: check that across all of Unicode."""
    store = ox.Store()
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    chunks = ["".join(chars[i:i + 4096]) for i in range(0, len(chars), 4096)]
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    note = ox.NamedNode("http://www.w3.org/2004/02/skos/core#note")
    unlocode = ox.NamedNode(PL + "unlocode")
    for i, text in enumerate(chunks):
        s = ox.NamedNode(f"https://w3id.org/portlod/id/test/{i:04d}")
        store.add(ox.Quad(s, label, ox.Literal(text, language="en")))        # fits "name"
        store.add(ox.Quad(s, note, ox.Literal(text, language="de")))         # a value object
        store.add(ox.Quad(s, unlocode, ox.Literal(text)))                    # a plain string
    doc = json.loads(ex.serialize(store, "jsonld"))
    for i, node in enumerate(doc["@graph"]):
        assert node["name"] == chunks[i]
        assert node["skos:note"] == {"value": chunks[i], "@language": "de"}
        assert node["unlocode"] == chunks[i]
    assert_isomorphic(parse_union(ex.serialize(store, "ttl"), "ttl"), expected_union(store), "all of Unicode as Turtle")


def test_rdf_type_in_any_position_round_trips() -> None:
    """Turtle, TriG and JSON-LD sort rdf:type first by marking it in the text: wherever the IRI
    stands (object, inside a literal), it must come back unchanged."""
    rdf_type = ox.NamedNode(str(RDF.type))
    s = ox.NamedNode("https://w3id.org/portlod/id/test/s")
    store = ox.Store()
    store.add(ox.Quad(s, rdf_type, ox.NamedNode(PL + "Port")))
    store.add(ox.Quad(s, ox.NamedNode(PL + "about"), rdf_type))
    store.add(ox.Quad(s, ox.NamedNode(str(RDFS.comment)), ox.Literal(f"see <{RDF.type}> here", language="en")))
    store.add(ox.Quad(s, ox.NamedNode(PL + "unlocode"), ox.Literal(f"a <{RDF.type}> b")))
    for fmt in ex.FORMATS:
        data = ex.serialize(store, fmt)
        assert b"\x00" not in data, fmt
        assert set(ex.load(data, fmt)) == set(store), fmt


# -- JSON-LD: the context, pyld, readable keys ----------------------------------------------------

def test_jsonld_refers_to_the_context_by_url_with_a_copy_next_to_it(exported: dict[str, Path]) -> None:
    doc = json.loads(exported["jsonld"].read_bytes())
    assert doc["@context"] == pljsonld.CONTEXT_URL == "https://w3id.org/portlod/context.jsonld"
    assert exported["context"] == exported["jsonld"].parent / "context.jsonld"
    assert exported["context"].read_bytes() == (ROOT / "context.jsonld").read_bytes()
    with pytest.raises(portlod.ResourceError, match="refusing"):
        pljsonld.document_loader("https://example.org/other-context.jsonld")


def test_jsonld_expands_with_pyld_to_the_same_graph(exported: dict[str, Path], seed_dataset: portlod.Dataset) -> None:
    doc = json.loads(exported["jsonld"].read_bytes())
    nquads = pyld.to_rdf(doc, {"documentLoader": pljsonld.document_loader, "format": "application/n-quads"})
    assert_isomorphic(nquads_graph(nquads), seed_dataset.to_rdflib_graph(),
                      "portlod.jsonld expanded by pyld")


@pytest.mark.parametrize("source", ["seed", "edge cases"])
def test_compaction_equals_pyld(seed_dataset: portlod.Dataset, source: str) -> None:
    data: Dataset | ox.Store = seed_dataset if source == "seed" else edge_store()
    ours = json.loads(ex.serialize(data, "jsonld"))
    theirs = pyld_compact(data)
    assert normalise(ours) == normalise(theirs)
    # and both mean the same graph
    loader = {"documentLoader": pljsonld.document_loader, "format": "application/n-quads"}
    assert_isomorphic(nquads_graph(pyld.to_rdf(ours, loader)), nquads_graph(pyld.to_rdf(theirs, loader)),
                      f"{source}: our compaction and pyld's")


def test_users_see_short_names(exported: dict[str, Path]) -> None:
    doc = json.loads(exported["jsonld"].read_bytes())
    seen = set(keys(doc["@graph"]))
    assert {"id", "type", "name", "altNames", "parties", "signedOn", "signatories", "agent", "onBehalfOf",
            "roleAsPrinted", "themes", "statusAssertions", "status", "asOf", "country", "unlocode",
            "operatedBy", "endpoints"} <= seen
    missing = sorted(k for k in seen if ":" in k)
    assert not missing, f"add terms for {missing} to context.jsonld: every property of the seed data has one"
    by_id = {node["id"]: node for node in doc["@graph"]}
    mou = by_id["https://w3id.org/portlod/id/agreement/2023-03-16-pola-yokohama-mou"]
    assert mou["type"] == "MemorandumOfUnderstanding"
    assert mou["status"] == "Signed"
    assert isinstance(mou["parties"], list) and isinstance(mou["name"], str)
    # a fuzzy date keeps its precision; two sources disagree here, so there are two values
    assert {"value": "2023-03-16", "type": "xsd:date"} in mou["signedOn"]
    assert {"value": "2023-03", "type": "xsd:gYearMonth"} in mou["signedOn"]


def test_context_is_valid_jsonld_11_with_a_term_for_every_ontology_term() -> None:
    ctx = json.loads((ROOT / "context.jsonld").read_text(encoding="utf-8"))
    assert ctx == pljsonld.context() and path("context") is not None
    assert ctx["@context"]["@version"] == 1.1
    ontology = rdflib.Graph().parse(path("ontology"))
    properties = {str(s) for kind in (OWL.ObjectProperty, OWL.DatatypeProperty)
                  for s in ontology.subjects(RDF.type, kind)}  # also those reused from other vocabularies
    classes = {str(s) for kind in (OWL.Class, RDFS.Datatype) for s in ontology.subjects(RDF.type, kind)
               if str(s).startswith(PL)}
    individuals = {str(s) for s, o in ontology.subject_objects(RDF.type)
                   if str(s).startswith(PL) and str(o) in classes}
    assert properties and classes and individuals
    # expand one document that uses every term: pyld must accept the context (1.1 processing
    # mode) and every term must expand to an ontology IRI
    terms = {k: v for k, v in ctx["@context"].items() if not k.startswith("@")}
    prefixes = {k for k, v in terms.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    aliases = {k for k, v in terms.items() if isinstance(v, str) and v.startswith("@")}
    class_terms = {k for k, v in terms.items() if isinstance(v, str) and k not in prefixes | aliases}
    property_terms = {k for k, v in terms.items() if isinstance(v, dict)}
    doc = {"@context": ctx["@context"], "id": "https://example.org/x", "type": sorted(class_terms)}
    doc.update({k: "https://example.org/v" for k in property_terms})
    [node] = pyld.expand(doc, {"documentLoader": pljsonld.document_loader, "processingMode": "json-ld-1.1"})
    expanded_properties = {k for k in node if not k.startswith("@")}
    assert properties - expanded_properties == set(), "ontology properties without a term"
    assert (classes | individuals) - set(node["@type"]) == set(), "ontology classes or individuals without a term"
    # object properties are IRI-valued, multi-valued ones are sets
    for term, definition in ((k, terms[k]) for k in property_terms):
        iri = pyld.expand({"@context": ctx["@context"], term: "x"}, {"documentLoader": pljsonld.document_loader})
        if (rdflib.URIRef(next(iter(iri[0]))), RDF.type, OWL.ObjectProperty) in ontology:
            assert definition.get("@type") in ("@id", "@vocab"), f"{term}: an object property needs @type @id"
    for term in ("parties", "signatories", "attendees", "themes", "endpoints", "statusAssertions", "altNames",
                 "participants", "fuels", "concernsPorts", "memberPorts", "positions", "scope", "aims"):
        assert terms[term].get("@container") == "@set", f"{term} is multi-valued: a @set"
    # the prefixes of vocab.PREFIXES, except where a name is a term users read
    assert {name for name, ns in PREFIXES.items() if terms.get(name) != ns} == {"id", "role"}
    assert terms["id"] == "@id" and terms["type"] == "@type"
    assert terms["name"] == {"@id": "rdfs:label", "@language": "en"}
    assert terms["parties"] == {"@id": "pl:party", "@type": "@id", "@container": "@set"}
    assert terms["signedOn"] == {"@id": "pl:signedOn"}


def test_the_compactor_refuses_contexts_it_does_not_implement() -> None:
    with pytest.raises(portlod.ResourceError, match="@vocab"):
        pljsonld.Compactor({"@context": {"@version": 1.1, "@vocab": "https://example.org/"}})
    with pytest.raises(portlod.ResourceError, match="@container"):
        pljsonld.Compactor({"@context": {"@version": 1.1, "x": {"@id": "https://e.org/x", "@container": "@list"}}})
    with pytest.raises(portlod.ResourceError, match="one term per IRI"):
        pljsonld.Compactor({"@context": {"@version": 1.1, "a": "https://e.org/x", "b": "https://e.org/x"}})


def test_an_iri_that_reads_as_a_compact_iri_cannot_be_written_as_jsonld(tmp_path: Path) -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode(PL + "about"),
                      ox.NamedNode("geo:37.786971,-122.399677")))
    with pytest.raises(ExportError, match="portlod.jsonld.*geo"):
        ex.export(store, tmp_path, formats=["jsonld"])
    assert b"geo:37.786971" in ex.serialize(store, "ttl")


# -- determinism and atomicity ---------------------------------------------------------------------

def test_exports_are_byte_identical_across_builds(tmp_path: Path) -> None:
    first_build, second_build = portlod.build(ROOT / "data"), portlod.build(ROOT / "data")
    first = ex.export(first_build, tmp_path / "a")
    second = ex.export(second_build, tmp_path / "b")
    assert first.keys() == second.keys() == {*ex.FORMATS, "context"}
    for key in first:
        assert first[key].read_bytes() == second[key].read_bytes(), f"{first[key].name} differs between builds"
    for fmt in ex.FORMATS:
        assert ex.serialize(second_build, fmt) == first[fmt].read_bytes()


def test_output_is_sorted(exported: dict[str, Path]) -> None:
    lines = exported["nt"].read_bytes().splitlines()
    assert lines == sorted(set(lines))
    quads = [q.rsplit(b" ", 2) for q in exported["nq"].read_bytes().splitlines()]
    graphs = [graph[1:-1] for _, graph, _ in quads]
    assert graphs == sorted(graphs)  # by IRI
    assert quads == sorted(quads, key=lambda q: (q[1][1:-1], q[0]))  # then by line
    nodes = json.loads(exported["jsonld"].read_bytes())["@graph"]
    ids = [node["id"] for node in nodes]
    assert len(ids) == len(set(ids))
    assert all(list(node)[:2] == ["type", "id"] for node in nodes if "type" in node)


@pytest.mark.parametrize("source", ["seed", "edge cases"])
def test_jsonld_is_streaming_jsonld(seed_dataset: portlod.Dataset, source: str) -> None:
    """``type`` first in every node and value object: a processor reads it without buffering."""
    data = pljsonld.inline_context(ex.serialize(seed_dataset if source == "seed" else edge_store(), "jsonld"))
    streamed, buffered = ox.Store(), ox.Store()
    streamed.load(data, format=ox.RdfFormat.STREAMING_JSON_LD)
    buffered.load(data, format=ox.RdfFormat.JSON_LD)
    assert len(streamed) > 0
    assert_isomorphic(expected_union(streamed), expected_union(buffered), f"{source}: streamed JSON-LD")


def test_turtle_lists_types_first(exported: dict[str, Path]) -> None:
    text = exported["ttl"].read_text(encoding="utf-8")
    blocks = [b for b in text.split(" .\n\n") if not b.startswith("@prefix")]
    typed = [b for b in blocks if "\n    a " in b or " a " in b.split("\n")[0]]
    assert typed and all(b.split("\n")[0].split(" ", 2)[1] == "a" for b in typed)


def test_output_depends_on_the_content_only() -> None:
    """The store iterates in the order it was filled; the exports must not."""
    store = edge_store()
    quads = list(store.quads_for_pattern(None, None, None, None))
    backwards = ox.Store()
    for quad in quads:  # the store iterates newest first: this one iterates the other way round
        backwards.add(quad)
    assert list(backwards.quads_for_pattern(None, None, None, None)) == quads[::-1]
    for fmt in ex.FORMATS:
        assert ex.serialize(backwards, fmt, inferred=True) == ex.serialize(store, fmt, inferred=True), fmt


def test_reading_the_store_in_batches_on_threads_changes_nothing(seed_dataset: portlod.Dataset,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    whole = {fmt: ex.serialize(seed_dataset, fmt) for fmt in ex.FORMATS}
    monkeypatch.setattr(snapshot, "_BATCH", 7)
    monkeypatch.setattr(snapshot, "_THREADS", 2)
    for fmt in ex.FORMATS:
        assert ex.serialize(seed_dataset, fmt) == whole[fmt], fmt


def test_a_failed_export_stops_reading_the_store(seed_dataset: portlod.Dataset, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def fail_after_a_batch(snap: Any) -> Iterator[bytes]:
        yield from (text for _, text in next(snap.batches()))
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(snapshot, "_BATCH", 3)
    monkeypatch.setattr(snapshot, "_THREADS", 2)
    monkeypatch.setitem(ex._WRITERS, "nt", fail_after_a_batch)
    with pytest.raises(ExportError, match="portlod.nt.*disk on fire"):
        ex.export(seed_dataset, tmp_path, formats=["nt"])
    assert not [t for t in threading.enumerate() if t.name.startswith("portlod-dump")]
    assert list(tmp_path.iterdir()) == []


def _boom(snap: Any) -> Iterator[bytes]:
    yield b"{ half a file"
    raise RuntimeError("disk on fire")


@pytest.mark.parametrize("failing", ["ttl", "jsonld", "nq"])
def test_a_failed_export_leaves_the_old_files(seed_dataset: portlod.Dataset, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    old = ex.export(edge_store(), tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    monkeypatch.setitem(ex._WRITERS, failing, _boom)
    with pytest.raises(ExportError, match=f"portlod\\.{failing}.*disk on fire"):
        ex.export(seed_dataset, tmp_path)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before, "old files changed or temporary files remain"
    assert set(after) == {p.name for p in old.values()}


def test_a_failed_rename_is_reported_and_cleaned_up(seed_dataset: portlod.Dataset, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(src: Any, dst: Any) -> None:
        raise PermissionError(13, "read-only", str(dst))

    monkeypatch.setattr(ex.os, "replace", fail)
    with pytest.raises(ExportError, match="portlod.ttl"):
        ex.export(seed_dataset, tmp_path, formats=["ttl", "nt"])
    assert list(tmp_path.iterdir()) == []


def test_export_writes_only_the_formats_asked_for(seed_dataset: portlod.Dataset, tmp_path: Path) -> None:
    paths = ex.export(seed_dataset, tmp_path / "new" / "folder", formats=["nt", "ttl", "nt"])
    assert set(paths) == {"nt", "ttl"}
    assert sorted(p.name for p in (tmp_path / "new" / "folder").iterdir()) == ["portlod.nt", "portlod.ttl"]
    assert all(os.stat(p).st_mode & 0o777 == 0o644 for p in paths.values())
    with pytest.raises(ExportError, match="unknown export format 'rdf'"):
        ex.export(seed_dataset, tmp_path, formats=["rdf"])
    with pytest.raises(ExportError, match="unknown export format"):
        ex.serialize(seed_dataset, "xml")
