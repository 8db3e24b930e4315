"""Data without the build's flags (issue #6): the conflicts question reads the properties the
build flags with pl:sourcesDifferOn. Data built by an older portlod, or by other tools, has no
flags: its metadata graph does not say pl:sourcesCompared, and the question then compares every
statement (``_conflicts-scan.rq``), with the same answer, instead of silently finding no values
that differ."""

from __future__ import annotations

import warnings

import pyoxigraph as ox
import pytest
import rdflib

import portlod
from portlod import QueryError
from portlod import queries as Q
from portlod._nquads import PL
from portlod.dataset import METADATA_GRAPH
from portlod.queries._backend import LocalBackend
from portlod.queries._registry import _check_unflagged, get, load, parse, prepared
from portlod.queries._run import sources_compared

COMPARED = ox.NamedNode(PL + "sourcesCompared")
DIFFER_ON = ox.NamedNode(PL + "sourcesDifferOn")


def without_flags(store: ox.Store) -> ox.Store:
    """A copy of ``store`` as an older build made it: no flags, no marker."""
    older = ox.Store()
    older.extend(q for q in store if q.predicate not in (COMPARED, DIFFER_ON))
    return older


def shown(rows: list[object]) -> list[str]:
    return [repr(r) for r in rows]


def test_the_build_says_it_compared_the_sources(seed_dataset: portlod.Dataset) -> None:
    [marker] = seed_dataset.store.quads_for_pattern(METADATA_GRAPH, COMPARED, None, METADATA_GRAPH)
    assert marker.object == ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    assert sources_compared(LocalBackend(seed_dataset.store))
    assert not sources_compared(LocalBackend(without_flags(seed_dataset.store)))


def test_a_false_marker_is_not_taken_for_a_true_one(seed_dataset: portlod.Dataset) -> None:
    store = without_flags(seed_dataset.store)
    store.add(ox.Quad(METADATA_GRAPH, COMPARED, ox.Literal("false", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#boolean")), METADATA_GRAPH))
    assert not sources_compared(LocalBackend(store))


def test_conflicts_of_data_without_flags(seed_dataset: portlod.Dataset) -> None:
    flagged = Q.ask(seed_dataset, "conflicts")
    older = without_flags(seed_dataset.store)
    assert any(r.kind == "values differ" for r in flagged)
    # the flags' query alone finds no values that differ in such data: what the fallback is for
    _, solutions = LocalBackend(older).select(prepared(get("conflicts")), {})
    assert not any(s.get("kind") == ox.Literal("values differ") for s in solutions)
    assert shown(Q.ask(older, "conflicts")) == shown(flagged)


def test_conflicts_about_one_resource_of_data_without_flags(seed_dataset: portlod.Dataset) -> None:
    rows = [r for r in Q.ask(seed_dataset, "conflicts") if r.kind == "values differ"]
    subject = rows[0].subject_a.iri.removeprefix("https://w3id.org/portlod/id/")
    older = without_flags(seed_dataset.store)
    assert shown(Q.ask(older, "conflicts", subject=subject)) == shown(Q.ask(seed_dataset, "conflicts", subject=subject))


def test_conflicts_of_an_older_export_read_with_rdflib(seed_dataset: portlod.Dataset) -> None:
    """A TriG file an older portlod exported, read into an rdflib Dataset."""
    text = without_flags(seed_dataset.store).dump(format=ox.RdfFormat.TRIG)
    assert text is not None
    data = rdflib.Dataset()
    with warnings.catch_warnings():  # rdflib 7.6's Dataset.parse uses its own deprecated API
        warnings.filterwarnings("ignore", r"(Dataset\.\w+|ConjunctiveGraph) is deprecated", DeprecationWarning)
        data.parse(data=text.decode("utf-8"), format="trig")
    assert shown(Q.ask(data, "conflicts")) == shown(Q.ask(seed_dataset, "conflicts"))


# -- the header field ----------------------------------------------------------------------------

QUESTION = """#+ name: differing
#+ summary: Where sources differ.
#+ params:
#+   subject: {type: resource, description: the resource}
#+ columns:
#+   predicate: {type: resource, description: the property}
#+ unflagged: UNFLAGGED

SELECT ?subject ?predicate WHERE { GRAPH ?g { ?subject pl:sourcesDifferOn ?predicate } } ORDER BY ?predicate
"""

SCAN = """#+ name: _differing-scan
#+ summary: Internal. Where sources differ, the long way.
#+ params:
#+   subject: {type: resource, description: the resource}
#+ columns:
#+   predicate: {type: resource, description: the property}

SELECT ?subject ?predicate WHERE { GRAPH ?g { ?subject ?predicate ?o } } ORDER BY ?predicate
"""


def test_unflagged_names_an_internal_question() -> None:
    with pytest.raises(QueryError, match="unflagged names an internal question"):
        parse(QUESTION.replace("UNFLAGGED", "conflicts"), "differing.rq")


def test_the_question_without_flags_must_answer_alike() -> None:
    question = parse(QUESTION.replace("UNFLAGGED", "_differing-scan"), "differing.rq")
    _check_unflagged(question, {"_differing-scan": parse(SCAN, "_differing-scan.rq")})  # alike: fine
    with pytest.raises(QueryError, match="not a question of the package"):
        _check_unflagged(question, {})
    for changed, what in ((SCAN.replace("#+   predicate: {type: resource", "#+   predicate: {type: term"), "columns"),
                          (SCAN.replace("{type: resource, description: the resource}",
                                        "{type: resource, required: true, description: the resource}"), "parameters"),
                          (SCAN.replace("ORDER BY ?predicate", "ORDER BY ?subject"), "ORDER BY")):
        with pytest.raises(QueryError, match=f"same {what}"):
            _check_unflagged(question, {"_differing-scan": parse(changed, "_differing-scan.rq")})
    chained = SCAN.replace("#+ columns:", "#+ unflagged: _other\n#+ columns:")
    with pytest.raises(QueryError, match="cannot name another"):
        _check_unflagged(question, {"_differing-scan": parse(chained, "_differing-scan.rq")})


def test_the_package_questions_without_flags_answer_alike() -> None:
    for q in load().values():
        if q.unflagged:
            _check_unflagged(q, load())
    assert get("conflicts").unflagged == "_conflicts-scan"


def test_flagged_data_is_asked_with_the_flags(seed_dataset: portlod.Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """The statement-by-statement comparison is asked only of data without the flags."""
    sent: list[str] = []
    select = LocalBackend.select

    def recording(self: LocalBackend, text: str, bindings: dict[str, object], **kw: object) -> object:
        sent.append(text)
        return select(self, text, bindings, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(LocalBackend, "select", recording)
    def asked() -> set[str]:
        return {name for t in sent for name in ("conflicts", "_conflicts-scan") if f"#+ name: {name}\n" in t}

    Q.ask(seed_dataset, "conflicts")
    assert asked() == {"conflicts"}
    sent.clear()
    Q.ask(without_flags(seed_dataset.store), "conflicts")
    assert asked() == {"_conflicts-scan"}
