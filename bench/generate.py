"""Deterministic synthetic port-cooperation source facts for the benchmarks.

Everything is made as portlod's own records (:mod:`portlod.records`): registries of ports,
organizations and people, and news articles / press releases whose paragraphs state agreements,
corridors, roles, events and quotations. ``portlod.build`` turns them into the data set exactly as
it turns YAML sources into it; nothing here writes a triple.

What is in it, per port (ratios chosen to resemble the seed articles and ``performance.md``):

- ports with real UN/LOCODE sea-port codes, names, subdivisions and coordinates (read with
  :func:`portlod.unlocode.read_unlocode` from ``/work/shared/data/unlocode`` when present; a
  synthetic code scheme otherwise, or with ``codes="synthetic"``), countries with their names,
  a few port clusters and regions;
- a port authority per port (operates and governs it), some terminal operators, a ministry per
  country, a pool of news publishers;
- people, each with one or two time-bound roles (start, end, as of), the title as printed and
  the normalised role;
- agreements (MOU, trade, sister-port, cooperation, letter of intent, declaration) with 2-4
  parties, 1-3 signatories acting for a party, attendees, fuzzy signing dates (day, month or year,
  sometimes with the phrase printed), a place, a trade mission they were signed during, themes,
  scope and purpose, told over three paragraphs of one article;
- green shipping corridors with 2-5 endpoints (ports, sometimes a cluster, a region or a
  country), participants, fuels, trade segment, themes and dated statuses;
- several sources for a fraction of the facts (a second article restating an agreement, a
  later article reporting a corridor's progress), and conflicting claims for a few (another
  signing date, an extra party, another account of a corridor's shape, a port-basin position
  beside the registry's city centroid).

The size is the number of distinct triples of the built data set (the union of the fact graphs
plus the source descriptions, what Turtle / N-Triples / JSON-LD publish). The store holds more
quads than that, because a fact stated by two passages is in two graphs.

    >>> from bench.generate import generate
    >>> sources = generate(10_000)            # doctest: +SKIP
    >>> ds = portlod.build(sources)           # doctest: +SKIP

Run as a script to print the counts: ``python bench/generate.py 100k``.
"""

from __future__ import annotations

import random
import string
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from portlod import records as r

__all__ = ["GeneratedSet", "UNLOCODE_DIR", "generate", "parse_size"]

UNLOCODE_DIR = Path("/work/shared/data/unlocode")
#: distinct triples the generator makes per port (measured; used to pick the number of ports)
TRIPLES_PER_PORT = 218.0
SEED = 20261123

_AGREEMENT_TYPES = ("MemorandumOfUnderstanding", "MemorandumOfUnderstanding", "MemorandumOfUnderstanding",
                    "CooperationAgreement", "CooperationAgreement", "SisterPortAgreement", "TradeAgreement",
                    "LetterOfIntent", "Declaration")
_AGREEMENT_WORDS = {"MemorandumOfUnderstanding": "MOU", "CooperationAgreement": "cooperation agreement",
                    "SisterPortAgreement": "sister-port agreement", "TradeAgreement": "trade agreement",
                    "LetterOfIntent": "letter of intent", "Declaration": "declaration"}
_AGREEMENT_STATUS = ("Signed", "Signed", "Signed", "InForce", "InForce", "Expired", "Terminated")
_CORRIDOR_STATUS = ("Announced", "Agreed", "PreFeasibility", "Feasibility", "ImplementationPlanning", "Pilots",
                    "Operational")
_PARTICIPANT_ROLES = ("Convener", "Carrier", "CargoOwner", "FuelSupplier", "GovernmentPartner", "KnowledgePartner")
_SEGMENTS = ("ContainerSegment", "BulkSegment", "RoRoSegment", "CruiseSegment", "EnergySegment")
_THEMES = ("AlternativeFuels", "BestPracticeExchange", "BunkeringInfrastructure", "CargoHandlingEquipment",
           "CooperationAndGovernance", "Decarbonization", "DigitalizationAndEfficiency",
           "EnergyUseAndAlternativeEnergy", "EnvironmentalStewardship", "GreenShippingCorridor",
           "InfrastructureDevelopment", "OperationalEfficiency", "PolicyAndIncentives", "PollutionReduction",
           "ShorePower", "SupplyChainDigitalization", "TradeAndInfrastructure", "TradeRouteDevelopment",
           "ZeroEmissionVehicles", "ZeroEmissionVessels")
_FUELS = ("Ammonia", "GreenAmmonia", "Methanol", "EMethanol", "BioMethanol", "Hydrogen", "GreenHydrogen", "LNG",
          "Electricity", "Biofuel")
# (title as printed, normalised role)
_PORT_TITLES = (("Executive Director", "ExecutiveDirector"), ("Chief Executive Officer", "ChiefExecutiveOfficer"),
                ("CEO", "ChiefExecutiveOfficer"), ("President", "President"), ("Director General", "DirectorGeneral"),
                ("Chair of the Board", "Chair"), ("Harbor Commissioner", "Commissioner"),
                ("Deputy Executive Director", "Other"), ("Chief Operating Officer", "Other"))
_GOV_TITLES = (("Minister of Transport", "Minister"), ("Secretary of Transportation", "SecretaryOfTransportation"),
               ("Mayor", "Mayor"), ("Governor", "Governor"), ("Ambassador", "Ambassador"), ("Consul General", "Consul"))
_FIRST = ("Anna", "Bjorn", "Carlos", "Dana", "Elif", "Fatima", "Gene", "Hiroya", "Ingrid", "Jun", "Kwame", "Lena",
          "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tomoko", "Uma", "Viktor", "Wei", "Ximena",
          "Yusuf", "Zofia", "Amara", "Bruno", "Chloe", "Dmitri", "Esther", "Felix")
_LAST = ("Andersson", "Baptiste", "Chen", "Dubois", "Eriksen", "Fernandes", "Garcia", "Haddad", "Ito", "Jensen",
         "Kowalski", "Larsen", "Moreau", "Nakano", "Okafor", "Petrov", "Quispe", "Rossi", "Seroka", "Tanaka",
         "Usman", "Varga", "Wong", "Xu", "Yilmaz", "Zimmermann", "Alvarez", "Berg", "Costa", "Diallo")
_AIMS = ("cut emissions along the trade route", "prepare bunkering of alternative fuels",
         "deploy zero-emission vessels on the route", "share data on port calls", "align incentives for clean ships",
         "install shore power at the container terminals")
_SCOPES = ("exchange of best practices on port operations", "digitalization of the supply chain",
           "joint marketing of the trade route", "shore power and clean cargo handling equipment",
           "training of port staff", "development of bunkering infrastructure")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_RETRIEVED = "2026-11-22"


def parse_size(text: str | int) -> int:
    """``"10k"`` → 10 000, ``"1M"`` → 1 000 000, ``"2500"`` → 2 500."""
    if isinstance(text, int):
        return text
    t = text.strip().lower().replace("_", "")
    factor = 1
    if t.endswith("k"):
        factor, t = 1_000, t[:-1]
    elif t.endswith("m"):
        factor, t = 1_000_000, t[:-1]
    return int(float(t) * factor)


@dataclass(frozen=True)
class _Port:
    code: str
    name: str
    subdivision: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class GeneratedSet:
    """The records and what the benchmarks need to know about them (sample keys for questions and
    for incremental validation)."""

    sources: r.SourceSet
    target: int
    ports: int
    codes: str
    #: sample keys, by kind, for the named questions
    samples: dict[str, str]
    #: IRIs of resources to "change" for incremental validation (agreements, ports, people, ...)
    change_candidates: tuple[str, ...]


@lru_cache(maxsize=1)
def _real_ports() -> tuple[tuple[_Port, ...], dict[str, str]]:
    """Sea ports of the UN/LOCODE list (function 1, not marked for removal), sorted by code, and
    the country names."""
    from portlod.unlocode import read_unlocode

    codes = read_unlocode([UNLOCODE_DIR], skip_bad=True)
    ports = []
    for loc in codes.ports():
        if loc.marked_for_removal or len(loc.code) != 5:
            continue
        if not all(c in string.ascii_uppercase + "23456789" for c in loc.code[2:]):
            continue
        sub = loc.subdivision if loc.subdivision and loc.subdivision.isalnum() and len(loc.subdivision) <= 3 else None
        coords = loc.coordinates
        ports.append(_Port(loc.code, loc.name_ascii or loc.name, f"{loc.country}-{sub.upper()}" if sub else None,
                           coords.lat if coords else None, coords.lon if coords else None))
    ports.sort(key=lambda p: p.code)
    names = {cc: name.title() for cc, name in codes.country_names.items()}
    return tuple(ports), names


def _synthetic_ports(n: int, rng: random.Random) -> tuple[list[_Port], dict[str, str]]:
    letters = string.ascii_uppercase
    tail = string.ascii_uppercase + "23456789"
    countries = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWY" for b in "AEIOU"][:120]
    ports: list[_Port] = []
    seen: set[str] = set()
    while len(ports) < n:
        cc = countries[len(ports) % len(countries)]
        code = cc + "".join(rng.choice(tail) for _ in range(3))
        if code in seen:
            continue
        seen.add(code)
        name = "".join(rng.choice(letters) for _ in range(1)) + "".join(rng.choice(string.ascii_lowercase) for _ in range(6))
        ports.append(_Port(code, name, f"{cc}-{rng.randint(1, 99):02d}",
                           round(rng.uniform(-60, 70), 4), round(rng.uniform(-179, 179), 4)))
    ports.sort(key=lambda p: p.code)
    return ports, {cc: f"Country {cc}" for cc in countries}


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        out.append(ch if ch.isalnum() and ch.isascii() else "-")
    return "-".join(part for part in "".join(out).split("-") if part) or "x"


class _Gen:
    def __init__(self, target: int, codes: str, seed: int) -> None:
        self.rng = random.Random(seed)
        self.target = target
        n_ports = max(12, round(target / TRIPLES_PER_PORT))
        real: tuple[_Port, ...] = ()
        names: dict[str, str] = {}
        if codes == "real" or (codes == "auto" and UNLOCODE_DIR.is_dir()):
            real, names = _real_ports()
            self.codes = "real"
        else:
            self.codes = "synthetic"
        if len(real) >= n_ports:
            # spread the choice over the whole list (all countries), deterministically
            picked = sorted(random.Random(seed + 1).sample(range(len(real)), n_ports))
            ports = [real[i] for i in picked]
        else:
            extra, synthetic_names = _synthetic_ports(n_ports - len(real), random.Random(seed + 2))
            ports = list(real) + [p for p in extra if p.code not in {q.code for q in real}]
            names = {**synthetic_names, **names}
            if real:
                self.codes = "real+synthetic"
        self.ports = ports
        self.country_names = names
        self.samples: dict[str, str] = {}
        self.changes: list[str] = []

    # -- helpers ----------------------------------------------------------------------------------
    def date(self, lo: int = 2005, hi: int = 2026) -> r.FuzzyDate:
        rng = self.rng
        year = rng.randint(lo, hi)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        x = rng.random()
        if x < 0.6:
            value = f"{year}-{month:02d}-{day:02d}"
            printed = rng.choice((None, None, None, f"{_MONTHS[month - 1]} {day}", "on Tuesday"))
        elif x < 0.9:
            value = f"{year}-{month:02d}"
            printed = rng.choice((None, f"early {_MONTHS[month - 1]}", f"mid-{_MONTHS[month - 1]}", "this week",
                                  f"late {_MONTHS[month - 1]}"))
        else:
            value = str(year)
            printed = rng.choice((None, "earlier this year", f"in {year}"))
        return r.FuzzyDate(value, printed)

    def person_name(self, i: int) -> str:
        return f"{_FIRST[i % len(_FIRST)]} {_LAST[(i // len(_FIRST)) % len(_LAST)]}"

    # -- everything -------------------------------------------------------------------------------
    def run(self) -> GeneratedSet:
        rng = self.rng
        ports = self.ports
        n = len(ports)
        countries = sorted({p.code[:2] for p in ports})

        # registries -----------------------------------------------------------------------------
        authority = {p.code: f"port-authority-{p.code.lower()}" for p in ports}
        port_entries = []
        for p in ports:
            pos = None
            if p.lat is not None and p.lon is not None:
                pos = r.PositionRecord(p.lat, p.lon, "city-centroid",
                                       "https://unece.org/trade/cefact/unlocode-code-list-country-and-territory")
            port_entries.append(r.PortEntry(
                code=p.code, name=f"Port of {p.name}", aliases=(f"{p.name} Port",) if rng.random() < 0.4 else (),
                country=p.code[:2], subdivision=p.subdivision, operated_by=authority[p.code],
                governed_by=authority[p.code], position=pos))
        clusters = []
        by_country: dict[str, list[str]] = {}
        for p in ports:
            by_country.setdefault(p.code[:2], []).append(p.code)
        for cc in countries:
            codes = by_country[cc]
            for i in range(0, len(codes) - 1, 40):
                members = tuple(codes[i:i + rng.randint(2, 3)])
                if len(members) >= 2:
                    clusters.append(r.ClusterEntry(f"{cc.lower()}-port-cluster-{i // 40 + 1}",
                                                   f"{self.country_names.get(cc, cc)} port cluster {i // 40 + 1}",
                                                   members))
        regions = tuple(r.RegionEntry(key, name) for key, name in (
            ("east-asia", "East Asia"), ("north-sea", "North Sea"), ("baltic-sea", "Baltic Sea"),
            ("mediterranean", "Mediterranean"), ("us-west-coast", "US West Coast"), ("gulf-of-mexico", "Gulf of Mexico"),
            ("south-east-asia", "South-East Asia"), ("west-africa", "West Africa")))
        country_entries = tuple(r.CountryEntry(cc, self.country_names.get(cc) or f"Country {cc}") for cc in countries)
        ports_registry = r.Registry(
            source=r.SourceInfo("bench-ports", "Registry", "benchmark port registry", publisher="portlod-bench"),
            ports=tuple(port_entries), clusters=tuple(clusters), regions=regions, countries=country_entries)

        orgs: list[r.OrganizationEntry] = [r.OrganizationEntry("portlod-bench", "portlod benchmark generator")]
        for p in ports:
            orgs.append(r.OrganizationEntry(
                authority[p.code], f"Port Authority of {p.name}", "PortAuthority",
                aliases=(f"{p.name} Port Authority",) if rng.random() < 0.3 else (), country=p.code[:2],
                operates=(p.code,), governs=(p.code,),
                homepage=f"https://www.port-{p.code.lower()}.example/" if rng.random() < 0.5 else None))
        operators = []
        for i, p in enumerate(ports):
            if rng.random() < 0.2:
                key = f"terminal-operator-{p.code.lower()}"
                operators.append(key)
                orgs.append(r.OrganizationEntry(key, f"{p.name} Terminals", "PortOperator", country=p.code[:2],
                                                operates=(p.code,)))
        ministries = {cc: f"ministry-of-transport-{cc.lower()}" for cc in countries}
        for cc in countries:
            orgs.append(r.OrganizationEntry(ministries[cc], f"Ministry of Transport of {self.country_names.get(cc, cc)}",
                                            "GovernmentBody", country=cc))
        publishers = [f"maritime-news-{i}" for i in range(max(5, n // 100))]
        for i, key in enumerate(publishers):
            orgs.append(r.OrganizationEntry(key, f"Maritime News {i}", "Organization",
                                            homepage=f"https://news{i}.example/"))
        orgs_registry = r.Registry(
            source=r.SourceInfo("bench-organizations", "Registry", "benchmark organization registry",
                                publisher="portlod-bench"),
            organizations=tuple(orgs))

        # people: two per port authority, one per ministry; each with a title at an organization
        people: list[r.PersonEntry] = []
        staff: dict[str, list[tuple[str, str, str]]] = {}   # org → [(person, title, normalised)]
        pid = 0
        for p in ports:
            for k in range(2):
                key = f"{_slug(self.person_name(pid))}-{pid}"
                people.append(r.PersonEntry(key, self.person_name(pid)))
                title = _PORT_TITLES[(pid + k) % len(_PORT_TITLES)]
                staff.setdefault(authority[p.code], []).append((key, title[0], title[1]))
                pid += 1
        for cc in countries:
            key = f"{_slug(self.person_name(pid))}-{pid}"
            people.append(r.PersonEntry(key, self.person_name(pid)))
            title = _GOV_TITLES[pid % len(_GOV_TITLES)]
            staff.setdefault(ministries[cc], []).append((key, title[0], title[1]))
            pid += 1
        people_registry = r.Registry(
            source=r.SourceInfo("bench-people", "Registry", "benchmark people registry", publisher="portlod-bench"),
            people=tuple(people))

        # documents ----------------------------------------------------------------------------
        docs: list[r.Document] = []
        doc_no = 0

        def new_source(title: str, published: r.FuzzyDate) -> r.SourceInfo:
            nonlocal doc_no
            doc_no += 1
            key = f"article-{doc_no:07d}"
            kind = "PressRelease" if doc_no % 4 == 0 else "NewsArticle"
            publisher = authority[ports[doc_no % n].code] if kind == "PressRelease" else publishers[doc_no % len(publishers)]
            return r.SourceInfo(key, kind, title, publisher=publisher, published=published,
                                url=f"https://news.example/{key}", retrieved=_RETRIEVED, language="en",
                                file=f"{key}.txt")

        # trade missions: events agreements are signed during
        events: list[tuple[str, r.EventStatement]] = []
        for i in range(max(2, n // 2)):
            year = rng.randint(2005, 2026)
            month = rng.randint(1, 12)
            start = rng.randint(1, 20)
            cc = countries[i % len(countries)]
            key = f"{year}-{cc.lower()}-trade-mission-{i}"
            events.append((cc, r.EventStatement(
                key, "TradeMission", f"{year} trade mission to {self.country_names.get(cc, cc)} ({i})",
                start=r.FuzzyDate(f"{year}-{month:02d}-{start:02d}"),
                end=r.FuzzyDate(f"{year}-{month:02d}-{start + rng.randint(2, 7):02d}"),
                date_as_printed=rng.choice((None, "a weeklong mission", f"{_MONTHS[month - 1]} {start}-{start + 5}")),
                location=r.PlaceRef("country", cc), organizer=ministries[cc],
                themes=tuple(rng.sample(_THEMES, 2)))))

        # time-bound roles, reported in staff announcements (one article per 10 people)
        person_list = [(org, who) for org, items in staff.items() for who in items]
        for i in range(0, len(person_list), 10):
            published = self.date(2010, 2026)
            src = new_source("Appointments at ports and ministries", published)
            paragraphs = []
            for j, (org, (person, title, normalised)) in enumerate(person_list[i:i + 10]):
                start_year = rng.randint(2000, 2024)
                end = r.FuzzyDate(str(start_year + rng.randint(2, 8))) if rng.random() < 0.35 else None
                stmts: list[r.Statement] = [r.RoleStatement(
                    person, org, title, normalised, as_of=published, start=r.FuzzyDate(str(start_year)), end=end)]
                if end is not None and rng.random() < 0.5:
                    # moved on: a later title at another port authority
                    other = authority[ports[rng.randrange(n)].code]
                    t2 = _PORT_TITLES[rng.randrange(len(_PORT_TITLES))]
                    stmts.append(r.RoleStatement(person, other, t2[0], t2[1], start=end))
                paragraphs.append(r.Paragraph(j + 2, tuple(stmts), line=2 * j + 3))
            docs.append(r.Document(src, tuple(paragraphs)))

        # agreements -----------------------------------------------------------------------------
        agreements: list[tuple[str, tuple[str, ...], r.FuzzyDate]] = []
        n_agreements = 2 * n
        for i in range(n_agreements):
            home = ports[i % n]
            n_parties = rng.choice((2, 2, 2, 3, 4))
            party_ports = [home] + [ports[rng.randrange(n)] for _ in range(n_parties - 1)]
            parties = tuple(dict.fromkeys(authority[p.code] for p in party_ports))
            if len(parties) < 2:
                parties = parties + (ministries[home.code[:2]],)
            if rng.random() < 0.1:
                parties = parties + (ministries[party_ports[-1].code[:2]],)
                parties = tuple(dict.fromkeys(parties))
            kind = rng.choice(_AGREEMENT_TYPES)
            signed = self.date()
            year = signed.value[:4] if signed.value else "2020"
            key = f"{year}-{home.code.lower()}-{_slug(_AGREEMENT_WORDS[kind])}-{i}"
            name = f"{ports[i % n].name} {_AGREEMENT_WORDS[kind]} with {len(parties) - 1} partner(s) ({year})"
            event_cc, event = events[i % len(events)]
            during = event.key if rng.random() < 0.3 else None
            signatories = []
            for party in parties[:rng.randint(1, min(3, len(parties)))]:
                who = staff.get(party)
                if who:
                    person, title, normalised = who[i % len(who)]
                    signatories.append(r.Participant(person, title, normalised, party))
                else:
                    signatories.append(r.Participant(None, "officials", "Other", party))
            attendees = ()
            if rng.random() < 0.25:
                gov = ministries[home.code[:2]]
                person, title, normalised = staff[gov][0]
                attendees = (r.Participant(person, title, normalised, gov, witness=rng.random() < 0.3),)
            themes = tuple(rng.sample(_THEMES, rng.randint(1, 3)))
            signed_at = (r.PlaceRef("port", home.code) if rng.random() < 0.5 else r.PlaceRef("country", event_cc)
                         if during else None)
            published = r.FuzzyDate(signed.value) if signed.value and len(signed.value) == 10 else signed
            src = new_source(f"{name}: ports sign {_AGREEMENT_WORDS[kind]}", published)
            paras = [
                r.Paragraph(1, (r.AgreementStatement(key, kind, name, parties=parties,
                                                     purpose="Cooperate on cleaner, more efficient shipping."),
                                r.PortStatement(home.code, country=home.code[:2])), line=1),
                r.Paragraph(2, (r.AgreementStatement(key, kind, parties=parties, signed=signed, signed_at=signed_at,
                                                     during=during, signatories=tuple(signatories),
                                                     attendees=attendees, status=rng.choice(_AGREEMENT_STATUS)),)
                            + ((event,) if during else ()), line=3),
                r.Paragraph(3, (r.AgreementStatement(key, themes=themes,
                                                     scope=tuple(rng.sample(_SCOPES, rng.randint(1, 2)))),), line=5),
            ]
            if signatories and signatories[0].person and rng.random() < 0.3:
                s0 = signatories[0]
                paras.append(r.Paragraph(4, (r.QuotationStatement(
                    s0.person, "a milestone for both ports", "The agreement strengthens the partnership.",
                    role=r.RoleRef(s0.on_behalf_of or parties[0], s0.role or "official", s0.normalised_role),
                    about=(key,)),), line=7))
            docs.append(r.Document(src, tuple(paras)))
            agreements.append((key, parties, signed))
            x = rng.random()
            if x < 0.2:
                # a second source restates it (corroboration)
                src2 = new_source(f"Report: {name}", self.date(int(year), min(int(year) + 1, 2026)))
                docs.append(r.Document(src2, (
                    r.Paragraph(1, (r.AgreementStatement(key, kind, name, parties=parties, signed=signed),), line=1),
                    r.Paragraph(2, (r.AgreementStatement(key, themes=themes[:1]),), line=3),
                )))
            elif x < 0.23:
                # a second source disagrees: another signing date, or one more party
                self.samples.setdefault("conflict", f"agreement/{key}")
                src2 = new_source(f"Another account: {name}", self.date(int(year), min(int(year) + 1, 2026)))
                if rng.random() < 0.5 or not signed.value:
                    other = self.date(int(year), int(year))
                    stmt = r.AgreementStatement(key, kind, parties=parties, signed=other)
                else:
                    extra = authority[ports[rng.randrange(n)].code]
                    stmt = r.AgreementStatement(key, kind, parties=tuple(dict.fromkeys(parties + (extra,))),
                                                signed=signed)
                docs.append(r.Document(src2, (r.Paragraph(1, (stmt,), line=1),)))

        # corridors --------------------------------------------------------------------------------
        n_corridors = max(2, n // 5)
        cluster_keys = [c.key for c in clusters]
        for i in range(n_corridors):
            k = rng.randint(2, 5)
            endpoint_ports = list(dict.fromkeys(ports[(i * 7 + j * rng.randint(1, n)) % n].code for j in range(k)))
            while len(endpoint_ports) < 2:
                endpoint_ports.append(ports[rng.randrange(n)].code)
            endpoints = [r.PlaceRef("port", c) for c in endpoint_ports]
            if rng.random() < 0.1 and cluster_keys:
                endpoints.append(r.PlaceRef("cluster", rng.choice(cluster_keys)))
            elif rng.random() < 0.05:
                endpoints.append(r.PlaceRef("region", rng.choice(regions).key))
            elif rng.random() < 0.05:
                endpoints.append(r.PlaceRef("country", endpoint_ports[0][:2]))
            key = f"{'-'.join(c.lower() for c in endpoint_ports[:3])}-gsc-{i}"
            name = f"{' - '.join(c for c in endpoint_ports)} green shipping corridor"
            participants = tuple((authority[c], "PortPartner") for c in endpoint_ports)
            if rng.random() < 0.4 and operators:
                participants += ((rng.choice(operators), rng.choice(_PARTICIPANT_ROLES)),)
            stage = rng.randint(0, len(_CORRIDOR_STATUS) - 1)
            announced = self.date(2020, 2025)
            statuses = [r.StatusRecord(_CORRIDOR_STATUS[0], announced)]
            if stage:
                statuses.append(r.StatusRecord(_CORRIDOR_STATUS[stage], self.date(int(announced.value[:4]), 2026)))
            established_by = ()
            if agreements and rng.random() < 0.3:
                established_by = (agreements[(i * 13) % len(agreements)][0],)
            src = new_source(f"{name} announced", announced)
            paras = [
                r.Paragraph(1, (r.CorridorStatement(key, "GreenShippingCorridor", name, endpoints=tuple(endpoints),
                                                    participants=participants),), line=1),
                r.Paragraph(2, (r.CorridorStatement(key, fuels=tuple(rng.sample(_FUELS, rng.randint(1, 2))),
                                                    segment=rng.choice(_SEGMENTS),
                                                    aims=tuple(rng.sample(_AIMS, rng.randint(1, 2))),
                                                    themes=("GreenShippingCorridor",) + tuple(rng.sample(_THEMES, 1)),
                                                    status=tuple(statuses[:1]),
                                                    planned_start=self.date(2024, 2030) if rng.random() < 0.5 else None,
                                                    established_by=established_by),), line=3),
            ]
            docs.append(r.Document(src, tuple(paras)))
            x = rng.random()
            if stage or x < 0.15:
                # a later article reports progress (a second source for the corridor)
                src2 = new_source(f"Progress on the {name}", self.date(2023, 2026))
                docs.append(r.Document(src2, (r.Paragraph(1, (r.CorridorStatement(
                    key, "GreenShippingCorridor", endpoints=tuple(endpoints), status=tuple(statuses[1:] or statuses)),),
                    line=1),)))
            if x > 0.97 and len(endpoint_ports) >= 3:
                # another account of the corridor's shape: two ports instead of all of them
                alt = f"{key}-as-reported-{i}"
                src3 = new_source(f"{name}: a narrower corridor", announced)
                docs.append(r.Document(src3, (r.Paragraph(1, (r.CorridorStatement(
                    alt, "GreenShippingCorridor", f"{endpoint_ports[0]} - {endpoint_ports[1]} green shipping corridor",
                    endpoints=tuple(endpoints[:2]), status=tuple(statuses[:1]), alternative_account_of=(key,)),),
                    line=1),)))
            if i == 0:
                self.samples["corridor"] = key

        # port-basin positions reported by articles, beside the registry's centroid (a few)
        for i in range(0, n, 50):
            p = ports[i]
            if p.lat is None or p.lon is None:
                continue
            src = new_source(f"Port of {p.name} opens new terminal", self.date(2018, 2026))
            docs.append(r.Document(src, (r.Paragraph(2, (r.PortStatement(
                p.code, name=f"Port of {p.name}", position=r.PositionRecord(
                    round(p.lat + 0.01, 4), round(p.lon + 0.01, 4), "port-basin", src.key)),), line=3),)))

        # samples for questions and incremental validation -------------------------------------
        busiest = max(range(n), key=lambda i: 0)  # port 0 is the home of agreements 0 and n
        self.samples.update({
            "port": ports[busiest].code,
            "org": authority[ports[busiest].code],
            "agreement": agreements[0][0],
            "person": staff[authority[ports[busiest].code]][0][0],
            "name": f"Port of {ports[busiest].name}",
            "theme": "ShorePower",
            "year": agreements[0][2].value[:4] if agreements[0][2].value else "2020",
            "source": docs[len(docs) // 2].source.key,
        })
        base = "https://w3id.org/portlod/id/"
        pick = random.Random(SEED + 3)
        # 100 resources: 60 agreements, 20 ports, 10 people, 10 port authorities (more agreements
        # where the data set has too few of the others)
        candidates = ([f"{base}port/{p.code}" for p in pick.sample(ports, min(20, n))]
                      + [f"{base}person/{p.key}" for p in pick.sample(people, min(10, len(people)))]
                      + [f"{base}org/{authority[p.code]}" for p in pick.sample(ports, min(10, n))])
        candidates = ([f"{base}agreement/{a[0]}"
                       for a in pick.sample(agreements, min(100 - len(candidates), len(agreements)))] + candidates)
        sources = r.SourceSet((ports_registry, orgs_registry, people_registry), tuple(docs))
        return GeneratedSet(sources, self.target, n, self.codes, dict(self.samples), tuple(candidates))


def generate(size: int | str, *, codes: str = "auto", seed: int = SEED) -> GeneratedSet:
    """Source records for a data set of about ``size`` distinct triples (``"10k"``, ``"1M"`` ...).

    ``codes``: ``"real"`` (UN/LOCODE sea ports from :data:`UNLOCODE_DIR`), ``"synthetic"`` or
    ``"auto"`` (real when the list is there). The same arguments always give the same records.
    """
    if codes not in ("auto", "real", "synthetic"):
        raise ValueError("codes must be 'auto', 'real' or 'synthetic'")
    return _Gen(parse_size(size), codes, seed).run()


def main(argv: list[str] | None = None) -> int:
    import time

    import portlod

    args = argv if argv is not None else sys.argv[1:]
    for size in args or ["10k"]:
        t0 = time.perf_counter()
        gen = generate(size)
        t1 = time.perf_counter()
        ds = portlod.build(gen.sources)
        t2 = time.perf_counter()
        triples = len(ds.union())
        print(f"{size}: {gen.ports} ports ({gen.codes} codes), {len(gen.sources.documents)} documents, "
              f"{len(ds.store)} quads, {triples} triples ({triples / gen.ports:.1f}/port), "
              f"{len(ds.fact_graphs())} fact graphs; generate {t1 - t0:.2f} s, build {t2 - t1:.2f} s")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    raise SystemExit(main())
