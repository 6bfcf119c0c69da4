"""What the feed's status line counts: the screen fills it on its clock, the line draws it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FeedCounters:
    """What the status line shows; the screen fills it on its clock."""

    received: int = 0
    shown: int = 0
    dropped: int = 0  # rows that left the live view (the journal still has them)
    missed: int = 0  # rows that left before a filtered view saw them
    rate: float = 0.0
    follow: bool = True
    paused: bool = False
    pending: int = 0
    query: str = ""
    find: str = ""  # "match 3 of 17" after a find
    journal: str = ""  # "" when fine, else what is wrong
    tap: str = ""
