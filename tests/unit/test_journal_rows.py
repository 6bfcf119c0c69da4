"""A journal from elsewhere is read as untrusted input: its text cleaned, its numbers checked,
before anything shows or folds it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tui.cli.parser import main
from tui.core.feed import FeedEvent, as_row, blank_event
from tui.core.journal import Journal
from tui.core.journal_read import JournalReader
from tui.core.journal_rows import stored_event
from tui.core.sanitize import is_clean

T0 = 1_780_000_000.0


def _hostile_journal(path: Path) -> Path:
    good = blank_event(ts=T0, source="wcs", kind="direct", method="call", call="c-1",
                       status="FAILED", reply_status=200, severity=3)  # fmt: skip
    writer = Journal(path).open()
    assert writer.append(as_row(good._replace(seq=1)), b"{}", b"{}")
    assert writer.flush()
    writer.close()
    with sqlite3.connect(path) as conn:  # what a hand-edited or crafted file may hold
        conn.execute(
            "UPDATE events SET info = ?, node = ?, latency_ms = ?, sip_status = ?, caller = ? "
            "WHERE seq = 1",
            ("\x1b]52;c;ZXZpbA==\x07\x1b[2J boom\u202e", b"n\x1bode", "fast", "503", None),
        )
    return path


def test_a_crafted_row_is_cleaned_and_its_numbers_checked(tmp_path: Path) -> None:
    path = _hostile_journal(tmp_path / "crafted.sqlite")
    with JournalReader(path) as reader:
        (event,) = list(reader.events())
        record = reader.record(1)
    assert record is not None and record.event == event
    assert all(is_clean(v, line=True) for v in event if isinstance(v, str))
    assert "\x1b" not in event.info and "boom" in event.info and "\u202e" not in event.info
    assert event.node == "n\u241bode"  # the control shown as its picture
    assert event.latency_ms == -1.0 and event.sip_status == 503 and event.caller == ""


def test_commands_over_a_crafted_journal_print_no_control(tmp_path: Path, capsys) -> None:
    path = _hostile_journal(tmp_path / "crafted.sqlite")
    assert main(["calls", "--journal", str(path), "--json", "--full"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and json.loads(out.splitlines()[0])["id"] == "c-1"
    assert main(["ladder", "--journal", str(path), "c-1", "--width", "100"]) == 0
    assert "\x1b" not in capsys.readouterr().out


_TEXT = st.text(max_size=12)


@given(info=_TEXT, call=_TEXT, sip=st.integers(0, 999), latency=st.floats(0, 1e6))
def test_a_clean_row_comes_back_as_it_was(info: str, call: str, sip: int, latency: float) -> None:
    event = blank_event(seq=1, ts=T0, info=info, call=call, sip_status=sip, latency_ms=latency)
    got = stored_event(tuple(event))
    if all(is_clean(v, line=True) for v in event if isinstance(v, str)):
        assert got == event
    else:
        assert all(is_clean(v, line=True) for v in got if isinstance(v, str))
    assert isinstance(got, FeedEvent)


def test_stored_groups_and_listings_are_cleaned_too(tmp_path: Path, capsys) -> None:
    from tui.core.correlate import Correlator
    from tui.core.correlate.checkpoint import group_row

    path = tmp_path / "checkpointed.sqlite"
    event = blank_event(seq=1, ts=T0, source="wcs", kind="direct", method="call", call="c-9",
                        caller="1001", status="PENDING", reply_status=200)  # fmt: skip
    correlator = Correlator()
    correlator.add(event)
    writer = Journal(path).open()
    assert writer.append(as_row(event), b"{}", b"{}")
    writer.put_groups([group_row(g) for g in correlator], correlator.last_seq)
    assert writer.flush()
    writer.close()
    with sqlite3.connect(path) as conn:  # a crafted checkpoint: controls in the doc and listing
        doc, listing = conn.execute("SELECT doc, listing FROM groups").fetchone()
        conn.execute("UPDATE groups SET doc = ?, listing = ?",
                     (doc.replace('"1001"', '"\\u001b[2J1001"'),
                      listing.replace('"1001"', '"\x1b[2J1001\u202e"')))  # fmt: skip
    assert main(["calls", "--journal", str(path), "--json"]) == 0  # the stored listings
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "1001" in out
    assert main(["calls", "--journal", str(path)]) == 0  # the groups restored from the docs
    out = capsys.readouterr().out
    assert "\x1b" not in out and "1001" in out


def test_a_row_with_nan_or_infinite_times_is_repaired() -> None:
    """Of the right types but not finite (a crafted file): the time and latency go blank."""
    for ts, latency in ((float("nan"), 1.0), (T0, float("inf")), (float("-inf"), float("nan"))):
        got = stored_event(tuple(blank_event(seq=1, ts=ts, latency_ms=latency)))
        assert got.ts in (T0, 0.0) and got.latency_ms in (1.0, -1.0)
