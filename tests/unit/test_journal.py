"""The journal: nothing stops its writer, failures are counted and said, memory and disk stay
bounded, files are private, and another console's journal is never touched."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tui.core.feed import blank_event
from tui.core.journal import Journal, JournalLimits, read_journal
from tui.core.journal_files import Retention, is_held, lock_path, prune
from tui.core.store import FeedStore


def event(i: int, **fields: object):
    return blank_event(ts=float(i), source="wcs", method="CallStatusEvent", call=f"c{i}", **fields)


def open_store(path: Path, **limits: object) -> tuple[FeedStore, Journal]:
    journal = Journal(path, limits=JournalLimits(**limits)).open()  # type: ignore[arg-type]
    return FeedStore(100, journal=journal), journal


def poison(path: Path, status: str = "POISON") -> None:
    """A real SQLite failure for one kind of row: a trigger that aborts its insert."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            f"CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.status = '{status}' "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )


def test_a_lone_surrogate_does_not_stop_the_writer(tmp_path: Path) -> None:
    store, journal = open_store(tmp_path / "run.sqlite")
    store.submit(event(1, status="sur\ud800x"), b'{"callId":"sur\\ud800x"}')
    for i in range(2, 6):
        store.submit(event(i, status="ESTABLISHED"))
    assert journal.flush()
    assert journal.count() == 5 and journal.lost == 0
    assert journal.fetch(1).event.status == "sur?x"
    journal.close()


def test_a_deeply_nested_secret_does_not_stop_the_writer(tmp_path: Path) -> None:
    store, journal = open_store(tmp_path / "run.sqlite")
    deep = b'{"a":' * 600 + b'{"password":"hunter2"}' + b"}" * 600
    store.submit(event(1), deep)
    store.submit(event(2), b"[" * 100_000 + b"]" * 100_000)
    store.submit(event(3), b'{"ok":1}')
    assert journal.flush()
    assert journal.count() == 3
    assert b"hunter2" not in journal.fetch(1).raw
    journal.close()


def test_a_row_the_database_refuses_is_counted_and_the_rest_of_its_batch_written(
    tmp_path: Path,
) -> None:
    path = tmp_path / "run.sqlite"
    store, journal = open_store(path)
    poison(path)
    settled: list[tuple[int, tuple[int, ...]]] = []
    journal.listeners.append(lambda upto, lost: settled.append((upto, lost)))
    for i in range(1, 11):
        store.submit(event(i, status="POISON" if i in (3, 7) else "OK"))
    assert journal.flush()
    assert journal.written == 8 and journal.lost == 2
    assert "refused by the test" in journal.last_error
    assert sorted(seq for _, lost in settled for seq in lost) == [3, 7]
    assert settled[-1][0] == 10
    store.submit(event(11, status="OK"))  # and it goes on
    assert journal.flush()
    assert journal.count() == 9
    journal.close()


def test_what_waits_for_the_disk_is_bounded(tmp_path: Path) -> None:
    store, journal = open_store(tmp_path / "run.sqlite", max_pending_bytes=200_000)
    stall = threading.Event()

    def stalled(upto: int, lost: tuple[int, ...]) -> None:
        stall.wait(10)

    journal.listeners.append(stalled)
    store.submit(event(1), b"x")  # the writer takes it, then stalls in the listener
    while journal.pending:
        time.sleep(0.001)
    body = b"y" * 8_000
    taken = [store.submit(event(i), body).journalled for i in range(2, 200)]
    assert taken.count(True) < 30 and taken[-1] is False
    assert journal.pending_bytes <= 200_000
    assert journal.lost == taken.count(False)
    assert "not journalled" in journal.last_error
    stall.set()
    assert journal.flush()
    assert journal.count() == 1 + taken.count(True)
    assert store.drain() == 199  # the view still gets every event
    journal.close()


def test_a_file_past_its_bound_rotates_and_old_events_stay_readable(tmp_path: Path) -> None:
    path = tmp_path / "20260101-000000-test-1.sqlite"
    store, journal = open_store(path, max_file_bytes=256 * 1024)
    journal._next_size_check = 0.0
    body = json.dumps({"pad": "z" * 4000}).encode()
    for i in range(1, 301):
        store.submit(event(i), body)
        if i % 50 == 0:
            assert journal.flush()
            journal._next_size_check = 0.0  # look at the size after every flush in this test
    assert journal.flush()
    files = journal.files
    assert len(files) >= 3 and files[0] == path and files[1].name.endswith(".2.sqlite")
    assert journal.count() == 300
    assert journal.fetch(1).event.call == "c1" and journal.fetch(300).event.call == "c300"
    info = dict(sqlite3.connect(files[1]).execute("SELECT key, value FROM journal_info"))
    assert info["part"] == "2" and int(info["first_seq"]) > 1
    journal.close()


def test_rotation_keeps_the_folder_within_its_total(tmp_path: Path) -> None:
    limits = {"max_file_bytes": 128 * 1024,
              "retention": Retention(keep_files=0, max_total_bytes=600 * 1024, max_age_s=0)}  # fmt: skip
    store, journal = open_store(tmp_path / "run.sqlite", **limits)
    body = json.dumps({"pad": "z" * 4000}).encode()
    for i in range(1, 601):
        store.submit(event(i), body)
        if i % 20 == 0:
            assert journal.flush()
            journal._next_size_check = 0.0
    assert journal.flush()
    total = sum(p.stat().st_size for p in tmp_path.glob("*.sqlite*"))
    assert total < 900 * 1024  # the bound, plus the file being written and its WAL
    assert journal.fetch(600) is not None and journal.fetch(1) is None  # the oldest went
    journal.close()


def test_files_and_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "journals"
    store, journal = open_store(folder / "run.sqlite")
    store.submit(event(1), b'{"a":1}')
    assert journal.flush()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert {p.suffix for p in folder.iterdir()} >= {".sqlite", ".lock"}
    journal.close()


def test_an_existing_wide_open_folder_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "journals"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    _, journal = open_store(folder / "run.sqlite")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    journal.close()


HOLDER = """
import sys, time
from pathlib import Path
from tui.core.journal import Journal
journal = Journal(Path(sys.argv[1])).open()
print("open", flush=True)
sys.stdin.readline()
"""


def test_pruning_never_touches_a_journal_another_live_console_holds(tmp_path: Path) -> None:
    live = tmp_path / "20200101-000000-live-1.sqlite"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(live)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        os.utime(live, (1, 1))  # the oldest of all
        for i in range(25):
            old = tmp_path / f"2021010{i // 10}-00000{i % 10}-old-{i}.sqlite"
            sqlite3.connect(old).close()
            os.utime(old, (1000 + i, 1000 + i))
        assert is_held(lock_path(tmp_path, "20200101-000000-live-1"))
        removed = prune(tmp_path, Retention(keep_files=5, max_total_bytes=0, max_age_s=0))
        assert live not in removed and live.exists()
        assert len(list(tmp_path.glob("*.sqlite"))) == 6  # the live one and the 5 newest
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)
    # Once its console has gone (however it ended), it is an ordinary old file.
    assert not is_held(lock_path(tmp_path, "20200101-000000-live-1"))
    removed = prune(tmp_path, Retention(keep_files=5, max_total_bytes=0, max_age_s=0))
    assert live in removed


def test_old_files_age_out(tmp_path: Path) -> None:
    old = tmp_path / "20200101-000000-old-1.sqlite"
    new = tmp_path / "20200102-000000-new-2.sqlite"
    for path in (old, new):
        sqlite3.connect(path).close()
    os.utime(old, (0, 0))
    removed = prune(
        tmp_path, Retention(keep_files=0, max_total_bytes=0, max_age_s=3600), now=10_000
    )
    assert removed == [old] and new.exists()


def test_a_second_open_of_the_same_run_is_refused(tmp_path: Path) -> None:
    _, journal = open_store(tmp_path / "run.sqlite")
    with pytest.raises(OSError):
        Journal(tmp_path / "run.sqlite").open()
    journal.close()


def test_flush_and_read_back(tmp_path: Path) -> None:
    store, journal = open_store(tmp_path / "run.sqlite")
    for i in range(1, 4):
        store.submit(event(i), b'{"n":1}', b'{"n":1}')
    assert journal.flush()
    journal.close()
    records = read_journal(tmp_path / "run.sqlite")
    assert [r.event.seq for r in records] == [1, 2, 3]
    assert records[0].reply == records[0].raw  # an echo is stored once


def test_appends_while_a_batch_is_written_leave_the_wake_up_alone(tmp_path: Path) -> None:
    """The writer is awake while it writes: events that come meanwhile go in its next batch
    without a wake-up of their own (a lock and a notify per event, on the listener's thread),
    and none of them waits for the writer's idle interval."""
    journal = Journal(tmp_path / "j.sqlite", interval=60.0).open()
    appender = threading.get_ident()
    woken_by_appends = []
    wake = journal._wake
    real_set = wake.set

    def counting_set() -> None:
        if threading.get_ident() == appender:
            woken_by_appends.append(1)
        real_set()

    wake.set = counting_set  # type: ignore[method-assign]
    in_batch, go_on = threading.Event(), threading.Event()

    def hold_first_batch(upto: int, lost: tuple[int, ...]) -> None:
        if upto == 1:
            in_batch.set()
            go_on.wait(10)

    journal.listeners.append(hold_first_batch)
    try:
        assert journal.append((1, *event(1)[1:]), b"{}", b"{}")
        assert in_batch.wait(10)
        for n in range(2, 50):
            assert journal.append((n, *event(n)[1:]), b"{}", b"{}")
        assert woken_by_appends == [1]  # the first event's, to a sleeping writer
        go_on.set()
        assert journal.flush(10)  # long before the 60 s interval
        assert journal.written == 49
    finally:
        go_on.set()
        journal.close()


def test_events_are_not_held_up_behind_a_big_group_checkpoint(tmp_path: Path) -> None:
    """The writer makes a checkpoint's rows a slice at a time and writes the events that
    came meanwhile in between: a reply waiting for its commit does not wait for the JSON of
    thousands of groups."""
    from tui.core.journal_groups import CHECKPOINT_SLICE

    journal = Journal(tmp_path / "j.sqlite", interval=60.0).open()
    started, appended, committed = threading.Event(), threading.Event(), threading.Event()
    journal.listeners.append(lambda upto, lost: committed.set() if upto >= 1 else None)
    seen_commit_while_checkpointing: list[bool] = []

    class Slow:
        def __init__(self, n: int) -> None:
            self.key = f"call:c{n}"
            self.n = n

        def row(self) -> tuple[str, str, bytes, float, str]:
            if self.n == 0:  # the checkpoint is under way before the event comes
                started.set()
                assert appended.wait(10)
            if self.n == CHECKPOINT_SLICE + 1:  # in a later slice: the event went first
                seen_commit_while_checkpointing.append(committed.wait(5))
            return self.key, "[2]", b"", 0.0, "{}"

    try:
        journal.put_groups([Slow(n) for n in range(3 * CHECKPOINT_SLICE)], 1)
        assert started.wait(10)
        assert journal.append((1, *event(1)[1:]), b"{}", b"{}")
        appended.set()
        assert journal.flush(10) and committed.wait(10)
    finally:
        journal.close()
    assert seen_commit_while_checkpointing == [True]
    with sqlite3.connect(tmp_path / "j.sqlite") as conn:
        assert conn.execute("SELECT COUNT(*) FROM groups").fetchone()[0] == 3 * CHECKPOINT_SLICE


def test_the_writer_rests_between_the_slices_of_a_checkpoint(tmp_path: Path) -> None:
    """Making group rows is Python work that holds the interpreter lock the listener's loop
    needs: after each slice the writer rests three times as long as the slice took it
    (journal_groups.CHECKPOINT_DUTY), and goes on writing events meanwhile. The clocks are the test's: the
    slice "takes" 4 ms of the writer's time, so the next may start 12 ms later."""
    from tui.core.journal_groups import CHECKPOINT_SLICE

    now = [100.0]
    work = [0.0]
    made: list[int] = []

    class Timed:
        def __init__(self, n: int) -> None:
            self.key = f"call:c{n}"
            self.n = n

        def row(self) -> tuple[str, str, bytes, float, str]:
            made.append(self.n)
            work[0] += 0.004 / CHECKPOINT_SLICE
            return self.key, "[2]", b"", 0.0, "{}"

    journal = Journal(
        tmp_path / "j.sqlite", interval=60.0, clock=lambda: now[0], work_clock=lambda: work[0]
    ).open()

    def made_at_least(count: int) -> bool:
        deadline = time.monotonic() + 10
        while len(made) < count and time.monotonic() < deadline:
            time.sleep(0.01)  # the writer looks again when its (real) wait for the rest ends
        return len(made) >= count

    try:
        journal.put_groups([Timed(n) for n in range(3 * CHECKPOINT_SLICE)], 1)
        assert made_at_least(CHECKPOINT_SLICE)
        for seq in (1, 2):  # the writer goes round its loop for each: it writes, it rests
            assert journal.append((seq, *event(seq)[1:]), b"{}", b"{}")
            assert journal.flush(10)
        assert len(made) == CHECKPOINT_SLICE  # one slice, then the rest: the clock stood still
        now[0] += 0.011
        assert journal.append((3, *event(3)[1:]), b"{}", b"{}") and journal.flush(10)
        assert len(made) == CHECKPOINT_SLICE  # 11 ms is not yet the 12 ms rest
        now[0] += 0.002
        assert made_at_least(2 * CHECKPOINT_SLICE)
        assert len(made) == 2 * CHECKPOINT_SLICE
    finally:
        journal.close()  # closing does not rest: the checkpoint is finished and written
    assert len(made) == 3 * CHECKPOINT_SLICE
    with sqlite3.connect(tmp_path / "j.sqlite") as conn:
        assert conn.execute("SELECT COUNT(*) FROM groups").fetchone()[0] == 3 * CHECKPOINT_SLICE
