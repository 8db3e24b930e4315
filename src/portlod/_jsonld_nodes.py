"""The writer behind :meth:`portlod.jsonld.Compactor.nodes`: marked triples in canonical order
(:mod:`portlod._snapshot`) → compacted node objects, as JSON text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from ._snapshot import RDF_TYPE as RDF_TYPE_TOKEN
from ._snapshot import TYPE
from .jsonld import RDF_TYPE, XSD_STRING, Compactor, _json

__all__ = ["NodeWriter"]

_SEP = b", "
# what a predicate's values need, by the kind of its term
_TYPE, _ID, _VOCAB, _LANGUAGE, _DATATYPE, _PLAIN, _NONE = range(7)
_KINDS = {"id": _ID, "vocab": _VOCAB, "language": _LANGUAGE, "datatype": _DATATYPE, "plain": _PLAIN}
_XSD_STRING_TOKEN = f"<{XSD_STRING}>".encode()
_BRACKETS_TO_QUOTES = bytes.maketrans(b"<>", b'""')

# How the values of one predicate are written (see NodeWriter._predicate):
# (key: separator and key for values that fit the term,
#  fallback: ... for values that do not (the property's compact IRI),
#  is_set: fitting values are always an array,
#  suffix: a fitting literal ends with this ('"@en', '"^^<datatype>'), b"" if none,
#  cut: the slice end that removes the suffix but its quote,
#  plain: literals fit as they are (a term without type or language),
#  iris: IRI token → JSON value (a cache shared by the predicates alike),
#  iris_fit: IRI values fit the term)
_Predicate = tuple[bytes, bytes, bool, bytes, int, bool, dict[bytes, bytes], bool]


def _starts_with_any(prefixes: list[bytes]) -> Callable[[bytes], object]:
    """A test whether bytes start with one of ``prefixes``: one regex whose alternatives share
    their common beginnings, so that it fails after a few bytes."""
    def trie(words: list[bytes]) -> bytes:
        rest = [w for w in words if w]
        groups: dict[bytes, list[bytes]] = {}
        for word in rest:
            groups.setdefault(word[:1], []).append(word[1:])
        alternatives = [re.escape(head) + trie(tails) for head, tails in sorted(groups.items())]
        body = alternatives[0] if len(alternatives) == 1 else b"(?:" + b"|".join(alternatives) + b")"
        return (b"(?:" + body + b")?" if len(rest) < len(words) else body) if rest else b""
    return re.compile(trie(prefixes)).match if prefixes else re.compile(b"(?!)").match


class NodeWriter:
    """Turns marked triples (contiguous per subject, types first: see :mod:`portlod._snapshot`)
    into compacted node objects.

    Literal lexical forms are copied from N-Triples into JSON as they are: oxigraph escapes
    exactly ``\\b \\t \\n \\f \\r \\" \\\\`` and other control characters as ``\\uXXXX`` (never
    ``\\U`` or ``\\'``), all of which JSON reads the same way; the tests check this over all of
    Unicode. Per triple the work is one split, two comparisons and a cached look-up or a suffix
    test: the predicate decides the rest.
    """

    #: arrays longer than this are written one value per line
    WRAP = 100

    def __init__(self, c: Compactor, indent: int) -> None:
        self.c = c
        pad = b" " * indent
        self.open = b",\n" + pad + b"{\n" + pad + b"  "
        self.close = b"\n" + pad + b"}"
        self.id_key = _json(c.key_id) + b": "
        self.key_sep = b",\n" + pad + b"  "
        self.wrap = b",\n" + pad + b"    "
        self.wrap_open = b"[\n" + pad + b"    "
        self.wrap_close = b"\n" + pad + b"  ]"
        self.value_open = b"{" + _json(c.key_value) + b": "
        self.lang_sep = b", " + _json(c.key_language) + b": "
        self.typed_open = b"{" + _json(c.key_type) + b": "
        self.value_sep = b", " + _json(c.key_value) + b": "
        self.id_open = b"{" + _json(c.key_id) + b": "
        self.preds: dict[bytes, _Predicate] = {}
        self.ids: dict[bytes, bytes] = {}       # IRI token → JSON string, vocab=False
        self.vocab: dict[bytes, bytes] = {}     # IRI token → JSON string, vocab=True
        self.nodes: dict[bytes, bytes] = {}     # IRI token → {"id": JSON string}
        # an IRI token that starts with a prefix's namespace (it may have a compact form) or
        # with a prefix and a colon (it cannot be written: compact_iri raises)
        self.needs_work = _starts_with_any([f"<{ns}".encode() for _, ns in c.prefixes]
                                           + [f"<{name}:".encode() for name, _ in c.prefixes])
        self.term_tokens = {f"<{iri}>".encode() for iri in c.by_iri}

    def _predicate(self, token: bytes) -> _Predicate:
        iri = (RDF_TYPE_TOKEN if token == TYPE else token)[1:-1].decode("utf-8")
        term = self.c.by_iri.get(iri)
        fallback = self.key_sep + _json(self.c.property_key(iri)) + b": "
        kind = _TYPE if iri == RDF_TYPE else _NONE if term is None else _KINDS[term.kind]
        # marked rdf:type comes first in a node (see write)
        key = (_json(self.c.key_type) + b": " if token == TYPE else
               self.key_sep + _json(self.c.key_type) + b": " if kind == _TYPE else
               fallback if term is None else self.key_sep + _json(term.name) + b": ")
        suffix = b""
        if term is not None and kind == _LANGUAGE:
            suffix = f'"@{term.language}'.encode()
        elif term is not None and kind == _DATATYPE:
            suffix = f'"^^<{term.datatype}>'.encode()
        iris = self.vocab if kind in (_TYPE, _VOCAB) else self.ids if kind == _ID else self.nodes
        info = (key, fallback, term is not None and term.is_set and kind != _TYPE, suffix, 1 - len(suffix),
                kind == _PLAIN, iris,
                kind in (_TYPE, _ID, _VOCAB, _PLAIN))
        self.preds[token] = info
        return info

    def _iri(self, token: bytes, iris: dict[bytes, bytes]) -> bytes:
        """An IRI or blank node token as the JSON value that ``iris`` caches."""
        if iris is self.nodes:
            out = self.id_open + (self.ids.get(token) or self._iri(token, self.ids)) + b"}"
        else:
            out = self._compact(RDF_TYPE_TOKEN if token == TYPE else token, iris is self.vocab)
        iris[token] = out
        return out

    def _compact(self, token: bytes, vocab: bool) -> bytes:
        if token[0] == 95:  # a blank node
            return b'"' + token + b'"'
        if (self.needs_work(token) is None and not (vocab and token in self.term_tokens)
                and b'"' not in token and b"\\" not in token):
            return token.translate(_BRACKETS_TO_QUOTES)  # <IRI> → "IRI" (an IRI holds no < or >)
        return _json(self.c.compact_iri(token[1:-1].decode("utf-8"), vocab=vocab))

    def write(self, triples: Iterable[bytes]) -> Iterator[bytes]:
        """Node objects, comma-separated; keys follow the triples' predicate order, values the
        triples' object order; a triple equal to the one before is skipped.

        ``type`` comes first, in node and value objects, then ``id``: the order of Streaming
        JSON-LD, which a processor reads without buffering (:func:`portlod.formats.load` does)."""
        preds, ids = self.preds, self.ids
        literal, iri, predicate, compact = self._literal, self._iri, self._predicate, self._compact
        finish = self._finish
        open_node, close, id_key = self.open, self.close, self.id_key
        out: list[bytes] = []
        add = out.append
        skip = 1  # the first node has no leading comma
        previous = subject = last_p = b""
        fits = first = 0           # the current predicate's fitting values: out[first:]
        misfits: list[bytes] = []  # its values that do not fit its term (for the fallback key)
        node_id = b""              # the node's id, while its types are being written
        dirty = False              # the predicate needs more than its key and one value
        key = fallback = suffix = b""
        is_set = plain = iris_fit = False
        iris: dict[bytes, bytes] = {}
        cut = 0
        for triple in triples:
            if triple == previous:
                continue
            previous = triple
            s, p, o = triple.split(b" ", 2)
            if p != last_p or s != subject:
                if dirty:  # finish the predicate before
                    finish(out, first, fits, is_set, node_id, misfits, fallback)
                    node_id, misfits, dirty = b"", [], False
                fits = 0
                if s != subject:
                    if subject:
                        add(close)
                        if len(out) >= 65536:
                            yield b"".join(out)[skip:]
                            skip = 0
                            out.clear()
                    add(open_node)
                    node = ids.get(s)
                    if node is None:  # (self._iri, inline: most subjects are new)
                        node = ids[s] = compact(s, False)
                    if p == TYPE:
                        node_id = node
                        dirty = True
                    else:
                        add(id_key + node)
                    subject = s
                if p != last_p:
                    last_p = p
                    key, fallback, is_set, suffix, cut, plain, iris, iris_fit = preds.get(p) or predicate(p)
                if is_set:
                    dirty = True
            if o[0] == 34:  # a literal
                if suffix and o.endswith(suffix):  # fits a @language or @type term
                    o = o[:cut]
                elif plain:
                    o = literal(o)
                else:
                    misfits.append(literal(o))
                    dirty = True
                    continue
            elif iris_fit:
                o = iris.get(o) or iri(o, iris)
            else:
                misfits.append(iris.get(o) or iri(o, iris))
                dirty = True
                continue
            if not fits:
                add(key)
            elif fits == 1:
                first = len(out) - 1
                dirty = True
            add(o)
            fits += 1
        if subject:
            finish(out, first, fits, is_set, node_id, misfits, fallback)
            add(close)
        if out:
            yield b"".join(out)[skip:]

    def _finish(self, out: list[bytes], first: int, fits: int, is_set: bool, node_id: bytes,
                misfits: list[bytes], fallback: bytes) -> None:
        """Close a predicate whose values need more than its key and one value: its fitting values
        ``out[first:]`` as an array (a set's single value too), the node's ``id`` after its types,
        and the values that do not fit its term under the fallback key."""
        if fits > 1:
            out[first:] = [self._array(out[first:])]
        elif fits and is_set:
            out[-1] = self._array(out[-1:])
        if node_id:
            out.append(self.key_sep + self.id_key + node_id if fits else self.id_key + node_id)
        if misfits:
            out.append(fallback + misfits[0] if len(misfits) == 1 else fallback + self._array(misfits))

    def _array(self, values: list[bytes]) -> bytes:
        text = _SEP.join(values)
        if len(text) <= self.WRAP:
            return b"[" + text + b"]"
        return self.wrap_open + self.wrap.join(values) + self.wrap_close

    def _literal(self, o: bytes) -> bytes:
        """A literal as a JSON string (``xsd:string``) or a value object."""
        if o[-1] == 34:  # xsd:string
            return o
        end = o.rindex(b'"')
        lexical = o[:end + 1]
        if o[end + 1] == 64:  # '@': language
            return self.value_open + lexical + self.lang_sep + b'"' + o[end + 2:] + b'"}'
        datatype = o[end + 3:]  # ^^<...>
        if datatype == _XSD_STRING_TOKEN:
            return lexical
        return (self.typed_open + (self.vocab.get(datatype) or self._iri(datatype, self.vocab)) + self.value_sep
                + lexical + b"}")
