"""Machine output (issue 11 item 1): check's JSON and JSON Lines over the corpus validate
against the published, versioned schema; the report JSON names its definitions and writes
a report's own source once."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import jsonschema  # type: ignore[import-untyped, unused-ignore]
import pytest

import ogi_report
from ogi_report.cells import Provenance
from ogi_report.cli import main
from ogi_report.writers.json import json_schema
from ogi_report.writers.results import SCHEMA_VERSION, check_record_schema

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.parametrize("form", ["json", "jsonl"])
def test_check_output_over_the_corpus_validates(
    form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every record check prints for the corpus is valid against ``schema --findings``."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this repository")
    main(["check", str(CORPUS), "-r", "--format", form, "-j", "1"])
    out = capsys.readouterr().out
    records = json.loads(out) if form == "json" else [json.loads(x) for x in out.splitlines()]
    validator = jsonschema.Draft202012Validator(check_record_schema())
    for record in records:
        validator.validate(record)
    files = {record["file"] for record in records if record["kind"] == "file"}
    assert len(files) == 10  # every report of the corpus, no README, no truth file
    assert all(not f.endswith((".truth.json", "README.md")) for f in files)
    assert {r["schema_version"] for r in records} == {SCHEMA_VERSION}
    located = [f["location"] for r in records for f in r["findings"] if f["location"]]
    assert any(place["line"] is not None or place["page"] is not None for place in located)


def test_report_schema_titles_every_object() -> None:
    """Each object definition of the report JSON schema has a title a class can be named by."""
    titles: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object":
                titles.append(node.get("title", ""))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json_schema())
    assert titles
    assert all(title.isidentifier() and title[0].isupper() for title in titles), titles


def test_the_report_source_is_written_once() -> None:
    """Cells read from one file do not repeat its path; reading gives the same report."""
    report = ogi_report.read(Path(__file__).parents[1] / "examples" / "shili-county-2017.txt")
    data = json.loads(ogi_report.dumps(report))
    assert data["metadata"]["source"]
    assert all("source" not in where for where in data["provenance"].values())
    assert ogi_report.loads(ogi_report.dumps(report)) == report


def test_a_cell_of_another_or_no_source_round_trips() -> None:
    """A place in another file, or in none, stays so through JSON."""
    report = ogi_report.read(Path(__file__).parents[1] / "examples" / "shili-county-2017.txt")
    where = dict(report.provenance)
    where["s3.requests.received"] = Provenance(source="other.txt", line=3)
    where["s3.requests.answered"] = attrs.evolve(where["s3.requests.answered"], source=None)
    changed = attrs.evolve(report, provenance=where)
    assert ogi_report.loads(ogi_report.dumps(changed)) == changed
