"""The single composer: sources → build → validate → reason → export, and opening a data set
from sources or from an exported file. The CLI and the web layer call this; nothing here prints."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pyoxigraph as ox


from .dataset import Dataset, build
from .errors import ExportError, SourceError
from .formats import FORMATS, export, load, write_atomic
from .validate import ValidationReport, validate

__all__ = ["PublishResult", "Stats", "open_dataset", "publish", "stats"]

Progress = Callable[[str], None]
_RDF_SUFFIXES = {f".{fmt}": fmt for fmt in FORMATS}


def open_dataset(path: str | os.PathLike[str]) -> Dataset:
    """A folder or YAML file of sources is built; an exported file (.nq, .trig, .ttl, .nt,
    .jsonld) is loaded as it is."""
    p = Path(path)
    fmt = _RDF_SUFFIXES.get(p.suffix.lower()) if p.is_file() else None
    if fmt is None:
        return build(p)
    try:
        store = load(p, fmt)  # one reader for exports: JSON-LD gets the packaged context
    except SyntaxError as exc:
        from .errors import Problem

        raise SourceError([Problem(str(p), getattr(exc, "lineno", None), None, f"not valid RDF: {exc.msg}",
                                   "export it again with portlod export")]) from None
    return Dataset(store)


@dataclass(frozen=True)
class PublishResult:
    """What :func:`publish` did: the data set, its validation report and the files written
    (empty when the data does not conform: nothing is published then)."""

    dataset: Dataset
    report: ValidationReport
    files: dict[str, Path]


def publish(sources: str | os.PathLike[str], out: str | os.PathLike[str], *,
            formats: Sequence[str] = FORMATS, on_progress: Progress | None = None) -> PublishResult:
    """The main job: build the sources, validate them and export every format plus the
    validation report (``validation.txt``, ``validation.json``) into ``out``."""
    step = on_progress or (lambda _: None)
    step("build")
    dataset = build(sources)
    step("validate")
    report = validate(dataset)
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create the output folder {folder}: {exc.strerror}") from None
    files: dict[str, Path] = {}
    files["report"] = write_atomic(folder / "validation.txt", report.text().encode("utf-8"))
    files["report-json"] = write_atomic(folder / "validation.json",
                                        (json.dumps(report.to_dict(), indent=2, sort_keys=True) + "\n").encode("utf-8"))
    if not report.conforms:
        return PublishResult(dataset, report, files)
    step("export")
    files.update(export(dataset, folder, formats=formats))
    return PublishResult(dataset, report, files)


@dataclass(frozen=True)
class Stats:
    """Counts of a data set: triples, quads, fact graphs, resources per class, facts per source."""

    quads: int
    triples: int
    fact_graphs: int
    per_class: dict[str, int]
    per_source: dict[str, dict[str, int]]

    def to_dict(self) -> dict[str, object]:
        return {"quads": self.quads, "triples": self.triples, "fact_graphs": self.fact_graphs,
                "per_class": self.per_class, "per_source": self.per_source}


_CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  GRAPH ?g { ?s a ?class } FILTER(?g != <https://w3id.org/portlod/id/graph/inferred>)
} GROUP BY ?class ORDER BY ?class"""

_SOURCE_COUNTS = """
PREFIX pl: <https://w3id.org/portlod/ontology#>
SELECT ?source (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(*) AS ?facts) WHERE {
  GRAPH <https://w3id.org/portlod/id/graph/sources> { ?g pl:derivedFrom/pl:inSource ?source }
  GRAPH ?g { ?s ?p ?o }
} GROUP BY ?source ORDER BY ?source"""


def _solutions(store: ox.Store, sparql: str) -> ox.QuerySolutions:
    return cast(ox.QuerySolutions, store.query(sparql))  # both queries are SELECTs


def stats(dataset: Dataset) -> Stats:
    store = dataset.store
    per_class = {str(row["class"].value): int(row["n"].value) for row in _solutions(store, _CLASS_COUNTS)}
    per_source = {str(row["source"].value): {"graphs": int(row["graphs"].value), "facts": int(row["facts"].value)}
                  for row in _solutions(store, _SOURCE_COUNTS)}
    return Stats(len(store), len(dataset.union()), len(dataset.fact_graphs()), per_class, per_source)
