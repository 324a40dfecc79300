"""What both formats share: the section 3 applicant columns and rows, and section 4."""

from __future__ import annotations

from ._layout import Column, RowSpec, TableSpec

_ORG = "法人或其他组织"
_RESULTS = "三、本年度办理结果"

APPLICANT_COLUMNS = (
    Column("natural_person", ("自然人",), "natural persons"),
    Column("commercial", (_ORG, "商业企业"), "commercial enterprises"),
    Column("research", (_ORG, "科研机构"), "research institutions"),
    Column("social_org", (_ORG, "社会公益组织"), "social welfare organisations"),
    Column("legal_service", (_ORG, "法律服务机构"), "legal service institutions"),
    Column("other_org", (_ORG, "其他"), "other organisations"),
    Column("total", ("总计",), "total"),
)

_WITHHELD = "（三）不予公开"
_UNAVAILABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"

WITHHELD_ROWS = (
    RowSpec(
        "withheld_state_secret", (_RESULTS, _WITHHELD, "1.属于国家秘密"), "withheld: state secret"
    ),
    RowSpec(
        "withheld_prohibited_by_law",
        (_RESULTS, _WITHHELD, "2.其他法律行政法规禁止公开"),
        "withheld: other laws and regulations prohibit disclosure",
    ),
    RowSpec(
        "withheld_three_safeties",
        (_RESULTS, _WITHHELD, "3.危及“三安全一稳定”"),
        "withheld: endangers the three securities and stability",
    ),
    RowSpec(
        "withheld_third_party",
        (_RESULTS, _WITHHELD, "4.保护第三方合法权益"),
        "withheld: protects a third party's lawful rights",
    ),
    RowSpec(
        "withheld_internal_affairs",
        (_RESULTS, _WITHHELD, "5.属于三类内部事务信息"),
        "withheld: internal affairs information",
    ),
    RowSpec(
        "withheld_process_info",
        (_RESULTS, _WITHHELD, "6.属于四类过程性信息"),
        "withheld: process information",
    ),
    RowSpec(
        "withheld_enforcement_file",
        (_RESULTS, _WITHHELD, "7.属于行政执法案卷"),
        "withheld: administrative enforcement file",
    ),
    RowSpec(
        "withheld_inquiry",
        (_RESULTS, _WITHHELD, "8.属于行政查询事项"),
        "withheld: administrative inquiry matter",
    ),
)
UNAVAILABLE_ROWS = (
    RowSpec(
        "unavailable_not_held",
        (_RESULTS, _UNAVAILABLE, "1.本机关不掌握相关政府信息"),
        "unavailable: not held by this body",
    ),
    RowSpec(
        "unavailable_needs_creation",
        (_RESULTS, _UNAVAILABLE, "2.没有现成信息需要另行制作"),
        "unavailable: would have to be created",
    ),
    RowSpec(
        "unavailable_unclear",
        (_RESULTS, _UNAVAILABLE, "3.补正后申请内容仍不明确"),
        "unavailable: still unclear after correction",
    ),
)
NOT_PROCESSED_ROWS = (
    RowSpec(
        "not_processed_petition",
        (_RESULTS, _NOT_PROCESSED, "1.信访举报投诉类申请"),
        "not processed: petition, report or complaint",
    ),
    RowSpec(
        "not_processed_duplicate",
        (_RESULTS, _NOT_PROCESSED, "2.重复申请"),
        "not processed: duplicate request",
    ),
    RowSpec(
        "not_processed_publication",
        (_RESULTS, _NOT_PROCESSED, "3.要求提供公开出版物"),
        "not processed: asks for a public publication",
    ),
    RowSpec(
        "not_processed_excessive",
        (_RESULTS, _NOT_PROCESSED, "4.无正当理由大量反复申请"),
        "not processed: mass repeated requests without good reason",
    ),
    RowSpec(
        "not_processed_confirmation",
        (_RESULTS, _NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息"),
        "not processed: asks to confirm or reissue information already obtained",
    ),
)


def subtotal(key: str, zh: str, en: str, parts: tuple[RowSpec, ...]) -> RowSpec:
    """An optional subtotal row (``cells-optional.csv``) over ``parts``."""
    return RowSpec(key, (_RESULTS, zh), en, optional=True, parts=tuple(p.key for p in parts))


HEAD_ROWS = (
    RowSpec("new", ("一、本年新收政府信息公开申请数量",), "new requests received this year"),
    RowSpec(
        "carried_over",
        ("二、上年结转政府信息公开申请数量",),
        "requests carried over from last year",
    ),
    RowSpec("granted", (_RESULTS, "（一）予以公开"), "granted"),
    RowSpec(
        "partly_granted",
        (_RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        "partly granted",
    ),
    subtotal("withheld", _WITHHELD, "withheld (subtotal)", WITHHELD_ROWS),
    *WITHHELD_ROWS,
    subtotal("unavailable", _UNAVAILABLE, "unavailable (subtotal)", UNAVAILABLE_ROWS),
    *UNAVAILABLE_ROWS,
    subtotal("not_processed", _NOT_PROCESSED, "not processed (subtotal)", NOT_PROCESSED_ROWS),
    *NOT_PROCESSED_ROWS,
)
TAIL_ROWS = (
    RowSpec("handled_total", (_RESULTS, "（七）总计"), "total handled"),
    RowSpec("carried_forward", ("四、结转下年度继续办理",), "carried forward to next year"),
)
OTHER_ZH = "（六）其他处理"


def requests_table(other_rows: tuple[RowSpec, ...]) -> TableSpec:
    """Section 3: requests received and handled (收到和处理政府信息公开申请情况)."""
    return TableSpec(
        "s3",
        3,
        "收到和处理政府信息公开申请情况",
        "requests received and handled",
        (*HEAD_ROWS, *other_rows, *TAIL_ROWS),
        APPLICANT_COLUMNS,
    )


_SUIT = "行政诉讼"
REVIEW_TABLE = TableSpec(
    "s4",
    4,
    "政府信息公开行政复议、行政诉讼情况",
    "administrative reconsideration and litigation",
    (
        RowSpec("review", ("行政复议",), "administrative reconsideration"),
        RowSpec(
            "suit_direct", (_SUIT, "未经复议直接起诉"), "litigation without prior reconsideration"
        ),
        RowSpec("suit_after_review", (_SUIT, "复议后起诉"), "litigation after reconsideration"),
    ),
    (
        Column("upheld", ("结果维持",), "upheld"),
        Column("corrected", ("结果纠正",), "corrected"),
        Column("other", ("其他结果",), "other outcome"),
        Column("pending", ("尚未审结",), "pending"),
        Column("total", ("总计",), "total"),
    ),
)

ARTICLE_20_1 = "第二十条第（一）项"
ARTICLE_20_5 = "第二十条第（五）项"
ARTICLE_20_6 = "第二十条第（六）项"
ARTICLE_20_8 = "第二十条第（八）项"
ARTICLE_20_9 = "第二十条第（九）项"
