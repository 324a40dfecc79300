"""Shared text between reports (内容雷同): found across bodies of a year and across
consecutive years of one body, never for the form's boilerplate or common phrases alone.

Every narrative here is ours: sentences drawn from two small vocabularies that share no
character (so two texts built from different ones share no shingle), the example report's
tables under made-up agencies. :func:`generated_reports` builds larger sets for the LSH
path and for ``benchmarks/bench_similarity.py``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ogi_report import CheckOptions, Findings, Part, Report, Section, example_report, similarity
from ogi_report._shingles import FIXED_TEXT, key_spans, keys
from ogi_report.similarity import find_copies


def two_character_words(text: str) -> tuple[str, ...]:
    """``text`` cut into words of two characters."""
    return tuple(text[i : i + 2] for i in range(0, len(text), 2))


#: Two vocabularies of our own with no character in common.
WORDS_A = two_character_words(
    "乡村振兴营商环境民生救助教育医疗养老就业住房交通水利农业林场渔港旅游文化体育科技"
    "产业集镇工厂投资招商生态绿色低碳节能减排粮食种植养殖加工冷链仓储电商直播品牌特色"
)
WORDS_B = two_character_words(
    "街道社区网格志愿窗口热线留言回复督办走访调研座谈听证征求意见建议提案议案巡查整改"
    "台账清单目录指南流程时限标准规范制度机制平台专栏栏目更新维护安全保密审查归档统计"
)
WORDS = WORDS_A + WORDS_B

#: Phrases nearly every body prints (our own wording): common, not copied.
COMMON_PHRASES = (
    "坚持以人民为中心的发展思想，全面落实上级关于政务公开工作的各项部署要求。",
    "持续深化政务公开标准化规范化建设，不断提升公开质量和实效。",
    "进一步强化政策解读和回应关切，切实保障人民群众的知情权、参与权和监督权。",
)

#: Syllables of made-up place names.
SYLLABLES = "安宁平和清远嘉禾云溪青石白水长乐永丰文昌德兴华泽金城玉山秀峰桃源柳林松岭梅江兰亭"


def sentences(rng: random.Random, words: int, vocabulary: Sequence[str] = WORDS) -> str:
    """``words`` words of ``vocabulary``, in sentences of six to twelve words."""
    out: list[str] = []
    while words > 0:
        length = min(words, rng.randint(6, 12))
        out.append("".join(rng.choice(vocabulary) for _ in range(length)) + "。")
        words -= length
    return "".join(out)


def narrative_report(agency: str, year: int, *parts: str) -> Report:
    """The example's tables under ``agency`` for ``year``, with ``parts`` as section 一."""
    base = example_report("2021")
    meta = attrs.evolve(base.metadata, agency=agency, reporting_year=year, published_on=None)
    section = Section(1, "一、总体情况", tuple(Part(None, part) for part in parts))
    return attrs.evolve(base, metadata=meta, sections=(section,))


def agency(number: int) -> str:
    """A made-up county government, a different name for each ``number``."""
    count = len(SYLLABLES)
    first, second, third = number % count, number // count % count, number // count**2
    return f"{SYLLABLES[first]}{SYLLABLES[second]}{SYLLABLES[third]}县人民政府"


def generated_reports(
    count: int, seed: int = 0, regional: int = 0
) -> tuple[list[Report], set[tuple[str, ...]]]:
    """``count`` reports of ``count // 2`` bodies for 2021 and 2022, about 1,500 characters
    of narrative each: common phrases and the form's sentences, then three parts of their own.
    One body in 25 copies two parts of the previous body's 2021 report, one in 25 repeats
    two parts of its own 2021 report in 2022. With ``regional`` phrases, each report also
    prints six of them: phrases tens of bodies share, too few to be common, too short to be
    a passage. Returns the reports and the pairs planted, as ``(code, agency, agency)``."""
    rng = random.Random(seed)
    phrases = [sentences(rng, 9) for _ in range(regional)]
    reports: list[Report] = []
    planted: set[tuple[str, ...]] = set()
    parts_2021: list[tuple[str, ...]] = []
    for body in range(count // 2):
        name = agency(body)
        for year in (2021, 2022):
            common = "".join(rng.sample(COMMON_PHRASES, 2))
            opening = f"{common}本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
            own = tuple(
                sentences(rng, rng.randint(150, 250))
                + "".join(rng.sample(phrases, 2 * bool(phrases)))
                for _ in range(3)
            )
            if year == 2021 and body % 25 == 1:
                own = (own[0], *parts_2021[-1][1:])
                planted.add(("X.COPIED_FROM_BODY", *sorted((name, agency(body - 1)))))
            if year == 2022 and body % 25 == 2:
                own = (own[0], *parts_2021[-1][1:])
                planted.add(("X.COPIED", name, name))
            if year == 2021:
                parts_2021.append(own)
            reports.append(narrative_report(name, year, opening, *own))
    return reports, planted


def pairs(findings: Findings) -> set[tuple[str, ...]]:
    """``(code, first agency, second agency)`` of each finding, the agencies sorted."""
    found = set()
    for finding in findings:
        first, second = (name.rsplit(" ", 1)[0] for name in (finding.instance or "").split(" / "))
        found.add((finding.code, *sorted((first, second))))
    return found


RNG = random.Random(12)
COPIED = sentences(RNG, 60)


def test_two_bodies_sharing_a_paragraph_are_found() -> None:
    """Of four bodies, the two printing one paragraph make one finding that names both,
    quotes the paragraph and states the share."""
    reports = [
        narrative_report(agency(1), 2021, sentences(RNG, 60), COPIED),
        narrative_report(agency(2), 2021, sentences(RNG, 80)),
        narrative_report(agency(3), 2021, sentences(RNG, 70), COPIED, sentences(RNG, 10)),
        narrative_report(agency(4), 2021, sentences(RNG, 80)),
    ]
    findings = find_copies(reports)
    (finding,) = findings
    assert finding.code == "X.COPIED_FROM_BODY"
    assert finding.instance == f"{agency(1)} 2021 / {agency(3)} 2021"  # the smaller first
    assert isinstance(finding.published, str)
    assert finding.published[:60] in COPIED
    assert isinstance(finding.computed, Decimal)
    assert Decimal("0.3") <= finding.computed < 1
    assert f"{finding.computed:.0%}" in finding.message_en.replace(" ", "")
    assert COPIED[:20] in finding.message_zh
    assert findings.notes == ()


def test_a_copy_with_the_name_and_figures_changed_is_found() -> None:
    """Each body's own name and every number are one key: renaming and refiguring a
    copied paragraph does not hide it."""
    template = "{name}全年受理{n}件，{name}办结{m}件。" + COPIED
    first = template.format(name=agency(1), n=12, m=11)
    second = template.format(name=agency(2), n=7, m="7.5")
    reports = [
        narrative_report(agency(1), 2021, sentences(RNG, 60, WORDS_A), first),
        narrative_report(agency(2), 2021, sentences(RNG, 60, WORDS_B), second),
    ]
    (finding,) = find_copies(reports)
    first = (finding.instance or "").split(" ")[0]
    assert isinstance(finding.published, str)
    assert finding.published.startswith(first + "全年受理")


def test_boilerplate_and_common_phrases_alone_are_not_found() -> None:
    """Six bodies printing the form's sentences and headings and the same common phrases,
    each with narrative of its own, make no finding; with no phrase counted as common
    (``common=1``), the phrases they all print are shared text."""
    form = "".join(FIXED_TEXT) + "三、收到和处理政府信息公开申请情况"
    reports = [
        narrative_report(agency(n), 2021, form, "".join(COMMON_PHRASES), sentences(RNG, 40))
        for n in range(6)
    ]
    assert find_copies(reports).flatten() == []
    assert len(find_copies(reports, common=1)) == 15
    two = [narrative_report(agency(n), 2021, form, sentences(RNG, 20)) for n in range(2)]
    assert find_copies(two).flatten() == []


def test_threshold_is_respected() -> None:
    """A pair sharing about half its narrative is found at 0.4, not at 0.6."""
    reports = [
        narrative_report(agency(n), 2021, sentences(RNG, 60, words), COPIED)
        for n, words in ((1, WORDS_A), (2, WORDS_B))
    ]
    (finding,) = find_copies(reports, threshold=0.4)
    assert isinstance(finding.computed, Decimal)
    assert Decimal("0.4") <= finding.computed < Decimal("0.6")
    assert find_copies(reports, threshold=0.6).flatten() == []


def test_min_passage() -> None:
    """A shared sentence shorter than ``min_passage`` characters is no shared passage."""
    shared = "巡查整改台账清单目录指南流程时限标准规范。"  # 20 characters
    reports = [
        narrative_report(agency(1), 2021, sentences(RNG, 10, WORDS_A) + shared),
        narrative_report(agency(2), 2021, shared + sentences(RNG, 10, WORDS_A)),
    ]
    assert find_copies(reports, threshold=0.1).flatten() == []
    (finding,) = find_copies(reports, threshold=0.1, min_passage=16)
    assert finding.published == shared[:-1]


def test_years_across_bodies_are_not_compared() -> None:
    """Two bodies print one paragraph in different years: no finding. One body printing it
    in consecutive years: X.COPIED, naming both years; two years apart: nothing."""
    other = narrative_report(agency(2), 2022, sentences(RNG, 40, WORDS_B), COPIED)
    first = narrative_report(agency(1), 2021, sentences(RNG, 40, WORDS_A), COPIED)
    assert find_copies([first, other]).flatten() == []
    again = narrative_report(agency(1), 2022, sentences(RNG, 40, WORDS_B), COPIED)
    assert pairs(find_copies([first, again])) == {("X.COPIED", agency(1), agency(1))}
    (finding,) = find_copies([first, again])
    assert finding.instance == f"{agency(1)} 2021 / {agency(1)} 2022"
    later = narrative_report(agency(1), 2023, sentences(RNG, 40, WORDS_B), COPIED)
    assert find_copies([first, later]).flatten() == []


def test_options_select_the_rules_and_aliases_join_names() -> None:
    """``options`` runs only the rules selected; ``aliases`` makes two names one body."""
    first = narrative_report(agency(1), 2021, sentences(RNG, 40, WORDS_A), COPIED)
    second = narrative_report(agency(2), 2021, sentences(RNG, 40, WORDS_B), COPIED)
    assert find_copies([first, second], options=CheckOptions(select=["X.COPIED"])) == Findings()
    aliased = find_copies([first, second], aliases={agency(1): "one", agency(2): "one"})
    assert aliased.flatten() == []


def test_reports_that_cannot_be_compared_are_counted() -> None:
    """A report without narrative, agency or year is left out, and a note says so."""
    no_text = attrs.evolve(example_report("2021"), sections=None)
    findings = find_copies([no_text, narrative_report(agency(1), 2021, COPIED)])
    assert findings.flatten() == []
    assert findings.notes == (
        "1 report(s) without a narrative, an agency or a reporting year not compared for"
        " shared text",
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"threshold": 1.5}, "threshold must be more than 0 and at most 1, not 1.5"),
        ({"common": 0}, "common must be more than 0 and at most 1, not 0"),
        ({"min_passage": 7}, "min_passage must be at least 8 characters, not 7"),
        ({"method": "fast"}, "method must be 'auto', 'index' or 'lsh', not 'fast'"),
    ],
)
def test_bad_arguments_are_refused(arguments: dict[str, object], message: str) -> None:
    """Out-of-range settings raise ValueError naming the setting."""
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        find_copies([], **arguments)  # type: ignore[arg-type]


def words(vocabulary: Sequence[str], least: int, most: int) -> st.SearchStrategy[list[str]]:
    """Lists of words of ``vocabulary``."""
    return st.lists(st.sampled_from(vocabulary), min_size=least, max_size=most)


@given(words(WORDS_A, 5, 40), words(WORDS_B, 5, 40), words(WORDS, 40, 80), st.data())
def test_a_planted_paragraph_is_always_found(
    own_a: list[str], own_b: list[str], paragraph: list[str], data: st.DataObject
) -> None:
    """A paragraph of 40 or more of our words planted anywhere in two narratives that share
    no character is found, once, quoted; without it nothing is found."""
    planted = "".join(paragraph)
    at_a = data.draw(st.integers(0, len(own_a)))
    at_b = data.draw(st.integers(0, len(own_b)))
    text_a = "".join(own_a[:at_a]) + "。" + planted + "。" + "".join(own_a[at_a:])
    text_b = "".join(own_b[:at_b]) + "，" + planted + "，" + "".join(own_b[at_b:])
    reports = [narrative_report(agency(1), 2021, text_a), narrative_report(agency(2), 2021, text_b)]
    (finding,) = find_copies(reports)
    assert finding.code == "X.COPIED_FROM_BODY"
    assert isinstance(finding.published, str)
    assert finding.published.rstrip("…") in planted
    alone = [
        narrative_report(agency(1), 2021, "".join(own_a)),
        narrative_report(agency(2), 2021, "".join(own_b)),
    ]
    assert find_copies(alone).flatten() == []


@given(st.text(alphabet="县政府公开申请年月日１２3.,，。 \u3000\n\ue000甲乙", max_size=60))
def test_keys_are_the_same_read_either_way(text: str) -> None:
    """The keys of a text are the same read whole and read a character at a time."""
    assert key_spans(text, "甲乙县")[0] == keys(text, "甲乙县")


Generated = tuple[list[Report], set[tuple[str, ...]], Findings]


@pytest.fixture(scope="module")
def generated() -> Generated:
    """600 generated reports with phrases tens of bodies share, the pairs planted, and what
    the index finds."""
    reports, planted = generated_reports(600, regional=60)
    return reports, planted, find_copies(reports, method="index")


def test_a_larger_set_is_sampled_and_bounded(
    generated: Generated, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Of 300 bodies a year, common phrases are counted over 200, and the notes say so; the
    planted pairs are found. Past the index's bound on reports per fingerprint, pairs are
    not found, and the notes say how many fingerprints were left out."""
    reports, planted, found = generated
    assert pairs(found) == planted
    assert found.notes == (
        "2021: common phrases counted over 200 of 300 bodies",
        "2022: common phrases counted over 200 of 300 bodies",
    )
    monkeypatch.setattr(similarity, "MAX_POSTINGS", 1)
    crowded = find_copies(reports[:100], options=CheckOptions(select=["X.COPIED_FROM_BODY"]))
    assert crowded.flatten() == []
    assert crowded.notes[-1].endswith(
        "fingerprint(s) in more than 1 reports not used to find pairs"
    )


def test_a_long_narrative_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """Narrative past MAX_NARRATIVE_CHARS is not compared, and a note says so."""
    monkeypatch.setattr(similarity, "MAX_NARRATIVE_CHARS", 100)
    reports = [
        narrative_report(agency(1), 2021, sentences(random.Random(1), 60, WORDS_A), COPIED),
        narrative_report(agency(2), 2021, sentences(random.Random(2), 60, WORDS_B), COPIED),
    ]
    findings = find_copies(reports)
    assert findings.flatten() == []
    assert (
        findings.notes[0] == f"{agency(1)} 2021: compared on its first 100 characters of narrative"
    )


def test_lsh_needs_datasketch(monkeypatch: pytest.MonkeyPatch) -> None:
    """method="lsh" without datasketch raises ImportError naming the extra; "auto" uses the
    index."""
    monkeypatch.setattr(similarity, "_datasketch", lambda: None)
    monkeypatch.setattr(similarity, "MAX_INDEX_PAIRS", -1)
    reports = [narrative_report(agency(n), 2021, COPIED) for n in (1, 2)]
    with pytest.raises(ImportError, match=r"ogi-report\[similarity\]"):
        find_copies(reports, method="lsh")
    assert len(find_copies(reports)) == 1


def test_lsh_finds_the_pairs_the_index_finds(
    generated: Generated, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 600 generated reports with phrases tens of bodies share, MinHash LSH (datasketch)
    finds the same findings as the inverted index: the planted pairs. "auto" takes it where
    the index would go through more than MAX_INDEX_PAIRS pairs."""
    pytest.importorskip("datasketch")
    reports, _, by_index = generated
    fields = ("code", "instance", "computed", "published")
    assert find_copies(reports, method="lsh").flatten(fields) == by_index.flatten(fields)
    monkeypatch.setattr(similarity, "MAX_INDEX_PAIRS", -1)
    two = [
        narrative_report(agency(n), 2021, sentences(random.Random(n), 20), COPIED) for n in (1, 2)
    ]
    auto = find_copies(two)
    assert len(auto) == 1
    assert "2021: pairs of bodies found by MinHash LSH, then compared in full" in auto.notes
