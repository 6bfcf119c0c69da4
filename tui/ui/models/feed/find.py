"""`f` on the feed: the next or previous event a find query matches, and where it stands
among all the matches ("match 3 of 17")."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from tui.core.query import Query
from tui.ui.models.feed.columns import Row


@dataclass(frozen=True)
class Found:
    """Where the find landed: the row's index, its number among the matches, how many match."""

    index: int
    number: int
    total: int

    @property
    def label(self) -> str:
        return f"match {self.number:,} of {self.total:,}"


def find_match(rows: Iterable[Row], query: Query, cursor: int, direction: int) -> Found | None:
    """The match after (``direction`` 1) or before (-1) the row at ``cursor``, wrapping round;
    None when no row matches. One pass over the rows, which also counts every match."""
    matches = [index for index, row in enumerate(rows) if query(row)]
    if not matches:
        return None
    if direction >= 0:
        at = bisect_right(matches, cursor)
        position = at if at < len(matches) else 0
    else:
        at = bisect_left(matches, cursor) - 1
        position = at if at >= 0 else len(matches) - 1
    return Found(matches[position], position + 1, len(matches))
