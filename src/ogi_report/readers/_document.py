"""What every reader produces before the report is assembled: text and grids, with where.

A reader of a published form (text, markdown, HTML, PDF, Word) only has to turn its source
into a :class:`Document`: paragraphs of text (:class:`Fragment`) and tables with their
merged cells already expanded (:class:`Grid`), each piece with its :class:`Provenance`.
One assembler then finds the sections, the tables, the rows and the cells.
"""

from __future__ import annotations

import attrs

from ..cells import Provenance
from ..errors import InputError

__all__ = ["MAX_TEXT_CHARS", "Document", "Fragment", "Grid", "refuse_long_text"]

#: The most characters of text one document may hold: about a hundred times the longest
#: report (a provincial report runs to some 30,000). Past it the input is refused before
#: it is assembled, so reading time and memory stay bounded whatever the form.
MAX_TEXT_CHARS = 2_000_000


def refuse_long_text(length: int, source: str | None) -> None:
    """Raise :class:`InputError` if ``length`` characters are more than a report holds."""
    if length > MAX_TEXT_CHARS:
        raise InputError(
            f"{length} characters of text, more than the {MAX_TEXT_CHARS} a report could hold",
            source=source,
        )


@attrs.frozen
class Fragment:
    """Text as printed: a line, a paragraph, or one table cell; ``where`` its start."""

    text: str
    where: Provenance = attrs.field(factory=Provenance)


@attrs.frozen
class Grid:
    """A table as a grid of cells, a spanned cell repeated in every position it covers."""

    rows: tuple[tuple[Fragment, ...], ...]
    where: Provenance = attrs.field(factory=Provenance)


Block = Fragment | Grid


@attrs.frozen
class Document:
    """A source's blocks in reading order, and facts about it found outside the report body.

    ``facts`` holds what page chrome says (标题, 发布机构, 发布时间 …) by those labels; the
    assembler uses it for metadata and never mixes it into the narrative.
    """

    blocks: tuple[Block, ...]
    source: str | None = None
    facts: tuple[tuple[str, str], ...] = ()
    chrome: tuple[Fragment, ...] = ()
