"""Where sources can disagree, noted while the build writes: the properties of a resource that
more than one source states, with values that are not the same in every fact graph stating them.

The build records each in the metadata graph as ``<resource> pl:sourcesDifferOn <property>``;
the conflicts question then reads those statements only, not every statement of the data set.
A property whose graphs all give the same values is not recorded (a role restated in many
articles); one whose sources complement each other (one gives a party, another two) is, and
the question compares their sets of values and shows only those that differ.
"""

from __future__ import annotations

from ._nquads import V

__all__ = ["NOT_COMPARED", "SKIPPED", "Accounts", "Prints", "state"]

#: How a source words or prints things, and its own nodes (statuses as asserted, quotations): not
#: compared. The same list as the FILTERs of queries/conflicts.rq (a test keeps them equal).
NOT_COMPARED = ("rdfs:label", "skos:altLabel", "skos:note", "dateAsPrinted", "roleAsPrinted", "attestedOn",
                "excerpt", "summary", "statusAssertion", "alternativeAccountOf", "statedIn")

#: Their N-Quads terms.
SKIPPED = frozenset(V[name] for name in NOT_COMPARED)

#: What one fact graph states: (subject, predicate) N-Quads terms → the object, or the set of
#: objects when it gives several (a graph may state the same statement twice).
Prints = dict[tuple[str, str], str | set[str]]


def state(prints: Prints, key: tuple[str, str], o: str) -> None:
    """Note that the graph states ``key`` with object ``o``."""
    old = prints.get(key)
    if old is None:
        prints[key] = o
    elif isinstance(old, str):
        if old != o:
            prints[key] = {old, o}
    else:
        old.add(o)


class Accounts:
    """For each resource and property (as N-Quads terms): the first source that states it, the
    fingerprint of the values its first graph gives, whether another source states it too and
    whether some graph gives other values. The builder fills a :data:`Prints` per fact graph
    (with :func:`state`) and hands it over when the graph is done.

    The fingerprint of a set of values is the sum of their hashes: two different sets could give
    the same sum (a chance of about 2⁻⁶⁴) and so hide a disagreement; keeping the values instead
    would hold every first value of the data set while it is built."""

    __slots__ = ("_first", "_several", "_varied")

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], tuple[str, int]] = {}
        self._several: set[tuple[str, str]] = set()  # stated by more than one source
        self._varied: set[tuple[str, str]] = set()  # not stated with the same values in every graph

    def note_graph(self, source: str, prints: Prints) -> None:
        """Note what one fact graph of ``source`` states."""
        first, several, varied = self._first, self._several, self._varied
        for key, values in prints.items():
            # the same number for the same set of values (inlined: this runs once per statement)
            fingerprint = hash(values) if values.__class__ is str else sum(map(hash, values))
            seen = first.get(key)
            if seen is None:
                first[key] = (source, fingerprint)
                continue
            if seen[0] != source:
                several.add(key)
            if seen[1] != fingerprint:
                varied.add(key)

    def differing(self) -> list[tuple[str, str]]:
        """The (subject, property) pairs whose sources may disagree, sorted."""
        return sorted(self._several & self._varied)
