"""Source files → records: good input builds; each kind of bad input gives a clear error naming
file, line and field, all errors of a file together, and nothing is built."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import portlod
from portlod import records as r
from portlod.errors import SourceError

FIXTURES = Path(__file__).parent / "data" / "sources"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"


def _with_article(tmp_path: Path, article: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(GOOD, folder)
    shutil.copy(article, folder / "sources" / "article.yaml")
    return folder


def test_good_fixture_builds() -> None:
    ds = portlod.build(GOOD)
    assert len(ds) > 0
    assert ds.warnings == ()


# case, field path fragment, message fragment, hint fragment
BAD_CASES = [
    ("impossible-date", "agreements[0].signed", "not a day of the calendar", "YYYY-MM-DD"),
    ("malformed-date", "agreements[0].signed", "is not a date", "YYYY-MM-DD"),
    ("unknown-field", "agreements[0].colour", "unknown field 'colour'", "allowed fields"),
    ("missing-field", "source.title", "missing required field 'title'", None),
    ("unknown-key", "agreements[0]", "unknown party 'port-of-tokio'", "did you mean 'port-of-tokyo'?"),
    ("malformed-locode", "endpoints[1]", "'JP-TYO' is not a place", "port code"),
    ("unknown-theme", "agreements[0]", "unknown theme 'zero emission boats'", "ZeroEmissionVessels"),
    ("yaml-syntax", None, "YAML syntax error", "indentation"),
    # regressions: each passed the checks and then stopped the build with pyoxigraph's ValueError
    ("web-address-not-an-iri", "source.url", "is not a valid IRI", "percent-encode"),
    ("language-subtag-too-long", "source.language", "is not a language tag", "en-GB"),
    ("position-source-not-a-source", "position.source", "neither a source key nor a web address", "http(s)"),
]


@pytest.mark.parametrize(("case", "field", "message", "hint"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_input_is_reported_with_place_and_fix(tmp_path: Path, case: str, field: str | None, message: str,
                                                  hint: str | None) -> None:
    folder = _with_article(tmp_path, BAD / f"{case}.yaml")
    with pytest.raises(SourceError) as caught:
        portlod.build(folder)
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert errors, caught.value
    matching = [p for p in errors if message in p.message]
    assert matching, f"no problem says {message!r}: {caught.value}"
    problem = matching[0]
    assert problem.file.endswith("article.yaml")
    assert problem.line is not None and problem.line > 0
    if field is not None:
        assert problem.field is not None and field in problem.field, problem
    if hint is not None:
        assert hint in (problem.hint or "") or hint in problem.message, problem
    # the line named is the line of the fault
    text = (folder / "sources" / "article.yaml").read_text(encoding="utf-8").splitlines()
    assert 1 <= problem.line <= len(text)
    assert str(problem) in str(caught.value)


def test_error_line_points_at_the_fault(tmp_path: Path) -> None:
    folder = _with_article(tmp_path, BAD / "impossible-date.yaml")
    with pytest.raises(SourceError) as caught:
        portlod.build(folder)
    problem = caught.value.problems[0]
    line = (folder / "sources" / "article.yaml").read_text(encoding="utf-8").splitlines()[problem.line - 1]  # type: ignore[operator]
    assert "2023-02-30" in line


def test_all_errors_of_a_file_are_reported_together(tmp_path: Path) -> None:
    folder = _with_article(tmp_path, BAD / "two-faults.yaml")
    with pytest.raises(SourceError) as caught:
        portlod.build(folder)
    messages = [p.message for p in caught.value.problems]
    assert any("no month 13" in m for m in messages), messages
    assert any("unknown person 'gene-serocka'" in m for m in messages), messages


def test_not_a_seaport_code_warns_and_names_the_port(tmp_path: Path) -> None:
    folder = _with_article(tmp_path, BAD / "not-a-seaport.yaml")
    registry = folder / "registry" / "registry.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "clusters:", "  - code: CNSHA\n    name: Shanghai\nclusters:"), encoding="utf-8")
    ds = portlod.build(folder)
    warnings = [w for w in ds.warnings if "CNSHA" in w.message]
    assert warnings and warnings[0].severity == "warning"
    assert "CNSHG" in warnings[0].message


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file or folder"):
        portlod.build(tmp_path / "nope")


def test_records_made_in_code_build_the_same_graph() -> None:
    from_files = portlod.load_sources(GOOD)
    rebuilt = r.SourceSet(from_files.registries, from_files.documents)
    a = portlod.build(from_files)
    b = portlod.build(rebuilt)
    assert set(a.store) == set(b.store)


def test_records_made_in_code_are_checked() -> None:
    registry = r.Registry(r.SourceInfo("reg", "Registry", "A registry"),
                          organizations=(r.OrganizationEntry("a", "A"),))
    doc = r.Document(r.SourceInfo("doc", "NewsArticle", "A document"), (
        r.Paragraph(1, (r.AgreementStatement("x", "MemorandumOfUnderstanding", parties=("a", "b")),)),))
    with pytest.raises(SourceError, match="unknown party 'b'"):
        portlod.build(r.SourceSet((registry,), (doc,)))


def test_building_twice_is_identical(seed_sources: r.SourceSet) -> None:
    assert set(portlod.build(seed_sources).store) == set(portlod.build(seed_sources).store)


def test_adding_a_source_renames_nothing(tmp_path: Path) -> None:
    before = portlod.build(GOOD)
    folder = tmp_path / "data"
    shutil.copytree(GOOD, folder)
    (folder / "sources" / "second.yaml").write_text(
        "source: {key: second, type: NewsArticle, title: Second}\n"
        "paragraphs:\n  - para: 1\n    agreements:\n      - key: 2024-pola-tokyo-mou\n"
        "        type: MemorandumOfUnderstanding\n        parties: [port-of-los-angeles, port-of-tokyo]\n",
        encoding="utf-8")
    after = portlod.build(folder)
    assert set(before.store) <= set(after.store)


def test_fuzzy_date() -> None:
    assert r.FuzzyDate("2023").precision == "year"
    assert r.FuzzyDate("2023-03").precision == "month"
    assert r.FuzzyDate("2024-02-29").precision == "day"
    with pytest.raises(ValueError, match="not a day"):
        r.FuzzyDate("2023-02-29")
    with pytest.raises(ValueError):
        r.FuzzyDate()


SHARED_UNLOCODE = Path(__file__).resolve().parents[2] / "shared" / "data" / "unlocode"


def _with_code_list(tmp_path: Path, extra_port: str) -> Path:
    folder = _with_article(tmp_path, GOOD / "sources" / "article.yaml")
    registry = folder / "registry" / "registry.yaml"
    text = registry.read_text(encoding="utf-8").replace(
        "countries:", f"code_list:\n  path: {SHARED_UNLOCODE}\n  countries: [US, JP, CN]\ncountries:", 1)
    registry.write_text(text.replace("clusters:", f"  - code: {extra_port}\n    name: Somewhere\nclusters:"),
                        encoding="utf-8")
    return folder


def test_code_list_unknown_code_is_an_error_with_nearest_names(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        portlod.build(_with_code_list(tmp_path, "JPTYX"))
    problem = next(p for p in caught.value.problems if "JPTYX" in p.message)
    assert problem.severity == "error" and problem.line is not None
    assert problem.hint and ("JPTYO" in problem.hint or "Tokyo" in problem.hint)


def test_code_list_non_port_code_warns_with_the_port_meant(tmp_path: Path) -> None:
    ds = portlod.build(_with_code_list(tmp_path, "CNSHA"))
    warning = next(w for w in ds.warnings if "CNSHA" in w.message)
    assert warning.severity == "warning"
    assert "CNSHG" in warning.message + (warning.hint or "")


def test_code_list_path_must_exist(tmp_path: Path) -> None:
    folder = _with_article(tmp_path, GOOD / "sources" / "article.yaml")
    registry = folder / "registry" / "registry.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "countries:", "code_list: {path: nowhere}\ncountries:", 1), encoding="utf-8")
    with pytest.raises(SourceError, match="code list is not at"):
        portlod.build(folder)
