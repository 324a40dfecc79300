"""Every rule of ``rules.md`` as data: code, severity, scope, formats, labels, citation, messages.

Messages are ``str.format`` templates over a finding's fields: ``instance_en``,
``instance_zh``, ``published``, ``computed``, ``difference``, ``tolerance``, ``detail_en``,
``detail_zh``.

>>> RULES["S3.BALANCE"].severity.value, RULES["S3.BALANCE"].title_zh
('error', '第一项加第二项之和等于第三项加第四项之和')
>>> sorted(code for code, rule in RULES.items() if rule.scope == "pair")
['X.CARRY_OVER', 'X.COPIED', 'X.COPIED_FROM_BODY', 'X.S2_IN_FORCE', 'X.S2_ITEMS']
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Literal

import attrs

from ..findings import Severity

__all__ = ["RULES", "Rule"]


def __dir__() -> list[str]:
    return __all__


_BOTH = frozenset({"2019", "2021"})
#: The formats and reports before 2019 (what does not need the standard tables).
_EVERY = _BOTH | {"pre-2019"}
_TEMPLATE_NOTE = "printed in the format: 第一项加第二项之和，等于第三项加第四项之和"
_REGULATIONS = "《政府信息公开条例》(2019)"


@attrs.frozen
class Rule:
    """One rule of the catalogue (检查规则)."""

    code: str
    severity: Severity
    scope: Literal["report", "pair"]
    title_en: str
    title_zh: str
    message_en: str
    message_zh: str
    citation: str
    templates: frozenset[str] = _BOTH

    def applies_to(self, version: str) -> bool:
        """True if the rule is defined for reports in format ``version``."""
        return version in self.templates


_IDENTITY_EN = "{instance_en}: {published} printed, {computed} computed (difference {difference})"
_IDENTITY_ZH = "{instance_zh}：填报{published}，计算得{computed}（相差{difference}）"
_DETAIL_EN = "{instance_en}: {detail_en}"
_DETAIL_ZH = "{instance_zh}：{detail_zh}"

_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

_ALL = (
    Rule(
        "S3.BALANCE",
        _E,
        "report",
        "new + carried over = handled + carried forward",
        "第一项加第二项之和等于第三项加第四项之和",
        "{instance_en}: new + carried over = {published}, handled + carried forward = {computed}"
        " (difference {difference})",
        "{instance_zh}：第一项加第二项之和为{published}，第三项加第四项之和为{computed}（相差{difference}）",
        _TEMPLATE_NOTE,
    ),
    Rule(
        "S3.HANDLED_SUM",
        _E,
        "report",
        "(七)总计 equals the sum of the handling results",
        "（七）总计等于各项办理结果之和",
        "{instance_en}: (七)总计 prints {published}, the results sum to {computed}"
        " (difference {difference})",
        "{instance_zh}：（七）总计填报{published}，各项办理结果之和为{computed}（相差{difference}）",
        "implied by （七）总计; 部分公开 counts 只计这一情形, so the outcomes are exclusive",
    ),
    Rule(
        "S3.ROW_TOTAL",
        _E,
        "report",
        "总计 column equals the sum of the applicant columns",
        "总计列等于各类申请人之和",
        "{instance_en}: 总计 prints {published}, the applicant columns sum to {computed}"
        " (difference {difference})",
        "{instance_zh}：总计填报{published}，各类申请人之和为{computed}（相差{difference}）",
        "implied by the 总计 column",
    ),
    Rule(
        "S4.GROUP_TOTAL",
        _E,
        "report",
        "总计 equals upheld + corrected + other + pending",
        "总计等于结果维持、结果纠正、其他结果、尚未审结之和",
        "{instance_en}: 总计 prints {published}, upheld + corrected + other + pending = {computed}"
        " (difference {difference})",
        "{instance_zh}：总计填报{published}，维持、纠正、其他、尚未审结之和为{computed}（相差{difference}）",
        "implied by the 总计 column",
    ),
    Rule(
        "CELL.NEGATIVE",
        _E,
        "report",
        "a count is negative",
        "数量为负数",
        "{instance_en} is negative: {published}",
        "{instance_zh}为负数：{published}",
        "counts",
    ),
    Rule(
        "CELL.NOT_INTEGER",
        _E,
        "report",
        "a count is not a whole number",
        "数量不是整数",
        "{instance_en} is not a whole number: {published}",
        "{instance_zh}不是整数：{published}",
        "counts (件, 项)",
    ),
    Rule(
        "CELL.NOT_NUMBER",
        _E,
        "report",
        "a cell holds text that is not a number",
        "单元格内容不是数字",
        "{instance_en} holds text, not a number: {published!r}",
        "{instance_zh}填写的不是数字：{published}",
        "-",
    ),
    Rule(
        "S2.PUBLISHED_GT_TOTAL",
        _W,
        "report",
        "more published this year than in total",
        "本年新公开数量大于对外公开总数量",
        "{instance_en}: {published} published this year, but {computed} published in total",
        "{instance_zh}：本年新公开{published}，大于对外公开总数量{computed}",
        "implausible: the total includes this year",
        frozenset({"2019"}),
    ),
    Rule(
        "S2.CHANGE_GT_PREVIOUS",
        _W,
        "report",
        "the decrease exceeds last year's items",
        "本年减少数大于上一年项目数量",
        "{instance_en}: last year's items + this year's change = {published}, below 0",
        "{instance_zh}：上一年项目数量加本年增/减为{published}，小于0",
        "implausible: items cannot go below zero",
        frozenset({"2019"}),
    ),
    Rule(
        "S3.SUBTOTAL_MISMATCH",
        _W,
        "report",
        "a printed subtotal differs from the sum of its rows",
        "小计与其分项之和不符",
        _IDENTITY_EN,
        _IDENTITY_ZH,
        "cells-optional.csv: subtotal rows some reports print",
    ),
    Rule(
        "REPORT.SECTION_MISSING",
        _W,
        "report",
        "a section or a standard table is absent",
        "缺少部分或标准表格",
        _DETAIL_EN,
        _DETAIL_ZH,
        f"{_REGULATIONS} 第五十条; the format's six parts",
    ),
    Rule(
        "REPORT.TEMPLATE_MISMATCH",
        _W,
        "report",
        "the tables are not the format due for the year",
        "表格格式与报告年度不符",
        _DETAIL_EN,
        _DETAIL_ZH,
        "国办公开办函〔2019〕60号 (2019-2020); 国办公开办函〔2021〕30号 (2021 on)",
        _EVERY,
    ),
    Rule(
        "REPORT.PRE_2019",
        _I,
        "report",
        "a report before 2019: no standard tables",
        "2019年以前的报告：无标准表格",
        _DETAIL_EN,
        _DETAIL_ZH,
        "《政府信息公开条例》(2008) 第三十二条 sets contents, not tables; the formats start with 2019",
        frozenset({"pre-2019"}),
    ),
    Rule(
        "REPORT.LATE",
        _W,
        "report",
        "published after the deadline",
        "未按时发布",
        _DETAIL_EN,
        _DETAIL_ZH,
        f"{_REGULATIONS} 第四十九条; the 2021 format's （四）明确责任 names 不按时发布",
        _EVERY,
    ),
    Rule(
        "CELL.BLANK",
        _W,
        "report",
        "a standard cell is printed empty",
        "标准单元格空白",
        "{instance_en}: empty cells {detail_en}",
        "{instance_zh}：空白单元格 {detail_zh}",
        "blank is not 0: arithmetic treats it as 0 by default (CheckOptions.blank)",
    ),
    Rule(
        "TEXT.NARRATIVE_MISMATCH",
        _W,
        "report",
        "a count in the narrative differs from the table",
        "正文数字与表格不符",
        _DETAIL_EN,
        _DETAIL_ZH,
        "heuristic: numbers stated in the narrative",
    ),
    Rule(
        "TEXT.PERCENT",
        _W,
        "report",
        "a percentage differs from its counts",
        "百分比与数量不符",
        _DETAIL_EN,
        _DETAIL_ZH,
        "heuristic: percentages stated in the narrative",
    ),
    Rule(
        "TEXT.INJECTED",
        _W,
        "report",
        "text foreign to a government report",
        "报告中有与政务无关的内容",
        _DETAIL_EN,
        _DETAIL_ZH,
        "heuristic: gambling words and links are signs of a tampered page",
        _EVERY,
    ),
    Rule(
        "REPORT.ROWS_MERGED",
        _W,
        "report",
        "（六）其他处理 printed as one row",
        "（六）其他处理仅填报一行",
        _DETAIL_EN,
        _DETAIL_ZH,
        "国办公开办函〔2021〕30号: （六）其他处理 has three sub-rows",
        frozenset({"2021"}),
    ),
    Rule(
        "TEXT.FEE_NOT_REPORTED",
        _W,
        "report",
        "section 六 does not report information processing fees",
        "未报告信息处理费收取情况",
        _DETAIL_EN,
        _DETAIL_ZH,
        "国办公开办函〔2021〕30号: 收取信息处理费情况在此处报告",
        frozenset({"2021"}),
    ),
    Rule(
        "REPORT.GOV_REVIEW_MISSING",
        _W,
        "report",
        "a people's government does not report assessment, public review and accountability",
        "未报告工作考核、社会评议和责任追究结果",
        _DETAIL_EN,
        _DETAIL_ZH,
        f"{_REGULATIONS} 第五十条第（四）项",
    ),
    Rule(
        "CELL.UNIT_UNKNOWN",
        _W,
        "report",
        "an amount is printed without a unit",
        "金额未注明单位",
        "{instance_en}: {published!r} has no unit",
        "{instance_zh}：{published}未注明单位",
        "the 2019 format prints no unit for 采购总金额",
    ),
    Rule(
        "CELL.AMBIGUOUS",
        _W,
        "report",
        "the source allows several readings of a cell",
        "单元格有多种可能的读法",
        "{instance_en}: the source allows {detail_en}; none is chosen",
        "{instance_zh}：原文可读作{detail_zh}，未作选择",
        "reading: separators lost (230 000023) and identities that do not settle the cut",
        _EVERY,
    ),
    Rule(
        "CELL.MISSING",
        _W,
        "report",
        "a cell the reader could not find",
        "未能读取单元格",
        "{instance_en}: not found in the source",
        "{instance_zh}：原文中未找到",
        "reading: a row or table the source does not print, or prints unreadably",
    ),
    Rule(
        "READ.UNPLACED",
        _W,
        "report",
        "text the reader could not place",
        "未能归位的内容",
        "{instance_en}: {detail_en}",
        "{instance_zh}：{detail_zh}",
        "reading: nothing read is dropped silently (Report.unplaced)",
        _EVERY,
    ),
    Rule(
        "READ.NO_TEXT_LAYER",
        _W,
        "report",
        "a scanned document without a text layer",
        "扫描件，无文字层",
        "{instance_en}: {detail_en}",
        "{instance_zh}：{detail_zh}",
        "reading: PDF pages and pictures without text; read by OCR with the ocr extra, else OCR them first",
        _EVERY,
    ),
    Rule(
        "READ.SET_ASIDE",
        _I,
        "report",
        "page chrome and preamble set aside",
        "页面框架与前言已单独保留",
        "{instance_en}: {detail_en}",
        "{instance_zh}：{detail_zh}",
        "reading: crawler headers, site navigation, the opening paragraph (Report.unplaced)",
        _EVERY,
    ),
    Rule(
        "REPORT.OVERVIEW_TOPICS",
        _I,
        "report",
        "section 一 omits a topic of the format",
        "总体情况未涵盖格式要求的方面",
        _DETAIL_EN,
        _DETAIL_ZH,
        f"{_REGULATIONS} 第五十条; the 2021 format's part （一）",
        frozenset({"2021"}),
    ),
    Rule(
        "REPORT.SCOPE",
        _I,
        "report",
        "the report's scope",
        "报告范围",
        _DETAIL_EN,
        _DETAIL_ZH,
        "本机关 or 本行政区域 (汇总…编制而成)",
    ),
    Rule(
        "TEXT.S4_INCLUDES_CARRIED",
        _I,
        "report",
        "section 四 counts include cases carried over",
        "复议诉讼数含上年结转",
        _DETAIL_EN,
        _DETAIL_ZH,
        "heuristic: the narrative says so",
    ),
    Rule(
        "X.CARRY_OVER",
        _E,
        "pair",
        "carried over this year = carried forward last year",
        "本年上年结转等于上年结转下年度",
        "{instance_en}: carried over this year {published}, carried forward last year {computed}"
        " (difference {difference})",
        "{instance_zh}：本年上年结转{published}，上年结转下年度{computed}（相差{difference}）",
        "the form defines 上年结转 as the previous year's 结转下年度",
    ),
    Rule(
        "X.S2_ITEMS",
        _W,
        "pair",
        "items last year = previous report's items + change",
        "上一年项目数量等于上年报告的项目数加增减",
        _IDENTITY_EN,
        _IDENTITY_ZH,
        "2019 format: 上一年项目数量 and 本年增/减",
        frozenset({"2019"}),
    ),
    Rule(
        "X.S2_IN_FORCE",
        _W,
        "pair",
        "in force = last year's in force + issued - repealed",
        "现行有效件数等于上年现行有效加本年制发减本年废止",
        _IDENTITY_EN,
        _IDENTITY_ZH,
        "2021 format: 本年制发件数 may include revisions, 本年废止件数 expirations",
        frozenset({"2021"}),
    ),
    Rule(
        "X.COPIED",
        _W,
        "pair",
        "a section or table identical to the previous year's",
        "内容与上年雷同",
        _DETAIL_EN,
        _DETAIL_ZH,
        "the 2021 format's （四）明确责任 names 内容雷同",
        _EVERY,
    ),
    Rule(
        "X.COPIED_FROM_BODY",
        _W,
        "pair",
        "a narrative largely the same as another body's of the same year",
        "内容与其他机关雷同",
        _DETAIL_EN,
        _DETAIL_ZH,
        "the 2021 format's （四）明确责任 names 内容雷同; the form's own text and phrases most"
        " bodies print set aside (ogi_report.similarity)",
        _EVERY,
    ),
)

#: The catalogue, keyed by code, in the order of ``rules.md``.
RULES = MappingProxyType({rule.code: rule for rule in _ALL})
