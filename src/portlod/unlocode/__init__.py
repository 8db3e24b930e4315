"""Read the UN/LOCODE code list and check codes used for ports.

The reader understands the official CSV layout published by UN/CEFACT and UNECE: no header row,
twelve columns per row::

    Change, Country, Location, Name, NameWoDiacritics, Subdivision,
    Function, Status, Date, IATA, Coordinates, Remarks

(the published files put Function before Status; a row written the other way round, Status
before Function, is recognised and read as well). A path given to :func:`read_unlocode` is either

* a directory: every ``??.csv`` file in it is read, in sorted order (the per-country layout of
  ``uncefact/vocab-locode``), or
* a file: one country's file, or the single-file layout of the UNECE download, which holds the
  rows of many countries and several country-name rows.

Rows with an empty Location are not locations: ``.SWEDEN`` rows name the country and
``Gothenburg = Göteborg`` rows are references from another name. Both are kept (see
:attr:`LocodeList.country_names` and :attr:`LocodeList.references`) and used to find names.

A code may have more than one row (the same place under two names, for example ``FIHEL``
*Helsingfors (Helsinki)* and *Helsinki (Helsingfors)*); :meth:`LocodeList.get` returns the first
and :meth:`LocodeList.variants` all of them.

Malformed rows are collected as :class:`~portlod.errors.Problem` objects and reported together
in one :class:`~portlod.errors.RegistryError`, or skipped on request. Coordinates that cannot be
used (minutes of 60 or more, a longitude above 180°, a missing hemisphere: some 280 rows of the
published list) do not make a row bad unless ``strict_coordinates=True``: the row is kept
without coordinates and a warning is recorded in :attr:`LocodeList.warnings`.
"""

from ._list import LocodeList
from ._model import (
    FUNCTIONS,
    PORT_ALIASES,
    STATUSES,
    CodeCheck,
    Coordinates,
    Location,
    NameReference,
    Source,
    parse_coordinates,
)
from ._reader import read_unlocode

__all__ = [
    "FUNCTIONS",
    "PORT_ALIASES",
    "STATUSES",
    "CodeCheck",
    "Coordinates",
    "Location",
    "LocodeList",
    "NameReference",
    "Source",
    "parse_coordinates",
    "read_unlocode",
]
