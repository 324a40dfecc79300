"""Read and check corpora that outgrow one machine, on Dask (extra ``dask``).

The same read-and-check as ``ogi-report check DIR``, as a Dask bag: each task reads one
file where the file is (a shared disk or an object store mounted on the workers), checks
it, and sends back a small :class:`Checked` record, never the report, so memory on the
client stays flat. Cross-year pairs are then formed from the records' body and year.

Locally, on a laptop's cores::

    from dask.distributed import Client, LocalCluster
    from ogi_report.distributed import check_files, summary

    with Client(LocalCluster(n_workers=8)) as client:
        records = check_files(paths).compute()
    print(summary(records))

On a cluster, point ``Client`` at its scheduler instead; nothing else changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from .errors import InputError
from .readers import read
from .rules import CheckOptions, check
from .rules.text import normalise

__all__ = ["Checked", "check_file", "check_files", "summary"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class Checked:
    """What one file gave: who and when, the finding codes with severities, or the error."""

    path: str
    agency: str | None = None
    body: str | None = None
    year: int | None = None
    template: str | None = None
    findings: tuple[tuple[str, str, str | None], ...] = ()
    error: str | None = None


def check_file(path: str, options: CheckOptions | None = None) -> Checked:
    """Read and check one file; an unreadable file becomes a record with its error."""
    try:
        report = read(Path(path))
    except InputError as error:
        return Checked(path, error=str(error))
    meta = report.metadata
    findings = tuple(
        (f.code, f.severity.value, f.instance) for f in check(report, options or CheckOptions())
    )
    body = normalise(meta.agency) if meta.agency else None
    return Checked(path, meta.agency, body, meta.reporting_year, report.template.version, findings)


def check_files(
    paths: Iterable[str | Path],
    options: CheckOptions | None = None,
    *,
    npartitions: int | None = None,
) -> Any:
    """A dask bag of :class:`Checked`, one per path; ``.compute()`` runs it.

    Progress is Dask's own: ``with dask.diagnostics.ProgressBar(): bag.compute()`` on the
    local schedulers, ``distributed.progress(bag.persist())`` on a cluster.
    """
    try:
        import dask.bag
    except ImportError:
        raise ImportError("Dask needs the dask extra: pip install 'ogi-report[dask]'") from None
    names = [str(p) for p in paths]
    partitions = npartitions or max(1, min(len(names), 256))
    bag = dask.bag.from_sequence(names, npartitions=partitions)  # type: ignore[no-untyped-call]
    return bag.map(check_file, options)


def summary(records: Sequence[Checked]) -> dict[str, Any]:
    """Counts over the records: files, unreadable, findings by severity and by code."""
    severities: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    for record in records:
        for code, severity, _ in record.findings:
            severities[severity] += 1
            codes[code] += 1
    return {
        "files": sum(1 for r in records if r.error is None),
        "unreadable": sum(1 for r in records if r.error is not None),
        "severities": dict(severities),
        "codes": dict(codes.most_common()),
    }
