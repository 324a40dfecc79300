"""The 2019 format (国办公开办函〔2019〕60号), for reporting years 2019 and 2020."""

from __future__ import annotations

from ._layout import Column, RowSpec, TableSpec, Template
from ._shared import (
    ARTICLE_20_1,
    ARTICLE_20_5,
    ARTICLE_20_6,
    ARTICLE_20_8,
    ARTICLE_20_9,
    OTHER_ZH,
    REVIEW_TABLE,
    requests_table,
)

_ITEMS = (
    Column("items_prev_year", ("上一年项目数量",), "items last year", "项"),
    Column("items_change", ("本年增/减",), "change this year", "项"),
)
_DECISIONS = Column("decisions", ("处理决定数量",), "decisions")

#: The 2019 format (国办公开办函〔2019〕60号), due for reporting years 2019 and 2020.
TEMPLATE_2019 = Template(
    version="2019",
    first_year=2019,
    last_year=2020,
    document="国办公开办函〔2019〕60号",
    tables=(
        TableSpec(
            "s2.article_20_1",
            2,
            ARTICLE_20_1,
            "Article 20(1): rules and normative documents",
            (
                RowSpec("rules", ("规章",), "rules"),
                RowSpec("normative_documents", ("规范性文件",), "normative documents"),
            ),
            (
                Column("made", ("本年新制作数量",), "made this year"),
                Column("published", ("本年新公开数量",), "published this year"),
                Column("total_published", ("对外公开总数量",), "published in total"),
            ),
        ),
        TableSpec(
            "s2.article_20_5",
            2,
            ARTICLE_20_5,
            "Article 20(5): licensing and other services",
            (
                RowSpec("licensing", ("行政许可",), "administrative licensing"),
                RowSpec("other_services", ("其他对外管理服务事项",), "other external services"),
            ),
            (*_ITEMS, _DECISIONS),
        ),
        TableSpec(
            "s2.article_20_6",
            2,
            ARTICLE_20_6,
            "Article 20(6): penalties and coercion",
            (
                RowSpec("penalties", ("行政处罚",), "administrative penalties"),
                RowSpec("coercion", ("行政强制",), "administrative coercion"),
            ),
            (*_ITEMS, _DECISIONS),
        ),
        TableSpec(
            "s2.article_20_8",
            2,
            ARTICLE_20_8,
            "Article 20(8): administrative fees",
            (RowSpec("fees", ("行政事业性收费",), "administrative fees"),),
            _ITEMS,
        ),
        TableSpec(
            "s2.article_20_9",
            2,
            ARTICLE_20_9,
            "Article 20(9): centralised government procurement",
            (RowSpec("procurement", ("政府集中采购",), "centralised procurement"),),
            (
                Column("projects", ("采购项目数量",), "projects", "项"),
                Column("amount", ("采购总金额",), "total amount", "万元"),
            ),
        ),
        requests_table((RowSpec("other", ("三、本年度办理结果", OTHER_ZH), "other handling"),)),
        REVIEW_TABLE,
    ),
)
