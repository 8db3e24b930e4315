"""The SHACL shapes: they parse, are SHACL Core, say what they check, agree with the ontology, pass
the seed data, and catch exactly what the bad fixtures get wrong (good/bad pairs, one violation per
bad file, under tests/data/shapes/)."""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl.entrypoints import meta_validate
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

import portlod
from portlod.errors import ValidatorError
from portlod.resources import path
from portlod.validate import ValidationReport, validate

PL = rdflib.Namespace("https://w3id.org/portlod/ontology#")
PLSH = rdflib.Namespace("https://w3id.org/portlod/shapes#")
THEME = rdflib.Namespace("https://w3id.org/portlod/theme/")
ROLE = rdflib.Namespace("https://w3id.org/portlod/role/")
FUEL = rdflib.Namespace("https://w3id.org/portlod/fuel/")
FIXTURES = Path(__file__).parent / "data" / "shapes"
ID = "https://w3id.org/portlod/id/"

# bad fixture → (the shape whose rule it breaks, the property path or None for a node-level rule)
EXPECTED: dict[str, tuple[str, str | None]] = {
    "agreement-one-party": ("Agreement-party-count", "party"),
    "agreement-party-is-person": ("Agreement-party", "party"),
    "agreement-signedon-plain-string": ("Agreement-signedOn", "signedOn"),
    "agreement-signedon-ill-typed": ("Agreement-signedOn", "signedOn"),
    "agreement-theme-not-in-scheme": ("Agreement-theme", "theme"),
    "corridor-one-endpoint": ("Corridor-endpoint-count", "endpoint"),
    "corridor-status-not-in-list": ("StatusAssertion-status", "status"),
    "port-malformed-unlocode": ("Port-unlocode", "unlocode"),
    "port-without-country": ("Port-country", "country"),
    "position-latitude-out-of-range": ("Position-latitude", "latitude"),
    "country-bad-code": ("Country-code", "countryCode"),
    "organization-label-without-language": ("label-language", str(RDFS.label)),
    "cluster-one-port": ("PortCluster-memberPort", "memberPort"),
    "membership-without-title": ("Membership-roleAsPrinted", "roleAsPrinted"),
    "signatory-names-nobody": ("ParticipationShape", None),
    "signatory-agent-not-a-person": ("Participation-agent", "agent"),
    "quotation-without-excerpt": ("Quotation-excerpt", "excerpt"),
    "factgraph-cites-no-passage": ("FactGraph-derivedFrom", "derivedFrom"),
    "passage-paragraph-zero": ("Passage-paragraph", "paragraph"),
    "source-url-plain-string": ("Source-url", "url"),
}
# warn fixture → the shape of its one warning (the data still conforms)
EXPECTED_WARNINGS = {
    "port-without-position": "Port-position-present",
    "agreement-without-date": "Agreement-signedOn-present",
    "port-two-countries": "Port-country-single",
}

# sh:in list of a property shape → the SKOS scheme (file and IRI) whose concepts it must list
SCHEME_LISTS = {
    "Agreement-theme": ("themes", THEME.scheme),
    "Initiative-theme": ("themes", THEME.scheme),
    "Event-theme": ("themes", THEME.scheme),
    "Membership-role": ("roles", ROLE.scheme),
    "Participation-role": ("roles", ROLE.scheme),
    "Initiative-fuel": ("fuels", FUEL.scheme),
}

# sh:in list of a property shape → the ontology class whose individuals it must list
ENUMERATIONS = {
    "Agreement-status": PL.AgreementStatus,
    "StatusAssertion-status": PL.InitiativeStatus,
    "CorridorParticipation-role": PL.ParticipantRole,
    "Initiative-tradeSegment": PL.TradeSegment,
    "Position-kind": PL.PositionKind,
}


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(path("shapes"))


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(path("ontology"))


def _fixture(kind: str, name: str) -> rdflib.Graph:
    return rdflib.Graph().parse(FIXTURES / kind / f"{name}.ttl")


def _path_iri(name: str | None) -> str | None:
    if name is None or name.startswith("http"):
        return name
    return str(PL[name])


def _describe(report: ValidationReport) -> str:
    return report.text()


# -- the files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["shapes", "ontology", "themes", "roles", "fuels"])
def test_parses_in_rdflib_and_pyoxigraph(name: str) -> None:
    file = path(name)
    ours = {(t.subject, t.predicate, t.object) for t in ox.parse(path=file, format=ox.RdfFormat.TURTLE)}
    theirs = rdflib.Graph().parse(file, format="turtle")
    assert len(ours) == len(theirs) > 0


def test_shapes_are_valid_shacl(shapes: rdflib.Graph) -> None:
    """The shapes graph conforms to the W3C SHACL-for-SHACL shapes (pySHACL's meta validation)."""
    conforms, _, text = meta_validate(shapes, inference="none")
    assert conforms, text


def test_shapes_are_shacl_core(shapes: rdflib.Graph) -> None:
    """No SPARQL-based constraints or targets, no rules, no JavaScript (performance.md: one
    sh:sparql constraint was 85-95 % of pySHACL's time)."""
    not_core = {SH.sparql, SH.select, SH.ask, SH.target, SH.rule, SH.js, SH.jsFunctionName, SH.condition}
    used = {p for p in shapes.predicates() if p in not_core}
    assert not used


def _shape_nodes(shapes: rdflib.Graph) -> set[rdflib.term.Node]:
    nodes: set[rdflib.term.Node] = set(shapes.subjects(RDF.type, SH.NodeShape))
    nodes |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.node))
    for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        nodes |= set(shapes.subjects(p, None))
    return nodes


def test_every_shape_is_named_and_has_a_message_and_severity(shapes: rdflib.Graph) -> None:
    """Every shape has an IRI (so a result names its rule), an English sh:message and one
    sh:severity. The operands of sh:or lists are not shapes of their own in this sense: their
    results are reported by the shape that holds the sh:or, with its message."""
    shape_nodes = _shape_nodes(shapes)
    assert len(shape_nodes) > 100
    problems = []
    for node in sorted(shape_nodes, key=str):
        if not isinstance(node, rdflib.URIRef) or not str(node).startswith(str(PLSH)):
            problems.append(f"{node}: not a plsh: IRI")
            continue
        messages = [m for m in shapes.objects(node, SH.message)
                    if isinstance(m, rdflib.Literal) and m.language == "en" and len(str(m)) > 20]
        severities = list(shapes.objects(node, SH.severity))
        if len(messages) != 1:
            problems.append(f"{node}: {len(messages)} English sh:message")
        if severities not in ([SH.Violation], [SH.Warning], [SH.Info]):
            problems.append(f"{node}: sh:severity {severities}")
    assert not problems, "\n".join(problems)


def test_warnings_are_for_what_may_be_missing(shapes: rdflib.Graph) -> None:
    """The warning shapes are minCount checks (something may legitimately be absent) or the
    maxCount check on a port's country (sources may disagree)."""
    warnings = set(shapes.subjects(SH.severity, SH.Warning))
    assert {PLSH["Port-position-present"], PLSH["Agreement-signedOn-present"]} <= warnings
    for node in warnings:
        assert (node, SH.minCount, rdflib.Literal(1)) in shapes or node == PLSH["Port-country-single"], node


def test_shape_terms_are_in_the_ontology(shapes: rdflib.Graph, ontology: rdflib.Graph) -> None:
    """Every pl: term the shapes use is declared in the ontology, and every target is a class."""
    declared = set(ontology.subjects())
    used = {t for triple in shapes for t in triple if isinstance(t, rdflib.URIRef) and str(t).startswith(str(PL))}
    assert used - declared == set()
    for target in shapes.objects(None, SH.targetClass):
        assert (target, RDF.type, OWL.Class) in ontology, target


@pytest.mark.parametrize("shape, cls", sorted(ENUMERATIONS.items()))
def test_enumerations_match_the_ontology(shapes: rdflib.Graph, ontology: rdflib.Graph, shape: str,
                                         cls: rdflib.URIRef) -> None:
    members = shapes.value(PLSH[shape], SH["in"])
    assert members is not None
    listed = set(Collection(shapes, members))
    assert listed == set(ontology.subjects(RDF.type, cls))


@pytest.mark.parametrize("shape, scheme", sorted(SCHEME_LISTS.items()))
def test_concept_lists_match_the_schemes(shapes: rdflib.Graph, shape: str, scheme: tuple[str, rdflib.URIRef]) -> None:
    """A theme, role or fuel must be a concept of its scheme: written as an sh:in list of the
    scheme's concepts rather than a nested shape (sh:node) checking skos:inScheme per value."""
    name, iri = scheme
    members = shapes.value(PLSH[shape], SH["in"])
    assert members is not None
    concepts = rdflib.Graph().parse(path(name))
    in_scheme = {c for c in concepts.subjects(SKOS.inScheme, iri) if (c, RDF.type, SKOS.Concept) in concepts}
    assert set(Collection(shapes, members)) == in_scheme
    assert in_scheme


def test_property_shapes_have_their_own_targets(shapes: rdflib.Graph) -> None:
    """pySHACL evaluates a shape linked with sh:property or sh:node once per focus or value node,
    and a shape with its own target once for all its focus nodes (several times faster on the
    sea-port registry). So no shape is linked, and every property shape has a target class."""
    assert list(shapes.subject_objects(SH.property)) == []
    assert list(shapes.subject_objects(SH.node)) == []
    untargeted = [s for s in shapes.subjects(RDF.type, SH.PropertyShape) if (s, SH.targetClass, None) not in shapes]
    assert untargeted == []


def test_class_unions_stand_for_their_members(shapes: rdflib.Graph) -> None:
    """sh:class plsh:Party is "an organization, a port or a country" (and plsh:EventOrSeries "an
    event or an event series"): validate() adds these rdfs:subClassOf statements of the shapes
    file to the data, so a port or a country is a party and a person is not."""
    assert set(shapes.subjects(RDFS.subClassOf, PLSH.Party)) == {PL.Organization, PL.Port, PL.Country}
    assert set(shapes.subjects(RDFS.subClassOf, PLSH.EventOrSeries)) == {PL.Event, PL.EventSeries}
    graph = _fixture("good", "agreement-party-is-person")
    agreement = rdflib.URIRef("https://w3id.org/portlod/id/agreement/2023-03-pola-tokyo-mou")
    port, country = rdflib.URIRef(ID + "port/SEGOT"), rdflib.URIRef(ID + "country/SE")
    graph.add((port, RDF.type, PL.Port))
    graph.add((country, RDF.type, PL.Country))
    graph.add((agreement, PL.party, port))
    graph.add((agreement, PL.party, country))
    event, series = rdflib.URIRef(ID + "event/mission"), rdflib.URIRef(ID + "event/series")
    graph.add((event, RDF.type, PL.TradeMission))
    graph.add((series, RDF.type, PL.EventSeries))
    graph.add((event, PL.partOf, series))
    graph.add((series, PL.partOf, event))

    rules = {str(PLSH["Agreement-party"]), str(PLSH["Event-partOf"])}

    def broken(g: rdflib.Graph) -> set[tuple[str, str | None]]:
        return {(r.shape, r.value) for r in validate(g).results if r.shape in rules}

    assert broken(graph) == set()
    person = rdflib.URIRef("https://w3id.org/portlod/id/person/gene-seroka")
    graph.add((agreement, PL.party, person))
    graph.add((event, PL.partOf, port))
    assert broken(graph) == {(str(PLSH["Agreement-party"]), str(person)), (str(PLSH["Event-partOf"]), str(port))}


def test_every_class_in_the_seed_data_has_a_shape(seed_dataset: portlod.Dataset, shapes: rdflib.Graph,
                                                 ontology: rdflib.Graph) -> None:
    targets = set(shapes.objects(None, SH.targetClass))
    classes = {rdflib.URIRef(str(q.object.value))
               for q in seed_dataset.store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), None)
               if isinstance(q.object, ox.NamedNode)}
    uncovered = {c for c in classes
                 if not targets & set(ontology.transitive_objects(c, RDFS.subClassOf))}
    assert uncovered == set()


# -- the seed data ----------------------------------------------------------------------------------


def test_seed_data_conforms(seed_dataset: portlod.Dataset) -> None:
    report = validate(seed_dataset)
    assert report.conforms, _describe(report)
    assert report.violations == ()
    # the seed ports without coordinates are the only warnings
    assert {r.shape for r in report.warnings} <= {str(PLSH["Port-position-present"])}, _describe(report)


def test_seed_validation_is_fast(seed_dataset: portlod.Dataset) -> None:
    validate(seed_dataset)  # shapes and schemes read once per process; the timing is per call
    start = time.perf_counter()
    validate(seed_dataset)
    assert time.perf_counter() - start < 2.0


# -- good/bad fixture pairs -------------------------------------------------------------------------


def test_every_bad_fixture_has_a_good_twin_and_an_expectation() -> None:
    bad = {f.stem for f in (FIXTURES / "bad").glob("*.ttl")}
    good = {f.stem for f in (FIXTURES / "good").glob("*.ttl")}
    assert bad == set(EXPECTED)
    assert bad <= good
    assert {f.stem for f in (FIXTURES / "warn").glob("*.ttl")} == set(EXPECTED_WARNINGS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture_has_exactly_the_expected_violation(name: str, shapes: rdflib.Graph) -> None:
    shape, prop = EXPECTED[name]
    report = validate(_fixture("bad", name))
    assert not report.conforms
    assert len(report.results) == 1, _describe(report)
    (result,) = report.results
    assert result.severity == "Violation"
    assert result.shape == str(PLSH[shape])
    assert result.path == _path_iri(prop)
    assert result.message == str(shapes.value(PLSH[shape], SH.message))


@pytest.mark.parametrize("name", sorted(f.stem for f in (FIXTURES / "good").glob("*.ttl")))
def test_good_fixture_conforms_without_any_result(name: str) -> None:
    report = validate(_fixture("good", name))
    assert report.conforms
    assert report.results == (), _describe(report)


@pytest.mark.parametrize("name", sorted(EXPECTED_WARNINGS))
def test_warnings_do_not_break_conformance(name: str) -> None:
    report = validate(_fixture("warn", name))
    assert report.conforms, _describe(report)
    assert [(r.severity, r.shape) for r in report.results] == [("Warning", str(PLSH[EXPECTED_WARNINGS[name]]))]


def test_sources_may_disagree() -> None:
    """Two signing dates and two names on one agreement (two sources) are not a violation."""
    graph = _fixture("good", "sources-disagree")
    agreement = rdflib.URIRef("https://w3id.org/portlod/id/agreement/2023-03-pola-tokyo-mou")
    assert len(set(graph.objects(agreement, PL.signedOn))) == 2
    assert len(set(graph.objects(agreement, RDFS.label))) == 2
    assert validate(graph).results == ()


# -- a broken shapes file is a validator failure, not a result ----------------------------------------


def test_shapes_syntax_error_names_file_and_line(tmp_path: Path, seed_dataset: portlod.Dataset) -> None:
    lines = path("shapes").read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if "sh:minCount 2 ;" in line)
    lines[target] = lines[target].replace("sh:minCount 2 ;", "sh:minCount 2 ;; ]")
    broken = tmp_path / "broken.shapes.ttl"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidatorError) as info:
        validate(seed_dataset, shapes=broken)
    message = str(info.value)
    assert str(broken) in message
    assert f":{target + 1}:" in message
    assert "syntax error" in message


def test_shapes_pyshacl_cannot_load_names_file(tmp_path: Path, seed_dataset: portlod.Dataset) -> None:
    text = path("shapes").read_text(encoding="utf-8").replace("sh:minCount 2 ;", 'sh:minCount "two" ;', 1)
    broken = tmp_path / "bad-count.shapes.ttl"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ValidatorError, match="minCount") as info:
        validate(seed_dataset, shapes=broken)
    assert str(broken) in str(info.value)


def test_missing_shapes_file(tmp_path: Path, seed_dataset: portlod.Dataset) -> None:
    missing = tmp_path / "nowhere.ttl"
    with pytest.raises(ValidatorError, match="nowhere.ttl"):
        validate(seed_dataset, shapes=missing)


def test_validator_error_is_a_runtime_error() -> None:
    assert issubclass(ValidatorError, RuntimeError)
    assert issubclass(ValidatorError, portlod.PortlodError)
