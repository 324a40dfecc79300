"""``rules.text.nfkc`` is ``unicodedata.normalize("NFKC", …)``, for any text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from ogi_report.rules.text import nfkc

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
