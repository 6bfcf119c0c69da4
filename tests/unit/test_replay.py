"""The replay's time line and player, over journals written by the real Journal: merged runs,
seeks by index, errors, the journal that grows while it is read, and what `open` says about a
file it cannot read."""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.journal_support import schema2_journal
from tui.cli.parser import main
from tui.core.feed import SEV_ERROR, SEV_OK, FeedEvent, as_row, blank_event
from tui.core.journal import Journal
from tui.core.journal_read import JournalReader
from tui.core.problems import UsageError
from tui.core.replay import Player, Replay, Timeline
from tui.core.replay.target import SeekError, seek_target
from tui.core.store import FeedStore

T0 = 1_780_000_000.0  # 2026-05-28 20:26:40 UTC


def event(n: int, ts: float, *, node: str = "n1", severity: int = SEV_OK) -> FeedEvent:
    return blank_event(
        ts=ts, source="wcs", kind="event", node=node, method="StreamStatusEvent",
        stream=f"s-{node}-{n}", status="FAILED" if severity else "PUBLISHING",
        severity=severity, reply_status=200,
    )  # fmt: skip


def journal(path: Path, events: list[FeedEvent]) -> Path:
    writer = Journal(path).open()
    for seq, item in enumerate(events, start=1):
        body = f'{{"n": {seq}, "node": "{item.node}"}}'.encode()
        assert writer.append(as_row(item._replace(seq=seq)), body, b"{}")
    assert writer.flush()
    writer.close()
    return path


def play_all(replay: Replay) -> None:
    while replay.tick(0.05):
        pass


def test_one_journal_plays_back_every_event_with_its_own_seqs_and_bodies(tmp_path: Path) -> None:
    events = [event(n, T0 + n) for n in range(50)]
    path = journal(tmp_path / "one.sqlite", events)
    store = FeedStore(1000)
    replay = Replay(Timeline([path]), store)
    play_all(replay)
    assert [row[0] for row in store.rows] == list(range(1, 51))
    assert [row[1:] for row in store.rows] == [tuple(e)[1:] for e in events]
    body = store.body(17)
    assert body is not None and b'"n": 17' in body.raw  # read from the file when shown
    assert replay.state().at_end and replay.state().taken == 50 == replay.state().total


def test_several_journals_merge_by_time_with_numbers_that_keep_the_store_in_order(
    tmp_path: Path,
) -> None:
    a = journal(tmp_path / "a.sqlite", [event(n, T0 + 2 * n, node="a") for n in range(30)])
    b = journal(tmp_path / "b.sqlite", [event(n, T0 + 2 * n + 1, node="b") for n in range(30)])
    store = FeedStore(1000)
    timeline = Timeline([a, b, a])  # a run named twice is read once
    assert len(timeline.runs) == 2 and timeline.total == 60
    replay = Replay(timeline, store)
    play_all(replay)
    rows = list(store.rows)
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)  # by time
    assert [r[4] for r in rows[:4]] == ["a", "b", "a", "b"]
    seqs = [r[0] for r in rows]
    assert seqs == sorted(set(seqs))  # strictly ascending although both files count from 1
    for row in (rows[0], rows[1], rows[41]):  # each body found through its own journal
        body = store.body(row[0])
        assert body is not None and f'"node": "{row[4]}"'.encode() in body.raw


def test_a_seek_loads_only_the_context_before_the_target_and_says_so(tmp_path: Path) -> None:
    path = journal(tmp_path / "big.sqlite", [event(n, T0 + n) for n in range(5000)])
    store = FeedStore(10_000)
    replay = Replay(Timeline([path]), store, context=100, play_through=500)
    resets: list[int] = []
    replay.on_reset.append(lambda: resets.append(store.epoch))
    replay.seek(T0 + 3000.5)
    assert [r[0] for r in store.rows] == list(range(2902, 3002))  # the 100 up to 3000.5 s
    assert replay.state().partial_since == T0 + 2901  # rebuilt from there, and it says so
    assert resets == [store.epoch] and store.received == 100
    assert replay.tick(0.05) > 0 and store.rows[len(store.rows) - 1][0] > 3001  # plays on
    replay.seek(-math.inf)
    assert len(store.rows) == 0 and replay.timeline.taken == 0
    assert replay.state().partial_since == 0.0
    replay.seek(T0 + 50)  # near ahead: played through, no reset
    epoch = store.epoch
    replay.seek(T0 + 80)
    assert store.epoch == epoch and [r[0] for r in store.rows] == list(range(1, 82))
    replay.seek(math.inf)
    assert store.rows[len(store.rows) - 1][0] == 5000 and len(store.rows) == 100


def test_step_pause_and_step_back(tmp_path: Path) -> None:
    path = journal(tmp_path / "s.sqlite", [event(n, T0 + n) for n in range(20)])
    store = FeedStore(1000)
    replay = Replay(Timeline([path]), store)
    replay.player.paused = True
    assert replay.tick(1.0) == 0
    assert replay.step() == 1 and replay.step() == 1
    assert [r[0] for r in store.rows] == [1, 2] and replay.player.paused
    replay.step_back()
    assert [r[0] for r in store.rows] == [1] and replay.timeline.taken == 1
    replay.step()
    assert [r[0] for r in store.rows] == [1, 2]


def test_next_and_previous_error_across_journals(tmp_path: Path) -> None:
    a = [event(n, T0 + n, node="a") for n in range(100)]
    a[70] = event(70, T0 + 70, node="a", severity=SEV_ERROR)
    b = [event(n, T0 + n + 0.5, node="b") for n in range(100)]
    b[40] = event(40, T0 + 40.5, node="b", severity=SEV_ERROR)
    paths = [journal(tmp_path / "a.sqlite", a), journal(tmp_path / "b.sqlite", b)]
    store = FeedStore(1000)
    replay = Replay(Timeline(paths), store, context=10)
    first = replay.seek_error(forward=True)
    assert first is not None and (first.node, first.ts) == ("b", T0 + 40.5)
    assert store.rows[len(store.rows) - 1][1] == T0 + 40.5 and replay.player.paused
    second = replay.seek_error(forward=True)
    assert second is not None and (second.node, second.ts) == ("a", T0 + 70)
    assert replay.seek_error(forward=True) is None
    back = replay.seek_error(forward=False)
    assert back is not None and (back.node, back.ts) == ("b", T0 + 40.5)
    assert len(store.rows) == 10  # a move back loads the context before it


def test_a_journal_still_being_written_is_read_and_followed(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite"
    writer = Journal(path).open()
    try:
        for seq in range(1, 11):
            assert writer.append(as_row(event(seq, T0 + seq)._replace(seq=seq)), b"{}", b"")
        assert writer.flush()
        store = FeedStore(1000)
        clock = [0.0]
        replay = Replay(Timeline([path]), store, monotonic=lambda: clock[0])
        play_all(replay)
        state = replay.state()
        assert len(store.rows) == 10 and state.at_end and state.following
        for seq in range(11, 16):
            assert writer.append(as_row(event(seq, T0 + seq)._replace(seq=seq)), b"{}", b"")
        assert writer.flush()
        play_all(replay)
        assert [r[0] for r in store.rows] == list(range(1, 16))
        assert replay.state().total == 15 == replay.state().taken
    finally:
        writer.close()
    clock[0] += 1.0  # the lock is looked at once a second
    assert not replay.state().following  # the console stopped writing: the end is the end


def test_the_player_paces_by_event_time_and_jumps_long_idle_gaps() -> None:
    player = Player(speed=10.0)
    assert player.limit(0.05, T0)[1] == T0 + 0.5  # from the first event, ten times the clock
    assert player.limit(1.0, T0 + 5)[1] == T0 + 10.5
    player.speed = 1.0
    assert player.limit(0.5, T0 + 11)[1] == T0 + 11.0
    count, until = player.limit(0.5, T0 + 3600)  # an hour of nothing: jumped over
    assert count > 0 and until == T0 + 3600 and player.skipped_s == pytest.approx(3600 - 11.5)
    assert player.limit(2.0, T0 + 3601)[1] == T0 + 3602  # a short wait is sat through
    player.paused = True
    assert player.limit(1.0, T0 + 3603) == (0, T0 + 3602)
    player.paused = False
    player.faster()
    player.faster()
    player.faster()
    assert math.isinf(player.speed) and player.limit(0.05, T0 + 3603)[1] == math.inf
    player.slower()
    assert player.speed == 100.0
    assert player.limit(0.05, None) == (0, player.head) and player.at_end


def test_seek_targets() -> None:
    start, end = T0, T0 + 7200
    current = T0 + 600
    assert seek_target("start", current=current, start=start, end=end) == -math.inf
    assert seek_target("END", current=current, start=start, end=end) == math.inf
    assert seek_target("50%", current=current, start=start, end=end) == T0 + 3600
    assert seek_target("+30s", current=current, start=start, end=end) == current + 30
    assert seek_target("-5m", current=current, start=start, end=end) == current - 300
    day = datetime.fromtimestamp(T0, UTC).date().isoformat()
    at = seek_target("21:00:02.250", current=current, start=start, end=end)
    assert datetime.fromtimestamp(at, UTC).isoformat() == f"{day}T21:00:02.250000+00:00"
    full = seek_target(f"{day} 20:30", current=current, start=start, end=end)
    assert full == datetime.fromisoformat(f"{day}T20:30:00+00:00").timestamp()
    late = T0 + 4 * 3600  # a journal that runs past midnight: 00:10 is the next day's
    after = seek_target("00:10", current=current, start=start, end=late)
    assert datetime.fromtimestamp(after, UTC).day == datetime.fromtimestamp(T0, UTC).day + 1
    for bad in ("", "soon", "25:00", "150%"):
        with pytest.raises(SeekError):
            seek_target(bad, current=current, start=start, end=end)


def test_open_names_a_file_it_cannot_read_without_a_traceback(tmp_path: Path, capsys) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a journal " * 200)
    assert main(["open", str(junk)]) == 2
    err = capsys.readouterr().err
    assert str(junk) in err and "not a journal" in err and "Traceback" not in err
    old = tmp_path / "old.sqlite"
    with sqlite3.connect(old) as conn:
        conn.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, ts REAL)")
        conn.execute("CREATE TABLE journal_info (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO journal_info VALUES ('schema', '1')")
    assert main(["open", str(old)]) == 2
    assert "schema version 1" in capsys.readouterr().err
    assert main(["open", str(tmp_path / "missing.sqlite")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["open", str(tmp_path)]) == 2
    assert "a folder" in capsys.readouterr().err
    good = journal(tmp_path / "ok.sqlite", [event(1, T0)])
    assert main(["open", str(good), "--at", "soon"]) == 2
    assert "--at" in capsys.readouterr().err


def test_a_journal_of_the_previous_schema_replays_with_a_blank_parent(tmp_path: Path) -> None:
    items = [
        event(seq, T0 + seq, severity=SEV_ERROR if seq == 2 else SEV_OK)._replace(seq=seq)
        for seq in (1, 2, 3)
    ]
    old = schema2_journal(tmp_path / "v2.sqlite", items)
    store = FeedStore(100)
    replay = Replay(Timeline([old]), store)
    play_all(replay)
    assert [r[0] for r in store.rows] == [1, 2, 3] and {r[-1] for r in store.rows} == {""}
    replay.seek(-math.inf)
    found = replay.seek_error()  # no error index in that schema: found by a scan
    assert found is not None and found.seq == 2


def test_open_without_a_journal_says_where_it_looked(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("NOC_CONFIG", raising=False)
    assert main(["open"]) == 2
    err = capsys.readouterr().err
    assert "no journal in" in err and str(tmp_path / "data") in err


def test_an_export_opens_again_with_the_same_events_and_bodies(tmp_path: Path, capsys) -> None:
    from tests.readme_journal import seeded_journal
    from tui.cli.replay import open_timeline

    events = seeded_journal(tmp_path)
    source = tmp_path / "demo.sqlite"
    wanted = [e for e in events if e.source == "wcs"]
    exported = tmp_path / "wcs.jsonl"
    assert main(["export", str(source), "--filter", "source:wcs", "--bodies",
                 "--out", str(exported)]) == 0  # fmt: skip
    with exported.open("a", encoding="utf-8") as handle:
        handle.write("not json at all\n")  # a damaged line is named, the rest opens
    scratch = tmp_path / "scratch"
    scratch.mkdir(mode=0o700)
    timeline = open_timeline([exported], scratch)
    assert "line " in capsys.readouterr().err
    assert timeline.labels == ["wcs.jsonl"]
    store = FeedStore(100_000)
    replay = Replay(timeline, store)
    play_all(replay)
    rows = [FeedEvent._make(row) for row in store.rows]

    assert [e.seq for e in rows] == [e.seq for e in wanted]  # their own seqs, gaps and all
    # Every field as it was; times as an export prints them (to the millisecond, latencies to
    # the microsecond).
    assert [e._replace(ts=0.0, latency_ms=0.0) for e in rows] == [
        e._replace(ts=0.0, latency_ms=0.0) for e in wanted
    ]
    assert all(abs(a.ts - b.ts) < 0.001 for a, b in zip(rows, wanted, strict=True))
    assert all(
        abs(a.latency_ms - b.latency_ms) <= 0.0005 for a, b in zip(rows, wanted, strict=True)
    )
    with JournalReader(source) as original:
        for event in wanted[:: max(len(wanted) // 20, 1)]:
            record = original.record(event.seq)
            body = store.body(event.seq)
            assert record is not None and body is not None
            assert json.loads(body.raw) == json.loads(record.raw)
            assert json.loads(body.reply or b"null") == json.loads(record.reply or b"null")
    timeline.close()
    junk = tmp_path / "notes.txt"
    junk.write_text("hello\n")
    with pytest.raises(UsageError, match="no line of it is an exported event"):
        open_timeline([junk], scratch)


def test_a_journal_that_goes_bad_under_the_replay_pauses_it_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.core.journal_read import JournalReadError

    path = journal(tmp_path / "going.sqlite", [event(n, T0 + n) for n in range(3000)])
    store = FeedStore(10_000)
    timeline = Timeline([path])
    replay = Replay(timeline, store)
    replay.player.paused = True
    assert replay.step() == 1

    def gone_bad(*args: object, **kwargs: object) -> object:  # what SQLite says of a damaged
        raise JournalReadError(f"{path}: database disk image is malformed\x1b[2J")  # file

    reader = timeline.runs[0].reader
    monkeypatch.setattr(reader, "events", gone_bad)
    monkeypatch.setattr(reader, "record", gone_bad)
    timeline.runs[0].rewind(timeline.runs[0].cursor)  # the next read goes to the file
    replay.player.paused = False
    assert replay.tick(0.05) == 0
    state = replay.state()
    assert str(path) in state.problem and "malformed" in state.problem and state.paused
    assert "\x1b" not in state.problem  # shown on the bar: cleaned like any text
    replay.seek(math.inf)  # every move is guarded the same way
    assert replay.step() == 0 and replay.seek_error() is None
    assert store.body(2) is None and "malformed" in timeline.problem  # no body, said why
