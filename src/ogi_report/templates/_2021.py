"""The 2021 format (国办公开办函〔2021〕30号), for reporting years 2021 on."""

from __future__ import annotations

from ._layout import Column, RowSpec, TableSpec, Template
from ._shared import (
    ARTICLE_20_1,
    ARTICLE_20_5,
    ARTICLE_20_6,
    ARTICLE_20_8,
    OTHER_ZH,
    REVIEW_TABLE,
    requests_table,
    subtotal,
)

_RESULTS = "三、本年度办理结果"
_OTHER_ROWS = (
    RowSpec(
        "other_no_correction",
        (_RESULTS, OTHER_ZH, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        "other: applicant did not correct the request in time",
    ),
    RowSpec(
        "other_no_fee",
        (
            _RESULTS,
            OTHER_ZH,
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        "other: applicant did not pay the fee in time",
    ),
    RowSpec("other_other", (_RESULTS, OTHER_ZH, "3.其他"), "other: other"),
)
_DECISIONS = (Column("decisions", ("本年处理决定数量",), "decisions this year"),)

#: The 2021 format (国办公开办函〔2021〕30号), due for reporting years 2021 on.
TEMPLATE_2021 = Template(
    version="2021",
    first_year=2021,
    last_year=None,
    document="国办公开办函〔2021〕30号",
    tables=(
        TableSpec(
            "s2.article_20_1",
            2,
            ARTICLE_20_1,
            "Article 20(1): rules and administrative normative documents",
            (
                RowSpec("rules", ("规章",), "rules"),
                RowSpec("normative_documents", ("行政规范性文件",), "normative documents"),
            ),
            (
                Column("issued", ("本年制发件数",), "issued this year"),
                Column("repealed", ("本年废止件数",), "repealed this year"),
                Column("in_force", ("现行有效件数",), "in force"),
            ),
        ),
        TableSpec(
            "s2.article_20_5",
            2,
            ARTICLE_20_5,
            "Article 20(5): administrative licensing",
            (RowSpec("licensing", ("行政许可",), "administrative licensing"),),
            _DECISIONS,
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
            _DECISIONS,
        ),
        TableSpec(
            "s2.article_20_8",
            2,
            ARTICLE_20_8,
            "Article 20(8): administrative fees",
            (RowSpec("fees", ("行政事业性收费",), "administrative fees"),),
            (Column("amount", ("本年收费金额（单位：万元）",), "amount collected", "万元"),),
        ),
        requests_table(
            (subtotal("other", OTHER_ZH, "other handling (subtotal)", _OTHER_ROWS), *_OTHER_ROWS)
        ),
        REVIEW_TABLE,
    ),
)
