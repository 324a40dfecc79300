"""Read-and-check on a local Dask cluster gives what the local check gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogi_report import check, dumps, example_report
from ogi_report.distributed import check_file, check_files, summary

distributed = pytest.importorskip("dask.distributed")


def test_check_files_on_a_local_cluster(tmp_path: Path) -> None:
    """A two-worker local cluster checks every file; unreadable ones come back as errors."""
    paths = []
    for version in ("2019", "2021"):
        path = tmp_path / f"report-{version}.json"
        path.write_bytes(dumps(example_report(version)))
        paths.append(path)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    paths.append(broken)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False)
    with cluster, distributed.Client(cluster):
        records = check_files(paths).compute()
    assert [r.path for r in records] == [str(p) for p in paths]
    expected = {(f.code, f.severity.value, f.instance) for f in check(example_report("2019"))}
    assert set(records[0].findings) == expected
    assert records[1].findings == ()
    assert "not JSON" in (records[2].error or "")
    totals = summary(records)
    assert (totals["files"], totals["unreadable"]) == (2, 1)
    assert totals["codes"]["S3.BALANCE"] == 1


def test_check_file_records_who_and_when(tmp_path: Path) -> None:
    """One file's record carries its body key, year and format."""
    path = tmp_path / "r.json"
    path.write_bytes(dumps(example_report("2021")))
    record = check_file(str(path))
    assert (record.agency, record.year, record.template) == ("示例县人民政府", 2021, "2021")
