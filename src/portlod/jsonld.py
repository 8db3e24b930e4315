"""portlod's JSON-LD context and a streaming compactor for it.

The context (``context.jsonld``, published at :data:`CONTEXT_URL`) lets a JSON user read plain
names. Its design:

* ``id``, ``type`` and ``value`` alias ``@id``, ``@type`` and ``@value``.
* One term per property of the ontology (and per property the builder reuses: ``name`` for
  ``rdfs:label``, ``altNames``, ``note``, ``exactMatch``, ``closeMatch``, ``title``, ``homepage``,
  ``asWKT``, ``functions``...), one per class (``Port``, ``MemorandumOfUnderstanding``) and
  one per named individual (``Signed``, ``PortPartner``, ``PortBasin``...). Object properties
  are ``"@type": "@id"``; those whose values are the ontology's individuals (``status``,
  ``participantRole``, ``positionKind``, ``tradeSegments``) are ``"@type": "@vocab"``, so they
  read ``"status": "Signed"``. Text in portlod's words is ``"@language": "en"``.
* Multi-valued properties have plural names and ``"@container": "@set"`` (always an array:
  ``parties``, ``signatories``, ``themes``...). A single-valued term (``signedOn``, ``name``)
  holds an array only when sources disagree — portlod keeps every source's claim.
* Fuzzy dates (``signedOn``, ``asOf``, ``startDate``...) have no type coercion: the datatype is
  the precision, so a date reads ``{"value": "2023-03", "type": "xsd:gYearMonth"}`` under the
  one key ``signedOn``, whatever its precision (one term per datatype would split it in three).
* Other datatypes are coerced where the property has one: ``latitude`` (``xsd:decimal``),
  ``paragraph`` and ``line`` (``xsd:integer``, what the store keeps of ``xsd:positiveInteger``),
  ``retrieved`` (``xsd:date``), ``url`` (``xsd:anyURI``), ``asWKT``.
* The prefixes of ``vocab.PREFIXES`` are declared (``theme:``, ``fuel:``, ``unlcd:``...) except
  ``id`` and ``role``, whose names are the ``@id`` alias and the ``pl:role`` term: resources
  (``https://w3id.org/portlod/id/...``) and roles therefore appear as full IRIs, which a plain
  JSON user can dereference.
* A value that does not fit its term (a Japanese label, a literal where an IRI is expected) is
  written under the compact IRI of the property (``"rdfs:label": {"value": ..., "@language": "ja"}``):
  nothing is lost, and the expected keys keep their expected shapes.

How a document finds the context: exports say ``"@context": "https://w3id.org/portlod/context.jsonld"``
and a copy of the file is written next to them. Offline, map that URL to the copy: with pyld pass
``options={"documentLoader": portlod.jsonld.document_loader}``; :func:`portlod.formats.load` inlines
the packaged copy before parsing (:func:`inline_context`); any other processor takes the copy
through its own document loader. (``@base`` or a relative reference would not survive: JSON-LD
ignores ``@base`` in remote contexts, and a relative URL breaks when the file is moved or served.)

The compactor: no library compacts fast (pyld ≈ 45 s at 1M triples), but the context is fixed,
so compaction reduces to table look-ups. :class:`Compactor` reads the context once and writes
the compacted form straight from sorted triples in N-Triples syntax (``portlod._snapshot``), one
node per subject, ``type`` before ``id`` (Streaming JSON-LD order). It implements the
JSON-LD 1.1 compaction algorithm (term selection, value compaction, compact IRIs) for the subset
of context features the file uses — simple and expanded term definitions with ``@type``
(``@id``, ``@vocab`` or a datatype), ``@language`` and ``@container: @set``, and keyword aliases —
and refuses a context that uses anything else. ``tests/test_export.py`` checks its output against
pyld's ``jsonld.compact`` with the same context.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import resources
from .errors import ExportError, ResourceError

__all__ = ["CONTEXT_URL", "Compactor", "Term", "compactor", "context", "context_bytes", "document_loader",
           "inline_context"]

#: Where the context is published; every JSON-LD export refers to it by this URL.
CONTEXT_URL = "https://w3id.org/portlod/context.jsonld"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_KEYWORDS = frozenset({"@id", "@type", "@value", "@language", "@graph"})
_GEN_DELIM_END = re.compile(r".*[:/?#\[\]@]$")
_CONTEXT_REF = re.compile(rb'"@context"\s*:\s*"' + re.escape(CONTEXT_URL.encode()) + rb'"')


@cache
def context_bytes() -> bytes:
    """The bytes of the packaged ``context.jsonld`` (read once)."""
    return resources.path("context").read_bytes()


@cache
def _context_text() -> str:
    return context_bytes().decode("utf-8")


def context() -> dict[str, Any]:
    """The packaged context document, ``{"@context": {...}}`` (a fresh copy each call)."""
    doc = json.loads(_context_text())
    if not isinstance(doc, dict) or not isinstance(doc.get("@context"), dict):
        raise ResourceError(f"{resources.path('context')} is not a JSON-LD context document")
    return doc


def document_loader(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that serves portlod's context from the packaged copy and refuses
    every other URL, so that nothing reaches the network::

        pyld.jsonld.expand(doc, {"documentLoader": portlod.jsonld.document_loader})
    """
    if url != CONTEXT_URL:
        raise ResourceError(f"refusing to load {url!r}: only {CONTEXT_URL} is served (from the packaged copy)")
    return {"contextUrl": None, "documentUrl": url, "contentType": "application/ld+json", "document": context()}


def inline_context(data: bytes) -> bytes:
    """Replace every ``"@context": "<CONTEXT_URL>"`` in a JSON document by the context itself,
    so that a processor without a document loader (pyoxigraph) can read portlod's JSON-LD.

    The pattern can only match a real key: inside a JSON string every quote is escaped."""
    inner = json.dumps(context()["@context"], ensure_ascii=False).encode("utf-8")
    return _CONTEXT_REF.sub(lambda _: b'"@context": ' + inner, data)


@dataclass(frozen=True, slots=True)
class Term:
    """One term definition of the context, reduced to what compaction needs."""

    name: str
    iri: str
    #: ``"id"`` / ``"vocab"`` (IRI values), ``"datatype"``, ``"language"`` or ``"plain"``
    kind: str
    datatype: str | None = None
    language: str | None = None
    is_set: bool = False
    #: a simple term whose IRI ends with a gen-delim character: usable in compact IRIs
    is_prefix: bool = False


class Compactor:
    """Compacts RDF terms and N-Triples lines with one fixed JSON-LD context."""

    def __init__(self, ctx: Mapping[str, Any]) -> None:
        if set(ctx) - {"@context"} or not isinstance(ctx.get("@context"), Mapping):
            raise ResourceError("the context document must be {\"@context\": {...}}")
        self.context: Mapping[str, Any] = ctx["@context"]
        self.aliases: dict[str, str] = {}
        raw: dict[str, Any] = {}
        for key, value in self.context.items():
            if key == "@version":
                if value != 1.1:
                    raise ResourceError("the context must declare \"@version\": 1.1")
            elif key.startswith("@"):
                raise ResourceError(f"context keyword {key!r} is not supported by portlod's compactor")
            elif ":" in key:
                raise ResourceError(f"context term {key!r}: terms with a colon are not supported")
            elif isinstance(value, str) and value in _KEYWORDS:
                # like pyld: the shortest, then lexicographically least alias is used
                self.aliases[value] = min(self.aliases.get(value, key), key, key=lambda a: (len(a), a))
            elif isinstance(value, str) and value.startswith("@"):
                raise ResourceError(f"context term {key!r}: alias of {value!r} is not supported")
            else:
                raw[key] = value
        self.terms: dict[str, Term] = {}
        self.by_iri: dict[str, Term] = {}
        for name, value in raw.items():
            term = self._define(name, value, raw)
            self.terms[name] = term
            other = self.by_iri.setdefault(term.iri, term)
            if other is not term:
                raise ResourceError(f"context terms {other.name!r} and {name!r} both map {term.iri}; "
                                    "keep one term per IRI")
        self.prefixes = sorted(((t.name, t.iri) for t in self.terms.values() if t.is_prefix),
                               key=lambda p: (-len(p[1]), p[0]))
        self.key_id = self.aliases.get("@id", "@id")
        self.key_type = self.aliases.get("@type", "@type")
        self.key_value = self.aliases.get("@value", "@value")
        self.key_language = self.aliases.get("@language", "@language")
        self.key_graph = self.aliases.get("@graph", "@graph")

    # -- context processing --------------------------------------------------------------------
    def _expand(self, value: str, raw: Mapping[str, Any], seen: tuple[str, ...] = ()) -> str:
        prefix, colon, suffix = value.partition(":")
        if colon and not suffix.startswith("//") and prefix in raw:
            if prefix in seen:
                raise ResourceError(f"context: cyclic definition of {prefix!r}")
            base = raw[prefix]
            base_iri = base if isinstance(base, str) else base.get("@id") if isinstance(base, Mapping) else None
            if not isinstance(base_iri, str):
                raise ResourceError(f"context: prefix {prefix!r} has no IRI")
            return self._expand(base_iri, raw, (*seen, prefix)) + suffix
        if colon:
            return value
        if value in raw:
            return self._expand(value if isinstance(raw[value], Mapping) else raw[value], raw, (*seen, value))
        raise ResourceError(f"context: {value!r} is neither an absolute IRI nor a compact IRI")

    def _define(self, name: str, value: Any, raw: Mapping[str, Any]) -> Term:
        if isinstance(value, str):
            iri = self._expand(value, raw)
            return Term(name, iri, "plain", is_prefix=bool(_GEN_DELIM_END.match(iri)) or iri.startswith("_:"))
        if not isinstance(value, Mapping) or not isinstance(value.get("@id"), str):
            raise ResourceError(f"context term {name!r} must be a string or an object with \"@id\"")
        unknown = set(value) - {"@id", "@type", "@language", "@container"}
        if unknown:
            raise ResourceError(f"context term {name!r}: {sorted(unknown)} not supported by portlod's compactor")
        if "@type" in value and "@language" in value:
            raise ResourceError(f"context term {name!r} has both @type and @language")
        container = value.get("@container")
        if container not in (None, "@set"):
            raise ResourceError(f"context term {name!r}: only \"@container\": \"@set\" is supported")
        iri = self._expand(value["@id"], raw)
        is_set = container == "@set"
        if "@type" in value:
            typ = value["@type"]
            if typ in ("@id", "@vocab"):
                return Term(name, iri, typ[1:], is_set=is_set)
            if not isinstance(typ, str) or typ.startswith("@"):
                raise ResourceError(f"context term {name!r}: \"@type\": {typ!r} is not supported")
            return Term(name, iri, "datatype", datatype=self._expand(typ, raw), is_set=is_set)
        if "@language" in value:
            lang = value["@language"]
            if not isinstance(lang, str):
                raise ResourceError(f"context term {name!r}: \"@language\" must be a language tag")
            return Term(name, iri, "language", language=lang.lower(), is_set=is_set)
        return Term(name, iri, "plain", is_set=is_set)

    # -- IRI compaction (JSON-LD 1.1 §6.2, "IRI Compaction", for this context) ---------------
    def compact_iri(self, iri: str, *, vocab: bool) -> str:
        """An IRI as a term (``vocab=True`` only: types, ``@vocab`` values), a compact IRI
        (``theme:PortDevelopment``) or itself. For a node's own ``id`` and ``@id`` values use
        ``vocab=False``."""
        return self._compact_iri(iri, vocab=vocab, with_value=False)

    def _compact_iri(self, iri: str, *, vocab: bool, with_value: bool) -> str:
        if vocab and not with_value:
            term = self.by_iri.get(iri)
            # term selection for a bare IRI: only terms whose type map has "@id" or "@none"
            if term is not None and term.kind in ("id", "plain"):
                return term.name
        best: str | None = None
        for name, ns in self.prefixes:
            if iri.startswith(ns) and iri != ns:
                curie = f"{name}:{iri[len(ns):]}"
                if curie not in self.terms and (best is None or (len(curie), curie) < (len(best), best)):
                    best = curie
        if best is not None:
            return best
        for name, _ in self.prefixes:
            if iri.startswith(name + ":"):
                raise ExportError(f"the IRI {iri!r} cannot be written in JSON-LD with portlod's context: "
                                  f"it reads as a compact IRI with the prefix {name!r}")
        return iri

    def property_key(self, iri: str) -> str:
        """The key of a property whose values do not fit its term (or that has none)."""
        return self._compact_iri(iri, vocab=True, with_value=True)

    # -- N-Triples → JSON ----------------------------------------------------------------------
    def nodes(self, triples: Iterable[bytes], *, indent: int = 4) -> Iterator[bytes]:
        """Compact node objects from marked triples in canonical order (``s p o`` as N-Triples
        terms, sorted, ``rdf:type`` marked: see :mod:`portlod._snapshot`), as JSON text:
        comma-separated objects, one per subject, for an ``@graph`` array. Keys and values keep
        the order of the triples; repeated triples are written once."""
        from ._jsonld_nodes import NodeWriter  # it reads this module's Compactor

        return NodeWriter(self, indent).write(triples)

    def document(self, triples: Iterable[bytes]) -> Iterator[bytes]:
        """A whole compacted document: the context by URL and the nodes of :meth:`nodes` as
        ``@graph``."""
        yield (b'{\n  "@context": ' + _json(CONTEXT_URL) + b',\n  ' + _json(self.key_graph) + b": [")
        empty = True
        for chunk in self.nodes(triples):
            empty = False
            yield chunk
        yield b"]\n}\n" if empty else b"\n  ]\n}\n"


@cache
def compactor() -> Compactor:
    """The compactor for the packaged context (built once)."""
    return Compactor(context())


def _json(text: str) -> bytes:
    return json.dumps(text, ensure_ascii=False).encode("utf-8")
