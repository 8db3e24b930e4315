"""Source files (YAML) → frozen typed records, with every problem reported at once.

``load_sources(folder)`` reads ``registry/*.yaml`` and ``sources/*.yaml`` (any ``*.yaml`` below
the folder), checks each field and every cross-reference, and returns a :class:`SourceSet`, or
raises :class:`SourceError` listing every problem with file, line and field. The format is
documented in ``docs/source-format.md``.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import replace
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox

from . import records as r
from ._yaml import YList, YMap, YValue, load_yaml
from .errors import Problem, SourceError

__all__ = ["check_sources", "load_sources", "normalise_role", "parse_document", "parse_registry"]

KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LOCODE_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_WEB_RE = re.compile(r"^https?://\S+$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True
SUBDIVISION_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")

AGREEMENT_TYPES = ("Agreement", "MemorandumOfUnderstanding", "TradeAgreement", "SisterPortAgreement",
                   "CooperationAgreement", "LetterOfIntent", "Declaration")
INITIATIVE_TYPES = ("GreenShippingCorridor", "Initiative")
EVENT_TYPES = ("Event", "TradeMission", "SigningCeremony", "EventSeries")
ORG_TYPES = ("Organization", "PortAuthority", "PortOperator", "GovernmentBody")
SOURCE_TYPES = ("NewsArticle", "PressRelease", "Registry")
AGREEMENT_STATUSES = ("Signed", "InForce", "Expired", "Terminated")
INITIATIVE_STATUSES = ("Announced", "Agreed", "PreFeasibility", "Feasibility", "ImplementationPlanning",
                       "Pilots", "Operational", "Dormant", "Ended")
PARTICIPANT_ROLES = ("PortPartner", "Convener", "Carrier", "CargoOwner", "FuelSupplier",
                     "GovernmentPartner", "KnowledgePartner")
SEGMENTS = ("ContainerSegment", "BulkSegment", "RoRoSegment", "CruiseSegment", "EnergySegment")
POSITION_KINDS = ("port-basin", "city-centroid")


T = TypeVar("T")


class _Ctx:
    def __init__(self, file: str, path: Path | None = None) -> None:
        self.file = file
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int | None, field: str | None, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.file, line, field, message, hint))

    def warn(self, line: int | None, field: str | None, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.file, line, field, message, hint, "warning"))


def _suggest(word: str, choices: Iterable[str]) -> str | None:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


class _Fields:
    """Typed, problem-reporting access to one YAML mapping that becomes one record."""

    def __init__(self, ctx: _Ctx, value: YValue, path: str, allowed: Iterable[str], line: int | None = None) -> None:
        self.ctx = ctx
        self.path = path
        self.ok = isinstance(value, YMap)
        self.m: YMap = value if isinstance(value, YMap) else YMap()
        self.line = value.line if isinstance(value, YMap) else line
        if not self.ok:
            ctx.error(line, path, f"expected a mapping of fields, found {_kind(value)}",
                      "write `field: value` lines (see docs/source-format.md)")
            return
        allowed = tuple(allowed)
        for name in self.m:
            if name not in allowed:
                guess = _suggest(name, allowed)
                ctx.error(self.m.lines[name], f"{path}.{name}", f"unknown field {name!r}",
                          f"did you mean {guess!r}?" if guess else f"allowed fields: {', '.join(allowed)}")

    def origin(self, name: str | None = None) -> r.Origin:
        if name is not None and name in self.m:
            return r.Origin(self.ctx.file, self.m.lines[name], f"{self.path}.{name}")
        return r.Origin(self.ctx.file, self.line, self.path)

    def _line(self, name: str) -> int | None:
        return self.m.lines.get(name, self.line)

    def _missing(self, name: str, hint: str) -> None:
        self.ctx.error(self.line, f"{self.path}.{name}", f"missing required field {name!r}", hint)

    def raw(self, name: str) -> YValue:
        return self.m.get(name)

    def text(self, name: str, *, required: bool = False, hint: str = "give a text") -> str | None:
        value = self.m.get(name)
        if value is None:
            if required:
                self._missing(name, hint)
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.ctx.error(self._line(name), f"{self.path}.{name}", f"expected a text, found {_kind(value)}", hint)
            return None
        text = " ".join(str(value).split())
        if not text:
            self.ctx.error(self._line(name), f"{self.path}.{name}", "the text is empty", hint)
            return None
        return text

    def pattern(self, name: str, regex: re.Pattern[str], what: str, hint: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required, hint=hint)
        if value is not None and not regex.match(value):
            self.ctx.error(self._line(name), f"{self.path}.{name}", f"{value!r} is not {what}", hint)
            return None
        return value

    def web_address(self, name: str, *, required: bool = False) -> str | None:
        """An http(s) address that is also a valid IRI (what the builder writes it as)."""
        value = self.pattern(name, _WEB_RE, "a web address", "write http(s)://...", required=required)
        if value is not None and not _is_iri(value):
            self.ctx.error(self._line(name), f"{self.path}.{name}", f"{value!r} is not a valid IRI",
                           "percent-encode spaces and the characters {, }, |, ^, <, >, \\ and \" (e.g. %7B)")
            return None
        return value

    def language(self, name: str) -> str | None:
        """A BCP 47 language tag (subtags of at most 8 letters or digits)."""
        value = self.pattern(name, _LANGUAGE_RE, "a language tag", "e.g. en, en-GB or zh-Hant")
        if value is not None:
            try:
                ox.Literal("", language=value)
            except ValueError:
                self.ctx.error(self._line(name), f"{self.path}.{name}", f"{value!r} is not a valid language tag",
                               "e.g. en, en-GB or zh-Hant")
                return None
        return value

    def key(self, name: str = "key", *, required: bool = True) -> str | None:
        return self.pattern(name, KEY_RE, "a valid key",
                            "use lower-case letters, digits and single hyphens, e.g. port-of-tokyo",
                            required=required)

    def choice(self, name: str, choices: tuple[str, ...], *, required: bool = False, default: str | None = None) -> str | None:
        value = self.text(name, required=required, hint=f"one of {', '.join(choices)}")
        if value is None:
            return default
        if value not in choices:
            guess = _suggest(value, choices)
            self.ctx.error(self._line(name), f"{self.path}.{name}", f"{value!r} is not one of {', '.join(choices)}",
                           f"did you mean {guess!r}?" if guess else None)
            return None
        return value

    def integer(self, name: str, *, required: bool = False) -> int | None:
        value = self.m.get(name)
        if value is None:
            if required:
                self._missing(name, "give a whole number")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.ctx.error(self._line(name), f"{self.path}.{name}", f"expected a positive whole number, found {value!r}",
                           "write a number such as 3")
            return None
        return value

    def number(self, name: str, low: float, high: float, *, required: bool = False) -> float | None:
        value = self.m.get(name)
        if value is None:
            if required:
                self._missing(name, "give a number")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            self.ctx.error(self._line(name), f"{self.path}.{name}", f"expected a number from {low} to {high}, found {value!r}",
                           "write decimal degrees, e.g. 57.7167")
            return None
        return float(value)

    def flag(self, name: str) -> bool:
        value = self.m.get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.ctx.error(self._line(name), f"{self.path}.{name}", f"expected true or false, found {value!r}", None)
            return False
        return value

    def items(self, name: str, *, required: bool = False) -> list[tuple[YValue, int, str]]:
        """The items of a list field (a single value counts as a list of one)."""
        value = self.m.get(name)
        if value is None:
            if required:
                self._missing(name, "give a list, e.g. [a, b]")
            return []
        if isinstance(value, YList):
            return [(item, line, f"{self.path}.{name}[{i}]") for i, (item, line) in enumerate(zip(value, value.lines))]
        return [(value, self._line(name) or 0, f"{self.path}.{name}")]

    def _list(self, name: str, check: Callable[[str], bool], what: str, hint: str, required: bool) -> tuple[str, ...]:
        out: list[str] = []
        for item, line, path in self.items(name, required=required):
            if isinstance(item, (YMap, YList)) or item is None or isinstance(item, bool):
                self.ctx.error(line, path, f"expected {what}, found {_kind(item)}", hint)
                continue
            text = " ".join(str(item).split())
            if not check(text):
                self.ctx.error(line, path, f"{text!r} is not {what}", hint)
                continue
            out.append(text)
        return tuple(out)

    def texts(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        return self._list(name, bool, "a text", "give one text per item", required)

    def keys(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        return self._list(name, lambda s: bool(KEY_RE.match(s)), "a key",
                          "use lower-case letters, digits and hyphens", required)

    def refs(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        """Keys, port codes or country codes."""
        return self._list(name, lambda s: bool(KEY_RE.match(s) or LOCODE_RE.match(s) or COUNTRY_RE.match(s)),
                          "a key, a UN/LOCODE or a country code",
                          "write an organization key (port-of-tokyo), a port code (JPTYO) or a country code (JP)",
                          required)

    def codes(self, name: str, *, required: bool = False) -> tuple[str, ...]:
        return self._list(name, lambda s: bool(LOCODE_RE.match(s)), "a UN/LOCODE",
                          "write five characters without a space, e.g. USLAX", required)

    def date(self, name: str, *, required: bool = False) -> r.FuzzyDate | None:
        value = self.m.get(name)
        path = f"{self.path}.{name}"
        line = self._line(name)
        if value is None:
            if required:
                self._missing(name, "write YYYY-MM-DD, YYYY-MM or YYYY")
            return None
        hint = "write YYYY-MM-DD, YYYY-MM or YYYY, or {date: ..., as_printed: ...}"
        phrase: str | None = None
        if isinstance(value, YMap):
            sub = _Fields(self.ctx, value, path, ("date", "as_printed"))
            phrase = sub.text("as_printed")
            raw: YValue = value.get("date")
            line = value.lines.get("date", value.line)
            if raw is None:
                if phrase is None:
                    self.ctx.error(value.line, path, "a date needs `date`, `as_printed` or both", hint)
                    return None
                return r.FuzzyDate(None, phrase)
        else:
            raw = value
        if isinstance(raw, bool) or isinstance(raw, (YMap, YList, float)) or raw is None:
            self.ctx.error(line, path, f"expected a date, found {_kind(raw)}", hint)
            return None
        text = str(raw).strip()
        try:
            r.FuzzyDate.check(text)
        except ValueError as exc:
            self.ctx.error(line, path, str(exc), hint)
            return None
        return r.FuzzyDate(text, phrase)

    def place(self, name: str, *, required: bool = False) -> r.PlaceRef | None:
        value = self.m.get(name)
        if value is None:
            if required:
                self._missing(name, "write a port code, {country: JP} or {locality: USLAX, name: Los Angeles}")
            return None
        return _place(self.ctx, value, f"{self.path}.{name}", self._line(name))


def _kind(value: YValue) -> str:
    if isinstance(value, YMap):
        return "a mapping"
    if isinstance(value, YList):
        return "a list"
    if value is None:
        return "nothing"
    return f"{value!r}"


def _place(ctx: _Ctx, value: YValue, path: str, line: int | None) -> r.PlaceRef | None:
    hint = "write a port code (USLAX), a cluster or region key, {country: JP} or {locality: USLAX, name: Los Angeles}"
    if isinstance(value, YMap):
        f = _Fields(ctx, value, path, ("locality", "country", "name"))
        locality = f.pattern("locality", LOCODE_RE, "a UN/LOCODE", "five characters, e.g. USLAX")
        country = f.pattern("country", COUNTRY_RE, "a country code", "two capital letters, e.g. JP")
        name = f.text("name")
        if (locality is None) == (country is None):
            if "locality" not in value or "country" not in value:
                ctx.error(value.line, path, "a place mapping needs exactly one of `locality` or `country`", hint)
            return None
        if locality is not None:
            return r.PlaceRef("locality", locality, name)
        assert country is not None
        return r.PlaceRef("country", country, name)
    if isinstance(value, str):
        text = value.strip()
        if LOCODE_RE.match(text):
            return r.PlaceRef("port", text)
        if COUNTRY_RE.match(text):
            return r.PlaceRef("country", text)
        if KEY_RE.match(text):
            return r.PlaceRef("cluster", text)  # cluster or region: resolved by the checks
    ctx.error(line, path, f"{value!r} is not a place", hint)
    return None


# --- registries -------------------------------------------------------------------------------


def _source_info(ctx: _Ctx, value: YValue, path: str, line: int | None, registry: bool) -> r.SourceInfo | None:
    f = _Fields(ctx, value, path, ("key", "type", "title", "publisher", "published", "url", "retrieved",
                                   "language", "file"), line)
    if not f.ok:
        return None
    key = f.key()
    kind = f.choice("type", SOURCE_TYPES, default="Registry" if registry else None, required=not registry)
    title = f.text("title", required=True)
    publisher = f.key("publisher", required=False)
    published = f.date("published")
    url = f.web_address("url")
    retrieved_date = f.date("retrieved")
    retrieved = None
    if retrieved_date is not None:
        if retrieved_date.precision != "day":
            ctx.error(f.m.lines.get("retrieved"), f"{path}.retrieved", "the retrieval date must be a day",
                      "write YYYY-MM-DD")
        retrieved = retrieved_date.value
    language = f.language("language") or "en"
    file = f.text("file")
    if key is None or title is None or kind is None:
        return None
    return r.SourceInfo(key, kind, title, publisher, published, url, retrieved, language, file,  # type: ignore[arg-type]
                        f.origin())


def _position(ctx: _Ctx, value: YValue, path: str, line: int | None) -> r.PositionRecord | None:
    f = _Fields(ctx, value, path, ("lat", "lon", "kind", "source"), line)
    lat = f.number("lat", -90, 90, required=True)
    lon = f.number("lon", -180, 180, required=True)
    kind = f.choice("kind", POSITION_KINDS, required=True)
    source = f.text("source", required=True, hint="a URL or a source key saying where the position comes from")
    if source is not None and not (KEY_RE.match(source) or (_WEB_RE.match(source) and _is_iri(source))):
        ctx.error(f.m.lines.get("source"), f"{path}.source", f"{source!r} is neither a source key nor a web address",
                  "give the key of a source (e.g. ktla-2023-03-16-port-of-la-gsc) or its http(s) address")
        source = None
    if lat is None or lon is None or kind is None or source is None:
        return None
    return r.PositionRecord(lat, lon, kind, source)  # type: ignore[arg-type]


def _entries(ctx: _Ctx, f: _Fields, name: str, parse: Callable[[_Ctx, _Fields], T | None],
             allowed: tuple[str, ...]) -> tuple[T, ...]:
    out: list[T] = []
    for item, line, path in f.items(name):
        sub = _Fields(ctx, item, path, allowed, line)
        if sub.ok:
            record = parse(ctx, sub)
            if record is not None:
                out.append(record)
    return tuple(out)


def _port_entry(ctx: _Ctx, f: _Fields) -> r.PortEntry | None:
    code = f.pattern("code", LOCODE_RE, "a UN/LOCODE", "five characters without a space, e.g. USLAX", required=True)
    name = f.text("name", required=True)
    position = f.raw("position")
    entry = r.PortEntry(
        code or "", name or "", f.texts("aliases"),
        f.pattern("country", COUNTRY_RE, "a country code", "two capital letters, e.g. US"),
        f.pattern("subdivision", SUBDIVISION_RE, "an ISO 3166-2 code", "e.g. US-CA"),
        f.key("operated_by", required=False), f.key("governed_by", required=False),
        f.pattern("wikidata", WIKIDATA_RE, "a Wikidata item", "e.g. Q12345"),
        _position(ctx, position, f"{f.path}.position", f.m.lines.get("position")) if position is not None else None,
        f.origin())
    return entry if code and name else None


def _cluster_entry(ctx: _Ctx, f: _Fields) -> r.ClusterEntry | None:
    key, name = f.key(), f.text("name", required=True)
    ports = f.codes("ports", required=True)
    return r.ClusterEntry(key, name, ports, f.texts("aliases"), f.origin()) if key and name else None


def _region_entry(ctx: _Ctx, f: _Fields) -> r.RegionEntry | None:
    key, name = f.key(), f.text("name", required=True)
    return r.RegionEntry(key, name, f.texts("aliases"), f.origin()) if key and name else None


def _country_entry(ctx: _Ctx, f: _Fields) -> r.CountryEntry | None:
    code = f.pattern("code", COUNTRY_RE, "a country code", "two capital letters, e.g. JP", required=True)
    name = f.text("name", required=True)
    return r.CountryEntry(code, name, f.origin()) if code and name else None


def _org_entry(ctx: _Ctx, f: _Fields) -> r.OrganizationEntry | None:
    key, name = f.key(), f.text("name", required=True)
    kind = f.choice("type", ORG_TYPES, default="Organization")
    entry = r.OrganizationEntry(
        key or "", name or "", kind or "Organization", f.texts("aliases"),  # type: ignore[arg-type]
        f.pattern("country", COUNTRY_RE, "a country code", "two capital letters, e.g. US"),
        f.codes("operates"), f.codes("governs"),
        f.web_address("homepage"),
        f.origin())
    return entry if key and name else None


def _person_entry(ctx: _Ctx, f: _Fields) -> r.PersonEntry | None:
    key, name = f.key(), f.text("name", required=True)
    return r.PersonEntry(key, name, f.texts("aliases"), f.origin()) if key and name else None


def _code_list(ctx: _Ctx, value: YValue, line: int | None) -> r.CodeListRef | None:
    if value is None:
        return None
    f = _Fields(ctx, value, "code_list", ("path", "countries"), line)
    where = f.text("path", required=True, hint="the folder of UN/LOCODE CSV files, relative to this file")
    countries = f._list("countries", lambda s: bool(COUNTRY_RE.match(s)), "a country code",
                        "two capital letters, e.g. SE", False)
    if where is None:
        return None
    resolved = (Path(ctx.path).parent / where).resolve() if ctx.path else Path(where)
    return r.CodeListRef(str(resolved), countries, f.origin("path"))


def parse_registry(ctx: _Ctx, data: YMap) -> r.Registry | None:
    f = _Fields(ctx, data, "", ("registry", "code_list", "ports", "clusters", "regions", "countries", "organizations",
                                "people"))
    if "registry" not in data:
        ctx.error(data.line, "registry", "missing the `registry:` block that describes this registry as a source",
                  "add `registry: {key: ..., title: ...}` at the top")
        return None
    info = _source_info(ctx, data["registry"], "registry", data.lines["registry"], registry=True)
    reg = r.Registry(
        info or r.SourceInfo("invalid", "Registry", "invalid"),
        _entries(ctx, f, "ports", _port_entry, ("code", "name", "aliases", "country", "subdivision", "operated_by",
                                                "governed_by", "wikidata", "position")),
        _entries(ctx, f, "clusters", _cluster_entry, ("key", "name", "aliases", "ports")),
        _entries(ctx, f, "regions", _region_entry, ("key", "name", "aliases")),
        _entries(ctx, f, "countries", _country_entry, ("code", "name")),
        _entries(ctx, f, "organizations", _org_entry, ("key", "name", "aliases", "type", "country", "operates",
                                                       "governs", "homepage")),
        _entries(ctx, f, "people", _person_entry, ("key", "name", "aliases")),
        _code_list(ctx, data.get("code_list"), data.lines.get("code_list")),
    )
    return reg if info is not None else None


# --- statements -------------------------------------------------------------------------------


def _participant(ctx: _Ctx, value: YValue, path: str, line: int) -> r.Participant | None:
    f = _Fields(ctx, value, path, ("person", "role", "normalised_role", "on_behalf_of", "witness"), line)
    if not f.ok:
        return None
    person = f.key("person", required=False)
    role = f.text("role")
    on_behalf_of = f.key("on_behalf_of", required=False)
    if person is None and on_behalf_of is None:
        ctx.error(f.line, path, "a participant needs a `person` or at least `on_behalf_of`",
                  "name the person, or the organization the unnamed officials acted for")
    return r.Participant(person, role, f.text("normalised_role"), on_behalf_of, f.flag("witness"), f.origin())


def _agreement(ctx: _Ctx, f: _Fields) -> r.AgreementStatement | None:
    key = f.key()
    participants = {
        name: tuple(p for item, line, path in f.items(name) if (p := _participant(ctx, item, path, line)))
        for name in ("signatories", "attendees")
    }
    stmt = r.AgreementStatement(
        key or "", f.choice("type", AGREEMENT_TYPES), f.text("name"), f.refs("parties"), f.date("signed"),
        f.place("signed_at"), f.key("during", required=False), participants["signatories"],
        participants["attendees"], f.texts("themes"), f.texts("scope"), f.text("purpose"),
        f.choice("status", AGREEMENT_STATUSES), f.keys("establishes"), f.keys("renews"), f.keys("extends"),
        f.keys("supersedes"), f.keys("precedes"), f.keys("formalizes"), f.keys("alternative_account_of"),
        f.text("note"), f.origin())
    return stmt if key else None


def _status(ctx: _Ctx, value: YValue, path: str, line: int) -> r.StatusRecord | None:
    f = _Fields(ctx, value, path, ("status", "as_of", "as_printed"), line)
    if not f.ok:
        return None
    status = f.choice("status", INITIATIVE_STATUSES, required=True)
    as_of = f.date("as_of")
    phrase = f.text("as_printed")
    if phrase is not None:
        as_of = r.FuzzyDate(as_of.value if as_of else None, phrase)
    return r.StatusRecord(status, as_of, f.origin()) if status else None


def _corridor(ctx: _Ctx, f: _Fields) -> r.CorridorStatement | None:
    key = f.key()
    endpoints = tuple(p for item, line, path in f.items("endpoints") if (p := _place(ctx, item, path, line)))
    participants: list[tuple[str, str]] = []
    for item, line, path in f.items("participants"):
        sub = _Fields(ctx, item, path, ("org", "role"), line)
        if sub.ok:
            org, role = sub.key("org"), sub.choice("role", PARTICIPANT_ROLES, default="PortPartner")
            if org and role:
                participants.append((org, role))
    statuses = tuple(s for item, line, path in f.items("status") if (s := _status(ctx, item, path, line)))
    stmt = r.CorridorStatement(
        key or "", f.choice("type", INITIATIVE_TYPES), f.text("name"), endpoints, tuple(participants),
        f.texts("fuels"), f.choice("segment", SEGMENTS), f.texts("aims"), f.texts("themes"), statuses,
        f.date("planned_start"), f.keys("established_by"), f.keys("alternative_account_of"), f.text("note"),
        f.origin())
    return stmt if key else None


def _relationship(ctx: _Ctx, f: _Fields) -> r.RelationshipStatement | None:
    key = f.key()
    f.choice("type", ("Relationship",))
    stmt = r.RelationshipStatement(key or "", f.text("name"), f.refs("parties"), f.date("since"), f.text("note"),
                                   f.origin())
    return stmt if key else None


def _role(ctx: _Ctx, f: _Fields) -> r.RoleStatement | None:
    person, org = f.key("person"), f.key("org")
    role = f.text("role", required=True, hint="the title as printed, e.g. Executive Director")
    stmt = r.RoleStatement(person or "", org or "", role or "", f.text("normalised_role"), f.date("as_of"),
                           f.date("start"), f.date("end"), f.origin())
    return stmt if person and org and role else None


def _event(ctx: _Ctx, f: _Fields) -> r.EventStatement | None:
    key = f.key()
    stmt = r.EventStatement(
        key or "", f.choice("type", EVENT_TYPES), f.text("name"), f.date("start"), f.date("end"),
        f.text("date_as_printed"), f.place("location"), f.key("part_of", required=False),
        f.key("organizer", required=False), f.text("audience"), f.texts("themes"), f.text("note"), f.origin())
    return stmt if key else None


def _quotation(ctx: _Ctx, f: _Fields) -> r.QuotationStatement | None:
    speaker = f.key("speaker")
    excerpt = f.text("excerpt", required=True, hint="a few words of the quote")
    summary = f.text("summary", required=True, hint="what was said, in your own words")
    role: r.RoleRef | None = None
    if f.raw("role") is not None:
        sub = _Fields(ctx, f.raw("role"), f"{f.path}.role", ("org", "role", "normalised_role"), f.m.lines.get("role"))
        if sub.ok:
            org, printed = sub.key("org"), sub.text("role", required=True)
            if org and printed:
                role = r.RoleRef(org, printed, sub.text("normalised_role"))
    n = f.integer("n") or 1
    stmt = r.QuotationStatement(speaker or "", excerpt or "", summary or "", role, f.keys("about"), n, f.origin())
    return stmt if speaker and excerpt and summary else None


def _image(ctx: _Ctx, f: _Fields) -> r.ImageStatement | None:
    key = f.key()
    stmt = r.ImageStatement(key or "", f.keys("depicts"), f.keys("about"), f.key("credit", required=False),
                            f.text("summary"), f.origin())
    return stmt if key else None


def _port_statement(ctx: _Ctx, f: _Fields) -> r.PortStatement | None:
    code = f.pattern("code", LOCODE_RE, "a UN/LOCODE", "five characters without a space, e.g. USLAX", required=True)
    position = f.raw("position")
    stmt = r.PortStatement(
        code or "", f.text("name"), f.pattern("country", COUNTRY_RE, "a country code", "two capital letters"),
        f.pattern("subdivision", SUBDIVISION_RE, "an ISO 3166-2 code", "e.g. US-CA"),
        _position(ctx, position, f"{f.path}.position", f.m.lines.get("position")) if position is not None else None,
        f.origin())
    return stmt if code else None


def _org_statement(ctx: _Ctx, f: _Fields) -> r.OrganizationStatement | None:
    key = f.key()
    stmt = r.OrganizationStatement(key or "", f.text("name"),
                                   f.pattern("country", COUNTRY_RE, "a country code", "two capital letters"),
                                   f.text("note"), f.origin())
    return stmt if key else None


_BLOCKS: dict[str, tuple[Callable[[_Ctx, _Fields], Any], tuple[str, ...]]] = {
    "agreements": (_agreement, ("key", "type", "name", "parties", "signed", "signed_at", "during", "signatories",
                                "attendees", "themes", "scope", "purpose", "status", "establishes", "renews",
                                "extends", "supersedes", "precedes", "formalizes", "alternative_account_of", "note")),
    "corridors": (_corridor, ("key", "type", "name", "endpoints", "participants", "fuels", "segment", "aims",
                              "themes", "status", "planned_start", "established_by", "alternative_account_of",
                              "note")),
    "relationships": (_relationship, ("key", "type", "name", "parties", "since", "note")),
    "roles": (_role, ("person", "org", "role", "normalised_role", "as_of", "start", "end")),
    "events": (_event, ("key", "type", "name", "start", "end", "date_as_printed", "location", "part_of",
                        "organizer", "audience", "themes", "note")),
    "quotations": (_quotation, ("speaker", "role", "excerpt", "summary", "about", "n")),
    "images": (_image, ("key", "depicts", "about", "credit", "summary")),
    "ports": (_port_statement, ("code", "name", "country", "subdivision", "position")),
    "organizations": (_org_statement, ("key", "name", "country", "note")),
}


def _statements(ctx: _Ctx, f: _Fields) -> tuple[r.Statement, ...]:
    out: list[r.Statement] = []
    for block, (parse, allowed) in _BLOCKS.items():
        out.extend(_entries(ctx, f, block, parse, allowed))
    return tuple(out)


def parse_document(ctx: _Ctx, data: YMap) -> r.Document | None:
    f = _Fields(ctx, data, "", ("source", "paragraphs", "derived"))
    if "source" not in data:
        ctx.error(data.line, "source", "missing the `source:` block", "add `source: {key: ..., type: ..., title: ...}`")
        return None
    info = _source_info(ctx, data["source"], "source", data.lines["source"], registry=False)
    paragraphs: list[r.Paragraph] = []
    seen: dict[int, int] = {}
    for item, line, path in f.items("paragraphs", required=True):
        sub = _Fields(ctx, item, path, ("para", "line", *_BLOCKS), line)
        if not sub.ok:
            continue
        para = sub.integer("para", required=True)
        if para is not None and para in seen:
            ctx.error(line, f"{path}.para", f"paragraph {para} is given twice (first on line {seen[para]})",
                      "merge the two blocks")
            continue
        if para is not None:
            seen[para] = line
            paragraphs.append(r.Paragraph(para, _statements(ctx, sub), sub.integer("line"), sub.origin()))
    derived: list[r.DerivedBlock] = []
    for item, line, path in f.items("derived"):
        sub = _Fields(ctx, item, path, ("from", "note", *_BLOCKS), line)
        if not sub.ok:
            continue
        froms: list[int] = []
        for value, vline, vpath in sub.items("from", required=True):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                ctx.error(vline, vpath, f"expected a paragraph number, found {_kind(value)}", "e.g. from: [4, 15]")
            elif value not in seen:
                ctx.error(vline, vpath, f"paragraph {value} is not in this file's `paragraphs`",
                          "derive only from paragraphs you have recorded")
            else:
                froms.append(value)
        if froms:
            derived.append(r.DerivedBlock(tuple(sorted(set(froms))), _statements(ctx, sub), sub.text("note"),
                                          sub.origin()))
    if info is None:
        return None
    return r.Document(info, tuple(sorted(paragraphs, key=lambda p: p.para)), tuple(derived))


# --- loading ----------------------------------------------------------------------------------


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def load_sources(*paths: str | os.PathLike[str]) -> r.SourceSet:
    """Read source files (or folders of them) into records; raise SourceError listing every problem.

    Warnings (e.g. a UN/LOCODE that is not a sea-port code) do not stop the load; they are kept in
    ``SourceSet.warnings``.
    """
    files: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(path.rglob("*.yaml")) + sorted(path.rglob("*.yml"))
            if not found:
                problems.append(Problem(_display(path), None, None, "no *.yaml source files in this folder",
                                        "point to the data folder, e.g. portlod build data/"))
            files.extend((f, f.relative_to(path).as_posix()) for f in found)
        elif path.is_file():
            files.append((path, path.name))
        else:
            problems.append(Problem(_display(path), None, None, "no such file or folder", "check the path"))
    registries: list[r.Registry] = []
    documents: list[r.Document] = []
    for file, relative in files:
        ctx = _Ctx(_display(file), file)
        data, yaml_problems = load_yaml(file, ctx.file)
        ctx.problems.extend(yaml_problems)
        if isinstance(data, YMap):
            if "registry" in data:
                reg = parse_registry(ctx, data)
                if reg is not None:
                    registries.append(replace(reg, source=replace(reg.source, path=relative)))
            elif "source" in data:
                doc = parse_document(ctx, data)
                if doc is not None:
                    documents.append(replace(doc, source=replace(doc.source, path=relative)))
            else:
                ctx.error(data.line, None, "this is neither a registry (`registry:`) nor a source (`source:`) file",
                          "start the file with `source:` or `registry:` (see docs/source-format.md)")
        elif data is not None:
            ctx.error(1, None, f"expected a mapping at the top of the file, found {_kind(data)}",
                      "start the file with `source:` or `registry:`")
        problems.extend(ctx.problems)
    locodes, list_problems = read_code_lists(registries)
    problems.extend(list_problems)
    result = r.SourceSet(tuple(registries), tuple(documents), (), locodes)
    problems.extend(check_sources(result))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SourceError(problems)
    return r.SourceSet(result.registries, result.documents, tuple(problems), locodes)


def read_code_lists(registries: Iterable[r.Registry]) -> tuple[object | None, list[Problem]]:
    """Read the UN/LOCODE list a registry names in ``code_list`` (at most one)."""
    from .errors import RegistryError
    from .unlocode import read_unlocode

    refs = [reg.code_list for reg in registries if reg.code_list is not None]
    if not refs:
        return None, []
    ref = refs[0]
    origin = ref.origin or r.Origin("<records made in code>")
    problems = [Problem(o.file, o.line, "code_list", "only one registry may name a code list",
                        "keep one `code_list:` block") for o in (x.origin for x in refs[1:]) if o is not None]
    if not Path(ref.path).exists():
        problems.append(Problem(origin.file, origin.line, "code_list.path",
                                f"the UN/LOCODE code list is not at {ref.path}",
                                "fix the path (relative to this file) or remove the code_list block"))
        return None, problems
    try:
        locodes = read_unlocode([ref.path], countries=ref.countries or None)
    except RegistryError as exc:
        problems.append(Problem(origin.file, origin.line, "code_list.path",
                                f"the UN/LOCODE code list cannot be read: {exc}", None))
        return None, problems
    return locodes, problems


def normalise_role(title: str) -> str | None:
    """The role concept a printed title names: exact label first, else the longest label found in
    the title as whole words ("California Secretary of Transportation" → SecretaryOfTransportation)."""
    from .resources import concept_index

    index = concept_index("roles")
    exact = index.find(title)
    if exact:
        return exact
    words = f" {' '.join(re.sub(r'[^a-z0-9.]+', ' ', title.lower()).split())} "
    best = None
    for label, local in index.labels.items():
        norm = " ".join(re.sub(r"[^a-z0-9.]+", " ", label).split())
        if norm and f" {norm} " in words and (best is None or len(norm) > len(best[0])):
            best = (norm, local)
    return best[1] if best else None


from ._checks import check_sources  # noqa: E402  (the checks use this module's tables)
