"""Comparison utilities: how well a read report matches hand-checked cells.

>>> from ogi_report import example_report, to_cells_json
>>> truth = to_cells_json(example_report("2021"))["cells"]
>>> truth["s3.new.total"] = 98
>>> result = accuracy(example_report("2021"), truth)
>>> len(result.right), result.wrong
(199, (('s3.new.total', 99, 98),))
"""

from __future__ import annotations

import difflib
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .cells import MISSING, Ambiguous, Cell, Number, format_cell
from .model import Report
from .templates import TEMPLATE_2021

__all__ = ["Accuracy", "CellChange", "Diff", "SectionChange", "accuracy", "diff", "diff_html"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class Accuracy:
    """Each expected cell: read right, honestly ambiguous, missing, or wrong.

    An ambiguous cell counts as ambiguous only if the expected value is among its
    candidates; otherwise it is wrong.
    """

    right: tuple[str, ...]
    ambiguous: tuple[str, ...]
    missing: tuple[str, ...]
    wrong: tuple[tuple[str, Any, Any], ...]

    def __str__(self) -> str:
        return (
            f"{len(self.right)} right, {len(self.ambiguous)} ambiguous,"
            f" {len(self.missing)} missing, {len(self.wrong)} wrong"
        )


def accuracy(report: Report, expected: Mapping[str, Any]) -> Accuracy:
    """Compare ``report`` with ``{code: value}`` in the cells-JSON form (a truth file's cells)."""
    values = report.values()
    right: list[str] = []
    ambiguous: list[str] = []
    missing: list[str] = []
    wrong: list[tuple[str, Any, Any]] = []
    for code, value in expected.items():
        found = values.get(code)
        if found is None or found is MISSING:
            missing.append(code)
        elif isinstance(found, Ambiguous):
            if value in [format_cell(c) for c in found.candidates]:
                ambiguous.append(code)
            else:
                wrong.append((code, format_cell(found), value))
        elif format_cell(found) == value:
            right.append(code)
        else:
            wrong.append((code, format_cell(found), value))
    return Accuracy(tuple(right), tuple(ambiguous), tuple(missing), tuple(wrong))


# --- diff ----------------------------------------------------------------------------------


@attrs.frozen
class CellChange:
    """One cell that differs between two reports (``a`` → ``b``).

    ``delta`` is ``b - a`` and ``relative`` is ``delta / a`` when both are numbers (and
    ``a`` is not 0). ``code_b`` differs from ``code`` only across formats (2019 ``made`` is
    compared with 2021 ``issued``).
    """

    code: str
    code_b: str
    label_zh: str
    label_en: str
    a: Cell | None
    b: Cell | None
    delta: Number | None
    relative: Decimal | None


@attrs.frozen
class SectionChange:
    """A narrative section whose text differs: a readable unified diff of its lines."""

    number: int
    heading: str
    diff: str


@attrs.frozen
class Diff:
    """What differs between report ``a`` and report ``b``.

    ``not_comparable`` lists the cells of either format that have no counterpart in the other
    (never coerced into one): empty when both reports are in the same format.
    """

    cells: tuple[CellChange, ...]
    sections: tuple[SectionChange, ...]
    not_comparable: tuple[str, ...] = ()
    label_a: str = "A"
    """Report ``a`` as a column heading: its agency and year."""
    label_b: str = "B"

    def __bool__(self) -> bool:
        return bool(self.cells or self.sections)

    def __repr__(self) -> str:
        parts = [f"{len(self.cells)} cells", f"{len(self.sections)} sections differ"]
        if self.not_comparable:
            parts.append(f"{len(self.not_comparable)} not comparable")
        return f"<Diff {self.label_a} -> {self.label_b}: {', '.join(parts)}>"

    def _repr_html_(self) -> str:
        return diff_html(self)

    def codes(self) -> tuple[str, ...]:
        """The codes (of report ``a``'s format) of the cells that differ."""
        return tuple(change.code for change in self.cells)


#: 2019 → 2021: cells that mean the same thing under another code (``rules.md``).
_ACROSS = {
    "s2.rules.made": "s2.rules.issued",
    "s2.normative_documents.made": "s2.normative_documents.issued",
}


def _pairs(a: Report, b: Report) -> tuple[list[tuple[str, str]], list[str]]:
    """(code in a, code in b) for every comparable cell, and the codes that are not."""
    version_a, version_b = a.template.version, b.template.version
    codes_a = [spec.code for spec in a.template.cells(optional=True)]
    if version_a == version_b:
        return [(code, code) for code in codes_a], []
    old, new = (a, b) if version_a == "2019" else (b, a)
    mapping: dict[str, str] = {}
    for spec in old.template.cells():
        code = spec.code
        same_meaning = (code.startswith(("s3.", "s4.")) and not code.startswith("s3.other.")) or (
            code.endswith(".decisions") and code in new.template
        )
        if code in _ACROSS:
            mapping[code] = _ACROSS[code]
        elif same_meaning:
            mapping[code] = code
    for column in old.template.table("s3").column_keys:
        mapping[f"s3.other.{column}"] = f"s3.other.{column}"  # 2021: printed or summed
    old_codes = {spec.code for spec in old.template.cells()}
    new_codes = {spec.code for spec in new.template.cells()}
    unmatched = sorted(
        (old_codes - set(mapping)) | (new_codes - set(mapping.values()) - _OTHER_2021)
    )
    if old is a:
        return list(mapping.items()), unmatched
    return [(b_code, a_code) for a_code, b_code in mapping.items()], unmatched


# 2021's three （六） sub-rows: compared with 2019's （六） through their sum, not one by one.
_OTHER_2021 = frozenset(
    code
    for part in TEMPLATE_2021.table("s3").row("other").parts
    for code in TEMPLATE_2021.table("s3").row_codes(part)
)


def _value(report: Report, code: str, across: bool) -> Cell | None:
    """A cell's value; across formats, 2021's （六）其他处理 as printed, else as the sum of
    its three rows."""
    values = report.values()
    if code in values:
        return values[code]
    if across and report.template.version == "2021" and code.startswith("s3.other."):
        column = code.rsplit(".", 1)[1]
        parts = [
            values.get(f"s3.{row}.{column}")
            for row in report.template.table("s3").row("other").parts
        ]
        if all(isinstance(p, int | Decimal) for p in parts):
            return sum(parts)  # type: ignore[arg-type]
    return None


def _same(a: Cell | None, b: Cell | None) -> bool:
    if isinstance(a, int | Decimal) and isinstance(b, int | Decimal):
        return a == b
    return type(a) is type(b) and a == b


def diff(a: Report, b: Report) -> Diff:
    """Cell-level and narrative differences from ``a`` to ``b``; across formats only the
    comparable cells are compared and the rest is listed as not comparable.

    >>> from ogi_report import example_report
    >>> report = example_report("2021")
    >>> bool(diff(report, report))
    False
    >>> changed = diff(report, report.replace_cells({"s3.new.total": 100}))
    >>> [(c.code, c.a, c.b, c.delta) for c in changed.cells]
    [('s3.new.total', 99, 100, 1)]
    """
    pairs, not_comparable = _pairs(a, b)
    across = a.template is not b.template
    changes = []
    for code_a, code_b in pairs:
        value_a, value_b = _value(a, code_a, across), _value(b, code_b, across)
        if (value_a is None and value_b is None) or _same(value_a, value_b):
            continue
        delta = relative = None
        if isinstance(value_a, int | Decimal) and isinstance(value_b, int | Decimal):
            delta = value_b - value_a
            if value_a:
                relative = (Decimal(delta) / Decimal(value_a)).quantize(Decimal("0.0001"))
        spec = a.template.cell(code_a)
        changes.append(
            CellChange(
                code_a, code_b, spec.label_zh, spec.label_en, value_a, value_b, delta, relative
            )
        )
    return Diff(
        tuple(changes),
        _narrative_changes(a, b),
        tuple(not_comparable),
        _heading(a, "A"),
        _heading(b, "B"),
    )


def _heading(report: Report, fallback: str) -> str:
    """A report as a column heading: agency and year, or ``fallback`` when neither is known."""
    meta = report.metadata
    words = [meta.agency or "", str(meta.reporting_year or "")]
    return " ".join(word for word in words if word) or fallback


def _narrative_changes(a: Report, b: Report) -> tuple[SectionChange, ...]:
    changes = []
    numbers = {s.number for r in (a, b) for s in r.sections or ()} | set(range(1, 7))
    for number in sorted(numbers):
        section_a, section_b = a.section(number), b.section(number)
        text_a = section_a.text if section_a else ""
        text_b = section_b.text if section_b else ""
        if text_a == text_b:
            continue
        lines = difflib.unified_diff(
            text_a.splitlines(), text_b.splitlines(), "a", "b", lineterm="", n=1
        )
        heading = (section_b or section_a).heading  # type: ignore[union-attr]
        changes.append(SectionChange(number, heading, "\n".join(lines)))
    return tuple(changes)


def diff_html(result: Diff) -> str:
    """The diff as an HTML fragment: a table of changed cells and the narrative diffs.

    Built with ElementTree, so every value is escaped.
    """
    root = ET.Element("div", {"class": "ogi-diff"})
    if result.cells:
        table = ET.SubElement(root, "table")
        head = ET.SubElement(table, "tr")
        for title in ("code", "单元格 cell", result.label_a, result.label_b, "Δ", "%"):
            ET.SubElement(head, "th").text = title
        for change in result.cells:
            row = ET.SubElement(table, "tr")
            percent = f"{change.relative * 100:+.1f}%" if change.relative is not None else ""
            delta = f"{change.delta:+}" if change.delta is not None else ""
            for text in (
                change.code,
                change.label_zh,
                _cell_text(change.a),
                _cell_text(change.b),
                delta,
                percent,
            ):
                ET.SubElement(row, "td").text = text
    for section in result.sections:
        ET.SubElement(root, "h4").text = section.heading
        ET.SubElement(root, "pre").text = section.diff
    if result.not_comparable:
        ET.SubElement(root, "p").text = "not comparable across formats: " + ", ".join(
            result.not_comparable
        )
    if not result:
        ET.SubElement(root, "p").text = "no differences"
    return ET.tostring(root, encoding="unicode", method="html")


def _cell_text(value: Cell | None) -> str:
    return "" if value is None else str(format_cell(value))
