"""Mutations of every corpus file, in every form: a Report or one InputError, within bounds,
and a sentence planted anywhere in a textual form is never lost.

The mutations are the damage real files and hostile ones carry: a line or paragraph
planted, deleted or repeated; a digit turned into a long run of digits; bytes flipped;
the file cut short. Skipped cleanly when ``../shared`` is not beside the repository.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ogi_report import Report

from ..conftest import CORPUS
from .bounds import assert_kept, read_bounded

#: A sentence no report prints, to plant.
PLANTED = "此句为测试植入文字甲乙丙丁"

FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _corpus(*suffixes: str) -> list[Path]:
    """The corpus reports of these forms (not its README, not the truth files)."""
    if not CORPUS.is_dir():
        return []
    found = CORPUS.rglob("*")
    return sorted(p for p in found if p.suffix in suffixes and p.name != "README.md")


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


TEXTUAL = _corpus(".txt", ".md", ".html")
BINARY = _corpus(".pdf", ".docx")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


def _digits(draw: st.DrawFn) -> str:
    return draw(st.text("0123456789", min_size=1, max_size=60))


_OPENING = re.compile(r"""<(?:p|div|td|tr|table|span)\b(?:[^>"']|"[^"]*"|'[^']*')*>""")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _opening_tags(html: str) -> list[int]:
    """Where an element's content starts (after its opening tag), outside comments."""
    comments = [m.span() for m in _COMMENT.finditer(html)]
    return [
        m.end()
        for m in _OPENING.finditer(html)
        if not any(start <= m.start() < end for start, end in comments)
    ]


@st.composite
def _text_mutation(draw: st.DrawFn, text: str, html: bool) -> tuple[str, bool]:
    """``text`` damaged one to three ways; True if PLANTED was planted where it must be kept."""
    planted = False
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["plant", "delete", "repeat", "digits", "cut", "nest"]))
        at = draw(st.integers(0, len(lines) - 1))
        if kind == "plant":
            if html:
                tags = _opening_tags(text)
                if not tags:
                    continue
                position = draw(st.sampled_from(tags))
                text = f"{text[:position]}<p>{PLANTED}</p>{text[position:]}"
            else:
                lines.insert(at, PLANTED)
                text = "\n".join(lines)
            planted = True
        elif kind == "delete":
            text = "\n".join(lines[:at] + lines[at + 1 :])
        elif kind == "repeat":
            text = "\n".join(lines[: at + 1] + lines[at:])
        elif kind == "digits":
            found = [m.start() for m in re.finditer(r"\d", text)]
            if found:
                position = draw(st.sampled_from(found))
                text = text[:position] + _digits(draw) + text[position + 1 :]
        elif kind == "cut":
            text = text[: draw(st.integers(0, len(text)))]
        else:
            depth = draw(st.integers(1, 400))
            opening, closing = ("<div>" * depth, "</div>" * depth) if html else ("", "")
            text = "\n".join([*lines[:at], opening + "本段文字" + closing, *lines[at:]])
        planted = planted and PLANTED in text  # a later delete or cut may take it away
    return text, planted


@needs_corpus
@pytest.mark.parametrize("path", TEXTUAL, ids=_ids(TEXTUAL))
def test_mutated_textual_files(path: Path) -> None:
    original = path.read_bytes().decode("utf-8")
    html = path.suffix == ".html"

    @FUZZ
    @given(_text_mutation(original, html))
    def mutated(case: tuple[str, bool]) -> None:
        text, planted = case
        outcome = read_bounded(text.encode("utf-8"), seconds=20, form="html" if html else None)
        if planted and isinstance(outcome, Report):
            assert_kept(outcome, PLANTED)

    mutated()


@st.composite
def _byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["flip", "cut", "insert"]))
    if kind == "cut":
        return data[: draw(st.integers(0, len(data)))]
    position = draw(st.integers(0, len(data) - 1))
    chunk = draw(st.binary(min_size=1, max_size=64))
    if kind == "flip":
        return data[:position] + chunk + data[position + len(chunk) :]
    return data[:position] + chunk + data[position:]


@st.composite
def _paragraph(draw: st.DrawFn) -> tuple[str, bool]:
    """A Word paragraph to plant (True) or a run of digits to add (False)."""
    if draw(st.booleans()):
        return f"<w:p><w:r><w:t>{PLANTED}</w:t></w:r></w:p>", True
    return f"<w:p><w:r><w:t>{_digits(draw)}</w:t></w:r></w:p>", False


def _docx_with(data: bytes, position: int, paragraph: str) -> bytes:
    """The Word file with ``paragraph`` inserted after the ``position``-th paragraph's end."""
    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read("word/document.xml").decode("utf-8")
    ends = [m.end() for m in re.finditer(r"</w:p>", xml)]
    at = ends[position % len(ends)]
    xml = xml[:at] + paragraph + xml[at:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = xml.encode() if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, body)
    return out.getvalue()


@needs_corpus
@pytest.mark.parametrize("path", BINARY, ids=_ids(BINARY))
def test_mutated_binary_files(path: Path) -> None:
    """PDF and Word files with bytes flipped, inserted or cut: a Report or an InputError."""
    data = path.read_bytes()

    @settings(FUZZ, max_examples=8)
    @given(_byte_mutation(data))
    def mutated(damaged: bytes) -> None:
        read_bounded(damaged, seconds=30)

    mutated()


@needs_corpus
@pytest.mark.parametrize("path", _corpus(".docx"), ids=_ids(_corpus(".docx")))
def test_mutated_word_documents_keep_planted_text(path: Path) -> None:
    """A paragraph planted anywhere in document.xml (body or table cell) is kept."""
    data = path.read_bytes()

    @FUZZ
    @given(st.integers(0, 10_000), _paragraph())
    def mutated(position: int, paragraph: tuple[str, bool]) -> None:
        xml, planted = paragraph
        outcome = read_bounded(_docx_with(data, position, xml), seconds=20)
        if planted and isinstance(outcome, Report):
            assert_kept(outcome, PLANTED)

    mutated()
