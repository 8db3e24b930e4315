"""The port registry from UN/LOCODE: the code list as linked data, every fact citing its row.

:func:`import_registry` reads the UN/LOCODE CSV files (:func:`portlod.unlocode.read_unlocode`)
and builds a :class:`~portlod.Dataset` the same way :mod:`portlod.build` builds hand-written
registries:

* the list is one source, ``<https://w3id.org/portlod/id/source/unlocode>``, a ``pl:Registry``
  published by UNECE, described in the metadata graph with the paths read and one SHA-256 over
  the files (the digest ``sha256sum ??.csv | sha256sum`` prints in the directory);
* every location row is a passage (``…/id/source/unlocode/SEGOT``, with ``pl:line`` and the CSV
  file as ``pl:sourceFile``) and gets its own fact graph (``…/id/graph/unlocode/SEGOT``); a code
  listed under several names (``FIHEL``) has one passage per row, the later ones keyed
  ``FIHEL-helsinki-helsingfors``;
* every country name row (``.SWEDEN``) is a passage too (``…/source/unlocode/SE``) stating the
  ``pl:Country``;
* a sea port (``1`` in function position 1) becomes a ``pl:Port`` at
  ``…/id/port/<CODE>``; with ``ports_only=False`` every other location becomes a
  ``pl:Locality`` at UN/CEFACT's own IRI ``https://vocabulary.uncefact.org/unlocode#<CODE>``.

A place gets ``rdfs:label`` (the name) and ``skos:altLabel`` (the name without diacritics, when
it differs), ``pl:unlocode``, ``pl:country``, ``pl:subdivision`` (``SE-O``), the function
classifier and status as printed (``pl:unlocodeFunction``, ``pl:unlocodeStatus``), each function
as UN/CEFACT's own concept (``unlcdv:functions unlcdf:1``, reusing the UN/CEFACT vocabulary
rather than minting a scheme), and, when the row has usable coordinates, a ``pl:Position`` of
kind ``pl:CityCentroid`` (UN/LOCODE gives the location's coordinates, to the minute) whose
``pl:positionSource`` is the list. A port also links to the UN/CEFACT entry with
``skos:closeMatch``. A row without coordinates gets no position; the import reports these ports
(:attr:`ImportSummary.without_coordinates`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ._nquads import lit as _lit
from .build import DCTERMS, ID, METADATA_GRAPH, PL, RDF_TYPE, RDFS_LABEL, SKOS, UNLOCODE, UNLOCODE_COUNTRY, XSD
from .dataset import Dataset
from .errors import Problem
from .unlocode import LocodeList, Source, read_unlocode
from .unlocode._names import _fold

__all__ = [
    "FUNCTION_CONCEPT",
    "PUBLISHER_KEY",
    "SOURCE_KEY",
    "ImportSummary",
    "RegistryDataset",
    "combined_checksum",
    "country_label",
    "import_registry",
    "registry_quads",
]

#: The key of the UN/LOCODE source: ``…/id/source/unlocode``, ``…/id/graph/unlocode/<passage>``.
SOURCE_KEY = "unlocode"
#: The key of the list's publisher: ``…/id/org/unece``.
PUBLISHER_KEY = "unece"
#: UN/CEFACT's function concepts: ``FUNCTION_CONCEPT + "1"`` is maritime transport (sea port).
FUNCTION_CONCEPT = "https://vocabulary.uncefact.org/unlocode-functions#"
#: UN/CEFACT's property from a location to its function concepts.
UNLCDV_FUNCTIONS = "https://vocabulary.uncefact.org/unlocode-vocab/functions"

TITLE = "UN/LOCODE code list"
URL = "https://github.com/uncefact/vocab-locode"
PUBLISHER_NAME = "United Nations Economic Commission for Europe"
PUBLISHER_ALIAS = "UNECE"
SOURCE_NOTE = (
    "The United Nations Code for Trade and Transport Locations (UNECE Recommendation No. 16). "
    "Coordinates are those of the location the code belongs to (usually the city, not the port "
    "basin), in degrees and whole minutes: about 1.8 km of precision."
)

Progress = Callable[[str, int, int], None]
"""``on_progress(stage, done, total)``: stage ``"read"`` counts files, ``"build"`` rows."""

_CODE_RE = re.compile(r"[A-Z]{2}[A-Z0-9]{3}")
_FUNCTIONS_RE = re.compile(r"[0-8AB-]{8}")
_STATE_OF_RE = re.compile(r"state\s+of\s+(\d{4}-\d{2}-\d{2})")
_SMALL_WORDS = frozenset({"and", "of", "the", "da", "de", "du", "des", "la", "le", "part"})


# ------------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class ImportSummary:
    """What an import made.

    ``ports`` and ``localities`` count distinct codes (a code listed under two names counts
    once), ``rows`` the location rows turned into fact graphs. ``quads`` is the size of the
    store, ``triples`` the distinct triples of the union (what Turtle publishes).
    ``without_coordinates`` lists the ports with no usable coordinates, in file order: they get
    no position. ``skipped`` are the bad rows left out (``skip_bad=True``); ``warnings`` the
    problems that did not stop the import (coordinates that cannot be used, dropped).
    """

    ports: int
    localities: int
    rows: int
    countries: int
    quads: int
    triples: int
    without_coordinates: tuple[str, ...]
    skipped: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    files: tuple[Source, ...]
    seconds: float

    @property
    def locations(self) -> int:
        """Ports plus localities: the distinct codes in the registry."""
        return self.ports + self.localities

    def to_dict(self) -> dict[str, object]:
        return {
            "ports": self.ports, "localities": self.localities, "locations": self.locations,
            "rows": self.rows, "countries": self.countries, "quads": self.quads,
            "triples": self.triples, "without_coordinates": len(self.without_coordinates),
            "skipped": len(self.skipped), "warnings": len(self.warnings),
            "files": len(self.files), "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True, kw_only=True)
class RegistryDataset(Dataset):
    """The data set :func:`import_registry` builds, with its :class:`ImportSummary`."""

    summary: ImportSummary


# ------------------------------------------------------------------------------------ helpers


def _decimal(x: float) -> str:
    text = f"{x:.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def country_label(printed: str) -> str:
    """The country name of a name row in title case: ``"KOREA, REPUBLIC OF"`` → ``"Korea,
    Republic of"``, ``"CÔTE D'IVOIRE"`` → ``"Côte d'Ivoire"``, ``"VIRGIN ISLANDS (U.S.)"`` →
    ``"Virgin Islands (U.S.)"``."""

    def word(w: str, first: bool) -> str:
        if "." in w:
            return w
        if "-" in w:
            return "-".join(word(part, first and i == 0) for i, part in enumerate(w.split("-")))
        core = w.strip("(),")
        lead, trail = w[: w.index(core)] if core else w, w[w.index(core) + len(core):] if core else ""
        low = core.lower()
        if "'" in low:
            head, _, tail = low.partition("'")
            if len(head) == 1:  # d'Ivoire
                out = head + "'" + tail[:1].upper() + tail[1:]
                return lead + (out[:1].upper() + out[1:] if first else out) + trail
            return lead + head[:1].upper() + head[1:] + "'" + tail + trail  # People's
        if low.startswith("mc") and len(low) > 2:
            return lead + "Mc" + low[2:3].upper() + low[3:] + trail
        if not first and low in _SMALL_WORDS:
            return lead + low + trail
        return lead + low[:1].upper() + low[1:] + trail

    words = printed.split()
    return " ".join(word(w, i == 0) for i, w in enumerate(words))


def _slug(name: str) -> str:
    return _fold(name).replace(" ", "-")


def combined_checksum(files: Iterable[Source]) -> str:
    """SHA-256 over ``"<sha256>  <file name>\\n"`` lines in file-name order: what
    ``sha256sum ??.csv | sha256sum`` prints in the UN/LOCODE directory."""
    lines = sorted((Path(s.path).name, s.sha256) for s in files)
    manifest = "".join(f"{digest}  {name}\n" for name, digest in lines)
    return hashlib.sha256(manifest.encode("utf-8")).hexdigest()


def _published_from_readme(paths: Iterable[str | os.PathLike[str]]) -> str | None:
    """The ``state of YYYY-MM-DD`` a README next to the files gives, if any."""
    for raw in paths:
        path = Path(raw)
        folder = path if path.is_dir() else path.parent
        for name in ("README.md", "README", "README.txt"):
            readme = folder / name
            try:
                text = readme.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            match = _STATE_OF_RE.search(text)
            if match:
                try:
                    return _dt.date.fromisoformat(match.group(1)).isoformat()
                except ValueError:
                    continue
    return None


def _date_literal(value: str) -> ox.Literal:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"published: {value!r} is not a date") from None
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "gYearMonth"))
    if re.fullmatch(r"\d{4}", value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "gYear"))
    raise ValueError(f"published must be YYYY-MM-DD, YYYY-MM or YYYY, not {value!r}")


def _file_name(path: str, roots: list[Path]) -> str:
    """The CSV file relative to the PATH it was found in (``SE.csv``), else its name."""
    p = Path(path)
    for root in roots:
        try:
            return p.relative_to(root).as_posix()
        except ValueError:
            continue
    return p.name


# ------------------------------------------------------------------------------------ writer

# The writer makes N-Quads text, which pyoxigraph parses in Rust (leniently: without checking
# IRIs again): about twice as fast as making a Quad object per statement in Python and adding
# those. Every IRI is made of checked parts (codes of A-Z and 0-9, checked per row; slugs of a-z,
# 0-9 and '-'; a checked source key) and every literal goes through _lit.


def _iri(value: str) -> str:
    return f"<{value}>"


_EN = "@en"
_T_A = _iri(RDF_TYPE.value)
_T_LABEL = _iri(RDFS_LABEL.value)
_T_ALT = _iri(SKOS + "altLabel")
_T_NOTE = _iri(SKOS + "note")
_T_CLOSE = _iri(SKOS + "closeMatch")
_T_EXACT = _iri(SKOS + "exactMatch")
_T_FUNCTIONS = _iri(UNLCDV_FUNCTIONS)
_T_TITLE = _iri(DCTERMS + "title")
_T_META = _iri(METADATA_GRAPH.value)
_T_DECIMAL = "^^" + _iri(XSD + "decimal")
_T_POSINT = "^^" + _iri(XSD + "positiveInteger")
_T_WKT = "^^" + _iri("http://www.opengis.net/ont/geosparql#wktLiteral")
_T_AS_WKT = _iri("http://www.opengis.net/ont/geosparql#asWKT")


def _t(term: str) -> str:
    return _iri(PL + term)


class _Writer:
    """Turns a LocodeList into N-Quads lines, counting what it makes."""

    def __init__(
        self,
        locodes: LocodeList,
        *,
        ports_only: bool,
        countries: Collection[str] | None,
        codes: Collection[str] | None = None,
        source_key: str,
        paths: Iterable[str | os.PathLike[str]] | None,
        published: str | None,
        url: str | None,
        on_progress: Progress | None,
    ) -> None:
        if isinstance(countries, str):
            raise TypeError("countries must be a collection of codes, e.g. {'SE'}, not a str")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", source_key):
            raise ValueError(f"source_key must be lower-case words joined by '-', not {source_key!r}")
        self.locodes = locodes
        self.ports_only = ports_only
        self.countries = None if countries is None else frozenset(c.strip().upper() for c in countries)
        self.codes = None if codes is None else frozenset(codes)
        self.key = source_key
        self.paths = [os.fspath(p) for p in paths] if paths is not None else sorted(
            {os.fspath(Path(s.path).parent) for s in locodes.sources})
        self.roots = [Path(p) for p in self.paths if Path(p).is_dir()]
        self.published = None if published is None else _date_literal(published)
        self.url = url
        self.on_progress = on_progress
        self.source = f"{ID}source/{source_key}"
        # what was made
        self.port_codes: set[str] = set()
        self.locality_codes: set[str] = set()
        self.rows = 0
        self.places: set[tuple[str, int]] = set()  # (file, line) of every row made
        self.lines = 0
        self.repeated = 0  # triples already stated by an earlier row of the same code
        self.without: dict[str, None] = {}
        self.used_countries: dict[str, None] = {}

    # -- metadata -----------------------------------------------------------------------------
    def source_lines(self) -> list[str]:
        m = _T_META
        s = _iri(self.source)
        org = _iri(f"{ID}org/{PUBLISHER_KEY}")
        out = [
            f"{s} {_T_A} {_t('Registry')} {m} .\n",
            f"{s} {_T_TITLE} {_lit(TITLE, _EN)} {m} .\n",
            f"{s} {_t('publisher')} {org} {m} .\n",
            f"{s} {_T_NOTE} {_lit(SOURCE_NOTE, _EN)} {m} .\n",
            f"{org} {_T_A} {_t('Organization')} {m} .\n",
            f"{org} {_T_LABEL} {_lit(PUBLISHER_NAME, _EN)} {m} .\n",
            f"{org} {_T_ALT} {_lit(PUBLISHER_ALIAS, _EN)} {m} .\n",
        ]
        if self.url:
            out.append(f"{s} {_t('url')} {_lit(self.url, '^^' + _iri(XSD + 'anyURI'))} {m} .\n")
        if self.published is not None:
            lit = self.published
            out.append(f"{s} {_t('published')} {_lit(lit.value, '^^' + _iri(lit.datatype.value))} {m} .\n")
        for path in self.paths:
            out.append(f"{s} {_t('sourceFile')} {_lit(path)} {m} .\n")
        if self.locodes.sources:
            out.append(f"{s} {_t('checksum')} {_lit(combined_checksum(self.locodes.sources))} {m} .\n")
        self.lines += len(out)
        return out

    def _passage(self, out: list[str], passage: str, line: int | None, file: str | None) -> str:
        """Describe a passage and its fact graph in the metadata graph; returns the graph."""
        m = _T_META
        p = f"<{ID}source/{self.key}/{passage}>"
        g = f"<{ID}graph/{self.key}/{passage}>"
        out.append(f"{p} {_T_A} {_T_PASSAGE} {m} .\n")
        out.append(f"{p} {_T_IN_SOURCE} <{self.source}> {m} .\n")
        if line is not None:
            out.append(f'{p} {_T_LINE} "{line}"{_T_POSINT} {m} .\n')
        if file is not None:
            out.append(f"{p} {_T_SOURCE_FILE} {file} {m} .\n")
        out.append(f"{g} {_T_A} {_T_FACT_GRAPH} {m} .\n")
        out.append(f"{g} {_T_DERIVED} {p} {m} .\n")
        return g

    # -- rows -----------------------------------------------------------------------------------
    def location_lines(self) -> Iterator[list[str]]:
        """One list of N-Quads lines per location row (metadata and facts), in file order."""
        key = self.key
        wanted = self.countries
        wanted_codes = self.codes
        locodes = self.locodes
        files: dict[str, str] = {}
        countries: dict[str, str] = {}
        function_parts: dict[str, tuple[str, ...]] = {}
        seen: dict[str, tuple[set[str], str | None, set[str]]] = {}  # code -> slugs, coords, triples
        port_prefix = f"{ID}port/"
        code_ok = _CODE_RE.fullmatch
        function_ok = _FUNCTIONS_RE.fullmatch
        locality_prefix = f"{ID}locality/"
        position_suffix = f"/position/{key}"
        source = f"<{self.source}>"
        progress = self.on_progress
        total = locodes.count_rows(ports_only=self.ports_only) if progress is not None else 0
        step = max(1, total // 200)
        done = 0
        for loc in locodes.iter_rows(ports_only=self.ports_only):
            done += 1
            if progress is not None and (done % step == 0 or done == total):
                progress("build", done, total)
            cc = loc.country
            if wanted is not None and cc not in wanted:
                continue
            if wanted_codes is not None and loc.code not in wanted_codes:
                continue
            port = loc.functions[0] == "1"
            code = loc.code
            if code_ok(code) is None or function_ok(loc.functions) is None:
                raise ValueError(f"{loc.file}:{loc.line}: {code!r} / {loc.functions!r} is not a "
                                 "UN/LOCODE and function classifier")
            coords = loc.coordinates
            coord_text = None if coords is None else coords.text
            previous = seen.get(code)
            triples: set[str] | None = None
            if previous is None:
                passage = code
                first_coords = coord_text
                if locodes.has_variants(code):
                    triples = set()
                    seen[code] = ({""}, coord_text, triples)
            else:
                slugs, first_coords, triples = previous
                slug = _slug(loc.name) or str(loc.line)
                if slug in slugs:
                    slug = f"{slug}-{loc.line}"
                slugs.add(slug)
                passage = f"{code}-{slug}"
                if first_coords is None and coord_text is not None:
                    first_coords = coord_text
                    seen[code] = (slugs, coord_text, triples)
            file = files.get(loc.file)
            if file is None:
                file = files[loc.file] = _lit(_file_name(loc.file, self.roots))
            out: list[str] = []
            g = self._passage(out, passage, loc.line, file)
            facts: list[str] = []
            if port:
                node = f"<{port_prefix}{code}>"
                self.port_codes.add(code)
                facts.append(f"{node} {_T_A} {_T_PORT}")
            else:
                node = f"<{UNLOCODE}{code}>"
                self.locality_codes.add(code)
                facts.append(f"{node} {_T_A} {_T_LOCALITY}")
            facts.append(f"{node} {_T_LABEL} {_lit(loc.name, _EN)}")
            if loc.name_ascii != loc.name:
                facts.append(f"{node} {_T_ALT} {_lit(loc.name_ascii, _EN)}")
            facts.append(f'{node} {_T_UNLOCODE} "{code}"')
            if port:
                facts.append(f"{node} {_T_CLOSE} <{UNLOCODE}{code}>")
            country = countries.get(cc)
            if country is None:
                country = countries[cc] = f"<{ID}country/{cc}>"
                self.used_countries[cc] = None
            facts.append(f"{node} {_T_COUNTRY} {country}")
            if loc.subdivision:
                facts.append(f"{node} {_T_SUBDIVISION} {_lit(f'{cc}-{loc.subdivision}')}")
            functions = loc.functions
            facts.append(f"{node} {_T_FUNCTION} {_lit(functions)}")
            concepts = function_parts.get(functions)
            if concepts is None:
                concepts = function_parts[functions] = tuple(
                    f" {_T_FUNCTIONS} <{FUNCTION_CONCEPT}{c}>" for c in functions if c != "-")
            for part in concepts:
                facts.append(node + part)
            if loc.status:
                facts.append(f"{node} {_T_STATUS} {_lit(loc.status)}")
            if coords is None:
                if port and previous is None:
                    self.without[code] = None
            else:
                if port:
                    self.without.pop(code, None)
                pos_iri = (node[1:-1] if port else locality_prefix + code) + position_suffix
                if first_coords is not None and first_coords != coord_text:
                    pos_iri = f"{pos_iri}/{passage}"  # a later row of the code gives other coordinates
                pos = f"<{pos_iri}>"
                facts.append(f"{node} {_T_POSITION} {pos}")
                facts.append(f"{pos} {_T_A} {_T_POSITION_CLS}")
                facts.append(f'{pos} {_T_LAT} "{_decimal(coords.lat)}"{_T_DECIMAL}')
                facts.append(f'{pos} {_T_LON} "{_decimal(coords.lon)}"{_T_DECIMAL}')
                facts.append(f'{pos} {_T_AS_WKT} "POINT({coords.lon} {coords.lat})"{_T_WKT}')
                facts.append(f"{pos} {_T_KIND} {_T_CITY}")
                facts.append(f"{pos} {_T_POS_SOURCE} {source}")
            if triples is not None:
                self.repeated += sum(1 for f in facts if f in triples)
                triples.update(facts)
            tail = f" {g} .\n"
            out.extend(f + tail for f in facts)
            self.rows += 1
            self.places.add((loc.file, loc.line))
            self.lines += len(out)
            yield out

    def country_lines(self) -> Iterator[list[str]]:
        """One list of N-Quads lines per country used, from its name row."""
        names = self.locodes.country_names
        origins = self.locodes.country_origins
        for cc in sorted(self.used_countries):
            origin = origins.get(cc)
            out: list[str] = []
            file = None if origin is None else _lit(_file_name(origin[0], self.roots))
            g = self._passage(out, cc, None if origin is None else origin[1], file)
            node = f"<{ID}country/{cc}>"
            out.append(f"{node} {_T_A} {_T_COUNTRY_CLS} {g} .\n")
            if cc in names:
                out.append(f"{node} {_T_LABEL} {_lit(country_label(names[cc]), _EN)} {g} .\n")
            out.append(f'{node} {_T_COUNTRY_CODE} "{cc}" {g} .\n')
            out.append(f"{node} {_T_EXACT} <{UNLOCODE_COUNTRY}{cc}> {g} .\n")
            self.lines += len(out)
            yield out

    def batches(self) -> Iterator[list[str]]:
        yield self.source_lines()
        yield from self.location_lines()
        yield from self.country_lines()

    @property
    def triples(self) -> int:
        """Distinct triples of the union: every line but those repeating an earlier row."""
        return self.lines - self.repeated


_T_PORT, _T_LOCALITY, _T_COUNTRY_CLS = _t("Port"), _t("Locality"), _t("Country")
_T_POSITION_CLS, _T_CITY, _T_PASSAGE, _T_FACT_GRAPH = _t("Position"), _t("CityCentroid"), _t("Passage"), _t("FactGraph")
_T_UNLOCODE, _T_COUNTRY, _T_SUBDIVISION = _t("unlocode"), _t("country"), _t("subdivision")
_T_FUNCTION, _T_STATUS, _T_POSITION = _t("unlocodeFunction"), _t("unlocodeStatus"), _t("position")
_T_LAT, _T_LON, _T_KIND, _T_POS_SOURCE = _t("latitude"), _t("longitude"), _t("positionKind"), _t("positionSource")
_T_IN_SOURCE, _T_LINE, _T_SOURCE_FILE, _T_DERIVED = _t("inSource"), _t("line"), _t("sourceFile"), _t("derivedFrom")
_T_COUNTRY_CODE = _t("countryCode")


def _writer(
    locodes: LocodeList,
    *,
    ports_only: bool,
    countries: Collection[str] | None,
    source_key: str,
    paths: Iterable[str | os.PathLike[str]] | None,
    published: str | None,
    url: str | None,
    on_progress: Progress | None,
    codes: Collection[str] | None = None,
) -> _Writer:
    if published is None:
        published = _published_from_readme(paths if paths is not None else
                                           {Path(s.path).parent for s in locodes.sources})
        if published is None:
            published = locodes.newest_date
    return _Writer(locodes, ports_only=ports_only, countries=countries, codes=codes, source_key=source_key,
                   paths=paths, published=published, url=url, on_progress=on_progress)


# ------------------------------------------------------------------------------------ API


def registry_quads(
    locodes: LocodeList,
    *,
    ports_only: bool = False,
    countries: Collection[str] | None = None,
    source_key: str = SOURCE_KEY,
    paths: Iterable[str | os.PathLike[str]] | None = None,
    published: str | None = None,
    url: str | None = URL,
    codes: Collection[str] | None = None,
) -> Iterator[ox.Quad]:
    """The quads of the registry made from ``locodes``: the source description, one passage and
    fact graph per location row (sea ports only with ``ports_only``; only the ``countries``
    given, e.g. ``{"SE", "JP"}``; only the ``codes`` given), then one per country used.

    ``paths`` are recorded as the source's ``pl:sourceFile`` (default: the folders the files
    were read from). ``published`` (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) defaults to the
    ``state of YYYY-MM-DD`` of a README next to the files, else the newest Date column.
    """
    writer = _writer(locodes, ports_only=ports_only, countries=countries, source_key=source_key,
                     paths=paths, published=published, url=url, on_progress=None, codes=codes)
    for text in _chunks(writer):
        yield from ox.parse(input=text, format=ox.RdfFormat.N_QUADS)


_CHUNK_LINES = 200_000


def _chunks(writer: _Writer) -> Iterator[bytes]:
    """The writer's N-Quads in chunks of about _CHUNK_LINES lines."""
    chunk: list[str] = []
    for lines in writer.batches():
        chunk += lines
        if len(chunk) >= _CHUNK_LINES:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    if chunk:
        yield "".join(chunk).encode("utf-8")


def import_registry(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    ports_only: bool = False,
    countries: Collection[str] | None = None,
    skip_bad: bool = False,
    on_progress: Progress | None = None,
    source_key: str = SOURCE_KEY,
    published: str | None = None,
    store_path: str | os.PathLike[str] | None = None,
) -> RegistryDataset:
    """Read the UN/LOCODE files at ``paths`` and build the registry as a data set.

    ``paths`` are the UN/LOCODE directory (one ``??.csv`` per country) or CSV files.
    ``ports_only`` keeps the sea ports; ``countries`` (e.g. ``{"SE", "JP"}``) those countries
    only. Bad rows raise :class:`~portlod.RegistryError` naming every file and line, unless
    ``skip_bad`` (then they are left out and listed in the summary). ``on_progress(stage, done,
    total)`` is called while reading (``"read"``, files) and building (``"build"``, rows).
    ``store_path`` keeps the store on disk.

    The result is a :class:`~portlod.Dataset` with a :class:`ImportSummary` as ``.summary``;
    its ``warnings`` are the reader's warnings (unusable coordinates) and the rows skipped.
    """
    started = time.perf_counter()
    path_list: list[str | os.PathLike[str]] = (
        [paths] if isinstance(paths, (str, os.PathLike)) else list(paths))
    if isinstance(countries, str):
        raise TypeError("countries must be a collection of codes, e.g. {'SE'}, not a str")

    def read_progress(done: int, total: int) -> None:
        if on_progress is not None:
            on_progress("read", done, total)

    locodes = read_unlocode(path_list, countries=countries, skip_bad=skip_bad, on_progress=read_progress)
    writer = _writer(locodes, ports_only=ports_only, countries=countries, source_key=source_key,
                     paths=[os.fspath(p) for p in path_list], published=published, url=URL,
                     on_progress=on_progress)
    store = ox.Store(store_path) if store_path is not None else ox.Store()
    for text in _chunks(writer):
        if store_path is not None:
            store.bulk_load(input=text, format=ox.RdfFormat.N_QUADS, lenient=True)
        else:
            store.load(input=text, format=ox.RdfFormat.N_QUADS, lenient=True)
    skipped = locodes.skipped
    # the reader's warnings about rows the registry holds (not about the rows ports_only left out)
    kept = tuple(w for w in locodes.warnings if (w.file, w.line) in writer.places)
    warnings = kept + tuple(
        Problem(p.file, p.line, p.field, f"row skipped: {p.message}", p.hint, severity="warning")
        for p in skipped)
    summary = ImportSummary(
        ports=len(writer.port_codes),
        localities=len(writer.locality_codes),
        rows=writer.rows,
        countries=len(writer.used_countries),
        quads=len(store),
        triples=writer.triples,
        without_coordinates=tuple(writer.without),
        skipped=skipped,
        warnings=kept,
        files=locodes.sources,
        seconds=time.perf_counter() - started,
    )
    return RegistryDataset(store, warnings, None, summary=summary)


_COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"


def _distinct_triples(store: ox.Store) -> int:
    """The distinct triples of all named graphs (the union Turtle and N-Triples publish)."""
    for row in store.query(_COUNT_TRIPLES):  # type: ignore[union-attr]
        return int(row["n"].value)
    return 0
