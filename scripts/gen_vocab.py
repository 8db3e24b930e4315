"""Regenerate src/portlod/vocab.py's PL class body from ontology/portlod.ttl.

Run: python scripts/gen_vocab.py   (tests/test_vocab.py fails when the two drift apart)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parents[1]
NS = "https://w3id.org/portlod/ontology#"


def ontology_terms() -> list[tuple[str, str]]:
    g = rdflib.Graph().parse(ROOT / "ontology" / "portlod.ttl")
    terms: dict[str, str] = {}
    for s in set(g.subjects()):
        if isinstance(s, rdflib.URIRef) and str(s).startswith(NS):
            label = g.value(s, rdflib.RDFS.label)
            terms[str(s)[len(NS):]] = str(label) if label else ""
    return sorted(terms.items(), key=lambda kv: (kv[0][0].islower(), kv[0]))


def render() -> str:
    lines = []
    for name, label in ontology_terms():
        lines.append(f"    {name}: URIRef  # {label}")
    return "\n".join(lines)


def main() -> int:
    vocab = ROOT / "src" / "portlod" / "vocab.py"
    text = vocab.read_text(encoding="utf-8")
    new = re.sub(r"(    # BEGIN GENERATED TERMS\n).*?(    # END GENERATED TERMS)",
                 lambda m: m.group(1) + render() + "\n" + m.group(2), text, flags=re.S)
    vocab.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
