"""Tests of portlod.unlocode on the real UN/LOCODE files and on small broken fixtures."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from portlod.errors import RegistryError
from portlod.unlocode import (
    FUNCTIONS,
    PORT_ALIASES,
    STATUSES,
    CodeCheck,
    Coordinates,
    Location,
    LocodeList,
    parse_coordinates,
    read_unlocode,
)

UNLOCODE = Path(__file__).resolve().parents[2] / "shared" / "data" / "unlocode"
FIXTURES = Path(__file__).resolve().parent / "data" / "unlocode"

pytestmark = pytest.mark.skipif(
    not (UNLOCODE / "SE.csv").is_file(), reason=f"UN/LOCODE files not found at {UNLOCODE}"
)


@pytest.fixture(scope="module")
def few() -> LocodeList:
    """Five countries of the real list (not the whole list, to keep the tests fast)."""
    return read_unlocode([UNLOCODE], countries={"SE", "JP", "US", "CN", "ID"})


# ------------------------------------------------------------------------------ real rows


def test_segot_decodes_the_real_row(few: LocodeList) -> None:
    # SE.csv:336 ,"SE","GOT","Göteborg","Goteborg","O","12345---","AA","1601","GSP","5743N 01158E",
    loc = few.get("SEGOT")
    assert loc is not None
    assert (loc.code, loc.country, loc.location) == ("SEGOT", "SE", "GOT")
    assert loc.name == "Göteborg"
    assert loc.name_ascii == "Goteborg"
    assert loc.subdivision == "O"
    assert loc.subdivision_code == "SEO"
    assert loc.functions == "12345---"
    assert loc.function_codes == ("1", "2", "3", "4", "5")
    assert loc.is_seaport
    assert loc.status == "AA"
    assert loc.date == "1601"
    assert loc.iata == "GSP"
    assert loc.coordinates == Coordinates(57.7167, 11.9667, "5743N 01158E")
    assert loc.remarks is None and loc.change is None
    assert not loc.marked_for_removal
    assert Path(loc.file).name == "SE.csv" and loc.line == 336


@pytest.mark.parametrize(
    ("code", "name", "subdivision", "functions", "status", "lat", "lon"),
    [
        ("JPTYO", "Tokyo", "13", "12345---", "AF", 35.6833, 139.75),
        ("JPYOK", "Yokohama", "14", "12345---", "AF", 35.45, 139.65),
        ("USLGB", "Long Beach", "CA", "1234----", "AI", 33.7667, -118.1833),
    ],
)
def test_known_ports(
    few: LocodeList,
    code: str,
    name: str,
    subdivision: str,
    functions: str,
    status: str,
    lat: float,
    lon: float,
) -> None:
    loc = few.get(code)
    assert loc is not None
    assert (loc.name, loc.subdivision, loc.functions, loc.status) == (
        name,
        subdivision,
        functions,
        status,
    )
    assert loc.is_seaport
    assert loc.coordinates is not None
    assert (loc.coordinates.lat, loc.coordinates.lon) == (lat, lon)


def test_cnshg_is_shanghai_port_without_coordinates(few: LocodeList) -> None:
    loc = few.get("CNSHG")
    assert loc is not None
    assert loc.name == "Shanghai Pt"
    assert loc.functions == "1-------"
    assert loc.function_codes == ("1",)
    assert loc.subdivision_code == "CNSH"
    assert loc.is_seaport
    assert loc.coordinates is None


def test_uslax_has_no_coordinates_and_no_problem(few: LocodeList) -> None:
    loc = few.get("USLAX")
    assert loc is not None
    assert loc.name == "Los Angeles"
    assert loc.functions == "1--45---"
    assert loc.function_codes == ("1", "4", "5")
    assert loc.coordinates is None
    assert not [p for p in few.warnings if p.line == loc.line and p.file == loc.file]
    assert few.check("USLAX") == []


def test_cnsha_is_an_airport_and_the_port_meant_is_cnshg(few: LocodeList) -> None:
    assert "CNSHA" in few
    loc = few.get("CNSHA")
    assert loc is not None
    assert loc.name == "Shanghai Hongqiao International Apt"
    assert not loc.is_seaport
    meant = few.port_meant("CNSHA")
    assert meant is not None and meant.code == "CNSHG"
    (finding,) = few.check("CNSHA")
    assert finding.severity == "warning"
    assert finding.kind == "not-a-port"
    assert finding.suggestion == "CNSHG"
    assert "CNSHG" in finding.message and "Shanghai Pt" in finding.message


@pytest.mark.parametrize(("code", "port"), sorted(PORT_ALIASES.items()))
def test_alias_table_codes_are_not_ports_and_point_to_ports(
    few: LocodeList, code: str, port: str
) -> None:
    loc = few.get(code)
    target = few.get(port)
    assert loc is not None and target is not None
    assert not loc.is_seaport and target.is_seaport
    assert few.port_meant(code) == target


def test_port_meant_by_name_without_the_alias_table(few: LocodeList) -> None:
    # CN.csv: CNPVG "Shanghai Pudong International Apt" (---4----), not in PORT_ALIASES
    assert "CNPVG" not in PORT_ALIASES
    meant = few.port_meant("CNPVG")
    assert meant is not None and meant.code == "CNSHG"
    assert few.port_meant("SEGOT") is None  # already a sea port
    assert few.port_meant("SEXXX") is None  # no such code


def test_sitka_is_not_a_port_and_no_port_is_guessed(few: LocodeList) -> None:
    loc = few.get("USSIT")
    assert loc is not None and loc.functions == "---4----"
    assert few.port_meant("USSIT") is None
    (finding,) = few.check("USSIT")
    assert finding.kind == "not-a-port" and finding.suggestion is None
    assert few.check("USSIT", port=False) == []


def test_check_unknown_code_suggests_nearest_names(few: LocodeList) -> None:
    findings = few.check("SEGOX")
    assert len(findings) == 1
    finding = findings[0]
    assert isinstance(finding, CodeCheck)
    assert finding.severity == "error" and finding.kind == "unknown"
    assert finding.suggestion == "SEGOT"
    assert "SEGOT" in finding.alternatives
    assert "SEGOX is not in UN/LOCODE" in finding.message
    assert "Göteborg" in finding.message
    assert all(few.get(c) is not None for c in finding.alternatives)


def test_check_other_cases(few: LocodeList) -> None:
    assert few.check("SEGOT") == []
    (malformed,) = few.check("SE-GOT")
    assert malformed.severity == "error" and malformed.kind == "malformed"
    (canonical,) = few.check("se got")
    assert canonical.kind == "not-canonical" and canonical.suggestion == "SEGOT"
    (not_loaded,) = few.check("NLRTM")  # read without NL
    assert not_loaded.severity == "warning" and not_loaded.kind == "not-loaded"
    unfiltered = read_unlocode([FIXTURES / "two_countries.csv"])
    (unknown_country,) = unfiltered.check("XXABC")
    assert unknown_country.kind == "unknown" and unknown_country.suggestion is None
    assert "no country XX" in unknown_country.message


def test_nearest_by_name(few: LocodeList) -> None:
    # "Gothenburg = Göteborg" is a reference row of SE.csv
    assert few.nearest("Gothenburg", country="SE")[0].code == "SEGOT"
    assert few.nearest("goteborg", country="se")[0].code == "SEGOT"
    assert few.nearest("Göteborg")[0].code == "SEGOT"
    assert few.nearest("Long Beach", country="US", ports_only=True)[0].code == "USLGB"
    ports = few.nearest("Shanghai", country="CN", ports_only=True)
    assert "CNSHG" in [p.code for p in ports] and all(p.is_seaport for p in ports)
    assert len(few.nearest("Stockholm", country="SE", limit=2)) <= 2
    assert few.nearest("", country="SE") == []


def test_container_protocol(few: LocodeList) -> None:
    assert len(few) > 25_000
    assert "JPYOK" in few and "JPXXX" not in few and 42 not in few
    assert few.get("JPXXX") is None
    assert few.countries == frozenset({"SE", "JP", "US", "CN", "ID"})
    assert few.country_filter == frozenset({"SE", "JP", "US", "CN", "ID"})
    assert few.country_names["SE"] == "SWEDEN"
    codes = [loc.code for loc in few]
    assert len(codes) == len(set(codes)) == len(few)
    ports = list(few.ports())
    assert ports and all(p.is_seaport for p in ports)
    assert {p.country for p in ports} == few.countries


def test_sources_record_files_hashes_and_rows() -> None:
    progress: list[tuple[int, int]] = []
    codes = read_unlocode(
        [UNLOCODE], countries=["JP", "SE"], on_progress=lambda d, t: progress.append((d, t))
    )
    assert progress == [(1, 2), (2, 2)]
    assert [Path(s.path).name for s in codes.sources] == ["JP.csv", "SE.csv"]
    for source in codes.sources:
        data = Path(source.path).read_bytes()
        assert source.sha256 == hashlib.sha256(data).hexdigest()
        assert source.rows == data.count(b"\n")
        path, digest, rows = source  # a plain (path, sha256, rows) tuple
        assert (path, digest, rows) == (source.path, source.sha256, source.rows)


def test_several_rows_of_one_code() -> None:
    codes = read_unlocode([UNLOCODE / "FI.csv"])
    names = {loc.name for loc in codes.variants("FIHEL")}
    assert names == {"Helsingfors (Helsinki)", "Helsinki (Helsingfors)"}
    assert codes.nearest("Helsinki", country="FI")[0].code == "FIHEL"
    assert len(codes.rows) > len(codes)


def test_rows_one_at_a_time_and_counts() -> None:
    codes = read_unlocode([UNLOCODE / "FI.csv", UNLOCODE / "SE.csv"])
    assert list(codes.iter_rows()) == list(codes.rows)
    ports = list(codes.iter_rows(ports_only=True))
    assert ports == [loc for loc in codes.rows if loc.is_seaport]
    assert codes.count_rows() == len(codes.rows) and codes.count_rows(ports_only=True) == len(ports)
    assert codes.has_variants("FIHEL") and not codes.has_variants("SEGOT")
    assert not codes.has_variants("XXXXX")


def test_newest_date_and_country_name_rows() -> None:
    codes = read_unlocode([UNLOCODE / "SE.csv"])
    # the newest Date of SE.csv is 2201 (January 2022); 9912 is December 1999, not 2099
    assert {"2201", "9912"} <= {loc.date for loc in codes.rows}
    assert codes.newest_date == "2022-01"
    # SE.csv:1 ,"SE",,".SWEDEN",,,,,,,,
    assert codes.country_names == {"SE": "SWEDEN"}
    assert codes.country_origins == {"SE": (str(UNLOCODE / "SE.csv"), 1)}
    assert LocodeList([]).newest_date is None and LocodeList([]).country_origins == {}
    two = read_unlocode([FIXTURES / "two_countries.csv"])
    assert {c: line for c, (_, line) in two.country_origins.items()} == {"SE": 1, "NO": 5}


def test_coordinates_made_on_use_equal_parse_coordinates(few: LocodeList) -> None:
    for loc in few.rows:
        if loc.coordinates is not None:
            assert loc.coordinates == parse_coordinates(loc.coordinates.text)


def test_marked_for_removal() -> None:
    codes = read_unlocode([UNLOCODE / "GB.csv"])
    loc = codes.get("GBPPC")  # change "x", status XX
    assert loc is not None and loc.marked_for_removal
    kinds = [f.kind for f in codes.check("GBPPC", port=False)]
    assert kinds == ["marked-for-removal"]


def test_whole_list() -> None:
    codes = read_unlocode([UNLOCODE])
    assert len(codes.sources) == 249
    assert len(codes) > 115_000
    assert sum(1 for _ in codes.ports()) > 17_000
    assert codes.skipped == ()
    # about 280 published coordinates are out of range (minutes >= 60, ...): rows kept
    assert codes.warnings and all(w.field == "Coordinates" for w in codes.warnings)
    torshavn = codes.get("FOTOR")
    assert torshavn is not None and torshavn.is_seaport and torshavn.coordinates is None
    for code in ("USLAX", "SGSIN", "CNSHG"):
        loc = codes.get(code)
        assert loc is not None and loc.coordinates is None


# ---------------------------------------------------------------------------- coordinates


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("5743N 01158E", 57.7167, 11.9667),
        ("3346N 11811W", 33.7667, -118.1833),
        ("0608S 10650E", -6.1333, 106.8333),
        ("3352S 07040W", -33.8667, -70.6667),
        ("0000N 00000E", 0.0, 0.0),
        ("9000S 18000W", -90.0, -180.0),
    ],
)
def test_parse_coordinates(text: str, lat: float, lon: float) -> None:
    assert parse_coordinates(text) == Coordinates(lat, lon, text)


@pytest.mark.parametrize(
    "text",
    ["5760N 01158E", "5743N 01160E", "9100N 00000E", "9001N 00000E", "0000N 18100E",
     "5743N 01158", "57.43N 11.58E", "5743X 01158E", ""],
)
def test_parse_coordinates_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="coordinates"):
        parse_coordinates(text)


def test_coordinates_at_the_edges_and_out_of_range() -> None:
    codes = read_unlocode([FIXTURES / "coordinates_edge.csv"])
    pole = codes.get("AQSPL")
    assert pole is not None and pole.coordinates is not None
    assert (pole.coordinates.lat, pole.coordinates.lon) == (-90.0, 0.0)
    adak = codes.get("USADK")
    assert adak is not None and adak.coordinates is not None
    assert (adak.coordinates.lat, adak.coordinates.lon) == (51.8667, -176.6333)
    torshavn = codes.get("FOTOR")  # 6210N 06460W as published: kept, without coordinates
    assert torshavn is not None and torshavn.coordinates is None
    (warning,) = codes.warnings
    assert (warning.line, warning.field, warning.severity) == (5, "Coordinates", "warning")
    assert "minutes" in warning.message


# -------------------------------------------------------------------------- bad fixtures


def test_wrong_column_count() -> None:
    path = FIXTURES / "bad_columns.csv"
    with pytest.raises(RegistryError) as caught:
        read_unlocode([path])
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (str(path), 3, "columns")
    assert f"{path}:3: [columns]" in str(caught.value)
    assert "11 columns" in str(caught.value)
    codes = read_unlocode([path], skip_bad=True)
    assert sorted(loc.code for loc in codes) == ["SEGOT", "SESTO"]
    assert codes.skipped == caught.value.problems


def test_bad_coordinates() -> None:
    path = FIXTURES / "bad_coordinates.csv"
    with pytest.raises(RegistryError) as caught:
        read_unlocode([path], strict_coordinates=True)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (3, "Coordinates")
    assert f"{path}:3: [Coordinates]" in str(caught.value)
    assert "55.36N 13.00E" in str(caught.value)
    codes = read_unlocode([path], strict_coordinates=True, skip_bad=True)
    assert sorted(loc.code for loc in codes) == ["SEGOT", "SESTO"]
    assert codes.skipped == caught.value.problems
    # by default the row is kept without coordinates, and the problem is a warning
    lenient = read_unlocode([path])
    malmo = lenient.get("SEMMA")
    assert malmo is not None and malmo.coordinates is None
    assert [(w.line, w.field) for w in lenient.warnings] == [(3, "Coordinates")]


def test_bad_function() -> None:
    path = FIXTURES / "bad_function.csv"
    with pytest.raises(RegistryError) as caught:
        read_unlocode([path])
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (4, "Function")
    assert f"{path}:4: [Function]" in str(caught.value)
    assert "12X45---" in str(caught.value)
    codes = read_unlocode([path], skip_bad=True)
    assert sorted(loc.code for loc in codes) == ["SEGOT", "SEMMA"]


def test_all_problems_are_reported() -> None:
    path = FIXTURES / "many_bad.csv"
    with pytest.raises(RegistryError) as caught:
        read_unlocode([path])
    found = [(p.line, p.field) for p in caught.value.problems]
    assert found == [(3, "Location"), (4, "Status"), (5, "Date"), (7, "Function")]
    codes = read_unlocode([path], skip_bad=True)
    assert sorted(loc.code for loc in codes) == ["SEGOT", "SEVIS"]
    assert len(codes.skipped) == 4


def test_decoding_errors_name_file_line_and_column() -> None:
    path = FIXTURES / "latin1.csv"
    with pytest.raises(RegistryError) as caught:
        read_unlocode([path])
    assert [(p.line, p.field) for p in caught.value.problems] == [(2, "Name"), (3, "Name")]
    assert f"{path}:2: [Name]" in str(caught.value)
    assert "utf-8" in str(caught.value)
    codes = read_unlocode([path], encoding="latin-1")
    loc = codes.get("SEGOT")
    assert loc is not None and loc.name == "Göteborg"


def test_single_file_with_two_countries() -> None:
    path = FIXTURES / "two_countries.csv"
    codes = read_unlocode([path])
    assert sorted(loc.code for loc in codes) == ["NOBGO", "NOOSL", "NOSVG", "SEGOT", "SESTO"]
    assert codes.country_names == {"SE": "SWEDEN", "NO": "NORWAY"}
    (ref,) = codes.references
    assert (ref.name, ref.target, ref.line) == ("Gothenburg", "Göteborg", 3)
    assert codes.nearest("Gothenburg")[0].code == "SEGOT"
    # the last row is written Status before Function; it is read the right way round
    stavanger = codes.get("NOSVG")
    assert stavanger is not None
    assert (stavanger.functions, stavanger.status) == ("1234----", "AI")
    (source,) = codes.sources
    assert source.rows == 8
    only_no = read_unlocode([path], countries={"NO"})
    assert sorted(loc.code for loc in only_no) == ["NOBGO", "NOOSL", "NOSVG"]


def test_missing_paths() -> None:
    missing = FIXTURES / "nowhere" / "XX.csv"
    with pytest.raises(RegistryError) as caught:
        read_unlocode([UNLOCODE / "SE.csv", missing])
    (problem,) = caught.value.problems
    assert problem.file == str(missing)
    assert str(missing) in str(caught.value)
    with pytest.raises(RegistryError, match="no \\?\\?.csv"):
        read_unlocode([FIXTURES])  # a directory without country files
    with pytest.raises(RegistryError):
        read_unlocode([])


def test_bad_countries_argument() -> None:
    with pytest.raises(TypeError):
        read_unlocode([UNLOCODE], countries="SE")
    with pytest.raises(ValueError, match="alpha-2"):
        read_unlocode([UNLOCODE], countries={"SWE"})


# ------------------------------------------------------------------------ plain objects


def _location(**changes: object) -> Location:
    values: dict[str, object] = {
        "code": "SEGOT",
        "country": "SE",
        "location": "GOT",
        "name": "Göteborg",
        "name_ascii": "Goteborg",
        "subdivision": None,
        "status": "AA",
        "functions": "1--4----",
        "date": "1601",
        "iata": None,
        "coordinates": None,
        "remarks": None,
        "change": None,
        "file": "x.csv",
        "line": 1,
    }
    values.update(changes)
    return Location(**values)  # type: ignore[arg-type]


def test_location_properties() -> None:
    loc = _location()
    assert loc.function_codes == ("1", "4")
    assert loc.is_seaport
    assert loc.subdivision_code is None
    assert not loc.marked_for_removal
    assert _location(status="XX").marked_for_removal
    assert _location(change="X").marked_for_removal
    assert not _location(functions="---4----").is_seaport
    with pytest.raises(AttributeError):
        loc.name = "Gothenburg"  # type: ignore[misc]


def test_list_built_from_locations() -> None:
    codes = LocodeList([_location(), _location(code="SESTO", location="STO", name="Stockholm",
                                               name_ascii="Stockholm", functions="--3-----")])
    assert len(codes) == 2
    assert codes.get("SEGOT") == _location()
    assert [loc.code for loc in codes.ports()] == ["SEGOT"]
    assert codes.check("SESTO")[0].kind == "not-a-port"


def test_tables() -> None:
    assert set(FUNCTIONS) == set("123456780AB")
    assert FUNCTIONS["1"].startswith("maritime transport")
    assert "XX" in STATUSES and "QQ" in STATUSES and len(STATUSES) == 14
    assert PORT_ALIASES == {
        "CNSHA": "CNSHG",
        "CNCAN": "CNGZG",
        "CNDLC": "CNDAG",
        "IDTPP": "IDJKT",
    }
    with pytest.raises(TypeError):
        FUNCTIONS["9"] = "nothing"  # type: ignore[index]
