"""Cross-reference checks over a whole SourceSet: every key refers to something, every theme,
role and fuel exists, every agreement and initiative has a type, suspicious UN/LOCODEs warn."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from . import records as r
from .errors import Problem
from .resources import concept_index

__all__ = ["Index", "check_sources"]

_NO_FILE = "<records made in code>"


@dataclass
class Index:
    """Everything a SourceSet defines, by kind."""

    ports: dict[str, r.PortEntry] = field(default_factory=dict)
    clusters: dict[str, r.ClusterEntry] = field(default_factory=dict)
    regions: dict[str, r.RegionEntry] = field(default_factory=dict)
    countries: dict[str, r.CountryEntry] = field(default_factory=dict)
    organizations: dict[str, r.OrganizationEntry] = field(default_factory=dict)
    people: dict[str, r.PersonEntry] = field(default_factory=dict)
    agreements: dict[str, str | None] = field(default_factory=dict)   # key → a type given somewhere
    initiatives: dict[str, str | None] = field(default_factory=dict)
    events: dict[str, str | None] = field(default_factory=dict)
    relationships: set[str] = field(default_factory=set)
    images: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, sources: r.SourceSet) -> "Index":
        index = cls()
        for reg in sources.registries:
            index.ports.update((p.code, p) for p in reg.ports)
            index.clusters.update((c.key, c) for c in reg.clusters)
            index.regions.update((x.key, x) for x in reg.regions)
            index.countries.update((c.code, c) for c in reg.countries)
            index.organizations.update((o.key, o) for o in reg.organizations)
            index.people.update((p.key, p) for p in reg.people)
        for _, stmt in statements(sources):
            if isinstance(stmt, r.AgreementStatement):
                index.agreements[stmt.key] = index.agreements.get(stmt.key) or stmt.type
            elif isinstance(stmt, r.CorridorStatement):
                index.initiatives[stmt.key] = index.initiatives.get(stmt.key) or stmt.type
            elif isinstance(stmt, r.EventStatement):
                index.events[stmt.key] = index.events.get(stmt.key) or stmt.type
            elif isinstance(stmt, r.RelationshipStatement):
                index.relationships.add(stmt.key)
            elif isinstance(stmt, r.ImageStatement):
                index.images.add(stmt.key)
        return index


def statements(sources: r.SourceSet) -> Iterable[tuple[r.Document, r.Statement]]:
    for doc in sources.documents:
        for para in doc.paragraphs:
            for stmt in para.statements:
                yield doc, stmt
        for block in doc.derived:
            for stmt in block.statements:
                yield doc, stmt


class _Checker:
    def __init__(self, sources: r.SourceSet) -> None:
        self.sources = sources
        self.index = Index.of(sources)
        self.problems: list[Problem] = []
        self.themes = concept_index("themes")
        self.roles = concept_index("roles")
        self.fuels = concept_index("fuels")
        idx = self.index
        self.pools: dict[str, Collection[str]] = {
            "org": idx.organizations, "person": idx.people, "port": idx.ports, "country": idx.countries,
            "cluster": idx.clusters, "region": idx.regions, "agreement": idx.agreements,
            "initiative": idx.initiatives, "event": idx.events, "relationship": idx.relationships,
            "image": idx.images,
        }

    def error(self, origin: r.Origin | None, message: str, hint: str | None = None, *, warning: bool = False,
              field: str | None = None) -> None:
        o = origin or r.Origin(_NO_FILE)
        self.problems.append(Problem(o.file, o.line, field or o.field, message, hint,
                                     "warning" if warning else "error"))

    def ref(self, origin: r.Origin | None, value: str, kinds: Iterable[str], what: str, where: str) -> None:
        pools = self.pools
        kinds = tuple(kinds)
        for k in kinds:
            if value in pools[k]:
                return
        candidates = [c for k in kinds for c in pools[k]]
        guess = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
        hint = (f"did you mean {guess[0]!r}? " if guess else "") + f"define it in {where}"
        self.error(origin, f"unknown {what} {value!r}", hint)

    def port_code(self, origin: r.Origin | None, code: str, *, port: bool = True) -> None:
        locodes = self.sources.locodes
        if locodes is not None:
            from .unlocode import LocodeList

            assert isinstance(locodes, LocodeList)
            for finding in locodes.check(code, port=port):
                hint = f"use {finding.suggestion}" if finding.suggestion else (
                    "nearest by name: " + ", ".join(finding.alternatives) if finding.alternatives else None)
                self.error(origin, finding.message, hint, warning=finding.severity == "warning")
            return
        meant = r_port_alias(code) if port else None
        if meant:
            self.error(origin, f"{code} is not a sea-port code in UN/LOCODE (it names an airport or an inland "
                               f"location); the port is {meant}", f"use {meant}", warning=True)

    def theme_list(self, origin: r.Origin | None, themes: Iterable[str]) -> None:
        for theme in themes:
            if self.themes.find(theme) is None:
                guess = difflib.get_close_matches(theme.lower(), list(self.themes.labels), n=1, cutoff=0.6)
                hint = f"did you mean {self.themes.labels[guess[0]]!r}? " if guess else ""
                self.error(origin, f"unknown theme {theme!r}",
                           hint + "themes are the concepts of ontology/themes.ttl: " + ", ".join(self.themes.names))

    def role(self, origin: r.Origin | None, normalised: str | None) -> None:
        if normalised is not None and self.roles.find(normalised) is None:
            self.error(origin, f"unknown normalised role {normalised!r}",
                       "use one of " + ", ".join(self.roles.names))

    def run(self) -> list[Problem]:
        self.registries()
        self.documents()
        return self.problems

    def registries(self) -> None:
        seen_sources: dict[str, r.Origin | None] = {}
        infos = [reg.source for reg in self.sources.registries] + [d.source for d in self.sources.documents]
        for info in infos:
            if info.key in seen_sources:
                prev = seen_sources[info.key]
                self.error(info.origin, f"source key {info.key!r} is used twice"
                           + (f" (also in {prev.file})" if prev else ""), "give each source its own key")
            seen_sources[info.key] = info.origin
            if info.publisher is not None:
                self.ref(info.origin, info.publisher, ["org"], "publisher", "registry/organizations.yaml")
        seen: dict[tuple[str, str], r.Origin | None] = {}
        for reg in self.sources.registries:
            entries: list[tuple[str, str, r.Origin | None]] = (
                [("port", p.code, p.origin) for p in reg.ports] + [("cluster", c.key, c.origin) for c in reg.clusters]
                + [("region", x.key, x.origin) for x in reg.regions]
                + [("country", c.code, c.origin) for c in reg.countries]
                + [("organization", o.key, o.origin) for o in reg.organizations]
                + [("person", p.key, p.origin) for p in reg.people])
            for kind, key, origin in entries:
                if (kind, key) in seen:
                    first = seen[(kind, key)]
                    self.error(origin, f"{kind} {key!r} is defined twice"
                               + (f" (first at {first.file}:{first.line})" if first else ""),
                               "describe it once and refer to it by key")
                seen[(kind, key)] = origin
            for port in reg.ports:
                self.port_code(port.origin, port.code)
                self.ref(port.origin, port.country or port.code[:2], ["country"], "country",
                         "the `countries:` list of registry/ports.yaml")
                for org in (port.operated_by, port.governed_by):
                    if org:
                        self.ref(port.origin, org, ["org"], "organization", "registry/organizations.yaml")
            for cluster in reg.clusters:
                for code in cluster.ports:
                    self.ref(cluster.origin, code, ["port"], "port", "registry/ports.yaml")
            for org_entry in reg.organizations:
                if org_entry.country:
                    self.ref(org_entry.origin, org_entry.country, ["country"], "country", "registry/ports.yaml countries")
                for code in org_entry.operates + org_entry.governs:
                    self.ref(org_entry.origin, code, ["port"], "port", "registry/ports.yaml")

    def documents(self) -> None:
        idx = self.index
        for key, kind in idx.agreements.items():
            if kind is None:
                origin = next((s.origin for _, s in statements(self.sources)
                               if isinstance(s, r.AgreementStatement) and s.key == key), None)
                self.error(origin, f"agreement {key!r} has no `type` anywhere",
                           "give its type (e.g. MemorandumOfUnderstanding) in at least one paragraph")
        for key, kind in idx.initiatives.items():
            if kind is None:
                origin = next((s.origin for _, s in statements(self.sources)
                               if isinstance(s, r.CorridorStatement) and s.key == key), None)
                self.error(origin, f"initiative {key!r} has no `type` anywhere",
                           "give its type (GreenShippingCorridor or Initiative) in at least one paragraph")
        orgs = "registry/organizations.yaml"
        people = "registry/people.yaml"
        party_kinds = ("org", "port", "country")
        for doc, s in statements(self.sources):
            o = s.origin
            if isinstance(s, r.AgreementStatement):
                for party in s.parties:
                    self.ref(o, party, party_kinds, "party", f"{orgs} (or use a port or country code)")
                if s.during:
                    self.ref(o, s.during, ["event"], "event", "an `events:` block")
                self.place(o, s.signed_at)
                for p in s.signatories + s.attendees:
                    if p.person:
                        self.ref(p.origin, p.person, ["person"], "person", people)
                    if p.on_behalf_of:
                        self.ref(p.origin, p.on_behalf_of, ["org"], "organization", orgs)
                    self.role(p.origin, p.normalised_role)
                self.theme_list(o, s.themes)
                for keys, kind in ((s.establishes, "initiative"), (s.renews, "agreement"), (s.extends, "agreement"),
                                   (s.supersedes, "agreement"), (s.precedes, "agreement"),
                                   (s.formalizes, "relationship"), (s.alternative_account_of, "agreement")):
                    for key in keys:
                        self.ref(o, key, [kind], kind, f"an `{kind}s:` block" if kind != "initiative" else "a `corridors:` block")
            elif isinstance(s, r.CorridorStatement):
                for place in s.endpoints:
                    self.place(o, place)
                for org, _ in s.participants:
                    self.ref(o, org, ["org"], "organization", orgs)
                for fuel in s.fuels:
                    if self.fuels.find(fuel) is None:
                        self.error(o, f"unknown fuel {fuel!r}", "use one of " + ", ".join(self.fuels.names))
                self.theme_list(o, s.themes)
                for key in s.established_by:
                    self.ref(o, key, ["agreement"], "agreement", "an `agreements:` block")
                for key in s.alternative_account_of:
                    self.ref(o, key, ["initiative"], "initiative", "a `corridors:` block")
            elif isinstance(s, r.RelationshipStatement):
                for party in s.parties:
                    self.ref(o, party, party_kinds, "party", orgs)
            elif isinstance(s, r.RoleStatement):
                self.ref(o, s.person, ["person"], "person", people)
                self.ref(o, s.org, ["org"], "organization", orgs)
                self.role(o, s.normalised_role)
            elif isinstance(s, r.EventStatement):
                self.place(o, s.location)
                if s.part_of:
                    self.ref(o, s.part_of, ["event"], "event", "an `events:` block")
                if s.organizer:
                    self.ref(o, s.organizer, ["org"], "organization", orgs)
                self.theme_list(o, s.themes)
            elif isinstance(s, r.QuotationStatement):
                self.ref(o, s.speaker, ["person"], "person", people)
                if s.role:
                    self.ref(o, s.role.org, ["org"], "organization", orgs)
                    self.role(o, s.role.normalised_role)
                for key in s.about:
                    self.ref(o, key, ["agreement", "initiative", "event", "relationship"], "subject",
                             "an agreements, corridors, events or relationships block")
            elif isinstance(s, r.ImageStatement):
                for key in s.depicts:
                    self.ref(o, key, ["person", "event", "agreement"], "person or event", people)
                for key in s.about:
                    self.ref(o, key, ["agreement", "initiative", "event", "relationship"], "subject",
                             "an agreements, corridors, events or relationships block")
                if s.credit:
                    self.ref(o, s.credit, ["org"], "organization", orgs)
            elif isinstance(s, r.PortStatement):
                self.port_code(o, s.code)
                self.ref(o, s.code, ["port"], "port", "registry/ports.yaml")
                if s.country:
                    self.ref(o, s.country, ["country"], "country", "registry/ports.yaml countries")
            elif isinstance(s, r.OrganizationStatement):
                self.ref(o, s.key, ["org"], "organization", orgs)
                if s.country:
                    self.ref(o, s.country, ["country"], "country", "registry/ports.yaml countries")

    def place(self, origin: r.Origin | None, place: r.PlaceRef | None) -> None:
        if place is None:
            return
        if place.kind == "port":
            self.port_code(origin, place.id)
            self.ref(origin, place.id, ["port"], "port", "registry/ports.yaml")
        elif place.kind == "country":
            self.ref(origin, place.id, ["country"], "country", "registry/ports.yaml countries")
        elif place.kind == "locality":
            self.port_code(origin, place.id, port=False)
        else:
            self.ref(origin, place.id, ["cluster", "region"], "cluster or region", "registry/ports.yaml")


def r_port_alias(code: str) -> str | None:
    return _port_aliases().get(code)


@cache
def _port_aliases() -> Mapping[str, str]:
    from .unlocode import PORT_ALIASES  # imported when first needed: the package is large

    return PORT_ALIASES


def check_sources(sources: r.SourceSet) -> list[Problem]:
    """Every cross-reference problem of ``sources`` (errors and warnings)."""
    return _Checker(sources).run()
