"""A section's narrative as printed: its lines, split into parts at sub-headings."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Part

__all__ = ["PREAMBLE", "narrative_parts"]

#: Why the text before section 一 is kept in ``Report.unplaced`` (the title is read from it).
PREAMBLE = "preamble: text before section 一"

#: A sub-heading line: （一）…, (二)…, or 一是…
_SUBHEADING = re.compile(
    r"^\s*(?:#+\s*)?(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+是)"
)
#: Longer lines are paragraphs that open with a list marker, not sub-headings.
_SUBHEADING_CHARS = 40


def narrative_parts(texts: Iterable[str]) -> tuple[Part, ...]:
    """The parts of a section's text: a new part at each sub-heading line; empty lines and
    table rules (``|-:#``) dropped, cell bars trimmed.

    >>> texts = ["（一）主动公开\\n全年主动公开信息120条。", "（二）依申请\\n无。"]
    >>> for part in narrative_parts(texts):
    ...     print(part)
    Part(heading='（一）主动公开', text='全年主动公开信息120条。')
    Part(heading='（二）依申请', text='无。')
    """
    parts: list[Part] = []
    title: str | None = None
    lines: list[str] = []
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            if not line or set(line) <= set("|-:# "):
                continue
            if _SUBHEADING.match(line) and len(line) <= _SUBHEADING_CHARS:
                if lines or title is not None:
                    parts.append(Part(title, "\n".join(lines)))
                title, lines = line.lstrip("# ").strip(), []
            else:
                lines.append(line.strip("| "))
    if lines or title is not None:
        parts.append(Part(title, "\n".join(lines)))
    return tuple(parts)
