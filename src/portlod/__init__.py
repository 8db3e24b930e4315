"""portlod: linked data about how seaports cooperate.

>>> import portlod
>>> ds = portlod.build("data")                      # doctest: +SKIP
>>> portlod.validate(ds).conforms                   # doctest: +SKIP
True
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .dataset import Dataset, build
from .errors import (
    ExportError,
    PortlodError,
    Problem,
    QueryError,
    RegistryError,
    ResourceError,
    SourceError,
    ValidatorError,
)
from .formats import export, serialize
from .reason import reason
from .sources import load_sources
from .validate import ValidationReport, ValidationResult, validate

try:
    __version__ = version("portlod")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.0.0+unknown"

__all__ = [
    "Dataset",
    "ExportError",
    "PortlodError",
    "Problem",
    "QueryError",
    "RegistryError",
    "ResourceError",
    "SourceError",
    "ValidationReport",
    "ValidationResult",
    "ValidatorError",
    "__version__",
    "build",
    "export",
    "load_sources",
    "reason",
    "serialize",
    "validate",
]
