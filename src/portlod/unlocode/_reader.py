"""Reading the UN/LOCODE CSV files (per-country directory or the UNECE single file)."""


from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

from ..errors import Problem, RegistryError
from ._list import LocodeList
from ._model import (
    _CODE_CHARS,
    _CODE_LIKE_RE,
    _COLUMNS,
    _COORD_OK_RE,
    _COUNTRY_RE,
    _DATE_RE,
    _DIR_FILE_RE,
    _FUNCTION_RE,
    _LOCATION_RE,
    _NCOLS,
    _SUBDIVISION_RE,
    STATUSES,
    NameReference,
    Source,
    _decode_coordinates,
    _Record,
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
