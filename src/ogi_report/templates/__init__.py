"""The two official formats as data: tables, rows, columns, canonical codes, labels.

>>> t = get_template("2021")
>>> t.cell("s3.new.total").label_zh
'一、本年新收政府信息公开申请数量 / 总计'
>>> sum(1 for _ in t.cells()), sum(1 for _ in get_template("2019").cells())
(200, 198)
>>> template_for_year(2020).version, template_for_year(2015).version
('2019', 'pre-2019')
"""

from __future__ import annotations

from ._2019 import TEMPLATE_2019
from ._2021 import TEMPLATE_2021
from ._layout import CellSpec, Column, RowSpec, TableSpec, Template
from ._pre2019 import TEMPLATE_PRE_2019

__all__ = [
    "ALL_TEMPLATES",
    "TEMPLATES",
    "TEMPLATE_2019",
    "TEMPLATE_2021",
    "TEMPLATE_PRE_2019",
    "CellSpec",
    "Column",
    "RowSpec",
    "TableSpec",
    "Template",
    "get_template",
    "template_for_year",
]


def __dir__() -> list[str]:
    return __all__


#: The official formats with standard tables, oldest first.
TEMPLATES: tuple[Template, ...] = (TEMPLATE_2019, TEMPLATE_2021)

#: Every kind of report the library knows: reports before 2019 (no standard tables, see
#: :data:`TEMPLATE_PRE_2019`), then the official formats.
ALL_TEMPLATES: tuple[Template, ...] = (TEMPLATE_PRE_2019, *TEMPLATES)


def get_template(version: str | Template) -> Template:
    """Return the format named ``"2019"``, ``"2021"`` or ``"pre-2019"`` (a Template is
    returned as is).

    >>> get_template("2020")
    Traceback (most recent call last):
    ...
    KeyError: "no format '2020'; formats: pre-2019, 2019, 2021"
    """
    if isinstance(version, Template):
        return version
    for template in ALL_TEMPLATES:
        if template.version == str(version):
            return template
    known = ", ".join(t.version for t in ALL_TEMPLATES)
    raise KeyError(f"no format {version!r}; formats: {known}")


def template_for_year(year: int) -> Template:
    """Return the format that reports for ``year`` are due in (2008-2018: ``pre-2019``)."""
    for template in reversed(ALL_TEMPLATES):
        if template.applies_to(year):
            return template
    raise ValueError(f"no OGI report covers {year}: the first reports are for 2008")
