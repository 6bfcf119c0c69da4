"""write_journal: a new journal from a stream of events, through the journal itself."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.core.feed import blank_event
from tui.core.journal import read_journal
from tui.core.journal_read import JournalReader
from tui.core.journal_write import ImportItem, write_journal

BODY = b'{"status":"RING","callId":"c","sipMessageRaw":"' + b"x" * 900 + b'"}'


def stream(count: int) -> Iterator[ImportItem]:
    for n in range(count):
        event = blank_event(seq=999, ts=1_800_000_000.0 + n, source="wcs", method="m", call=f"c{n}")
        yield event, BODY, BODY, {"path": "/apps/A/m", "n": n}


def test_fifty_thousand_events_stream_through_a_bounded_queue(tmp_path: Path) -> None:
    result = write_journal(tmp_path / "big.sqlite", stream(50_000), {"mode": "import"})
    assert (result.written, result.lost) == (50_000, 0)
    assert result.max_pending <= 2_000  # never more than one flush's worth waited in memory
    assert (result.first_ts, result.last_ts) == (1_800_000_000.0, 1_800_049_999.0)
    with JournalReader(result.path) as reader:
        seqs = [e.seq for e in reader.events()]
        assert seqs == list(range(1, 50_001))  # numbered as they came, not as given
        record = reader.record(50_000)
    assert record is not None and record.event.call == "c49999" and record.meta["n"] == 49_999
    assert record.reply == record.raw  # an echo, stored once
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600


def test_without_the_bound_the_queue_would_grow(tmp_path: Path) -> None:
    """The bound above is what keeps memory flat: lift it and everything piles up."""
    result = write_journal(
        tmp_path / "unbounded.sqlite",
        stream(5_000),
        flush_events=10**9,
        flush_bytes=10**12,
    )
    assert result.written == 5_000
    assert result.max_pending > 1_000


def test_an_existing_journal_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "kept.sqlite"
    write_journal(path, stream(3))
    before = path.read_bytes()
    with pytest.raises(FileExistsError):
        write_journal(path, stream(3))
    assert path.read_bytes() == before
    assert [r.event.call for r in read_journal(path)] == ["c0", "c1", "c2"]


def test_redaction_applies_as_in_the_live_journal(tmp_path: Path) -> None:
    secret = b'{"password":"hunter2","callId":"c1"}'
    item = (
        blank_event(ts=1.0, source="wcs", method="call"),
        secret,
        b"",
        {"headers": {"authorization": "WCS abc"}},
    )
    result = write_journal(tmp_path / "r.sqlite", iter([item]))
    record = read_journal(result.path)[0]
    assert b"hunter2" not in record.raw
    assert "abc" not in str(record.meta)
