"""The ``ogi-report`` command: thin, from arguments to the API to output and an exit status.

Exit status of ``check``: 0 no error findings, 1 error findings, 2 an input could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

import attrs

from . import __version__
from .errors import InputError
from .findings import Finding, Findings
from .model import Report
from .readers import read
from .rules import RULES, CheckOptions, check, check_pair
from .rules.text import normalise
from .writers import dumps, json_schema, to_cells_json, to_csv

__all__ = ["main"]


def __dir__() -> list[str]:
    return __all__


EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _codes(text: str) -> frozenset[str]:
    return frozenset(code.strip() for code in text.split(",") if code.strip())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ogi-report",
        description="Check, convert and describe OGI annual reports (政府信息公开工作年度报告).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check_cmd = commands.add_parser(
        "check",
        help="check reports against the rules; two years of one body are also compared",
        description="Check each FILE. Exit status 0: no errors; 1: error findings;"
        " 2: a file could not be read.",
    )
    check_cmd.add_argument("files", nargs="+", metavar="FILE", type=Path)
    check_cmd.add_argument("--format", choices=("text", "json"), default="text")
    check_cmd.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language of messages"
    )
    check_cmd.add_argument(
        "--blank",
        choices=("zero", "skip"),
        default="zero",
        help="an empty cell counts as 0 (default) or makes the rules touching it not assessable",
    )
    check_cmd.add_argument(
        "--select", type=_codes, help="only these rule codes (or prefixes like TEXT.)"
    )
    check_cmd.add_argument(
        "--ignore", type=_codes, default=frozenset(), help="skip these rule codes"
    )
    check_cmd.add_argument(
        "--min-severity",
        choices=("error", "warning", "info"),
        default="info",
        help="hide findings below this severity",
    )

    convert = commands.add_parser("convert", help="write a report in another form")
    convert.add_argument("file", metavar="FILE", type=Path)
    convert.add_argument("--to", choices=("json", "cells-json", "cells-csv"), required=True)
    convert.add_argument("-o", "--output", type=Path, help="write here instead of standard output")

    schema = commands.add_parser("schema", help="print the JSON Schema of the JSON form")
    schema.add_argument("-o", "--output", type=Path, help="write here instead of standard output")

    commands.add_parser("rules", help="list the rule catalogue")
    return parser


def _fail(message: str) -> None:
    print(f"ogi-report: {message}", file=sys.stderr)


def _read(path: Path) -> Report | None:
    try:
        return read(path)
    except InputError as error:
        _fail(str(error) if error.source else f"{path}: {error}")
        return None


def _pairs(reports: Sequence[tuple[str, Report]]) -> Iterable[tuple[str, Report, str, Report]]:
    """Two files are a pair as given; more are grouped by normalised agency name."""
    if len(reports) == 2:
        (name_a, a), (name_b, b) = reports
        yield name_a, a, name_b, b
        return
    groups: dict[str, list[tuple[str, Report]]] = defaultdict(list)
    for name, report in reports:
        if report.metadata.agency and report.metadata.reporting_year is not None:
            groups[normalise(report.metadata.agency)].append((name, report))
    for members in groups.values():
        members.sort(key=lambda item: item[1].metadata.reporting_year or 0)
        for (name_a, a), (name_b, b) in pairwise(members):
            if (b.metadata.reporting_year or 0) - (a.metadata.reporting_year or 0) == 1:
                yield name_a, a, name_b, b


def _json_value(value: object) -> object:
    return format(value, "f") if isinstance(value, Decimal) else value


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "file": finding.source,
        "location": finding.location,
        "code": finding.code,
        "severity": finding.severity.value,
        "instance": finding.instance,
        "cells": list(finding.cells),
        "published": _json_value(finding.published),
        "computed": _json_value(finding.computed),
        "difference": _json_value(finding.difference),
        "tolerance": _json_value(finding.tolerance),
        "message": finding.message_en,
        "message_zh": finding.message_zh,
    }


def _print_text(
    results: Sequence[tuple[str, Report | None, Findings]], lang: str, out: IO[str]
) -> None:
    for name, report, findings in results:
        for finding in findings:
            message = finding.message_zh if lang == "zh" else finding.message_en
            where = finding.location or name
            print(f"{where}: {finding.severity.value} {finding.code}: {message}", file=out)
        for note in findings.notes:
            print(f"{name}: note: {note}", file=out)
        severities = {
            s: sum(1 for f in findings if f.severity.value == s)
            for s in ("error", "warning", "info")
        }
        status = ", ".join(_count(n, s) for s, n in severities.items() if n) or "no findings"
        if report is None:
            print(f"{name}: cross-year rules: {status}", file=out)
        else:
            meta = report.metadata
            label = f"{meta.agency or '(agency unknown)'} {meta.reporting_year or '(year unknown)'}"
            print(f"{name}: {label}, {report.template.version} format: {status}", file=out)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 or noun == "info" else f"{n} {noun}s"


def _check(args: argparse.Namespace) -> int:
    options = CheckOptions(blank=args.blank, select=args.select, ignore=args.ignore)
    rank = {"error": 0, "warning": 1, "info": 2}[args.min_severity]
    unreadable = False
    reports: list[tuple[str, Report]] = []
    results: list[tuple[str, Report | None, Findings]] = []
    for path in args.files:
        report = _read(path)
        if report is None:
            unreadable = True
            continue
        reports.append((str(path), report))
    for name, report in reports:
        results.append((name, report, check(report, options)))
    for name_a, a, name_b, b in _pairs(reports):
        results.append((f"{name_a} + {name_b}", None, check_pair(a, b, options)))
    shown = [
        (
            name,
            report,
            Findings(
                tuple(attrs.evolve(f, source=name) for f in findings if f.severity.rank <= rank),
                findings.notes,
            ),
        )
        for name, report, findings in results
    ]
    if args.format == "json":
        data = [_finding_json(f) for _, _, findings in shown for f in findings]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_text(shown, args.lang, sys.stdout)
    if unreadable:
        return EXIT_INPUT
    return EXIT_FINDINGS if any(findings.has_errors for _, _, findings in results) else EXIT_OK


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)


def _convert(args: argparse.Namespace) -> int:
    report = _read(args.file)
    if report is None:
        return EXIT_INPUT
    if args.to == "json":
        data = dumps(report, indent=True)
    elif args.to == "cells-json":
        data = json.dumps(to_cells_json(report), ensure_ascii=False, indent=2).encode() + b"\n"
    else:
        data = (to_csv(report) or "").encode()
    _write(data, args.output)
    return EXIT_OK


def _rules() -> int:
    for rule in RULES.values():
        templates = "/".join(sorted(rule.templates))
        columns = f"{rule.code:28} {rule.severity.value:8} {rule.scope:7} {templates:10}"
        print(f"{columns} {rule.title_en} ({rule.title_zh})")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "convert":
            return _convert(args)
        if args.command == "schema":
            _write(
                json.dumps(json_schema(), ensure_ascii=False, indent=2).encode() + b"\n",
                args.output,
            )
            return EXIT_OK
        return _rules()
    except OSError as error:
        _fail(f"{error.filename or ''}: {error.strerror or error}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
