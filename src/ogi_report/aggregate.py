"""Collections of reports: group by body and year, check them all, series and sums.

A body is found by a key the user can set (an alias map from printed names to an id);
by default the normalised agency name, since names change over the years (平潭综合实验区
（平潭县人民政府） → 平潭综合实验区管委会 → …管委会办公室).

>>> from ogi_report import example_report
>>> reports = ReportSet([example_report("2019"), example_report("2021")])
>>> reports.years("示例县人民政府")
(2020, 2021)
>>> [(year, value) for year, value in reports.series("示例县人民政府", "s3.new.total")]
[(2020, 78), (2021, 99)]
>>> total = reports.aggregate(2021)
>>> total.values["s3.new.total"], total.bodies
(99, ('示例县人民政府',))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from itertools import pairwise
from pathlib import Path

import attrs

from .cells import MISSING, Cell, add_cells
from .errors import InputError
from .findings import Findings
from .model import Report
from .progress import Callback, Progress
from .readers import read, skipped
from .rules import CheckOptions, check, check_pair
from .rules.text import normalise

__all__ = ["Aggregate", "ReportSet"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class Aggregate:
    """Cells summed over a set of bodies for one year, with what the sum covers.

    ``bodies`` are in the sum, ``missing`` were expected (or seen in other years) but have
    no report for the year. A sum of bodies' own (本机关) reports is not a region's summary
    (本行政区域汇总) report: compare them only where the summary declares its coverage.
    """

    year: int
    values: Mapping[str, Cell]
    bodies: tuple[str, ...]
    missing: tuple[str, ...]
    note: str = "a sum of 本机关 reports, not a 本行政区域 summary report: coverage as listed"

    def __repr__(self) -> str:
        return (
            f"<Aggregate {self.year}: {len(self.values)} cells over {len(self.bodies)} bodies,"
            f" {len(self.missing)} missing>"
        )


def _reports(reports: Iterable[Report]) -> tuple[Report, ...]:
    return tuple(reports)


@attrs.frozen
class ReportSet:
    """Reports of many bodies and years. ``aliases`` maps printed names to a body key."""

    reports: tuple[Report, ...] = attrs.field(converter=_reports)
    aliases: Mapping[str, str] = attrs.field(factory=dict)

    def __repr__(self) -> str:
        years = sorted({y for r in self.reports if (y := r.metadata.reporting_year) is not None})
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "none")
        return (
            f"<ReportSet: {len(self.reports)} reports, {len(self.bodies())} bodies, years {span}>"
        )

    @classmethod
    def from_directory(
        cls,
        folder: str | Path,
        *,
        recursive: bool = True,
        aliases: Mapping[str, str] | None = None,
        progress: bool | Callback | None = None,
    ) -> tuple[ReportSet, tuple[InputError, ...]]:
        """Read every file under ``folder``; returns the set and the files that failed.

        ``progress``: ``True`` shows a bar on standard error (tqdm's with the progress
        extra), a callable is told ``(done, total)`` after each file; by default a bar shows
        on a terminal.
        """
        paths = sorted(
            p
            for p in (Path(folder).rglob("*") if recursive else Path(folder).iterdir())
            if p.is_file() and not skipped(p)
        )
        reports: list[Report] = []
        errors: list[InputError] = []
        callback = progress if callable(progress) else None
        show = None if progress is None else progress is True
        with Progress(len(paths), "files", show=show, callback=callback) as bar:
            for path in paths:
                try:
                    reports.append(read(path))
                except InputError as error:
                    errors.append(error)
                bar.update()
        return cls(tuple(reports), aliases or {}), tuple(errors)

    def body(self, report: Report) -> str:
        """The body key of ``report``: its alias, else its normalised agency name."""
        name = report.metadata.agency or ""
        return self.aliases.get(name) or normalise(name) or "(agency unknown)"

    def bodies(self) -> dict[str, tuple[Report, ...]]:
        """Reports by body, each body's reports in year order."""
        groups: dict[str, list[Report]] = defaultdict(list)
        for report in self.reports:
            groups[self.body(report)].append(report)
        return {
            key: tuple(sorted(group, key=lambda r: r.metadata.reporting_year or 0))
            for key, group in sorted(groups.items())
        }

    def years(self, body: str) -> tuple[int, ...]:
        """The reporting years of one body."""
        return tuple(
            r.metadata.reporting_year
            for r in self.bodies().get(body, ())
            if r.metadata.reporting_year is not None
        )

    def series(self, body: str, code: str) -> Iterator[tuple[int | None, Cell]]:
        """(year, cell) for one body across its years; MISSING where a year lacks the cell."""
        for report in self.bodies().get(body, ()):
            yield report.metadata.reporting_year, report.values().get(code, MISSING)

    def check(self, options: CheckOptions | None = None) -> Iterator[tuple[str, Findings]]:
        """(label, findings) for every report, then for consecutive years of each body."""
        options = options or CheckOptions()
        for report in self.reports:
            yield _label(report), check(report, options)
        for reports in self.bodies().values():
            for previous, current in pairwise(reports):
                if (current.metadata.reporting_year or 0) - (
                    previous.metadata.reporting_year or 0
                ) == 1:
                    yield (
                        f"{_label(previous)} → {_label(current)}",
                        check_pair(previous, current, options),
                    )

    def aggregate(self, year: int, bodies: Iterable[str] | None = None) -> Aggregate:
        """Sum every cell over the bodies' reports for ``year``.

        A cell that is unreadable, ambiguous or missing in one report makes the sum
        MISSING (unknown), never a partial sum; an empty cell counts as 0.
        """
        wanted = set(bodies) if bodies is not None else set(self.bodies())
        present: dict[str, Report] = {}
        for key, reports in self.bodies().items():
            if key in wanted:
                for report in reports:
                    if report.metadata.reporting_year == year:
                        present[key] = report
        totals: dict[str, Cell] = {}
        for report in present.values():
            for code, value in report.values().items():
                totals[code] = add_cells(totals.get(code, 0), value)
        return Aggregate(year, totals, tuple(sorted(present)), tuple(sorted(wanted - set(present))))


def _label(report: Report) -> str:
    meta = report.metadata
    return f"{meta.source or meta.agency or '?'}"
