from __future__ import annotations

import json
from pathlib import Path

from tui.core.feed import blank_event
from tui.core.journal import Journal, read_journal
from tui.core.pretty import pretty_json
from tui.core.query import compile_query
from tui.core.store import FeedStore, FeedView


def event(i: int, status: str = "PLAYING"):
    return blank_event(
        ts=float(i), source="wcs", method="StreamStatusEvent", status=status, stream=f"s{i}"
    )


def test_publish_numbers_events_and_bounds_the_buffer() -> None:
    store = FeedStore(3)
    published = [store.publish(event(i)) for i in range(5)]
    assert [e.seq for e in published] == [1, 2, 3, 4, 5]
    assert [r[0] for r in store.rows] == [3, 4, 5]
    assert (store.received, store.evicted, store.first_seq, store.last_seq) == (5, 2, 3, 5)
    assert store.event(4).stream == "s3"
    assert store.event(1) is None


def test_view_follows_filters_and_counts_missed() -> None:
    store = FeedStore(4)
    view = FeedView(store, compile_query("status:FAILED"))
    store.publish(event(1, "FAILED"))
    store.publish(event(2))
    assert view.sync() == 1
    assert [r[0] for r in view.rows] == [1]
    for i in range(3, 10):  # a burst larger than the buffer between two syncs
        store.publish(event(i, "FAILED"))
    view.sync()
    assert [r[0] for r in view.rows] == [6, 7, 8, 9]
    assert view.missed == 3  # seqs 3, 4, 5 left the buffer before the view saw them
    view.set_query(None)
    assert len(view) == 4


def test_paused_view_keeps_still_and_counts_pending() -> None:
    store = FeedStore(10)
    view = FeedView(store)
    store.publish(event(1))
    view.sync()
    view.paused = True
    store.publish(event(2))
    store.publish(event(3))
    assert view.sync() == 0 and len(view) == 1 and view.pending() == 2
    view.paused = False
    assert view.sync() == 2 and view.index_of(3) == 2


def test_view_drops_rows_the_store_evicted() -> None:
    store = FeedStore(3)
    view = FeedView(store, compile_query("status:FAILED"))
    store.publish(event(1, "FAILED"))
    view.sync()
    for i in range(2, 6):
        store.publish(event(i))
    view.sync()
    assert len(view) == 0


def test_journal_keeps_everything_with_redacted_bodies(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite").open({"mode": "test"})
    store = FeedStore(2, journal=journal)
    raw = json.dumps({"sipLogin": "1000", "sipPassword": "hunter2", "status": "x"}).encode()
    for i in range(5):
        store.publish(event(i), raw, b'{"ok":1}', {"peer": "127.0.0.1"})
    assert journal.flush()
    assert journal.count() == 5
    record = journal.fetch(1)
    assert record is not None
    assert record.event.stream == "s0"
    assert b"hunter2" not in record.raw and b'"sipPassword":"***"' in record.raw
    assert record.meta == {"peer": "127.0.0.1"}
    body = store.body(1)  # recent bodies outlive the rows; kept as received, redacted when shown
    assert body is not None and b"hunter2" not in pretty_json(body.raw)[0].encode()
    journal.close()
    assert [r.event.seq for r in read_journal(tmp_path / "j.sqlite")] == [1, 2, 3, 4, 5]


def test_old_bodies_come_back_from_the_journal(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite").open()
    store = FeedStore(10, journal=journal, recent_bodies=2)
    for i in range(4):
        store.publish(event(i), f'{{"n":{i}}}'.encode())
    journal.flush()
    assert store.body(1).raw == b'{"n":0}'
    assert store.body(4).raw == b'{"n":3}'
    assert store.body(99) is None
    journal.close()
