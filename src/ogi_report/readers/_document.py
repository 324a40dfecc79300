"""What every reader produces before the report is assembled: text and grids, with where.

A reader of a published form (text, markdown, HTML, PDF, Word) only has to turn its source
into a :class:`Document`: paragraphs of text (:class:`Fragment`) and tables with their
merged cells already expanded (:class:`Grid`), each piece with its :class:`Provenance`.
One assembler then finds the sections, the tables, the rows and the cells.
"""

from __future__ import annotations

import attrs

from ..cells import Provenance

__all__ = ["Document", "Fragment", "Grid"]


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
