"""Frozen, typed records of source facts: what the builders turn into RDF.

Records come from YAML files (:func:`portlod.load_sources`) or are made in code; either way
:func:`portlod.build` turns them into the same graph. Every record may carry an :class:`Origin`
(file, line, field) so that a problem found later still points at the line that caused it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Union

__all__ = [
    "AgreementStatement",
    "ClusterEntry",
    "CodeListRef",
    "CorridorStatement",
    "CountryEntry",
    "DerivedBlock",
    "Document",
    "EventStatement",
    "FuzzyDate",
    "ImageStatement",
    "OrganizationEntry",
    "OrganizationStatement",
    "Origin",
    "Paragraph",
    "Participant",
    "PersonEntry",
    "PlaceRef",
    "PortEntry",
    "PortStatement",
    "PositionRecord",
    "QuotationStatement",
    "RegionEntry",
    "Registry",
    "RelationshipStatement",
    "RoleRef",
    "RoleStatement",
    "SourceInfo",
    "SourceSet",
    "Statement",
    "StatusRecord",
]

Precision = Literal["day", "month", "year"]
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from: file, 1-based line and the field path inside the file."""

    file: str
    line: int | None = None
    field: str | None = None


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date at day, month or year precision, and/or the phrase the source prints.

    >>> FuzzyDate.parse("2023-03").precision
    'month'
    >>> FuzzyDate.parse("2023-03-16").as_date()
    datetime.date(2023, 3, 16)
    """

    value: str | None = None
    as_printed: str | None = None

    def __post_init__(self) -> None:
        if self.value is None and self.as_printed is None:
            raise ValueError("a date needs a value, a phrase as printed, or both")
        if self.value is not None:
            FuzzyDate.check(self.value)

    @staticmethod
    def check(text: str) -> Precision:
        """Return the precision of ``text`` (YYYY, YYYY-MM or YYYY-MM-DD) or raise ValueError."""
        match = _DATE_RE.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
        year, month, day = match.groups()
        if month is not None and not 1 <= int(month) <= 12:
            raise ValueError(f"{text!r} has no month {month}")
        if day is not None:
            try:
                date(int(year), int(month), int(day))
            except ValueError:
                raise ValueError(f"{text!r} is not a day of the calendar") from None
            return "day"
        return "month" if month is not None else "year"

    @classmethod
    def parse(cls, text: str, as_printed: str | None = None) -> "FuzzyDate":
        return cls(text, as_printed)

    @property
    def precision(self) -> Precision | None:
        return None if self.value is None else FuzzyDate.check(self.value)

    def as_date(self) -> date | None:
        """The first day the value can mean (2023-03 → 1 March 2023)."""
        if self.value is None:
            return None
        parts = [int(p) for p in self.value.split("-")] + [1, 1]
        return date(parts[0], parts[1], parts[2])


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place: a port code, a cluster or region key, a country code or a UN/LOCODE locality."""

    kind: Literal["port", "cluster", "region", "country", "locality"]
    id: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class PositionRecord:
    lat: float
    lon: float
    kind: Literal["port-basin", "city-centroid"]
    source: str


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A source document (or registry) as a resource."""

    key: str
    type: Literal["NewsArticle", "PressRelease", "Registry"]
    title: str
    publisher: str | None = None
    published: FuzzyDate | None = None
    url: str | None = None
    retrieved: str | None = None
    language: str = "en"
    file: str | None = None
    origin: Origin | None = None
    #: the YAML file relative to the data folder (recorded as pl:sourceFile; independent of the cwd)
    path: str | None = None


# --- registries -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CountryEntry:
    code: str
    name: str
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class PortEntry:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    subdivision: str | None = None
    operated_by: str | None = None
    governed_by: str | None = None
    wikidata: str | None = None
    position: PositionRecord | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class ClusterEntry:
    key: str
    name: str
    ports: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class RegionEntry:
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class OrganizationEntry:
    key: str
    name: str
    type: Literal["Organization", "PortAuthority", "PortOperator", "GovernmentBody"] = "Organization"
    aliases: tuple[str, ...] = ()
    country: str | None = None
    operates: tuple[str, ...] = ()
    governs: tuple[str, ...] = ()
    homepage: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class PersonEntry:
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class CodeListRef:
    """Where the UN/LOCODE code list is that codes are checked against (and ports described from)."""

    path: str
    countries: tuple[str, ...] = ()
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Registry:
    """A registry file: ports, clusters, regions, countries, organizations and people."""

    source: SourceInfo
    ports: tuple[PortEntry, ...] = ()
    clusters: tuple[ClusterEntry, ...] = ()
    regions: tuple[RegionEntry, ...] = ()
    countries: tuple[CountryEntry, ...] = ()
    organizations: tuple[OrganizationEntry, ...] = ()
    people: tuple[PersonEntry, ...] = ()
    code_list: CodeListRef | None = None


# --- statements of a paragraph ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Participant:
    """A signatory or attendee: person (optional), title as printed, role, on whose behalf."""

    person: str | None = None
    role: str | None = None
    normalised_role: str | None = None
    on_behalf_of: str | None = None
    witness: bool = False
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class AgreementStatement:
    key: str
    type: str | None = None
    name: str | None = None
    parties: tuple[str, ...] = ()
    signed: FuzzyDate | None = None
    signed_at: PlaceRef | None = None
    during: str | None = None
    signatories: tuple[Participant, ...] = ()
    attendees: tuple[Participant, ...] = ()
    themes: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()
    purpose: str | None = None
    status: str | None = None
    establishes: tuple[str, ...] = ()
    renews: tuple[str, ...] = ()
    extends: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    precedes: tuple[str, ...] = ()
    formalizes: tuple[str, ...] = ()
    alternative_account_of: tuple[str, ...] = ()
    note: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class StatusRecord:
    status: str
    as_of: FuzzyDate | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class CorridorStatement:
    key: str
    type: str | None = None
    name: str | None = None
    endpoints: tuple[PlaceRef, ...] = ()
    participants: tuple[tuple[str, str], ...] = ()
    fuels: tuple[str, ...] = ()
    segment: str | None = None
    aims: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    status: tuple[StatusRecord, ...] = ()
    planned_start: FuzzyDate | None = None
    established_by: tuple[str, ...] = ()
    alternative_account_of: tuple[str, ...] = ()
    note: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class RelationshipStatement:
    key: str
    name: str | None = None
    parties: tuple[str, ...] = ()
    since: FuzzyDate | None = None
    note: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class RoleStatement:
    person: str
    org: str
    role: str
    normalised_role: str | None = None
    as_of: FuzzyDate | None = None
    start: FuzzyDate | None = None
    end: FuzzyDate | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class EventStatement:
    key: str
    type: str | None = None
    name: str | None = None
    start: FuzzyDate | None = None
    end: FuzzyDate | None = None
    date_as_printed: str | None = None
    location: PlaceRef | None = None
    part_of: str | None = None
    organizer: str | None = None
    audience: str | None = None
    themes: tuple[str, ...] = ()
    note: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class RoleRef:
    """The title a person held when speaking: organization + role as printed."""

    org: str
    role: str
    normalised_role: str | None = None


@dataclass(frozen=True, slots=True)
class QuotationStatement:
    speaker: str
    excerpt: str
    summary: str
    role: RoleRef | None = None
    about: tuple[str, ...] = ()
    n: int = 1
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class ImageStatement:
    key: str
    depicts: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    credit: str | None = None
    summary: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class PortStatement:
    code: str
    name: str | None = None
    country: str | None = None
    subdivision: str | None = None
    position: PositionRecord | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class OrganizationStatement:
    key: str
    name: str | None = None
    country: str | None = None
    note: str | None = None
    origin: Origin | None = None


Statement = Union[
    AgreementStatement, CorridorStatement, RelationshipStatement, RoleStatement, EventStatement,
    QuotationStatement, ImageStatement, PortStatement, OrganizationStatement,
]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """What one paragraph of a source states."""

    para: int
    statements: tuple[Statement, ...]
    line: int | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class DerivedBlock:
    """Facts implied (not stated) by the paragraphs ``from_paras``."""

    from_paras: tuple[int, ...]
    statements: tuple[Statement, ...]
    note: str | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """One source document and what each of its paragraphs states."""

    source: SourceInfo
    paragraphs: tuple[Paragraph, ...] = ()
    derived: tuple[DerivedBlock, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceSet:
    """Everything a build reads: registries and documents."""

    registries: tuple[Registry, ...] = ()
    documents: tuple[Document, ...] = ()
    warnings: tuple[object, ...] = field(default=())
    #: the UN/LOCODE list read for ``code_list`` (a :class:`portlod.unlocode.LocodeList`), if any
    locodes: object | None = None
