"""The ``portlod`` command line. Thin: parses arguments, calls the library, prints, and maps
errors to exit codes: 0 ok, 1 the data does not conform to the shapes, 2 bad input or usage."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .errors import PortlodError, SourceError

EXIT_OK, EXIT_NONCONFORMANT, EXIT_BAD_INPUT = 0, 1, 2
DATA_HELP = "Source folder (YAML) or an exported file (.nq, .trig, .ttl, .nt, .jsonld)."
FORMAT_CHOICES = ("ttl", "nt", "jsonld", "trig", "nq")


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn the library's errors into one clear message each and exit 2; never a traceback."""
    try:
        yield
    except SourceError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        errors = sum(p.severity == "error" for p in exc.problems)
        _fail(f"{errors} error{'s' if errors != 1 else ''} in the input; nothing was written")
    except PortlodError as exc:
        _fail(str(exc))


def _warn(dataset: Any) -> None:
    for problem in getattr(dataset, "warnings", ()):
        click.echo(str(problem), err=True)


class _Steps:
    """Shows the steps of a long job on a terminal; silent in a pipe."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()

    def __call__(self, step: str) -> None:
        if self.live:
            click.echo(f"portlod: {step}...", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="portlod")
def main() -> None:
    """portlod: linked data about how seaports cooperate.

    Exit codes: 0 ok, 1 the data does not conform to the shapes, 2 bad input or usage.
    """


@main.command()
@click.argument("data", default="data", type=click.Path(path_type=Path))
@click.option("-o", "--out", default="dist", show_default=True, type=click.Path(path_type=Path),
              help="Folder to write the data set and the validation report into.")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMAT_CHOICES),
              help="Formats to write (repeatable; default all).")
def build(data: Path, out: Path, formats: Sequence[str]) -> None:
    """Build DATA, validate it and export every format into OUT (the main job)."""
    from .pipeline import publish

    with _errors():
        result = publish(data, out, formats=formats or FORMAT_CHOICES, on_progress=_Steps())
    _warn(result.dataset)
    report = result.report
    click.echo(f"built {len(result.dataset.union())} triples in {len(result.dataset.fact_graphs())} fact graphs "
               f"from {data}")
    click.echo(f"validation: {'conforms' if report.conforms else 'DOES NOT CONFORM'} "
               f"({len(report.violations)} violations, {len(report.warnings)} warnings)")
    for name, path in result.files.items():
        click.echo(f"  {name:12} {path}")
    if not report.conforms:
        click.echo(report.text(), err=True)
        click.echo(f"error: the data does not conform; nothing was exported (report in {out})", err=True)
        sys.exit(EXIT_NONCONFORMANT)
    click.echo(f"wrote {len(result.files)} files to {out}/")


@main.command()
@click.argument("data", default="data", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def validate(data: Path, as_json: bool) -> None:
    """Validate DATA against the SHACL shapes. Exit 0 conforms, 1 does not, 2 bad input."""
    from .pipeline import open_dataset
    from .validate import validate as run

    with _errors():
        dataset = open_dataset(data)
        report = run(dataset)
    _warn(dataset)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True))
    else:
        click.echo(report.text())
    sys.exit(EXIT_OK if report.conforms else EXIT_NONCONFORMANT)


@main.command()
@click.argument("data", default="data", type=click.Path(path_type=Path))
@click.option("-o", "--out", default="dist", show_default=True, type=click.Path(path_type=Path),
              help="Folder to write into.")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMAT_CHOICES),
              help="Formats to write (repeatable; default all).")
@click.option("--inferred/--no-inferred", default=False, help="Reason first and include the entailments.")
def export(data: Path, out: Path, formats: Sequence[str], inferred: bool) -> None:
    """Export DATA as Turtle, N-Triples, JSON-LD (with context), TriG and N-Quads into OUT."""
    from .formats import export as run
    from .pipeline import open_dataset
    from .reason import reason

    with _errors():
        dataset = open_dataset(data)
        if inferred:
            reason(dataset)
        files = run(dataset, out, formats=formats or FORMAT_CHOICES, inferred=inferred)
    _warn(dataset)
    for name, path in files.items():
        click.echo(f"  {name:8} {path}")


@main.command()
@click.argument("data", default="data", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def stats(data: Path, as_json: bool) -> None:
    """Count triples, fact graphs, resources per class and facts per source."""
    from .pipeline import open_dataset, stats as compute

    with _errors():
        result = compute(open_dataset(data))
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, sort_keys=True))
        return
    click.echo(f"triples (union)  {result.triples}\nquads            {result.quads}\nfact graphs      {result.fact_graphs}")
    click.echo("\nresources per class:")
    for cls, n in sorted(result.per_class.items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {n:6}  {cls}")
    click.echo("\nfacts per source:")
    for source, counts in result.per_source.items():
        click.echo(f"  {counts['facts']:6}  {source}  ({counts['graphs']} graphs)")


@main.command()
@click.argument("sparql")
@click.option("-d", "--data", default="data", show_default=True, type=click.Path(path_type=Path), help=DATA_HELP)
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "json", "csv", "tsv"]))
def query(sparql: str, data: Path, fmt: str) -> None:
    """Run any SPARQL query over the data (facts of all graphs as the default graph).

    SPARQL is the query text, or @FILE to read it from a file.
    """
    from .pipeline import open_dataset
    from .queries import format_rows, query as run

    if sparql.startswith("@"):
        try:
            sparql = Path(sparql[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot read the query file {sparql[1:]}: {exc.strerror}")
    with _errors():
        rows = run(open_dataset(data), sparql)
        click.echo(format_rows(rows, "text" if fmt == "table" else fmt), nl=False)


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the named questions and their parameters.")
@click.option("-d", "--data", default="data", show_default=True, type=click.Path(path_type=Path), help=DATA_HELP)
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "json", "csv", "tsv"]))
@click.pass_context
def ask(ctx: click.Context, name: str | None, list_: bool, data: Path, fmt: str) -> None:
    """Ask a named question (`portlod ask partners --port USLAX`).

    Parameters are given as --NAME VALUE; `portlod ask --list` shows every question.
    --timeout SECONDS bounds a question asked of a remote endpoint (default 60).
    """
    from .queries import ask as run, format_rows, questions

    if list_ or name is None:
        for q in questions():
            usage = " ".join(f"--{p.name} {p.type.upper()}" if p.required else f"[--{p.name} {p.type.upper()}]"
                             for p in q.parameters)
            click.echo(f"{q.name} {usage}\n    {q.summary}")
        if name is None and not list_:
            _fail("name a question (see the list above)")
        return
    params: dict[str, str] = {}
    args = list(ctx.args)
    while args:
        flag = args.pop(0)
        if not flag.startswith("--") or not args or args[0].startswith("--"):
            _fail(f"expected --PARAMETER VALUE, got {flag!r}; see `portlod ask --list`")
        params[flag[2:].replace("-", "_")] = args.pop(0)
    timeout = 60.0
    if "timeout" in params:
        try:
            timeout = float(params.pop("timeout"))
        except ValueError:
            timeout = math.nan
        if not (math.isfinite(timeout) and timeout > 0):
            _fail("--timeout takes a positive number of seconds, e.g. --timeout 30")
    from .pipeline import open_dataset

    with _errors():
        dataset = open_dataset(data)
        rows = run(dataset, name, timeout=timeout, **params)
        click.echo(format_rows(rows, "text" if fmt == "table" else fmt), nl=False)




def _register_subgroups() -> None:
    from ._cli_registry import registry

    main.add_command(registry)


_register_subgroups()


if __name__ == "__main__":  # pragma: no cover
    main()
