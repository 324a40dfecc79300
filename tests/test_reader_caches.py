"""The readers' caches kept from one document to the next: bounded, and a read gives the same
report whether they are empty, warm or full."""

from __future__ import annotations

import pytest

from ogi_report import read
from ogi_report.examples import example_report
from ogi_report.readers import _labels
from ogi_report.writers.render import to_markdown


def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_labels, "_KEPT", _labels._Folds())


def _example_text() -> str:
    return to_markdown(example_report("2021"))


def test_a_read_is_the_same_with_the_folds_kept_empty_or_warm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _example_text()
    _fresh(monkeypatch)
    cold = read(text, form="text")
    assert _labels._KEPT.folded  # the read taught the kept folds its characters
    warm = read(text, form="text")
    assert warm == cold
    assert warm.values() == cold.values()
    assert warm.unplaced == cold.unplaced


def test_kept_character_folds_stay_within_their_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document whose characters would take the kept folds past their bound is read with
    folds of its own, to the same report; the kept ones do not grow."""
    _fresh(monkeypatch)
    monkeypatch.setattr(_labels, "_CHARACTERS_KEPT", 600)
    text = _example_text()
    alone = read(text, form="text")
    kept = len(_labels._KEPT.folded)
    assert 0 < kept <= 600
    many = "".join(chr(0x4E00 + i) for i in range(1_000))  # CJK ideographs, all distinct
    crowded = text.replace("六、其他需要报告的事项", f"六、其他需要报告的事项\n\n{many}\n", 1)
    report = read(crowded, form="text")
    assert len(_labels._KEPT.folded) == kept
    assert report.values() == alone.values()
    assert many in "".join(section.text for section in report.sections or ())


def test_kept_short_texts_stay_within_their_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short texts are kept worked out up to _STRETCHES_KEPT for each separator, and none
    longer than _STRETCH_KEPT_CHARS."""
    _fresh(monkeypatch)
    monkeypatch.setattr(_labels, "_STRETCHES_KEPT", 40)
    text = _example_text()
    first = read(text, form="text")
    for stretched in _labels._KEPT.stretched.values():
        assert len(stretched) <= 40
        assert all(len(short) <= _labels._STRETCH_KEPT_CHARS for short in stretched)
    assert read(text, form="text").values() == first.values()


def test_class_and_id_names_are_kept_within_their_bound() -> None:
    """What an element's class and id name is kept for at most _NAMES_KEPT pairs, each of at
    most _NAME_KEPT_CHARS characters; a longer one is worked out, the same way."""
    pytest.importorskip("lxml")
    from ogi_report.readers import html

    assert html._kept_named.cache_info().maxsize == html._NAMES_KEPT
    long_class = "article " + "x" * html._NAME_KEPT_CHARS
    before = html._kept_named.cache_info()
    assert html._named(long_class, None) == html._tokens_named(long_class, None) == 1
    assert html._kept_named.cache_info() == before  # not kept
    assert html._named("nav", "main-content") == html._tokens_named("nav", "main-content")
