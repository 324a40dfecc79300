"""The flat cells-JSON form (``TRUTH-FORMAT.md``): ``{code: value}``, read and written.

This is the form the corpus truth files use and the simplest one for other tools:

>>> from ogi_report.examples import example_report
>>> flat = to_cells_json(example_report("2019"))
>>> flat["template"], flat["cells"]["s2.procurement.amount"], flat["cells"]["s3.new.total"]
('2019', '2315.78', 78)
>>> from_cells_json(flat).values() == example_report("2019").values()
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..cells import format_cell
from ..errors import InputError
from ..model import Metadata, Report
from ..templates import get_template
from .json import _cell

__all__ = ["from_cells_json", "to_cells_json"]


def __dir__() -> list[str]:
    return __all__


_KEYS = frozenset({"source", "agency", "reporting_year", "template", "cells", "notes", "uncertain"})


def to_cells_json(report: Report) -> dict[str, Any]:
    """The report's printed cells as ``{"template", "agency", …, "cells": {code: value}}``.

    Narrative is not part of this form; ambiguous and missing cells are written as
    ``{"ambiguous": [...]}`` and ``{"missing": true}``.
    """
    meta = report.metadata
    data: dict[str, Any] = {
        "source": meta.source,
        "agency": meta.agency,
        "reporting_year": meta.reporting_year,
        "template": report.template.version,
        "cells": {code: format_cell(value) for code, value in report.values().items()},
    }
    if meta.notes is not None:
        data["notes"] = meta.notes
    return data


def from_cells_json(data: Mapping[str, Any], *, source: str | None = None) -> Report:
    """Build a report from the cells-JSON form; :class:`InputError` names the key at fault."""
    if not isinstance(data, Mapping):
        raise InputError(f"cells JSON is an object, not {type(data).__name__}", source=source)
    unknown = set(data) - _KEYS
    if unknown:
        raise InputError(f"unknown keys {', '.join(sorted(unknown))}", source=source)
    version = data.get("template")
    if type(version) is not str:
        raise InputError(f'template: "2019" or "2021" as a string, not {version!r}', source=source)
    try:
        template = get_template(version)
    except KeyError as error:
        raise InputError(f"template: {error.args[0]}", source=source) from None
    cells = data.get("cells")
    if not isinstance(cells, Mapping):
        raise InputError("cells: expected an object {code: value}", source=source)
    try:
        values = {code: _cell(value, f"cells.{code}") for code, value in cells.items()}
        year = data.get("reporting_year")
        metadata = Metadata(
            agency=data.get("agency"),
            reporting_year=year,
            source=data.get("source", source),
            notes=data.get("notes"),
        )
        return Report.from_cells(template, values, metadata=metadata)
    except InputError as error:
        raise InputError(error.reason, source=source) from None
    except (KeyError, TypeError, ValueError) as error:
        message = error.args[0] if isinstance(error, KeyError) else str(error)
        raise InputError(message, source=source) from None
