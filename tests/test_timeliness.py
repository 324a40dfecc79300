"""Timeliness (issue 12 item 3): the publication date read with where it came from, the
body's kind and level inferred from its name with the reason stated, and REPORT.LATE not
assessed (a note, not a pass) when the date or the deadline is unknown."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

import ogi_report
from ogi_report import AdminLevel, BodyKind, check
from ogi_report.bodies import infer_body
from ogi_report.writers.render import to_markdown

TITLE = "示例县人民政府2021年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("name", "kind", "level", "county_or_above"),
    [
        ("示例县人民政府", BodyKind.PEOPLES_GOVERNMENT, AdminLevel.COUNTY, True),
        ("示例省人民政府", BodyKind.PEOPLES_GOVERNMENT, AdminLevel.PROVINCIAL, True),
        ("示例市人民政府", BodyKind.PEOPLES_GOVERNMENT, None, True),  # 地级 or 县级市
        ("示例市示例区人民政府", BodyKind.PEOPLES_GOVERNMENT, AdminLevel.COUNTY, True),
        ("示例镇人民政府", BodyKind.PEOPLES_GOVERNMENT, AdminLevel.TOWNSHIP, False),
        ("示例街道办事处", BodyKind.OTHER, AdminLevel.TOWNSHIP, False),
        ("示例县发展和改革局", BodyKind.GOVERNMENT_DEPARTMENT, AdminLevel.COUNTY, True),
        ("示例县市场监督管理局", BodyKind.GOVERNMENT_DEPARTMENT, AdminLevel.COUNTY, True),
        ("示例县住房和城乡建设局", BodyKind.GOVERNMENT_DEPARTMENT, AdminLevel.COUNTY, True),
        ("示例县人民政府办公室", BodyKind.GOVERNMENT_DEPARTMENT, AdminLevel.COUNTY, True),
        ("示例省教育厅", BodyKind.GOVERNMENT_DEPARTMENT, AdminLevel.PROVINCIAL, True),
    ],
)
def test_a_name_settles_kind_and_level(
    name: str, kind: BodyKind, level: AdminLevel | None, county_or_above: bool
) -> None:
    """Kind, level and 县级以上 from the name, with a reason naming the place."""
    inferred = infer_body(name)
    assert inferred is not None
    assert (inferred.kind, inferred.level, inferred.county_or_above) == (
        kind,
        level,
        county_or_above,
    )
    assert "示例" in inferred.reason
    assert "示例" in inferred.reason_zh


@pytest.mark.parametrize(
    "name", ["示例综合实验区管委会", "示例经济开发区管理委员会", "示例协会", ""]
)
def test_a_name_that_does_not_settle_is_not_guessed(name: str) -> None:
    """Zones, bodies with no place, empty names: nothing inferred."""
    assert infer_body(name) is None


def _report_text(signature: str) -> str:
    text = to_markdown(ogi_report.example_report("2021"))
    return text.replace("2022年3月28日", "") + f"\n\n示例县人民政府办公室\n{signature}\n"


def test_the_signature_date_is_read_with_where() -> None:
    """落款: the date signed under the report becomes published_on, and notes say where."""
    report = ogi_report.read(_report_text("2022年4月6日").encode(), form="text")
    assert report.metadata.published_on == date(2022, 4, 6)
    assert "落款" in (report.metadata.notes or "")
    assert "<bytes>:" in (report.metadata.notes or "")


def test_a_signature_far_from_the_year_is_not_the_publication_date() -> None:
    """A date five years after the reporting year is not taken for the publication."""
    report = ogi_report.read(_report_text("2027年4月6日").encode(), form="text")
    assert report.metadata.published_on is None


def test_late_by_the_inferred_deadline_with_the_inference_stated() -> None:
    """No kind or level in the metadata: the name gives a county government, 3月31日."""
    report = ogi_report.read(_report_text("2022年4月6日").encode(), form="text")
    assert report.metadata.body_kind is None
    late = [f for f in check(report) if f.code == "REPORT.LATE"]
    assert len(late) == 1
    assert "2022-03-31" in late[0].message_en
    assert "as its name says" in late[0].message_en
    assert "依名称" in late[0].message_zh


def test_a_department_is_due_by_january_31() -> None:
    """A department's name: its deadline is 1月31日."""
    report = ogi_report.example_report("2021")
    meta = attrs.evolve(
        report.metadata,
        agency="示例县发展和改革局",
        body_kind=None,
        level=None,
        published_on=date(2022, 2, 1),
    )
    late = [f for f in check(attrs.evolve(report, metadata=meta)) if f.code == "REPORT.LATE"]
    assert [f.message_en.count("2022-01-31") for f in late] == [1]


def test_no_date_is_not_a_pass_but_a_note() -> None:
    """No publication date: REPORT.LATE is not assessed, and the findings' notes say so."""
    report = ogi_report.example_report("2021")
    undated = attrs.evolve(report, metadata=attrs.evolve(report.metadata, published_on=None))
    findings = check(undated)
    assert "REPORT.LATE" not in {f.code for f in findings}
    assert any(
        n.startswith("REPORT.LATE not assessed: no publication date") for n in findings.notes
    )
    ignored = check(undated, ogi_report.CheckOptions(ignore={"REPORT.LATE"}))
    assert not any(n.startswith("REPORT.LATE") for n in ignored.notes)


def test_no_deadline_is_a_note_naming_why() -> None:
    """A zone whose name settles nothing, no deadline option: not assessed, and why."""
    report = ogi_report.example_report("2021")
    meta = attrs.evolve(report.metadata, agency="示例综合实验区管委会", body_kind=None, level=None)
    findings = check(attrs.evolve(report, metadata=meta))
    assert any("REPORT.LATE not assessed: no deadline" in n for n in findings.notes)
    with_option = check(
        attrs.evolve(report, metadata=attrs.evolve(meta, published_on=date(2022, 5, 1))),
        ogi_report.CheckOptions(deadline=date(2022, 4, 30)),
    )
    assert "REPORT.LATE" in {f.code for f in with_option}
