"""Name folding and code scoring used to find the location a name or code means."""


from __future__ import annotations

import re
import unicodedata

from ._model import _NON_CITY_WORDS, _REF_CODE_RE

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
