"""Named questions (issue #6): the registry of .rq files, ask() over every kind of data (a portlod
Dataset, a pyoxigraph Store, rdflib graphs, a SPARQL endpoint over HTTP), typed rows, errors,
formats, and docs/questions.md.

Two data sets: the seed data (data/) and a small fixture with known answers
(tests/data/queries/: a port cluster, a three-party agreement, dates at day, month and year
precision, and two sources that disagree on the agreement's date and parties and on the shape
of a corridor).
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql import prepareQuery

import portlod
from portlod import QueryError
from portlod import queries as Q
from portlod.queries import Citation, FuzzyDate, Resource
from portlod.queries._backend import with_values
from portlod.queries._registry import load
from portlod.vocab import PREFIXES

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "queries"
QUERIES = ROOT / "src" / "portlod" / "queries"
DOC = ROOT / "docs" / "questions.md"
ID = "https://w3id.org/portlod/id/"

NAMES = ["according-to", "agreements", "conflicts", "corridors", "partners", "resolve", "signatories",
         "single-source", "theme", "timeline"]


# -- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed(seed_dataset: portlod.Dataset) -> portlod.Dataset:
    return seed_dataset


@pytest.fixture(scope="module")
def fixture() -> portlod.Dataset:
    return portlod.build(FIXTURE)


class _Sparql(BaseHTTPRequestHandler):
    """A SPARQL 1.1 Protocol endpoint (GET and POST, form or direct) answering from a store."""

    store: ox.Store

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (keep the server quiet)
        pass

    def _answer(self, query: str | None) -> None:
        if not query:
            self._send(400, "text/plain", b"no query")
            return
        try:
            result = self.store.query(query)
        except SyntaxError as e:
            self._send(400, "text/plain", str(e).encode())
            return
        if isinstance(result, ox.QueryTriples):
            self._send(200, "application/n-triples", ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b"")
        elif isinstance(result, ox.QueryBoolean):
            self._send(200, "application/sparql-results+json", json.dumps({"head": {}, "boolean": bool(result)}).encode())
        else:
            self._send(200, "application/sparql-results+json", result.serialize(format=ox.QueryResultsFormat.JSON) or b"")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query).get("query", [None])[0])

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
        if self.headers.get_content_type() == "application/sparql-query":
            self._answer(body)
        else:
            self._answer(urllib.parse.parse_qs(body).get("query", [None])[0])


def _serve(store: ox.Store) -> Iterator[str]:
    handler = type("Handler", (_Sparql,), {"store": store})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def seed_endpoint(seed: portlod.Dataset) -> Iterator[str]:
    yield from _serve(seed.store)


@pytest.fixture(scope="module")
def fixture_endpoint(fixture: portlod.Dataset) -> Iterator[str]:
    yield from _serve(fixture.store)


def labels(rows: list[object], column: str) -> list[str]:
    return [str(getattr(r, column)) for r in rows]


def by(rows: list[object], **match: str) -> list[object]:
    """The rows whose columns show the given text (resources: their label)."""
    return [r for r in rows if all(str(getattr(r, k)) == v for k, v in match.items())]


# -- the registry --------------------------------------------------------------------------------

def test_the_questions() -> None:
    assert [q.name for q in Q.questions()] == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_header(name: str) -> None:
    q = Q.question(name)
    assert q.file == f"portlod/queries/{name}.rq"
    assert q.summary and "\n" not in q.summary
    assert q.text.startswith(f"#+ name: {name}\n")
    assert q.columns and q.example is not None
    for p in q.parameters:
        assert p.type and p.description, p
    # the header is the query's own first lines, not a copy
    assert (QUERIES / f"{name}.rq").read_text(encoding="utf-8") == q.text


def test_questions_are_read_and_checked_once() -> None:
    assert Q.question("partners") is Q.question("partners")
    assert load() is load()


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.name)
def test_every_query_is_standard_sparql(path: Path) -> None:
    """rdflib's SPARQL 1.1 parser reads each file too (so any endpoint can run it)."""
    prepareQuery(path.read_text(encoding="utf-8"), initNs=PREFIXES)


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.name)
def test_parameters_are_only_used_where_binding_is_safe(path: Path) -> None:
    """pyoxigraph's substitutions leave a parameter unbound in BOUND(?p) and in a BIND whose value is
    only variables (BIND(?p AS ?x), BIND(COALESCE(?p, ?q) AS ?x)); and a remote endpoint gets the values as a
    VALUES block that nested groups do not see. So parameters appear in triple patterns, FILTERs
    and expressions with a constant, never like that."""
    text = path.read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    q = next(q for q in load().values() if q.file.endswith(path.name))
    for p in q.parameters:
        var = re.escape(p.name)
        assert not re.search(rf"BOUND\(\s*\?{var}\s*\)", body), p.name
        assert not re.search(rf"BIND\(\s*\?{var}\s+AS", body), p.name
        for call in re.findall(r"BIND\(\s*COALESCE\(([^()]*)\)\s+AS", body):
            args = [a.strip() for a in call.split(",")]
            if f"?{p.name}" in args:
                assert not all(a.startswith("?") for a in args), (p.name, call)
        assert f"?{p.name}" in re.split(r"\bWHERE\b", body, maxsplit=1)[0], f"{p.name} is not projected"


# -- the acceptance checks over the seed data ----------------------------------------------------

def test_partners_of_the_port_of_los_angeles(seed: portlod.Dataset) -> None:
    rows = Q.ask(seed, "partners", port="USLAX")
    partners = {str(r.partner) for r in rows}
    assert {"Port of Tokyo", "Port of Yokohama", "Gothenburg Port Authority", "Port of Shanghai",
            "Port of Singapore"} <= partners
    for row in rows:
        assert row.kind in {"mou", "trade", "sister-port", "relationship", "corridor"}
        assert row.sources and all(isinstance(c, Citation) for c in row.sources)
    [yokohama_mou] = by(rows, partner="Port of Yokohama", kind="mou")
    assert yokohama_mou.date == FuzzyDate("2023-03-16", "March 16, 2023")
    assert {c.source_key for c in yokohama_mou.sources} == {"ktla-2023-03-16-port-of-la-gsc",
                                                           "pacmar-port-of-la-japanese-swedish-ports"}
    [trade] = by(rows, partner="Port of Yokohama", kind="trade")
    assert trade.date.value == "1969" and trade.date.precision == "year"
    [sister] = by(rows, partner="Port of Tokyo", kind="sister-port")
    assert sister.date.value == "1987"
    [gothenburg] = by(rows, partner="Gothenburg Port Authority", kind="mou")
    assert gothenburg.date == FuzzyDate("2023-03", "early March") and gothenburg.date.precision == "month"
    [shanghai] = by(rows, partner="Port of Shanghai")
    assert shanghai.kind == "corridor" and shanghai.date.value == "2023-03"
    [singapore] = by(rows, partner="Port of Singapore")
    assert singapore.kind == "corridor" and str(singapore.via) == "Port of Los Angeles"
    # the asked side is never its own partner
    assert not {"Port of Los Angeles"} & partners


def test_partners_by_kind_and_year(seed: portlod.Dataset) -> None:
    rows = Q.ask(seed, "partners", org="port-of-los-angeles", kind="sister-port")
    assert [(str(r.partner), r.date.value) for r in rows] == [("Port of Tokyo", "1987")]
    rows = Q.ask(seed, "partners", port="USLAX", kind="mou", year="2023")
    assert sorted(labels(rows, "partner")) == ["Gothenburg Port Authority", "Port of Tokyo", "Port of Yokohama"]
    assert {r.certainty for r in rows} == {"within"}
    assert Q.ask(seed, "partners", port="USLAX", kind="mou", **{"from": "2024"}) == []


def test_agreements_of_2023(seed: portlod.Dataset) -> None:
    rows = Q.ask(seed, "agreements", org="port-of-los-angeles", year="2023")
    assert [(str(r.agreement), r.kind, r.signed, r.certainty) for r in rows] == [
        ("Port of Los Angeles–Port of Gothenburg MOU (2023)", "mou", FuzzyDate("2023-03", "early March"), "within"),
        ("Port of Los Angeles–Port of Tokyo MOU (2023)", "mou", FuzzyDate("2023-03", "mid-March"), "within"),
        ("Port of Los Angeles–Port of Yokohama MOU (2023)", "mou", FuzzyDate("2023-03-16", "March 16, 2023"), "within"),
    ]
    assert [r.signed.precision for r in rows] == ["month", "month", "day"]
    assert labels(rows, "signed_during")[1] == "2023 California Japan Clean Energy Trade Mission"
    assert [str(p) for p in rows[2].parties] == ["Port of Los Angeles", "Port of Yokohama"]
    # the same through the port
    assert Q.ask(seed, "agreements", port="USLAX", year="2023") == rows


def test_a_month_date_is_neither_before_nor_after_a_day_in_it(seed: portlod.Dataset) -> None:
    """'early March 2023' is in March 2023 but not known to be before or after 10 March 2023."""
    march = Q.ask(seed, "agreements", org="port-of-los-angeles", year="2023-03")
    assert {r.certainty for r in march} == {"within"}
    before = {str(r.agreement): r.certainty for r in Q.ask(seed, "agreements", org="port-of-los-angeles", to="2023-03-10")}
    assert before["Port of Los Angeles–Port of Gothenburg MOU (2023)"] == "overlaps"
    assert before["Los Angeles–Yokohama trade agreement (1969)"] == "within"
    # the Tokyo MOU (mid-March) was signed during the trade mission of 11-18 March: not before the 10th
    assert "Port of Los Angeles–Port of Tokyo MOU (2023)" not in before
    assert "Port of Los Angeles–Port of Yokohama MOU (2023)" not in before
    after = {str(r.agreement): r.certainty for r in Q.ask(seed, "agreements", org="port-of-los-angeles", from_="2023-03-10")}
    assert after == {"Port of Los Angeles–Port of Gothenburg MOU (2023)": "overlaps",
                     "Port of Los Angeles–Port of Tokyo MOU (2023)": "within",
                     "Port of Los Angeles–Port of Yokohama MOU (2023)": "within"}


def test_conflicts_show_where_the_two_articles_differ(seed: portlod.Dataset) -> None:
    rows = Q.ask(seed, "conflicts")
    ktla, pacmar = "Port of Los Angeles agrees to establish green shipping corridor with Tokyo and Yokohama ports", \
        "Port of LA Signs Collaborative Agreements with Japanese, Swedish Ports"
    assert {(str(r.source_a), str(r.source_b)) for r in rows} == {(ktla, pacmar)}
    # zero-emission vessels: only the Pacific Maritime article lists them
    [theme] = by(rows, kind="values differ", predicate="theme", subject_a="Port of Los Angeles–Port of Tokyo MOU (2023)")
    assert "Zero-emission vessels" in labels_of(theme.only_b) and not theme.only_a
    # the shape of the corridor: one of three ports against two of two
    shapes = [r for r in by(rows, kind="alternative accounts", predicate="endpoint")]
    assert {str(r.subject_b) for r in shapes} == {"Los Angeles–Tokyo green shipping corridor",
                                                  "Los Angeles–Yokohama green shipping corridor"}
    assert all(str(r.subject_a) == "Los Angeles–Tokyo–Yokohama green shipping corridor" for r in shapes)
    assert {len(r.values_a) for r in shapes} == {3} and {len(r.values_b) for r in shapes} == {2}
    # the date of the Yokohama MOU: to the day in one, to the month in the other
    [date] = by(rows, predicate="signed on")
    assert [d.value for d in date.values_a] == ["2023-03"] and [d.value for d in date.only_b] == ["2023-03-16"]
    # 'enforcing' against 'cooperating on'
    scope = by(rows, predicate="scope item")
    assert scope and all(any("enforcing" in str(v) for v in r.only_a) for r in scope)


def labels_of(values: tuple[object, ...]) -> list[str]:
    return [v.value or "" if isinstance(v, FuzzyDate) else str(v) for v in values]


def test_unknown_question_lists_the_questions(seed: portlod.Dataset) -> None:
    with pytest.raises(QueryError) as e:
        Q.ask(seed, "partnerz", port="USLAX")
    assert "unknown question 'partnerz'" in str(e.value)
    for name in NAMES:
        assert name in str(e.value)
    assert "_citations" not in str(e.value)


def test_unknown_parameter_lists_the_parameters(seed: portlod.Dataset) -> None:
    with pytest.raises(QueryError) as e:
        Q.ask(seed, "partners", harbour="USLAX")
    assert str(e.value) == ("question 'partners' has no parameter 'harbour'; its parameters: "
                            "port, org, kind, year, from, to")


# -- every question over the seed data, locally and over HTTP ------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_every_question_answers_its_example(seed: portlod.Dataset, seed_endpoint: str, name: str) -> None:
    q = Q.question(name)
    rows = Q.ask(seed, name, **dict(q.example or ()))
    assert rows, name
    assert rows.columns == tuple(c.name for c in q.columns)
    for row in rows:
        assert is_dataclass(row) and type(row).__name__.endswith("Row")
        assert [f.name for f in fields(row)] == list(rows.columns)
        for column in q.columns:
            value = getattr(row, column.name)
            if column.is_list:
                assert isinstance(value, tuple)
            if column.type in ("resource", "resources"):
                for v in (value if column.is_list else (value,)):
                    assert v is None or isinstance(v, Resource)
            if column.type == "date":
                assert value is None or isinstance(value, FuzzyDate)
            if column.type == "citations":
                assert all(isinstance(c, Citation) for c in value)
    with pytest.raises(Exception):  # rows are frozen
        setattr(rows[0], q.columns[0].name, None)
    # a real SPARQL client over HTTP gets the same answer
    assert Q.ask(seed_endpoint, name, **dict(q.example or ())) == rows


# -- the fixture: known answers ------------------------------------------------------------------

MOU = "San Pedro Bay–Singapore green corridor MOU"
GSC = "San Pedro Bay–Singapore green shipping corridor"
LGB_GSC = "Long Beach–Singapore green shipping corridor"
LOI = "Rotterdam–Hamburg bunkering letter of intent"


def test_fixture_partners_through_the_cluster(fixture: portlod.Dataset) -> None:
    rows = Q.ask(fixture, "partners", port="USLGB")
    got = {(str(r.partner), r.kind, str(r.relation), str(r.via)) for r in rows}
    assert got == {
        ("Maritime and Port Authority of Singapore", "mou", MOU, "Port of Long Beach"),
        ("Port of Los Angeles", "mou", MOU, "Port of Long Beach"),
        ("Port of Rotterdam Authority", "relationship", "Long Beach–Rotterdam sister ports", "Port of Long Beach"),
        ("Port of Singapore", "corridor", LGB_GSC, "Port of Long Beach"),
        ("Port of Singapore", "corridor", GSC, "San Pedro Bay port complex"),
    }
    # only source A names Los Angeles as a party
    [la] = by(rows, partner="Port of Los Angeles")
    assert [c.source_key for c in la.sources] == ["harbour-news-2023-04"]
    [sister] = by(rows, kind="relationship")
    assert sister.date == FuzzyDate("1990") and sister.date.precision == "year"


def test_fixture_three_party_agreement(fixture: portlod.Dataset) -> None:
    [row] = Q.ask(fixture, "agreements", port="USLAX")
    assert str(row.agreement) == MOU
    assert [str(p) for p in row.parties] == ["Maritime and Port Authority of Singapore", "Port of Long Beach",
                                            "Port of Los Angeles"]
    assert {c.source_key for c in row.date_sources} == {"harbour-news-2023-04", "port-release-2023"}


def test_fixture_disputed_dates(fixture: portlod.Dataset) -> None:
    """Source A: April 2023; source B: late March 2023. Both in 2023; neither known for April."""
    [row] = Q.ask(fixture, "agreements", org="port-of-long-beach", year="2023")
    assert row.certainty == "within"
    assert row.signed.precision == "month"
    [row] = Q.ask(fixture, "agreements", org="port-of-long-beach", from_="2023-04")
    assert row.certainty == "disputed"
    assert Q.ask(fixture, "agreements", org="port-of-long-beach", year="2022") == []


def test_fixture_year_precision(fixture: portlod.Dataset) -> None:
    [row] = Q.ask(fixture, "agreements", org="hamburg-port-authority", year="2022")
    assert (str(row.agreement), row.kind, row.signed, row.certainty) == (LOI, "letter-of-intent", FuzzyDate("2022"), "within")
    [row] = Q.ask(fixture, "agreements", org="hamburg-port-authority", from_="2022-06")
    assert row.certainty == "overlaps"
    assert Q.ask(fixture, "agreements", org="hamburg-port-authority", to="2021-12-31") == []
    assert Q.ask(fixture, "agreements", org="hamburg-port-authority", kind="mou") == []


def test_fixture_corridors_through_the_cluster(fixture: portlod.Dataset) -> None:
    [row] = Q.ask(fixture, "corridors", port="USLAX")
    assert str(row.corridor) == GSC
    assert labels_of(row.via) == ["Port of Los Angeles", "San Pedro Bay port complex"]
    assert labels_of(row.endpoints) == ["Port of Singapore", "San Pedro Bay port complex"]
    # the latest status: implementation planning (2024, source B) after agreed (April 2023, source A)
    assert str(row.status) == "implementation planning"
    assert row.status_date == FuzzyDate("2024")
    assert [c.source_key for c in row.status_sources] == ["port-release-2023"]
    assert labels_of(row.alternative_accounts) == [LGB_GSC]
    rows = Q.ask(fixture, "corridors", port="USLGB")
    assert labels(rows, "corridor") == [LGB_GSC, GSC]
    assert Q.ask(fixture, "corridors", port="NLRTM") == []


def test_fixture_signatories(fixture: portlod.Dataset) -> None:
    rows = Q.ask(fixture, "signatories", agreement="2023-spb-singapore-mou")
    got = [(str(r.participant), r.participation, r.role_as_printed, str(r.role), str(r.on_behalf_of)) for r in rows]
    assert got == [("Mario Cordero", "signed", "Executive Director", "Executive Director", "Port of Long Beach"),
                   ("Ana Lopez", "witnessed", "Regional Director", "None", "C40 Cities")]
    [row] = Q.ask(fixture, "signatories", person="ana-lopez")
    assert str(row.agreement) == MOU


def test_fixture_theme_includes_narrower_themes(fixture: portlod.Dataset) -> None:
    rows = Q.ask(fixture, "theme", theme="Decarbonization")
    assert {(str(r.item), r.kind, tuple(labels_of(r.theme))) for r in rows} == {
        (LOI, "agreement", ("Alternative-fuel bunkering infrastructure",)),
        (MOU, "agreement", ("Zero-emission vessels",)),
        (GSC, "corridor", ("Green shipping corridors",)),
    }
    rows = Q.ask(fixture, "theme", theme="alternative marine fuels")  # a label, any case
    assert labels(rows, "item") == [LOI]
    assert labels(Q.ask(fixture, "theme", theme="Decarbonization", kind="corridor"), "item") == [GSC]
    assert Q.ask(fixture, "theme", theme="ShorePower") == []


def test_fixture_timeline(fixture: portlod.Dataset) -> None:
    rows = Q.ask(fixture, "timeline", port="USLGB")
    got = [(r.date.value, r.precision, r.event, str(r.item)) for r in rows]
    assert got == [("1990", "year", "began", "Long Beach–Rotterdam sister ports"),
                   ("2023-03", "month", "signed", MOU),
                   ("2023-03-28", "day", "status", LGB_GSC),
                   ("2023-04", "month", "status", GSC),
                   ("2024", "year", "status", GSC)]
    assert [str(r.status) for r in rows[2:]] == ["announced", "agreed", "implementation planning"]
    rows = Q.ask(fixture, "timeline", port="USLGB", year="2023")
    assert [r.event for r in rows] == ["signed", "status", "status"]


def test_fixture_according_to(fixture: portlod.Dataset) -> None:
    rows = Q.ask(fixture, "according-to", subject="agreement/2023-spb-singapore-mou", predicate="signedOn")
    assert [(r.value.value, r.single_source, [c.source_key for c in r.sources]) for r in rows] == [
        ("2023-03", True, ["port-release-2023"]), ("2023-04", True, ["harbour-news-2023-04"])]
    rows = Q.ask(fixture, "according-to", subject=f"{ID}agreement/2023-spb-singapore-mou", predicate="pl:party")
    stated = {str(r.value): (r.single_source, sorted(c.source_key for c in r.sources)) for r in rows}
    assert stated == {"Port of Long Beach": (False, ["harbour-news-2023-04", "port-release-2023"]),
                      "Maritime and Port Authority of Singapore": (False, ["harbour-news-2023-04", "port-release-2023"]),
                      "Port of Los Angeles": (True, ["harbour-news-2023-04"])}
    [row] = Q.ask(fixture, "according-to", subject="port/USLGB", object="POLB")
    assert str(row.predicate) == "skos:altLabel" and row.sources[0].passage == "port-USLGB"


def test_fixture_single_source(fixture: portlod.Dataset) -> None:
    rows = Q.ask(fixture, "single-source", subject="agreement/2023-spb-singapore-mou", predicate="party")
    assert [(str(r.value), r.source.iri) for r in rows] == [("Port of Los Angeles", f"{ID}source/harbour-news-2023-04")]
    rows = Q.ask(fixture, "single-source", source="port-release-2023")
    assert {c.source_key for r in rows for c in r.sources} == {"port-release-2023"}
    assert not any(str(r.subject) == MOU and str(r.predicate) == "party" and str(r.value) == "Port of Long Beach"
                   for r in rows)
    assert any(str(r.subject) == MOU and str(r.predicate) == "signed on" for r in rows)


def test_fixture_conflicts(fixture: portlod.Dataset) -> None:
    rows = Q.ask(fixture, "conflicts")
    got = {(r.kind, str(r.predicate), tuple(labels_of(r.only_a)), tuple(labels_of(r.only_b))) for r in rows}
    assert got == {
        ("alternative accounts", "endpoint", ("Port of Long Beach",), ("San Pedro Bay port complex",)),
        ("values differ", "party", ("Port of Los Angeles",), ()),
        ("values differ", "signed on", ("2023-04",), ("2023-03",)),
    }
    [party] = by(rows, predicate="party")
    assert party.source_a.iri.endswith("harbour-news-2023-04") and party.source_b.iri.endswith("port-release-2023")
    assert len(party.values_a) == 3 and len(party.values_b) == 2
    assert [str(r.predicate) for r in Q.ask(fixture, "conflicts", subject="initiative/lgb-singapore-gsc")] == ["endpoint"]
    assert Q.ask(fixture, "conflicts", predicate="theme") == []


def test_fixture_resolve(fixture: portlod.Dataset) -> None:
    rows = Q.ask(fixture, "resolve", name="  polb ")
    assert {(r.resource.iri, str(r.type), r.match) for r in rows} == {
        (f"{ID}port/USLGB", "port", "alias"), (f"{ID}org/port-of-long-beach", "port authority", "alias")}
    [row] = Q.ask(fixture, "resolve", name="san pedro bay ports")
    assert row.resource.iri == f"{ID}cluster/san-pedro-bay" and str(row.type) == "port cluster"
    assert Q.ask(fixture, "resolve", name="Port of Nowhere") == []


@pytest.mark.parametrize("name, params", [
    ("partners", {"port": "USLGB"}), ("agreements", {"org": "port-of-long-beach", "from": "2023-04"}),
    ("corridors", {"port": "USLAX"}), ("signatories", {"agreement": "2023-spb-singapore-mou"}),
    ("theme", {"theme": "Decarbonization"}), ("timeline", {"port": "USLGB", "to": "2023-12"}),
    ("according-to", {"subject": "agreement/2023-spb-singapore-mou"}), ("single-source", {}),
    ("conflicts", {}), ("resolve", {"name": "POLB"}),
    ("partners", {"port": "USLGB", "kind": "corridor"}), ("partners", {"org": "port-of-long-beach", "year": "2023"}),
    ("agreements", {"port": "USLAX", "kind": "mou", "to": "2023-04-15"}), ("timeline", {"org": "port-of-long-beach", "year": "2023"}),
    ("according-to", {"subject": "agreement/2023-spb-singapore-mou", "object": "2023-04"}),
    ("according-to", {"subject": "agreement/2023-spb-singapore-mou", "predicate": "party", "object": "org/port-of-los-angeles"}),
    ("single-source", {"source": "port-release-2023", "predicate": "party"}), ("conflicts", {"subject": "initiative/spb-singapore-gsc"}),
    ("signatories", {"person": "ana-lopez"}), ("theme", {"theme": "AlternativeFuels", "kind": "agreement"}),
    ("corridors", {"org": "maritime-and-port-authority-of-singapore"}),
])
def test_fixture_over_http(fixture: portlod.Dataset, fixture_endpoint: str, name: str, params: dict[str, str]) -> None:
    local = Q.ask(fixture, name, **params)
    assert local
    assert Q.ask(fixture_endpoint, name, **params) == local


# -- Seed answers for the resolve and signatories questions --------------------------------------

def test_resolve_names_of_the_port_of_los_angeles(seed: portlod.Dataset) -> None:
    for name in ("Port of LA", "POLA", "port of l.a.", "Los Angeles Harbor Department"):
        rows = Q.ask(seed, "resolve", name=name)
        assert {r.resource.iri for r in rows} <= {f"{ID}port/USLAX", f"{ID}org/port-of-los-angeles"}, name
        assert f"{ID}org/port-of-los-angeles" in {r.resource.iri for r in rows}, name


def test_signatories_of_the_yokohama_mou(seed: portlod.Dataset) -> None:
    rows = Q.ask(seed, "signatories", agreement="2023-03-16-pola-yokohama-mou")
    signed = {(str(r.participant), r.role_as_printed, str(r.on_behalf_of)) for r in rows if r.participation == "signed"}
    assert ("Hiroya Nakano", "Director General", "Port of Yokohama") in signed
    assert ("Gene Seroka", "Executive Director", "Port of Los Angeles") in signed
    assert ("None", "officials", "Port of Los Angeles") in signed  # 'Port of LA officials': nobody named
    attended = {str(r.participant) for r in rows if r.participation == "attended"}
    assert attended == {"Shinya Hitomi", "Eleni Kounalakis", "Toks Omishakin"}


def test_corridors_of_the_port_of_los_angeles(seed: portlod.Dataset) -> None:
    rows = Q.ask(seed, "corridors", port="USLAX")
    assert len(rows) == 5
    [three] = [r for r in rows if len(r.endpoints) == 3]
    assert labels_of(three.alternative_accounts) == ["Los Angeles–Tokyo green shipping corridor",
                                                     "Los Angeles–Yokohama green shipping corridor"]
    assert str(three.status) == "announced" and three.planned_start.value == "2024-03"


# -- errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, params, message", [
    ("partners", {}, "question 'partners' needs one of the parameters port, org"),
    ("partners", {"port": "USLAX", "org": "port-of-los-angeles"}, "needs exactly one of the parameters port, org"),
    ("partners", {"port": "XYZ"}, "bad value 'XYZ' for parameter 'port' of question 'partners': not a UN/LOCODE"),
    ("partners", {"port": "USXXX"}, "no port 'USXXX'"),
    ("partners", {"org": "Port of LA"}, "not a organization key"),
    ("partners", {"org": "port-of-nowhere"}, "the organizations in it: "),
    ("partners", {"port": "USLAX", "kind": "friendship"}, "choose one of mou, trade"),
    ("agreements", {"port": "USLAX", "year": "2023-02-30"}, "is not a day of the calendar"),
    ("agreements", {"port": "USLAX", "from": "March 2023"}, "write YYYY-MM-DD, YYYY-MM or YYYY"),
    ("theme", {}, "question 'theme' needs the parameter 'theme'"),
    ("theme", {"theme": "Happiness"}, "no such theme; the themes are"),
    ("resolve", {}, "needs the parameter 'name'"),
    ("according-to", {"subject": "not a thing"}, "not an IRI, a prefixed name or kind/key"),
    ("according-to", {"subject": "agreement/no-such-agreement"}, "no resource"),
    ("signatories", {"agreement": "2099-nothing"}, "the agreements in it: 1969-pola-yokohama-trade-agreement"),
])
def test_errors(seed: portlod.Dataset, name: str, params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError) as e:
        Q.ask(seed, name, **params)
    assert message in str(e.value)
    assert isinstance(e.value, ValueError) and isinstance(e.value, portlod.PortlodError)


def test_unknown_port_lists_the_ports(seed: portlod.Dataset) -> None:
    with pytest.raises(QueryError) as e:
        Q.ask(seed, "partners", port="usxxx")
    assert "the ports in it: CNSHG, JPKWS, JPTYO, JPYOK, SEGOT, SGSIN, USLAX, USLGB" in str(e.value)
    assert "'resolve'" in str(e.value)


def test_from_is_spelt_from_underscore_in_python(seed: portlod.Dataset) -> None:
    a = Q.ask(seed, "agreements", port="USLAX", from_="2023-03")
    b = Q.ask(seed, "agreements", port="USLAX", **{"from": "2023-03"})
    assert a == b and len(a) == 3
    # a None value means "not given" (what a CLI passes for an option left out)
    assert Q.ask(seed, "agreements", port="USLAX", from_=None, to=None, kind=None) == Q.ask(seed, "agreements", port="USLAX")


def test_values_are_bound_not_written_into_the_query(seed: portlod.Dataset, seed_endpoint: str) -> None:
    hostile = 'POLA" ) } SELECT * WHERE { ?s ?p ?o } #'
    assert Q.ask(seed, "resolve", name=hostile) == []
    assert Q.ask(seed_endpoint, "resolve", name=hostile) == []
    text = with_values(Q.question("resolve").text, {"name": ox.Literal(hostile)})
    assert 'VALUES (?name) { ("POLA\\" ) } SELECT * WHERE { ?s ?p ?o } #") }' in text
    # the VALUES block opens the top-level WHERE group, after the header comments and braces in them
    assert text.index("VALUES (?name)") > text.index("WHERE {")


def test_data_of_every_kind(seed: portlod.Dataset) -> None:
    expected = Q.ask(seed, "agreements", org="port-of-los-angeles", year="2023")
    assert Q.ask(seed.store, "agreements", org="port-of-los-angeles", year="2023") == expected
    assert Q.ask(seed.to_rdflib(), "agreements", org="port-of-los-angeles", year="2023") == expected
    # a graph without named graphs has no sources, but its facts still answer
    union = Q.ask(seed.to_rdflib_graph(), "resolve", name="POLA")
    assert {r.resource.iri for r in union} == {f"{ID}port/USLAX", f"{ID}org/port-of-los-angeles"}
    with pytest.raises(QueryError, match="cannot ask questions of int"):
        Q.ask(42, "resolve", name="POLA")  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="cannot ask questions of str"):
        Q.ask("data/", "resolve", name="POLA")


def test_endpoint_errors(seed_endpoint: str) -> None:
    with pytest.raises(QueryError, match="answered 400"):
        Q.query(seed_endpoint, "SELECT WHERE nonsense")
    with pytest.raises(QueryError, match="cannot reach the SPARQL endpoint"):
        Q.ask("http://127.0.0.1:9/sparql", "resolve", name="POLA", timeout=5)


# -- query(): any SPARQL ---------------------------------------------------------------------------

def test_query_select(seed: portlod.Dataset, seed_endpoint: str) -> None:
    sparql = """SELECT ?port ?port_label ?code WHERE {
                  GRAPH ?g { ?port a pl:Port ; rdfs:label ?port_label ; pl:unlocode ?code } } ORDER BY ?code"""
    rows = Q.query(seed, sparql)
    assert rows.columns == ("port", "code")
    assert rows[0].port == Resource(f"{ID}port/CNSHG", "Port of Shanghai") and rows[0].code == "CNSHG"
    assert rows[0].port.label == "Port of Shanghai"
    assert Q.query(seed_endpoint, sparql) == rows


def test_query_values_and_forms(seed: portlod.Dataset, seed_endpoint: str) -> None:
    rows = Q.query(seed, "SELECT ?date ?from WHERE { ?a pl:signedOn ?date . BIND(1 AS ?from) } ORDER BY ?date LIMIT 1")
    assert rows.columns == ("date", "from")
    assert rows[0].date == FuzzyDate("1969") and rows[0].from_ == 1
    [ask] = Q.query(seed, "ASK { ?p a pl:Port }")
    assert ask.answer is True
    for data in (seed, seed_endpoint):
        triples = Q.query(data, "CONSTRUCT { ?p pl:unlocode ?c } WHERE { GRAPH ?g { ?p pl:unlocode ?c } }")
        assert triples.columns == ("subject", "predicate", "object") and len(triples) >= 8
    with pytest.raises(QueryError, match="not valid"):
        Q.query(seed, "SELECT nonsense")


# -- formats ---------------------------------------------------------------------------------------

def test_format_rows(seed: portlod.Dataset) -> None:
    rows = Q.ask(seed, "agreements", org="port-of-los-angeles", year="2023")
    text = Q.format_rows(rows, "text")
    lines = text.splitlines()
    assert lines[0].split() == ["agreement", "kind", "signed", "certainty", "signed_during", "parties", "sources",
                                "date_sources"]
    assert "2023-03-16 (March 16, 2023)" in text and "pacmar-port-of-la-japanese-swedish-ports p2" in text
    data = json.loads(Q.format_rows(rows, "json"))
    assert data[2]["signed"] == {"value": "2023-03-16", "precision": "day", "as_printed": "March 16, 2023"}
    assert data[2]["agreement"] == {"iri": f"{ID}agreement/2023-03-16-pola-yokohama-mou",
                                    "label": "Port of Los Angeles–Port of Yokohama MOU (2023)"}
    assert data[2]["sources"][0]["source"]["iri"] == f"{ID}source/ktla-2023-03-16-port-of-la-gsc"
    table = list(csv.reader(io.StringIO(Q.format_rows(rows, "csv"))))
    assert table[0][:3] == ["agreement", "kind", "signed"]
    assert table[3][:3] == [f"{ID}agreement/2023-03-16-pola-yokohama-mou", "mou", "2023-03-16"]
    assert table[3][5] == f"{ID}org/port-of-los-angeles {ID}org/port-of-yokohama"
    tsv = Q.format_rows(rows, "tsv").splitlines()
    assert tsv[0].split("\t")[0] == "agreement" and len(tsv) == 4
    assert all(len(line.split("\t")) == 8 for line in tsv)
    assert Q.format_rows(Q.ask(seed, "resolve", name="nobody"), "text").splitlines()[-1] == "(no rows)"
    assert Q.format_rows(Q.ask(seed, "resolve", name="nobody"), "csv") == "resource,type,matched,match,sources\n"
    with pytest.raises(QueryError, match="the formats are text, json, csv, tsv"):
        Q.format_rows(rows, "xml")


# -- docs/questions.md ------------------------------------------------------------------------------

def test_questions_doc_is_up_to_date(seed: portlod.Dataset) -> None:
    """docs/questions.md is generated; regenerate it with
    ``python -c 'import portlod; from portlod.queries import render_questions_doc as r;
    open("docs/questions.md", "w").write(r(portlod.build("data")))'``."""
    assert DOC.read_text(encoding="utf-8") == Q.render_questions_doc(seed)


def test_questions_doc_lists_every_question_and_parameter() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for q in Q.questions():
        assert f"## {q.name}\n" in doc
        for p in q.parameters:
            assert f"| `{p.name}` | {p.type} |" in doc
