"""Rows as a text table, JSON, CSV or TSV; and docs/questions.md, generated from the headers."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..errors import QueryError
from ..records import FuzzyDate
from ._values import Citation, Resource

__all__ = ["FORMATS", "format_rows", "render_questions_doc"]

FORMATS = ("text", "json", "csv", "tsv")


def _columns(rows: Sequence[Any]) -> list[str]:
    columns = getattr(rows, "columns", None)
    if columns:
        return list(columns)
    if rows and dataclasses.is_dataclass(rows[0]):
        return [f.name for f in dataclasses.fields(rows[0])]
    if rows and hasattr(rows[0], "_fields"):
        return list(rows[0]._fields)
    return []


def _values(row: Any, columns: list[str]) -> list[Any]:
    if dataclasses.is_dataclass(row):
        fields = [f.name for f in dataclasses.fields(row)]
        return [getattr(row, f) for f in fields]
    if isinstance(row, dict):
        return [row.get(c) for c in columns]
    return list(row)


def _date_text(d: FuzzyDate) -> str:
    if d.value and d.as_printed:
        return f"{d.value} ({d.as_printed})"
    return d.value or f"({d.as_printed})"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, FuzzyDate):
        return _date_text(value)
    if isinstance(value, tuple):
        return "; ".join(dict.fromkeys(_text(v) for v in value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _plain(value: Any) -> str:
    """A CSV/TSV cell: IRIs, dates at their precision, lists joined by spaces (IRIs) or ' | '."""
    if value is None:
        return ""
    if isinstance(value, Resource):
        return value.iri
    if isinstance(value, Citation):
        return value.graph or value.source.iri
    if isinstance(value, FuzzyDate):
        return value.value or ""
    if isinstance(value, tuple):
        sep = " " if all(isinstance(v, (Resource, Citation)) for v in value) else " | "
        return sep.join(_plain(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, Resource):
        return {"iri": value.iri, "label": value.label}
    if isinstance(value, Citation):
        return {"source": _json(value.source), "passage": value.passage, "paragraph": value.paragraph,
                "graph": value.graph}
    if isinstance(value, FuzzyDate):
        return {"value": value.value, "precision": value.precision, "as_printed": value.as_printed}
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def _cut(text: str, width: int | None) -> str:
    text = " ".join(text.split())
    if width is not None and len(text) > width:
        return text[:max(width - 1, 1)] + "…"
    return text


def format_rows(rows: Sequence[Any], fmt: str = "text", *, max_width: int | None = None) -> str:
    """Render rows (from :func:`ask` or :func:`query`) as ``text`` (an aligned table, labels
    shown), ``json`` (a list of objects; resources, dates and citations as objects), ``csv`` or
    ``tsv`` (IRIs and ISO dates). ``max_width`` cuts long text cells."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; the formats are {', '.join(FORMATS)}")
    columns = _columns(rows)
    table = [_values(r, columns) for r in rows]
    if fmt == "json":
        return json.dumps([dict(zip(columns, (_json(v) for v in r))) for r in table], ensure_ascii=False, indent=2)
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([_plain(v) for v in r] for r in table)
        else:
            out.write("\t".join(columns) + "\n")
            for r in table:
                out.write("\t".join(_plain(v).replace("\t", " ").replace("\n", " ") for v in r) + "\n")
        return out.getvalue()
    cells = [[_cut(_text(v), max_width) for v in r] for r in table]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(items: list[str]) -> str:
        return "  ".join(s.ljust(w) for s, w in zip(items, widths)).rstrip()

    lines = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    if not table:
        lines.append("(no rows)")
    return "\n".join(lines) + "\n"


def _example_call(name: str, example: tuple[tuple[str, str], ...]) -> str:
    args = "".join(f", {k + '_' if k in ('from',) else k}={v!r}" for k, v in example)
    return f'ask(ds, "{name}"{args})'


def render_questions_doc(dataset: object, *, max_rows: int = 12, max_width: int = 48) -> str:
    """docs/questions.md: every named question with its parameters, columns and an example
    answer over ``dataset`` (the seed data set), generated from the ``.rq`` headers."""
    from . import questions
    from ._backend import backend_for
    from ._run import ask_backend

    out = [
        "# Named questions",
        "",
        "<!-- Generated by portlod.queries.render_questions_doc(portlod.build(\"data\")); do not edit by hand.",
        "     tests/test_queries.py regenerates it and fails when it differs. -->",
        "",
        "Each question is a SPARQL file in `src/portlod/queries/` whose `#+` header gives its name,",
        "summary, parameters and columns. Ask one from Python with",
        "`portlod.queries.ask(data, name, **params)` (write `from_` for `from`), where `data` is a",
        "built `portlod.Dataset`, a `pyoxigraph.Store`, an `rdflib` graph or the URL of a SPARQL",
        "endpoint. Values are bound as parameters, never pasted into the query. Port parameters take a",
        "UN/LOCODE (`USLAX`), organizations, agreements and people their key; dates are written",
        "`2023-03-16`, `2023-03` or `2023`.",
        "",
        "Cells: resources show their label, dates their value at its precision with the phrase the",
        "source prints in brackets, sources the passages (`<source key> p<paragraph>`) that state the fact.",
        "",
    ]
    for q in questions():
        out.append(f"- [`{q.name}`](#{q.name}): {q.summary}")
    out.append("")
    for q in questions():
        out += [f"## {q.name}", "", q.summary, ""]
        if q.description:
            out += [q.description, ""]
        out += ["| parameter | type | required | description |", "| --- | --- | --- | --- |"]
        for p in q.parameters:
            required = "yes" if p.required else ("one of " + ", ".join(g for grp in q.one_of if p.name in grp for g in grp)
                                                 if any(p.name in grp for grp in q.one_of) else "no")
            extra = f" ({', '.join(p.choices)})" if p.choices else ""
            narrower = " and every narrower theme" if p.narrower else ""
            out.append(f"| `{p.name}` | {p.type} | {required} | {p.description}{narrower}{extra} |")
        out += ["", "| column | type | description |", "| --- | --- | --- |"]
        for c in q.columns:
            out.append(f"| `{c.name}` | {c.type} | {c.description} |")
        out.append("")
        if q.example is not None:
            rows = ask_backend(backend_for(dataset), q, dict(q.example))
            shown = type(rows)(rows[:max_rows], columns=rows.columns, question=rows.question)
            out += [f"Example, over the seed data set: `{_example_call(q.name, q.example)}`", "", "```text",
                    format_rows(shown, "text", max_width=max_width).rstrip("\n")]
            if len(rows) > max_rows:
                out.append(f"… {len(rows) - max_rows} more rows")
            out += ["```", ""]
    return "\n".join(out).rstrip("\n") + "\n"
