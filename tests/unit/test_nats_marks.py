"""Each collector run's mark beside its journal, and the backlog of the runs that ended."""

from __future__ import annotations

import json
from pathlib import Path

from tests.journal_support import schema2_journal
from tui.core.feed import blank_event
from tui.core.journal_files import RunLock, lock_path
from tui.net.nats.marks import mark_path, read_mark, unpublished, write_mark
from tui.net.nats.message import message_id


def run_journal(folder: Path, name: str, events: int) -> Path:
    folder.mkdir(exist_ok=True)
    made = [blank_event(seq=n, ts=float(n), source="wcs", node="n1", method="call", call=f"c{n}")
            for n in range(1, events + 1)]  # fmt: skip
    return schema2_journal(folder / f"{name}.sqlite", made, raw=b'{"callId": "x"}')


def test_a_mark_reads_back_and_a_damaged_one_is_none(tmp_path: Path) -> None:
    mark = mark_path(tmp_path / "20261201-100000-collect-7.sqlite")
    assert mark.name == "20261201-100000-collect-7.nats.json"
    write_mark(mark, "host-run", 41)
    assert read_mark(mark) == ("host-run", 41)
    assert mark.stat().st_mode & 0o777 == 0o600  # owner-only, as the journal beside it
    mark.write_text("{not json")
    assert read_mark(mark) is None
    mark.write_text(json.dumps({"run": "r", "acked_upto": "41"}))
    assert read_mark(mark) is None


def test_the_backlog_of_an_ended_run_is_what_its_mark_does_not_cover(tmp_path: Path) -> None:
    folder = tmp_path / "journals"
    ended = run_journal(folder, "20261201-100000-collect-7", 10)
    write_mark(mark_path(ended), "h-ended", 6)
    own = run_journal(folder, "20261201-110000-collect-8", 3)
    write_mark(mark_path(own), "h-own", 0)
    (backlog,) = unpublished(folder, own, "noc")
    assert backlog.run == "h-ended"
    assert [item.msg_id for item in backlog.items] == [
        message_id("h-ended", n) for n in (7, 8, 9, 10)
    ]
    assert json.loads(backlog.items[0].payload)["call"] == "c7"


def test_running_sent_and_removed_runs_are_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "journals"
    running = run_journal(folder, "20261201-100000-collect-1", 5)
    write_mark(mark_path(running), "h-running", 0)
    lock = RunLock(lock_path(folder, "20261201-100000-collect-1")).acquire()
    sent = run_journal(folder, "20261201-100000-collect-2", 5)
    write_mark(mark_path(sent), "h-sent", 5)
    gone = folder / "20261201-100000-collect-3.nats.json"
    write_mark(gone, "h-gone", 1)  # its journal went with retention
    try:
        assert list(unpublished(folder, folder / "own.sqlite", "noc")) == []
    finally:
        lock.release()
    assert mark_path(running).exists()  # its collector still runs
    assert not mark_path(sent).exists() and not gone.exists()


def test_of_collectors_sharing_a_folder_one_sends_an_ended_run(tmp_path: Path) -> None:
    """Workers of one `collect --workers` start together and look at the same folder: the
    first to find an ended run takes its lock and sends it; the others leave it alone until
    that lock is let go (the sender stopped before the stream had it all)."""
    folder = tmp_path / "journals"
    ended = run_journal(folder, "20261201-100000-collect-7", 10)
    write_mark(mark_path(ended), "h-ended", 6)
    first = run_journal(folder, "20261201-110000-collect-8", 1)
    second = run_journal(folder, "20261201-110000-collect-9", 1)
    (backlog,) = unpublished(folder, first, "noc")
    assert backlog.claim is not None and len(backlog.items) == 4
    assert list(unpublished(folder, second, "noc")) == []  # being sent by the first
    backlog.claim.release()
    (again,) = unpublished(folder, second, "noc")
    assert again.run == "h-ended" and again.claim is not None
    again.claim.release()
