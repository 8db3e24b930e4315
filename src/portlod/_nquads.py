"""N-Quads terms as text, for the builder: the namespaces, literals, and the predicates the
builder names. The store parses the builder's text leniently, so every literal goes through
:func:`lit` and every IRI made of data is checked by the builder before it is written."""

from __future__ import annotations

import pyoxigraph as ox

B = "https://w3id.org/portlod/"
ID = B + "id/"
PL = B + "ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = ox.NamedNode(RDF + "type")
RDFS_LABEL = ox.NamedNode(RDFS + "label")
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
GEO = "http://www.opengis.net/ont/geosparql#"
UNLOCODE = "https://vocabulary.uncefact.org/unlocode#"
UNLOCODE_COUNTRY = "https://vocabulary.uncefact.org/unlocode-countries#"
WIKIDATA = "http://www.wikidata.org/entity/"


def lit(text: str, suffix: str = "") -> str:
    """An N-Quads literal: ``"text"`` plus ``@en`` or ``^^<datatype>``.

    >>> lit('say "hi"\\n', "@en")
    '"say \\\\"hi\\\\"\\\\n"@en'
    """
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"{suffix}'


_PREFIXES = {"rdf": RDF, "rdfs": RDFS, "skos": SKOS, "dcterms": DCTERMS, "foaf": FOAF, "geo": GEO}


class _Vocabulary(dict[str, str]):
    """The predicates the builder names → N-Quads terms, each made once: ``"party"`` →
    ``<…/ontology#party>``, ``"skos:note"`` → ``<…/core#note>``. Only names written in the
    builder's code come here (names read from the data go through ``Builder.pl``)."""

    def __missing__(self, name: str) -> str:
        prefix, colon, local = name.partition(":")
        term = self[name] = f"<{_PREFIXES[prefix]}{local}>" if colon else f"<{PL}{name}>"
        return term


#: predicate name → term: ``V["party"]``, ``V["rdfs:label"]``
V = _Vocabulary()
A = V["rdf:type"]
DATE_TYPE = {10: f"^^<{XSD}date>", 7: f"^^<{XSD}gYearMonth>", 4: f"^^<{XSD}gYear>"}  # by length of the value
INTEGER = f"^^<{XSD}integer>"
DECIMAL = f"^^<{XSD}decimal>"
TRUE = f'"true"^^<{XSD}boolean>'
ANY_URI = f"^^<{XSD}anyURI>"
DATE = f"^^<{XSD}date>"
WKT = f"^^<{GEO}wktLiteral>"
