"""The feed's columns: which ones fit the terminal's width, and how each cell reads a row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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


@dataclass(frozen=True)
class Column:
    """A column: its title, its width (0: takes what is left) and how it reads a row."""

    key: str
    title: str
    width: int
    cell: Callable[[Row], str]
    right: bool = False


def node_label(row: Row) -> str:
    node: str = row[NODE]
    _, at, ip = node.rpartition("@")
    return ip if at else node


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


def reply_text(row: Row) -> str:
    status = row[REPLY]
    if not status:
        return ""
    latency = row[LATENCY]
    if latency < 0:
        return str(status)
    if latency < 10:
        return f"{status} {latency:.1f}ms"
    if latency < 1000:
        return f"{status} {latency:.0f}ms"
    return f"{status} {latency / 1000:.1f}s"


def info_text(row: Row) -> str:
    parts = []
    flags = row[FLAGS]
    if flags & FLAG_DUPLICATE:
        parts.append("dup")
    info = row[INFO]
    if row[REPLY] == 403 and row[RULE] and not flags & (FLAG_TAP | FLAG_FALLBACK):
        parts.append(f"refused by rule {row[RULE]}")
    elif flags & FLAG_TAP and row[REPLY] >= 400:
        parts.append(f"backend answered {row[REPLY]}")
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


def layout(width: int, *, utc: bool = True) -> list[Column]:
    """Columns for a terminal this wide: 80 shows the essentials; 120+ adds node and reply time."""
    wide = width >= 110
    widest = width >= 160
    columns = [Column("time", "time", 12 if wide else 8, time_cell(utc, wide))]
    if wide:
        columns.append(Column("node", "node/server", 15, node_label))
    if widest:
        columns.append(Column("app", "app", 12, lambda r: r[APP]))
    columns += [
        Column("method", "method/type", 22 if wide else 17, type_label),
        Column("status", "status", 12 if wide else 10, lambda r: r[STATUS]),
        Column("id", "call/stream/id" if wide else "id", 14 if wide else 9, ident),
    ]
    if widest:
        columns.append(Column("party", "caller → callee", 22, party))
    if wide:
        columns.append(Column("reply", "reply", 11, reply_text))
    else:
        columns.append(Column("reply", "http", 4, lambda r: str(r[REPLY] or "")))
    columns.append(Column("info", "info", 0, info_text))
    return columns


def fit(text: str, width: int, right: bool = False) -> str:
    """Exactly ``width`` cells (ASCII-ish ids and statuses: one character, one cell)."""
    if len(text) > width:
        return text[: max(width - 1, 0)] + "…" if width > 1 else text[:width]
    return text.rjust(width) if right else text.ljust(width)


def flex_width(columns: Sequence[Column], total: int) -> int:
    fixed = sum(c.width for c in columns if c.width) + len(columns) - 1
    return max(total - fixed, 4)
