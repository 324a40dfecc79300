"""Who publishes a report, from its name: the kind of body and its level, where the name
settles them, and the reason in words.

A report's metadata holds what the report prints; a body's kind and level are rarely
printed. The rules that need them (the 第四十九条 deadline) infer them from the name here
and say so in their message. A name that does not settle a fact leaves it ``None``: a 市
may be prefecture-level (淮安市) or county-level (昆山市), though either is 县级以上.

>>> infer_body("沭阳县发展和改革局")
BodyInference(kind=<BodyKind.GOVERNMENT_DEPARTMENT: 'government_department'>, \
level=<AdminLevel.COUNTY: 'county'>, county_or_above=True, \
reason='a department (…局) of a county (沭阳县)', reason_zh='县级政府部门（沭阳县…局）')
>>> infer_body("淮安市人民政府").level is None, infer_body("淮安市人民政府").county_or_above
(True, True)
>>> infer_body("平潭综合实验区管委会") is None
True
"""

from __future__ import annotations

import re

import attrs

from .model import AdminLevel, BodyKind

__all__ = ["BodyInference", "infer_body"]


def __dir__() -> list[str]:
    return __all__


@attrs.frozen
class BodyInference:
    """What a body's name says of it, and how: ``reason`` names the words that settle it."""

    kind: BodyKind
    level: AdminLevel | None
    county_or_above: bool | None
    reason: str
    reason_zh: str = ""


#: The place a department's name opens with: a first unit, then counties or districts
#: within it (江苏省淮安市洪泽区…局). Two to four characters before each later unit, so the
#: 市 of 市场监督管理局 and the 乡 of 住房和城乡建设局 are not places.
_PLACE = re.compile(
    r"^(?P<place>.{1,20}?(?:自治区|自治州|自治县|省|州|盟|市|县|旗|区)"
    r"(?:[^市县区旗]{2,4}(?:市|县|区|旗))*)"
)
_LEVELS = {
    "省": AdminLevel.PROVINCIAL,
    "自治区": AdminLevel.PROVINCIAL,
    "州": AdminLevel.PREFECTURAL,
    "自治州": AdminLevel.PREFECTURAL,
    "盟": AdminLevel.PREFECTURAL,
    "县": AdminLevel.COUNTY,
    "自治县": AdminLevel.COUNTY,
    "旗": AdminLevel.COUNTY,
    "区": AdminLevel.COUNTY,
    "乡": AdminLevel.TOWNSHIP,
    "镇": AdminLevel.TOWNSHIP,
    "街道": AdminLevel.TOWNSHIP,
}
_UNITS = "|".join(sorted(_LEVELS, key=len, reverse=True)) + "|市"
#: The last place unit of a name's place part (…省…市…区 → 区).
_LAST_UNIT = re.compile(rf"(?:{_UNITS})(?!.*(?:{_UNITS}))")
#: Zones whose level no suffix tells (开发区, 实验区, 新区, 园区 …): never inferred.
_ZONE = re.compile(r"开发区|实验区|试验区|新区|园区|示范区|管理区|保税区|合作区")
#: A department's name ends in one of these (发展和改革局, 教育委员会, 人民政府办公室).
_DEPARTMENT = re.compile(r"(?:局|厅|委员会|委|办公室|办公厅|署|中心)$")


def infer_body(name: str | None) -> BodyInference | None:
    """The kind and level ``name`` settles, or ``None`` when it settles no kind."""
    from .rules.text import fold_traditional  # here: the rules import this module

    if not name:
        return None
    name = fold_traditional(re.sub(r"\s+", "", name))
    if _ZONE.search(name):
        return None
    if name.endswith("街道办事处"):
        return BodyInference(
            BodyKind.OTHER,
            AdminLevel.TOWNSHIP,
            False,
            f"a subdistrict office ({name})",
            f"街道办事处（{name}）",
        )
    ending = _DEPARTMENT.search(name)
    if name.endswith("人民政府"):
        kind, place = BodyKind.PEOPLES_GOVERNMENT, name[: -len("人民政府")]
        what, what_zh = "government", "人民政府"
    elif ending and "人民政府" in name:
        place = name[: name.index("人民政府")]
        kind, what, what_zh = (
            BodyKind.GOVERNMENT_DEPARTMENT,
            "department (the government's office)",
            "政府部门",
        )
    elif ending:
        match = _PLACE.match(name)
        if match is None:
            return None
        kind, place = BodyKind.GOVERNMENT_DEPARTMENT, match["place"]
        what, what_zh = f"department (…{ending[0]})", "政府部门"
    else:
        return None
    unit = _LAST_UNIT.search(place)
    if unit is None or not place.endswith(unit[0]):
        return None
    if unit[0] == "市":
        return BodyInference(
            kind,
            None,
            True,
            f"a {what} of a city ({place}: prefecture- or county-level)",
            f"{what_zh}（{_shown(name, place)}，地级或县级市）",
        )
    level = _LEVELS[unit[0]]
    noun, noun_zh = _NOUNS[level]
    return BodyInference(
        kind,
        level,
        level.county_or_above,
        f"a {what} of a {noun} ({place})",
        f"{noun_zh}{what_zh}（{_shown(name, place)}）",
    )


def _shown(name: str, place: str) -> str:
    """The place and, for a department, the end of its name: 沭阳县…局."""
    ending = _DEPARTMENT.search(name)
    return f"{place}…{ending[0]}" if ending and not name.endswith("人民政府") else place


_NOUNS = {
    AdminLevel.PROVINCIAL: ("province", "省级"),
    AdminLevel.PREFECTURAL: ("prefecture", "地市级"),
    AdminLevel.COUNTY: ("county", "县级"),
    AdminLevel.TOWNSHIP: ("township", "乡镇级"),
}
