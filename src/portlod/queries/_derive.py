"""Steps that finish an answer in Python, over the few solutions a question's query returns.

SPARQL evaluates a sub-select on its own, before joining it: an aggregate written as one (the
most precise of the dates the sources give for each agreement, the latest status of each
corridor) is computed for every agreement or corridor of the data set, whatever was asked.
So these questions' queries return the facts the aggregate is made of, next to the matched
items, and a step declared in the ``.rq`` header (``derive:``) aggregates them here, per item;
the rows are then put in the query's ``ORDER BY`` again. This runs the same way for every
backend: the query, run anywhere, gives the same facts.

Each step reads variables of fixed names (documented per step) and adds others.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pyoxigraph as ox

from ._backend import Solution, Term

__all__ = ["STEPS", "derive", "sort_solutions"]

XSD = "http://www.w3.org/2001/XMLSchema#"


# -- dates ----------------------------------------------------------------------------------------

def _lo(text: str) -> str:
    """The first day a date at its precision can mean, as ``YYYY-MM-DD``."""
    return text + "-01-01" if len(text) == 4 else text + "-01" if len(text) == 7 else text[:10]


def _hi(text: str) -> str:
    """The last day it can mean (a month ends on its 31st: only compared, never shown)."""
    return text + "-12-31" if len(text) == 4 else text + "-31" if len(text) == 7 else text[:10]


def _claim(text: str, printed: str) -> str:
    """Claims sort most precise first, then by date, then by the phrase printed."""
    return ("2" if len(text) == 4 else "1" if len(text) == 7 else "0") + text + "|" + printed


def _text(term: Term | None) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def _later(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a > b


def _earlier(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a < b


def _either(a: str | None, b: str | None) -> str | None:
    return a if a is not None else b


class _Dated:
    """What the sources say about when one item happened: the dates they give (with the phrase
    printed), and the spans of the events it happened during."""

    def __init__(self) -> None:
        self.claims: dict[tuple[Term | None, ...], set[str]] = {}
        self.status: dict[tuple[Term | None, ...], set[str]] = {}
        self.starts: dict[Term, set[str]] = {}
        self.ends: dict[Term, set[str]] = {}

    def add(self, s: Solution, graph: str) -> None:
        for name, printed, claims in (("claim", "claim_as_printed", self.claims),
                                      ("status_claim", "status_claim_as_printed", self.status)):
            claim = s.get(name)
            if isinstance(claim, ox.Literal):  # a claim is its date in a graph (for a status: of an assertion)
                key = (s.get(graph), s.get("assertion"), claim)
                phrases = claims.get(key)
                if phrases is None:
                    phrases = claims[key] = set()
                phrases.add(_text(s.get(printed)) or "")
        during = s.get("during")
        if during is not None:
            start, end = _text(s.get("during_start")), _text(s.get("during_end"))
            if start is not None:
                self.starts.setdefault(during, set()).add(start)
            if end is not None:
                self.ends.setdefault(during, set()).add(end)

    def judge(self, qlo: str, qhi: str) -> tuple[str | None, str | None, str | None, str]:
        """(the most precise date given, its phrase, the first day it can mean, the certainty that
        it lies within qlo..qhi: within, overlaps, disputed, outside or unknown)."""
        claims = _phrased(self.claims)
        if self.status:  # of the statuses reported, only the first counts
            status = _phrased(self.status)
            first = min(_lo(d) for d, _ in status)
            claims |= {c for c in status if _lo(c[0]) == first}
        best = min(_claim(d, p) for d, p in claims) if claims else None
        los, his = [_lo(d) for d, _ in claims], [_hi(d) for d, _ in claims]
        ilo, ihi = max(los, default=None), min(his, default=None)
        hlo, hhi = min(los, default=None), max(his, default=None)
        events = [e for e in self.starts if e in self.ends]
        evlo = max((_lo(d) for e in events for d in self.starts[e]), default=None)
        evhi = min((_hi(d) for e in events for d in self.ends[e]), default=None)
        # the dates given and the event's span: where they all hold, or else the span of them all
        alo = evlo if _later(evlo, ilo) else _either(ilo, evlo)
        ahi = evhi if _earlier(evhi, ihi) else _either(ihi, evhi)
        slo = evlo if _earlier(evlo, hlo) else _either(hlo, evlo)
        shi = evhi if _later(evhi, hhi) else _either(hhi, evhi)
        value = printed = None
        if best is not None:
            value, printed = best[1:].split("|", 1)
        if alo is None or ahi is None or slo is None or shi is None:
            return value, printed, None, "unknown"
        consistent = alo <= ahi
        elo, ehi = (alo, ahi) if consistent else (slo, shi)
        if elo >= qlo and ehi <= qhi:
            certainty = "within"
        elif elo <= qhi and ehi >= qlo:
            certainty = "overlaps" if consistent else "disputed"
        else:
            certainty = "outside"
        return value, printed, elo, certainty


def _phrased(claims: dict[tuple[Term | None, ...], set[str]]) -> set[tuple[str, str]]:
    """(date, phrase) of each claim: the phrases printed with it, or else none ("")."""
    out = set()
    for key, phrases in claims.items():
        date = key[-1].value if key[-1] is not None else ""
        out |= {(date, p) for p in (phrases - {""} or {""})}
    return out


def _range(bound: Mapping[str, Term]) -> tuple[str, str]:
    """The asked year, month or day, or from/to range, as first and last day."""
    start = bound.get("year") or bound.get("from")
    end = bound.get("year") or bound.get("to")
    return (_lo(start.value) if start is not None else "0000-01-01",
            _hi(end.value) if end is not None else "9999-12-31")


_DATE_INPUTS = frozenset({"claim", "claim_as_printed", "claim_graph", "status_claim", "status_claim_as_printed",
                          "during", "during_start", "during_end"})
_CERTAINTY = {c: ox.Literal(c) for c in ("within", "overlaps", "disputed", "unknown")}
_PRECISION = {4: ox.Literal("year"), 7: ox.Literal("month")}
_DAY = ox.Literal("day")
_DATATYPE = {4: ox.NamedNode(XSD + "gYear"), 7: ox.NamedNode(XSD + "gYearMonth")}
_XSD_DATE = ox.NamedNode(XSD + "date")


def _date_term(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=_DATATYPE.get(len(value), _XSD_DATE))


def _derived(judged: tuple[str | None, str | None, str | None, str], date: str) -> Solution | None:
    """What the step adds to the rows of an item judged so (None: the item is left out)."""
    value, printed, elo, certainty = judged
    if certainty == "outside":
        return None
    added: Solution = {"certainty": _CERTAINTY[certainty]}
    if value is not None:
        added[date] = _date_term(value)
        added["precision"] = _PRECISION.get(len(value), _DAY)
        if printed:
            added[date + "_as_printed"] = ox.Literal(printed)
    if elo is not None:
        added["elo"] = ox.Literal(elo)
    return added


def dates(solutions: list[Solution], bound: Mapping[str, Term], *, per: Iterable[str], date: str,
          graph: str = "claim_graph", rows: Iterable[str] = ()) -> list[Solution]:
    """The date of each item (the solutions equal in the variables ``per``) from everything its
    sources say: ``?claim`` (a date a source gives in graph ``?<graph>``, ``?claim_as_printed``
    its phrase there: a solution with the date alone counts only when no other gives a phrase),
    ``?status_claim`` (the date of a reported status ``?assertion``: only the first reported
    counts, with ``?status_claim_as_printed``) and ``?during_start``/``?during_end`` (the span of
    the event ``?during`` it happened during).

    Sets ``?<date>`` (the most precise date given, typed by its precision) and
    ``?<date>_as_printed``, ``?precision`` (day, month or year), ``?elo`` (the first day it can
    mean: where all dates given and the event's span agree, or else the span of them all) and
    ``?certainty`` (compared with the parameters ``year``, ``from`` and ``to``: ``within``,
    ``overlaps``, ``disputed`` when the sources disagree, or ``unknown`` without any date);
    items ``outside`` the asked range are left out. Each solution gives a row without the
    variables read here (the variables ``per`` are not among them); with ``rows``, only the
    solutions that bind all of those variables do, and the others only date their item (so that
    a query can fetch the dates of an item once, apart from the item's rows)."""
    keys = tuple(per)
    needed = tuple(rows)
    items: dict[tuple[Term | None, ...], _Dated] = {}
    kept: list[tuple[tuple[Term | None, ...], Solution]] = []
    for s in solutions:
        key = tuple(s.get(k) for k in keys)
        item = items.get(key)
        if item is None:
            item = items[key] = _Dated()
        if "claim" in s or "status_claim" in s or "during" in s:
            item.add(s, graph)
        if all(name in s for name in needed):
            kept.append((key, s))
    qlo, qhi = _range(bound)
    derived = {key: _derived(item.judge(qlo, qhi), date) for key, item in items.items()}
    out = []
    seen: set[tuple[tuple[Term | None, ...], frozenset[tuple[str, Term]]]] = set()
    for key, s in kept:
        added = derived[key]
        if added is None:
            continue
        row = {k: v for k, v in s.items() if k not in _DATE_INPUTS}
        shown = (key, frozenset(row.items()))
        if shown in seen:
            continue
        seen.add(shown)
        row.update(added)
        out.append(row)
    return out


# -- the latest status ------------------------------------------------------------------------------

_STATUS_INPUTS = ("assertion", "assertion_status", "assertion_date", "assertion_as_printed", "assertion_graph")


def latest_status(solutions: list[Solution], bound: Mapping[str, Term], *, per: Iterable[str]) -> list[Solution]:
    """The latest status reported of each item (the solutions equal in ``per``): of the status
    assertions ``?assertion`` with a status ``?assertion_status`` in graph ``?assertion_graph``,
    dated ``?assertion_date`` there (``?assertion_as_printed`` its phrase), the latest date
    first, then the most precise, then the assertion's IRI.

    The solutions that report assertions are replaced by the latest one's; it sets ``?status``,
    ``?status_date`` (and ``_as_printed``) and ``?status_sources`` (the graph that states it),
    and every other solution of the item gets its ``?status`` and ``?status_date``."""
    keys = tuple(per)
    best: dict[tuple[Term | None, ...], str] = {}
    for s in solutions:
        a = s.get("assertion")
        if a is None or s.get("assertion_status") is None:
            continue
        d = _text(s.get("assertion_date"))
        key = ((_lo(d) if d is not None else "0000-00-00")
               + ("0" if d is None else "1" if len(d) == 4 else "2" if len(d) == 7 else "3") + "|" + a.value)
        item = tuple(s.get(k) for k in keys)
        if key > best.get(item, ""):
            best[item] = key
    latest: dict[tuple[Term | None, ...], list[Solution]] = {}
    for s in solutions:
        item = tuple(s.get(k) for k in keys)
        a = s.get("assertion")
        if a is not None and s.get("assertion_status") is not None and item in best \
                and a.value == best[item].split("|", 1)[1]:
            reported: Solution = {"status": s["assertion_status"], "status_sources": s["assertion_graph"]}
            for name, var in (("status_date", "assertion_date"), ("status_date_as_printed", "assertion_as_printed")):
                if var in s:
                    reported[name] = s[var]
            latest.setdefault(item, []).append(reported)
    out = []
    first: dict[tuple[Term | None, ...], Solution] = {}
    for s in solutions:
        if s.get("assertion") is None:
            item = tuple(s.get(k) for k in keys)
            row = {k: v for k, v in s.items() if k not in _STATUS_INPUTS}
            first.setdefault(item, row)
            statuses = _distinct([{k: v for k, v in r.items() if k != "status_sources"} for r in latest.get(item, ())])
            out += [{**row, **status} for status in statuses] if statuses else [row]
    for item, reports in latest.items():  # the passages that state the latest status, on the item's first solution
        row = first.get(item) or {k: v for k, v in zip(keys, item) if v is not None}
        out += [{**row, **report} for report in reports]
    return _distinct(out)


# -- where sources disagree ------------------------------------------------------------------------

def differences(solutions: list[Solution], bound: Mapping[str, Term]) -> list[Solution]:
    """Pairs of sources whose sets of values of a property differ. Reads facts: ``?value`` of
    ``?predicate`` stated by ``?source`` (its title ``?source_label``), of ``?kind`` "values
    differ" (a fact of ``?subject``) or "alternative accounts" (of ``?subject`` when
    ``?ofSubject``, else of ``?account``; ``?forward`` when ``?subject`` names ``?account`` its
    alternative account, else the other way). The account that names the other is side a; a value
    that is part of the account stating it (its IRI starts with the account's) is not compared.

    Gives a solution per value of each pair, with ``?kind``, ``?predicate``, ``?subject_a``,
    ``?source_a``, ``?subject_b``, ``?source_b``, ``?values_a`` or ``?values_b``, and ``?only_a``
    or ``?only_b`` when the other source does not give it. For the same resource the sources are
    paired in the order of their IRIs."""
    titles: dict[Term, Term] = {}
    # (kind, subject a, subject b, predicate) -> side -> source -> values
    stated: dict[tuple[str, Term, Term, Term], tuple[dict[Term, list[Term]], dict[Term, list[Term]]]] = {}
    for s in solutions:
        kind_term, subject, predicate, value, source = (s.get("kind"), s.get("subject"), s.get("predicate"),
                                                       s.get("value"), s.get("source"))
        if kind_term is None or subject is None or predicate is None or value is None or source is None:
            continue
        kind = kind_term.value
        if "source_label" in s:
            titles[source] = s["source_label"]
        if kind == "values differ":
            a = b = subject
            side = 0
        else:
            account = s.get("account")
            if account is None:
                continue
            forward = s.get("forward", ox.Literal("false")).value == "true"
            of_subject = s.get("ofSubject", ox.Literal("false")).value == "true"
            a, b = (subject, account) if forward else (account, subject)
            own = subject if of_subject else account
            if value.value.startswith(own.value + "/"):
                continue  # a part of the account
            side = 0 if (own == a) else 1
        values = stated.setdefault((kind, a, b, predicate), ({}, {}))[side].setdefault(source, [])
        if value not in values:
            values.append(value)
    out: list[Solution] = []
    for (kind, a, b, predicate), (side_a, side_b) in stated.items():
        sets_a = {source: frozenset(values) for source, values in side_a.items()}
        if kind == "values differ":
            if len(set(sets_a.values())) < 2:
                continue  # every source gives the same values (the common case: no pair to look at)
            sources = sorted(side_a, key=lambda t: t.value)
            pairs = [(x, y) for i, x in enumerate(sources) for y in sources[i + 1:]
                     if sets_a[x] != sets_a[y] and x.value < y.value]
            side_b, sets_b = side_a, sets_a
        else:
            sets_b = {source: frozenset(values) for source, values in side_b.items()}
            pairs = [(x, y) for x in side_a for y in side_b if sets_a[x] != sets_b[y]]
        label = ox.Literal(kind)
        for source_a, source_b in pairs:
            set_a, set_b = sets_a[source_a], sets_b[source_b]
            pair: Solution = {"kind": label, "predicate": predicate, "subject_a": a, "subject_b": b,
                              "source_a": source_a, "source_b": source_b}
            for name, source in (("source_a_label", source_a), ("source_b_label", source_b)):
                if source in titles:
                    pair[name] = titles[source]
            for value in side_a[source_a]:
                out.append({**pair, "values_a": value} if value in set_b else {**pair, "values_a": value, "only_a": value})
            for value in side_b[source_b]:
                out.append({**pair, "values_b": value} if value in set_a else {**pair, "values_b": value, "only_b": value})
    return out


# -- the steps, and the order ---------------------------------------------------------------------

def _distinct(solutions: list[Solution]) -> list[Solution]:
    seen: dict[frozenset[tuple[str, Term]], Solution] = {}
    for s in solutions:
        seen.setdefault(frozenset(s.items()), s)
    return list(seen.values())


Step = Callable[..., list[Solution]]
STEPS: dict[str, Step] = {"dates": dates, "differences": differences, "latest-status": latest_status}


def derive(steps: Iterable[tuple[str, Iterable[tuple[str, Any]]]], solutions: list[Solution],
           bound: Mapping[str, Term]) -> list[Solution]:
    for name, settings in steps:
        solutions = STEPS[name](solutions, bound, **dict(settings))
    return solutions


_NUMERIC = frozenset({XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float"})


def _term_key(term: Term | None) -> tuple[Any, ...]:
    """SPARQL's ORDER BY: unbound first, then blank nodes, IRIs, literals (numbers by value)."""
    if term is None:
        return (0,)
    if isinstance(term, ox.NamedNode):
        return (2, term.value)
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    datatype = term.datatype
    dt = datatype.value if datatype is not None else ""
    if dt in _NUMERIC:
        try:
            number = float(term.value)
        except ValueError:
            number = math.nan
        if number == number:  # (a NaN, or what is no number, sorts as text: it compares with nothing)
            return (3, "", number, term.value, dt)  # (equal numbers written apart: by their text)
    return (3, term.value, 0.0, dt, term.language or "")


class _Desc:
    __slots__ = ("key",)

    def __init__(self, key: tuple[Any, ...]) -> None:
        self.key = key

    def __lt__(self, other: _Desc) -> bool:
        return other.key < self.key

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and other.key == self.key


def sort_solutions(solutions: list[Solution], order: Iterable[tuple[str, bool]]) -> list[Solution]:
    """The solutions in the order of ``order`` ((variable, descending) pairs); solutions that tie
    on every one of them in the order of their other variables (by name), so that the rows do not
    follow the store's order, which differs between stores holding the same data."""
    order = tuple(order)
    asked = {v for v, _ in order}
    order += tuple((v, False) for v in sorted({v for s in solutions for v in s} - asked))
    keys: dict[Term, tuple[Any, ...]] = {}  # the key of each term, made once

    def term_key(term: Term | None) -> tuple[Any, ...]:
        if term is None:
            return (0,)
        found = keys.get(term)
        if found is None:
            found = keys[term] = _term_key(term)
        return found

    def key(s: Solution) -> tuple[Any, ...]:
        return tuple([_Desc(term_key(s.get(v))) if desc else term_key(s.get(v)) for v, desc in order])

    return sorted(solutions, key=key)
