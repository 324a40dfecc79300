"""Scoring methodologies (评估方法) as data: items, points, deductions and caps, read from TOML.

The declarations of :mod:`ogi_report.scorecard`, which re-exports them; here so that the
scoring stays one module of a readable length.

>>> methodology = example_methodology()
>>> methodology.total, [item.key for item in methodology.items][:3]
(Decimal('100'), ['timeliness', 'completeness', 'reconciliation'])
>>> load_methodology('name = "m"\\nversion = "1"\\nitems = []')
Traceback (most recent call last):
...
ogi_report.errors.InputError: <methodology>: items: a methodology needs at least one item
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fnmatch import fnmatchcase
from functools import cache
from importlib.resources import files
from os import PathLike
from pathlib import Path
from typing import Any

import attrs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

from .errors import InputError
from .indicators import INDICATORS
from .rules.catalogue import RULES
from .templates import ALL_TEMPLATES, TEMPLATES

__all__ = [
    "Deduction",
    "Item",
    "Methodology",
    "MethodologyError",
    "example_methodology",
    "load_methodology",
]


def __dir__() -> list[str]:
    return __all__


#: The sections of the formats (一 … 六) a ``missing`` deduction may name.
SECTIONS = range(1, 7)


class MethodologyError(InputError):
    """A declaration that cannot be (a rule code that does not exist, a cap above the points):
    ``key`` names the field (``rules[1]``), ``message`` says what is wrong."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


def _decimal(value: int | str | Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise TypeError(f"points must be a number, not {value!r}")
    try:
        number = Decimal(value)
    except ArithmeticError:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValueError(f"points must be a finite number, not {value!r}")
    return number


def _optional_decimal(value: int | str | Decimal | None) -> Decimal | None:
    return None if value is None else _decimal(value)


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _deductions(value: Iterable[Deduction]) -> tuple[Deduction, ...]:
    return tuple(value)


def _items(value: Iterable[Item]) -> tuple[Item, ...]:
    return tuple(value)


def _positive(key: str, value: Decimal | None) -> None:
    if value is not None and not value > 0:
        raise MethodologyError(key, f"must be more than 0, not {value}")


def rule_codes(pattern: str) -> tuple[str, ...]:
    """The catalogue codes a rule code or prefix (ending in ``.``) names."""
    if pattern.endswith("."):
        return tuple(code for code in RULES if code.startswith(pattern))
    return (pattern,) if pattern in RULES else ()


@cache
def _all_cell_codes() -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(
            spec.code for template in ALL_TEMPLATES for spec in template.cells(optional=True)
        )
    )


_TABLES = frozenset(spec.key for template in TEMPLATES for spec in template.tables)


def element_names(element: str) -> tuple[str, str]:
    """``("section", "5")`` or ``("table", "s4")`` from a ``missing`` element."""
    kind, _, name = element.partition(" ")
    return kind, name


@attrs.frozen
class Deduction:
    """What takes points off an item (扣分项): one trigger, points per occurrence, a cap.

    Exactly one trigger: ``rules`` (rule codes, or prefixes ending in ``.`` such as
    ``"S3."``; one occurrence per finding), ``cells`` (codes or patterns such as
    ``"s4.*.corrected"``; the count printed in each is the number of occurrences),
    ``indicator`` (an :data:`~ogi_report.indicators.INDICATORS` key with ``above`` or
    ``below``: one occurrence past the threshold) or ``missing`` (``"section 5"``,
    ``"table s4"``: one occurrence per element the report lacks). ``cap``: the most this
    deduction takes (default: no cap of its own, only the item's).

    >>> Deduction(2, cells=("s4.*.corrected",)).trigger
    's4.*.corrected'
    """

    points: Decimal = attrs.field(converter=_decimal)
    rules: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    cells: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    indicator: str | None = None
    above: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    below: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    missing: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    cap: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    title_zh: str = ""
    title_en: str = ""

    def __attrs_post_init__(self) -> None:
        _positive("points", self.points)
        _positive("cap", self.cap)
        triggers = [
            name
            for name in ("rules", "cells", "indicator", "missing")
            if getattr(self, name) not in ((), None)
        ]
        if len(triggers) != 1:
            raise MethodologyError(
                "rules",
                "give exactly one trigger of rules, cells, indicator, missing"
                f" (given: {', '.join(triggers) or 'none'})",
            )
        for i, pattern in enumerate(self.rules):
            if not rule_codes(pattern):
                raise MethodologyError(
                    f"rules[{i}]", f"unknown rule code {pattern!r} (see ogi-report rules)"
                )
        for i, pattern in enumerate(self.cells):
            if not any(fnmatchcase(code, pattern) for code in _all_cell_codes()):
                raise MethodologyError(f"cells[{i}]", f"no cell of any format matches {pattern!r}")
        for i, element in enumerate(self.missing):
            kind, name = element_names(element)
            if not (
                (kind == "section" and name in {str(n) for n in SECTIONS})
                or (kind == "table" and name in _TABLES)
            ):
                raise MethodologyError(
                    f"missing[{i}]",
                    f"{element!r} is not 'section 1' … 'section 6' or 'table <key>'"
                    f" ({', '.join(sorted(_TABLES))})",
                )
        if self.indicator is not None:
            if self.indicator not in INDICATORS:
                raise MethodologyError(
                    "indicator",
                    f"unknown indicator {self.indicator!r} ({', '.join(INDICATORS)})",
                )
            if (self.above is None) == (self.below is None):
                raise MethodologyError("above", "an indicator needs exactly one of above, below")
        elif self.above is not None or self.below is not None:
            raise MethodologyError(
                "above" if self.above is not None else "below", "only with indicator"
            )

    @property
    def trigger(self) -> str:
        """What the deduction looks at, in one string (``S3.``, ``s4.*.corrected`` …)."""
        if self.indicator is not None:
            op, threshold = (">", self.above) if self.above is not None else ("<", self.below)
            return f"{self.indicator} {op} {threshold}"
        if self.missing:
            return "missing " + ", ".join(self.missing)
        return ", ".join(self.rules or self.cells)


_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")


@attrs.frozen
class Item:
    """One scored item (评估项目): its points and the deductions that take them off.

    ``cap``: the most its deductions together take (default and at most: ``points``, so
    an item never goes below 0). ``basis``: the requirement it scores.
    """

    key: str
    title_zh: str
    title_en: str
    points: Decimal = attrs.field(converter=_decimal)
    deductions: tuple[Deduction, ...] = attrs.field(converter=_deductions)
    cap: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    basis: str = ""

    def __attrs_post_init__(self) -> None:
        if not _KEY.match(self.key):
            raise MethodologyError("key", f"{self.key!r} is not a lower-case key (a-z, 0-9, _)")
        _positive("points", self.points)
        _positive("cap", self.cap)
        if self.cap is not None and self.cap > self.points:
            raise MethodologyError(
                "cap", f"{self.cap} is more than the item's {self.points} points"
            )
        if not self.deductions:
            raise MethodologyError("deductions", "an item needs at least one deduction")

    @property
    def most(self) -> Decimal:
        """The most the item's deductions take together."""
        return self.points if self.cap is None else self.cap


@attrs.frozen
class Methodology:
    """A declared scoring methodology (评估方法): items with points, deductions and caps.

    ``total`` is the sum of the items' points.
    """

    name: str
    version: str
    items: tuple[Item, ...] = attrs.field(converter=_items)
    description: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.name:
            raise MethodologyError("name", "a methodology needs a name")
        if not self.items:
            raise MethodologyError("items", "a methodology needs at least one item")
        seen: set[str] = set()
        for i, item in enumerate(self.items):
            if item.key in seen:
                raise MethodologyError(f"items[{i}].key", f"{item.key!r} is used twice")
            seen.add(item.key)

    @property
    def total(self) -> Decimal:
        """The points of a report that loses none."""
        return sum((item.points for item in self.items), Decimal(0))

    def item(self, key: str) -> Item:
        """The item ``key``."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(f"no item {key!r}; items: {', '.join(i.key for i in self.items)}")


# --- reading TOML --------------------------------------------------------------------------

_FIELDS: Mapping[str, Mapping[str, tuple[type, ...]]] = {
    "methodology": {
        "name": (str,),
        "version": (str,),
        "total": (int, Decimal),
        "description": (str,),
        "items": (list,),
    },
    "item": {
        "key": (str,),
        "title_zh": (str,),
        "title_en": (str,),
        "points": (int, Decimal),
        "cap": (int, Decimal),
        "basis": (str,),
        "deductions": (list,),
    },
    "deduction": {
        "points": (int, Decimal),
        "rules": (list,),
        "cells": (list,),
        "indicator": (str,),
        "above": (int, Decimal),
        "below": (int, Decimal),
        "missing": (list,),
        "cap": (int, Decimal),
        "title_zh": (str,),
        "title_en": (str,),
    },
}
_REQUIRED = {
    "methodology": ("name", "version", "items"),
    "item": ("key", "title_zh", "title_en", "points", "deductions"),
    "deduction": ("points",),
}
_TYPE_NAMES = {str: "a string", int: "a number", Decimal: "a number", list: "an array"}


def _fields(table: object, kind: str, path: str, source: str) -> dict[str, Any]:
    """The table's fields, each checked for its name and type."""
    where = path or "the top level"
    if not isinstance(table, dict):
        raise InputError(f"{where}: expected a table", source=source)
    known = _FIELDS[kind]
    for key, value in table.items():
        name = f"{path}.{key}" if path else key
        if key not in known:
            raise InputError(
                f"{name}: unknown key (a {kind} has {', '.join(known)})", source=source
            )
        if (
            isinstance(value, bool)
            or not isinstance(value, known[key])
            or (isinstance(value, Decimal) and not value.is_finite())  # TOML's nan, inf
        ):
            raise InputError(f"{name}: expected {_TYPE_NAMES[known[key][0]]}", source=source)
        if (
            kind == "deduction"
            and isinstance(value, list)
            and not all(isinstance(v, str) for v in value)
        ):
            raise InputError(f"{name}: expected an array of strings", source=source)
    for key in _REQUIRED[kind]:
        if key not in table:
            raise InputError(f"{path + '.' if path else ''}{key}: missing", source=source)
    return dict(table)


def _build(path: str, source: str, make: type[Any], **fields: Any) -> Any:
    try:
        return make(**fields)
    except MethodologyError as error:
        name = f"{path}.{error.key}" if path else error.key
        raise InputError(f"{name}: {error.message}", source=source) from None


def _methodology(data: dict[str, Any], source: str) -> Methodology:
    top = _fields(data, "methodology", "", source)
    items = []
    for i, raw_item in enumerate(top.pop("items")):
        path = f"items[{i}]"
        fields = _fields(raw_item, "item", path, source)
        deductions = []
        for j, raw in enumerate(fields.pop("deductions")):
            where = f"{path}.deductions[{j}]"
            deductions.append(
                _build(where, source, Deduction, **_fields(raw, "deduction", where, source))
            )
        items.append(_build(path, source, Item, deductions=tuple(deductions), **fields))
    total = top.pop("total", None)
    methodology: Methodology = _build("", source, Methodology, items=tuple(items), **top)
    if total is not None and Decimal(total) != methodology.total:
        raise InputError(
            f"total: {total} declared, the items' points sum to {methodology.total}", source=source
        )
    return methodology


def load_methodology(source: str | PathLike[str]) -> Methodology:
    """A methodology from a TOML file (a path) or TOML text (a ``str`` with a newline).

    Raises :class:`~ogi_report.errors.InputError` naming the file and the key of the first
    problem: TOML that does not parse, an unknown or mistyped key, an unknown rule code,
    cell, indicator or element, points that do not add up to the declared ``total``.

    >>> load_methodology('''name = "m"
    ... version = "1"
    ... [[items]]
    ... key = "arithmetic"
    ... title_zh = "数据准确"
    ... title_en = "figures add up"
    ... points = 10
    ... [[items.deductions]]
    ... rules = ["S3.BALANCE", "S9.TYPO"]
    ... points = 5
    ... ''')
    Traceback (most recent call last):
    ...
    ogi_report.errors.InputError: <methodology>: items[0].deductions[0].rules[1]: unknown rule \
code 'S9.TYPO' (see ogi-report rules)
    """
    if isinstance(source, str) and "\n" in source:
        text, label = source, "<methodology>"
    else:
        label = str(source)
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"cannot read the methodology: {error}", source=label) from None
    return _parse(text, label)


def _parse(text: str, label: str) -> Methodology:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", source=label) from None
    return _methodology(data, label)


#: Where the bundled example lives inside the package.
EXAMPLE = "methodologies/example.toml"


@cache
def example_methodology() -> Methodology:
    """The bundled example methodology (``ogi_report/methodologies/example.toml``).

    Written by the ogi-report developers from the Regulations' requirements (第四十九条
    deadlines, 第五十条 contents, the formats' tables and their arithmetic, 雷同, corrected
    reconsideration and litigation cases); an example of the format, not any assessor's
    official scorecard.
    """
    resource = files("ogi_report").joinpath(EXAMPLE)
    return _parse(resource.read_text(encoding="utf-8"), f"ogi_report/{EXAMPLE}")
