"""The cross-year rules on records (``check_records``, what a batch's workers compare) find
exactly what the rules as written on whole reports find: the same findings, messages, notes
and order, on generated pairs with odd cells, copied tables, copied, edited and missing
narratives, other names and years; also after a record's trip through pickle."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ogi_report
from ogi_report import cli
from ogi_report.cells import BLANK, MISSING, Ambiguous, Cell, NotApplicable, Unreadable
from ogi_report.findings import Finding, Findings
from ogi_report.model import Part, Report, Section
from ogi_report.rules import CheckOptions, check_pair
from ogi_report.rules import evaluate as ev
from ogi_report.rules.evaluate import check_records, pair_record
from ogi_report.rules.relations import pair_relations
from ogi_report.rules.text import normalise
from ogi_report.strategies import reports

# --- the rules as written before records: the oracle -------------------------------------------


def _copied_reports(previous: Report, current: Report) -> Iterator[Finding]:
    for table in current.tables:
        numbers = [v for v in table.cells if isinstance(v, (int, Decimal))]
        if not any(numbers):
            continue
        try:
            before = previous.table(table.key)
        except KeyError:
            continue
        if before.row_keys == table.row_keys and before.cells == table.cells:
            yield ev._report_finding(
                "X.COPIED",
                table.key,
                f"table {table.spec.caption_zh} is identical to the previous year's",
                f"表格{table.spec.caption_zh}与上年完全相同",
                tuple(code for code, _ in table.items()),
            )
    for section in current.sections or ():
        before_section = previous.section(section.number)
        body = normalise(section.text)
        if before_section is None or len(body) < 50:
            continue
        before_body = normalise(before_section.text)
        if body == before_body:
            yield ev._report_finding(
                "X.COPIED",
                f"section {section.number}",
                f"section {section.heading} is identical to the previous year's",
                f"{section.heading}与上年内容相同",
            )
        elif _near_identical(body, before_body):
            yield ev._report_finding(
                "X.COPIED",
                f"section {section.number}",
                f"section {section.heading} is near-identical to the previous year's"
                " (at least 90% the same text)",
                f"{section.heading}与上年内容基本相同（相同部分不少于90%）",
            )


def _near_identical(a: str, b: str) -> bool:
    if len(a) + len(b) > 4_000:
        grams_a, grams_b = ev._grams(a), ev._grams(b)
        return 2 * len(grams_a & grams_b) >= 0.9 * (len(grams_a) + len(grams_b))
    if 2 * sum((Counter(a) & Counter(b)).values()) < 0.9 * (len(a) + len(b)):
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9


def reference_check_pair(first: Report, second: Report, options: CheckOptions) -> Findings:
    """``check_pair`` as it was written on reports, before records."""
    years = (first.metadata.reporting_year, second.metadata.reporting_year)
    if years[0] is None or years[1] is None:
        return Findings((), ("cross-year rules not run: a reporting year is unknown",))
    previous, current = (first, second) if years[0] <= years[1] else (second, first)
    year_before, year = min(years[0], years[1]), max(years[0], years[1])
    if year - year_before != 1:
        return Findings(
            (), (f"cross-year rules not run: {year_before} and {year} are not consecutive years",)
        )
    notes: list[str] = []
    names = (previous.metadata.agency, current.metadata.agency)
    if names[0] != names[1]:
        notes.append(f"compared as one body although the names differ: {names[0]} / {names[1]}")
    zero_types = ev._zero_types(options)
    found: list[Finding] = []
    for relation in pair_relations(previous.template, current.template):
        if not options.wants(relation.rule):
            continue
        finding = ev._relation_finding(
            relation, current.values(), previous.values(), zero_types, notes
        )
        if finding is not None:
            found.append(finding)
    found.extend(_copied_reports(previous, current))
    return ev._sorted(found, options, notes)


# --- generated pairs -----------------------------------------------------------------------------

_ODD: tuple[Cell, ...] = (
    BLANK,
    MISSING,
    Ambiguous((23, 2)),
    Unreadable("见附件"),
    NotApplicable("/"),
    Decimal("1.5"),
    Decimal("2.00"),
    0,
    7,
)

_EXAMPLE_TEXTS = tuple(
    section.text
    for version in ("2019", "2021")
    for section in ogi_report.example_report(version).sections or ()
)


@st.composite
def _texts(draw: st.DrawFn) -> str:
    """A section's text: an example's, edited a little or a lot, short, empty, or long."""
    base = draw(st.sampled_from(_EXAMPLE_TEXTS))
    kind = draw(st.sampled_from(("as is", "edited", "short", "empty", "long", "other")))
    if kind == "edited":
        at = draw(st.integers(0, len(base)))
        return base[:at] + draw(st.text("年度件数政府信息公开 ２０２２", max_size=30)) + base[at:]
    if kind == "short":
        return base[: draw(st.integers(0, 60))]
    if kind == "empty":
        return ""
    if kind == "long":
        return base * draw(st.integers(10, 30))
    if kind == "other":
        return draw(st.text("政府信息公开工作年度报告本机关依申请答复", min_size=40, max_size=400))
    return base


@st.composite
def _edited(draw: st.DrawFn, section: Section) -> Section:
    """``section`` with a few characters changed: near-identical, or not quite."""
    text = section.text
    at = draw(st.integers(0, len(text)))
    cut = draw(st.integers(0, 12))
    inserted = draw(st.text("２０２２年件数增加减少", max_size=12))
    return attrs.evolve(section, parts=(Part(None, text[:at] + inserted + text[at + cut :]),))


@st.composite
def _sections(draw: st.DrawFn) -> tuple[Section, ...] | None:
    if draw(st.booleans()) and draw(st.booleans()):
        return None
    numbers = draw(st.lists(st.integers(1, 6), max_size=7))  # repeats: the first stands
    return tuple(Section(n, f"第{n}节", (Part(None, draw(_texts())),)) for n in numbers)


@st.composite
def _year_of(draw: st.DrawFn, report: Report, year: int | None, agency: str) -> Report:
    changes = draw(
        st.dictionaries(
            st.sampled_from(sorted(ev._pair_codes(report.template))), st.sampled_from(_ODD)
        )
    )
    report = report.replace_cells({k: v for k, v in changes.items() if k in report})
    metadata = ogi_report.Metadata(agency=agency, reporting_year=year)
    return attrs.evolve(report, metadata=metadata, sections=draw(_sections()))


@st.composite
def _pairs(draw: st.DrawFn) -> tuple[Report, Report]:
    versions = draw(st.sampled_from((("2019", "2021"), ("2021", "2021"), ("2019", "2019"))))
    first = draw(reports(versions[0]))
    second = draw(reports(versions[1]))
    if versions[0] == versions[1] and draw(st.booleans()):
        second = attrs.evolve(second, tables=first.tables)  # copied tables
    year = draw(st.sampled_from((2020, 2021)))
    later = draw(st.sampled_from((year + 1, year + 1, year, year + 2, None)))
    agencies = draw(st.sampled_from((("甲局", "甲局"), ("甲局", "乙局"))))
    first = draw(_year_of(first, year, agencies[0]))
    second = draw(_year_of(second, later, agencies[1]))
    narrative = draw(st.sampled_from(("its own", "copied", "copied and edited")))
    if narrative != "its own":
        sections = first.sections
        if sections is not None and narrative == "copied and edited":
            sections = tuple(draw(_edited(section)) for section in sections)
        second = attrs.evolve(second, sections=sections)
    return (first, second) if draw(st.booleans()) else (second, first)


_OPTIONS = st.sampled_from(
    (
        CheckOptions(),
        CheckOptions(blank="skip", not_applicable="skip"),
        CheckOptions(ignore=frozenset({"X.COPIED"})),
        CheckOptions(select=frozenset({"X.CARRY_OVER", "X.COPIED"})),
    )
)


def _same(found: Findings, expected: Findings) -> None:
    assert list(found) == list(expected)
    assert [f.message_en for f in found] == [f.message_en for f in expected]
    assert [f.message_zh for f in found] == [f.message_zh for f in expected]
    assert found.notes == expected.notes


@settings(max_examples=300, deadline=None)
@given(_pairs(), _OPTIONS)
def test_records_compare_as_the_reports(pair: tuple[Report, Report], options: CheckOptions) -> None:
    """check_pair, check_records and check_records on records that went through the batch's
    pickling all find what the rules as written on the reports find."""
    first, second = pair
    expected = reference_check_pair(first, second, options)
    _same(check_pair(first, second, options), expected)
    records = (pair_record(first), pair_record(second))
    _same(check_records(records[0], records[1], options), expected)
    sent = tuple(cli._unpickled(cli._record(report)[1]) for report in pair)
    assert sent == records
    _same(check_records(sent[0], sent[1], options), expected)


def test_examples_and_their_copies() -> None:
    """The examples as consecutive years, and a year copied outright (tables and text)."""
    first, second = (
        attrs.evolve(
            ogi_report.example_report(version),
            metadata=ogi_report.Metadata(agency="甲局", reporting_year=year),
        )
        for version, year in (("2019", 2020), ("2021", 2021))
    )
    copy = attrs.evolve(second, metadata=attrs.evolve(second.metadata, reporting_year=2022))
    for pair in ((first, second), (second, copy), (copy, second)):
        expected = reference_check_pair(*pair, CheckOptions())
        _same(check_pair(*pair), expected)
    assert {f.instance for f in check_pair(second, copy)} >= {"s3", "section 1"}


def test_record_singletons_survive_pickling() -> None:
    """BLANK, MISSING and the format come back as themselves: the rules test identity."""
    report = ogi_report.example_report("2021").replace_cells(
        {"s3.carried_over.natural_person": BLANK, "s3.carried_over.commercial": MISSING}
    )
    record = cli._unpickled(cli._record(report)[1])
    assert record.template is report.template
    cells = dict(zip(ev._pair_codes(report.template), record.cells))
    assert cells["s3.carried_over.natural_person"] is BLANK
    assert cells["s3.carried_over.commercial"] is MISSING


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.characters(codec="utf-8"), max_size=80),
    st.text(st.characters(codec="utf-8"), max_size=80),
)
def test_the_quick_bound_on_shared_characters_is_never_below_them(a: str, b: str) -> None:
    """_shared_at_most never says fewer than the characters two texts share (with repeats),
    astral characters and lone surrogates included, so it never refuses a near-identical
    pair that difflib would accept."""
    shared = sum((Counter(a) & Counter(b)).values())
    assert ev._shared_at_most(a, b) >= shared
    # ... and is the count it says it is: the shorter text's UTF-16 codes whose low byte
    # some code of the longer text has.
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    lows = set(long.encode("utf-16-le", "surrogatepass")[::2])
    codes = short.encode("utf-16-le", "surrogatepass")[::2]
    assert ev._shared_at_most(a, b) == sum(code in lows for code in codes)


def _batch(folder: Path) -> None:
    """Bodies of one to four years, a duplicate year, a second name for one body."""
    examples = {v: ogi_report.example_report(v) for v in ("2019", "2021")}
    for body in range(14):
        for year in range(2020, 2020 + body % 4 + 1):
            report = examples["2019" if year < 2021 else "2021"]
            if body % 3 == 0 and year > 2020:
                report = report.replace_cells({"s3.carried_over.total": year})
            metadata = ogi_report.Metadata(agency=f"第{body}局", reporting_year=year)
            path = folder / f"b{body:02}" / f"{year}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(ogi_report.dumps(attrs.evolve(report, metadata=metadata)))
    (folder / "b05" / "2020-again.json").write_bytes((folder / "b05" / "2020.json").read_bytes())


def test_comparisons_made_ahead_in_workers_print_as_those_made_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A batch in worker processes, most pairs compared ahead in the worker that checked
    both files, prints exactly what it prints checked in one process."""
    _batch(tmp_path)
    outputs = []
    for jobs in ("1", "2"):
        status = cli.main(["check", "-r", str(tmp_path), "-j", jobs, "--format", "jsonl"])
        outputs.append((status, capsys.readouterr()))
    assert outputs[0] == outputs[1]
    assert '"kind": "pair"' in outputs[0][1].out


def test_a_comparison_made_ahead_is_used_only_for_its_own_files_and_records() -> None:
    """The main process takes a worker's comparison only for the same two files with the
    same records (a file read twice may have changed in between)."""
    records = (b"first", b"second")
    ahead = cli._Ahead(("a.json", "b.json"), records, Findings(()), None)
    result = cli._Checked("b.json", Findings(()), ahead=(ahead,))
    same = (cli._Year("a.json", b"first"), cli._Year("b.json", b"second"))
    made = cli._made_ahead(result, same)
    assert made is not None
    assert made.pair
    assert made.files == ("a.json", "b.json")
    assert made.name == "a.json + b.json"
    for other in (
        (cli._Year("a.json", b"changed"), same[1]),
        (cli._Year("c.json", b"first"), same[1]),
        (same[1], same[0]),
    ):
        assert cli._made_ahead(result, other) is None
