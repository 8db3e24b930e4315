"""Records → quads in a ``pyoxigraph.Store``: one named graph per source passage, plus a metadata
graph describing the sources, their passages and the fact graphs. IRIs are derived from keys and
codes only, so building twice gives the identical dataset and a new source renames nothing.

The builder writes N-Quads text, which the store parses in native code, on a second thread
(:func:`portlod.dataset._load_nquads`): a Python ``Quad`` per statement would cost about half the
store's own insert again (≈ 1.5 µs, ≈ 6 µs when the object is a literal, which pyoxigraph first
tries to read as an IRI and a blank node). Every IRI is checked by pyoxigraph the first time the
builder makes it, every language tag is checked and normalised by pyoxigraph, and every literal
goes through :func:`portlod._nquads.lit`; so the text parses leniently to the same quads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox

from . import records as r
from ._accounts import SKIPPED, Accounts, Prints, state
from ._checks import Index, check_sources
from ._nquads import ANY_URI, DATE, DATE_TYPE, DECIMAL, INTEGER, TRUE, WIKIDATA, WKT, A, V, lit
from ._nquads import (  # names registry.py imports from here
    DCTERMS as DCTERMS, ID as ID, PL as PL, RDF_TYPE as RDF_TYPE, RDFS_LABEL as RDFS_LABEL, SKOS as SKOS,
    UNLOCODE as UNLOCODE, UNLOCODE_COUNTRY as UNLOCODE_COUNTRY, XSD as XSD,
)
from ._statements import WRITERS
from .errors import SourceError
from .resources import ConceptIndex, concept_index
from .sources import normalise_role, read_code_lists

__all__ = ["CHUNK_LINES", "METADATA_GRAPH", "Builder", "iri"]

#: The graph that describes sources, passages and fact graphs.
METADATA_GRAPH = ox.NamedNode(ID + "graph/sources")
_META_GRAPH = f"<{METADATA_GRAPH.value}>"
_META_TAIL = f" {_META_GRAPH} .\n"

#: About how many N-Quads lines :meth:`Builder.nquads` puts in one piece of text.
CHUNK_LINES = 20_000

_KIND_PATHS = {
    "port": "port", "org": "org", "person": "person", "agreement": "agreement", "initiative": "initiative",
    "event": "event", "relationship": "relationship", "cluster": "cluster", "region": "region",
    "country": "country", "membership": "membership", "quotation": "quotation", "image": "image",
    "source": "source",
}


def iri(kind: str, key: str) -> ox.NamedNode:
    """The IRI of a resource: ``iri("port", "USLAX")`` → ``<https://w3id.org/portlod/id/port/USLAX>``."""
    return ox.NamedNode(f"{ID}{_KIND_PATHS[kind]}/{key}")


def _kebab(text: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", text)
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def _decimal(x: float) -> str:
    text = f"{x:.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


_PORT_CODE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}").fullmatch
_COUNTRY_CODE = re.compile(r"[A-Z]{2}").fullmatch
_SOURCE_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*").fullmatch


class Builder:
    """Turns records into N-Quads text. Use :func:`portlod.build`; this class is the engine under it.

    >>> chunks = list(Builder().nquads(records))   # doctest: +SKIP
    """

    def __init__(self, *, chunk_lines: int = CHUNK_LINES) -> None:
        self.lines: list[str] = []
        self.chunk_lines = chunk_lines
        self.themes = concept_index("themes")
        self.roles = concept_index("roles")
        self.fuels = concept_index("fuels")
        #: `` <graph> .\n``: the end of every line of the current graph
        self.tail = _META_TAIL
        self.passage: str | None = None
        #: key → kind ("agreement", "initiative", ...) of everything a source defines
        self.about_kinds: dict[str, str] = {}
        self._iris: dict[str, str] = {}  # IRI → <IRI>, for every IRI checked
        self._pl: dict[str, str] = {}
        self._langs: dict[str | None, str] = {"en": "@en"}
        self._parties: dict[str, str] = {}
        self._concepts: dict[tuple[str, str], str | None] = {}
        self._titles: dict[tuple[str | None, str | None], str | None] = {}
        self._kebabs: dict[str, str] = {}
        self._accounts = Accounts()
        #: the source of the current fact graph, and what it states so far (None: in the metadata graph)
        self._graph_source = ""
        self._prints: Prints | None = None

    # -- terms ---------------------------------------------------------------------------------
    def ref(self, value: str) -> str:
        """``<value>``; the IRI is checked the first time (pyoxigraph's ValueError if it is none)."""
        term = self._iris.get(value)
        if term is None:
            ox.NamedNode(value)
            term = self._iris[value] = f"<{value}>"
        return term

    def node(self, kind: str, key: str) -> str:
        """The term of a resource: ``node("port", "USLAX")``."""
        return self.ref(f"{ID}{kind}/{key}")

    def pl(self, name: str) -> str:
        """A term of the portlod vocabulary named by the data (a type, a status)."""
        term = self._pl.get(name)
        if term is None:
            term = self._pl[name] = self.ref(PL + name)
        return term

    def lang(self, tag: str | None) -> str:
        """``@tag`` as pyoxigraph normalises it, or ``""`` for no language."""
        if not tag:
            return ""
        suffix = self._langs.get(tag)
        if suffix is None:
            suffix = self._langs[tag] = "@" + str(ox.Literal("", language=tag).language)
        return suffix

    def concept(self, index: ConceptIndex, text: str) -> str | None:
        """The term of the concept of ``index`` that ``text`` names, or None."""
        found = self._concepts.get((index.name, text), "")
        if found == "":
            local = index.find(text)
            found = self._concepts[(index.name, text)] = self.ref(index.iri(local)) if local else None
        return found

    def kebab(self, text: str) -> str:
        """``_kebab(text)``, worked out once per text."""
        slug = self._kebabs.get(text)
        if slug is None:
            slug = self._kebabs[text] = _kebab(text)
        return slug

    # -- low level -----------------------------------------------------------------------------
    def add(self, s: str, p: str, o: str | None) -> None:
        """One line: ``s`` and ``o`` are N-Quads terms, ``p`` a predicate's name (see _Vocabulary)."""
        if o is not None:
            self._line(s, V[p], o)

    def _line(self, s: str, term: str, o: str) -> None:
        """One line in the current graph; in a fact graph, noted for the accounts (see
        :mod:`portlod._accounts`) unless the predicate is one they do not compare."""
        self.lines.append(f"{s} {term} {o}{self.tail}")
        prints = self._prints
        if prints is not None and term not in SKIPPED:
            key = (s, term)
            if prints.setdefault(key, o) != o:  # (state() written out for the common case: the hot path)
                state(prints, key, o)

    def text(self, s: str, p: str, value: str | None, lang: str | None = "en") -> None:
        if value is not None:
            self._line(s, V[p], lit(value, self._langs.get(lang) or self.lang(lang)))

    def label(self, s: str, name: str | None, aliases: tuple[str, ...] = ()) -> None:
        self.text(s, "rdfs:label", name)
        for alias in aliases:
            self.text(s, "skos:altLabel", alias)

    def typed(self, s: str, cls: str | None) -> None:
        if cls:
            self._line(s, A, self._pl.get(cls) or self.pl(cls))

    def date(self, s: str, p: str, value: r.FuzzyDate | None, *, printed: bool = True) -> None:
        if value is None:
            return
        if value.value is not None:
            self.add(s, p, f'"{value.value}"{DATE_TYPE[len(value.value)]}')
        if printed and value.as_printed:
            self.add(s, "dateAsPrinted", lit(value.as_printed))

    def note(self, s: str, note: str | None) -> None:
        self.text(s, "skos:note", note)

    def theme_list(self, s: str, themes: tuple[str, ...]) -> None:
        for theme in themes:
            self.add(s, "theme", self.concept(self.themes, theme))

    def role_concept(self, title: str | None, normalised: str | None) -> str | None:
        """The local name of the role concept of a title (or of the role the source normalised it to)."""
        key = (title, normalised)
        if key not in self._titles:
            self._titles[key] = (self.roles.find(normalised) if normalised
                                 else normalise_role(title) if title else None)
        return self._titles[key]

    def party(self, ref: str) -> str:
        term = self._parties.get(ref)
        if term is None:
            kind = "port" if _PORT_CODE(ref) else "country" if _COUNTRY_CODE(ref) else "org"
            term = self._parties[ref] = self.node(kind, ref)
        return term

    def place(self, ref: r.PlaceRef | None, clusters: set[str] | None = None) -> str | None:
        if ref is None:
            return None
        if ref.kind == "port":
            return self.node("port", ref.id)
        if ref.kind == "country":
            node = self.node("country", ref.id)
            self.text(node, "rdfs:label", ref.name)
            return node
        if ref.kind == "locality":
            node = self.ref(UNLOCODE + ref.id)
            self.typed(node, "Locality")
            self.add(node, "unlocode", lit(ref.id))
            self.text(node, "rdfs:label", ref.name)
            return node
        kind = "region" if clusters is not None and ref.id not in clusters else "cluster"
        return self.node(kind, ref.id)

    def membership(self, person: str, org: str, title: str, normalised: str | None) -> str:
        role = self.role_concept(title, normalised)
        node = self.node("membership", f"{person}--{org}--{self.kebab(role or title)}")  # per person, org, role
        self.typed(node, "Membership")
        self.add(node, "member", self.node("person", person))
        self.add(node, "organization", self.node("org", org))
        self.add(node, "roleAsPrinted", lit(title))
        if role:
            self.add(node, "role", self.ref(self.roles.iri(role)))
        return node

    # -- sources and passages -----------------------------------------------------------------
    def source(self, info: r.SourceInfo) -> str:
        self._end_graph()
        node = self.node("source", info.key)
        self.typed(node, info.type)
        self.text(node, "dcterms:title", info.title, info.language)
        if info.publisher:
            self.add(node, "publisher", self.node("org", info.publisher))
        self.date(node, "published", info.published)
        if info.url:
            self.add(node, "url", lit(info.url, ANY_URI))
        if info.retrieved:
            self.add(node, "retrieved", lit(info.retrieved, DATE))
        self.add(node, "dcterms:language", lit(info.language))
        if info.path:
            self.add(node, "sourceFile", lit(info.path))
        if info.file:
            self.add(node, "textFile", lit(info.file))
        return node

    def open_graph(self, source_key: str, passage: str, *, paragraph: int | None, line: int | None,
                   derived_from: tuple[str, ...] = (), note: str | None = None) -> None:
        """Describe a fact graph (and its passage) in the metadata graph, then make it current."""
        self._end_graph()
        g = self.ref(f"{ID}graph/{source_key}/{passage}")
        if derived_from:
            self.typed(g, "DerivedFactGraph")
            for p in derived_from:
                self.add(g, "derivedFrom", self.ref(f"{ID}source/{source_key}/{p}"))
            self.note(g, note)
        else:
            node = self.ref(f"{ID}source/{source_key}/{passage}")
            self.typed(node, "Passage")
            self.add(node, "inSource", self.node("source", source_key))
            if paragraph is not None:
                self.add(node, "paragraph", lit(str(paragraph), INTEGER))
            if line is not None:
                self.add(node, "line", lit(str(line), INTEGER))
            self.typed(g, "FactGraph")
            self.add(g, "derivedFrom", node)
            self.passage = node
        self.tail = f" {g} .\n"
        self._graph_source, self._prints = source_key, {}

    def _end_graph(self) -> None:
        """Hand what the current fact graph states to the accounts (see :mod:`portlod._accounts`);
        what follows goes to the metadata graph until a fact graph is opened."""
        if self._prints:
            self._accounts.note_graph(self._graph_source, self._prints)
        self._prints = None
        self.tail = _META_TAIL

    # -- registries ---------------------------------------------------------------------------
    def registry(self, reg: r.Registry) -> Iterator[str]:
        """Describe a registry; yields the pieces of text that fill up meanwhile (see :meth:`take`)."""
        key = reg.source.key
        limit = self.chunk_lines
        self.source(reg.source)
        for country in reg.countries:
            self.entry(key, f"country-{country.code}", country.origin)
            node = self.node("country", country.code)
            self.typed(node, "Country")
            self.label(node, country.name)
            self.add(node, "countryCode", lit(country.code))
            self.add(node, "skos:exactMatch", self.ref(UNLOCODE_COUNTRY + country.code))
            if len(self.lines) >= limit:
                yield self.take()
        for port in reg.ports:
            self.entry(key, f"port-{port.code}", port.origin)
            self.port_entry(port, key)
            if len(self.lines) >= limit:
                yield self.take()
        for cluster in reg.clusters:
            self.entry(key, f"cluster-{cluster.key}", cluster.origin)
            node = self.node("cluster", cluster.key)
            self.typed(node, "PortCluster")
            self.label(node, cluster.name, cluster.aliases)
            for code in cluster.ports:
                self.add(node, "memberPort", self.node("port", code))
            if len(self.lines) >= limit:
                yield self.take()
        for region in reg.regions:
            self.entry(key, f"region-{region.key}", region.origin)
            node = self.node("region", region.key)
            self.typed(node, "Region")
            self.label(node, region.name, region.aliases)
            if len(self.lines) >= limit:
                yield self.take()
        for org in reg.organizations:
            self.entry(key, f"org-{org.key}", org.origin)
            node = self.node("org", org.key)
            self.typed(node, org.type)
            self.label(node, org.name, org.aliases)
            if org.country:
                self.add(node, "country", self.node("country", org.country))
            for code in org.operates:
                self.add(node, "operates", self.node("port", code))
            for code in org.governs:
                self.add(node, "governs", self.node("port", code))
            if org.homepage:
                self.add(node, "foaf:homepage", self.ref(org.homepage))
            if len(self.lines) >= limit:
                yield self.take()
        for person in reg.people:
            self.entry(key, f"person-{person.key}", person.origin)
            node = self.node("person", person.key)
            self.typed(node, "Person")
            self.label(node, person.name, person.aliases)
            if len(self.lines) >= limit:
                yield self.take()

    def entry(self, registry_key: str, entry: str, origin: r.Origin | None) -> None:
        self.open_graph(registry_key, entry, paragraph=None, line=origin.line if origin else None)

    def port_entry(self, port: r.PortEntry, source_key: str) -> None:
        node = self.node("port", port.code)
        self.typed(node, "Port")
        self.label(node, port.name, port.aliases)
        self.add(node, "unlocode", lit(port.code))
        # closeMatch, not exactMatch: the UN/LOCODE entry is the location (often the city) the
        # port's code belongs to, and the same IRI names that locality elsewhere in the data.
        self.add(node, "skos:closeMatch", self.ref(UNLOCODE + port.code))
        self.add(node, "country", self.node("country", port.country or port.code[:2]))
        if port.subdivision:
            self.add(node, "subdivision", lit(port.subdivision))
        if port.operated_by:
            self.add(node, "operatedBy", self.node("org", port.operated_by))
        if port.governed_by:
            self.add(node, "governedBy", self.node("org", port.governed_by))
        if port.wikidata:
            self.add(node, "skos:exactMatch", self.ref(WIKIDATA + port.wikidata))
        self.position(node, port.position, source_key)

    def position(self, node: str, pos: r.PositionRecord | None, source_key: str) -> None:
        if pos is None:
            return
        p = self.ref(f"{node[1:-1]}/position/{source_key}")
        self.add(node, "position", p)
        self.typed(p, "Position")
        self.add(p, "latitude", lit(_decimal(pos.lat), DECIMAL))
        self.add(p, "longitude", lit(_decimal(pos.lon), DECIMAL))
        self.add(p, "geo:asWKT", lit(f"POINT({pos.lon} {pos.lat})", WKT))
        self.add(p, "positionKind", V["PortBasin" if pos.kind == "port-basin" else "CityCentroid"])
        src = self.node("source", pos.source) if _SOURCE_KEY(pos.source) else self.ref(pos.source)
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
            self.passage = self.ref(f"{ID}source/{key}/p{block.from_paras[0]}")
            for stmt in block.statements:
                self.statement(stmt, key, name, regions)

    def statement(self, s: r.Statement, source_key: str, passage: str, regions: set[str]) -> None:
        WRITERS[type(s)](self, s, source_key, passage, regions)

    # -- everything -----------------------------------------------------------------------------
    def take(self) -> str:
        """The lines made so far as one piece of N-Quads text (and start a new piece)."""
        text = "".join(self.lines)
        self.lines = []
        return text

    def nquads(self, sources: r.SourceSet) -> Iterator[str]:
        """The data set of ``sources`` (checked already) as N-Quads text, in pieces of about
        ``chunk_lines`` lines, each ending at the end of a line."""
        self._accounts, self._prints = Accounts(), None  # (a builder used again starts afresh)
        index = Index.of(sources)
        kinds: dict[str, str] = {}
        kinds.update((k, "person") for k in index.people)
        kinds.update((k, "relationship") for k in index.relationships)
        kinds.update((k, "event") for k in index.events)
        kinds.update((k, "initiative") for k in index.initiatives)
        kinds.update((k, "agreement") for k in index.agreements)
        self.about_kinds = kinds
        regions = set(index.regions)
        limit = self.chunk_lines
        for reg in sources.registries:
            yield from self.registry(reg)
        for doc in sources.documents:
            self.document(doc, regions)
            if len(self.lines) >= limit:
                yield self.take()
        self._end_graph()
        if sources.locodes is not None:
            self.code_list_facts(sources, index)
        differ = V["sourcesDifferOn"]
        self.lines.extend(f"{s} {differ} {p}{_META_TAIL}" for s, p in self._accounts.differing())
        # (the flags are complete: where there is none, the sources agree)
        self.lines.append(f"{_META_GRAPH} {V['sourcesCompared']} {TRUE}{_META_TAIL}")
        yield self.take()

    def run(self, sources: r.SourceSet) -> list[ox.Quad]:
        """The same quads as ``Quad`` objects (parsed from :meth:`nquads`; slower, for callers
        that want objects rather than a store)."""
        return [quad for text in self.nquads(sources) for quad in ox.parse(input=text, format=ox.RdfFormat.N_QUADS)]

    def code_list_facts(self, sources: r.SourceSet, index: Index) -> None:
        """The code list's own facts (names, country, subdivision, functions, status, city-level
        coordinates) for every port the data refers to, each citing its row of the list."""
        from .registry import SOURCE_KEY, registry_quads
        from .unlocode import LocodeList

        assert isinstance(sources.locodes, LocodeList)
        codes = {code for code in index.ports if code in sources.locodes}
        paths = [reg.code_list.path for reg in sources.registries if reg.code_list is not None]
        # A port our registry names keeps that name as its label; the list's name (often the
        # city's, e.g. "Los Angeles") becomes an alternative label, so each port has one label.
        named = {iri("port", code) for code, entry in index.ports.items() if entry.name}
        alt = V["skos:altLabel"]
        graphs: dict[str, Prints] = {}  # the list's own facts, one fact graph per row
        for quad in registry_quads(sources.locodes, codes=codes, paths=paths[:1]):
            # pyoxigraph writes each term in N-Quads syntax
            s, p, o, g = str(quad.subject), str(quad.predicate), str(quad.object), str(quad.graph_name)
            if quad.predicate == RDFS_LABEL and quad.subject in named:
                p = alt
            self.lines.append(f"{s} {p} {o} {g} .\n")
            if g != _META_GRAPH and p not in SKIPPED:
                state(graphs.setdefault(g, {}), (s, p), o)
        for prints in graphs.values():
            self._accounts.note_graph(SOURCE_KEY, prints)


def check_or_raise(sources: r.SourceSet) -> r.SourceSet:
    """Run the cross-reference checks on records made in code; raise SourceError on errors."""
    locodes, problems = (sources.locodes, []) if sources.locodes is not None else read_code_lists(sources.registries)
    sources = r.SourceSet(sources.registries, sources.documents, (), locodes)
    problems.extend(check_sources(sources))
    if any(p.severity == "error" for p in problems):
        raise SourceError(problems)
    return r.SourceSet(sources.registries, sources.documents, tuple(problems), locodes)
