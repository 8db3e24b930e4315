"""Finding what a name or code means: nearest names and codes, the port meant, code checks
(the lookup half of :class:`~portlod.unlocode.LocodeList`)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ._model import (
    _CODE_LIKE_RE,
    _CODE_RE,
    _PORT_NAME_FORMS,
    _R_CODE,
    _R_FUNCTIONS,
    _R_LOCATION,
    PORT_ALIASES,
    CodeCheck,
    Location,
)
from ._names import _city_names, _code_score, _fold, _remark_codes

if TYPE_CHECKING:
    from ._list import _Index
    from ._model import _Record


class _Lookup:
    """Lookups of a :class:`LocodeList` by name or code."""

    __slots__ = ()

    if TYPE_CHECKING:  # provided by LocodeList
        _records: list[_Record]
        _first: dict[str, int]
        _country_filter: frozenset[str] | None

        def _loc(self, i: int) -> Location: ...
        def _index(self, country: str | None) -> _Index: ...
        def _country_rows(self) -> dict[str, list[int]]: ...
        def get(self, code: str) -> Location | None: ...
        def variants(self, code: str) -> tuple[Location, ...]: ...
        def __contains__(self, code: object) -> bool: ...

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


