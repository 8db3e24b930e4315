"""Read the UN/LOCODE code list and check codes used for ports.

The reader understands the official CSV layout published by UN/CEFACT and UNECE: no header row,
twelve columns per row::

    Change, Country, Location, Name, NameWoDiacritics, Subdivision,
    Function, Status, Date, IATA, Coordinates, Remarks

(the published files put Function before Status; a row written the other way round, Status
before Function, is recognised and read as well). A path given to :func:`read_unlocode` is either

* a directory: every ``??.csv`` file in it is read, in sorted order (the per-country layout of
  ``uncefact/vocab-locode``), or
* a file: one country's file, or the single-file layout of the UNECE download, which holds the
  rows of many countries and several country-name rows.

Rows with an empty Location are not locations: ``.SWEDEN`` rows name the country and
``Gothenburg = Göteborg`` rows are references from another name. Both are kept (see
:attr:`LocodeList.country_names` and :attr:`LocodeList.references`) and used to find names.

A code may have more than one row (the same place under two names, for example ``FIHEL``
*Helsingfors (Helsinki)* and *Helsinki (Helsingfors)*); :meth:`LocodeList.get` returns the first
and :meth:`LocodeList.variants` all of them.

Malformed rows are collected as :class:`~portlod.errors.Problem` objects and reported together
in one :class:`~portlod.errors.RegistryError`, or skipped on request. Coordinates that cannot be
used (minutes of 60 or more, a longitude above 180°, a missing hemisphere: some 280 rows of the
published list) do not make a row bad unless ``strict_coordinates=True``: the row is kept
without coordinates and a warning is recorded in :attr:`LocodeList.warnings`.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Literal, NamedTuple

from portlod.errors import Problem, RegistryError

__all__ = [
    "FUNCTIONS",
    "PORT_ALIASES",
    "STATUSES",
    "CodeCheck",
    "Coordinates",
    "Location",
    "LocodeList",
    "NameReference",
    "Source",
    "parse_coordinates",
    "read_unlocode",
]

#: Function classifier: the character in a position of the 8-character Function string and what
#: it means (UNECE Recommendation No. 16). ``-`` in a position means the function is absent.
FUNCTIONS: Mapping[str, str] = MappingProxyType(
    {
        "1": "maritime transport: sea port (permanent facilities where seagoing vessels load or "
        "discharge cargo)",
        "2": "rail transport",
        "3": "road transport",
        "4": "air transport (airport) or spaceport",
        "5": "international mail processing centre recognised by the UPU (postal exchange office)",
        "6": "multimodal transport facility (ICD / dry port, container depot, inland freight "
        "terminal)",
        "7": "fixed transport installation (pipeline terminal, oil platform, etc.)",
        "8": "inland water transport (river or lake port)",
        "0": "criteria met, but function not known or not officially recognised",
        "A": "special economic zone",
        "B": "border crossing point (former code; not to be used)",
    }
)

#: Status indicators of an entry.
STATUSES: Mapping[str, str] = MappingProxyType(
    {
        "AA": "approved by a national government agency",
        "AC": "approved by Customs",
        "AF": "approved by the national facilitation body",
        "AI": "adopted by an international organisation (IATA/ECLAC)",
        "AM": "approved by the UN/LOCODE Maintenance Agency",
        "AQ": "entry approved, functions not verified",
        "AS": "approved by a national standardisation body",
        "RL": "recognised location",
        "RN": "requested by credible national sources",
        "RQ": "request under consideration",
        "RR": "request rejected",
        "QQ": "original entry not verified since it was entered",
        "UR": "included on a user's request",
        "XX": "will be removed from the next issue",
    }
)

#: Codes commonly used for a port that are not the port's code, and the port's code.
PORT_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "CNSHA": "CNSHG",  # Shanghai Hongqiao International Apt -> Shanghai Pt
        "CNCAN": "CNGZG",  # Guangzhou Baiyun International Apt -> Guangzhou Pt
        "CNDLC": "CNDAG",  # Dalian Zhoushuizi International Apt -> Dalian Pt
        "IDTPP": "IDJKT",  # Tanjung Priok (road only) -> Jakarta, Java
    }
)

_COLUMNS = (
    "Change",
    "Country",
    "Location",
    "Name",
    "NameWoDiacritics",
    "Subdivision",
    "Function",
    "Status",
    "Date",
    "IATA",
    "Coordinates",
    "Remarks",
)
_NCOLS = len(_COLUMNS)

_COUNTRY_RE = re.compile(r"[A-Z]{2}")
_LOCATION_RE = re.compile(r"[A-Z0-9]{3}")
_FUNCTION_RE = re.compile(r"[0-8AB-]{8}")
_SUBDIVISION_RE = re.compile(r"[A-Z0-9]{1,3}")
_DATE_RE = re.compile(r"\d\d(0[1-9]|1[0-2])")
_COORD_RE = re.compile(r"(\d{2})(\d{2})([NS]) (\d{3})(\d{2})([EW])")
_CODE_RE = re.compile(r"[A-Z]{2}[A-Z0-9]{3}")
_CODE_LIKE_RE = re.compile(r"([A-Z]{2}) ?([A-Z0-9]{3})")
_REF_CODE_RE = re.compile(r"\b([A-Z]{2}) ?([A-Z0-9]{3})\b")
_DIR_FILE_RE = re.compile(r"[A-Za-z]{2}\.csv")

# Words that end the name of an airport, station, etc. rather than name the city.
_NON_CITY_WORDS = frozenset(
    {"apt", "airport", "international", "intl", "regional", "municipal", "airfield", "field"}
)
_PORT_NAME_FORMS = ("{} pt", "{} port", "port of {}", "{} harbour", "{} harbor", "{} seaport")


# ----------------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Coordinates:
    """A position from the Coordinates column, in decimal degrees (S and W negative).

    ``text`` is the value as printed, for example ``5743N 01158E``.
    """

    lat: float
    lon: float
    text: str

    def __str__(self) -> str:
        return self.text


def parse_coordinates(text: str) -> Coordinates:
    """Decode ``DDMMH DDDMMH`` (degrees and minutes) into decimal degrees.

    ``5743N 01158E`` becomes ``Coordinates(57.7167, 11.9667, "5743N 01158E")``: degrees plus
    minutes / 60, rounded to 4 decimals; S and W are negative. Raises :class:`ValueError` when the
    text is not in that form, when minutes are 60 or more, or when the latitude exceeds 90° or
    the longitude 180°.
    """
    match = _COORD_RE.fullmatch(text)
    if match is None:
        raise ValueError(
            f"coordinates {text!r} are not written DDMMH DDDMMH (e.g. '5743N 01158E')"
        )
    lat_d, lat_m, ns, lon_d, lon_m, ew = match.groups()
    lat_deg, lat_min, lon_deg, lon_min = int(lat_d), int(lat_m), int(lon_d), int(lon_m)
    if lat_min >= 60 or lon_min >= 60:
        raise ValueError(f"coordinates {text!r}: minutes must be below 60")
    lat = lat_deg + lat_min / 60
    lon = lon_deg + lon_min / 60
    if lat > 90:
        raise ValueError(f"coordinates {text!r}: latitude above 90 degrees")
    if lon > 180:
        raise ValueError(f"coordinates {text!r}: longitude above 180 degrees")
    lat = round(-lat if ns == "S" else lat, 4)
    lon = round(-lon if ew == "W" else lon, 4)
    return Coordinates(lat=lat + 0.0, lon=lon + 0.0, text=text)


@dataclass(frozen=True, slots=True)
class Location:
    """One entry (row) of the UN/LOCODE list.

    Empty columns are ``None``, except ``functions`` (always the 8-character string) and
    ``name_ascii`` (the NameWoDiacritics column). ``file`` and ``line`` say where the row was read.
    """

    code: str
    country: str
    location: str
    name: str
    name_ascii: str
    subdivision: str | None
    status: str | None
    functions: str
    date: str | None
    iata: str | None
    coordinates: Coordinates | None
    remarks: str | None
    change: str | None
    file: str
    line: int

    @property
    def is_seaport(self) -> bool:
        """True when position 1 of the function classifier is ``1`` (sea port)."""
        return self.functions[0] == "1"

    @property
    def function_codes(self) -> tuple[str, ...]:
        """The function characters present, e.g. ``("1", "4")`` for ``1--4----``."""
        return tuple(c for c in self.functions if c != "-")

    @property
    def marked_for_removal(self) -> bool:
        """True when the status is ``XX`` or the change indicator is ``X``."""
        return self.status == "XX" or (self.change is not None and self.change.upper() == "X")

    @property
    def subdivision_code(self) -> str | None:
        """Country plus subdivision, e.g. ``USCA`` (the ``unlcds:`` local name), or ``None``."""
        return None if self.subdivision is None else self.country + self.subdivision


@dataclass(frozen=True, slots=True)
class NameReference:
    """A reference row ``Gothenburg = Göteborg``: another name for the entry named ``target``.

    ``target_code`` is set when the target is written as a code (``Basse-Terre = GP BBR``).
    """

    country: str
    name: str
    target: str
    target_code: str | None
    file: str
    line: int


class Source(NamedTuple):
    """One file read: its path, the SHA-256 of its bytes (hex), and the number of rows read."""

    path: str
    sha256: str
    rows: int


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """One finding about a code used for a port.

    ``kind`` is one of ``malformed``, ``not-canonical``, ``unknown``, ``not-loaded``,
    ``not-a-port``, ``marked-for-removal``. ``suggestion`` is the code probably meant, if any;
    ``alternatives`` lists further candidates (nearest names), best first.
    """

    code: str
    severity: Literal["error", "warning"]
    kind: str
    message: str
    suggestion: str | None = None
    alternatives: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.code}: {self.severity}: {self.message}"


# ------------------------------------------------------------------------------ name helpers


def _fold(text: str) -> str:
    """Lower-case, strip diacritics and punctuation: ``"Göteborg"`` -> ``"goteborg"``."""
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def _name_keys(name: str) -> set[str]:
    """Folded search keys of a name: the whole, without the brackets, each bracketed or
    slash-separated part (``"Brussel (Bruxelles)"`` -> brussel bruxelles, brussel, bruxelles)."""
    keys = {_fold(name)}
    keys.add(_fold(re.sub(r"\([^)]*\)", " ", name)))
    for part in re.findall(r"\(([^)]*)\)", name):
        keys.add(_fold(part))
    if "/" in name:
        for part in name.split("/"):
            keys.add(_fold(re.sub(r"\([^)]*\)", " ", part)))
    keys.discard("")
    return keys


def _city_names(name: str) -> list[str]:
    """Folded city-name candidates for an entry name, longest first.

    ``"Shanghai Hongqiao International Apt"`` -> ``["shanghai hongqiao", "shanghai"]``.
    """
    base = re.sub(r"\([^)]*\)", " ", name)
    base = re.split(r"[,/]", base, maxsplit=1)[0]
    words = _fold(base).split()
    while words and words[-1] in _NON_CITY_WORDS:
        words.pop()
    out: list[str] = []
    for n in range(len(words), 0, -1):
        city = " ".join(words[:n])
        if len(city) >= 3 and words[n - 1] not in _NON_CITY_WORDS:
            out.append(city)
    return out


def _letters(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", _fold(text).upper())


def _is_subsequence(part: str, letters: str) -> bool:
    if not part or not letters or part[0] != letters[0]:
        return False
    it = iter(letters)
    return all(ch in it for ch in part)


def _code_score(part: str, loc: Location) -> float:
    """How well a 3-character location part matches an entry (its name and its code)."""
    letters = _letters(loc.name_ascii)
    prefix = 0
    for a, b in zip(part, letters):
        if a != b:
            break
        prefix += 1
    name_score = prefix / len(part)
    if name_score < 0.9 and _is_subsequence(part, letters):
        name_score = 0.9
    same_pos = sum(1 for a, b in zip(part, loc.location) if a == b) / len(part)
    return 0.6 * name_score + 0.4 * same_pos


class _Index:
    """Name index of a pool of entries (one country, or all)."""

    __slots__ = ("entries", "keys", "port_keys", "refs")

    def __init__(self, entries: list[Location], refs: list[NameReference]) -> None:
        self.entries = entries
        self.keys: dict[str, list[Location]] = {}
        self.port_keys: dict[str, list[Location]] = {}
        for loc in entries:
            for key in _name_keys(loc.name) | _name_keys(loc.name_ascii):
                self.keys.setdefault(key, []).append(loc)
                if loc.is_seaport:
                    self.port_keys.setdefault(key, []).append(loc)
        self.refs: dict[str, list[NameReference]] = {}
        for ref in refs:
            for key in _name_keys(ref.name):
                self.refs.setdefault(key, []).append(ref)


# ------------------------------------------------------------------------------- container


class LocodeList:
    """The UN/LOCODE entries read by :func:`read_unlocode`, looked up by code.

    ``len()`` and iteration cover distinct codes (the first row of each code); ``in`` takes a
    code such as ``"SEGOT"``.
    """

    __slots__ = (
        "_by_code",
        "_country_filter",
        "_country_names",
        "_countries",
        "_global_index",
        "_indexes",
        "_references",
        "_rows",
        "_skipped",
        "_sources",
        "_warnings",
    )

    def __init__(
        self,
        rows: Iterable[Location],
        *,
        sources: Iterable[Source] = (),
        skipped: Iterable[Problem] = (),
        warnings: Iterable[Problem] = (),
        references: Iterable[NameReference] = (),
        country_names: Mapping[str, str] | None = None,
        country_filter: Collection[str] | None = None,
    ) -> None:
        self._rows: tuple[Location, ...] = tuple(rows)
        by_code: dict[str, list[Location]] = {}
        for loc in self._rows:
            by_code.setdefault(loc.code, []).append(loc)
        self._by_code: dict[str, tuple[Location, ...]] = {k: tuple(v) for k, v in by_code.items()}
        self._countries = frozenset(loc.country for loc in self._rows)
        self._sources: tuple[Source, ...] = tuple(sources)
        self._skipped: tuple[Problem, ...] = tuple(skipped)
        self._warnings: tuple[Problem, ...] = tuple(warnings)
        self._references: tuple[NameReference, ...] = tuple(references)
        self._country_names: Mapping[str, str] = MappingProxyType(dict(country_names or {}))
        self._country_filter: frozenset[str] | None = (
            None if country_filter is None else frozenset(country_filter)
        )
        self._indexes: dict[str, _Index] = {}
        self._global_index: _Index | None = None

    # -- container protocol ---------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Location]:
        return (variants[0] for variants in self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __repr__(self) -> str:
        return f"<LocodeList {len(self)} codes from {len(self._sources)} file(s)>"

    def get(self, code: str) -> Location | None:
        """The entry of ``code`` (its first row), or ``None``."""
        variants = self._by_code.get(code)
        return None if variants is None else variants[0]

    def variants(self, code: str) -> tuple[Location, ...]:
        """Every row of ``code`` (several when the place is listed under more than one name)."""
        return self._by_code.get(code, ())

    def ports(self) -> Iterator[Location]:
        """The entries with the sea-port function (position 1)."""
        return (loc for loc in self if loc.is_seaport)

    # -- what was read --------------------------------------------------------------------

    @property
    def rows(self) -> tuple[Location, ...]:
        """Every location row, in file order (codes may repeat)."""
        return self._rows

    @property
    def sources(self) -> tuple[Source, ...]:
        """The files read: ``(path, sha256 hex, rows read)``, for provenance."""
        return self._sources

    @property
    def skipped(self) -> tuple[Problem, ...]:
        """Problems of the rows skipped with ``skip_bad=True``."""
        return self._skipped

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems that did not make a row bad (out-of-range coordinates, dropped)."""
        return self._warnings

    @property
    def references(self) -> tuple[NameReference, ...]:
        """The ``Other name = Name`` reference rows."""
        return self._references

    @property
    def country_names(self) -> Mapping[str, str]:
        """Country code -> the name given in the country's name row (``SE`` -> ``SWEDEN``)."""
        return self._country_names

    @property
    def countries(self) -> frozenset[str]:
        """The countries with at least one entry."""
        return self._countries

    @property
    def country_filter(self) -> frozenset[str] | None:
        """The ``countries`` the list was restricted to when read, or ``None``."""
        return self._country_filter

    # -- name search ----------------------------------------------------------------------

    def _index(self, country: str | None) -> _Index:
        if country is None:
            if self._global_index is None:
                self._global_index = _Index(list(self._rows), list(self._references))
            return self._global_index
        index = self._indexes.get(country)
        if index is None:
            index = _Index(
                [loc for loc in self._rows if loc.country == country],
                [ref for ref in self._references if ref.country == country],
            )
            self._indexes[country] = index
        return index

    def nearest(
        self,
        name_or_code: str,
        *,
        country: str | None = None,
        limit: int = 5,
        ports_only: bool = False,
    ) -> list[Location]:
        """Entries whose name is nearest to a name, or to the letters of a code.

        A code (``"SEGOX"``, ``"SE GOX"``) of a country in the list is matched by its 3-character
        part against the names (and codes) of that country's entries: ``"USLBC"`` finds *Long
        Beach*. Anything else is a name, compared (folded, without diacritics) with the names
        of ``country``'s entries, or of all entries when ``country`` is ``None`` (slower):
        exact names and reference names (``Gothenburg``) first, then names beginning with it,
        then close matches (:mod:`difflib`). ``ports_only`` keeps sea ports only. At most
        ``limit`` entries, one per code, best first.
        """
        if limit <= 0:
            return []
        text = name_or_code.strip()
        code_match = _CODE_LIKE_RE.fullmatch(text)
        if code_match is not None and (country is None or country == code_match.group(1)):
            code_country = code_match.group(1)
            if code_country in self.countries:
                return self._nearest_code(code_country, code_match.group(2), limit, ports_only)
        if country is not None:
            country = country.upper()
        return self._nearest_name(text, country, limit, ports_only)

    def _nearest_code(
        self, country: str, part: str, limit: int, ports_only: bool
    ) -> list[Location]:
        index = self._index(country)
        best: dict[str, tuple[float, Location]] = {}
        for loc in index.entries:
            if ports_only and not loc.is_seaport:
                continue
            if loc.location == part:
                continue
            score = _code_score(part, loc)
            current = best.get(loc.code)
            if current is None or score > current[0]:
                best[loc.code] = (score, loc)
        ranked = sorted(
            best.values(),
            key=lambda item: (-item[0], not item[1].is_seaport, -len(item[1].function_codes),
                              item[1].code),
        )
        return [loc for _, loc in ranked[:limit]]

    def _nearest_name(
        self, text: str, country: str | None, limit: int, ports_only: bool
    ) -> list[Location]:
        key = _fold(text)
        if not key:
            return []
        index = self._index(country)
        pool = index.port_keys if ports_only else index.keys
        scores: dict[str, tuple[float, Location]] = {}

        def add(locs: Iterable[Location], score: float) -> None:
            for loc in locs:
                current = scores.get(loc.code)
                if current is None or score > current[0]:
                    scores[loc.code] = (score, loc)

        add(pool.get(key, ()), 1.0)
        for ref in index.refs.get(key, ()):
            if ref.target_code is not None:
                target = self.get(ref.target_code)
                if target is not None and (target.is_seaport or not ports_only):
                    add((target,), 0.99)
            else:
                add(pool.get(_fold(ref.target), ()), 0.99)
        prefix = key + " "
        for name_key, locs in pool.items():
            if name_key.startswith(prefix):
                add(locs, 0.9 - min(len(name_key) - len(key), 40) / 1000)
        for name_key in difflib.get_close_matches(key, pool.keys(), n=limit * 3, cutoff=0.6):
            ratio = difflib.SequenceMatcher(None, key, name_key).ratio()
            add(pool[name_key], 0.85 * ratio)
        ranked = sorted(
            scores.values(),
            key=lambda item: (-item[0], not item[1].is_seaport, -len(item[1].function_codes),
                              item[1].code),
        )
        return [loc for _, loc in ranked[:limit]]

    # -- ports ----------------------------------------------------------------------------

    def port_meant(self, code: str) -> Location | None:
        """The sea port probably meant by an existing code that lacks the sea-port function.

        In order: the alias table :data:`PORT_ALIASES`; a sea port whose code the entry's
        remarks name (``Use DEBNY``, ``cf BE LSN``); a sea port of the same country (and the
        same subdivision, when both have one) named like the entry's city with ``Pt``/``Port``
        (``Shanghai Hongqiao International Apt`` -> ``Shanghai Pt``) or named as the city
        itself. ``None`` for unknown codes, for sea ports, and when nothing fits.
        """
        loc = self.get(code)
        if loc is None or loc.is_seaport:
            return None
        alias = PORT_ALIASES.get(code)
        if alias is not None:
            target = self.get(alias)
            if target is not None:
                return target
        for ref_code in _remark_codes(loc.remarks):
            target = self.get(ref_code)
            if target is not None and target.is_seaport and target.code != code:
                return target
        index = self._index(loc.country)
        names = {v.name for v in self.variants(code)} | {v.name_ascii for v in self.variants(code)}
        cities: list[str] = []
        for name in sorted(names):
            cities.extend(c for c in _city_names(name) if c not in cities)
        cities.sort(key=len, reverse=True)
        for city in cities:
            for form in (*_PORT_NAME_FORMS, "{}"):
                for cand in index.port_keys.get(form.format(city), ()):
                    if cand.code == code:
                        continue
                    if loc.subdivision and cand.subdivision and loc.subdivision != cand.subdivision:
                        continue
                    return cand
        return None

    def check(self, code: str, *, port: bool = True) -> list[CodeCheck]:
        """Check a code used for a port (``port=False``: used for any location).

        Returns the findings, errors first; an empty list means the code is fine:

        * error ``malformed``: not two letters and three letters or digits;
        * warning ``not-canonical``: written with a space or in lower case (then checked as
          normalised);
        * warning ``not-loaded``: the list was read without the code's country;
        * error ``unknown``: no such code, with the nearest entries by name as suggestions;
        * warning ``not-a-port``: the entry lacks the sea-port function, naming the port meant
          (:meth:`port_meant`, or the alias table) when there is one;
        * warning ``marked-for-removal``: status ``XX`` or change ``X``.
        """
        findings: list[CodeCheck] = []
        normal = re.sub(r"\s+", "", code).upper()
        if _CODE_RE.fullmatch(normal) is None:
            return [
                CodeCheck(
                    code=code,
                    severity="error",
                    kind="malformed",
                    message=f"{code!r} is not a UN/LOCODE: expected 2 letters (country) and 3 "
                    "letters or digits, e.g. 'SEGOT'",
                )
            ]
        if normal != code:
            findings.append(
                CodeCheck(
                    code=code,
                    severity="warning",
                    kind="not-canonical",
                    message=f"write {code!r} as {normal!r} (5 characters, upper case, no space)",
                    suggestion=normal,
                )
            )
        country = normal[:2]
        if self._country_filter is not None and country not in self._country_filter:
            findings.append(
                CodeCheck(
                    code=normal,
                    severity="warning",
                    kind="not-loaded",
                    message=f"not checked: the UN/LOCODE list was read without country "
                    f"{country}",
                )
            )
            return findings
        loc = self.get(normal)
        if loc is None:
            findings.insert(0, self._unknown(normal, port))
            return findings
        if port and not loc.is_seaport:
            meant = self.port_meant(normal)
            meant_code = meant.code if meant is not None else PORT_ALIASES.get(normal)
            message = (
                f"{normal} ({loc.name}, functions {loc.functions}) has no sea-port function "
                "(position 1 of the function classifier)"
            )
            if meant is not None:
                message += f"; the port is probably {meant.code} ({meant.name})"
            elif meant_code is not None:
                message += f"; the port is probably {meant_code}"
            findings.append(
                CodeCheck(
                    code=normal,
                    severity="warning",
                    kind="not-a-port",
                    message=message,
                    suggestion=meant_code,
                )
            )
        if loc.marked_for_removal:
            replacement = next(
                (c for c in _remark_codes(loc.remarks) if c in self and c != normal), None
            )
            message = f"{normal} ({loc.name}) is marked for removal from UN/LOCODE"
            if loc.remarks:
                message += f" (remarks: {loc.remarks})"
            findings.append(
                CodeCheck(
                    code=normal,
                    severity="warning",
                    kind="marked-for-removal",
                    message=message,
                    suggestion=replacement,
                )
            )
        return findings

    def _unknown(self, code: str, port: bool) -> CodeCheck:
        country = code[:2]
        if country not in self.countries:
            return CodeCheck(
                code=code,
                severity="error",
                kind="unknown",
                message=f"{code} is not in UN/LOCODE: there is no country {country} in the list",
            )
        near = self.nearest(code, limit=5, ports_only=port)
        if not near and port:
            near = self.nearest(code, limit=5)
        message = f"{code} is not in UN/LOCODE"
        if near:
            what = "sea ports" if port and all(n.is_seaport for n in near) else "entries"
            listed = ", ".join(f"{n.code} ({n.name})" for n in near)
            message += f"; nearest {what} in {country} by name: {listed}"
        return CodeCheck(
            code=code,
            severity="error",
            kind="unknown",
            message=message,
            suggestion=near[0].code if near else None,
            alternatives=tuple(n.code for n in near),
        )


def _remark_codes(remarks: str | None) -> list[str]:
    """Codes named in a remark, e.g. ``Use DEBNY`` or ``cf BE LSN`` -> DEBNY, BELSN."""
    if not remarks:
        return []
    return [a + b for a, b in _REF_CODE_RE.findall(remarks)]


# ---------------------------------------------------------------------------------- reading


class _Reader:
    """State of one :func:`read_unlocode` call."""

    def __init__(
        self, countries: frozenset[str] | None, encoding: str, strict_coordinates: bool
    ) -> None:
        self.countries = countries
        self.encoding = encoding
        self.strict_coordinates = strict_coordinates
        self.rows: list[Location] = []
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.references: list[NameReference] = []
        self.country_names: dict[str, str] = {}
        self.sources: list[Source] = []
        self.coord_cache: dict[str, Coordinates | Exception] = {}

    def _decode(self, data: bytes) -> tuple[str, dict[int, str]]:
        """Decode ``data``; on failure also return line number -> what is wrong there."""
        if data.startswith(b"\xef\xbb\xbf") and self.encoding.replace("_", "-").lower() in (
            "utf-8",
            "utf8",
        ):
            data = data[3:]
        try:
            return data.decode(self.encoding), {}
        except UnicodeDecodeError:
            pass
        bad: dict[int, str] = {}
        for number, raw in enumerate(data.split(b"\n"), start=1):
            try:
                raw.decode(self.encoding)
            except UnicodeDecodeError as exc:
                bad[number] = (
                    f"not valid {self.encoding}: byte 0x{raw[exc.start]:02X} at column "
                    f"{exc.start + 1}"
                )
        return data.decode(self.encoding, errors="replace"), bad

    def read_file(self, path: Path) -> None:
        """Read one CSV file, collecting its rows, problems and source record."""
        file = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.errors.append(
                Problem(file, None, None, f"cannot read the file: {exc.strerror or exc}")
            )
            return
        text, bad_lines = self._decode(data)
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        count = 0
        last = 0
        countries = self.countries
        while True:
            start = last + 1
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                self.errors.append(
                    Problem(
                        file,
                        start,
                        None,
                        f"not readable as CSV: {exc}",
                        "check the quotes of this row",
                    )
                )
                last = reader.line_num
                continue
            last = reader.line_num
            if not fields:
                continue
            count += 1
            if bad_lines:
                broken = [n for n in range(start, last + 1) if n in bad_lines]
                if broken:
                    column = next(
                        (_COLUMNS[i] for i, v in enumerate(fields[:_NCOLS]) if "\ufffd" in v),
                        None,
                    )
                    for n in broken:
                        self.errors.append(
                            Problem(
                                file,
                                n,
                                column,
                                bad_lines[n],
                                f"save the file as {self.encoding}, or pass the encoding it "
                                "is written in (the UNECE download is ISO 8859-1: "
                                "encoding='latin-1')",
                            )
                        )
                    continue
            if countries is not None and len(fields) > 1 and fields[1].strip() not in countries:
                continue
            self._row(fields, file, start)
        self.sources.append(Source(file, hashlib.sha256(data).hexdigest(), count))

    def _row(self, fields: list[str], file: str, line: int) -> None:
        errors = self.errors

        def bad(field: str, message: str, hint: str | None = None) -> None:
            errors.append(Problem(file, line, field, message, hint))

        if len(fields) != _NCOLS:
            bad(
                "columns",
                f"{len(fields)} columns, expected {_NCOLS} ({', '.join(_COLUMNS)})",
                "check for a missing or extra comma, or an unbalanced quote",
            )
            return
        (change, country, location, name, name_ascii, subdivision, function, status, date,
         iata, coords, remarks) = (f.strip() for f in fields)
        if (
            _FUNCTION_RE.fullmatch(function) is None
            and _FUNCTION_RE.fullmatch(status) is not None
            and (function == "" or function in STATUSES)
        ):
            function, status = status, function  # Status written before Function
        n_errors = len(errors)
        if _COUNTRY_RE.fullmatch(country) is None:
            bad("Country", f"country {country!r} is not two capital letters (ISO 3166-1)")
        if not location:
            self._name_row(change, country, name, name_ascii, file, line, bad)
            return
        if _LOCATION_RE.fullmatch(location) is None:
            bad(
                "Location",
                f"location code {location!r} is not 3 capital letters or digits",
                "UN/LOCODE location parts are A-Z and 0-9, e.g. 'GOT'",
            )
        if not name:
            bad("Name", "empty name")
        if _FUNCTION_RE.fullmatch(function) is None:
            bad(
                "Function",
                f"function classifier {function!r} is not 8 positions of 0-8, A, B or '-'",
                "e.g. '1--45---' for a sea port with an airport and a postal office",
            )
        if status and status not in STATUSES:
            bad("Status", f"unknown status {status!r}", f"one of {', '.join(STATUSES)}")
        if date and _DATE_RE.fullmatch(date) is None:
            bad("Date", f"date {date!r} is not YYMM")
        if subdivision and _SUBDIVISION_RE.fullmatch(subdivision) is None:
            bad("Subdivision", f"subdivision {subdivision!r} is not 1-3 letters or digits")
        coordinates: Coordinates | None = None
        if coords:
            cached = self.coord_cache.get(coords)
            if cached is None:
                try:
                    cached = parse_coordinates(coords)
                except ValueError as exc:
                    cached = exc
                self.coord_cache[coords] = cached
            if isinstance(cached, Coordinates):
                coordinates = cached
            elif self.strict_coordinates:
                bad("Coordinates", str(cached), "write DDMMH DDDMMH, e.g. '5743N 01158E'")
            else:
                self.warnings.append(
                    Problem(
                        file,
                        line,
                        "Coordinates",
                        f"{cached}; the row is kept without coordinates",
                        "write DDMMH DDDMMH with minutes below 60, e.g. '5743N 01158E'",
                        severity="warning",
                    )
                )
        if len(errors) != n_errors:
            return
        self.rows.append(
            Location(
                code=country + location,
                country=country,
                location=location,
                name=name,
                name_ascii=name_ascii or name,
                subdivision=subdivision or None,
                status=status or None,
                functions=function,
                date=date or None,
                iata=iata or None,
                coordinates=coordinates,
                remarks=remarks or None,
                change=change or None,
                file=file,
                line=line,
            )
        )

    def _name_row(
        self,
        change: str,
        country: str,
        name: str,
        name_ascii: str,
        file: str,
        line: int,
        bad: Callable[[str, str, str | None], None],
    ) -> None:
        if name.startswith("."):
            self.country_names.setdefault(country, name[1:].strip())
            return
        if " = " in name:
            alias, _, target = name.partition(" = ")
            target_match = _CODE_LIKE_RE.fullmatch(target.strip())
            self.references.append(
                NameReference(
                    country=country,
                    name=alias.strip(),
                    target=target.strip(),
                    target_code=None if target_match is None else "".join(target_match.groups()),
                    file=file,
                    line=line,
                )
            )
            if name_ascii and name_ascii != name and " = " in name_ascii:
                alias_ascii = name_ascii.partition(" = ")[0].strip()
                if alias_ascii != alias.strip():
                    self.references.append(
                        NameReference(
                            country=country,
                            name=alias_ascii,
                            target=target.strip(),
                            target_code=None
                            if target_match is None
                            else "".join(target_match.groups()),
                            file=file,
                            line=line,
                        )
                    )
            return
        bad(
            "Location",
            "empty location code in a row that is neither a country-name row ('.SWEDEN') nor "
            "a reference row ('Gothenburg = Göteborg')",
            None,
        )


def _expand(paths: Iterable[str | os.PathLike[str]], countries: frozenset[str] | None) -> list[Path]:
    """The files to read; raises RegistryError naming every path that does not exist."""
    files: list[Path] = []
    missing: list[Problem] = []
    seen: set[Path] = set()
    given = list(paths)
    if not given:
        raise RegistryError(
            [Problem("(no path)", None, None, "no UN/LOCODE file or directory given")]
        )
    for raw in given:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if _DIR_FILE_RE.fullmatch(p.name) and p.is_file()
            )
            if not found:
                missing.append(
                    Problem(
                        str(path),
                        None,
                        None,
                        "the directory holds no ??.csv country files",
                        "point to the directory of the per-country files (SE.csv, US.csv, ...) "
                        "or to a single CSV file",
                    )
                )
            for p in found:
                if countries is not None and p.stem.upper() not in countries:
                    continue
                key = p.resolve()
                if key not in seen:
                    seen.add(key)
                    files.append(p)
        elif path.is_file():
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                files.append(path)
        else:
            missing.append(
                Problem(
                    str(path),
                    None,
                    None,
                    "no such file or directory",
                    "give the UN/LOCODE directory (one ??.csv per country) or a CSV file",
                )
            )
    if missing:
        raise RegistryError(missing)
    return files


def read_unlocode(
    paths: Iterable[str | os.PathLike[str]],
    *,
    countries: Collection[str] | None = None,
    skip_bad: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    encoding: str = "utf-8",
    strict_coordinates: bool = False,
) -> LocodeList:
    """Read UN/LOCODE CSV files into a :class:`LocodeList`.

    ``paths`` are directories (every ``??.csv`` in each, sorted) or files (one country, or the
    single-file layout with many countries). ``countries`` restricts the list to these country
    codes (e.g. ``{"SE", "JP"}``); in a directory, other countries' files are not read at all.

    Every malformed row (wrong number of columns, bad code characters, a function classifier
    that is not 8 positions of ``0-8AB-``, unknown status, bad date, undecodable bytes) becomes
    a :class:`~portlod.errors.Problem` naming file, line and column.

    Coordinates that cannot be decoded (not ``DDMMH DDDMMH``, minutes of 60 or more, latitude
    above 90° or longitude above 180°) are a warning by default: the row is kept with
    ``coordinates=None`` and the problem goes to :attr:`LocodeList.warnings`. The published list
    has some 280 such values (35 of them on sea ports, e.g. FOTOR Tórshavn ``6210N 06460W``),
    so rejecting them would reject the list. With ``strict_coordinates=True`` they are errors
    like the others.
    After reading all files a :class:`~portlod.errors.RegistryError` with all problems is raised,
    unless ``skip_bad`` is true: then the bad rows are left out and their problems kept in
    :attr:`LocodeList.skipped`. A missing path raises RegistryError before anything is read.

    ``on_progress(done, total)`` is called after each file. ``encoding`` is the files' text
    encoding (UTF-8 for the UN/CEFACT files).
    """
    wanted: frozenset[str] | None = None
    if countries is not None:
        if isinstance(countries, str):
            raise TypeError("countries must be a collection of codes, e.g. {'SE'}, not a str")
        wanted = frozenset(c.strip().upper() for c in countries)
        bad_codes = sorted(c for c in wanted if _COUNTRY_RE.fullmatch(c) is None)
        if bad_codes:
            raise ValueError(f"countries must be ISO 3166-1 alpha-2 codes, not {bad_codes}")
    files = _expand(paths, wanted)
    reader = _Reader(wanted, encoding, strict_coordinates)
    total = len(files)
    for done, path in enumerate(files, start=1):
        reader.read_file(path)
        if on_progress is not None:
            on_progress(done, total)
    if reader.errors and not skip_bad:
        raise RegistryError(reader.errors)
    return LocodeList(
        reader.rows,
        sources=reader.sources,
        skipped=reader.errors,
        warnings=reader.warnings,
        references=reader.references,
        country_names=reader.country_names,
        country_filter=wanted,
    )
