"""Hostile text and Markdown: runs of digits, huge numbers, huge texts, text between rows.

Each input is built here, scaled so the module runs in seconds; each read gives a Report or
one InputError within its time and memory bounds, and no printed text is silently lost.
"""

from __future__ import annotations

import pytest

import ogi_report
from ogi_report import MISSING, Ambiguous, InputError, Report, check
from ogi_report.cells import MAX_DIGITS, Unreadable
from ogi_report.readers._document import MAX_TEXT_CHARS
from ogi_report.writers.render import to_html, to_markdown

from .bounds import assert_kept, bounded, read_bounded

HEAD = (
    "示例县人民政府2021年政府信息公开工作年度报告\n"
    "一、总体情况\n本年度，示例县认真做好政府信息公开工作。\n"
)
S3_HEADING = "三、收到和处理政府信息公开申请情况\n"
S4_HEADING = "四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n"
TAIL = "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"
SENTENCE = "本表数据由县政务公开办公室复核后填报"


def _markdown() -> str:
    return to_markdown(ogi_report.example_report("2021"))


def _not_read_but_kept(report: Report, codes: list[str], digits: str) -> None:
    """The cells were not guessed (MISSING or Ambiguous), and the digits are kept."""
    for code in codes:
        value = report[code]
        assert value is MISSING or isinstance(value, Ambiguous), (code, value)
    assert_kept(report, digits)


@pytest.mark.parametrize("length", [24, 40, 100, 1_000])
def test_a_run_of_digits_in_section_4_is_bounded_work(length: int) -> None:
    """15 cells run together used to take time doubling per digit (24 digits: 12.8 s)."""
    digits = "1" * length
    report = read_bounded(HEAD + S4_HEADING + digits + "\n" + TAIL, seconds=10)
    assert isinstance(report, Report)
    _not_read_but_kept(report, ["s4.review.total", "s4.suit_direct.total"], digits)


@pytest.mark.parametrize("digits", ["1" * 40, "10" * 50, "9" * 100, "12" * 500])
def test_a_run_of_digits_in_a_section_3_row_is_bounded_work(digits: str) -> None:
    row = f"一、本年新收政府信息公开申请数量 {digits}\n"
    report = read_bounded(HEAD + S3_HEADING + row + TAIL, seconds=10)
    assert isinstance(report, Report)
    _not_read_but_kept(report, ["s3.new.total", "s3.new.natural_person"], digits)


def test_every_row_of_section_3_run_together_is_bounded_work() -> None:
    """The bound is on work, not readings: a whole table of hostile rows still ends."""
    rows = "".join(f"{row.zh[-1]} {'1' * 40}\n" for row in _s3_rows())
    report = read_bounded(HEAD + S3_HEADING + rows + TAIL, seconds=30)
    assert isinstance(report, Report)
    assert report["s3.new.total"] is MISSING


def _s3_rows() -> list[ogi_report.templates.RowSpec]:
    return list(ogi_report.get_template("2021").table("s3").rows)


@pytest.mark.parametrize("length", [MAX_DIGITS + 1, 5_000])
@pytest.mark.parametrize("form", ["markdown", "text"])
def test_a_number_past_any_count_is_unreadable_text(length: int, form: str) -> None:
    """More than MAX_DIGITS digits in one cell: Unreadable, and check still runs."""
    huge = "9" * length
    text = _markdown().replace("| 规章 | 0 | 0 | 2 |", f"| 规章 | {huge} | 0 | 2 |")
    if form == "text":
        text = text.replace("|", " ")
    report = read_bounded(text)
    assert isinstance(report, Report)
    value = report["s2.rules.issued"]
    assert value == Unreadable(huge) or value is MISSING
    assert_kept(report, huge)
    assert "CELL.NOT_NUMBER" in {f.code for f in check(report)} or value is MISSING


@pytest.mark.parametrize("length", [5_000, 80_000])
def test_digits_in_the_narrative_are_checked_in_linear_time(length: int) -> None:
    """A run of digits in the narrative used to make the percentage search quadratic, and a
    count of 5,000 digits made check raise."""
    text = _markdown().replace(
        "全年共收到政府信息公开申请99件",
        f"全年共收到政府信息公开申请{'7' * length}件占{'3' * length}%",
    )
    report = read_bounded(text)
    assert isinstance(report, Report)
    with bounded(10):
        findings = check(report)
    assert "TEXT.NARRATIVE_MISMATCH" not in {f.code for f in findings}


def test_a_long_text_is_read_within_memory_proportional_to_it() -> None:
    """The text stream keeps a few bytes per character, not several objects (issue 8: a
    50 MB text used to reach 4 GB)."""
    paragraph = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，回应社会关切。\n"
    text = HEAD + paragraph * (200_000 // len(paragraph)) + TAIL
    report = read_bounded(text, seconds=60, trace=True)
    assert isinstance(report, Report)
    assert report.sections is not None
    assert report.sections[0].text.count("回应社会关切") > 4_000


def test_more_text_than_a_report_holds_is_refused_up_front() -> None:
    text = "一、总体情况\n" + "政" * (MAX_TEXT_CHARS + 1)
    outcome = read_bounded(text, seconds=10)
    assert isinstance(outcome, InputError)
    assert f"{MAX_TEXT_CHARS}" in str(outcome)


def test_a_50_mb_text_file_is_refused_with_its_size(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "big.txt"  # type: ignore[operator]
    path.write_bytes(("一、总体情况\n" + "政府信息公开。\n" * 2_500_000).encode())
    outcome = read_bounded(path, seconds=20)
    assert isinstance(outcome, InputError)
    assert "characters" in str(outcome) or "bytes" in str(outcome)


@pytest.mark.parametrize("where", ["| 一、本年新收", "| （三）不予公开", "| 行政许可", "## 四、"])
def test_a_sentence_between_table_rows_is_kept(where: str) -> None:
    """Text a reader does not use lands in unplaced: never dropped between two rows."""
    text = _markdown()
    position = text.index(where)
    report = read_bounded(text[:position] + SENTENCE + "\n" + text[position:])
    assert isinstance(report, Report)
    assert_kept(report, SENTENCE)
    expected = ogi_report.example_report("2021")
    assert report.values() == expected.values()  # and every cell still read right


def test_a_sentence_between_rows_of_plain_text_is_kept() -> None:
    text = _markdown().replace("|", " ")
    position = text.index(" 1.属于国家秘密")
    report = read_bounded(text[:position] + "\n" + SENTENCE + "\n" + text[position:])
    assert isinstance(report, Report)
    assert_kept(report, SENTENCE)


@pytest.mark.parametrize("before", ["一、本年新收", "四、结转下年度", "规章"])
def test_a_full_width_html_row_between_rows_is_kept(before: str) -> None:
    pytest.importorskip("lxml")
    html = to_html(ogi_report.example_report("2021"))
    position = html.rindex("<tr>", 0, html.index(before))
    row = f'<tr><td colspan="8">{SENTENCE}</td></tr>'
    report = read_bounded(html[:position] + row + html[position:], form="html")
    assert isinstance(report, Report)
    assert_kept(report, SENTENCE)
    assert report.values() == ogi_report.example_report("2021").values()
