"""The one exception hierarchy of portlod.

::

    PortlodError
     ├── SourceError (ValueError)        bad source files: carries every Problem found
     ├── ResourceError (FileNotFoundError) a packaged file (ontology, shapes, query) is missing
     ├── QueryError (ValueError)          unknown question, unknown or missing parameter, bad SPARQL
     ├── RegistryError (ValueError)       a malformed UN/LOCODE list
     ├── ExportError (OSError)            an export could not be written
     └── ValidatorError (RuntimeError)    the validator itself failed (non-conformance is a result)

Every error names the place it comes from (file, line, field) and says how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ExportError",
    "PortlodError",
    "Problem",
    "QueryError",
    "RegistryError",
    "ResourceError",
    "SourceError",
    "ValidatorError",
]


class PortlodError(Exception):
    """Base class of every error portlod raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in an input file: where, what, and how to fix it."""

    file: str
    line: int | None
    field: str | None
    message: str
    hint: str | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" [{self.field}]" if self.field else ""
        hint = f" (fix: {self.hint})" if self.hint else ""
        return f"{where}:{field} {self.severity}: {self.message}{hint}"


class SourceError(PortlodError, ValueError):
    """Source files are invalid. ``problems`` lists every error found, not just the first."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the source files:\n{lines}")


class ResourceError(PortlodError, FileNotFoundError):
    """A file that ships with portlod (ontology, shapes, context, query) cannot be read."""


class QueryError(PortlodError, ValueError):
    """A named question or a SPARQL query cannot be run as asked."""


class RegistryError(PortlodError, ValueError):
    """A UN/LOCODE code list cannot be read; names the file and line."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} bad row(s) in the UN/LOCODE list:\n{lines}")


class ExportError(PortlodError, OSError):
    """An export could not be written; the previous files are left as they were."""


class ValidatorError(PortlodError, RuntimeError):
    """The SHACL validator itself failed (a broken shapes file, an internal error)."""
