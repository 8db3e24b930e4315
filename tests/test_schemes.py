"""Structural tests for the SKOS concept schemes in ontology/: themes, fuels, roles."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

ONTOLOGY = Path(__file__).parents[1] / "ontology"

THEME = Namespace("https://w3id.org/portlod/theme/")
FUEL = Namespace("https://w3id.org/portlod/fuel/")
ROLE = Namespace("https://w3id.org/portlod/role/")
ORG = Namespace("http://www.w3.org/ns/org#")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")

# file name -> (namespace, scheme IRI)
SCHEMES: dict[str, tuple[Namespace, URIRef]] = {
    "themes.ttl": (THEME, THEME.scheme),
    "fuels.ttl": (FUEL, FUEL.scheme),
    "roles.ttl": (ROLE, ROLE.scheme),
}
FILES = list(SCHEMES)


@cache
def load(name: str) -> Graph:
    g = Graph()
    g.parse(ONTOLOGY / name, format="turtle")
    return g


def concepts(g: Graph, scheme: URIRef) -> set[URIRef]:
    return {c for c in g.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)}


def top_concepts(g: Graph, scheme: URIRef) -> set[URIRef]:
    return set(g.objects(scheme, SKOS.hasTopConcept))  # type: ignore[arg-type]


def en_values(g: Graph, s: URIRef, p: URIRef) -> list[Literal]:
    return [o for o in g.objects(s, p) if isinstance(o, Literal) and o.language == "en"]


def local_name(iri: URIRef, ns: Namespace) -> str:
    return str(iri)[len(str(ns)) :]


# ---------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_parses_with_rdflib(name: str) -> None:
    assert len(load(name)) > 0


@pytest.mark.parametrize("name", FILES)
def test_parses_with_pyoxigraph(name: str) -> None:
    triples = set(pyoxigraph.parse(path=ONTOLOGY / name, format=pyoxigraph.RdfFormat.TURTLE))
    assert triples
    # Both parsers must read the same graph (no blank nodes in these files).
    assert len(triples) == len(load(name))


# ---------------------------------------------------------------------------
# Checks shared by all three schemes
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_scheme_metadata(name: str) -> None:
    g = load(name)
    _, scheme = SCHEMES[name]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert len(en_values(g, scheme, DCTERMS.title)) == 1
    assert len(en_values(g, scheme, DCTERMS.description)) == 1
    assert (scheme, DCTERMS.license, CC_BY_4) in g


@pytest.mark.parametrize("name", FILES)
def test_every_concept_is_typed_and_in_scheme(name: str) -> None:
    g = load(name)
    ns, scheme = SCHEMES[name]
    typed = set(g.subjects(RDF.type, SKOS.Concept))
    assert typed == concepts(g, scheme)
    for c in typed:
        assert str(c).startswith(str(ns)), c
        assert set(g.objects(c, SKOS.inScheme)) == {scheme}, c


@pytest.mark.parametrize("name", FILES)
def test_one_preflabel_and_one_definition_in_english(name: str) -> None:
    g = load(name)
    _, scheme = SCHEMES[name]
    for c in concepts(g, scheme):
        assert len(list(g.objects(c, SKOS.prefLabel))) == 1, c
        assert len(en_values(g, c, SKOS.prefLabel)) == 1, c
        assert len(list(g.objects(c, SKOS.definition))) == 1, c
        assert len(en_values(g, c, SKOS.definition)) == 1, c
        assert str(en_values(g, c, SKOS.definition)[0]).strip(), c


@pytest.mark.parametrize("name", FILES)
def test_notation_is_local_name(name: str) -> None:
    g = load(name)
    ns, scheme = SCHEMES[name]
    for c in concepts(g, scheme):
        assert [str(n) for n in g.objects(c, SKOS.notation)] == [local_name(c, ns)]


@pytest.mark.parametrize("name", FILES)
def test_altlabels_are_english_lower_case(name: str) -> None:
    g = load(name)
    _, scheme = SCHEMES[name]
    for c in concepts(g, scheme):
        alts = list(g.objects(c, SKOS.altLabel))
        assert alts, f"{c} has no altLabel"
        for a in alts:
            assert isinstance(a, Literal) and a.language == "en", (c, a)
            assert str(a) == str(a).lower() == str(a).strip(), (c, a)


@pytest.mark.parametrize("name", FILES)
def test_labels_identify_one_concept(name: str) -> None:
    g = load(name)
    _, scheme = SCHEMES[name]
    pref: dict[str, set[URIRef]] = defaultdict(set)
    alt: dict[str, set[URIRef]] = defaultdict(set)
    for c in concepts(g, scheme):
        for p in g.objects(c, SKOS.prefLabel):
            pref[str(p).casefold()].add(c)
        for a in g.objects(c, SKOS.altLabel):
            alt[str(a).casefold()].add(c)
            # SKOS integrity condition S13: prefLabel and altLabel are disjoint.
            assert (c, SKOS.prefLabel, a) not in g, (c, a)
    assert {k: v for k, v in pref.items() if len(v) > 1} == {}
    assert {k: v for k, v in alt.items() if len(v) > 1} == {}
    # An altLabel may differ from its own prefLabel only by case, never match another one.
    clashes = {k: (alt[k], pref[k]) for k in alt if k in pref and alt[k] != pref[k]}
    assert clashes == {}


@pytest.mark.parametrize("name", FILES)
def test_top_concepts_consistent(name: str) -> None:
    g = load(name)
    _, scheme = SCHEMES[name]
    tops = top_concepts(g, scheme)
    assert tops
    assert tops == set(g.subjects(SKOS.topConceptOf, scheme))
    assert tops <= concepts(g, scheme)
    for t in tops:
        assert list(g.objects(t, SKOS.broader)) == [], t


@pytest.mark.parametrize("name", FILES)
def test_non_top_concepts_have_broader_in_scheme(name: str) -> None:
    g = load(name)
    _, scheme = SCHEMES[name]
    all_concepts = concepts(g, scheme)
    for c in all_concepts - top_concepts(g, scheme):
        broader = set(g.objects(c, SKOS.broader))
        assert broader, c
        assert broader <= all_concepts, c


def ancestors(g: Graph, c: URIRef) -> set[URIRef]:
    seen: set[URIRef] = set()
    todo = list(g.objects(c, SKOS.broader))
    while todo:
        b = todo.pop()
        if b not in seen:
            seen.add(b)  # type: ignore[arg-type]
            todo.extend(g.objects(b, SKOS.broader))
    return seen


@pytest.mark.parametrize("name", FILES)
def test_broader_hierarchy_is_acyclic(name: str) -> None:
    g = load(name)
    _, scheme = SCHEMES[name]
    for c in concepts(g, scheme):
        assert c not in ancestors(g, c), c


@pytest.mark.parametrize("name", FILES)
def test_related_is_symmetric_and_not_hierarchical(name: str) -> None:
    g = load(name)
    for a, b in g.subject_objects(SKOS.related):
        assert (b, SKOS.related, a) in g, (a, b)
        assert a != b
        # SKOS integrity condition S27: related is disjoint with broaderTransitive.
        assert b not in ancestors(g, a) and a not in ancestors(g, b), (a, b)  # type: ignore[arg-type]


def test_no_label_shared_across_schemes() -> None:
    owner: dict[str, set[URIRef]] = defaultdict(set)
    for name, (_, scheme) in SCHEMES.items():
        g = load(name)
        for c in concepts(g, scheme):
            for p in (SKOS.prefLabel, SKOS.altLabel):
                for label in g.objects(c, p):
                    owner[str(label).casefold()].add(c)
    assert {k: v for k, v in owner.items() if len(v) > 1} == {}


# ---------------------------------------------------------------------------
# Themes
# ---------------------------------------------------------------------------

THEME_TOP = {
    "Decarbonization",
    "EnvironmentalStewardship",
    "DigitalizationAndEfficiency",
    "TradeAndInfrastructure",
    "CooperationAndGovernance",
}
THEME_BROADER = {
    "GreenShippingCorridor": "Decarbonization",
    "ZeroEmissionVessels": "Decarbonization",
    "AlternativeFuels": "Decarbonization",
    "BunkeringInfrastructure": "AlternativeFuels",
    "ShorePower": "Decarbonization",
    "ZeroEmissionVehicles": "Decarbonization",
    "CargoHandlingEquipment": "Decarbonization",
    "EnergyUseAndAlternativeEnergy": "Decarbonization",
    "PollutionReduction": "EnvironmentalStewardship",
    "SupplyChainDigitalization": "DigitalizationAndEfficiency",
    "OperationalEfficiency": "DigitalizationAndEfficiency",
    "TradeRouteDevelopment": "TradeAndInfrastructure",
    "InfrastructureDevelopment": "TradeAndInfrastructure",
    "BestPracticeExchange": "CooperationAndGovernance",
    "PolicyAndIncentives": "CooperationAndGovernance",
}
THEME_RELATED = [
    ("ShorePower", "EnergyUseAndAlternativeEnergy"),
    ("ZeroEmissionVessels", "AlternativeFuels"),
    ("GreenShippingCorridor", "ZeroEmissionVessels"),
    ("GreenShippingCorridor", "AlternativeFuels"),
    ("SupplyChainDigitalization", "OperationalEfficiency"),
    ("PollutionReduction", "ZeroEmissionVehicles"),
    ("PollutionReduction", "CargoHandlingEquipment"),
]

# Phrasing printed in the seed articles (and domain notes) -> theme it must resolve to.
SEED_PHRASES = {
    "digitation of the supply chain": "SupplyChainDigitalization",
    "digitalization of the supply chain": "SupplyChainDigitalization",
    "sustainability and environmental issues": "EnvironmentalStewardship",
    "environmental sustainability": "EnvironmentalStewardship",
    "strengthening trade routes": "TradeRouteDevelopment",
    "trade route strength": "TradeRouteDevelopment",
    "trade opportunities": "TradeRouteDevelopment",
    "maritime operational supply chain efficiencies": "OperationalEfficiency",
    "maritime operational supply chain efficiency": "OperationalEfficiency",
    "zero-emission vehicles": "ZeroEmissionVehicles",
    "cargo handling equipment": "CargoHandlingEquipment",
    "zero-emission vessels": "ZeroEmissionVessels",
    "exploring energy use and alternative energy sources": "EnergyUseAndAlternativeEnergy",
    "alternative energy sources": "EnergyUseAndAlternativeEnergy",
    "green energy use": "EnergyUseAndAlternativeEnergy",
    "pollution-reduction technologies": "PollutionReduction",
    "digital and physical infrastructure": "InfrastructureDevelopment",
    "sharing of best practices": "BestPracticeExchange",
    "low- and zero-carbon ships": "ZeroEmissionVessels",
    "low- and zero-carbon fuels": "AlternativeFuels",
    "green shipping corridor": "GreenShippingCorridor",
    "supply chain decarbonization": "Decarbonization",
    "tackling climate change": "Decarbonization",
}


def test_themes_has_the_20_concepts() -> None:
    g = load("themes.ttl")
    names = {local_name(c, THEME) for c in concepts(g, THEME.scheme)}
    assert len(names) == 20
    assert names == THEME_TOP | set(THEME_BROADER)


def test_themes_top_concepts() -> None:
    g = load("themes.ttl")
    assert {local_name(c, THEME) for c in top_concepts(g, THEME.scheme)} == THEME_TOP


@pytest.mark.parametrize(("narrower", "broader"), sorted(THEME_BROADER.items()))
def test_themes_broader(narrower: str, broader: str) -> None:
    g = load("themes.ttl")
    assert set(g.objects(THEME[narrower], SKOS.broader)) == {THEME[broader]}


@pytest.mark.parametrize(("a", "b"), THEME_RELATED)
def test_themes_related_links(a: str, b: str) -> None:
    g = load("themes.ttl")
    assert (THEME[a], SKOS.related, THEME[b]) in g
    assert (THEME[b], SKOS.related, THEME[a]) in g


@pytest.mark.parametrize(("phrase", "concept"), sorted(SEED_PHRASES.items()))
def test_seed_phrase_is_altlabel(phrase: str, concept: str) -> None:
    g = load("themes.ttl")
    assert (THEME[concept], SKOS.altLabel, Literal(phrase, lang="en")) in g


def test_zero_emission_vehicles_preflabel() -> None:
    g = load("themes.ttl")
    assert en_values(g, THEME.ZeroEmissionVehicles, SKOS.prefLabel) == [
        Literal("Zero-emission vehicles", lang="en")
    ]


# ---------------------------------------------------------------------------
# Fuels
# ---------------------------------------------------------------------------

FUEL_TOP = {"Ammonia", "Methanol", "Hydrogen", "Methane", "Biofuel", "Electricity"}


def test_fuels_top_concepts_and_size() -> None:
    g = load("fuels.ttl")
    assert {local_name(c, FUEL) for c in top_concepts(g, FUEL.scheme)} == FUEL_TOP
    assert len(concepts(g, FUEL.scheme)) < 16


@pytest.mark.parametrize(
    ("narrower", "broader"),
    [
        ("GreenAmmonia", "Ammonia"),
        ("BlueAmmonia", "Ammonia"),
        ("BioMethanol", "Methanol"),
        ("EMethanol", "Methanol"),
        ("GreenHydrogen", "Hydrogen"),
        ("BioMethane", "Methane"),
        ("EMethane", "Methane"),
        ("LNG", "Methane"),
    ],
)
def test_fuels_pathways(narrower: str, broader: str) -> None:
    g = load("fuels.ttl")
    assert set(g.objects(FUEL[narrower], SKOS.broader)) == {FUEL[broader]}


# ---------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------

ROLE_NAMES = {
    "ExecutiveDirector",
    "ChiefExecutiveOfficer",
    "President",
    "DirectorGeneral",
    "Chair",
    "Commissioner",
    "Minister",
    "Mayor",
    "Governor",
    "LieutenantGovernor",
    "SecretaryOfTransportation",
    "Ambassador",
    "Consul",
    "Other",
}


def test_roles_concepts_are_org_roles() -> None:
    g = load("roles.ttl")
    found = concepts(g, ROLE.scheme)
    assert {local_name(c, ROLE) for c in found} == ROLE_NAMES
    for c in found:
        assert (c, RDF.type, ORG.Role) in g, c


def resolve(g: Graph, printed: str) -> set[URIRef]:
    """Concepts whose prefLabel or altLabel matches a printed title, ignoring case."""
    key = printed.casefold()
    return {
        c  # type: ignore[misc]
        for p in (SKOS.prefLabel, SKOS.altLabel)
        for c, label in g.subject_objects(p)
        if str(label).casefold() == key
    }


@pytest.mark.parametrize(
    ("printed", "concept"),
    [
        ("Executive Director", "ExecutiveDirector"),
        ("CEO", "ChiefExecutiveOfficer"),
        ("President and CEO", "ChiefExecutiveOfficer"),
        ("Director General", "DirectorGeneral"),
        ("Lt. Gov.", "LieutenantGovernor"),
        ("Lieutenant Governor", "LieutenantGovernor"),
        ("Secretary of Transportation", "SecretaryOfTransportation"),
        ("Commissioner", "Commissioner"),
        ("Commission President", "Chair"),
        ("President", "President"),
    ],
)
def test_printed_titles_resolve(printed: str, concept: str) -> None:
    assert resolve(load("roles.ttl"), printed) == {ROLE[concept]}
