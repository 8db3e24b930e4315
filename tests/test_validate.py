"""validate(): the report API, where results come from (origins), the rdflib inputs, and incremental
validation of a few resources agreeing with the full validation (with the default, native engine;
tests/test_shacl_engines.py checks it against pySHACL)."""

from __future__ import annotations

import dataclasses
import json
import time

import pyoxigraph as ox
import pytest
import rdflib

import portlod
from portlod import records as r
from portlod.dataset import INFERRED_GRAPH, Dataset
from portlod._shacl_pyshacl import TripleIndex, full_copy
from portlod.validate import Engine, Origin, ValidationReport, ValidationResult, _load_shapes, validate

ID = "https://w3id.org/portlod/id/"
PL = "https://w3id.org/portlod/ontology#"
PLSH = "https://w3id.org/portlod/shapes#"
XSD = "http://www.w3.org/2001/XMLSchema#"

GOTHENBURG_MOU = ID + "agreement/2023-03-pola-gothenburg-mou"
YOKOHAMA_MOU = ID + "agreement/2023-03-16-pola-yokohama-mou"
PACMAR = "sources/pacmar-port-of-la-japanese-swedish-ports.yaml"
KTLA = "sources/ktla-2023-03-16-port-of-la-gsc.yaml"


def _copy(ds: Dataset) -> Dataset:
    store = ox.Store()
    store.extend(list(ds.store))
    return Dataset(store)


def _quad(s: str, p: str, o: ox.NamedNode | ox.Literal, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, ox.NamedNode(g))


@pytest.fixture(scope="module")
def faulty(seed_dataset: Dataset) -> Dataset:
    """The seed data with faults injected into named graphs of its store."""
    ds = _copy(seed_dataset)
    status = ID + "initiative/pola-tokyo-gsc/status/pacmar-port-of-la-japanese-swedish-ports-p7-announced"
    paragraph7 = ID + "graph/pacmar-port-of-la-japanese-swedish-ports/p7"
    ds.store.remove(_quad(status, PL + "status", ox.NamedNode(PL + "Announced"), paragraph7))
    ds.store.extend([
        # a signing date as a plain string, stated in KTLA paragraph 2
        _quad(YOKOHAMA_MOU, PL + "signedOn", ox.Literal("yesterday"), ID + "graph/ktla-2023-03-16-port-of-la-gsc/p2"),
        # an agreement status where an initiative status belongs, stated in PacMar paragraph 7
        _quad(status, PL + "status", ox.NamedNode(PL + "Signed"), paragraph7),
        # a label without a language tag on a registry entry
        _quad(ID + "port/USLAX", "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal("LA"),
              ID + "graph/portlod-ports/port-USLAX"),
    ])
    return ds


@pytest.fixture(scope="module")
def faulty_report(faulty: Dataset) -> ValidationReport:
    return validate(faulty)


# -- the report ---------------------------------------------------------------------------------------


def test_report_is_frozen(faulty_report: ValidationReport) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        faulty_report.conforms = True  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        faulty_report.results[0].message = "x"  # type: ignore[misc]


def test_conformance_counts_violations_only(faulty_report: ValidationReport, seed_dataset: Dataset) -> None:
    assert not faulty_report.conforms
    assert len(faulty_report.violations) == 3
    assert set(faulty_report.results) == set(faulty_report.violations + faulty_report.warnings + faulty_report.infos)
    seed = validate(seed_dataset)
    assert seed.conforms and seed.warnings and not seed.violations   # warnings do not break conformance
    assert "Violation" not in seed.text()


def test_results_are_typed(faulty_report: ValidationReport) -> None:
    date = next(x for x in faulty_report.violations if x.path == PL + "signedOn")
    assert date.focus == YOKOHAMA_MOU
    assert date.value == f'"yesterday"^^<{XSD}string>'
    assert date.shape == PLSH + "Agreement-signedOn"
    assert date.component == "http://www.w3.org/ns/shacl#OrConstraintComponent"   # xsd:date, gYearMonth or gYear
    assert "xsd:date" in date.message
    label = next(x for x in faulty_report.violations if x.shape == PLSH + "label-language")
    assert label.value == f'"LA"^^<{XSD}string>'


def test_by_resource_groups_results(faulty_report: ValidationReport) -> None:
    groups = faulty_report.by_resource()
    assert list(groups) == sorted(groups)
    assert sum(len(g) for g in groups.values()) == len(faulty_report.results)
    for focus, results in groups.items():
        assert results and all(x.focus == focus for x in results)
    assert YOKOHAMA_MOU in groups and ID + "port/USLAX" in groups


def test_text_is_readable(faulty_report: ValidationReport) -> None:
    text = faulty_report.text()
    assert text.startswith("Validation: does not conform: 3 violations,")
    for result in faulty_report.results:
        assert result.message in text
    assert f"stated in {KTLA}:" in text and "(paragraph 2)" in text
    assert "plsh:Agreement-signedOn" in text


def test_to_dict_round_trips_through_json(faulty_report: ValidationReport) -> None:
    data = faulty_report.to_dict()
    again = json.loads(json.dumps(data))
    assert again == data
    assert again["conforms"] is False
    assert again["counts"] == {"violations": 3, "warnings": len(faulty_report.warnings), "infos": 0}
    rebuilt = tuple(ValidationResult(**{**x, "origins": tuple(Origin(**o) for o in x["origins"])})
                    for x in again["results"])
    assert rebuilt == faulty_report.results


def _graph_results(graph: rdflib.Graph) -> list[rdflib.term.Node]:
    SH = rdflib.namespace.SH
    return [x for report in graph.subjects(rdflib.RDF.type, SH.ValidationReport) for x in graph.objects(report, SH.result)]


def test_report_graph_holds_the_results(faulty_report: ValidationReport, seed_dataset: Dataset) -> None:
    SH = rdflib.namespace.SH
    assert (None, SH.conforms, rdflib.Literal(False)) in faulty_report.graph
    assert len(_graph_results(faulty_report.graph)) == len(faulty_report.results)
    seed = validate(seed_dataset)   # warnings only: the report graph agrees that the data conforms
    assert (None, SH.conforms, rdflib.Literal(True)) in seed.graph
    assert len(_graph_results(seed.graph)) == len(seed.warnings) > 0


# -- origins: where the offending facts are stated -----------------------------------------------------


def _line(sources: r.SourceSet, key: str, para: int) -> int | None:
    """The line of a paragraph, from the records (not from the store the origins come from)."""
    doc = next(d for d in sources.documents if d.source.key == key)
    return next(p.line for p in doc.paragraphs if p.para == para)


def _port_line(sources: r.SourceSet, code: str) -> int | None:
    port = next(p for reg in sources.registries for p in reg.ports if p.code == code)
    return port.origin.line if port.origin else None


def test_origin_of_an_injected_quad(faulty_report: ValidationReport, seed_sources: r.SourceSet) -> None:
    date = next(x for x in faulty_report.violations if x.path == PL + "signedOn")
    ktla_p2 = _line(seed_sources, "ktla-2023-03-16-port-of-la-gsc", 2)
    assert date.origins == (Origin(ID + "graph/ktla-2023-03-16-port-of-la-gsc/p2", KTLA, ktla_p2, 2),)
    status = next(x for x in faulty_report.violations if x.path == PL + "status")
    assert [(o.source_file, o.paragraph) for o in status.origins] == [(PACMAR, 7)]
    label = next(x for x in faulty_report.violations if x.shape == PLSH + "label-language")
    assert label.origins == (Origin(ID + "graph/portlod-ports/port-USLAX", "registry/ports.yaml",
                                    _port_line(seed_sources, "USLAX"), None),)


def _without_party(sources: r.SourceSet, agreement: str, party: str) -> r.SourceSet:
    def fix(stmt: r.Statement) -> r.Statement:
        if isinstance(stmt, r.AgreementStatement) and stmt.key == agreement:
            return dataclasses.replace(stmt, parties=tuple(p for p in stmt.parties if p != party))
        return stmt

    documents = tuple(
        dataclasses.replace(doc, paragraphs=tuple(
            dataclasses.replace(para, statements=tuple(fix(s) for s in para.statements)) for para in doc.paragraphs))
        for doc in sources.documents)
    return dataclasses.replace(sources, documents=documents)


def test_origins_of_an_agreement_that_lost_a_party(seed_sources: r.SourceSet) -> None:
    """Records made in code: the Gothenburg MOU without the Port of Gothenburg has one party; the
    result points to the two PacMar paragraphs that name its parties."""
    ds = portlod.build(_without_party(seed_sources, "2023-03-pola-gothenburg-mou", "port-of-gothenburg"))
    report = validate(ds)
    assert not report.conforms
    (result,) = report.violations
    assert (result.focus, result.shape, result.path) == (GOTHENBURG_MOU, PLSH + "Agreement-party-count", PL + "party")
    key = "pacmar-port-of-la-japanese-swedish-ports"
    assert [(o.source_file, o.line, o.paragraph) for o in result.origins] == [
        (PACMAR, _line(seed_sources, key, 1), 1), (PACMAR, _line(seed_sources, key, 16), 16)]
    assert all(o.graph.startswith(ID + "graph/pacmar-port-of-la-japanese-swedish-ports/p") for o in result.origins)


def test_origin_of_a_fact_graph_without_passage(seed_dataset: Dataset) -> None:
    ds = _copy(seed_dataset)
    graph = ID + "graph/ktla-2023-03-16-port-of-la-gsc/p2"
    ds.store.remove(_quad(graph, PL + "derivedFrom", ox.NamedNode(ID + "source/ktla-2023-03-16-port-of-la-gsc/p2"),
                          ID + "graph/sources"))
    (result,) = validate(ds).violations
    assert (result.focus, result.shape) == (graph, PLSH + "FactGraph-derivedFrom")
    assert result.origins == (Origin(ID + "graph/sources", None, None, None),)


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_number_that_is_not_one_is_reported_quietly(seed_dataset: Dataset, engine: Engine) -> None:
    """A latitude "north"^^xsd:decimal: rdflib warns when writing it in N-Triples syntax, which
    (warnings being errors in the tests) failed the validation."""
    ds = _copy(seed_dataset)
    position = ID + "port/USLGB/position/unlocode"
    ds.store.add(_quad(position, PL + "latitude", ox.Literal("north", datatype=ox.NamedNode(XSD + "decimal")),
                       ID + "graph/unlocode/USLGB"))
    report = validate(ds, engine=engine)
    values = {x.value for x in report.violations if x.focus == position}
    assert values == {f'"north"^^<{XSD}decimal>', None}    # not a decimal; and two latitudes


def test_inferred_graph_is_not_validated(seed_dataset: Dataset) -> None:
    ds = _copy(seed_dataset)
    ds.store.add(ox.Quad(ox.NamedNode(YOKOHAMA_MOU), ox.NamedNode(PL + "signedOn"), ox.Literal("never"), INFERRED_GRAPH))
    assert validate(ds).results == validate(seed_dataset).results


# -- other inputs -------------------------------------------------------------------------------------


def test_rdflib_dataset_keeps_origins(faulty: Dataset, faulty_report: ValidationReport) -> None:
    assert validate(faulty.to_rdflib()).results == faulty_report.results


def test_rdflib_graph_has_no_origins(faulty: Dataset, faulty_report: ValidationReport) -> None:
    report = validate(faulty.to_rdflib_graph())
    assert report.results == tuple(dataclasses.replace(x, origins=()) for x in faulty_report.results)


def test_input_graph_is_not_changed(faulty: Dataset) -> None:
    graph = faulty.to_rdflib_graph()
    before = len(graph)
    validate(graph)
    validate(graph, resources=[YOKOHAMA_MOU])
    assert len(graph) == before


def test_copy_answers_triple_patterns_like_rdflib(seed_dataset: Dataset) -> None:
    """The graph handed to pySHACL (its own store, filled from the pyoxigraph store) holds the
    same triples as rdflib's default store and answers every triple pattern the same way."""
    copy = full_copy(seed_dataset.store, None)
    reference = seed_dataset.to_rdflib_graph()
    assert len(copy) == len(reference) == len(set(copy))
    assert set(copy) == set(reference)
    for s, p, o in list(reference)[::7]:
        for pattern in [(s, p, o), (s, p, None), (s, None, o), (None, p, o), (s, None, None), (None, p, None),
                        (None, None, o)]:
            assert set(copy.triples(pattern)) == set(reference.triples(pattern)), pattern
    missing = rdflib.URIRef(ID + "nothing")
    assert list(copy.triples((missing, None, None))) == list(copy.triples((None, None, missing))) == []
    copy.add((missing, rdflib.RDFS.label, rdflib.Literal("x")))
    copy.add((missing, rdflib.RDFS.label, rdflib.Literal("x")))
    assert len(copy) == len(reference) + 1
    assert list(copy.triples((None, None, rdflib.Literal("x")))) == [(missing, rdflib.RDFS.label, rdflib.Literal("x"))]
    copy.remove((missing, None, None))
    assert list(copy.triples((None, None, rdflib.Literal("x")))) == []
    assert len(copy) == len(reference) and set(copy) == set(reference)
    assert isinstance(copy.store, TripleIndex)
    copy.store.clear()
    assert len(copy) == 0 and list(copy) == []


def test_other_input_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        validate("data")  # type: ignore[arg-type]


def test_shapes_are_parsed_once_per_process(seed_dataset: Dataset) -> None:
    validate(seed_dataset)
    misses = _load_shapes.cache_info().misses
    validate(seed_dataset)
    validate(seed_dataset, resources=[YOKOHAMA_MOU])
    assert _load_shapes.cache_info().misses == misses


# -- incremental validation ---------------------------------------------------------------------------


def _restricted(full: ValidationReport, part: ValidationReport) -> set[ValidationResult]:
    assert part.focus is not None
    covered = set(part.focus)
    return {x for x in full.results if x.focus in covered}


@pytest.mark.parametrize("resources, faults", [
    ([YOKOHAMA_MOU], 1),                       # an sh:or violation on a literal
    ([ID + "port/USLAX"], 1),                  # plus a warning
    ([ID + "initiative/pola-tokyo-gsc", ID + "initiative/pola-shanghai-gsc"], 2),
    ([ID + "graph/ktla-2023-03-16-port-of-la-gsc/p2", ID + "source/ktla-2023-03-16-port-of-la-gsc"], 0),
    ([ID + "quotation/pacmar-port-of-la-japanese-swedish-ports/p10-shinya-hitomi"], 1),  # about the MOU
])
def test_incremental_agrees_with_full(faulty: Dataset, faulty_report: ValidationReport, resources: list[str],
                                      faults: int) -> None:
    part = validate(faulty, resources=resources)
    assert part.focus is not None and set(resources) <= set(part.focus)
    assert set(part.results) == _restricted(faulty_report, part)
    assert len(part.violations) == faults
    assert part.conforms == (faults == 0)


def test_incremental_covers_the_linked_nodes(faulty: Dataset) -> None:
    part = validate(faulty, resources=[ID + "initiative/pola-tokyo-gsc"])
    assert part.focus is not None
    status = ID + "initiative/pola-tokyo-gsc/status/pacmar-port-of-la-japanese-swedish-ports-p7-announced"
    assert status in part.focus and ID + "port/USLAX" in part.focus
    assert {x.focus for x in part.violations} == {status, ID + "port/USLAX"}
    assert part.summary().startswith("does not conform (")
    # the report graph holds the same results, not those about nodes outside the extract's core
    SH = rdflib.namespace.SH
    graph_focus = {str(part.graph.value(x, SH.focusNode)) for x in _graph_results(part.graph)}
    assert graph_focus == {x.focus for x in part.results}
    assert (None, SH.conforms, rdflib.Literal(False)) in part.graph


def test_incremental_over_everything_is_the_full_validation(faulty: Dataset, faulty_report: ValidationReport) -> None:
    subjects = sorted({q.subject.value for q in faulty.store if isinstance(q.subject, ox.NamedNode)})
    assert validate(faulty, resources=subjects).results == faulty_report.results


def test_incremental_on_an_rdflib_graph(faulty: Dataset, faulty_report: ValidationReport) -> None:
    part = validate(faulty.to_rdflib_graph(), resources=[YOKOHAMA_MOU])
    assert set(part.results) == {dataclasses.replace(x, origins=()) for x in _restricted(faulty_report, part)}


def test_no_resources_is_nothing_to_check(faulty: Dataset) -> None:
    report = validate(faulty, resources=[])
    assert report.conforms and report.results == () and report.focus == ()


def test_incremental_cost_does_not_grow_with_the_data(seed_dataset: Dataset) -> None:
    """Unrelated data does not enter the extract: 100 000 more quads change neither the result
    nor (much) the time."""
    small = validate(seed_dataset, resources=[YOKOHAMA_MOU])
    big = _copy(seed_dataset)
    big.store.extend(_quad(f"{ID}agreement/synthetic-{i}", PL + "party", ox.NamedNode(f"{ID}org/synthetic-{i % 997}"),
                           f"{ID}graph/synthetic/p{i % 101}") for i in range(100_000))
    start = time.perf_counter()
    large = validate(big, resources=[YOKOHAMA_MOU])
    elapsed = time.perf_counter() - start
    assert large.results == small.results and large.focus == small.focus
    assert elapsed < 1.0


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_resources_may_be_resource_paths(seed_dataset: Dataset, engine: str) -> None:
    """Regression: validate(resources=["port/USLAX"]) raised pyoxigraph's ValueError on the native engine."""
    by_path = validate(seed_dataset, resources=["port/USLAX"], engine=engine)  # type: ignore[arg-type]
    by_iri = validate(seed_dataset, resources=["https://w3id.org/portlod/id/port/USLAX"], engine=engine)  # type: ignore[arg-type]
    assert by_path.focus == by_iri.focus and by_path.focus
    with pytest.raises(ValueError, match="neither an IRI nor a resource path"):
        validate(seed_dataset, resources=["not an iri"], engine=engine)  # type: ignore[arg-type]
