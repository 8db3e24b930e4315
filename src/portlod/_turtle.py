"""Turtle and TriG blocks from marked triples in canonical order (see :mod:`portlod._snapshot`).

One block per subject::

    <https://w3id.org/portlod/id/agreement/x> a pl:Agreement,
            pl:MemorandumOfUnderstanding ;
        rdfs:label "x"@en ;
        pl:signedOn "2023-03"^^xsd:gYearMonth .

``rdf:type`` (as ``a``) first, then predicates in triple order; the first object of a predicate
on its line, every further one on a line of its own. IRIs become prefixed names where the local
part is plain (else they stay ``<IRI>``); ``xsd:integer``, ``xsd:decimal`` and ``xsd:boolean``
literals in canonical form are written bare. Per triple the work is one split, two comparisons
and a cached look-up; every distinct term is rewritten once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ._snapshot import RDF_TYPE, TYPE
from .errors import ExportError

__all__ = ["Turtle"]

# A conservative subset of Turtle's PN_LOCAL: what cannot be written like this stays <IRI>.
_LOCAL = rb"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_BARE = {  # datatypes whose canonical lexical forms Turtle writes without quotes
    f"<{_XSD}integer>".encode(): re.compile(rb'"[+-]?[0-9]+"'),
    f"<{_XSD}decimal>".encode(): re.compile(rb'"[+-]?[0-9]*\.[0-9]+"'),
    f"<{_XSD}boolean>".encode(): re.compile(rb'"(?:true|false)"'),
}


class Turtle:
    """Writes marked triples (contiguous per subject) as Turtle blocks with fixed prefixes."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        if not all(ns.endswith(("/", "#")) for ns in prefixes.values()):
            raise ExportError("Turtle prefixes must end with '/' or '#'")
        self.header = b"".join(f"@prefix {name}: <{ns}> .\n".encode() for name, ns in prefixes.items())
        self._prefix_of = {ns.encode(): f"{name}:".encode() for name, ns in prefixes.items()}
        # <namespace local>: a local part never holds '/' or '#', so at most one namespace fits
        # (the IRI's "directory", everything up to its last '/' or '#')
        namespaces = b"|".join(re.escape(ns) for ns in sorted(self._prefix_of, key=len, reverse=True))
        self._prefixed = re.compile(b"<(" + (namespaces or b"(?!)") + b")(" + _LOCAL + b")>").fullmatch
        #: subject or object token → Turtle text (IRIs, blank nodes, typed or tagged literals)
        self.objects: dict[bytes, bytes] = {TYPE: self.name(RDF_TYPE)}
        self._by_indent: dict[bytes, tuple[dict[bytes, bytes], dict[bytes, bytes]]] = {}

    def name(self, token: bytes) -> bytes:
        """An IRI token as a prefixed name where one fits, else as it is (also blank nodes)."""
        match = self._prefixed(token)
        return token if match is None else self._prefix_of[match[1]] + match[2]

    def _object(self, token: bytes) -> bytes:
        if token[0] != 34:  # not a literal
            out = self.name(token)
        else:
            end = token.rindex(b'"')
            if end + 1 == len(token) or token[end + 1] == 64:  # plain or language-tagged
                out = token
            else:
                datatype = token[end + 3:]
                bare = _BARE.get(datatype)
                out = (token[1:end] if bare is not None and bare.fullmatch(token, 0, end + 1)
                       else token[:end + 1] + b"^^" + self.name(datatype))
        self.objects[token] = out
        return out

    def blocks(self, triples: Iterable[bytes], indent: bytes = b"") -> bytes:
        """The blocks of marked ``triples`` (contiguous per subject); a triple equal to the one
        before is skipped."""
        objects, term, prefixed, prefix_of = self.objects, self._object, self._prefixed, self._prefix_of
        firsts, nexts = self._predicates(indent)
        out: list[bytes] = []
        add = out.append
        end = b" .\n\n"
        next_object = b",\n" + indent + b"        "
        previous = subject = last = b""
        for triple in triples:
            if triple == previous:
                continue
            previous = triple
            s, p, o = triple.split(b" ", 2)
            if o[-1] != 34:  # anything but a plain literal, which stays as it is
                o = objects.get(o) or term(o)
            if s != subject:
                if subject:
                    add(end)
                subject = s
                last = p
                add(indent)
                name = objects.get(s)
                if name is None:  # (self.name, inline: most subjects are new)
                    match = prefixed(s)
                    name = objects[s] = s if match is None else prefix_of[match[1]] + match[2]
                add(name)
                add(firsts.get(p) or self._predicate(p, indent))
            elif p != last:
                last = p
                add(nexts.get(p) or self._predicate(p, indent, first=False))
            else:
                add(next_object)
            add(o)
        if subject:
            add(end)
        return b"".join(out)

    def _predicates(self, indent: bytes) -> tuple[dict[bytes, bytes], dict[bytes, bytes]]:
        """predicate token → its text after a subject, and on a line of its own (cached)."""
        cached = self._by_indent.get(indent)
        if cached is None:
            cached = self._by_indent[indent] = ({}, {})
        return cached

    def _predicate(self, token: bytes, indent: bytes, *, first: bool = True) -> bytes:
        name = b"a" if token in (TYPE, RDF_TYPE) else self.name(token)
        firsts, nexts = self._predicates(indent)
        firsts[token] = b" " + name + b" "
        nexts[token] = b" ;\n" + indent + b"    " + name + b" "
        return firsts[token] if first else nexts[token]
