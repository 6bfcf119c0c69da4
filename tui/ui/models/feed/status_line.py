"""The fields of the feed's status line, fitted to a width (Textual-free, so it is unit-tested).

Each field is whole or absent: a field that does not fit is left out rather than cut, so two
fields never run together ("drop 0" and "6/s" read as "drop 06/s"). Fields are separated by two
spaces. What is left out first is what matters least: trouble (missed rows, the tap, the journal)
and the mode always stay, and so does a find's "match 3 of 17"; the filter, last, is shortened
with an ellipsis when it is long.
"""

from __future__ import annotations

from typing import NamedTuple

from tui.ui.models.feed.counters import FeedCounters

SEPARATOR = "  "
WIDE = 100  # from this width on the counters use whole words


class Field(NamedTuple):
    """One field: its text, the name of its style ("" for the line's own), and a muted label
    drawn before it ("filter: ")."""

    text: str
    style: str = ""
    label: str = ""

    @property
    def width(self) -> int:
        return len(self.label) + len(self.text)


def _mode(c: FeedCounters) -> Field:
    if c.paused:
        return Field(f"PAUSED +{c.pending:,}", "paused")
    if c.follow:
        return Field("FOLLOW", "mode")
    return Field("SCROLL", "muted")


def status_fields(c: FeedCounters, width: int) -> list[Field]:
    """The fields that fit in ``width`` cells, in the order they are drawn."""
    wide = width >= WIDE
    labels = ("received", "shown", "dropped") if wide else ("rcv", "shown", "drop")
    # (priority, field): lower priority numbers are kept first; the order drawn is the list's.
    candidates: list[tuple[int, Field]] = [(0, _mode(c))]
    if c.missed:
        candidates.append((0, Field(f"missed {c.missed:,}", "bad")))
    candidates += [
        (2, Field(f"{labels[0]} {c.received:,}")),
        (3, Field(f"{labels[1]} {c.shown:,}")),
        (4, Field(f"{labels[2]} {c.dropped:,}", "muted" if not c.dropped else "")),
        (1, Field(f"{c.rate:,.0f}/s")),
    ]
    if c.tap:
        candidates.append((0, Field(c.tap, "bad")))
    if c.journal:
        candidates.append((0, Field(c.journal, "bad")))
    if c.find:  # "match 3 of 17": the answer to what the operator just asked
        candidates.append((0, Field(c.find, "found")))
    room = width - 1  # the line starts with one blank cell
    kept: set[int] = set()
    used = 0
    for index in sorted(range(len(candidates)), key=lambda i: (candidates[i][0], i)):
        cost = candidates[index][1].width + (len(SEPARATOR) if kept else 0)
        if used + cost <= room or candidates[index][0] == 0:
            kept.add(index)
            used += cost
    fields = [field for i, (_, field) in enumerate(candidates) if i in kept]
    if c.query:
        label = "filter: "
        left = room - used - len(SEPARATOR) - len(label)
        if left >= 2:
            query = c.query if len(c.query) <= left else c.query[: left - 1] + "…"
            fields.append(Field(query, "filter", label))
    return fields


def status_plain(c: FeedCounters, width: int) -> str:
    """The line as plain text (what a test or a screen reader reads)."""
    return " " + SEPARATOR.join(field.label + field.text for field in status_fields(c, width))
