"""The one place that knows where portlod's packaged files live (ontology, schemes, shapes,
JSON-LD context, named queries) and reads the concept schemes into label indexes."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from .errors import ResourceError

__all__ = ["ConceptIndex", "concept_index", "path", "read_text"]

# name → path inside the wheel's portlod/_data and inside a source checkout
_FILES = {
    "ontology": "ontology/portlod.ttl",
    "themes": "ontology/themes.ttl",
    "fuels": "ontology/fuels.ttl",
    "roles": "ontology/roles.ttl",
    "shapes": "shapes/portlod.shapes.ttl",
    "context": "context.jsonld",
}
_REPO_ROOT = Path(__file__).resolve().parents[2]


def path(name: str) -> Path:
    """The path of a packaged file by name (``ontology``, ``themes``, ``shapes``, ...)."""
    try:
        relative = _FILES[name]
    except KeyError:
        raise ResourceError(f"no packaged file named {name!r}; known: {', '.join(sorted(_FILES))}") from None
    packaged = Path(str(resources.files("portlod"))) / "_data" / relative
    if packaged.is_file():
        return packaged
    checkout = _REPO_ROOT / relative
    if checkout.is_file():
        return checkout
    raise ResourceError(f"{relative} is missing from the portlod installation (looked in {packaged} "
                        f"and {checkout}); reinstall portlod")


def read_text(name: str) -> str:
    return path(name).read_text(encoding="utf-8")


SKOS = "http://www.w3.org/2004/02/skos/core#"
_LABELS = {f"{SKOS}prefLabel", f"{SKOS}altLabel", f"{SKOS}notation", "http://www.w3.org/2000/01/rdf-schema#label"}


class ConceptIndex:
    """Concepts of one SKOS scheme file, found by local name, label or alternative label
    (case-insensitive)."""

    def __init__(self, name: str, namespace: str) -> None:
        self.name = name
        self.namespace = namespace
        self.labels: dict[str, str] = {}
        self.pref: dict[str, str] = {}
        concept = ox.NamedNode(f"{SKOS}Concept")
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        triples = list(ox.parse(path=path(name), format=ox.RdfFormat.TURTLE))
        concepts = {t.subject.value for t in triples if t.predicate == rdf_type and t.object == concept
                    and isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(namespace)}
        for iri in sorted(concepts):
            local = iri[len(namespace):]
            self.labels[local.lower()] = local
        for t in triples:
            subject = t.subject.value if isinstance(t.subject, ox.NamedNode) else None
            if subject in concepts and t.predicate.value in _LABELS and isinstance(t.object, ox.Literal):
                self.labels.setdefault(t.object.value.strip().lower(), subject[len(namespace):])
                if t.predicate.value == f"{SKOS}prefLabel":
                    self.pref[subject[len(namespace):]] = t.object.value

    @property
    def names(self) -> list[str]:
        return sorted(set(self.labels.values()))

    def find(self, text: str) -> str | None:
        """The local name of the concept ``text`` names, or None."""
        return self.labels.get(" ".join(text.split()).lower())

    def iri(self, local: str) -> str:
        return self.namespace + local


@cache
def concept_index(name: str) -> ConceptIndex:
    """The index of the packaged scheme ``themes``, ``roles`` or ``fuels`` (read once)."""
    namespaces = {
        "themes": "https://w3id.org/portlod/theme/",
        "roles": "https://w3id.org/portlod/role/",
        "fuels": "https://w3id.org/portlod/fuel/",
    }
    if name not in namespaces:
        raise ResourceError(f"no concept scheme named {name!r}")
    return ConceptIndex(name, namespaces[name])
