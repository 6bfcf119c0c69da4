"""A ladder as lines of text, ``width`` columns wide: for a ticket, ``noc-console ladder`` and
the ladder screen (which draws wider than the terminal and scrolls sideways).

    time           +delta SIP peer      client     WCS 10.0.0.5     console
    06:01:02.345   +0.000   │             │─call──────▶│               │
    06:01:03.545   +1.200   │─503 Servi…──┼───────────▶│               │

Each arrow is one line; a label is cut with an ellipsis to the room between its lanes, never
drawn over another lane's bar.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise

from tui.core.correlate.ladder import Ladder

TIME_WIDTH = 12  # 06:01:02.345
DELTA_WIDTH = 9  # " +12.345"
LEFT = TIME_WIDTH + DELTA_WIDTH + 1
MIN_GAP = 8  # the fewest columns between two lanes that still carry a readable label


def lane_columns(lanes: int, width: int) -> list[int]:
    """Where each lane's bar goes, in columns from the left edge of the drawing."""
    room = max(lanes * MIN_GAP, width - LEFT - 1)
    if lanes == 1:
        return [LEFT + 2]
    gap = (room - 4) / (lanes - 1)
    return [LEFT + 2 + round(i * gap) for i in range(lanes)]


def _clock(ts: float, utc: bool) -> str:
    moment = datetime.fromtimestamp(ts, UTC) if utc else datetime.fromtimestamp(ts)
    return moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def _cut(text: str, room: int) -> str:
    if room <= 0:
        return ""
    return text if len(text) <= room else text[: max(0, room - 1)] + "…"


def ladder_lines(ladder: Ladder, width: int = 100, *, utc: bool = True) -> list[str]:
    """The ladder drawn in ``width`` columns (wider when the lanes need it)."""
    lanes = list(ladder.lanes)
    if not lanes:
        return ["(no events)"]
    cols = lane_columns(len(lanes), width)
    total = cols[-1] + 2
    at = {lane: cols[i] for i, lane in enumerate(lanes)}
    head = [" "] * total
    title = "time".ljust(TIME_WIDTH) + " " + "+delta".rjust(DELTA_WIDTH - 1)
    head[: len(title)] = title
    gap = min((b - a for a, b in pairwise(cols)), default=total)
    for i, lane in enumerate(lanes):
        name = _cut(ladder.names[lane], max(4, gap - 1))
        start = min(max(LEFT, cols[i] - len(name) // 2), total - len(name))
        head[start : start + len(name)] = name
    lines = ["".join(head).rstrip()]
    previous: float | None = None
    for arrow in ladder.arrows:
        row = [" "] * total
        stamp = _clock(arrow.t, utc)
        delta = f"+{arrow.t - previous:.3f}" if previous is not None else "+0.000"
        previous = arrow.t
        prefix = stamp.ljust(TIME_WIDTH) + " " + delta.rjust(DELTA_WIDTH - 1)
        row[: len(prefix)] = prefix
        for c in cols:
            row[c] = "│"
        a, b = at[arrow.src], at[arrow.dst]
        if a == b:
            label = _cut("◆ " + arrow.label, total - a - 2)
            row[a + 1 : a + 1 + len(label)] = label
        else:
            lo, hi = min(a, b), max(a, b)
            for c in range(lo + 1, hi):
                row[c] = "┼" if c in cols else "─"
            if b > a:
                row[hi - 1] = "▶"
            else:
                row[lo + 1] = "◀"
            # The label sits in the first gap the arrow crosses, so it never hides a bar.
            gap_end = next((c for c in cols if lo < c <= hi), hi)
            room = gap_end - lo - 4
            label = _cut(arrow.label, room)
            start = lo + 2 + (1 if b < a else 0)
            row[start : start + len(label)] = label
        lines.append("".join(row).rstrip())
    return lines
