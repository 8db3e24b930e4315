"""Records → quads in a ``pyoxigraph.Store``: one named graph per source passage, plus a metadata
graph describing the sources, their passages and the fact graphs. IRIs are derived from keys and
codes only, so building twice gives the identical dataset and a new source renames nothing.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from . import records as r
from .errors import SourceError
from .resources import concept_index

__all__ = ["METADATA_GRAPH", "Builder", "graph_iri", "iri", "membership_key", "passage_iri"]

B = "https://w3id.org/portlod/"
ID = B + "id/"
PL = B + "ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
UNLOCODE = "https://vocabulary.uncefact.org/unlocode#"
UNLOCODE_COUNTRY = "https://vocabulary.uncefact.org/unlocode-countries#"
WIKIDATA = "http://www.wikidata.org/entity/"

#: The graph that describes sources, passages and fact graphs.
METADATA_GRAPH = ox.NamedNode(ID + "graph/sources")

_KIND_PATHS = {
    "port": "port", "org": "org", "person": "person", "agreement": "agreement", "initiative": "initiative",
    "event": "event", "relationship": "relationship", "cluster": "cluster", "region": "region",
    "country": "country", "membership": "membership", "quotation": "quotation", "image": "image",
    "source": "source",
}
_DATATYPE = {"day": ox.NamedNode(XSD + "date"), "month": ox.NamedNode(XSD + "gYearMonth"),
             "year": ox.NamedNode(XSD + "gYear")}


def iri(kind: str, key: str) -> ox.NamedNode:
    """The IRI of a resource: ``iri("port", "USLAX")`` → ``<https://w3id.org/portlod/id/port/USLAX>``."""
    return ox.NamedNode(f"{ID}{_KIND_PATHS[kind]}/{key}")


def pl(term: str) -> ox.NamedNode:
    return ox.NamedNode(PL + term)


def graph_iri(source_key: str, passage: str) -> ox.NamedNode:
    """The fact graph of a passage: ``graph_iri("a-source", "p3")``."""
    return ox.NamedNode(f"{ID}graph/{source_key}/{passage}")


def passage_iri(source_key: str, passage: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}source/{source_key}/{passage}")


def _kebab(text: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", text)
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def membership_key(person: str, org: str, role: str, normalised: str | None) -> str:
    """``gene-seroka--port-of-los-angeles--executive-director``: one membership per person,
    organization and normalised role, whatever title the sources print."""
    return f"{person}--{org}--{_kebab(normalised) if normalised else _kebab(role)}"


def _decimal(x: float) -> str:
    text = f"{x:.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _date(value: r.FuzzyDate) -> ox.Literal | None:
    if value.value is None:
        return None
    precision = value.precision
    assert precision is not None
    return ox.Literal(value.value, datatype=_DATATYPE[precision])


class Builder:
    """Turns records into quads. Use :func:`portlod.build`; this class is the engine under it."""

    def __init__(self) -> None:
        self.quads: list[ox.Quad] = []
        self.themes = concept_index("themes")
        self.roles = concept_index("roles")
        self.fuels = concept_index("fuels")
        self.graph: ox.NamedNode = METADATA_GRAPH
        self.source_key = ""
        self.passage: ox.NamedNode | None = None
        #: key → kind ("agreement", "initiative", ...) of everything a source defines
        self.about_kinds: dict[str, str] = {}

    # -- low level -----------------------------------------------------------------------------
    def add(self, s: ox.NamedNode, p: str | ox.NamedNode, o: ox.NamedNode | ox.Literal | None) -> None:
        if o is None:
            return
        self.quads.append(ox.Quad(s, pl(p) if isinstance(p, str) else p, o, self.graph))

    def text(self, s: ox.NamedNode, p: str | ox.NamedNode, value: str | None, lang: str | None = "en") -> None:
        if value is not None:
            self.add(s, p, ox.Literal(value, language=lang) if lang else ox.Literal(value))

    def label(self, s: ox.NamedNode, name: str | None, aliases: tuple[str, ...] = ()) -> None:
        self.text(s, RDFS_LABEL, name)
        for alias in aliases:
            self.text(s, ox.NamedNode(SKOS + "altLabel"), alias)

    def typed(self, s: ox.NamedNode, cls: str | None) -> None:
        if cls:
            self.add(s, RDF_TYPE, pl(cls))

    def date(self, s: ox.NamedNode, p: str, value: r.FuzzyDate | None, *, printed: bool = True) -> None:
        if value is None:
            return
        self.add(s, p, _date(value))
        if printed and value.as_printed:
            self.add(s, "dateAsPrinted", ox.Literal(value.as_printed))

    def note(self, s: ox.NamedNode, note: str | None) -> None:
        self.text(s, ox.NamedNode(SKOS + "note"), note)

    def theme_list(self, s: ox.NamedNode, themes: tuple[str, ...]) -> None:
        for theme in themes:
            local = self.themes.find(theme)
            if local:
                self.add(s, "theme", ox.NamedNode(self.themes.iri(local)))

    def role_concept(self, title: str | None, normalised: str | None) -> str | None:
        from .sources import normalise_role

        if normalised:
            return self.roles.find(normalised)
        return normalise_role(title) if title else None

    @staticmethod
    def party(ref: str) -> ox.NamedNode:
        if re.fullmatch(r"[A-Z]{2}[A-Z2-9]{3}", ref):
            return iri("port", ref)
        if re.fullmatch(r"[A-Z]{2}", ref):
            return iri("country", ref)
        return iri("org", ref)

    def place(self, ref: r.PlaceRef | None, clusters: set[str] | None = None) -> ox.NamedNode | None:
        if ref is None:
            return None
        if ref.kind == "port":
            return iri("port", ref.id)
        if ref.kind == "country":
            node = iri("country", ref.id)
            self.text(node, RDFS_LABEL, ref.name)
            return node
        if ref.kind == "locality":
            node = ox.NamedNode(UNLOCODE + ref.id)
            self.typed(node, "Locality")
            self.add(node, "unlocode", ox.Literal(ref.id))
            self.text(node, RDFS_LABEL, ref.name)
            return node
        kind = "region" if clusters is not None and ref.id not in clusters else "cluster"
        return iri(kind, ref.id)

    def membership(self, person: str, org: str, title: str, normalised: str | None) -> ox.NamedNode:
        role = self.role_concept(title, normalised)
        node = iri("membership", membership_key(person, org, title, role))
        self.typed(node, "Membership")
        self.add(node, "member", iri("person", person))
        self.add(node, "organization", iri("org", org))
        self.add(node, "roleAsPrinted", ox.Literal(title))
        if role:
            self.add(node, "role", ox.NamedNode(self.roles.iri(role)))
        return node

    # -- sources and passages -----------------------------------------------------------------
    def source(self, info: r.SourceInfo) -> ox.NamedNode:
        self.graph = METADATA_GRAPH
        node = iri("source", info.key)
        self.typed(node, info.type)
        self.text(node, ox.NamedNode(DCTERMS + "title"), info.title, info.language)
        if info.publisher:
            self.add(node, "publisher", iri("org", info.publisher))
        self.date(node, "published", info.published)
        if info.url:
            self.add(node, "url", ox.Literal(info.url, datatype=ox.NamedNode(XSD + "anyURI")))
        if info.retrieved:
            self.add(node, "retrieved", ox.Literal(info.retrieved, datatype=ox.NamedNode(XSD + "date")))
        self.add(node, ox.NamedNode(DCTERMS + "language"), ox.Literal(info.language))
        if info.path:
            self.add(node, "sourceFile", ox.Literal(info.path))
        if info.file:
            self.add(node, "textFile", ox.Literal(info.file))
        return node

    def open_graph(self, source_key: str, passage: str, *, paragraph: int | None, line: int | None,
                   derived_from: tuple[str, ...] = (), note: str | None = None) -> None:
        """Describe a fact graph (and its passage) in the metadata graph, then make it current."""
        self.graph = METADATA_GRAPH
        g = graph_iri(source_key, passage)
        if derived_from:
            self.typed(g, "DerivedFactGraph")
            for p in derived_from:
                self.add(g, "derivedFrom", passage_iri(source_key, p))
            self.note(g, note)
        else:
            node = passage_iri(source_key, passage)
            self.typed(node, "Passage")
            self.add(node, "inSource", iri("source", source_key))
            if paragraph is not None:
                self.add(node, "paragraph", ox.Literal(str(paragraph), datatype=ox.NamedNode(XSD + "integer")))
            if line is not None:
                self.add(node, "line", ox.Literal(str(line), datatype=ox.NamedNode(XSD + "integer")))
            self.typed(g, "FactGraph")
            self.add(g, "derivedFrom", node)
            self.passage = node
        self.graph = g
        self.source_key = source_key

    # -- registries ---------------------------------------------------------------------------
    def registry(self, reg: r.Registry) -> None:
        key = reg.source.key
        self.source(reg.source)
        for country in reg.countries:
            self.entry(key, f"country-{country.code}", country.origin)
            node = iri("country", country.code)
            self.typed(node, "Country")
            self.label(node, country.name)
            self.add(node, "countryCode", ox.Literal(country.code))
            self.add(node, ox.NamedNode(SKOS + "exactMatch"), ox.NamedNode(UNLOCODE_COUNTRY + country.code))
        for port in reg.ports:
            self.entry(key, f"port-{port.code}", port.origin)
            self.port_entry(port, key)
        for cluster in reg.clusters:
            self.entry(key, f"cluster-{cluster.key}", cluster.origin)
            node = iri("cluster", cluster.key)
            self.typed(node, "PortCluster")
            self.label(node, cluster.name, cluster.aliases)
            for code in cluster.ports:
                self.add(node, "memberPort", iri("port", code))
        for region in reg.regions:
            self.entry(key, f"region-{region.key}", region.origin)
            node = iri("region", region.key)
            self.typed(node, "Region")
            self.label(node, region.name, region.aliases)
        for org in reg.organizations:
            self.entry(key, f"org-{org.key}", org.origin)
            node = iri("org", org.key)
            self.typed(node, org.type)
            self.label(node, org.name, org.aliases)
            if org.country:
                self.add(node, "country", iri("country", org.country))
            for code in org.operates:
                self.add(node, "operates", iri("port", code))
            for code in org.governs:
                self.add(node, "governs", iri("port", code))
            if org.homepage:
                self.add(node, ox.NamedNode(FOAF + "homepage"), ox.NamedNode(org.homepage))
        for person in reg.people:
            self.entry(key, f"person-{person.key}", person.origin)
            node = iri("person", person.key)
            self.typed(node, "Person")
            self.label(node, person.name, person.aliases)

    def entry(self, registry_key: str, entry: str, origin: r.Origin | None) -> None:
        self.open_graph(registry_key, entry, paragraph=None, line=origin.line if origin else None)

    def port_entry(self, port: r.PortEntry, source_key: str) -> None:
        node = iri("port", port.code)
        self.typed(node, "Port")
        self.label(node, port.name, port.aliases)
        self.add(node, "unlocode", ox.Literal(port.code))
        # closeMatch, not exactMatch: the UN/LOCODE entry is the location (often the city) the
        # port's code belongs to, and the same IRI names that locality elsewhere in the data.
        self.add(node, ox.NamedNode(SKOS + "closeMatch"), ox.NamedNode(UNLOCODE + port.code))
        self.add(node, "country", iri("country", port.country or port.code[:2]))
        if port.subdivision:
            self.add(node, "subdivision", ox.Literal(port.subdivision))
        if port.operated_by:
            self.add(node, "operatedBy", iri("org", port.operated_by))
        if port.governed_by:
            self.add(node, "governedBy", iri("org", port.governed_by))
        if port.wikidata:
            self.add(node, ox.NamedNode(SKOS + "exactMatch"), ox.NamedNode(WIKIDATA + port.wikidata))
        self.position(node, port.position, source_key)

    def position(self, node: ox.NamedNode, pos: r.PositionRecord | None, source_key: str) -> None:
        if pos is None:
            return
        p = ox.NamedNode(f"{node.value}/position/{source_key}")
        self.add(node, "position", p)
        self.typed(p, "Position")
        self.add(p, "latitude", ox.Literal(_decimal(pos.lat), datatype=ox.NamedNode(XSD + "decimal")))
        self.add(p, "longitude", ox.Literal(_decimal(pos.lon), datatype=ox.NamedNode(XSD + "decimal")))
        self.add(p, ox.NamedNode("http://www.opengis.net/ont/geosparql#asWKT"),
                 ox.Literal(f"POINT({pos.lon} {pos.lat})", datatype=ox.NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")))
        self.add(p, "positionKind", pl("PortBasin" if pos.kind == "port-basin" else "CityCentroid"))
        src = iri("source", pos.source) if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", pos.source) else ox.NamedNode(pos.source)
        self.add(p, "positionSource", src)

    # -- documents ----------------------------------------------------------------------------
    def document(self, doc: r.Document, regions: set[str]) -> None:
        key = doc.source.key
        self.source(doc.source)
        for para in doc.paragraphs:
            self.open_graph(key, f"p{para.para}", paragraph=para.para, line=para.line)
            for stmt in para.statements:
                self.statement(stmt, key, f"p{para.para}", regions)
        for block in doc.derived:
            name = "derived-" + "-".join(f"p{n}" for n in block.from_paras)
            self.open_graph(key, name, paragraph=None, line=None,
                            derived_from=tuple(f"p{n}" for n in block.from_paras), note=block.note)
            self.passage = passage_iri(key, f"p{block.from_paras[0]}")
            for stmt in block.statements:
                self.statement(stmt, key, name, regions)

    def statement(self, s: r.Statement, source_key: str, passage: str, regions: set[str]) -> None:
        handler = getattr(self, "_" + type(s).__name__)
        handler(s, source_key, passage, regions)

    def _participants(self, agreement: ox.NamedNode, key: str, items: tuple[r.Participant, ...], prop: str) -> None:
        for p in items:
            slug = p.person or f"for-{p.on_behalf_of}"
            node = ox.NamedNode(f"{agreement.value}/{'signatory' if prop == 'signatory' else 'attendee'}/{slug}")
            self.add(agreement, prop, node)
            self.typed(node, "Signatory" if prop == "signatory" else ("Witness" if p.witness else "Attendance"))
            if p.person:
                self.add(node, "agent", iri("person", p.person))
            if p.role:
                self.add(node, "roleAsPrinted", ox.Literal(p.role))
            role = self.role_concept(p.role, p.normalised_role)
            if role:
                self.add(node, "role", ox.NamedNode(self.roles.iri(role)))
            if p.on_behalf_of:
                self.add(node, "onBehalfOf", iri("org", p.on_behalf_of))
            if p.person and p.on_behalf_of and p.role:
                self.add(node, "heldRole", self.membership(p.person, p.on_behalf_of, p.role, p.normalised_role))

    def _AgreementStatement(self, s: r.AgreementStatement, source_key: str, passage: str, regions: set[str]) -> None:
        node = iri("agreement", s.key)
        self.typed(node, s.type)
        self.label(node, s.name)
        for party in s.parties:
            self.add(node, "party", self.party(party))
        self.date(node, "signedOn", s.signed)
        self.add(node, "signedAt", self.place(s.signed_at, None))
        if s.during:
            self.add(node, "signedDuring", iri("event", s.during))
        self._participants(node, s.key, s.signatories, "signatory")
        self._participants(node, s.key, s.attendees, "attendee")
        self.theme_list(node, s.themes)
        for item in s.scope:
            self.text(node, "scope", item)
        self.text(node, "purpose", s.purpose)
        if s.status:
            self.add(node, "status", pl(s.status))
        for prop, keys, kind in (("establishes", s.establishes, "initiative"), ("renews", s.renews, "agreement"),
                                 ("extends", s.extends, "agreement"), ("supersedes", s.supersedes, "agreement"),
                                 ("precedes", s.precedes, "agreement"), ("formalizes", s.formalizes, "relationship"),
                                 ("alternativeAccountOf", s.alternative_account_of, "agreement")):
            for key in keys:
                self.add(node, prop, iri(kind, key))
        self.note(node, s.note)

    def _CorridorStatement(self, s: r.CorridorStatement, source_key: str, passage: str, regions: set[str]) -> None:
        node = iri("initiative", s.key)
        self.typed(node, s.type)
        self.label(node, s.name)
        for ref in s.endpoints:
            if ref.kind == "cluster" and ref.id in regions:
                ref = r.PlaceRef("region", ref.id, ref.name)
            self.add(node, "endpoint", iri(ref.kind, ref.id) if ref.kind in ("cluster", "region") else self.place(ref))
        for org, role in s.participants:
            p = ox.NamedNode(f"{node.value}/participant/{org}")
            self.add(node, "participant", p)
            self.typed(p, "CorridorParticipation")
            self.add(p, "agent", iri("org", org))
            self.add(p, "participantRole", pl(role))
        for fuel in s.fuels:
            local = self.fuels.find(fuel)
            if local:
                self.add(node, "fuel", ox.NamedNode(self.fuels.iri(local)))
        if s.segment:
            self.add(node, "tradeSegment", pl(s.segment))
        for aim in s.aims:
            self.text(node, "aim", aim)
        self.theme_list(node, s.themes)
        for st in s.status:
            a = ox.NamedNode(f"{node.value}/status/{source_key}-{passage}-{_kebab(st.status)}")
            self.add(node, "statusAssertion", a)
            self.typed(a, "StatusAssertion")
            self.add(a, "status", pl(st.status))
            self.date(a, "asOf", st.as_of)
        self.date(node, "plannedStart", s.planned_start)
        for key in s.established_by:
            self.add(node, "establishedBy", iri("agreement", key))
        for key in s.alternative_account_of:
            self.add(node, "alternativeAccountOf", iri("initiative", key))
        self.note(node, s.note)

    def _RelationshipStatement(self, s: r.RelationshipStatement, source_key: str, passage: str, regions: set[str]) -> None:
        node = iri("relationship", s.key)
        self.typed(node, "Relationship")
        self.label(node, s.name)
        for party in s.parties:
            self.add(node, "party", self.party(party))
        self.date(node, "startDate", s.since)
        self.note(node, s.note)

    def _RoleStatement(self, s: r.RoleStatement, source_key: str, passage: str, regions: set[str]) -> None:
        node = self.membership(s.person, s.org, s.role, s.normalised_role)
        self.date(node, "attestedOn", s.as_of)
        self.date(node, "startDate", s.start, printed=False)
        self.date(node, "endDate", s.end, printed=False)

    def _EventStatement(self, s: r.EventStatement, source_key: str, passage: str, regions: set[str]) -> None:
        node = iri("event", s.key)
        self.typed(node, s.type)
        self.label(node, s.name)
        self.date(node, "startDate", s.start, printed=False)
        self.date(node, "endDate", s.end, printed=False)
        if s.date_as_printed:
            self.add(node, "dateAsPrinted", ox.Literal(s.date_as_printed))
        loc = s.location
        if loc is not None and loc.kind == "cluster" and loc.id in regions:
            loc = r.PlaceRef("region", loc.id, loc.name)
        self.add(node, "location", iri(loc.kind, loc.id) if loc and loc.kind in ("cluster", "region") else self.place(loc))
        if s.part_of:
            self.add(node, "partOf", iri("event", s.part_of))
        if s.organizer:
            self.add(node, "organizer", iri("org", s.organizer))
        self.text(node, "audience", s.audience)
        self.theme_list(node, s.themes)
        self.note(node, s.note)

    def _about(self, key: str) -> ox.NamedNode:
        kind = self.about_kinds.get(key, "agreement")
        return iri(kind, key)

    def _QuotationStatement(self, s: r.QuotationStatement, source_key: str, passage: str, regions: set[str]) -> None:
        suffix = f"-{s.n}" if s.n > 1 else ""
        node = iri("quotation", f"{source_key}/{passage}-{s.speaker}{suffix}")
        self.typed(node, "Quotation")
        self.add(node, "speaker", iri("person", s.speaker))
        if s.role:
            self.add(node, "heldRole", self.membership(s.speaker, s.role.org, s.role.role, s.role.normalised_role))
        self.text(node, "excerpt", s.excerpt)
        self.text(node, "summary", s.summary)
        for key in s.about:
            self.add(node, "about", self._about(key))
        self.add(node, "statedIn", self.passage)

    def _ImageStatement(self, s: r.ImageStatement, source_key: str, passage: str, regions: set[str]) -> None:
        node = iri("image", s.key)
        self.typed(node, "Image")
        for key in s.depicts:
            self.add(node, "depicts", iri(self.about_kinds.get(key, "person"), key))
        for key in s.about:
            self.add(node, "about", self._about(key))
        if s.credit:
            self.add(node, "credit", iri("org", s.credit))
        self.text(node, "summary", s.summary)
        self.add(node, "statedIn", self.passage)

    def _PortStatement(self, s: r.PortStatement, source_key: str, passage: str, regions: set[str]) -> None:
        node = iri("port", s.code)
        self.text(node, RDFS_LABEL, s.name)
        if s.country:
            self.add(node, "country", iri("country", s.country))
        if s.subdivision:
            self.add(node, "subdivision", ox.Literal(s.subdivision))
        self.position(node, s.position, source_key)

    def _OrganizationStatement(self, s: r.OrganizationStatement, source_key: str, passage: str, regions: set[str]) -> None:
        node = iri("org", s.key)
        self.text(node, RDFS_LABEL, s.name)
        if s.country:
            self.add(node, "country", iri("country", s.country))
        self.note(node, s.note)

    # -- everything -----------------------------------------------------------------------------
    def run(self, sources: r.SourceSet) -> list[ox.Quad]:
        from ._checks import Index

        index = Index.of(sources)
        kinds: dict[str, str] = {}
        kinds.update((k, "person") for k in index.people)
        kinds.update((k, "relationship") for k in index.relationships)
        kinds.update((k, "event") for k in index.events)
        kinds.update((k, "initiative") for k in index.initiatives)
        kinds.update((k, "agreement") for k in index.agreements)
        self.about_kinds = kinds
        regions = set(index.regions)
        for reg in sources.registries:
            self.registry(reg)
        for doc in sources.documents:
            self.document(doc, regions)
        if sources.locodes is not None:
            self.code_list_facts(sources, index)
        return self.quads

    def code_list_facts(self, sources: r.SourceSet, index: object) -> None:
        """The code list's own facts (names, country, subdivision, functions, status, city-level
        coordinates) for every port the data refers to, each citing its row of the list."""
        from ._checks import Index
        from .registry import registry_quads
        from .unlocode import LocodeList

        assert isinstance(sources.locodes, LocodeList) and isinstance(index, Index)
        codes = {code for code in index.ports if code in sources.locodes}
        paths = [reg.code_list.path for reg in sources.registries if reg.code_list is not None]
        # A port our registry names keeps that name as its label; the list's name (often the
        # city's, e.g. "Los Angeles") becomes an alternative label, so each port has one label.
        named = {iri("port", code) for code, entry in index.ports.items() if entry.name}
        alt = ox.NamedNode(SKOS + "altLabel")
        for quad in registry_quads(sources.locodes, codes=codes, paths=paths[:1]):
            if quad.predicate == RDFS_LABEL and quad.subject in named:
                quad = ox.Quad(quad.subject, alt, quad.object, quad.graph_name)
            self.quads.append(quad)


def check_or_raise(sources: r.SourceSet) -> r.SourceSet:
    """Run the cross-reference checks on records made in code; raise SourceError on errors."""
    from ._checks import check_sources
    from .sources import read_code_lists

    locodes, problems = (sources.locodes, []) if sources.locodes is not None else read_code_lists(sources.registries)
    sources = r.SourceSet(sources.registries, sources.documents, (), locodes)
    problems.extend(check_sources(sources))
    if any(p.severity == "error" for p in problems):
        raise SourceError(problems)
    return r.SourceSet(sources.registries, sources.documents, tuple(problems), locodes)
