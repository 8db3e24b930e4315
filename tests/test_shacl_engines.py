"""The native SHACL engine gives pySHACL's results (the reference): on every shapes fixture, the
seed data, the benchmark generator's 10k data set, data with a fault of every constraint kind,
shapes using every construct the engine evaluates, and shapes it leaves to pySHACL; for full and
incremental validation, from every kind of input."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

import portlod
from portlod._shacl_model import read_shapes
from portlod.dataset import INFERRED_GRAPH, Dataset, from_rdflib
from portlod.resources import path
from portlod.validate import ValidationReport, _load_shapes, validate

ID = "https://w3id.org/portlod/id/"
PL = "https://w3id.org/portlod/ontology#"
PLSH = "https://w3id.org/portlod/shapes#"
SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
FIXTURES = Path(__file__).parent / "data" / "shapes"
ENGINES = FIXTURES / "engines"
FAULTS = ID + "graph/test/faults"


def _same(data: Dataset | rdflib.Graph, **options: object) -> ValidationReport:
    """Validate with both engines, check they agree, return the native report."""
    native = validate(data, **options)  # type: ignore[arg-type]
    reference = validate(data, engine="pyshacl", **options)  # type: ignore[arg-type]
    assert set(native.results) - set(reference.results) == set(), "only the native engine reports these"
    assert set(reference.results) - set(native.results) == set(), "only pySHACL reports these"
    assert native.results == reference.results          # same order too
    assert (native.conforms, native.focus) == (reference.conforms, reference.focus)
    return native


def _copy(ds: Dataset) -> Dataset:
    store = ox.Store()
    store.extend(list(ds.store))
    return Dataset(store)


# -- fixtures, the seed data, the benchmark data -------------------------------------------------------


@pytest.mark.parametrize("fixture", sorted(str(f.relative_to(FIXTURES)) for kind in ("good", "bad", "warn")
                                           for f in (FIXTURES / kind).glob("*.ttl")))
def test_shape_fixtures(fixture: str) -> None:
    _same(rdflib.Graph().parse(FIXTURES / fixture))


def test_seed_data(seed_dataset: Dataset) -> None:
    report = _same(seed_dataset)
    assert report.results       # ports without a position: warnings
    _same(seed_dataset, resources=[ID + "agreement/2023-03-pola-gothenburg-mou", ID + "port/USLAX"])


def test_benchmark_data_set() -> None:
    from bench.generate import generate

    generated = generate("10k")
    ds = portlod.build(generated.sources)
    report = _same(ds)
    assert report.warnings
    part = _same(ds, resources=list(generated.change_candidates[:100]))
    assert part.focus is not None and len(part.focus) > 100


def test_packaged_shapes_are_all_native() -> None:
    shapes = read_shapes(_load_shapes(str(path("shapes")), *_stat(path("shapes"))))
    assert shapes.others == ()
    assert len(shapes.native) > 100


def _stat(file: Path) -> tuple[int, int]:
    stat = file.stat()
    return stat.st_mtime_ns, stat.st_size


# -- a fault of every kind -------------------------------------------------------------------------------


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri if ":" in iri.split("/")[0] else PL + iri)


def _lit(value: str, datatype: str | None = None, language: str | None = None) -> ox.Literal:
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)) if datatype else ox.Literal(value)


BLANK_ABOUT = ox.BlankNode("faultyabout")
BLANK_CODE = ox.BlankNode("faultycode")
BLANK_PORT = ox.BlankNode("faultyport")
BLANK_CLASS = ox.BlankNode("faultyclass")
T = ox.NamedNode(RDF_TYPE)
AGREEMENT = ID + "agreement/2023-03-pola-gothenburg-mou"
SOURCE = ID + "source/pacmar-port-of-la-japanese-swedish-ports"

# fault → (triples added, results expected among others: (focus, shape, component))
FAULT_CASES: dict[str, tuple[list[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, object]],
                             set[tuple[str, str, str]]]] = {
    "wrong datatype": ([(_n(AGREEMENT), _n("signedOn"), _lit("yesterday")),
                        (_n(SOURCE), _n("url"), _lit("https://example.org"))],
                       {(AGREEMENT, "Agreement-signedOn", "Or"), (SOURCE, "Source-url", "Datatype")}),
    "ill-typed literal": ([(_n(AGREEMENT), _n("signedOn"), _lit("2023-02-30", "date")),
                           (_n(ID + "port/ZZILL/position"), T, _n("Position")),
                           (_n(ID + "port/ZZILL/position"), _n("latitude"), _lit("north", "decimal")),
                           (_n(ID + "port/ZZILL/position"), _n("longitude"), _lit("10.5", "decimal")),
                           (_n(ID + "port/ZZILL/position"), _n("positionKind"), _n("PortBasin")),
                           (_n(ID + "port/ZZILL/position"), _n("positionSource"), _n("https://example.org/geo")),
                           (_n(ID + "source/test/p1"), T, _n("Passage")),
                           (_n(ID + "source/test/p1"), _n("inSource"), _n(SOURCE)),
                           (_n(ID + "source/test/p1"), _n("line"), _lit("1.5", "integer"))],
                          {(ID + "port/ZZILL/position", "Position-latitude", "Datatype"),
                           (ID + "source/test/p1", "Passage-line", "Datatype")}),
    "missing required": ([(_n(ID + "port/ZZAAA"), T, _n("Port")),
                          (_n(ID + "port/ZZAAA"), _n(LABEL), _lit("Aaa", language="en")),
                          (_n(ID + "port/ZZAAA"), _n("unlocode"), _lit("ZZAAA"))],
                         {(ID + "port/ZZAAA", "Port-country", "MinCount"),
                          (ID + "port/ZZAAA", "Port-position-present", "MinCount")}),
    "too many": ([(_n(ID + "port/ZZBBB"), T, _n("Port")),
                  (_n(ID + "port/ZZBBB"), _n("unlocode"), _lit("ZZBBB")),
                  (_n(ID + "port/ZZBBB"), _n("unlocode"), _lit("ZZBBC")),
                  (_n(ID + "source/test/p2"), T, _n("Passage")),
                  (_n(ID + "source/test/p2"), _n("inSource"), _n(SOURCE)),
                  (_n(ID + "source/test/p2"), _n("line"), _lit("01", "integer")),
                  (_n(ID + "source/test/p2"), _n("line"), _lit("1", "integer"))],
                 {(ID + "port/ZZBBB", "Port-unlocode", "MaxCount"),
                  (ID + "port/ZZBBB", "Port-label", "MinCount")}),
    "wrong class": ([(_n(AGREEMENT), _n("party"), _n(ID + "person/elvir-dzanic")),
                     (_n(AGREEMENT), _n("party"), _n("Signed")),          # an ontology individual
                     (_n(ID + "port/ZZCCC"), T, _n("Port")),
                     (_n(ID + "port/ZZCCC"), _n("country"), _lit("US"))],
                    {(AGREEMENT, "Agreement-party", "Class"), (ID + "port/ZZCCC", "Port-country", "Class")}),
    "not in the list": ([(_n(AGREEMENT), _n("theme"), _n("https://w3id.org/portlod/theme/Nonsense")),
                         (_n(ID + "membership/elvir-dzanic--port-of-gothenburg--chief-executive-officer"),
                          _n("role"), _lit("Chair"))],
                        {(AGREEMENT, "Agreement-theme", "In"),
                         (ID + "membership/elvir-dzanic--port-of-gothenburg--chief-executive-officer",
                          "Membership-role", "In")}),
    "pattern mismatch": ([(_n(ID + "country/ZZ"), T, _n("Country")),
                          (_n(ID + "country/ZZ"), _n("countryCode"), _lit("zz")),
                          (_n(ID + "country/ZZ"), _n(LABEL), _lit("Zed", language="en"))],
                         {(ID + "country/ZZ", "Country-code", "Pattern")}),
    "blank node where an IRI belongs": (
        [(_n(ID + "quotation/pacmar-port-of-la-japanese-swedish-ports/p20-elvir-dzanic-2"), _n("about"), BLANK_ABOUT),
         (_n(ID + "port/ZZDDD"), T, _n("Port")),
         (_n(ID + "port/ZZDDD"), _n("unlocode"), BLANK_CODE)],
        {(ID + "quotation/pacmar-port-of-la-japanese-swedish-ports/p20-elvir-dzanic-2", "Quotation-about", "NodeKind"),
         (ID + "port/ZZDDD", "Port-unlocode", "Pattern"), (ID + "port/ZZDDD", "Port-unlocode", "Datatype")}),
    "out of range": ([(_n(ID + "port/ZZEEE/position"), T, _n("Position")),
                      (_n(ID + "port/ZZEEE/position"), _n("latitude"), _lit("91.5", "decimal")),
                      (_n(ID + "port/ZZEEE/position"), _n("longitude"), _lit("-180.0", "decimal")),
                      (_n(ID + "port/ZZEEE/position"), _n("positionKind"), _n("CityCentroid")),
                      (_n(ID + "port/ZZEEE/position"), _n("positionSource"), _n("https://example.org/geo")),
                      (_n(ID + "source/test/p3"), T, _n("Passage")),
                      (_n(ID + "source/test/p3"), _n("inSource"), _n(SOURCE)),
                      (_n(ID + "source/test/p3"), _n("paragraph"), _lit("0", "integer"))],
                     {(ID + "port/ZZEEE/position", "Position-latitude", "MaxInclusive"),
                      (ID + "source/test/p3", "Passage-paragraph", "MinInclusive")}),
    "sh:or failure": ([(_n(AGREEMENT + "/signatory/nobody"), T, _n("Signatory")),
                       (_n(AGREEMENT + "/signatory/nobody"), _n("roleAsPrinted"), _lit("Mayor")),
                       (_n(AGREEMENT), _n("signedOn"), _lit("2023", "date"))],
                      {(AGREEMENT + "/signatory/nobody", "ParticipationShape", "Or"),
                       (AGREEMENT, "Agreement-signedOn", "Or")}),
    "literal where a node belongs": ([(_n(SOURCE), _n("http://purl.org/dc/terms/title"), _n("https://example.org/t")),
                                      (_n("https://w3id.org/portlod/id/port/USLGB"), _n(LABEL), _lit("Long Beach"))],
                                     {(SOURCE, "Source-title", "NodeKind"),
                                      (ID + "port/USLGB", "label-language", "Datatype")}),
    "subclass stated in the data": ([(_n("https://example.org/Club"), _n(SUBCLASS_OF), _n("Organization")),
                                     (_n("https://example.org/club"), T, _n("https://example.org/Club")),
                                     (_n("https://example.org/club"), _n(LABEL), _lit("club")),
                                     (_n(AGREEMENT), _n("party"), _n("https://example.org/club"))],
                                    {("https://example.org/club", "label-language", "Datatype")}),
    "blank node as a class": ([(BLANK_CLASS, _n(SUBCLASS_OF), _n("Organization")),
                               (_n("https://example.org/thing"), T, BLANK_CLASS),
                               (_n("https://example.org/thing"), _n(LABEL), _lit("thing")),
                               (_n(AGREEMENT), _n("party"), _n("https://example.org/thing"))],
                              {("https://example.org/thing", "label-language", "Datatype")}),
    "ontology term typed in the data": ([(_n("Signed"), T, _n("Port"))],
                                        {(PL + "Signed", "Port-unlocode", "MinCount")}),
    "blank-node focus": ([(BLANK_PORT, T, _n("Port"))], {("faultyport", "Port-label", "MinCount")}),
}


def _faulty(base: Dataset, cases: list[str]) -> Dataset:
    ds = _copy(base)
    ds.store.extend(ox.Quad(s, p, o, ox.NamedNode(FAULTS)) for case in cases  # type: ignore[arg-type]
                    for s, p, o in FAULT_CASES[case][0])
    return ds


def _about(report: ValidationReport) -> set[tuple[str, str, str]]:
    return {(r.focus, r.shape.removeprefix(PLSH), r.component.removeprefix(SH).removesuffix("ConstraintComponent"))
            for r in report.results}


@pytest.mark.parametrize("case", sorted(FAULT_CASES))
def test_each_fault(seed_dataset: Dataset, case: str) -> None:
    ds = _faulty(seed_dataset, [case])
    report = _same(ds)
    expected = FAULT_CASES[case][1]
    assert expected <= _about(report), report.text()
    assert not report.conforms
    touched = sorted({s.value for s, _, _ in FAULT_CASES[case][0] if isinstance(s, ox.NamedNode)})
    part = _same(ds, resources=touched)
    assert {x for x in expected if x[0] in touched} <= _about(part)


def test_all_faults_at_once(seed_dataset: Dataset) -> None:
    ds = _faulty(seed_dataset, list(FAULT_CASES))
    full = _same(ds)
    assert set().union(*(e for _, e in FAULT_CASES.values())) <= _about(full)
    subjects = sorted({q.subject.value for q in ds.store if isinstance(q.subject, ox.NamedNode)})
    part = _same(ds, resources=subjects)
    assert part.focus is not None               # incremental over every IRI = full, but for the blank node
    assert part.results == tuple(r for r in full.results if r.focus in set(part.focus))
    assert {r.focus for r in full.results} - set(part.focus) == {"faultyport"}
    # rdflib inputs: a Dataset keeps the origins, a Graph has none
    assert _same(ds.to_rdflib()).results == full.results
    assert _same(ds.to_rdflib_graph()).results == tuple(dataclasses.replace(r, origins=()) for r in full.results)


def test_report_graphs_are_isomorphic(seed_dataset: Dataset) -> None:
    ds = _faulty(seed_dataset, ["wrong datatype", "missing required", "sh:or failure", "blank-node focus"])
    native, reference = validate(ds), validate(ds, engine="pyshacl")
    assert isomorphic(native.graph, reference.graph)


def test_inferred_graph_is_left_out(seed_dataset: Dataset) -> None:
    ds = _faulty(seed_dataset, ["wrong class"])
    inferred = [ox.Quad(_n(AGREEMENT), _n("signedOn"), _lit("never"), INFERRED_GRAPH),
                ox.Quad(_n(ID + "person/elvir-dzanic"), T, _n("Organization"), INFERRED_GRAPH)]
    before = _same(ds)
    ds.store.extend(inferred)
    assert _same(ds).results == before.results
    assert _same(ds, resources=[AGREEMENT]).results == tuple(r for r in before.results if r.focus == AGREEMENT)


# -- shapes beyond portlod's own -------------------------------------------------------------------------


def test_every_native_construct() -> None:
    shapes = ENGINES / "features.shapes.ttl"
    assert read_shapes(_load_shapes(str(shapes), *_stat(shapes))).others == ()
    data = rdflib.Graph().parse(ENGINES / "features.ttl")
    report = _same(data, shapes=shapes)
    broken = {(r.focus.removeprefix("http://example.org/"), r.shape.removeprefix("http://example.org/"))
              for r in report.results}
    assert ("good", "Thing-label") not in broken and len(report.results) > 30
    for shape in ("Thing-code", "Thing-size", "Thing-when", "Thing-colour", "Thing-note", "Thing-count", "Thing-kind",
                  "Thing-ref", "Thing-other", "Thing-label", "Thing-name"):
        assert ("bad", shape) in broken, shape
    assert not any(shape == "Thing-off" for _, shape in broken)
    severities = {r.shape.removeprefix("http://example.org/"): r.severity for r in report.results}
    assert severities["ThingShape"] == "Info" and severities["Thing-label"] == "Violation"   # ex:Grave
    _same(data, shapes=shapes, resources=["http://example.org/bad", "http://example.org/good"])
    _same(Dataset(from_rdflib(data)), shapes=shapes)       # in a store: the same, with origins


def test_unsupported_shapes_are_validated_by_pyshacl(tmp_path: Path) -> None:
    shapes = ENGINES / "unsupported.shapes.ttl"
    data = rdflib.Graph().parse(ENGINES / "features.ttl")
    ex = rdflib.Namespace("http://example.org/")
    data.add((ex.gadget, rdflib.RDF.type, ex.Gadget))
    data.add((ex.gadget, ex.code, rdflib.Literal("G1")))
    shapes_graph = _load_shapes(str(shapes), *_stat(shapes))
    blank = next(s for s in shapes_graph.subjects(rdflib.SH.targetClass, None) if isinstance(s, rdflib.BNode))
    # the blank-node shape: pySHACL is told which shapes to validate by IRI, so it validates all
    assert read_shapes(shapes_graph).native == ()
    report = _same(data, shapes=shapes)
    assert any(r.shape == f"_:{blank}" for r in report.results)
    without_blank = rdflib.Graph()
    for t in shapes_graph:
        if blank not in t:
            without_blank.add(t)
    sorted_out = read_shapes(without_blank)
    native = {str(s.node).removeprefix("http://example.org/") for s in sorted_out.native}
    assert native == {"Thing-label", "Thing-count"}
    assert {str(s).removeprefix("http://example.org/") for s in sorted_out.others} == {
        "Thing-code-length", "Good-only", "Thing-note", "Thing-deep", "Gadget"}
    file = tmp_path / "unsupported.shapes.ttl"
    without_blank.serialize(file, format="turtle")
    report = _same(data, shapes=file)
    found = {r.shape.removeprefix("http://example.org/") for r in report.results}
    assert {"Thing-label", "Thing-count", "Thing-code-length", "Thing-note", "Thing-deep", "Gadget"} <= found
    assert any(r.shape.startswith("_:") for r in report.results)     # the sh:property shape nested in Good-only
    _same(data, shapes=file, resources=["http://example.org/bad"])


def test_engine_must_be_known(seed_dataset: Dataset) -> None:
    with pytest.raises(ValueError, match="engine"):
        validate(seed_dataset, engine="fast")  # type: ignore[arg-type]
