"""What a check found (检查结果): one :class:`Finding` per failed rule instance.

>>> f = Finding("S3.BALANCE", Severity.ERROR, "total", ("s3.new.total",), 5, 4, 1, 0,
...             "one", "一")
>>> findings = Findings((f,))
>>> findings.flatten(("code", "instance"))
[('S3.BALANCE', 'total')]
>>> findings.has_errors
True
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any, overload

import attrs

from .cells import Provenance
from .errors import ReportErrors, RuleViolation

__all__ = ["Finding", "Findings", "Severity"]


def __dir__() -> list[str]:
    return __all__


class Severity(enum.Enum):
    """How bad a finding is: the tables contradict themselves, look wrong, or just a fact."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort key, worst first (0 errors, 1 warnings, 2 information)."""
        return _RANKS[self]


_RANKS = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

Value = int | Decimal | str | None


@attrs.frozen
class Finding:
    """One failed rule instance, with the numbers that show it.

    ``published`` is the value the report prints (the left side of an identity),
    ``computed`` what the other cells imply, ``difference`` = published - computed,
    ``tolerance`` the slack allowed (0 for counts). ``cells`` are canonical codes.
    """

    code: str
    severity: Severity
    instance: str | None
    cells: tuple[str, ...]
    published: Value
    computed: Value
    difference: Value
    tolerance: Value
    message_en: str
    message_zh: str
    source: str | None = None
    location: str | None = None
    """Where the first of ``cells`` was printed (``file:line:col``, page, element path)."""
    provenance: Provenance | None = attrs.field(default=None, eq=False, repr=False)
    """The same place as fields (line and span, page and box, element path)."""

    @property
    def message(self) -> str:
        """The English message followed by the Chinese one."""
        return f"{self.message_en} / {self.message_zh}"

    def __str__(self) -> str:
        where = f"{self.location or self.source}: " if self.location or self.source else ""
        return f"{where}{self.severity.value} {self.code}: {self.message_en}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its fields, in order: loading them back costs half what attrs' state
        # dict does, and a batch's main process loads every finding its workers send.
        return Finding, _finding_fields(self)


_finding_fields = attrgetter(*(field.name for field in attrs.fields(Finding)))


@attrs.frozen
class Findings(Sequence[Finding]):
    """The findings of one check, worst first, with ways to filter and summarise them.

    ``notes`` say what was not checked and why (years not consecutive, names that differ).
    """

    items: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        for name in ("items", "notes"):
            if type(getattr(self, name)) is not tuple:
                object.__setattr__(self, name, tuple(getattr(self, name)))

    @overload
    def __getitem__(self, index: int) -> Finding: ...
    @overload
    def __getitem__(self, index: slice) -> Findings: ...
    def __getitem__(self, index: int | slice) -> Finding | Findings:
        if isinstance(index, slice):
            return Findings(self.items[index], self.notes)
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def __repr__(self) -> str:
        counts = Counter(f.severity.value for f in self.items)
        parts = ", ".join(f"{counts[s.value]} {s.value}" for s in Severity if counts[s.value])
        return f"<Findings: {parts or 'none'}>"

    def _repr_html_(self) -> str:
        """Jupyter: a table of the findings, worst first (values escaped by ElementTree)."""
        import xml.etree.ElementTree as ET  # for Jupyter only: not on every import

        table = ET.Element("table", {"class": "ogi-findings"})
        head = ET.SubElement(table, "tr")
        for title in (
            "severity",
            "code",
            "cells",
            "published",
            "computed",
            "difference",
            "message",
        ):
            ET.SubElement(head, "th").text = title
        colours = {"error": "#f8c9cc", "warning": "#fde9b0", "info": "#e8f0fe"}
        for finding in self.items:
            row = ET.SubElement(
                table, "tr", {"style": f"background:{colours[finding.severity.value]}"}
            )
            cells = ", ".join(finding.cells[:4]) + (" …" if len(finding.cells) > 4 else "")
            for text in (
                finding.severity.value,
                finding.code,
                cells,
                _text(finding.published),
                _text(finding.computed),
                _text(finding.difference),
                finding.message,
            ):
                ET.SubElement(row, "td").text = text
        if not self.items:
            ET.SubElement(ET.SubElement(table, "tr"), "td").text = "no findings"
        return ET.tostring(table, encoding="unicode", method="html")

    @property
    def errors(self) -> Findings:
        """Only the findings of severity error."""
        return self.filter(severity=Severity.ERROR)

    @property
    def has_errors(self) -> bool:
        """True if any finding is an error."""
        return any(f.severity is Severity.ERROR for f in self.items)

    def filter(
        self,
        *,
        code: str | Iterable[str] | None = None,
        severity: Severity | str | None = None,
        cell: str | None = None,
    ) -> Findings:
        """The findings with this code (or code prefix ending in ``.``), severity, or cell.

        >>> Findings().filter(code="S3.", severity="error")
        <Findings: none>
        """
        items: Iterable[Finding] = self.items
        if code is not None:
            codes = (code,) if isinstance(code, str) else tuple(code)
            items = [f for f in items if any(_code_matches(f.code, c) for c in codes)]
        if severity is not None:
            wanted = Severity(severity)
            items = [f for f in items if f.severity is wanted]
        if cell is not None:
            items = [f for f in items if cell in f.cells]
        return Findings(tuple(items), self.notes)

    def flatten(self, fields: Sequence[str] = ("code", "instance")) -> list[tuple[object, ...]]:
        """Each finding as a tuple of the named fields: a one-line way to assert findings."""
        return [tuple(getattr(f, name) for name in fields) for f in self.items]

    def summary(self) -> dict[str, int]:
        """``{code: count}``, most frequent first."""
        return dict(Counter(f.code for f in self.items).most_common())

    def to_records(self) -> list[dict[str, object]]:
        """One dict per finding, by field name, severity as its value; for ``pandas.DataFrame``,
        CSV or JSON (a Decimal stays a Decimal).

        >>> from ogi_report import check, example_report
        >>> check(example_report("2019")).to_records()[0]["code"]
        'S3.BALANCE'
        """
        return [
            {
                field: (getattr(f, field).value if field == "severity" else getattr(f, field))
                for field in _RECORD_FIELDS
            }
            for f in self.items
        ]

    def to_frame(self) -> Any:
        """The findings as a ``pandas.DataFrame`` (the ``pandas`` extra), one row each:
        ``cells`` joined by ", ", numeric columns ``Int64`` where every value is a count.

        >>> from ogi_report import check, example_report
        >>> frame = check(example_report("2019")).to_frame()
        >>> frame.loc[0, "code"], int(frame.loc[0, "difference"])
        ('S3.BALANCE', 1)
        >>> str(frame["difference"].dtype)
        'Int64'
        """
        try:
            import pandas
        except ImportError:
            raise ImportError("DataFrames need pandas: pip install 'ogi-report[pandas]'") from None
        records = self.to_records()
        for record in records:
            record["cells"] = ", ".join(record["cells"])  # type: ignore[arg-type]
        frame = pandas.DataFrame.from_records(records, columns=list(_RECORD_FIELDS))
        for column in ("published", "computed", "difference", "tolerance"):
            values = [record[column] for record in records]
            if all(type(v) is int or v is None for v in values):
                frame[column] = pandas.array(values, dtype="Int64")
        return frame

    def raise_if_errors(self) -> None:
        """Strict mode: raise one :class:`~ogi_report.errors.ReportErrors` of every error."""
        errors = [RuleViolation(f) for f in self.items if f.severity is Severity.ERROR]
        if errors:
            raise ReportErrors(f"{len(errors)} error finding(s)", errors)


#: The fields of a finding's record, in order (:meth:`Findings.to_records`).
_RECORD_FIELDS = (
    "source",
    "location",
    "severity",
    "code",
    "instance",
    "cells",
    "published",
    "computed",
    "difference",
    "tolerance",
    "message_en",
    "message_zh",
)


def _text(value: Value) -> str:
    return "" if value is None else str(value)


def _code_matches(code: str, wanted: str) -> bool:
    return code.startswith(wanted) if wanted.endswith(".") else code == wanted
