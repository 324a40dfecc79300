"""The text forms the narrative rules compare: ``rules.text.nfkc`` is
``unicodedata.normalize("NFKC", …)``, and ``_folded`` gives what a character-by-character
fold gives, for any text."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from ogi_report.rules.text import (
    _FOLDED_TERMS,
    INJECTED_TERMS,
    _fold_table,
    _folded,
    _may_hold_term,
    fold_traditional,
    nfkc,
    normalise,
)

#: What report text mixes: ASCII, full-width forms, CJK punctuation and ideographs, and the
#: characters NFKC composes or decomposes around them (combining marks, Hangul jamo,
#: ligatures, circled and compatibility forms).
_REPORT_LIKE = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xFF00, max_codepoint=0xFFEF),
    st.characters(min_codepoint=0x3000, max_codepoint=0x303F),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40),
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
    st.characters(min_codepoint=0x1100, max_codepoint=0x11FF),
    st.sampled_from("\u00a0\u2460\u2474\ufb01\u1e9b\u0323\u212b\u2126\uac00\u3099\u309a"),
)


@settings(max_examples=2000, deadline=None)
@given(st.text(_REPORT_LIKE, max_size=12))
def test_nfkc_is_unicode_nfkc_on_report_like_text(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=20))
def test_nfkc_is_unicode_nfkc_on_any_text(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def _folded_char_by_char(text: str) -> tuple[str, list[int]]:
    """The fold as first written: each character in turn, its index once per folded char."""
    chars: list[str] = []
    origin: list[int] = []
    for index, raw in enumerate(text):
        folded = unicodedata.normalize("NFKC", raw).lower()
        for char in re.sub(r"\s+", "", fold_traditional(folded)):
            chars.append(char)
            origin.append(index)
    return "".join(chars), origin


@settings(max_examples=2000, deadline=None)
@given(
    st.text(st.one_of(_REPORT_LIKE, st.sampled_from(" \t\n\u3000規章總計ＡＢ㈠①ﬁİ")), max_size=16)
)
def test_folded_text_and_origins_are_those_of_a_fold_char_by_char(text: str) -> None:
    assert _folded(text) == _folded_char_by_char(text)


_NEAR_TERMS = st.text(
    st.one_of(_REPORT_LIKE, st.sampled_from("".join(INJECTED_TERMS) + "門葡娛樂ＢＥＴ３６５ \n")),
    max_size=12,
)


@settings(max_examples=1000, deadline=None)
@given(
    _NEAR_TERMS,
    st.sampled_from(["", *INJECTED_TERMS, "澳門金沙", "ＢＥＴ３６５", "365 bet", "新葡 京"]),
    _NEAR_TERMS,
)
def test_a_text_passed_over_holds_no_injected_term(before: str, term: str, after: str) -> None:
    """_may_hold_term passes over a text only if its fold holds no term (a term put in, in
    any script, spacing or width, is never passed over)."""
    text = before + term + after
    chars = set(text)
    if not _may_hold_term(chars, _fold_table(chars)):
        folded = _folded(text)[0]
        assert not term
        assert not any(known in folded for known in _FOLDED_TERMS)


def test_kept_character_folds_are_bounded_and_folds_past_them_are_right() -> None:
    """The folds kept from one text to the next are at most _FOLDS_KEPT characters; a text
    with more new characters than there is room for is folded right all the same."""
    from ogi_report.rules import text

    many = "".join(chr(0x4E00 + i) for i in range(text._FOLDS_KEPT + 500)) + "規 Ａ"
    assert _folded(many) == _folded_char_by_char(many)
    assert len(text._FOLD_TABLE) == len(text._FOLD_KNOWN) <= text._FOLDS_KEPT
    assert _folded(many[-600:]) == _folded_char_by_char(many[-600:])
    assert len(text._FOLD_TABLE) <= text._FOLDS_KEPT


@settings(max_examples=1000, deadline=None)
@given(
    st.text(
        st.one_of(_REPORT_LIKE, st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\u2028\u3000")), max_size=30
    )
)
def test_normalise_is_nfkc_with_every_regex_whitespace_removed(text: str) -> None:
    assert normalise(text) == re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
