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
from typing import Final, Literal, NamedTuple

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
# in range: minutes below 60, latitude at most 90°, longitude at most 180°
_COORD_OK_RE = re.compile(
    r"(?:[0-8]\d[0-5]\d|9000)[NS] (?:(?:0\d\d|1[0-7]\d)[0-5]\d|18000)[EW]"
)
_CODE_RE = re.compile(r"[A-Z]{2}[A-Z0-9]{3}")
_CODE_LIKE_RE = re.compile(r"([A-Z]{2}) ?([A-Z0-9]{3})")
_REF_CODE_RE = re.compile(r"\b([A-Z]{2}) ?([A-Z0-9]{3})\b")
_CODE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
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


def _decode_coordinates(text: str) -> tuple[float, float, str] | str:
    """``(lat, lon, text)`` for a ``DDMMH DDDMMH`` value, or a message saying what is wrong."""
    match = _COORD_RE.fullmatch(text)
    if match is None:
        return f"coordinates {text!r} are not written DDMMH DDDMMH (e.g. '5743N 01158E')"
    lat_d, lat_m, ns, lon_d, lon_m, ew = match.groups()
    lat_min, lon_min = int(lat_m), int(lon_m)
    if lat_min >= 60 or lon_min >= 60:
        return f"coordinates {text!r}: minutes must be below 60"
    lat = int(lat_d) + lat_min / 60
    lon = int(lon_d) + lon_min / 60
    if lat > 90:
        return f"coordinates {text!r}: latitude above 90 degrees"
    if lon > 180:
        return f"coordinates {text!r}: longitude above 180 degrees"
    # "+ 0.0" turns a negative zero (0000S) into 0.0
    return (
        round(-lat if ns == "S" else lat, 4) + 0.0,
        round(-lon if ew == "W" else lon, 4) + 0.0,
        text,
    )


def parse_coordinates(text: str) -> Coordinates:
    """Decode ``DDMMH DDDMMH`` (degrees and minutes) into decimal degrees.

    ``5743N 01158E`` becomes ``Coordinates(57.7167, 11.9667, "5743N 01158E")``: degrees plus
    minutes / 60, rounded to 4 decimals; S and W are negative. Raises :class:`ValueError` when the
    text is not in that form, when minutes are 60 or more, or when the latitude exceeds 90° or
    the longitude 180°.
    """
    decoded = _decode_coordinates(text.strip())
    if isinstance(decoded, str):
        raise ValueError(decoded)
    return Coordinates(*decoded)


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

_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_BRACKETS_RE = re.compile(r"\([^)]*\)")


def _fold(text: str) -> str:
    """Lower-case, strip diacritics and punctuation: ``"Göteborg"`` -> ``"goteborg"``."""
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return " ".join(_NON_ALNUM_RE.sub(" ", text.casefold()).split())


def _name_keys(name: str) -> set[str]:
    """Folded search keys of a name: the whole, without the brackets, each bracketed or
    slash-separated part (``"Brussel (Bruxelles)"`` -> brussel bruxelles, brussel, bruxelles)."""
    keys = {_fold(name)}
    if "(" in name:
        keys.add(_fold(_BRACKETS_RE.sub(" ", name)))
        for part in re.findall(r"\(([^)]*)\)", name):
            keys.add(_fold(part))
    if "/" in name:
        for part in name.split("/"):
            keys.add(_fold(_BRACKETS_RE.sub(" ", part)))
    keys.discard("")
    return keys


def _city_names(name: str) -> list[str]:
    """Folded names of the city an entry is named after, longest first.

    The name itself without brackets and without what follows a comma or slash; for an airport
    (a name ending in *Apt* or *Airport*) also the shorter word prefixes, since airports are
    named *City Airportname International Apt*: ``"Shanghai Hongqiao International Apt"`` ->
    ``["shanghai hongqiao", "shanghai"]``.
    """
    base = _BRACKETS_RE.sub(" ", name)
    base = re.split(r"[,/]", base, maxsplit=1)[0]
    words = _fold(base).split()
    airport = bool(words) and words[-1] in ("apt", "airport")
    while words and words[-1] in _NON_CITY_WORDS:
        words.pop()
    if not words:
        return []
    if not airport:
        return [" ".join(words)]
    return [
        " ".join(words[:n])
        for n in range(len(words), 0, -1)
        if len(" ".join(words[:n])) >= 3 and words[n - 1] not in _NON_CITY_WORDS
    ]


def _letters(text: str) -> str:
    """Upper-case letters and digits of a name: ``"Göteborg"`` -> ``"GOTEBORG"``."""
    return _fold(text).replace(" ", "").upper()


def _is_subsequence(part: str, letters: str) -> bool:
    if not part or not letters or part[0] != letters[0]:
        return False
    it = iter(letters)
    return all(ch in it for ch in part)


def _code_score(part: str, letters: str, location: str) -> float:
    """How well a 3-character location part matches an entry's name letters and its code."""
    prefix = 0
    for a, b in zip(part, letters):
        if a != b:
            break
        prefix += 1
    name_score = prefix / len(part)
    if name_score < 0.9 and _is_subsequence(part, letters):
        name_score = 0.9
    same_pos = sum(1 for a, b in zip(part, location) if a == b) / len(part)
    return 0.6 * name_score + 0.4 * same_pos


def _remark_codes(remarks: str | None) -> list[str]:
    """Codes named in a remark, e.g. ``Use DEBNY`` or ``cf BE LSN`` -> DEBNY, BELSN."""
    if not remarks:
        return []
    return [a + b for a, b in _REF_CODE_RE.findall(remarks)]


# ------------------------------------------------------------------------------- records

# A location row as read, before it is made into a Location on first use: code, country,
# location, name, name_ascii, subdivision, status, functions, date, iata, coordinates (text,
# already checked), remarks, change, file, line.
_Record = tuple[
    str,
    str,
    str,
    str,
    str,
    "str | None",
    "str | None",
    str,
    "str | None",
    "str | None",
    "str | None",
    "str | None",
    "str | None",
    str,
    int,
]
_R_CODE: Final = 0
_R_COUNTRY: Final = 1
_R_LOCATION: Final = 2
_R_NAME: Final = 3
_R_ASCII: Final = 4
_R_FUNCTIONS: Final = 7


def _checked_coordinates(text: str) -> Coordinates:
    """:func:`parse_coordinates` for a value already checked when it was read (``DDMMH DDDMMH``,
    in range): the same arithmetic, without the regular expression."""
    lat = int(text[0:2]) + int(text[2:4]) / 60
    lon = int(text[6:9]) + int(text[9:11]) / 60
    return Coordinates(
        round(-lat if text[4] == "S" else lat, 4) + 0.0,
        round(-lon if text[11] == "W" else lon, 4) + 0.0,
        text,
    )


def _to_location(rec: _Record) -> Location:
    coords = rec[10]
    return Location(
        code=rec[0],
        country=rec[1],
        location=rec[2],
        name=rec[3],
        name_ascii=rec[4],
        subdivision=rec[5],
        status=rec[6],
        functions=rec[7],
        date=rec[8],
        iata=rec[9],
        coordinates=None if coords is None else _checked_coordinates(coords),
        remarks=rec[11],
        change=rec[12],
        file=rec[13],
        line=rec[14],
    )


def _to_record(loc: Location) -> _Record:
    c = loc.coordinates
    return (
        loc.code,
        loc.country,
        loc.location,
        loc.name,
        loc.name_ascii,
        loc.subdivision,
        loc.status,
        loc.functions,
        loc.date,
        loc.iata,
        None if c is None else c.text,
        loc.remarks,
        loc.change,
        loc.file,
        loc.line,
    )


class _Index:
    """Name index of a pool of rows (one country, or all): folded name -> row numbers."""

    __slots__ = ("_letters", "keys", "port_keys", "records", "refs", "rows")

    def __init__(
        self, records: list[_Record], rows: list[int], refs: Iterable[NameReference]
    ) -> None:
        self.records = records
        self.rows = rows
        self.keys: dict[str, list[int]] = {}
        self.port_keys: dict[str, list[int]] = {}
        keys_get = self.keys.setdefault
        port_get = self.port_keys.setdefault
        for i in rows:
            rec = records[i]
            keys = _name_keys(rec[_R_ASCII])
            if rec[_R_NAME] != rec[_R_ASCII]:
                keys |= _name_keys(rec[_R_NAME])
            port = rec[_R_FUNCTIONS][0] == "1"
            for key in keys:
                keys_get(key, []).append(i)
                if port:
                    port_get(key, []).append(i)
        self.refs: dict[str, list[NameReference]] = {}
        for ref in refs:
            for key in _name_keys(ref.name):
                self.refs.setdefault(key, []).append(ref)
        self._letters: list[str] | None = None

    def letters(self) -> list[str]:
        """The name letters of each row (parallel to ``rows``), computed once."""
        if self._letters is None:
            self._letters = [_letters(self.records[i][_R_ASCII]) for i in self.rows]
        return self._letters


# ------------------------------------------------------------------------------- container


class LocodeList:
    """The UN/LOCODE entries read by :func:`read_unlocode`, looked up by code.

    ``len()`` and iteration cover distinct codes (the first row of each code, in file order);
    ``in`` takes a code such as ``"SEGOT"``. :class:`Location` objects are made on first use,
    so reading the whole list stays fast. Build one directly from Location objects for tests.
    """

    __slots__ = (
        "_by_country",
        "_cache",
        "_country_filter",
        "_country_names",
        "_country_origins",
        "_first",
        "_global_index",
        "_indexes",
        "_more",
        "_records",
        "_references",
        "_skipped",
        "_sources",
        "_warnings",
    )

    def __init__(
        self,
        rows: Iterable[Location] = (),
        *,
        sources: Iterable[Source] = (),
        skipped: Iterable[Problem] = (),
        warnings: Iterable[Problem] = (),
        references: Iterable[NameReference] = (),
        country_names: Mapping[str, str] | None = None,
        country_filter: Collection[str] | None = None,
        country_origins: Mapping[str, tuple[str, int]] | None = None,
    ) -> None:
        locations = list(rows)
        self._setup(
            [_to_record(loc) for loc in locations],
            sources=sources,
            skipped=skipped,
            warnings=warnings,
            references=references,
            country_names=country_names,
            country_filter=country_filter,
            country_origins=country_origins,
        )
        self._cache[:] = locations

    @classmethod
    def _from_records(
        cls,
        records: list[_Record],
        *,
        sources: Iterable[Source],
        skipped: Iterable[Problem],
        warnings: Iterable[Problem],
        references: Iterable[NameReference],
        country_names: Mapping[str, str],
        country_filter: Collection[str] | None,
        country_origins: Mapping[str, tuple[str, int]] | None = None,
    ) -> LocodeList:
        self = cls.__new__(cls)
        self._setup(
            records,
            sources=sources,
            skipped=skipped,
            warnings=warnings,
            references=references,
            country_names=country_names,
            country_filter=country_filter,
            country_origins=country_origins,
        )
        return self

    def _setup(
        self,
        records: list[_Record],
        *,
        sources: Iterable[Source],
        skipped: Iterable[Problem],
        warnings: Iterable[Problem],
        references: Iterable[NameReference],
        country_names: Mapping[str, str] | None,
        country_filter: Collection[str] | None,
        country_origins: Mapping[str, tuple[str, int]] | None = None,
    ) -> None:
        self._records = records
        self._cache: list[Location | None] = [None] * len(records)
        first: dict[str, int] = {}
        more: dict[str, list[int]] = {}
        for i, rec in enumerate(records):
            code = rec[_R_CODE]
            if code in first:
                more.setdefault(code, [first[code]]).append(i)
            else:
                first[code] = i
        self._first = first
        self._more = more
        self._by_country: dict[str, list[int]] | None = None
        self._sources: tuple[Source, ...] = tuple(sources)
        self._skipped: tuple[Problem, ...] = tuple(skipped)
        self._warnings: tuple[Problem, ...] = tuple(warnings)
        self._references: tuple[NameReference, ...] = tuple(references)
        self._country_names: Mapping[str, str] = MappingProxyType(dict(country_names or {}))
        self._country_origins: Mapping[str, tuple[str, int]] = MappingProxyType(
            dict(country_origins or {})
        )
        self._country_filter: frozenset[str] | None = (
            None if country_filter is None else frozenset(country_filter)
        )
        self._indexes: dict[str, _Index] = {}
        self._global_index: _Index | None = None

    def _country_rows(self) -> dict[str, list[int]]:
        """Country -> its row numbers, made on first use."""
        if self._by_country is None:
            by_country: dict[str, list[int]] = {}
            for i, rec in enumerate(self._records):
                rows = by_country.get(rec[_R_COUNTRY])
                if rows is None:
                    by_country[rec[_R_COUNTRY]] = [i]
                else:
                    rows.append(i)
            self._by_country = by_country
        return self._by_country

    def _loc(self, i: int) -> Location:
        loc = self._cache[i]
        if loc is None:
            loc = self._cache[i] = _to_location(self._records[i])
        return loc

    # -- container protocol ---------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._first)

    def __iter__(self) -> Iterator[Location]:
        return (self._loc(i) for i in self._first.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._first

    def __repr__(self) -> str:
        return f"<LocodeList {len(self)} codes from {len(self._sources)} file(s)>"

    def get(self, code: str) -> Location | None:
        """The entry of ``code`` (its first row), or ``None``."""
        i = self._first.get(code)
        return None if i is None else self._loc(i)

    def variants(self, code: str) -> tuple[Location, ...]:
        """Every row of ``code`` (several when the place is listed under more than one name)."""
        rows = self._more.get(code)
        if rows is None:
            i = self._first.get(code)
            return () if i is None else (self._loc(i),)
        return tuple(self._loc(i) for i in rows)

    def iter_rows(self, *, ports_only: bool = False) -> Iterator[Location]:
        """Every location row in file order, like :attr:`rows`, but made one at a time; with
        ``ports_only`` only the rows with the sea-port function (the others are not made at
        all, which keeps reading the sea ports of the whole list fast)."""
        records = self._records
        for i in range(len(records)):
            if not ports_only or records[i][_R_FUNCTIONS][0] == "1":
                yield self._loc(i)

    def count_rows(self, *, ports_only: bool = False) -> int:
        """The number of rows :meth:`iter_rows` yields."""
        if not ports_only:
            return len(self._records)
        return sum(1 for rec in self._records if rec[_R_FUNCTIONS][0] == "1")

    def has_variants(self, code: str) -> bool:
        """True when ``code`` has more than one row (see :meth:`variants`)."""
        return code in self._more

    @property
    def newest_date(self) -> str | None:
        """The newest Date column (``YYMM``) of the rows as ``YYYY-MM`` (years 70-99 are 19xx),
        or ``None`` when no row has a date."""
        dates = {rec[8] for rec in self._records if rec[8]}
        if not dates:
            return None
        year, month = max(
            ((1900 if int(d[:2]) >= 70 else 2000) + int(d[:2]), d[2:]) for d in dates
        )
        return f"{year:04d}-{month}"

    def ports(self) -> Iterator[Location]:
        """The entries with the sea-port function (position 1), in file order."""
        records = self._records
        return (
            self._loc(i) for i in self._first.values() if records[i][_R_FUNCTIONS][0] == "1"
        )

    # -- what was read --------------------------------------------------------------------

    @property
    def rows(self) -> tuple[Location, ...]:
        """Every location row, in file order (a code with several names has several rows)."""
        return tuple(self._loc(i) for i in range(len(self._records)))

    @property
    def sources(self) -> tuple[Source, ...]:
        """The files read: ``(path, sha256 hex, rows read)``, for provenance."""
        return self._sources

    @property
    def skipped(self) -> tuple[Problem, ...]:
        """Problems of the rows left out with ``skip_bad=True``."""
        return self._skipped

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems that did not make a row bad (unusable coordinates, dropped)."""
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
    def country_origins(self) -> Mapping[str, tuple[str, int]]:
        """Country code -> ``(file, line)`` of the country's name row (``.SWEDEN``), for
        provenance; empty for a list built from Location objects without it."""
        return self._country_origins

    @property
    def countries(self) -> frozenset[str]:
        """The countries with at least one entry."""
        return frozenset(self._country_rows())

    @property
    def country_filter(self) -> frozenset[str] | None:
        """The ``countries`` the list was restricted to when read, or ``None``."""
        return self._country_filter

    # -- name search ----------------------------------------------------------------------

    def _index(self, country: str | None) -> _Index:
        if country is None:
            if self._global_index is None:
                self._global_index = _Index(
                    self._records, list(range(len(self._records))), self._references
                )
            return self._global_index
        index = self._indexes.get(country)
        if index is None:
            index = _Index(
                self._records,
                self._country_rows().get(country, []),
                [ref for ref in self._references if ref.country == country],
            )
            self._indexes[country] = index
        return index

    def _ranked(self, scores: dict[str, tuple[float, int]], limit: int) -> list[Location]:
        records = self._records

        def key(item: tuple[float, int]) -> tuple[float, bool, int, str]:
            rec = records[item[1]]
            functions = rec[_R_FUNCTIONS]
            return (-item[0], functions[0] != "1", functions.count("-"), rec[_R_CODE])

        return [self._loc(i) for _, i in sorted(scores.values(), key=key)[:limit]]

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
        part against the names (and codes) of that country's entries: ``"SEGOX"`` finds
        *Göteborg* (``SEGOT``). Anything else is a name, compared (folded, without diacritics)
        with the names of ``country``'s entries, or of all entries when ``country`` is ``None``
        (slower: about half a second): exact names and reference names (``Gothenburg``) first,
        then names beginning with it, then close matches (:mod:`difflib`). ``ports_only`` keeps
        sea ports only. At most ``limit`` entries, one per code, best first; ties go to sea
        ports and entries with more functions.
        """
        if limit <= 0:
            return []
        text = name_or_code.strip()
        if country is not None:
            country = country.strip().upper()
        code_match = _CODE_LIKE_RE.fullmatch(text)
        if code_match is not None and country in (None, code_match.group(1)):
            if code_match.group(1) in self._country_rows():
                return self._nearest_code(
                    code_match.group(1), code_match.group(2), limit, ports_only
                )
        return self._nearest_name(text, country, limit, ports_only)

    def _nearest_code(
        self, country: str, part: str, limit: int, ports_only: bool
    ) -> list[Location]:
        index = self._index(country)
        records = self._records
        scores: dict[str, tuple[float, int]] = {}
        for i, letters in zip(index.rows, index.letters()):
            rec = records[i]
            if ports_only and rec[_R_FUNCTIONS][0] != "1":
                continue
            location = rec[_R_LOCATION]
            if location == part:
                continue
            score = _code_score(part, letters, location)
            current = scores.get(rec[_R_CODE])
            if current is None or score > current[0]:
                scores[rec[_R_CODE]] = (score, i)
        return self._ranked(scores, limit)

    def _nearest_name(
        self, text: str, country: str | None, limit: int, ports_only: bool
    ) -> list[Location]:
        key = _fold(text)
        if not key:
            return []
        index = self._index(country)
        pool = index.port_keys if ports_only else index.keys
        records = self._records
        scores: dict[str, tuple[float, int]] = {}

        def add(rows: Iterable[int], score: float) -> None:
            for i in rows:
                code = records[i][_R_CODE]
                current = scores.get(code)
                if current is None or score > current[0]:
                    scores[code] = (score, i)

        add(pool.get(key, ()), 1.0)
        for ref in index.refs.get(key, ()):
            if ref.target_code is not None:
                target = self._first.get(ref.target_code)
                if target is not None and (
                    not ports_only or records[target][_R_FUNCTIONS][0] == "1"
                ):
                    add((target,), 0.99)
            else:
                add(pool.get(_fold(ref.target), ()), 0.99)
        prefix = key + " "
        for name_key, rows in pool.items():
            if name_key.startswith(prefix):
                add(rows, 0.9 - min(len(name_key) - len(key), 40) / 1000)
        for name_key in difflib.get_close_matches(key, pool.keys(), n=limit * 3, cutoff=0.6):
            ratio = difflib.SequenceMatcher(None, key, name_key).ratio()
            add(pool[name_key], 0.85 * ratio)
        return self._ranked(scores, limit)

    # -- ports ----------------------------------------------------------------------------

    def port_meant(self, code: str) -> Location | None:
        """The sea port probably meant by an existing code that lacks the sea-port function.

        In order: the alias table :data:`PORT_ALIASES`; a sea port whose code the entry's
        remarks name (``Use DEBNY``, ``cf BE LSN``); a sea port of the same country (and the
        same subdivision, when both have one) named like the entry's city with ``Pt``/``Port``
        (``Shanghai Hongqiao International Apt`` -> ``Shanghai Pt``) or named as the city
        itself. ``None`` for unknown codes, for sea ports, and when nothing fits (``USSIT``).
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
        port_keys = self._index(loc.country).port_keys
        cities: list[str] = []
        for variant in self.variants(code):
            for name in (variant.name, variant.name_ascii):
                cities.extend(c for c in _city_names(name) if c not in cities)
        cities.sort(key=len, reverse=True)
        for city in cities:
            for form in (*_PORT_NAME_FORMS, "{}"):
                key = form.format(city)
                found = [
                    cand
                    for cand in (self._loc(i) for i in port_keys.get(key, ()))
                    if cand.code != code
                    and not (
                        loc.subdivision
                        and cand.subdivision
                        and loc.subdivision != cand.subdivision
                    )
                ]
                if found:
                    # the whole name first (Montreal before Lachine/Montreal), then the
                    # entry with most functions
                    return min(
                        found,
                        key=lambda c: (_fold(c.name_ascii) != key, c.functions.count("-"), c.code),
                    )
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
        if country not in self._country_rows():
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


# ---------------------------------------------------------------------------------- reading

_DECODE_HINT = (
    "save the file as {enc}, or pass the encoding it is written in "
    "(the UNECE download is ISO 8859-1: encoding='latin-1')"
)


class _Reader:
    """State of one :func:`read_unlocode` call."""

    def __init__(
        self, countries: frozenset[str] | None, encoding: str, strict_coordinates: bool
    ) -> None:
        self.countries = countries
        self.encoding = encoding
        self.strict_coordinates = strict_coordinates
        self.records: list[_Record] = []
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.references: list[NameReference] = []
        self.country_names: dict[str, str] = {}
        self.country_origins: dict[str, tuple[str, int]] = {}
        self.sources: list[Source] = []
        # values already found valid, so that most rows need no regular expression
        self.ok_country: set[str] = set()
        self.ok_function: set[str] = set()
        self.ok_subdivision: set[str] = set()
        self.ok_date: set[str] = set()

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
            if bad_lines and self._undecodable(fields, file, start, last, bad_lines):
                continue
            if len(fields) != _NCOLS:
                self.errors.append(
                    Problem(
                        file,
                        start,
                        "columns",
                        f"{len(fields)} columns, expected {_NCOLS} ({', '.join(_COLUMNS)})",
                        "check for a missing or extra comma, or an unbalanced quote",
                    )
                )
                continue
            if countries is not None and fields[1].strip() not in countries:
                continue
            self._row(fields, file, start)
        self.sources.append(Source(file, hashlib.sha256(data).hexdigest(), count))

    def _undecodable(
        self, fields: list[str], file: str, start: int, last: int, bad_lines: dict[int, str]
    ) -> bool:
        broken = [n for n in range(start, last + 1) if n in bad_lines]
        if not broken:
            return False
        column = next(
            (_COLUMNS[i] for i, v in enumerate(fields[:_NCOLS]) if "\ufffd" in v), None
        )
        for n in broken:
            self.errors.append(
                Problem(file, n, column, bad_lines[n], _DECODE_HINT.format(enc=self.encoding))
            )
        return True

    def _row(self, fields: list[str], file: str, line: int) -> None:
        (change, country, location, name, name_ascii, subdivision, function, status, date,
         iata, coords, remarks) = map(str.strip, fields)
        if not location:
            self._name_row(country, name, name_ascii, file, line)
            return
        problems: list[Problem] = []
        if not (
            country in self.ok_country
            and len(location) == 3
            and not location.strip(_CODE_CHARS)
            and function in self.ok_function
            and (not status or status in STATUSES)
            and (not date or date in self.ok_date)
            and (not subdivision or subdivision in self.ok_subdivision)
            and name
        ):
            function, status, problems = self._validate(
                file, line, country, location, name, subdivision, function, status, date
            )
        if coords and _COORD_OK_RE.fullmatch(coords) is None:
            message = _decode_coordinates(coords)
            if isinstance(message, str):
                if self.strict_coordinates:
                    problems.append(Problem(file, line, "Coordinates", message, _COORD_HINT))
                elif not problems:
                    self.warnings.append(
                        Problem(
                            file,
                            line,
                            "Coordinates",
                            f"{message}; the row is kept without coordinates",
                            _COORD_HINT,
                            severity="warning",
                        )
                    )
                coords = ""
        if problems:
            self.errors.extend(problems)
            return
        self.records.append(
            (
                country + location,
                country,
                location,
                name,
                name_ascii or name,
                subdivision or None,
                status or None,
                function,
                date or None,
                iata or None,
                coords or None,
                remarks or None,
                change or None,
                file,
                line,
            )
        )

    def _validate(
        self,
        file: str,
        line: int,
        country: str,
        location: str,
        name: str,
        subdivision: str,
        function: str,
        status: str,
        date: str,
    ) -> tuple[str, str, list[Problem]]:
        """Check the coded columns of a row; returns Function and Status (put in order) and
        the problems found. Values found valid are remembered."""
        problems: list[Problem] = []
        if (
            _FUNCTION_RE.fullmatch(function) is None
            and _FUNCTION_RE.fullmatch(status) is not None
            and (function == "" or function in STATUSES)
        ):
            function, status = status, function  # written Status before Function
        if _COUNTRY_RE.fullmatch(country):
            self.ok_country.add(country)
        else:
            problems.append(
                Problem(
                    file,
                    line,
                    "Country",
                    f"country {country!r} is not two capital letters (ISO 3166-1 alpha-2)",
                    "e.g. 'SE'",
                )
            )
        if _LOCATION_RE.fullmatch(location) is None:
            problems.append(
                Problem(
                    file,
                    line,
                    "Location",
                    f"location code {location!r} is not 3 capital letters or digits",
                    "the location part of a UN/LOCODE is A-Z and 0-9, e.g. 'GOT'",
                )
            )
        if not name:
            problems.append(Problem(file, line, "Name", "empty name", "give the place's name"))
        if _FUNCTION_RE.fullmatch(function):
            self.ok_function.add(function)
        else:
            problems.append(
                Problem(
                    file,
                    line,
                    "Function",
                    f"function classifier {function!r} is not 8 positions of 0-8, A, B or '-'",
                    "e.g. '1--45---' for a sea port with an airport and a postal office",
                )
            )
        if status and status not in STATUSES:
            problems.append(
                Problem(
                    file,
                    line,
                    "Status",
                    f"unknown status {status!r}",
                    f"one of {', '.join(STATUSES)}, or empty",
                )
            )
        if date:
            if _DATE_RE.fullmatch(date):
                self.ok_date.add(date)
            else:
                problems.append(
                    Problem(file, line, "Date", f"date {date!r} is not YYMM", "e.g. '1601'")
                )
        if subdivision:
            if _SUBDIVISION_RE.fullmatch(subdivision):
                self.ok_subdivision.add(subdivision)
            else:
                problems.append(
                    Problem(
                        file,
                        line,
                        "Subdivision",
                        f"subdivision {subdivision!r} is not 1-3 capital letters or digits",
                        "the ISO 3166-2 suffix, e.g. 'CA' for US-CA",
                    )
                )
        return function, status, problems

    def _name_row(self, country: str, name: str, name_ascii: str, file: str, line: int) -> None:
        """A row with an empty Location: a country name (``.SWEDEN``) or a reference."""
        if _COUNTRY_RE.fullmatch(country) is None:
            self.errors.append(
                Problem(
                    file,
                    line,
                    "Country",
                    f"country {country!r} is not two capital letters (ISO 3166-1 alpha-2)",
                    "e.g. 'SE'",
                )
            )
            return
        if name.startswith("."):
            if country not in self.country_names:
                self.country_names[country] = name[1:].strip()
                self.country_origins[country] = (file, line)
            return
        if " = " not in name:
            self.errors.append(
                Problem(
                    file,
                    line,
                    "Location",
                    "empty location code in a row that is neither a country-name row "
                    "('.SWEDEN') nor a reference row ('Gothenburg = Göteborg')",
                    "give the 3-character location code",
                )
            )
            return
        target = name.partition(" = ")[2].strip()
        target_match = _CODE_LIKE_RE.fullmatch(target)
        target_code = None if target_match is None else "".join(target_match.groups())
        aliases = [name.partition(" = ")[0].strip()]
        if " = " in name_ascii:
            alias_ascii = name_ascii.partition(" = ")[0].strip()
            if alias_ascii not in aliases:
                aliases.append(alias_ascii)
        for alias in aliases:
            self.references.append(
                NameReference(
                    country=country,
                    name=alias,
                    target=target,
                    target_code=target_code,
                    file=file,
                    line=line,
                )
            )


_COORD_HINT = "write DDMMH DDDMMH with minutes below 60, e.g. '5743N 01158E'"


def _expand(
    paths: Iterable[str | os.PathLike[str]], countries: frozenset[str] | None
) -> list[Path]:
    """The files to read; raises RegistryError naming every path that does not exist."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: list[Path] = []
    missing: list[Problem] = []
    seen: set[Path] = set()
    given = list(paths)
    if not given:
        raise RegistryError(
            [
                Problem(
                    "(no path)",
                    None,
                    None,
                    "no UN/LOCODE file or directory given",
                    "give the UN/LOCODE directory (one ??.csv per country) or a CSV file",
                )
            ]
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
    a :class:`~portlod.errors.Problem` naming file, line and column. After reading all files a
    :class:`~portlod.errors.RegistryError` with all problems is raised, unless ``skip_bad`` is
    true: then the bad rows are left out and their problems kept in :attr:`LocodeList.skipped`.
    A missing path raises RegistryError before anything is read.

    Coordinates that cannot be decoded (not ``DDMMH DDDMMH``, minutes of 60 or more, latitude
    above 90° or longitude above 180°) are a warning by default: the row is kept with
    ``coordinates=None`` and the problem goes to :attr:`LocodeList.warnings`. The published list
    has some 280 such values (35 of them on sea ports, e.g. FOTOR Tórshavn ``6210N 06460W``),
    so rejecting them would reject the list. With ``strict_coordinates=True`` they are errors
    like the others.

    ``on_progress(done, total)`` is called after each file. ``encoding`` is the files' text
    encoding (UTF-8 for the UN/CEFACT files; a UTF-8 byte-order mark is ignored).
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
    return LocodeList._from_records(
        reader.records,
        sources=reader.sources,
        skipped=reader.errors,
        warnings=reader.warnings,
        references=reader.references,
        country_names=reader.country_names,
        country_origins=reader.country_origins,
        country_filter=wanted,
    )
