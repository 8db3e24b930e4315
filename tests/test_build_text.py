"""The builder writes N-Quads text that the store parses leniently (issue #7): every literal
comes back exactly as given, IRIs and language tags are checked as pyoxigraph checks them, the
pieces of text add up to the same graph, errors on either thread reach the caller, and a build
leaves no global state changed."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import portlod
from portlod import records as r
from portlod.build import ID, Builder, check_or_raise
from portlod.dataset import _load_nquads

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_NOTE = ox.NamedNode("http://www.w3.org/2004/02/skos/core#note")
AGREEMENT = ox.NamedNode(f"{ID}agreement/x")


def _records(*, name: str = "An agreement", note: str | None = None, language: str = "en",
             org: str = "a", homepage: str | None = None) -> r.SourceSet:
    registry = r.Registry(r.SourceInfo("reg", "Registry", "A registry"),
                          organizations=(r.OrganizationEntry(org, "A", homepage=homepage),))
    doc = r.Document(r.SourceInfo("doc", "NewsArticle", "A document", language=language), (
        r.Paragraph(1, (r.AgreementStatement("x", "MemorandumOfUnderstanding", name=name, parties=(org,),
                                             note=note),)),))
    return r.SourceSet((registry,), (doc,))


def _objects(store: ox.Store, s: ox.NamedNode, p: ox.NamedNode) -> list[ox.Literal]:
    return [q.object for q in store.quads_for_pattern(s, p, None) if isinstance(q.object, ox.Literal)]


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(codec="utf-8"), min_size=1))
def test_any_text_comes_back_unchanged(text: str) -> None:
    store = portlod.build(_records(name=text, note=text)).store
    assert _objects(store, AGREEMENT, RDFS_LABEL) == [ox.Literal(text, language="en")]
    assert _objects(store, AGREEMENT, SKOS_NOTE) == [ox.Literal(text, language="en")]


def test_awkward_characters_come_back_unchanged() -> None:
    text = 'a "quoted" \\ back\\slash\nnew line\r\ttab \x00 \x0b \u2028 \ufeff \\u0041 🚢'
    store = portlod.build(_records(name=text)).store
    assert _objects(store, AGREEMENT, RDFS_LABEL) == [ox.Literal(text, language="en")]


def test_language_tags_are_normalised_as_pyoxigraph_does() -> None:
    store = portlod.build(_records(language="EN-GB")).store
    title = _objects(store, ox.NamedNode(f"{ID}source/doc"), ox.NamedNode("http://purl.org/dc/terms/title"))
    assert title == [ox.Literal("A document", language="en-gb")]


def test_a_bad_language_tag_in_records_made_in_code_is_refused() -> None:
    with pytest.raises(ValueError):
        portlod.build(_records(language="not a tag"))


@pytest.mark.parametrize("fields", [{"org": "a b"}, {"homepage": "not an iri"}, {"org": "x>y"}])
def test_a_bad_iri_in_records_made_in_code_is_refused(fields: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        portlod.build(_records(**fields))


def test_the_text_is_the_same_on_every_build(seed_sources: r.SourceSet) -> None:
    assert "".join(Builder().nquads(seed_sources)) == "".join(Builder().nquads(seed_sources))


@pytest.mark.parametrize("chunk_lines", [1, 7, 500])
def test_pieces_end_at_line_ends_and_add_up_to_the_same_graph(seed_sources: r.SourceSet, chunk_lines: int) -> None:
    pieces = list(Builder(chunk_lines=chunk_lines).nquads(seed_sources))
    assert len(pieces) > 1
    assert all(piece.endswith(" .\n") for piece in pieces)
    assert "".join(pieces) == "".join(Builder(chunk_lines=10**9).nquads(seed_sources))
    store = ox.Store()
    _load_nquads(store, pieces)
    assert set(store) == set(portlod.build(seed_sources).store)


def test_quad_objects_are_the_same_quads(seed_sources: r.SourceSet) -> None:
    checked = check_or_raise(r.SourceSet(seed_sources.registries, seed_sources.documents))
    store = ox.Store()  # through a store: it stores some datatypes in their base type (positiveInteger → integer)
    store.extend(Builder().run(checked))
    assert set(store) == set(portlod.build(seed_sources).store)


def _no_loader_left() -> bool:
    return not any(t.name == "portlod-load" and t.is_alive() for t in threading.enumerate())


def test_an_error_while_making_text_is_raised_after_the_loader_stops() -> None:
    def pieces() -> Iterator[str]:
        yield f"<{ID}s> <{ID}p> <{ID}o> <{ID}g> .\n"
        raise RuntimeError("made in the builder")

    with pytest.raises(RuntimeError, match="made in the builder"):
        _load_nquads(ox.Store(), pieces())
    assert _no_loader_left()


def test_an_error_while_loading_is_raised_in_the_caller() -> None:
    with pytest.raises(SyntaxError):
        _load_nquads(ox.Store(), [f"<{ID}s> <{ID}p> <{ID}o> <{ID}g> .\n", "this is not N-Quads\n", ""])
    assert _no_loader_left()


def test_a_store_on_disk_holds_the_same_quads(seed_sources: r.SourceSet, tmp_path: Path) -> None:
    on_disk = portlod.build(seed_sources, path=tmp_path / "store")
    assert set(on_disk.store) == set(portlod.build(seed_sources).store)


def test_the_garbage_collector_is_restored_after_a_build_and_after_a_failed_one() -> None:
    assert gc.isenabled()
    portlod.build(_records())
    assert gc.isenabled()
    with pytest.raises(portlod.SourceError):
        portlod.build(r.SourceSet((), _records().documents))  # the party is defined nowhere
    assert gc.isenabled()
    with pytest.raises(ValueError):
        portlod.build(_records(org="a b"))
    assert gc.isenabled()
    gc.disable()
    try:
        portlod.build(_records())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failed_build_on_disk_leaves_no_store_behind(tmp_path: Path) -> None:
    """Regression: the text is loaded piece by piece, so a bad IRI opened (and half filled) the store first."""
    target = tmp_path / "store"
    with pytest.raises(ValueError):
        portlod.build(_records(homepage="not an iri"), path=target)
    assert not target.exists()


def test_a_build_on_disk_does_not_add_to_a_store_that_is_there(seed_sources: r.SourceSet, tmp_path: Path) -> None:
    """Regression: building into the folder of an earlier store added to it, keeping the facts
    of sources removed since; the folder is now refused and left as it was."""
    target = tmp_path / "store"
    portlod.build(_records(), path=target)
    before = sorted(p.name for p in target.iterdir())
    with pytest.raises(portlod.ExportError, match="there is something there already"):
        portlod.build(seed_sources, path=target)
    assert sorted(p.name for p in target.iterdir()) == before
    (tmp_path / "file").write_text("not a store")
    with pytest.raises(portlod.ExportError, match="file: there is something there already"):
        portlod.build(_records(), path=tmp_path / "file")
    (tmp_path / "empty").mkdir()
    assert len(portlod.build(_records(), path=tmp_path / "empty")) > 0
