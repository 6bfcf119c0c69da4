"""`noc-console calls` from the run's group checkpoint gives what folding every event gives: with
a checkpoint at the end, in the middle (a run killed after it), or none at all."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_correlate import (
    SEQ,
    incoming_answered_then_hung_up,
    outgoing_failed_503,
)
from tui.cli.parser import main
from tui.core.correlate import Correlator
from tui.core.correlate.checkpoint import GroupSnapshot, group_from_row, group_row
from tui.core.feed import FeedEvent, as_row, blank_event
from tui.core.journal import Journal


def _traffic() -> list[FeedEvent]:
    events: list[FeedEvent] = []
    for i in range(30):
        t0 = 1_700_000_000.0 + 10 * i
        events += outgoing_failed_503(call_id=f"out-{i}", t0=t0)
        events += incoming_answered_then_hung_up(call_id=f"in-{i}", t0=t0 + 3)
        events.append(blank_event(seq=next(SEQ), ts=t0 + 4, source="icws", node="cic",
                                  method="queueContents", call=f"10012{i:05d}",
                                  status="Alerting", caller="5550001111"))  # fmt: skip
    for i in range(4):  # one stream name published four times, one after the other
        t0 = 1_700_000_000.0 + 70 * i
        for n, status in enumerate(("PENDING", "PUBLISHING", "UNPUBLISHED")):
            events.append(blank_event(seq=next(SEQ), ts=t0 + n, source="wcs",
                                      method="StreamStatusEvent", kind="event", stream="cam-1",
                                      media=f"m-{i}", status=status, node="n@10.0.0.5"))  # fmt: skip
    events.sort(key=lambda e: e.ts)
    return [e._replace(seq=n) for n, e in enumerate(events, start=1)]


def _journal(tmp_path: Path, checkpoints: list[int]) -> Path:
    """Events written as a console writes them, with the correlator's changed groups handed
    to the journal after the events numbered in ``checkpoints``."""
    path = tmp_path / "run.sqlite"
    journal = Journal(path).open()
    correlator = Correlator()
    correlator.track_changes = True
    for event in _traffic():
        assert journal.append(as_row(event), b"{}", b"{}")
        correlator.add(event)
        if event.seq in checkpoints:
            rows = [group_row(g) for g in correlator.take_changed()]
            journal.put_groups(rows, correlator.last_seq)
            assert journal.flush()
    assert journal.flush()
    journal.close()
    return path


def _calls(path: Path, capsys, *extra: str) -> list[dict]:
    assert main(["calls", "--journal", str(path), "--json", *extra]) == 0
    return sorted((json.loads(line) for line in capsys.readouterr().out.splitlines()),
                  key=lambda d: d["key"])  # fmt: skip


@pytest.mark.parametrize("checkpoints", [[], [150], [60, 150], [10**9]], ids=str)
def test_from_a_checkpoint_or_not_calls_says_the_same(tmp_path: Path, capsys, checkpoints) -> None:
    total = len(_traffic())
    at = [total if c == 10**9 else c for c in checkpoints]
    path = _journal(tmp_path, at)
    if at:
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM groups").fetchone()[0] > 0
    fast = _calls(path, capsys)
    full = _calls(path, capsys, "--full")
    assert fast == full
    assert main(["calls", "--journal", str(path)]) == 0
    text = capsys.readouterr().out
    assert main(["calls", "--journal", str(path), "--full"]) == 0
    assert text == capsys.readouterr().out
    kinds = {d["kind"] for d in fast}
    assert kinds == {"call", "session", "interaction", "stream"}
    assert sorted(d["key"] for d in fast if d["kind"] == "stream") == [
        "stream:cam-1", "stream:cam-1#1", "stream:cam-1#2", "stream:cam-1#3"
    ]  # fmt: skip
    failed = [d for d in fast if d["final_status"] == "FAILED"]
    assert len(failed) == 30 and all(d["sip_status"] == 503 for d in failed)


def test_a_group_survives_its_row_whole() -> None:
    correlator = Correlator()
    correlator.track_changes = True
    correlator.add_all(outgoing_failed_503(call_id="row-1", t0=5.0))
    for group in correlator.take_changed():
        key, doc, seqs, first, listing = group_row(group)
        assert first == group.first and json.loads(listing) == group.to_json()
        again = group_from_row(doc, seqs)
        assert key == group.key and again.to_json() == group.to_json()
        assert list(again.seqs) == list(group.seqs) and again.children == group.children
    assert correlator.take_changed() == []  # taken: the next checkpoint starts afresh


def test_a_snapshot_makes_the_row_its_group_had_when_it_was_taken() -> None:
    """The journal's writer makes the rows of snapshots later, while the groups move on: a
    stream's media sessions, a session's calls, counts and states must be those of the
    moment the snapshot was taken."""
    events = _traffic()
    half = len(events) // 2
    correlator = Correlator()
    correlator.add_all(events[:half])
    groups = list(correlator)
    snapshots = [GroupSnapshot(g) for g in groups]
    then = [group_row(g) for g in groups]
    assert any(g.media for g in groups) and any(g.children for g in groups)
    correlator.add_all(events[half:])
    assert [group_row(g) for g in groups] != then  # they did move on
    assert [s.row() for s in snapshots] == then
    assert [s.key for s in snapshots] == [row[0] for row in then]


def test_a_correlator_nobody_checkpoints_keeps_no_list_of_changes() -> None:
    correlator = Correlator()
    correlator.add_all(outgoing_failed_503(call_id="quiet-1", t0=5.0))
    assert correlator.take_changed() == []


def test_a_damaged_checkpoint_means_folding_the_whole_run(tmp_path: Path, capsys) -> None:
    path = _journal(tmp_path, [150])
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE groups SET doc = 'not json'")
    assert _calls(path, capsys) == _calls(path, capsys, "--full")


@pytest.mark.parametrize("checkpoint", [group_row, GroupSnapshot], ids=["rows", "snapshots"])
def test_checkpoints_that_wait_are_merged_not_dropped(
    tmp_path: Path, capsys, checkpoint: Callable[[Any], Any]
) -> None:
    """The writer busy: many checkpoints queue up before it writes one; none may be lost,
    whether the loop hands it rows or snapshots (which the writer makes rows of)."""
    path = tmp_path / "busy.sqlite"
    journal = Journal(path).open()
    correlator = Correlator()
    correlator.track_changes = True
    for event in _traffic():
        assert journal.append(as_row(event), b"{}", b"{}")
        correlator.add(event)
        journal.put_groups([checkpoint(g) for g in correlator.take_changed()], event.seq)
    assert journal.flush()
    journal.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM groups").fetchone()[0] > 0
    assert _calls(path, capsys) == _calls(path, capsys, "--full")


def test_a_checkpoint_that_cannot_be_written_turns_the_index_off(tmp_path: Path, capsys) -> None:
    path = tmp_path / "refusing.sqlite"
    journal = Journal(path).open()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TRIGGER no BEFORE INSERT ON groups BEGIN SELECT RAISE(ABORT, 'full'); END"
        )
    correlator = Correlator()
    correlator.track_changes = True
    for event in _traffic()[:50]:
        assert journal.append(as_row(event), b"{}", b"{}")
        correlator.add(event)
    journal.put_groups([group_row(g) for g in correlator.take_changed()], correlator.last_seq)
    assert journal.flush()
    journal.close()
    assert "journal group checkpoint" in journal.last_error
    with sqlite3.connect(path) as conn:
        upto = conn.execute("SELECT value FROM journal_info WHERE key = 'groups_upto'").fetchone()
    assert upto is None
    assert _calls(path, capsys) == _calls(path, capsys, "--full") != []


def test_kind_restores_only_those_groups_and_lists_the_same(tmp_path: Path, capsys) -> None:
    path = _journal(tmp_path, [150, len(_traffic())])
    for kind in ("call", "interaction", "session"):
        assert _calls(path, capsys, "--kind", kind) == _calls(
            path, capsys, "--kind", kind, "--full"
        )
