"""The ogi-report command: exit statuses, text and JSON output, convert, schema, rules."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest

import ogi_report
from ogi_report.cells import format_cell
from ogi_report.cli import main
from ogi_report.model import Report

FINDING_KEYS = {"code", "severity", "cells", "published", "computed", "difference", "message"}


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
    """--format json prints a list of finding objects with the documented keys."""
    path = _write(tmp_path, "2019")
    assert main(["check", "--format", "json", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list)
    assert data
    for item in data:
        assert isinstance(item, dict)
        assert set(item) >= FINDING_KEYS
    balance = next(item for item in data if item["code"] == "S3.BALANCE")
    assert balance["severity"] == "error"
    assert balance["published"] == 80
    assert balance["computed"] == 79
    assert balance["difference"] == 1
    assert "s3.new.total" in balance["cells"]
    assert balance["file"] == str(path)


def test_check_json_format_without_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format json on a correct report prints an empty list and exits 0."""
    path = _write(tmp_path, "2021")
    assert main(["check", "--format", "json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out) == []


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
    """A JSON-form file with a section numbered 9 exits 2, naming the file, no traceback."""
    data = json.loads(ogi_report.dumps(ogi_report.example_report("2021")))
    data["sections"][0]["number"] = 9
    path = tmp_path / "section-9.json"
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
    """Without a command, argparse exits with status 2 and a usage message."""
    with pytest.raises(SystemExit) as excinfo:
        main([])
    assert excinfo.value.code == 2
    assert "usage" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the program name and version."""
    with pytest.raises(SystemExit) as excinfo:
        main(["--version"])
    assert excinfo.value.code == 0
    assert capsys.readouterr().out.startswith("ogi-report ")
