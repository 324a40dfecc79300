"""The ogi-report command: exit statuses, text and JSON output, convert, schema, rules."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import attrs
import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ogi_report
from ogi_report import cli
from ogi_report.cells import BLANK, MISSING, Ambiguous, Cell, NotApplicable, Unreadable, format_cell
from ogi_report.cli import EXIT_USAGE, main
from ogi_report.model import Report
from ogi_report.rules.evaluate import PairRecord, _pair_codes, check_records, pair_record
from ogi_report.strategies import reports
from ogi_report.writers.results import check_record

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE_2020 = EXAMPLES / "shili-county-2020.json"
EXAMPLE_2021 = EXAMPLES / "shili-county-2021.json"
FINDING_KEYS = {
    "code",
    "severity",
    "cells",
    "published",
    "computed",
    "difference",
    "message_en",
    "message_zh",
    "location",
}


def _write(tmp_path: Path, version: str, name: str | None = None) -> Path:
    report = ogi_report.example_report(version)
    path = tmp_path / (name or f"example-{version}.json")
    path.write_bytes(ogi_report.dumps(report))
    return path


def _flat(report: Report) -> dict[str, object]:
    return {code: format_cell(value) for code, value in report.values().items()}


# --- check -------------------------------------------------------------------------------------


def test_check_correct_report_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """check on the correct 2021 example exits 0 and says "no findings"."""
    path = _write(tmp_path, "2021")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "no findings" in out
    assert str(path) in out


def test_check_report_with_errors_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """check on the 2019 example exits 1 with lines naming S3.BALANCE and S3.ROW_TOTAL."""
    path = _write(tmp_path, "2019")
    assert main(["check", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    balance = [line for line in lines if "S3.BALANCE" in line]
    row_total = [line for line in lines if "S3.ROW_TOTAL" in line]
    assert len(balance) == 1
    assert len(row_total) == 1
    assert balance[0].startswith(f"{path}: error S3.BALANCE")
    assert "80" in balance[0]
    assert "79" in balance[0]
    assert "2 errors" in lines[-1]


def test_check_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints one record per file: who, format, status, findings and notes."""
    path = _write(tmp_path, "2019")
    assert main(["check", "--format", "json", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [record["file"] for record in data] == [str(path)]
    record = data[0]
    assert (record["status"], record["agency"], record["year"], record["format"]) == (
        "checked",
        "示例县人民政府",
        2020,
        "2019",
    )
    assert record["schema_version"] == 1
    for item in record["findings"]:
        assert set(item) >= FINDING_KEYS
    balance = next(item for item in record["findings"] if item["code"] == "S3.BALANCE")
    assert balance["severity"] == "error"
    assert balance["published"] == 80
    assert balance["computed"] == 79
    assert balance["difference"] == 1
    assert "s3.new.total" in balance["cells"]


def test_check_json_format_without_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format json on a correct report: its record with no findings, exit 0."""
    path = _write(tmp_path, "2021")
    assert main(["check", "--format", "json", str(path)]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert (record["status"], record["findings"]) == ("checked", [])


@pytest.mark.parametrize("order", ["forward", "reversed"])
def test_check_two_consecutive_years(
    order: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two files of consecutive years also give a cross-year line, in either order."""
    paths = [_write(tmp_path, "2019"), _write(tmp_path, "2021")]
    if order == "reversed":
        paths.reverse()
    assert main(["check", *map(str, paths)]) == 1
    out = capsys.readouterr().out
    cross = [line for line in out.splitlines() if "cross-year" in line]
    assert len(cross) == 1
    assert str(paths[0]) in cross[0]
    assert str(paths[1]) in cross[0]


def test_check_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing file exits 2 with one stderr line naming it and no traceback."""
    path = tmp_path / "nowhere.json"
    assert main(["check", str(path)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0]
    assert "Traceback" not in captured.err
    assert "Traceback" not in captured.out


def test_check_missing_file_among_good_ones_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing file among readable ones still exits 2; the readable one is checked."""
    good = _write(tmp_path, "2021")
    missing = tmp_path / "nowhere.json"
    assert main(["check", str(good), str(missing)]) == 2
    captured = capsys.readouterr()
    assert str(missing) in captured.err
    assert f"{good}: " in captured.out


@pytest.mark.parametrize(
    "content", [b"{not json", b"[1, 2]", b"%PDF-1.7", b'{"template": "2021", "tables": {"s9": {}}}']
)
def test_check_unreadable_file_exits_2(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Invalid JSON, a non-report JSON, a PDF or a bad report exits 2, naming the file."""
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_check_report_with_bad_section_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A JSON-form file with a section numbered 11 exits 2, naming the file, no traceback."""
    data = json.loads(ogi_report.dumps(ogi_report.example_report("2021")))
    data["sections"][0]["number"] = 11
    path = tmp_path / "section-11.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err
    assert "Traceback" not in err


def test_check_select_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--select S3. keeps S3.* findings only."""
    path = _write(tmp_path, "2019")
    assert main(["check", "--select", "S3.", str(path)]) == 1
    out = capsys.readouterr().out
    assert "S3.BALANCE" in out
    assert "S3.ROW_TOTAL" in out
    assert "TEXT.NARRATIVE_MISMATCH" not in out


def test_check_select_one_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--select S3.BALANCE keeps that rule only."""
    path = _write(tmp_path, "2019")
    assert main(["check", "--select", "S3.BALANCE", str(path)]) == 1
    out = capsys.readouterr().out
    assert "S3.BALANCE" in out
    assert "S3.ROW_TOTAL" not in out


def test_check_ignore_errors_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--ignore of every erring rule leaves no errors: exit 0."""
    path = _write(tmp_path, "2019")
    assert main(["check", "--ignore", "S3.BALANCE,S3.ROW_TOTAL", str(path)]) == 0
    out = capsys.readouterr().out
    assert "S3.BALANCE" not in out
    assert "S3.ROW_TOTAL" not in out


def test_check_min_severity_hides_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--min-severity error hides warnings but keeps the exit status."""
    path = _write(tmp_path, "2019")
    assert main(["check", "--min-severity", "error", str(path)]) == 1
    out = capsys.readouterr().out
    assert "S3.BALANCE" in out
    assert "TEXT.NARRATIVE_MISMATCH" not in out


def test_check_lang_zh(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--lang zh prints the Chinese messages."""
    path = _write(tmp_path, "2019")
    assert main(["check", "--lang", "zh", str(path)]) == 1
    out = capsys.readouterr().out
    balance = next(line for line in out.splitlines() if "S3.BALANCE" in line)
    assert "第一项加第二项之和" in balance
    assert "new + carried over" not in balance


# --- check: cross-year pairs in a batch -------------------------------------------------------


def _year(
    folder: Path, name: str, agency: str, year: int, changes: dict[str, Cell] | None = None
) -> Path:
    """The 2021 example as ``agency``'s report for ``year``, written to ``folder/name``."""
    report = ogi_report.example_report("2021").replace_cells(changes or {})
    metadata = attrs.evolve(report.metadata, agency=agency, reporting_year=year)
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(ogi_report.dumps(attrs.evolve(report, metadata=metadata)))
    return path


def _pairs_printed(out: str) -> list[str]:
    status = ": cross-year rules: "
    return [line.split(status)[0] for line in out.splitlines() if status in line]


def _statuses(out: str) -> list[str]:
    """Who each status line is of: a file, or a pair of files."""
    return [
        line.split(": ")[0]
        for line in out.splitlines()
        if " format: " in line or ": cross-year rules: " in line
    ]


def _bodies(folder: Path) -> tuple[list[str], list[str]]:
    """Files of four bodies; the status lines expected, and the pairs alone. Consecutive
    years are compared in either order, the earlier year first, right after the file that
    completes the pair."""
    a = [str(_year(folder, f"a/{y}.json", "甲局", y)) for y in (2021, 2022, 2023)]
    b = [str(_year(folder, "b/x.json", "乙局", 2022)), str(_year(folder, "b/y.json", "乙局", 2021))]
    c = [str(_year(folder, f"c/{y}.json", "丙局", y)) for y in (2020, 2022)]  # not consecutive
    d = str(_year(folder, "d/2021.json", "丁局", 2021))  # alone
    pairs = [f"{a[0]} + {a[1]}", f"{a[1]} + {a[2]}", f"{b[1]} + {b[0]}"]
    statuses = [a[0], a[1], pairs[0], a[2], pairs[1], b[0], b[1], pairs[2], *c, d]
    return statuses, pairs


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_compares_consecutive_years_of_each_body(
    jobs: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-r over four bodies: each pair of consecutive years of a body is compared once, right
    after the file that completes it, the same with one process or two."""
    statuses, _ = _bodies(tmp_path)
    main(["check", "-r", str(tmp_path), "-j", jobs])
    assert _statuses(capsys.readouterr().out) == statuses


def test_batch_output_is_the_same_for_any_number_of_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pairs are printed in one order, whatever the processes and the chunks sent to them."""
    for n in range(12):
        for year in (2021, 2022):
            _year(tmp_path, f"body-{n:02}/{year}.json", f"第{n}局", year)
    outputs = []
    for jobs in ("1", "2", "3"):
        main(["check", "-r", str(tmp_path), "-j", jobs])
        outputs.append(capsys.readouterr().out)
    assert len(_pairs_printed(outputs[0])) == 12
    assert outputs[1] == outputs[0]
    assert outputs[2] == outputs[0]


def test_a_batch_laid_out_by_year_compares_each_body_the_same_with_any_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Folders by year (``2021/``, ``2022/``): no worker holds both years of a body, every
    comparison goes back to a worker, many to a task; the output is the same whatever the
    processes, one comparison per body."""
    for n in range(20):
        for year in (2021, 2022):
            _year(tmp_path, f"{year}/body-{n:02}.json", f"第{n}局", year)
    outputs = []
    for jobs in ("1", "2"):
        main(["check", "-r", str(tmp_path), "-j", jobs])
        outputs.append(capsys.readouterr().out)
    assert outputs[1] == outputs[0]
    assert len(_pairs_printed(outputs[0])) == 20


def test_a_task_holds_files_or_many_more_comparisons() -> None:
    """A task takes up to ``size`` files, a comparison counting as PAIRS_PER_FILE-th of one;
    what is left stays for the next."""
    year = cli._Year("a.json", b"")
    pair = (year, year)
    items: list[cli._Item] = ["a", pair, "b", *[pair] * (2 * cli.PAIRS_PER_FILE), "c"]
    feed = iter(items)
    first = cli._chunk(feed, 2)
    assert first == ("a", pair, "b")
    second = cli._chunk(feed, 2)
    assert second == (pair,) * (2 * cli.PAIRS_PER_FILE)
    assert cli._chunk(feed, 2) == ("c",)
    assert cli._chunk(feed, 2) == ()


@pytest.mark.parametrize("budget", [0, 5000])
def test_held_years_moved_to_disk_pair_as_in_memory(
    budget: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Years waiting for a neighbour held on disk (a small memory budget) give the same
    pairs in the same order as when all are held in memory."""
    statuses, _ = _bodies(tmp_path)
    monkeypatch.setattr(cli, "HELD_IN_MEMORY", budget)
    main(["check", "-r", str(tmp_path), "-j", "1"])
    assert _statuses(capsys.readouterr().out) == statuses


def test_a_body_whose_years_stayed_in_memory_is_not_looked_up_on_disk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once years move to the temporary database, only the bodies that have some there are
    looked up in it (a filter of their keys); their years are found all the same."""
    monkeypatch.setattr(cli, "HELD_IN_MEMORY", 3000)
    held = cli._Held()
    for year in (2019, 2020, 2021):
        held.put("甲局", year, (f"a/{year}.json", b"x" * 1000))
    held.put("乙局", 2021, ("b/2021.json", b"y" * 10))
    assert held._db is not None  # 甲局's years moved there
    real = held._db
    queries: list[tuple[object, ...]] = []

    class Counting:
        def execute(self, *args: object) -> object:
            queries.append(args)
            return real.execute(*args)  # type: ignore[arg-type]

        def close(self) -> None:
            real.close()

    held._db = Counting()  # type: ignore[assignment]
    assert set(held.around("乙局", 2021)) == {2021}
    assert set(held.around("丙局", 2021)) == set()
    assert queries == []
    assert set(held.around("甲局", 2020)) == {2019, 2020, 2021}
    assert len(queries) == 1
    held.close()


def test_held_years_stay_in_memory_when_the_disk_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No temporary database (a full disk, no sqlite3): years stay in memory, no pair lost."""
    statuses, _ = _bodies(tmp_path)

    def full() -> sqlite3.Connection:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(cli, "HELD_IN_MEMORY", 0)
    monkeypatch.setattr(cli, "_database", full)
    main(["check", "-r", str(tmp_path), "-j", "1"])
    captured = capsys.readouterr()
    assert _statuses(captured.out) == statuses
    assert captured.err == ""


def test_held_years_database_failing_to_read_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Held years that cannot be read back: one line naming the file, exit 2, the rest go on."""
    _year(tmp_path, "a/2021.json", "甲局", 2021)
    second = _year(tmp_path, "a/2022.json", "甲局", 2022)
    real = cli._Held.around

    def around(self: cli._Held, key: str, year: int) -> dict[int, tuple[str, bytes | None]]:
        if year == 2022:
            raise sqlite3.DatabaseError("database disk image is malformed")
        return real(self, key, year)

    monkeypatch.setattr(cli._Held, "around", around)
    assert main(["check", "-r", str(tmp_path), "-j", "1", "--summary"]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        f"ogi-report: {second}: cross-year rules not run: database disk image is malformed\n"
    )
    assert "1 cross-year comparison failed" in captured.out


def test_a_second_file_of_one_year_gets_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two files of one body and year: the first stands for the year, the other gets a note."""
    first = _year(tmp_path, "a.json", "甲局", 2021)
    again = _year(tmp_path, "b.json", "甲局", 2021)
    later = _year(tmp_path, "c.json", "甲局", 2022)
    assert main(["check", str(tmp_path), "-j", "1"]) == 1  # the years do not carry over
    out = capsys.readouterr().out
    assert _pairs_printed(out) == [f"{first} + {later}"]
    assert f"{again}: note: not compared across years: {first} came first for 2021" in out


def test_a_record_that_cannot_be_made_keeps_the_file_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file whose record for the cross-year rules fails keeps its own result, with a note;
    it is not compared."""
    first = _year(tmp_path, "a.json", "甲局", 2021)
    second = _year(tmp_path, "b.json", "甲局", 2022)

    def broken(report: Report) -> tuple[PairRecord, bytes]:
        raise RuntimeError("no record")

    monkeypatch.setattr(cli, "_record", broken)
    assert main(["check", str(first), str(second), "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert f"{first}: 甲局 2021, 2021 format: no findings" in out
    assert f"{second}: note: cross-year rules not run: {second}: internal error" in out
    assert _pairs_printed(out) == []


@pytest.mark.parametrize("option", [["--select", "S3."], ["--ignore", "X."]])
def test_no_cross_year_rule_no_comparison(
    option: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """When no X.* rule is selected, no pair is compared (and no record is made)."""
    statuses, pairs = _bodies(tmp_path)
    main(["check", "-r", str(tmp_path), "-j", "1", *option])
    assert _statuses(capsys.readouterr().out) == [s for s in statuses if s not in pairs]


def test_check_json_format_is_one_json_array(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format json over a batch with pairs: one array, written as json.dump(indent=2) does."""
    _year(tmp_path, "a.json", "甲局", 2021)
    _year(tmp_path, "b.json", "甲局", 2022, {"s3.carried_over.total": 6})
    ogi_report_2019 = tmp_path / "c.json"
    ogi_report_2019.write_bytes(ogi_report.dumps(ogi_report.example_report("2019")))
    assert main(["check", str(tmp_path), "--format", "json", "-j", "1"]) == 1
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    codes = {item["code"] for record in data for item in record["findings"]}
    assert codes >= {"X.CARRY_OVER", "S3.BALANCE"}
    pair = next(record for record in data if record["kind"] == "pair")
    assert pair["files"] == [str(tmp_path / "a.json"), str(tmp_path / "b.json")]
    assert captured.out == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


_ODD_CELLS: dict[str, Cell] = {
    "s3.carried_over.natural_person": BLANK,
    "s3.carried_over.commercial": MISSING,
    "s3.carried_over.research": Ambiguous((23, 2)),
    "s3.carried_over.social_org": Unreadable("见附件"),
    "s3.carried_over.legal_service": NotApplicable("/"),
    "s3.carried_forward.natural_person": Decimal("1.5"),
    "s3.carried_forward.commercial": MISSING,
}


def _as_year(report: Report, year: int, odd: bool, narrative: bool) -> Report:
    if odd:
        assert all(code in report for code in _ODD_CELLS)
        report = report.replace_cells(_ODD_CELLS)
    sections = ogi_report.example_report(report.template.version).sections if narrative else None
    metadata = ogi_report.Metadata(agency="甲局", reporting_year=year)
    return attrs.evolve(report, metadata=metadata, sections=sections)


@given(
    st.tuples(reports("2019"), reports("2021")) | st.tuples(reports("2021"), reports("2021")),
    st.booleans(),
    st.booleans(),
)
def test_a_record_compares_as_its_report(
    pair: tuple[Report, Report], odd: bool, narrative: bool
) -> None:
    """The workers' records, pickled and read back, compare as the reports themselves, odd
    cells (blank, missing, ambiguous, text, /, decimals) included; MISSING and BLANK come
    back as themselves."""
    first = _as_year(pair[0], 2020, odd, narrative)
    second = _as_year(pair[1], 2021, odd, narrative)
    again, later = (cli._unpickled(cli._record(report)[1]) for report in (first, second))
    for report, copy in ((first, again), (second, later)):
        assert copy == pair_record(report)
        cells = dict(zip(_pair_codes(report.template), copy.cells))
        assert all(cells[c] is report[c] for c in cells if report.get(c) in (BLANK, MISSING))
    expected = ogi_report.check_pair(first, second)
    found = check_records(again, later)
    assert list(found) == list(expected)
    assert found.notes == expected.notes


# --- convert -----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_convert_to_json_stdout(
    version: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """convert --to json to stdout reads back to the same report."""
    path = _write(tmp_path, version)
    assert main(["convert", str(path), "--to", "json"]) == 0
    out = capsys.readouterr().out
    assert ogi_report.loads(out) == ogi_report.example_report(version)


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_convert_to_json_file(version: str, tmp_path: Path) -> None:
    """convert --to json -o FILE writes a file that reads back to the same report."""
    path = _write(tmp_path, version)
    output = tmp_path / "out.json"
    assert main(["convert", str(path), "--to", "json", "-o", str(output)]) == 0
    assert ogi_report.read(output) == ogi_report.example_report(version)


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_convert_to_cells_json(
    version: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """convert --to cells-json (stdout and -o) reads back to the same cells."""
    path = _write(tmp_path, version)
    report = ogi_report.example_report(version)
    assert main(["convert", str(path), "--to", "cells-json"]) == 0
    out = capsys.readouterr().out
    assert ogi_report.read(out).values() == report.values()
    output = tmp_path / "out.truth.json"
    assert main(["convert", str(path), "--to", "cells-json", "-o", str(output)]) == 0
    assert ogi_report.read(output).values() == report.values()
    assert json.loads(output.read_text(encoding="utf-8"))["template"] == version


@pytest.mark.parametrize("version", ["2019", "2021"])
def test_convert_to_cells_csv(
    version: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """convert --to cells-csv (stdout and -o) has one row per cell with its printed value."""
    path = _write(tmp_path, version)
    expected = {
        code: str(value) for code, value in _flat(ogi_report.example_report(version)).items()
    }
    assert main(["convert", str(path), "--to", "cells-csv"]) == 0
    out = capsys.readouterr().out
    output = tmp_path / "out.csv"
    assert main(["convert", str(path), "--to", "cells-csv", "-o", str(output)]) == 0
    for text in (out, output.read_text(encoding="utf-8")):
        rows = list(csv.DictReader(io.StringIO(text)))
        assert {row["code"]: row["printed"] for row in rows} == expected
        assert len(rows) == len(expected)


def test_convert_cells_json_to_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cells-JSON input converts to the JSON form with the same cells."""
    path = tmp_path / "in.truth.json"
    report = ogi_report.example_report("2021")
    path.write_text(
        json.dumps(ogi_report.to_cells_json(report), ensure_ascii=False), encoding="utf-8"
    )
    assert main(["convert", str(path), "--to", "json"]) == 0
    assert ogi_report.loads(capsys.readouterr().out).values() == report.values()


def test_convert_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """convert of a missing file exits 2 naming it on stderr."""
    path = tmp_path / "nowhere.json"
    assert main(["convert", str(path), "--to", "json"]) == 2
    captured = capsys.readouterr()
    assert str(path) in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_convert_to_unwritable_output_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """convert -o into a folder that does not exist exits 2 with a message, no traceback."""
    path = _write(tmp_path, "2021")
    output = tmp_path / "no-such-folder" / "out.json"
    assert main(["convert", str(path), "--to", "json", "-o", str(output)]) == 2
    err = capsys.readouterr().err
    assert "out.json" in err
    assert "Traceback" not in err


# --- schema and rules --------------------------------------------------------------------------


def test_schema_prints_valid_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """schema prints the JSON Schema as valid JSON, equal to json_schema()."""
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == ogi_report.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_to_file(tmp_path: Path) -> None:
    """schema -o FILE writes the schema there."""
    output = tmp_path / "schema.json"
    assert main(["schema", "-o", str(output)]) == 0
    assert json.loads(output.read_text(encoding="utf-8")) == ogi_report.json_schema()


def test_rules_lists_every_code(capsys: pytest.CaptureFixture[str]) -> None:
    """rules prints one line per rule of the catalogue, starting with its code."""
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    codes = [line.split()[0] for line in lines]
    assert codes == list(ogi_report.RULES)
    for line, rule in zip(lines, ogi_report.RULES.values()):
        assert rule.severity.value in line
        assert rule.title_zh in line


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Without a command: a usage message and exit status 64, not 2 (unreadable input)."""
    with pytest.raises(SystemExit) as excinfo:
        main([])
    assert excinfo.value.code == EXIT_USAGE
    assert "usage" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the program name and version."""
    with pytest.raises(SystemExit) as excinfo:
        main(["--version"])
    assert excinfo.value.code == 0
    assert capsys.readouterr().out.startswith("ogi-report ")


def test_unknown_rule_codes_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--select/--ignore with a code the catalogue lacks: usage error naming it, no check."""
    for option in ("--select", "--ignore"):
        with pytest.raises(SystemExit) as excinfo:
            main(["check", str(EXAMPLE_2020), option, "S3.BALANCE,S9.TYPO"])
        assert excinfo.value.code == EXIT_USAGE
        assert "'S9.TYPO' is not a rule code" in capsys.readouterr().err


def test_repeated_select_adds_up(capsys: pytest.CaptureFixture[str]) -> None:
    """Two --select options: the rules of both run, not only the last one's."""
    assert main(["check", str(EXAMPLE_2020), "--select", "S3.BALANCE", "--select", "TEXT."]) == 1
    out = capsys.readouterr().out
    assert "S3.BALANCE" in out
    assert "TEXT.NARRATIVE_MISMATCH" in out
    assert "S3.ROW_TOTAL" not in out


def test_no_file_to_check_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder with nothing to check (only a README and a truth file): exit 2, said so."""
    (tmp_path / "README.md").write_text("# reports", encoding="utf-8")
    (tmp_path / "a.txt.truth.json").write_text("{}", encoding="utf-8")
    assert main(["check", str(tmp_path), "-r"]) == 2
    assert "no file to check" in capsys.readouterr().err


def test_diff_exits_1_when_the_reports_differ(capsys: pytest.CaptureFixture[str]) -> None:
    """Like diff(1): 0 the same, 1 different."""
    assert main(["diff", str(EXAMPLE_2021), str(EXAMPLE_2021)]) == 0
    assert main(["diff", str(EXAMPLE_2020), str(EXAMPLE_2021)]) == 1
    capsys.readouterr()


def test_min_severity_hides_notes_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A note (what was not assessed) shows at the default, not under --min-severity warning."""
    data = json.loads(EXAMPLE_2021.read_text(encoding="utf-8"))
    data["metadata"]["published_on"] = None
    undated = tmp_path / "undated.json"
    undated.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    main(["check", str(undated)])
    assert "note: REPORT.LATE not assessed" in capsys.readouterr().out
    main(["check", str(undated), "--min-severity", "warning"])
    assert "note:" not in capsys.readouterr().out


def test_lang_zh_translates_the_summary_lines(capsys: pytest.CaptureFixture[str]) -> None:
    """--lang zh: messages, each file's summary line and the cross-year line in Chinese."""
    main(["check", str(EXAMPLE_2020), str(EXAMPLE_2021), "--lang", "zh"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[-3].endswith("示例县人民政府 2020，2019年版格式: 错误2项，警告1项")
    assert lines[-1].endswith("跨年度规则: 无检查结果")
    assert not any("format" in line or "findings" in line for line in lines)


def test_unreadable_file_is_a_json_record_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format jsonl: an unreadable file is a record with its error (and one stderr line)."""
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main(["check", str(broken), "--format", "jsonl"]) == 2
    captured = capsys.readouterr()
    [record] = [json.loads(line) for line in captured.out.splitlines()]
    assert (record["status"], record["file"]) == ("unreadable", str(broken))
    assert "broken.json" in record["error"]
    assert "broken.json" in captured.err


def test_findings_carry_structured_locations(capsys: pytest.CaptureFixture[str]) -> None:
    """A finding on a cell read from text names its line and column as fields."""
    text = (EXAMPLES / "shili-county-2017.txt").read_text(encoding="utf-8")
    broken = text.replace(
        "七、其他需要报告的事项\n无。", "七、其他需要报告的事项\n全年共受理申请16件。"
    )
    report = ogi_report.read(broken.encode(), form="text", name="report.txt")
    findings = ogi_report.check(report)
    ambiguous = next(f for f in findings if f.code == "CELL.AMBIGUOUS")
    record = check_record("report.txt", report=report, findings=findings)
    location = next(f for f in record["findings"] if f["code"] == "CELL.AMBIGUOUS")["location"]
    assert location["source"] == "report.txt"
    assert location["line"] == ambiguous.provenance.line  # type: ignore[union-attr]
    assert location["column"] >= 1
    assert location["text"] == ambiguous.location


def test_stdin_is_read_for_dash(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """FILE '-' reads standard input."""
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(EXAMPLE_2020.read_bytes())))
    assert main(["check", "-", "--format", "jsonl"]) == 1
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["agency"] == "示例县人民政府"


def test_rules_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    """rules --format json: every rule with its code, severity, scope and formats."""
    assert main(["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in rules] == list(ogi_report.RULES)
    assert {r["scope"] for r in rules} <= {"report", "pair"}


def test_findings_schema_is_published(capsys: pytest.CaptureFixture[str]) -> None:
    """schema --findings prints the versioned schema of check's records, titled per definition."""
    assert main(["schema", "--findings"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$id"].endswith("/v1")
    assert {d["title"] for d in schema["$defs"].values()} == {"Finding", "Location"}


def test_check_writes_a_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format html -o DIR: an index row per file and a page per readable report."""
    broken = tmp_path / "in" / "broken.json"
    broken.parent.mkdir()
    broken.write_text("{", encoding="utf-8")
    site = tmp_path / "site"
    status = main(
        [
            "check",
            str(EXAMPLE_2020),
            str(EXAMPLE_2021),
            str(broken),
            "--format",
            "html",
            "-o",
            str(site),
        ]
    )
    assert status == 2  # one file unreadable; the others are in the site all the same
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr") == 4  # the heading and three files
    assert "broken.json" in index
    assert len(list((site / "reports").glob("*.html"))) == 2
    assert "site:" in capsys.readouterr().err


def test_html_needs_a_folder(capsys: pytest.CaptureFixture[str]) -> None:
    """--format html without -o (or -o without html) is a usage error."""
    assert main(["check", str(EXAMPLE_2021), "--format", "html"]) == EXIT_USAGE
    assert "-o" in capsys.readouterr().err
