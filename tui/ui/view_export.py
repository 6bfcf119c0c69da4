"""Saving what a screen shows now, for a ticket: the feed's filtered view as JSON lines (each
event with its bodies, redacted), the Calls screen's table as ``calls --json`` listings.

Files go to ``<data folder>/exports/`` (owner-only), named by the screen and the time, and the
screen says where. The feed's view can hold a million rows whose older bodies are in the
journal, so it is written on a worker thread from a copy of its rows; the table is written at
once (its groups change on the screen's own thread).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tui.core.export import ExportedEvent, TextOut, Utf8Out, write_jsonl
from tui.core.feed import Row, from_row
from tui.core.journal_read import JournalReadError
from tui.core.private_files import private_dir, private_output
from tui.paths import data_dir
from tui.ui.text import display_path

if TYPE_CHECKING:
    from tui.core.correlate.groups import Group
    from tui.core.store import Body
    from tui.ui.screens.calls import CallsScreen
    from tui.ui.screens.feed import FeedScreen

T = TypeVar("T")


def exports_folder() -> Path:
    return data_dir() / "exports"


def save_new(stem: str, suffix: str, write: Callable[[TextOut], T]) -> tuple[Path, T]:
    """Write a new owner-only file ``<stem><suffix>`` in the exports folder (``<stem>-2``…
    when one of that name exists); returns it and what ``write`` returned."""
    folder = private_dir(exports_folder())
    taken = 1
    while True:
        path = folder / f"{stem}{'' if taken == 1 else f'-{taken}'}{suffix}"
        try:
            with private_output(path) as binary:
                result = write(Utf8Out(binary))
        except FileExistsError:
            taken += 1
            continue
        return path, result


def stamp(now: datetime) -> str:
    return f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def feed_items(
    rows: Iterable[Row], body_of: Callable[[int], Body | None]
) -> Iterator[ExportedEvent]:
    """The rows as events with their bodies (from memory, or the journal for older ones)."""
    for row in rows:
        event = from_row(row)
        body = body_of(event.seq)
        if body is None:  # no longer anywhere (no journal): the event without body keys
            yield ExportedEvent(event)
        else:
            yield ExportedEvent(event, body.raw, body.reply, body.meta)


def save_feed_rows(
    rows: list[Row], body_of: Callable[[int], Body | None], now: datetime
) -> tuple[Path, int]:
    return save_new(
        f"feed-{stamp(now)}", ".jsonl", lambda out: write_jsonl(feed_items(rows, body_of), out)
    )


def save_groups(groups: list[Group], kind: str, now: datetime) -> tuple[Path, int]:
    """Each group's ``calls --json`` listing, one a line."""

    def write(out: TextOut) -> int:
        for group in groups:
            out.write(json.dumps(group.to_json(), ensure_ascii=False) + "\n")
        return len(groups)

    return save_new(f"calls-{kind}-{stamp(now)}", ".jsonl", write)


def export_feed_view(screen: FeedScreen) -> None:
    """Save the rows the feed shows now (its filter applied), on a worker thread."""
    view = screen.view
    rows = list(view.rows)
    query = view.query.text if view.query else ""
    if not rows:
        screen.notify("Nothing to export: the feed shows no events", title="Export",
                      severity="warning", timeout=4)  # fmt: skip
        return
    store = screen.context.services.store
    now = screen.context.clock()
    what = f" (filter: {query})" if query else ""

    def work() -> None:
        try:
            path, count = save_feed_rows(rows, store.body, now)
        except (OSError, sqlite3.Error, JournalReadError) as exc:  # a journal gone bad, too
            reason = getattr(exc, "strerror", None) or str(exc)
            screen.app.call_from_thread(
                screen.notify, f"Could not export the feed: {reason}",
                title="Export", severity="error", markup=False,
            )  # fmt: skip
            return
        screen.app.call_from_thread(
            screen.notify, f"Exported {count:,} events{what} to {display_path(path)}",
            title="Export", timeout=10, markup=False,
        )  # fmt: skip

    screen.notify(f"Exporting {len(rows):,} events{what}…", title="Export", timeout=3, markup=False)
    screen.run_worker(work, name="feed-export", group="export", thread=True)


def export_calls_table(screen: CallsScreen, groups: list[Group]) -> None:
    """Save the table the Calls screen shows now (its kind, filter and order)."""
    if not groups:
        screen.notify("Nothing to export: the table is empty", title="Export",
                      severity="warning", timeout=4)  # fmt: skip
        return
    try:
        path, count = save_groups(groups, screen.kind, screen.context.clock())
    except OSError as exc:
        screen.notify(f"Could not export the table: {exc.strerror or exc}", title="Export",
                      severity="error", markup=False)  # fmt: skip
        return
    query = screen.filter_query.text if screen.filter_query is not None else ""
    what = f" (filter: {query})" if query else ""
    screen.notify(f"Exported {count:,} rows{what} to {display_path(path)}", title="Export",
                  timeout=10, markup=False)  # fmt: skip
