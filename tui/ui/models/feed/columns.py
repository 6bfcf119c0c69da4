"""The feed's columns: the catalogue, which ones fit the terminal, and how each cell reads a row.

The operator chooses the columns and their order (``[feed] columns``, or ``C`` on the feed).
When the terminal is too narrow for all of them, columns are left out by *priority*, the order
in which an operator needs them, not by position: time and status first, then what the event is
and which call, stream or interaction it is about, then the node and the reply time, then the
HTTP status, the parties and the app. The ``info`` column (the reason a call failed, the rule
that refused it) takes what is left but keeps a minimum width, so it is never squeezed out. The
header names the columns left out, so none vanishes without a word.

Ids are cut in the middle, keeping more of the end than the start (:func:`fit_middle`). The
ids the feed shows all differ at their end: ICWS interaction ids are counters (1001234565,
1001234578), stream names end in a number (lecture-48, lecture-52), WCS session ids end in a
UUID, call ids are UUIDs (random from the first character to the last) or SIP Call-IDs, whose
random part comes before the ``@host`` every call of one PBX shares (:func:`fit_id` keeps that
part). Cutting their end made every interaction look the same; the start that is kept still
says what kind of id it is. The form depends only on the id and the width (not on which other
rows are on screen), so a row keeps its label while the feed moves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from tui.core.feed import FLAG_DUPLICATE, FLAG_FALLBACK, FLAG_TAP, FeedEvent

Row = Sequence[Any]
_F = {name: i for i, name in enumerate(FeedEvent._fields)}
SEQ, TS, SOURCE, NODE, APP, METHOD = (
    _F[n] for n in ("seq", "ts", "source", "node", "app", "method")
)
SESSION, CALL, STREAM, MEDIA, STATUS = (
    _F[n] for n in ("session", "call", "stream", "media", "status")
)
INFO, SIP, CALLER, CALLEE, QUEUE, USER = (
    _F[n] for n in ("info", "sip_status", "caller", "callee", "queue", "user")
)
REPLY, LATENCY, RULE, SEVERITY, FLAGS = (
    _F[n] for n in ("reply_status", "latency_ms", "rule", "severity", "flags")
)
ERROR_ID, KIND = _F["error_id"], _F["kind"]

WIDE = 110  # from this many columns on, the wide widths (and milliseconds in the time)
Cut = Literal["end", "id", "start"]


@dataclass(frozen=True)
class Column:
    """A column as drawn: its title, its width (0: takes what is left) and how it reads a row.

    ``cut`` says which part of a value too long for the column is kept; ``fields`` are the
    event fields the column shows (find highlights a match there).
    """

    key: str
    title: str
    width: int
    cell: Callable[[Row], str]
    right: bool = False
    cut: Cut = "end"
    fields: tuple[int, ...] = ()


@dataclass(frozen=True)
class ColumnSpec:
    """A column of the catalogue: what it shows, its two widths and its priority."""

    key: str
    title: str
    narrow_title: str
    wide: int  # width at WIDE columns and more; 0 for the column that takes what is left
    narrow: int
    priority: int  # lower is kept first when the terminal is narrow
    about: str  # one line for the columns dialog
    fields: tuple[int, ...] = ()
    right: bool = False
    cut: Cut = "end"


def node_label(row: Row) -> str:
    node: str = row[NODE]
    _, at, ip = node.rpartition("@")
    return ip if at else node


ID_FIELDS = (CALL, STREAM, MEDIA, QUEUE, USER, SESSION)


def ident(row: Row) -> str:
    """The thing an event is about: a call, a stream, an interaction, else the session."""
    return str(row[CALL] or row[STREAM] or row[MEDIA] or row[QUEUE] or row[USER] or row[SESSION])


def type_label(row: Row) -> str:
    """WCS: the method. ICWS: the message class (queueContents), shorter than its __type."""
    if row[SOURCE] == "icws" and row[KIND]:
        return str(row[KIND])
    return str(row[METHOD])


def party(row: Row) -> str:
    return f"{row[CALLER]} → {row[CALLEE]}" if row[CALLER] or row[CALLEE] else ""


def latency_text(row: Row) -> str:
    """How long the answer took: 40µs, 1.2ms, 12ms, 1.2s (blank without an HTTP reply)."""
    latency = row[LATENCY]
    if latency < 0 or not row[REPLY]:
        return ""
    if latency < 0.9995:
        return f"{latency * 1000:.0f}µs"
    if latency < 10:
        return f"{latency:.1f}ms"
    if latency < 1000:
        return f"{latency:.0f}ms"
    return f"{latency / 1000:.1f}s"


def http_text(row: Row) -> str:
    return str(row[REPLY] or "")


def info_text(row: Row, *, say_reply: bool = False) -> str:
    """Why the event matters. With ``say_reply`` (no http column on screen) an error answer the
    rest of the text does not explain is named, so a 4xx or 5xx never goes unseen."""
    parts = []
    flags = row[FLAGS]
    reply = row[REPLY]
    if flags & FLAG_DUPLICATE:
        parts.append("dup")
    info = row[INFO]
    if reply == 403 and row[RULE] and not flags & (FLAG_TAP | FLAG_FALLBACK):
        parts.append(f"refused by rule {row[RULE]}")
    elif flags & FLAG_TAP and reply >= 400:
        parts.append(f"backend answered {reply}")
    elif say_reply and reply >= 400:
        parts.append(f"HTTP {reply}")
    if info:
        parts.append(info)
    elif row[ERROR_ID]:
        parts.append(row[ERROR_ID])
    elif row[CALLER] or row[CALLEE]:
        parts.append(f"{row[CALLER]} → {row[CALLEE]}")
    return " · ".join(parts)


def time_cell(utc: bool, with_ms: bool) -> Callable[[Row], str]:
    """HH:MM:SS(.mmm); the seconds part is formatted once per second, not once per row."""
    last: list[Any] = [None, ""]

    def cell(row: Row) -> str:
        ts = row[TS]
        second = int(ts)
        if second != last[0]:
            moment = datetime.fromtimestamp(second, UTC) if utc else datetime.fromtimestamp(second)
            last[0], last[1] = second, moment.strftime("%H:%M:%S")
        if with_ms:
            return f"{last[1]}.{int((ts - second) * 1000):03d}"
        return str(last[1])

    return cell


# The catalogue, in the default order. Widths: narrow (under WIDE columns) / wide.
CATALOGUE: dict[str, ColumnSpec] = {
    spec.key: spec
    for spec in (
        ColumnSpec("time", "time", "time", 12, 8, 0, "when it arrived (the header's clock)",
                   (TS,)),
        ColumnSpec("node", "node/server", "node", 13, 9, 4,
                   "WCS node (its IP) or ICWS server", (NODE,), cut="start"),
        ColumnSpec("app", "app", "app", 12, 10, 8, "WCS app or ICWS subscription", (APP,)),
        ColumnSpec("type", "method/type", "method/type", 22, 15, 2,
                   "WCS method or ICWS message class", (METHOD, KIND)),
        ColumnSpec("status", "status", "status", 12, 10, 1, "call, stream or interaction state",
                   (STATUS,)),
        ColumnSpec("id", "call/stream/id", "id", 16, 10, 3,
                   "call, stream, interaction, queue, user or session", ID_FIELDS, cut="id"),
        ColumnSpec("party", "caller → callee", "caller → callee", 22, 15, 7,
                   "who called whom", (CALLER, CALLEE)),
        ColumnSpec("http", "http", "http", 4, 4, 6, "the HTTP status answered to the hook",
                   (REPLY,)),
        ColumnSpec("latency", "took", "took", 6, 5, 5, "how long the answer took (\"took\")",
                   (LATENCY,), right=True),
        ColumnSpec("info", "info", "info", 0, 0, -1,
                   "why it matters: failure reason, refusing rule", (INFO, SIP, RULE, ERROR_ID)),
    )
}  # fmt: skip
DEFAULT_COLUMNS: tuple[str, ...] = tuple(CATALOGUE)
FLEX = "info"


def info_minimum(width: int) -> int:
    """The least the info column keeps before other columns give way. Under 60 columns (F1
    open beside the feed at 80) what the event is comes first: info keeps only a glimpse."""
    if width >= WIDE:
        return 24
    return 16 if width >= 60 else 8


@dataclass(frozen=True)
class Layout:
    """The columns drawn at one width, and the chosen ones left out for lack of room."""

    columns: list[Column]
    hidden: tuple[str, ...]


def _cell(key: str, utc: bool, wide: bool, say_reply: bool) -> Callable[[Row], str]:
    if key == "time":
        return time_cell(utc, wide)
    if key == "info":
        return (lambda r: info_text(r, say_reply=True)) if say_reply else info_text
    cells: dict[str, Callable[[Row], str]] = {
        "node": node_label,
        "app": lambda r: str(r[APP]),
        "type": type_label,
        "status": lambda r: str(r[STATUS]),
        "id": ident,
        "party": party,
        "http": http_text,
        "latency": latency_text,
    }
    return cells[key]


def layout(width: int, *, utc: bool = True, chosen: Sequence[str] = DEFAULT_COLUMNS) -> Layout:
    """The chosen columns (in their order) that fit ``width`` cells, kept by priority."""
    wide = width >= WIDE
    specs = [CATALOGUE[key] for key in dict.fromkeys(chosen) if key in CATALOGUE]
    has_flex = any(spec.key == FLEX for spec in specs)
    used = info_minimum(width) if has_flex else -1  # -1: the first column needs no gap
    kept: set[str] = {FLEX} if has_flex else set()
    for spec in sorted(specs, key=lambda s: s.priority):
        if spec.key == FLEX:
            continue
        need = (spec.wide if wide else spec.narrow) + 1
        if used + need > width:
            break  # strictly by priority: a narrow column never displaces a more needed one
        kept.add(spec.key)
        used += need
    say_reply = "http" not in kept
    columns = [
        Column(
            spec.key,
            spec.title if wide else spec.narrow_title,
            spec.wide if wide else spec.narrow,
            _cell(spec.key, utc, wide, say_reply),
            right=spec.right,
            cut=spec.cut,
            fields=spec.fields,
        )
        for spec in specs
        if spec.key in kept
    ]
    hidden = tuple(spec.key for spec in specs if spec.key not in kept)
    return Layout(columns, hidden)


def fit(text: str, width: int, right: bool = False, cut: Cut = "end") -> str:
    """Exactly ``width`` cells (ASCII-ish ids and statuses: one character, one cell)."""
    if len(text) > width:
        if width <= 1:
            return text[:width]
        if cut == "id":
            return fit_id(text, width)
        if cut == "start":  # the end, without a separator right after the ellipsis
            return fit("…" + text[len(text) - width + 1 :].lstrip(".:-/"), width, right)
        return text[: width - 1] + "…"
    return text.rjust(width) if right else text.ljust(width)


def fit_id(text: str, width: int) -> str:
    """An id in ``width`` characters, still telling it from its neighbours. A SIP Call-ID
    (``random@host``) keeps its random part, the host being the same for every call of a PBX;
    other ids lose their middle (:func:`fit_middle`)."""
    if len(text) <= width:
        return text
    local, at, _ = text.partition("@")
    if at and local:
        return local + "@…" if len(local) + 2 <= width else fit_middle(local, width)
    return fit_middle(text, width)


def fit_middle(text: str, width: int) -> str:
    """``text`` in ``width`` characters with its middle left out: two thirds of the room for
    the end (where ids differ), the rest for the start (which says what kind of id it is)."""
    if len(text) <= width:
        return text
    room = width - 1
    tail = (2 * room + 2) // 3
    head = room - tail
    return text[:head] + "…" + text[len(text) - tail :]


def flex_width(columns: Sequence[Column], total: int) -> int:
    fixed = sum(c.width for c in columns if c.width) + len(columns) - 1
    return max(total - fixed, 4)


def header_line(found: Layout, total: int) -> str:
    """The titles, aligned with the rows; the flex title names the columns left out."""
    columns = found.columns
    flex = flex_width(columns, total)
    cells = []
    for column in columns:
        title = column.title
        if column.width == 0 and found.hidden:
            title = hidden_note(title, found.hidden, flex)
        cells.append(fit(title, column.width or flex, column.right))
    line = " ".join(cells)
    if found.hidden and not any(c.width == 0 for c in columns):
        line = fit(line.rstrip() + "  " + hidden_note("", found.hidden, total), total)
    return line


def hidden_note(title: str, hidden: Sequence[str], width: int) -> str:
    """``title`` and the columns left out for lack of room, in the words that fit ``width``."""
    lead = f"{title}  " if title else ""
    short = f"{title} " if title else ""
    for text in (
        f"{lead}not shown: {' '.join(hidden)} (C)",
        f"{lead}+{len(hidden)} not shown (C)",
        f"{short}+{len(hidden)} more (C)",
        f"{short}+{len(hidden)}",
    ):
        if len(text) <= width:
            return text
    return title
