"""What a find marks in a row: the cells of the fields it matched, the words it found."""

from __future__ import annotations

import re
from typing import NamedTuple

from rich.style import Style

from tui.ui.models.feed.columns import Column


class Marks(NamedTuple):
    """What a find matched in one row: whole fields, and words inside any cell."""

    fields: frozenset[int]
    words: tuple[re.Pattern[str], ...]
    style: Style

    def cell(self, column: Column, text: str, style: Style) -> list[tuple[str, Style]]:
        """The cell's text in runs, the matched ones in the match style."""
        marked = style + self.style
        if self.fields.intersection(column.fields):
            body = text.strip(" ")
            if not body:
                return [(text, style)]
            start = text.index(body)
            end = start + len(body)
            runs = [(text[:start], style), (body, marked), (text[end:], style)]
            return [(piece, how) for piece, how in runs if piece]
        spans = sorted(m.span() for pattern in self.words for m in pattern.finditer(text))
        if not spans:
            return [(text, style)]
        runs = []
        at = 0
        for start, end in spans:
            start = max(start, at)
            if end <= start:
                continue
            if start > at:
                runs.append((text[at:start], style))
            runs.append((text[start:end], marked))
            at = end
        if at < len(text):
            runs.append((text[at:], style))
        return runs
