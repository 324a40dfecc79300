"""Reports before 2019: the 2008 Regulations set no tables, only what a report covers.

A report for 2008-2018 (about half of all reports ever published) is free-form narrative,
often with tables of its own making. Nothing of the 2019 or 2021 tables applies to it. What
it can be read for is declared here as small tables of *stated figures*: the counts its
text states (全年共受理政府信息公开申请15件), each cell ``MISSING`` where the report does not
state it. Sections are numbered as the report numbers them.
"""

from __future__ import annotations

from ._layout import Column, RowSpec, TableSpec, Template

#: Reports for years before 2019 (《政府信息公开条例》2008, 国务院令第492号 第三十一、三十二条).
TEMPLATE_PRE_2019 = Template(
    version="pre-2019",
    first_year=2008,
    last_year=2018,
    document="《政府信息公开条例》(2008) 第三十二条: no tables are set",
    tables=(
        TableSpec(
            "s2.stated",
            2,
            "主动公开政府信息情况（正文所述）",
            "proactive disclosure, as the text states it",
            (RowSpec("proactive", ("主动公开政府信息",), "information disclosed proactively"),),
            (Column("items", ("条数",), "items stated", "条"),),
        ),
        TableSpec(
            "s3.stated",
            3,
            "依申请公开政府信息情况（正文所述）",
            "disclosure on request, as the text states it",
            (RowSpec("requests", ("政府信息公开申请",), "requests for information"),),
            (
                Column("received", ("收到（受理）",), "received"),
                Column("answered", ("答复（办结）",), "answered"),
            ),
        ),
        TableSpec(
            "s5.stated",
            5,
            "因政府信息公开申请行政复议、提起行政诉讼的情况（正文所述）",
            "reconsideration and litigation, as the text states it",
            (RowSpec("appeals", ("因政府信息公开",), "over information requests"),),
            (
                Column("reconsideration", ("申请行政复议",), "reconsideration applications"),
                Column("litigation", ("提起行政诉讼",), "lawsuits"),
            ),
        ),
    ),
)
