"""Progress (issue 11 item 3): bars for long phases, never glued to output; callbacks in
the Python batch API."""

from __future__ import annotations

import builtins
import io
from pathlib import Path
from typing import Any

import attrs
import pytest

import ogi_report
from ogi_report.aggregate import ReportSet
from ogi_report.cli import main
from ogi_report.progress import Progress


def _folder(tmp_path: Path, n: int) -> Path:
    report = ogi_report.example_report("2021")
    for i in range(n):
        meta = attrs.evolve(report.metadata, agency=f"示例{i:02d}县人民政府")
        renamed = attrs.evolve(report, metadata=meta)
        (tmp_path / f"r{i:02d}.json").write_bytes(ogi_report.dumps(renamed))
    return tmp_path


def test_callback_is_told_each_step() -> None:
    """A callback gets (done, total) after each step; a phase can grow."""
    seen: list[tuple[int, int | None]] = []
    with Progress(2, "pairs", callback=lambda done, total: seen.append((done, total))) as bar:
        bar.update()
        bar.grow(1)
        bar.update()
        bar.update()
    assert seen == [(1, 2), (2, 3), (3, 3)]


def test_without_tqdm_a_line_is_rewritten(monkeypatch: pytest.MonkeyPatch) -> None:
    """No tqdm: one line rewritten in place, cleared before other text is printed."""
    real_import = builtins.__import__

    def no_tqdm(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "tqdm":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)
    err = io.StringIO()
    with Progress(50, "files", show=True, file=err) as bar:
        for _ in range(50):
            bar.update()
        with bar.printing():
            pass
    text = err.getvalue()
    assert "\r50/50 files" in text
    assert "\r\033[K" in text  # the line cleared before printing
    assert text.endswith("\n")


def test_tqdm_bar_and_printing(tmp_path: Path) -> None:
    """With tqdm, a bar on the given stream; printing clears it."""
    pytest.importorskip("tqdm")
    err = io.StringIO()
    with Progress(3, "files", show=True, file=err) as bar:
        bar.update(3)
        with bar.printing():
            pass
    assert "3/3" in err.getvalue()


def test_cli_bars_on_stderr_never_in_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--progress: bars for files and pairs on stderr; stdout lines stay whole."""
    folder = _folder(tmp_path, 4)
    assert main(["check", str(folder), "--progress", "-j", "1"]) == 0
    captured = capsys.readouterr()
    assert "files" in captured.err
    assert "\r" not in captured.out
    assert all(
        line.startswith(str(folder)) or line.startswith("summary") or line.startswith("  ")
        for line in captured.out.splitlines()
    )


def test_report_set_from_directory_reports_progress(tmp_path: Path) -> None:
    """ReportSet.from_directory(progress=callback): told after each file."""
    folder = _folder(tmp_path, 3)
    (folder / "README.md").write_text("# not a report", encoding="utf-8")
    seen: list[tuple[int, int | None]] = []
    reports, errors = ReportSet.from_directory(folder, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert (len(reports.reports), errors) == (3, ())
