"""Writers: the lossless JSON form, the flat cells JSON, and the tidy one-row-per-cell form."""

from __future__ import annotations

from .cells import from_cells_json, to_cells_json
from .json import dumps, from_dict, json_schema, loads, make_converter, to_dict
from .tidy import records, to_csv

__all__ = [
    "dumps",
    "from_cells_json",
    "from_dict",
    "json_schema",
    "loads",
    "make_converter",
    "records",
    "to_cells_json",
    "to_csv",
    "to_dict",
]


def __dir__() -> list[str]:
    return __all__
