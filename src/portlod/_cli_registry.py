"""``portlod registry``: import reference registries (the UN/LOCODE code list) as linked data.

Registered in :mod:`portlod.cli` with ``main.add_command(registry)``. Exit codes as for every
portlod command: 0 ok, 1 the data does not conform to the shapes, 2 bad input or usage.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from .errors import PortlodError, RegistryError

__all__ = ["registry"]

EXIT_OK, EXIT_NONCONFORMANT, EXIT_BAD_INPUT = 0, 1, 2
FORMAT_CHOICES = ("ttl", "nt", "jsonld", "trig", "nq")
_LABELS = {"read": "reading UN/LOCODE", "build": "building the registry"}
_FEW = 10  # up to this many warnings (or skipped rows) are listed without --verbose


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


class _Progress:
    """A progress bar per stage on a terminal (stderr); silent when stderr is not a terminal."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()
        self.bar: Any = None  # click's ProgressBar, entered by hand: one per stage
        self.stage: str | None = None
        self.done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.live:
            return
        if stage != self.stage or self.bar is None:
            self.close()
            self.bar = click.progressbar(length=total, label=_LABELS.get(stage, stage), file=sys.stderr)
            self.bar.__enter__()
            self.stage, self.done = stage, 0
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar, self.stage = None, None

    def step(self, message: str) -> None:
        self.close()
        if self.live:
            click.echo(f"portlod: {message}...", err=True)


def _countries(values: Sequence[str]) -> set[str] | None:
    codes = {c.strip().upper() for value in values for c in value.split(",") if c.strip()}
    if not values:
        return None
    bad = sorted(c for c in codes if re.fullmatch(r"[A-Z]{2}", c) is None)
    if bad or not codes:
        raise click.BadParameter(
            f"expected ISO 3166-1 alpha-2 country codes separated by commas, e.g. SE,JP; got {', '.join(bad) or 'nothing'}",
            param_hint="--country")
    return codes


def _write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file, so a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def _wrapped(codes: Sequence[str]) -> str:
    return textwrap.fill(", ".join(codes), width=100, initial_indent="  ", subsequent_indent="  ")


@click.group("registry", context_settings={"help_option_names": ["-h", "--help"]})
def registry() -> None:
    """Reference registries: the UN/LOCODE code list as linked data."""


@registry.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--ports-only", is_flag=True, help="Keep the sea ports only (function 1); other "
              "locations are otherwise imported as localities.")
@click.option("--country", "country", multiple=True, metavar="CC[,CC...]",
              help="Only these countries, e.g. SE,JP (repeatable).")
@click.option("--skip-bad", is_flag=True, help="Leave bad rows out (and list them) instead of stopping.")
@click.option("-o", "--out", default="dist/registry", show_default=True, type=click.Path(path_type=Path),
              help="Folder to write the registry and the validation report into.")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMAT_CHOICES),
              help="Formats to write (repeatable; default all).")
@click.option("--validate/--no-validate", "run_validation", default=True, show_default=True,
              help="Validate against the SHACL shapes before exporting.")
@click.option("-v", "--verbose", is_flag=True, help="List every warning and every port without coordinates.")
def import_command(paths: tuple[Path, ...], ports_only: bool, country: tuple[str, ...], skip_bad: bool,
                   out: Path, formats: tuple[str, ...], run_validation: bool, verbose: bool) -> None:
    """Import the UN/LOCODE code list at PATH... (the directory of ??.csv files, or CSV files)
    as a port registry, validate it and export it into OUT.

    Every port is a pl:Port at https://w3id.org/portlod/id/port/CODE citing its row of the list.
    """
    from .registry import import_registry

    countries = _countries(country)
    progress = _Progress()
    started = time.perf_counter()
    try:
        dataset = import_registry(list(paths), ports_only=ports_only, countries=countries,
                                  skip_bad=skip_bad, on_progress=progress)
    except RegistryError as exc:
        progress.close()
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        n = len(exc.problems)
        hint = "" if skip_bad else " (--skip-bad leaves bad rows out)"
        _fail(f"{n} problem{'s' if n != 1 else ''} in the UN/LOCODE list; nothing was written{hint}")
    except (PortlodError, ValueError, TypeError) as exc:
        progress.close()
        _fail(str(exc))
    progress.close()
    summary = dataset.summary
    what = f"{summary.ports} ports" if ports_only else f"{summary.ports} ports and {summary.localities} other locations"
    click.echo(f"imported {what} ({summary.rows} rows, {summary.countries} countries) from "
               f"{len(summary.files)} file{'s' if len(summary.files) != 1 else ''} in {summary.seconds:.1f} s: "
               f"{summary.triples} triples, {summary.quads} quads")
    for problem in summary.skipped if (verbose or len(summary.skipped) <= _FEW) else summary.skipped[:_FEW]:
        click.echo(f"skipped: {problem}", err=True)
    if summary.skipped:
        click.echo(f"skipped {len(summary.skipped)} bad row{'s' if len(summary.skipped) != 1 else ''}", err=True)
    shown = summary.warnings if (verbose or len(summary.warnings) <= _FEW) else summary.warnings[:_FEW]
    for problem in shown:
        click.echo(str(problem), err=True)
    if len(shown) < len(summary.warnings):
        click.echo(f"... and {len(summary.warnings) - len(shown)} more warnings (-v lists them)", err=True)
    missing = summary.without_coordinates
    if missing:
        click.echo(f"no coordinates in UN/LOCODE for {len(missing)} of {summary.ports} ports "
                   "(imported without a position)" + (":" if countries or verbose else ""))
        if countries or verbose:
            click.echo(_wrapped(missing))

    folder = out
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _fail(f"cannot create the output folder {folder}: {exc.strerror}")
    files: dict[str, Path] = {}
    if run_validation:
        from .validate import validate

        progress.step("validating")
        begun = time.perf_counter()
        try:
            report = validate(dataset)
        except PortlodError as exc:
            _fail(str(exc))
        try:
            files["report"] = _write(folder / "validation.txt", report.text().encode("utf-8"))
            files["report-json"] = _write(folder / "validation.json", (json.dumps(
                report.to_dict(), indent=2, sort_keys=True) + "\n").encode("utf-8"))
        except OSError as exc:
            _fail(f"cannot write the validation report into {folder}: {exc.strerror or exc}")
        click.echo(f"validation: {'conforms' if report.conforms else 'DOES NOT CONFORM'} "
                   f"({len(report.violations)} violations, {len(report.warnings)} warnings) "
                   f"in {time.perf_counter() - begun:.1f} s")
        if not report.conforms:
            for result in report.violations[:_FEW]:
                click.echo(f"{result.focus}: {result}", err=True)
            _fail(f"the registry does not conform; nothing was exported (report in {folder})",
                  EXIT_NONCONFORMANT)
    from .formats import export

    progress.step("exporting")
    begun = time.perf_counter()
    try:
        files.update(export(dataset, folder, formats=formats or FORMAT_CHOICES))
    except PortlodError as exc:
        _fail(str(exc))
    click.echo(f"exported in {time.perf_counter() - begun:.1f} s:")
    for name, path in files.items():
        click.echo(f"  {name:12} {path}")
    click.echo(f"wrote {len(files)} files to {folder}/ in {time.perf_counter() - started:.1f} s")
