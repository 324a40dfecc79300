"""Fictional reports of 示例县人民政府, one in each format, for docs, tests and first steps.

The 2019-format report (year 2020) carries one deliberate error: 一、本年新收 prints a
总计 of 78 where its columns sum to 77. The 2021-format report (year 2021) is correct,
and its 上年结转 follows from the 2020 report's 结转下年度.

>>> example_report("2021").metadata.agency
'示例县人民政府'
>>> example_report("2019")["s3.new.total"]
78

:func:`main` writes both as JSON files into a folder (the repository's ``examples/``
folder is made this way, and a test keeps it current).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from .cells import Cell
from .model import AdminLevel, BodyKind, Metadata, Part, Report, Section
from .templates import get_template

__all__ = ["example_report", "main"]


def __dir__() -> list[str]:
    return __all__


_AGENCY = "示例县人民政府"

_TABLES_2019: Mapping[str, Mapping[str, Sequence[Cell]]] = {
    "s2.article_20_1": {"rules": (0, 0, 2), "normative_documents": (10, 10, 80)},
    "s2.article_20_5": {"licensing": (120, 3, 14876), "other_services": (35, 0, 2210)},
    "s2.article_20_6": {"penalties": (410, -5, 1987), "coercion": (28, 0, 41)},
    "s2.article_20_8": {"fees": (12, -1)},
    "s2.article_20_9": {"procurement": (46, Decimal("2315.78"))},
    "s3": {
        "new": (70, 6, 0, 0, 1, 0, 78),  # the deliberate error: the columns sum to 77
        "carried_over": (2, 0, 0, 0, 0, 0, 2),
        "granted": (30, 3, 0, 0, 1, 0, 34),
        "partly_granted": (9, 1, 0, 0, 0, 0, 10),
        "withheld_state_secret": (0, 0, 0, 0, 0, 0, 0),
        "withheld_prohibited_by_law": (1, 0, 0, 0, 0, 0, 1),
        "withheld_three_safeties": (0, 0, 0, 0, 0, 0, 0),
        "withheld_third_party": (1, 0, 0, 0, 0, 0, 1),
        "withheld_internal_affairs": (2, 0, 0, 0, 0, 0, 2),
        "withheld_process_info": (1, 0, 0, 0, 0, 0, 1),
        "withheld_enforcement_file": (0, 0, 0, 0, 0, 0, 0),
        "withheld_inquiry": (0, 0, 0, 0, 0, 0, 0),
        "unavailable_not_held": (12, 1, 0, 0, 0, 0, 13),
        "unavailable_needs_creation": (4, 0, 0, 0, 0, 0, 4),
        "unavailable_unclear": (1, 0, 0, 0, 0, 0, 1),
        "not_processed_petition": (2, 0, 0, 0, 0, 0, 2),
        "not_processed_duplicate": (1, 0, 0, 0, 0, 0, 1),
        "not_processed_publication": (1, 0, 0, 0, 0, 0, 1),
        "not_processed_excessive": (0, 0, 0, 0, 0, 0, 0),
        "not_processed_confirmation": (0, 0, 0, 0, 0, 0, 0),
        "other": (3, 0, 0, 0, 0, 0, 3),
        "handled_total": (68, 5, 0, 0, 1, 0, 74),
        "carried_forward": (4, 1, 0, 0, 0, 0, 5),
    },
    "s4": {
        "review": (2, 1, 0, 0, 3),
        "suit_direct": (1, 0, 0, 1, 2),
        "suit_after_review": (0, 0, 0, 0, 0),
    },
}

_TABLES_2021: Mapping[str, Mapping[str, Sequence[Cell]]] = {
    "s2.article_20_1": {"rules": (0, 0, 2), "normative_documents": (12, 3, 85)},
    "s2.article_20_5": {"licensing": (15230,)},
    "s2.article_20_6": {"penalties": (2104,), "coercion": (37,)},
    "s2.article_20_8": {"fees": (Decimal("356.42"),)},
    "s3": {
        "new": (86, 9, 1, 0, 2, 1, 99),
        "carried_over": (4, 1, 0, 0, 0, 0, 5),
        "granted": (41, 6, 1, 0, 1, 0, 49),
        "partly_granted": (12, 2, 0, 0, 1, 0, 15),
        "withheld_state_secret": (0, 0, 0, 0, 0, 0, 0),
        "withheld_prohibited_by_law": (1, 0, 0, 0, 0, 0, 1),
        "withheld_three_safeties": (0, 0, 0, 0, 0, 0, 0),
        "withheld_third_party": (2, 0, 0, 0, 0, 0, 2),
        "withheld_internal_affairs": (1, 0, 0, 0, 0, 0, 1),
        "withheld_process_info": (3, 0, 0, 0, 0, 0, 3),
        "withheld_enforcement_file": (0, 0, 0, 0, 0, 0, 0),
        "withheld_inquiry": (1, 0, 0, 0, 0, 0, 1),
        "unavailable_not_held": (14, 1, 0, 0, 0, 1, 16),
        "unavailable_needs_creation": (3, 0, 0, 0, 0, 0, 3),
        "unavailable_unclear": (2, 0, 0, 0, 0, 0, 2),
        "not_processed_petition": (2, 0, 0, 0, 0, 0, 2),
        "not_processed_duplicate": (1, 0, 0, 0, 0, 0, 1),
        "not_processed_publication": (0, 0, 0, 0, 0, 0, 0),
        "not_processed_excessive": (0, 0, 0, 0, 0, 0, 0),
        "not_processed_confirmation": (1, 0, 0, 0, 0, 0, 1),
        "other_no_correction": (2, 0, 0, 0, 0, 0, 2),
        "other_no_fee": (0, 0, 0, 0, 0, 0, 0),
        "other_other": (1, 1, 0, 0, 0, 0, 2),
        "handled_total": (87, 10, 1, 0, 2, 1, 101),
        "carried_forward": (3, 0, 0, 0, 0, 0, 3),
    },
    "s4": {
        "review": (3, 1, 0, 1, 5),
        "suit_direct": (2, 0, 1, 0, 3),
        "suit_after_review": (1, 0, 0, 1, 2),
    },
}

_SECTIONS_2019 = (
    Section(
        1,
        "一、总体情况",
        (
            Part(
                "（一）主动公开情况",
                "2020年，示例县人民政府通过县政府门户网站主动公开政府信息2315条，"
                "制发规范性文件10件并全部公开。",
            ),
            Part(
                "（二）依申请公开情况",
                "全年共收到政府信息公开申请77件，上年结转2件，均在法定期限内答复。",
            ),
            Part("（三）政府信息管理", "开展规范性文件清理，建立政府信息公开属性源头认定机制。"),
            Part("（四）平台建设", "完成县政府门户网站集约化改造，政府信息公开专栏栏目统一规范。"),
            Part("（五）监督保障", "将政务公开纳入年度绩效考核，开展社会评议，落实责任追究制度。"),
        ),
    ),
    Section(2, "二、主动公开政府信息情况", ()),
    Section(3, "三、收到和处理政府信息公开申请情况", ()),
    Section(4, "四、政府信息公开行政复议、行政诉讼情况", ()),
    Section(
        5,
        "五、存在的主要问题及改进情况",
        (
            Part(
                None,
                "一是政策解读形式较为单一；二是基层公开标准目录更新不及时。"
                "2021年将丰富解读形式，按季度更新标准目录。",
            ),
        ),
    ),
    Section(6, "六、其他需要报告的事项", (Part(None, "本年度未收取信息处理费。"),)),
)

_SECTIONS_2021 = (
    Section(
        1,
        "一、总体情况",
        (
            Part(
                "（一）主动公开",
                "2021年，示例县人民政府主动公开政府信息2680条，制发行政规范性文件12件，废止3件。",
            ),
            Part(
                "（二）依申请公开",
                "全年共收到政府信息公开申请99件，上年结转5件。"
                "本年度共办理政府信息公开申请101件，其中予以公开49件，占48.5%；部分公开15件，占14.9%。",
            ),
            Part("（三）政府信息管理", "完善政府信息公开审查机制，动态更新政府信息公开指南。"),
            Part(
                "（四）政府信息公开平台建设",
                "县政府门户网站与政务新媒体协同发布，政府信息公开平台运行平稳。",
            ),
            Part(
                "（五）监督保障",
                "将政务公开纳入年度绩效考核，开展社会评议，未发生需要责任追究的情形。",
            ),
        ),
    ),
    Section(2, "二、主动公开政府信息情况", ()),
    Section(3, "三、收到和处理政府信息公开申请情况", ()),
    Section(4, "四、政府信息公开行政复议、行政诉讼情况", ()),
    Section(
        5,
        "五、存在的主要问题及改进情况",
        (
            Part(
                None,
                "一是部分部门信息更新不及时；二是政策解读质量有待提高。"
                "下一步将建立信息更新提醒机制，加强解读培训。",
            ),
        ),
    ),
    Section(6, "六、其他需要报告的事项", (Part(None, "本年度未收取信息处理费。"),)),
)


def _cells(version: str, tables: Mapping[str, Mapping[str, Sequence[Cell]]]) -> dict[str, Cell]:
    template = get_template(version)
    cells: dict[str, Cell] = {}
    for table_key, rows in tables.items():
        spec = template.table(table_key)
        for row_key, values in rows.items():
            cells.update(zip(spec.row_codes(row_key), values))
    return cells


def example_report(version: str = "2021") -> Report:
    """The fictional 示例县 report in format ``version`` ("2019": year 2020, "2021": year 2021)."""
    if version == "2019":
        year, published, tables, sections = 2020, "2021年3月26日", _TABLES_2019, _SECTIONS_2019
    elif version == "2021":
        year, published, tables, sections = 2021, "2022年3月28日", _TABLES_2021, _SECTIONS_2021
    else:
        raise KeyError(f"no example in format {version!r}; formats: 2019, 2021")
    metadata = Metadata(
        agency=_AGENCY,
        body_kind=BodyKind.PEOPLES_GOVERNMENT,
        level=AdminLevel.COUNTY,
        reporting_year=year,
        published_on=published,
        source=f"示例县{year}年政府信息公开工作年度报告（虚构示例）",
    )
    return Report.from_cells(version, _cells(version, tables), metadata=metadata, sections=sections)


def main(argv: Sequence[str] | None = None) -> int:
    """Write both examples as JSON into the folder given (default ``examples``)."""
    from .writers.json import dumps

    folder = Path((argv if argv is not None else sys.argv[1:] or ["examples"])[0])
    folder.mkdir(parents=True, exist_ok=True)
    for version in ("2019", "2021"):
        report = example_report(version)
        name = f"shili-county-{report.metadata.reporting_year}.json"
        (folder / name).write_bytes(dumps(report, indent=True))
    return 0
