"""``check`` finds a batch's files as it takes them: the same files, in the same order, as a
listing of every folder would give, without holding their names."""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import pytest

import ogi_report
from ogi_report import cli
from ogi_report.readers import skipped


def reference(folder: Path) -> list[str]:
    """What ``check -r`` checks in ``folder``, found the plain way: each folder listed with
    pathlib, its Paths sorted, links to folders not followed."""
    found: list[str] = []

    def visit(directory: Path) -> None:
        try:
            children = sorted(directory.iterdir(), key=lambda p: cli._path_order(p.name))
        except PermissionError:
            return
        for child in children:
            if child.is_dir() and not child.is_symlink():
                visit(child)
            elif not skipped(str(child)) and child.is_file():
                found.append(str(child))

    visit(folder)
    return found


def tree(root: Path) -> None:
    """Files, subfolders, hidden files, README and truth files, links to a file and to a
    folder, a broken link and a link that loops."""
    for name in ("b.json", "A.txt", "a.md", ".hidden.json", "README.md", "x.txt.truth.json"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("{}", encoding="utf-8")
    for sub in ("sub", "sub/deeper", "Sub2", "empty"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for name in ("sub/2021.json", "sub/deeper/2020.json", "Sub2/z.html", "sub/2020.json"):
        (root / name).write_text("{}", encoding="utf-8")
    (root / "link.json").symlink_to(root / "b.json")
    (root / "folder-link").symlink_to(root / "sub", target_is_directory=True)
    (root / "broken.json").symlink_to(root / "nowhere.json")
    (root / "loop.json").symlink_to(root / "loop.json")


def test_a_walk_finds_what_a_listing_of_every_folder_finds(tmp_path: Path) -> None:
    tree(tmp_path)
    found = cli._Files([tmp_path], recursive=True)
    assert found.count == len(reference(tmp_path)) == 8
    assert list(found) == reference(tmp_path)
    assert found.taken == 8
    assert found.unlisted == 0


def test_names_under_the_current_folder_are_printed_as_paths_print_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``check -r .`` names ``sub/2021.json``, not ``./sub/2021.json``, as pathlib does."""
    tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    names = list(cli._Files([Path(".")], recursive=True))
    assert names == reference(Path("."))
    assert os.path.join("sub", "2021.json") in names


def test_a_large_batch_is_taken_as_it_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past FILES_PEEKED names, the rest are found as they are taken (no count up front);
    counting them walks the folders again, quietly."""
    tree(tmp_path)
    monkeypatch.setattr(cli, "FILES_PEEKED", 3)
    found = cli._Files([tmp_path], recursive=True)
    assert found.count is None
    assert found.counted() == 8
    taken = iter(found)
    assert [next(taken) for _ in range(4)] == reference(tmp_path)[:4]
    assert found.taken == 4
    assert [*taken] == reference(tmp_path)[4:]
    assert found.taken == 8


def test_a_subfolder_that_cannot_be_read_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As ``rglob`` does: a subfolder that may not be listed holds nothing to check."""
    tree(tmp_path)
    listdir = os.listdir

    def refuse(path: str | Path) -> list[str]:
        if str(path).endswith("deeper"):
            raise PermissionError(13, "Permission denied", path)
        return listdir(path)

    monkeypatch.setattr(os, "listdir", refuse)
    names = list(cli._Files([tmp_path], recursive=True))
    assert names == [n for n in reference(tmp_path) if "deeper" not in n]


def test_a_batch_past_the_first_look_is_checked_whole_and_counted_for_its_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """More files than the first look finds: every one is checked, in order, the summary
    counts them all, and --progress shows the whole batch as its total."""
    report = ogi_report.example_report("2021")
    names = []
    for n in range(6):
        meta = attrs.evolve(report.metadata, agency=f"示例{n}县人民政府")
        path = tmp_path / f"body-{n}" / "2021.json"
        path.parent.mkdir()
        path.write_bytes(ogi_report.dumps(attrs.evolve(report, metadata=meta)))
        names.append(str(path))
    monkeypatch.setattr(cli, "FILES_PEEKED", 2)
    assert cli.main(["check", "-r", str(tmp_path), "-j", "2", "--progress", "--summary"]) == 0
    captured = capsys.readouterr()
    checked = [line.split(": ")[0] for line in captured.out.splitlines() if "示例" in line]
    assert checked == names
    assert "summary: 6 files read, 0 unreadable" in captured.out
    assert "/6" in captured.err
