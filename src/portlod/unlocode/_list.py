"""The code list container: rows by code, name indexes, nearest names and code checks."""


from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from types import MappingProxyType

from ..errors import Problem
from ._lookup import _Lookup
from ._model import (
    _R_ASCII,
    _R_CODE,
    _R_COUNTRY,
    _R_FUNCTIONS,
    _R_NAME,
    Location,
    NameReference,
    Source,
    _Record,
    _to_location,
    _to_record,
)
from ._names import _letters, _name_keys


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


class LocodeList(_Lookup):
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
