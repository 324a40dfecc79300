"""The ``ogi-report`` command: thin, from arguments to the API to output and an exit status.

Exit status of ``check``: 0 no error findings, 1 error findings, 2 an input could not be read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

import attrs

from . import __version__
from .aggregate import ReportSet
from .cells import format_cell
from .compare import diff, diff_html
from .errors import InputError
from .findings import Finding, Findings
from .indicators import INDICATORS, indicators
from .model import Report
from .readers import read
from .rules import RULES, CheckOptions, check, check_pair
from .rules.text import normalise
from .writers import dumps, json_schema, to_cells_json, to_csv
from .writers.render import to_html, to_markdown

__all__ = ["main"]


def __dir__() -> list[str]:
    return __all__


EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _codes(text: str) -> frozenset[str]:
    return frozenset(code.strip() for code in text.split(",") if code.strip())


_ALIASES_HELP = (
    "a JSON file {printed agency name: body key}: names that mean one body (names change)"
)


def _aliases(path: str) -> dict[str, str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise argparse.ArgumentTypeError(f"{path}: {error}") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise argparse.ArgumentTypeError(f"{path}: expected a JSON object of names to keys")
    return data


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
    check_cmd.add_argument("--format", choices=("text", "json", "jsonl"), default="text")
    check_cmd.add_argument(
        "-r", "--recursive", action="store_true", help="check the files in subfolders of a folder"
    )
    check_cmd.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="processes to use (default: every core)",
    )
    check_cmd.add_argument(
        "--progress", action="store_true", help="show progress on standard error"
    )
    check_cmd.add_argument("--summary", action="store_true", help="end with a summary table")
    check_cmd.add_argument("--aliases", type=_aliases, default={}, help=_ALIASES_HELP)
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
    convert.add_argument(
        "--to", choices=("json", "cells-json", "cells-csv", "parquet"), required=True
    )
    convert.add_argument("-o", "--output", type=Path, help="write here instead of standard output")

    diff_cmd = commands.add_parser("diff", help="what differs between two reports")
    diff_cmd.add_argument("first", metavar="A", type=Path)
    diff_cmd.add_argument("second", metavar="B", type=Path)
    diff_cmd.add_argument("--format", choices=("text", "json", "html"), default="text")

    render = commands.add_parser(
        "render", help="a report in the official layout, as HTML or Markdown"
    )
    render.add_argument("file", metavar="FILE", type=Path)
    render.add_argument("--to", choices=("html", "md"), default="html")
    render.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    render.add_argument(
        "--no-findings", action="store_true", help="HTML: do not highlight the cells of findings"
    )

    measures = commands.add_parser(
        "indicators", help="assessors' indicators per report and over all the files given"
    )
    measures.add_argument("files", nargs="+", metavar="FILE", type=Path)
    measures.add_argument("-r", "--recursive", action="store_true")
    measures.add_argument("--format", choices=("text", "json"), default="text")

    total = commands.add_parser(
        "aggregate", help="sum every cell over the bodies' reports of a year"
    )
    total.add_argument("files", nargs="+", metavar="FILE", type=Path)
    total.add_argument("--year", type=int, required=True)
    total.add_argument("-r", "--recursive", action="store_true")
    total.add_argument("--format", choices=("text", "json"), default="text")
    total.add_argument("--aliases", type=_aliases, default={}, help=_ALIASES_HELP)

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


def _print_text(results: Sequence[tuple[str, str, Findings]], lang: str, out: IO[str]) -> None:
    for name, label, findings in results:
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
        if not label:
            print(f"{name}: cross-year rules: {status}", file=out)
        else:
            print(f"{name}: {label}: {status}", file=out)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 or noun == "info" else f"{n} {noun}s"


def _files(paths: Sequence[Path], recursive: bool) -> list[Path]:
    """The files to check: files as given, folders expanded (into subfolders if asked)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            walk = path.rglob("*") if recursive else path.iterdir()
            found.extend(sorted(p for p in walk if p.is_file() and not p.name.startswith(".")))
        else:
            found.append(path)
    return found


@attrs.frozen
class _Checked:
    """What a worker sends back: enough to print and to pair, not the whole report."""

    name: str
    findings: Findings | None
    error: str | None = None
    agency: str | None = None
    year: int | None = None
    label: str = ""


def _check_one(job: tuple[str, CheckOptions]) -> _Checked:
    name, options = job
    try:
        report = read(Path(name))
    except InputError as error:
        return _Checked(name, None, str(error) if error.source else f"{name}: {error}")
    meta = report.metadata
    agency = meta.agency or "(agency unknown)"
    year = meta.reporting_year or "(year unknown)"
    label = f"{agency} {year}, {report.template.version} format"
    findings = check(report, options)
    findings = Findings(tuple(attrs.evolve(f, source=name) for f in findings), findings.notes)
    return _Checked(name, findings, None, meta.agency, meta.reporting_year, label)


def _results(names: list[str], options: CheckOptions, jobs: int) -> Iterator[_Checked]:
    work = [(name, options) for name in names]
    if jobs <= 1 or len(names) < 4:
        yield from map(_check_one, work)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_check_one, work, chunksize=max(1, min(64, len(work) // (jobs * 8))))


class _Progress:
    """A one-line progress count on standard error, for long batches on a terminal."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled, 0
        self.start = time.monotonic()

    def step(self) -> None:
        self.done += 1
        if self.enabled and (self.done % 50 == 0 or self.done == self.total):
            rate = self.done / max(time.monotonic() - self.start, 1e-9)
            print(
                f"\rchecked {self.done:,}/{self.total:,} files ({rate:,.0f}/s)",
                end="",
                file=sys.stderr,
            )
            if self.done == self.total:
                print(file=sys.stderr)


def _summary(counts: Counter[str], codes: Counter[str], out: IO[str]) -> None:
    print(
        f"summary: {counts['files']} files read, {counts['unreadable']} unreadable;"
        f" {_count(counts['error'], 'error')}, {_count(counts['warning'], 'warning')},"
        f" {counts['info']} info",
        file=out,
    )
    for code, n in codes.most_common(10):
        print(f"  {code:28} {n:>8}", file=out)


def _check(args: argparse.Namespace) -> int:
    options = CheckOptions(blank=args.blank, select=args.select, ignore=args.ignore)
    rank = {"error": 0, "warning": 1, "info": 2}[args.min_severity]
    names = [str(p) for p in _files(args.files, args.recursive)]
    explicit_pair = len(args.files) == 2 and len(names) == 2
    progress = _Progress(len(names), args.progress or (len(names) > 20 and sys.stderr.isatty()))
    counts: Counter[str] = Counter()
    codes: Counter[str] = Counter()
    collected: list[dict[str, Any]] = []
    index: list[_Checked] = []
    has_errors = False

    def emit(name: str, findings: Findings, label: str) -> None:
        nonlocal has_errors
        has_errors = has_errors or findings.has_errors
        shown = [f for f in findings if f.severity.rank <= rank]
        for finding in findings:
            counts[finding.severity.value] += 1
            codes[finding.code] += 1
        if args.format == "json":
            collected.extend(_finding_json(f) for f in shown)
        elif args.format == "jsonl":
            for finding in shown:
                print(json.dumps(_finding_json(finding), ensure_ascii=False))
        else:
            _print_text(
                [(name, label, Findings(tuple(shown), findings.notes))], args.lang, sys.stdout
            )

    for result in _results(names, options, args.jobs):
        progress.step()
        if result.findings is None:
            counts["unreadable"] += 1
            _fail(result.error or result.name)
            continue
        counts["files"] += 1
        emit(result.name, result.findings, result.label)
        index.append(result)
    for first, second in _pair_up(index, explicit_pair, args.aliases):
        a, b = _read(Path(first.name)), _read(Path(second.name))
        if a is not None and b is not None:
            pair = check_pair(a, b, options)
            name = f"{first.name} + {second.name}"
            pair = Findings(tuple(attrs.evolve(f, source=name) for f in pair), pair.notes)
            emit(name, pair, "")
    if args.format == "json":
        json.dump(collected, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    if len(names) > 2 or args.summary:
        _summary(counts, codes, sys.stderr if args.format != "text" else sys.stdout)
    if counts["unreadable"]:
        return EXIT_INPUT
    return EXIT_FINDINGS if has_errors else EXIT_OK


def _pair_up(
    index: list[_Checked], explicit: bool, aliases: dict[str, str]
) -> Iterator[tuple[_Checked, _Checked]]:
    """Two files given as a pair are compared as given; otherwise consecutive years of a body
    (its alias, else its normalised name)."""
    if explicit and len(index) == 2:
        yield index[0], index[1]
        return
    groups: dict[str, list[_Checked]] = defaultdict(list)
    for result in index:
        if result.agency and result.year is not None:
            groups[aliases.get(result.agency) or normalise(result.agency)].append(result)
    for members in groups.values():
        members.sort(key=lambda r: r.year or 0)
        for first, second in pairwise(members):
            if (second.year or 0) - (first.year or 0) == 1:
                yield first, second


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
    elif args.to == "parquet":
        if args.output is None:
            _fail("--to parquet writes a file: give it with -o")
            return EXIT_INPUT
        from .exports import to_parquet

        to_parquet(report, args.output)
        return EXIT_OK
    else:
        data = (to_csv(report) or "").encode()
    _write(data, args.output)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    a, b = _read(args.first), _read(args.second)
    if a is None or b is None:
        return EXIT_INPUT
    result = diff(a, b)
    if args.format == "json":
        data = {
            "cells": [
                {
                    "code": c.code,
                    "code_b": c.code_b,
                    "label_zh": c.label_zh,
                    "label_en": c.label_en,
                    "a": _json_value(format_cell(c.a)) if c.a is not None else None,
                    "b": _json_value(format_cell(c.b)) if c.b is not None else None,
                    "delta": _json_value(c.delta),
                    "relative": _json_value(c.relative),
                }
                for c in result.cells
            ],
            "sections": [
                {"number": s.number, "heading": s.heading, "diff": s.diff} for s in result.sections
            ],
            "not_comparable": list(result.not_comparable),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif args.format == "html":
        print(diff_html(result))
    else:
        for c in result.cells:
            change = f" ({c.delta:+})" if c.delta is not None else ""
            code = c.code if c.code == c.code_b else f"{c.code} → {c.code_b}"
            print(f"{code} {c.label_zh}: {_shown(c.a)} → {_shown(c.b)}{change}")
        for section in result.sections:
            print(f"\n{section.heading}\n{section.diff}")
        if result.not_comparable:
            print(f"\nnot comparable across formats: {', '.join(result.not_comparable)}")
        if not result:
            print("no differences")
    return EXIT_OK


def _shown(value: object) -> str:
    return "(not printed)" if value is None else str(format_cell(value))  # type: ignore[arg-type]


def _render(args: argparse.Namespace) -> int:
    report = _read(args.file)
    if report is None:
        return EXIT_INPUT
    if args.to == "md":
        text = to_markdown(report)
    else:
        text = to_html(report, () if args.no_findings else check(report))
    _write(text.encode(), args.output)
    return EXIT_OK


def _read_all(args: argparse.Namespace) -> tuple[list[Report], bool]:
    reports, unreadable = [], False
    for path in _files(args.files, args.recursive):
        report = _read(path)
        if report is None:
            unreadable = True
        else:
            reports.append(report)
    return reports, unreadable


def _indicators(args: argparse.Namespace) -> int:
    reports, unreadable = _read_all(args)
    rows = [(r.metadata.source or r.metadata.agency or "?", indicators(r)) for r in reports]
    if len(reports) > 1:
        rows.append(("(all files)", indicators(reports)))
    if args.format == "json":
        data = [
            {"report": name, **{k: _json_value(v) for k, v in values.items()}}
            for name, values in rows
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for name, values in rows:
            print(name)
            for key, value in values.items():
                shown = "not assessable" if value is None else f"{value:.2%}"
                print(f"  {key:28} {shown:>15}  {INDICATORS[key].name_zh}")
    return EXIT_INPUT if unreadable else EXIT_OK


def _aggregate(args: argparse.Namespace) -> int:
    reports, unreadable = _read_all(args)
    result = ReportSet(reports, args.aliases).aggregate(args.year)
    if args.format == "json":
        data = {
            "year": result.year,
            "bodies": list(result.bodies),
            "missing": list(result.missing),
            "note": result.note,
            "cells": {code: format_cell(value) for code, value in result.values.items()},
        }
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        missing = ", ".join(result.missing) or "none"
        print(f"{args.year}: {len(result.bodies)} bodies in the sum; missing: {missing}")
        print(f"note: {result.note}")
        for code, value in result.values.items():
            print(f"{code} {format_cell(value)}")
    return EXIT_INPUT if unreadable else EXIT_OK


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
        if args.command == "diff":
            return _diff(args)
        if args.command == "render":
            return _render(args)
        if args.command == "indicators":
            return _indicators(args)
        if args.command == "aggregate":
            return _aggregate(args)
        if args.command == "schema":
            _write(
                json.dumps(json_schema(), ensure_ascii=False, indent=2).encode() + b"\n",
                args.output,
            )
            return EXIT_OK
        return _rules()
    except BrokenPipeError:
        # The reader of our output went away (| head): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:
        _fail(f"{error.filename or ''}: {error.strerror or error}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
