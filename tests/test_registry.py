"""Tests of portlod.registry and `portlod registry import` on the real UN/LOCODE files (a few
countries, to stay fast) and on small fixtures under tests/data/unlocode/."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from portlod import Dataset, RegistryError
from portlod.build import METADATA_GRAPH
from portlod.registry import (
    FUNCTION_CONCEPT,
    ImportSummary,
    RegistryDataset,
    _distinct_triples,
    combined_checksum,
    country_label,
    import_registry,
    registry_quads,
)
from portlod.unlocode import read_unlocode

UNLOCODE = Path(__file__).resolve().parents[2] / "shared" / "data" / "unlocode"
FIXTURES = Path(__file__).resolve().parent / "data" / "unlocode"
SMALL = FIXTURES / "registry_small"
CORRUPT = FIXTURES / "registry_corrupt"
COUNTRIES = {"SE", "JP", "US", "CN", "SG"}

real = pytest.mark.skipif(not (UNLOCODE / "SE.csv").is_file(), reason=f"UN/LOCODE files not found at {UNLOCODE}")

ID = "https://w3id.org/portlod/id/"
PL = "https://w3id.org/portlod/ontology#"
PREFIXES = f"""
PREFIX pl: <{PL}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX unlcdv: <https://vocabulary.uncefact.org/unlocode-vocab/>
"""


@pytest.fixture(scope="module")
def ports() -> RegistryDataset:
    """The sea ports of five countries of the real list."""
    return import_registry([UNLOCODE], ports_only=True, countries=COUNTRIES)


def objects(ds: Dataset, subject: str, predicate: str, graph: str | None = None) -> set[str]:
    """The objects of a subject and predicate, as N-Triples terms (IRIs without <>)."""
    g = ox.NamedNode(graph) if graph else None
    out = set()
    for q in ds.store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, g):
        o = q.object
        out.add(o.value if isinstance(o, ox.NamedNode) else str(o))
    return out


def ask(ds: Dataset, query: str) -> list[dict[str, str]]:
    rows = ds.store.query(PREFIXES + query)
    assert isinstance(rows, ox.QuerySolutions)
    names = [v.value for v in rows.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in rows]


# ------------------------------------------------------------------------------ known ports

# The rows as the list gives them (file:line, Name, NameWoDiacritics, Subdivision, Function,
# Status, Coordinates):
KNOWN = {
    # SE.csv:336 ,"SE","GOT","Göteborg","Goteborg","O","12345---","AA","1601","GSP","5743N 01158E",
    "SEGOT": ("SE.csv", 336, "Göteborg", "Goteborg", "SE-O", "12345---", "AA", ("57.7167", "11.9667")),
    # JP.csv:1928 ,"JP","TYO","Tokyo","Tokyo","13","12345---","AF","0401",,"3541N 13945E",
    "JPTYO": ("JP.csv", 1928, "Tokyo", "Tokyo", "JP-13", "12345---", "AF", ("35.6833", "139.75")),
    # JP.csv:2101 ,"JP","YOK","Yokohama","Yokohama","14","12345---","AF","0401",,"3527N 13939E",
    "JPYOK": ("JP.csv", 2101, "Yokohama", "Yokohama", "JP-14", "12345---", "AF", ("35.45", "139.65")),
    # US.csv:9918 ,"US","LGB","Long Beach","Long Beach","CA","1234----","AI","0307",,"3346N 11811W",
    "USLGB": ("US.csv", 9918, "Long Beach", "Long Beach", "US-CA", "1234----", "AI", ("33.7667", "-118.1833")),
    # CN.csv:1130 ,"CN","SHG","Shanghai Pt","Shanghai Pt","SH","1-------","AS","1601",,,
    "CNSHG": ("CN.csv", 1130, "Shanghai Pt", "Shanghai Pt", "CN-SH", "1-------", "AS", None),
}


@real
@pytest.mark.parametrize("code", sorted(KNOWN))
def test_known_ports(ports: RegistryDataset, code: str) -> None:
    file, line, name, ascii_name, subdivision, functions, status, position = KNOWN[code]
    port = f"{ID}port/{code}"
    graph = f"{ID}graph/unlocode/{code}"
    facts = {p: objects(ports, port, PL + p, graph) for p in
             ("unlocode", "country", "subdivision", "unlocodeFunction", "unlocodeStatus", "position")}
    assert objects(ports, port, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", graph) == {PL + "Port"}
    assert objects(ports, port, "http://www.w3.org/2000/01/rdf-schema#label", graph) == {f'"{name}"@en'}
    alt = objects(ports, port, "http://www.w3.org/2004/02/skos/core#altLabel", graph)
    assert alt == ({f'"{ascii_name}"@en'} if ascii_name != name else set())
    assert facts["unlocode"] == {f'"{code}"'}
    assert objects(ports, port, "http://www.w3.org/2004/02/skos/core#closeMatch", graph) == {
        f"https://vocabulary.uncefact.org/unlocode#{code}"}
    assert facts["country"] == {f"{ID}country/{code[:2]}"}
    assert facts["subdivision"] == {f'"{subdivision}"'}
    assert facts["unlocodeFunction"] == {f'"{functions}"'}
    assert facts["unlocodeStatus"] == {f'"{status}"'}
    concepts = objects(ports, port, "https://vocabulary.uncefact.org/unlocode-vocab/functions", graph)
    assert concepts == {FUNCTION_CONCEPT + c for c in functions if c != "-"}
    assert FUNCTION_CONCEPT + "1" in concepts  # a sea port
    # the passage is the row
    passage = f"{ID}source/unlocode/{code}"
    meta = METADATA_GRAPH.value
    assert objects(ports, graph, PL + "derivedFrom", meta) == {passage}
    assert objects(ports, passage, PL + "line", meta) == {f'"{line}"^^<http://www.w3.org/2001/XMLSchema#integer>'}
    assert objects(ports, passage, PL + "sourceFile", meta) == {f'"{file}"'}
    if position is None:
        assert facts["position"] == set()
        assert code in ports.summary.without_coordinates
        return
    pos = f"{port}/position/unlocode"
    assert facts["position"] == {pos}
    lat, lon = position
    assert objects(ports, pos, PL + "latitude", graph) == {f'"{lat}"^^<http://www.w3.org/2001/XMLSchema#decimal>'}
    assert objects(ports, pos, PL + "longitude", graph) == {f'"{lon}"^^<http://www.w3.org/2001/XMLSchema#decimal>'}
    assert objects(ports, pos, "http://www.opengis.net/ont/geosparql#asWKT", graph) == {
        f'"POINT({lon} {lat})"^^<http://www.opengis.net/ont/geosparql#wktLiteral>'}
    assert objects(ports, pos, PL + "positionKind", graph) == {PL + "CityCentroid"}
    assert objects(ports, pos, PL + "positionSource", graph) == {f"{ID}source/unlocode"}
    assert code not in ports.summary.without_coordinates


@real
def test_uslax_has_no_position_and_is_reported(ports: RegistryDataset) -> None:
    # US.csv: ,"US","LAX","Los Angeles","Los Angeles","CA","1--45---","AI","0001",,,
    port = f"{ID}port/USLAX"
    assert objects(ports, port, "http://www.w3.org/2000/01/rdf-schema#label") == {'"Los Angeles"@en'}
    assert objects(ports, port, PL + "position") == set()
    assert not list(ports.store.quads_for_pattern(ox.NamedNode(f"{port}/position/unlocode"), None, None))
    missing = ports.summary.without_coordinates
    assert "USLAX" in missing and "CNSHG" in missing and "SGSIN" in missing
    assert "SEGOT" not in missing
    # every port listed has no position, every other port has one
    without = {r["code"] for r in ask(ports, """
        SELECT ?code WHERE { GRAPH ?g { ?p a pl:Port ; pl:unlocode ?code FILTER NOT EXISTS { ?p pl:position ?x } } }""")}
    assert without == set(missing)
    assert len(missing) == len(set(missing))


@real
def test_summary_counts_match_the_store(ports: RegistryDataset) -> None:
    s = ports.summary
    locodes = read_unlocode([UNLOCODE], countries=COUNTRIES)
    port_rows = [loc for loc in locodes.rows if loc.is_seaport]
    assert isinstance(s, ImportSummary) and isinstance(ports, Dataset)
    assert s.ports == len({loc.code for loc in port_rows}) == s.locations
    assert s.rows == len(port_rows)
    assert s.localities == 0 and s.countries == 5 and len(s.files) == 5
    assert s.quads == len(ports.store)
    assert s.triples == _distinct_triples(ports.store) == len(ports.union())
    assert len(ports.fact_graphs()) == s.rows + s.countries
    assert s.skipped == ()
    # warnings only about the rows imported (sea ports of these countries), none dropped silently
    assert all(w.severity == "warning" for w in s.warnings)
    imported = {(loc.file, loc.line) for loc in port_rows}
    assert {(w.file, w.line) for w in s.warnings} <= imported
    assert {(w.file, w.line) for w in locodes.warnings if (w.file, w.line) in imported} == {
        (w.file, w.line) for w in s.warnings}
    assert s.to_dict()["ports"] == s.ports


@real
def test_every_fact_graph_cites_the_list(ports: RegistryDataset) -> None:
    rows = ask(ports, """
        SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {
          GRAPH ?g { ?port a pl:Port }
          GRAPH <https://w3id.org/portlod/id/graph/sources> {
            ?g a pl:FactGraph ; pl:derivedFrom ?passage .
            ?passage a pl:Passage ; pl:inSource <https://w3id.org/portlod/id/source/unlocode> ;
                     pl:line ?line ; pl:sourceFile ?file .
            <https://w3id.org/portlod/id/source/unlocode> a pl:Registry ; dcterms:title ?title ;
                     pl:publisher ?org ; pl:published ?date ; pl:checksum ?sum .
            ?org a pl:Organization ; rdfs:label ?orgName .
          } }""")
    assert int(rows[0]["n"]) == ports.summary.rows
    # no fact outside a described fact graph
    described = {q.subject for q in ports.store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(PL + "FactGraph"), METADATA_GRAPH)}
    graphs = {g for g in ports.store.named_graphs() if g != METADATA_GRAPH}
    assert graphs == described


@real
def test_source_description(ports: RegistryDataset) -> None:
    source = f"{ID}source/unlocode"
    meta = METADATA_GRAPH.value
    assert objects(ports, source, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", meta) == {PL + "Registry"}
    assert objects(ports, source, "http://purl.org/dc/terms/title", meta) == {'"UN/LOCODE code list"@en'}
    assert objects(ports, source, PL + "publisher", meta) == {f"{ID}org/unece"}
    assert objects(ports, f"{ID}org/unece", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", meta) == {
        PL + "Organization"}
    # the README next to the files: "state of 2024-12-11"
    assert objects(ports, source, PL + "published", meta) == {'"2024-12-11"^^<http://www.w3.org/2001/XMLSchema#date>'}
    assert objects(ports, source, PL + "sourceFile", meta) == {f'"{UNLOCODE}"'}
    # one SHA-256 over the files read, as `sha256sum CN.csv JP.csv SE.csv SG.csv US.csv | sha256sum` prints it
    manifest = "".join(f"{hashlib.sha256((UNLOCODE / f'{c}.csv').read_bytes()).hexdigest()}  {c}.csv\n"
                       for c in sorted(COUNTRIES))
    digest = hashlib.sha256(manifest.encode()).hexdigest()
    assert combined_checksum(ports.summary.files) == digest
    assert objects(ports, source, PL + "checksum", meta) == {f'"{digest}"'}


@real
def test_countries(ports: RegistryDataset) -> None:
    node = f"{ID}country/SE"
    graph = f"{ID}graph/unlocode/SE"
    assert objects(ports, node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", graph) == {PL + "Country"}
    assert objects(ports, node, "http://www.w3.org/2000/01/rdf-schema#label", graph) == {'"Sweden"@en'}
    assert objects(ports, node, PL + "countryCode", graph) == {'"SE"'}
    assert objects(ports, node, "http://www.w3.org/2004/02/skos/core#exactMatch", graph) == {
        "https://vocabulary.uncefact.org/unlocode-countries#SE"}
    meta = METADATA_GRAPH.value
    passage = f"{ID}source/unlocode/SE"
    assert objects(ports, passage, PL + "line", meta) == {'"1"^^<http://www.w3.org/2001/XMLSchema#integer>'}
    assert objects(ports, passage, PL + "sourceFile", meta) == {'"SE.csv"'}
    labels = {r["label"] for r in ask(ports, "SELECT ?label WHERE { GRAPH ?g { ?c a pl:Country ; rdfs:label ?label } }")}
    assert labels == {"Sweden", "Japan", "United States of America (the)", "China", "Singapore"}


@real
def test_localities_without_ports_only() -> None:
    ds = import_registry([UNLOCODE], countries={"SG"})
    s = ds.summary
    locodes = read_unlocode([UNLOCODE], countries={"SG"})
    assert s.locations == len(locodes) and s.rows == len(locodes.rows)
    assert s.ports == sum(1 for _ in locodes.ports()) and s.localities == s.locations - s.ports > 0
    # a location without the sea-port function is a pl:Locality at UN/CEFACT's own IRI
    sin = locodes.get("SGSIN")
    assert sin is not None and sin.is_seaport
    other = next(loc for loc in locodes if not loc.is_seaport)
    node = f"https://vocabulary.uncefact.org/unlocode#{other.code}"
    graph = f"{ID}graph/unlocode/{other.code}"
    assert objects(ds, node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", graph) == {PL + "Locality"}
    assert objects(ds, node, PL + "unlocode", graph) == {f'"{other.code}"'}
    assert objects(ds, node, PL + "unlocodeFunction", graph) == {f'"{other.functions}"'}
    assert objects(ds, node, "http://www.w3.org/2004/02/skos/core#closeMatch") == set()
    assert not list(ds.store.quads_for_pattern(ox.NamedNode(f"{ID}port/{other.code}"), None, None))


@real
def test_registry_quads_is_what_import_stores(ports: RegistryDataset) -> None:
    locodes = read_unlocode([UNLOCODE], countries={"SE"})
    quads = list(registry_quads(locodes, ports_only=True, paths=[UNLOCODE]))
    assert all(isinstance(q, ox.Quad) for q in quads)
    assert len(set(quads)) == len(quads)
    direct = import_registry([UNLOCODE], ports_only=True, countries={"SE"})
    stored = ox.Store()  # the store keeps xsd:positiveInteger as xsd:integer: compare stored forms
    stored.extend(quads)
    assert set(stored) == set(direct.store)
    # the same rows give the same quads: building twice renames nothing
    again = import_registry([UNLOCODE], ports_only=True, countries={"SE"})
    assert set(again.store) == set(direct.store)
    # a filter on an already read list: the same, but for the checksum (over two files read)
    only_se = ox.Store()
    only_se.extend(registry_quads(read_unlocode([UNLOCODE], countries={"SE", "SG"}), ports_only=True,
                                  countries={"SE"}, paths=[UNLOCODE]))
    checksum = ox.NamedNode(PL + "checksum")
    assert {q for q in only_se if q.predicate != checksum} == {q for q in direct.store if q.predicate != checksum}


@real
def test_progress_is_reported() -> None:
    calls: list[tuple[str, int, int]] = []
    import_registry([UNLOCODE], ports_only=True, countries={"SE", "SG"}, on_progress=lambda *a: calls.append(a))
    reads = [c for c in calls if c[0] == "read"]
    builds = [c for c in calls if c[0] == "build"]
    assert reads[-1] == ("read", 2, 2)
    assert builds and builds[-1][1] == builds[-1][2] and [c[1] for c in builds] == sorted(c[1] for c in builds)


# ------------------------------------------------------------------------------ fixtures


def test_rows_of_one_code_and_odd_names() -> None:
    ds = import_registry(SMALL)
    s = ds.summary
    assert (s.ports, s.localities, s.rows, s.countries) == (5, 1, 7, 2)
    assert s.triples == _distinct_triples(ds.store)
    port = f"{ID}port/FIHEL"
    # one passage and graph per row; the second row is keyed by its name
    assert {g.value for g in ds.store.named_graphs() if "FIHEL" in g.value} == {
        f"{ID}graph/unlocode/FIHEL", f"{ID}graph/unlocode/FIHEL-helsinki-helsingfors"}
    assert objects(ds, port, "http://www.w3.org/2000/01/rdf-schema#label") == {
        '"Helsingfors (Helsinki)"@en', '"Helsinki (Helsingfors)"@en'}
    # the rows give different coordinates: two positions, each in its row's graph
    assert objects(ds, port, PL + "position", f"{ID}graph/unlocode/FIHEL") == {f"{port}/position/unlocode"}
    assert objects(ds, port, PL + "position", f"{ID}graph/unlocode/FIHEL-helsinki-helsingfors") == {
        f"{port}/position/unlocode/FIHEL-helsinki-helsingfors"}
    # quotes and a backslash survive
    assert objects(ds, f"{ID}port/SEQQQ", "http://www.w3.org/2000/01/rdf-schema#label") == {
        ox.Literal('Test "Quoted" \\ Hamn', language="en").__str__()}
    assert objects(ds, f"{ID}port/SEQQQ", PL + "unlocodeStatus") == {'"XX"'}
    # functions outside 1-8: B is a concept too
    assert FUNCTION_CONCEPT + "B" in objects(ds, f"{ID}port/FIKTK", "https://vocabulary.uncefact.org/unlocode-vocab/functions")
    # the README of the fixture gives the date; the paths read are recorded as given
    source = f"{ID}source/unlocode"
    assert objects(ds, source, PL + "published") == {'"2024-12-11"^^<http://www.w3.org/2001/XMLSchema#date>'}
    assert objects(ds, source, PL + "sourceFile") == {f'"{SMALL}"'}


def test_published_falls_back_to_the_newest_date(tmp_path: Path) -> None:
    (tmp_path / "FI.csv").write_bytes((SMALL / "FI.csv").read_bytes())
    (tmp_path / "SE.csv").write_bytes((SMALL / "SE.csv").read_bytes())
    ds = import_registry(tmp_path)
    # newest Date column: 2307 (SE QQQ)
    assert objects(ds, f"{ID}source/unlocode", PL + "published") == {
        '"2023-07"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>'}
    ds = import_registry(tmp_path, published="2025-01-31")
    assert objects(ds, f"{ID}source/unlocode", PL + "published") == {
        '"2025-01-31"^^<http://www.w3.org/2001/XMLSchema#date>'}
    with pytest.raises(ValueError, match="published"):
        import_registry(tmp_path, published="31 January 2025")


def test_corrupt_row_names_file_and_line() -> None:
    with pytest.raises(RegistryError) as info:
        import_registry(CORRUPT)
    (problem,) = info.value.problems
    assert Path(problem.file).name == "SE.csv" and problem.line == 3
    assert "7 columns, expected 12" in str(problem)
    assert f"{CORRUPT / 'SE.csv'}:3" in str(info.value)
    ds = import_registry(CORRUPT, skip_bad=True)
    assert ds.summary.ports == 2 and [p.line for p in ds.summary.skipped] == [3]
    assert any("row skipped" in w.message and w.line == 3 for w in ds.warnings)


def test_bad_arguments() -> None:
    with pytest.raises(TypeError):
        import_registry(SMALL, countries="SE")
    with pytest.raises(RegistryError, match="no such file"):
        import_registry(SMALL / "nothing-here")
    with pytest.raises(ValueError, match="source_key"):
        list(registry_quads(read_unlocode([SMALL]), source_key="Not A Key"))


@pytest.mark.parametrize(("printed", "label"), [
    ("SWEDEN", "Sweden"),
    ("UNITED STATES OF AMERICA (THE)", "United States of America (the)"),
    ("KOREA, DEMOCRATIC PEOPLE'S REPUBLIC OF", "Korea, Democratic People's Republic of"),
    ("CÔTE D'IVOIRE", "Côte d'Ivoire"),
    ("VIRGIN ISLANDS (U.S.)", "Virgin Islands (U.S.)"),
    ("GUINEA-BISSAU", "Guinea-Bissau"),
    ("HEARD ISLAND AND MCDONALD ISLANDS", "Heard Island and McDonald Islands"),
    ("SAINT MARTIN (FRENCH PART)", "Saint Martin (French part)"),
    ("TÜRKIYE", "Türkiye"),
])
def test_country_label(printed: str, label: str) -> None:
    assert country_label(printed) == label


# ------------------------------------------------------------------------------ command line


def _main() -> click.Group:
    from portlod._cli_registry import registry

    return registry


@real
def test_cli_imports_validates_and_exports(tmp_path: Path) -> None:
    out = tmp_path / "registry"
    result = CliRunner().invoke(_main(), ["import", str(UNLOCODE), "--ports-only", "--country", "SE,SG",
                                          "--out", str(out)])
    assert result.exit_code == 0, result.output
    ports = 317 + 17  # sea-port rows of SE and SG (no code of theirs has two rows)
    assert f"imported {ports} ports ({ports} rows, 2 countries) from 2 files" in result.output
    # SGSIN has no coordinates: the import says so, and lists the codes for a --country subset
    assert "no coordinates in UN/LOCODE for" in result.output and "SGSIN" in result.output
    assert "validation: conforms (0 violations" in result.output
    for name in ("portlod.ttl", "portlod.nt", "portlod.jsonld", "portlod.trig", "portlod.nq",
                 "validation.txt", "validation.json"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    report = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    assert report["conforms"] is True and report["counts"]["violations"] == 0
    store = ox.Store()
    store.load(path=out / "portlod.nq", format=ox.RdfFormat.N_QUADS)
    assert ox.Quad(ox.NamedNode(f"{ID}port/SEGOT"), ox.NamedNode(PL + "unlocode"), ox.Literal("SEGOT"),
                   ox.NamedNode(f"{ID}graph/unlocode/SEGOT")) in store


def test_cli_one_format_without_validation(tmp_path: Path) -> None:
    result = CliRunner().invoke(_main(), ["import", str(SMALL), "--no-validate", "-f", "nt", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "imported 5 ports and 1 other locations (7 rows, 2 countries) from 2 files" in result.output
    assert (tmp_path / "portlod.nt").is_file() and not (tmp_path / "portlod.ttl").exists()
    assert "validation" not in result.output


def test_cli_corrupt_row_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(_main(), ["import", str(CORRUPT), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{CORRUPT / 'SE.csv'}:3: [columns] error: 7 columns, expected 12" in result.output
    assert "nothing was written" in result.output
    assert not (tmp_path / "out").exists()


def test_cli_bad_country_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(_main(), ["import", str(SMALL), "--country", "SE,SWE", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "SWE" in result.output
