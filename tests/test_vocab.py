"""The checked namespace and the ontology declare the same terms; every ontology term is
documented and typed as exactly one kind of property or class."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from portlod.resources import path
from portlod.vocab import PL, PREFIXES

NS = str(PL._NS)
ONTOLOGY = rdflib.Graph().parse(path("ontology"))


def _ontology_terms() -> set[str]:
    return {str(s)[len(NS):] for s in ONTOLOGY.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(NS)}


def _vocab_terms() -> set[str]:
    source = Path(__file__).resolve().parents[1] / "src" / "portlod" / "vocab.py"
    return set(re.findall(r"^    (\w+): URIRef", source.read_text(encoding="utf-8"), flags=re.M))


def test_vocab_and_ontology_declare_the_same_terms() -> None:
    missing = _ontology_terms() - _vocab_terms()
    extra = _vocab_terms() - _ontology_terms()
    assert not missing and not extra, (
        f"vocab.py lacks {sorted(missing)} and has extra {sorted(extra)}: run python scripts/gen_vocab.py")


def test_misspelt_term_raises() -> None:
    assert PL.GreenShippingCorridor == rdflib.URIRef(NS + "GreenShippingCorridor")
    with pytest.raises(AttributeError):
        PL.GreenShipingCorridor  # noqa: B018


KINDS = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


@pytest.mark.parametrize("term", sorted(_ontology_terms()))
def test_every_term_is_labelled_and_documented(term: str) -> None:
    iri = rdflib.URIRef(NS + term)
    labels = [l for l in ONTOLOGY.objects(iri, RDFS.label) if isinstance(l, rdflib.Literal) and l.language == "en"]
    assert labels, f"pl:{term} has no rdfs:label@en"
    assert (iri, RDFS.comment, None) in ONTOLOGY or (iri, SKOS.definition, None) in ONTOLOGY, \
        f"pl:{term} has neither rdfs:comment nor skos:definition"
    types = set(ONTOLOGY.objects(iri, RDF.type))
    if types & (KINDS | {RDF.Property}):
        assert len(types & KINDS) == 1, f"pl:{term} must be exactly one of object/datatype/annotation property"


def test_ontology_header() -> None:
    onto = rdflib.URIRef("https://w3id.org/portlod/ontology")
    for prop in (OWL.versionIRI, OWL.versionInfo, rdflib.DCTERMS.license, rdflib.DCTERMS.creator,
                 rdflib.DCTERMS.description):
        assert (onto, prop, None) in ONTOLOGY, prop


def test_alignments_reach_the_known_vocabularies() -> None:
    """A consumer who knows schema.org, W3C ORG, PROV-O, GeoSPARQL or SKOS finds our main classes."""
    def supers(cls: str) -> set[str]:
        return {str(o) for o in ONTOLOGY.transitive_objects(rdflib.URIRef(NS + cls), RDFS.subClassOf)}
    assert "https://schema.org/Place" in supers("Port")
    assert "http://www.opengis.net/ont/geosparql#Feature" in supers("Port")
    assert "http://www.w3.org/ns/org#Organization" in supers("PortAuthority")
    assert "https://schema.org/Organization" in supers("PortAuthority")
    assert "https://schema.org/CreativeWork" in supers("MemorandumOfUnderstanding")
    assert "http://www.w3.org/ns/prov#Entity" in supers("Agreement")
    assert "http://www.w3.org/ns/prov#Activity" in supers("GreenShippingCorridor")
    assert "http://www.w3.org/ns/org#Membership" in supers("Membership")
    assert "https://schema.org/Quotation" in supers("Quotation")


def test_prefixes_are_unique() -> None:
    assert len(set(PREFIXES.values())) == len(PREFIXES)
