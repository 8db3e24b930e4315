"""The records of the UN/LOCODE code list: locations, coordinates, code checks."""


from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal, NamedTuple

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


