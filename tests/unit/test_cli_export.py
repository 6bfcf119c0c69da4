"""``noc-console export`` over the seeded demo journal (WCS hooks through the real endpoint and
ICWS messages, written by the real Journal): formats, filter, time window, files, bad input."""

from __future__ import annotations

import csv
import json
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.journal_support import schema2_journal
from tests.readme_journal import START, seeded_journal
from tests.unit.test_cli_pipes import run_into_closed_pipe
from tui.cli.parser import main
from tui.core.export import CSV_COLUMNS, JsonlProblem, read_jsonl
from tui.core.feed import SOURCE_ICWS, SOURCE_WCS, FeedEvent, iso_time
from tui.core.journal_read import JournalReader


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[FeedEvent]]:
    folder = tmp_path_factory.mktemp("journal")
    events = seeded_journal(folder)
    return folder / "demo.sqlite", events


def as_printed(event: FeedEvent) -> FeedEvent:
    """The event as an export keeps it: its time to the millisecond and its latency to the
    microsecond, as they are printed."""
    latency = round(event.latency_ms, 3) if event.latency_ms >= 0 else -1.0
    return event._replace(
        ts=datetime.fromisoformat(iso_time(event.ts)).timestamp(), latency_ms=latency
    )


def lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_jsonl_is_what_tail_prints_and_reads_back_as_the_journal(demo, tmp_path, capsys) -> None:
    path, events = demo
    assert {e.source for e in events} >= {SOURCE_WCS, SOURCE_ICWS}
    assert main(["export", str(path)]) == 0
    out = capsys.readouterr()
    assert lines(out.out) == [event.to_json() for event in events]
    assert out.err == ""  # the count goes to a terminal or with --out, not into a script's log
    target = tmp_path / "export.jsonl"
    assert main(["export", str(path), "--out", str(target)]) == 0
    assert capsys.readouterr().err == f"noc-console export: {len(events):,} events written " \
                                      f"to {target}\n"  # fmt: skip
    problems: list[JsonlProblem] = []
    back = [item.event for item in read_jsonl(target, problems)]
    assert back == [as_printed(event) for event in events] and problems == []
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.jsonl"]  # no temp file left


def test_bodies_come_with_their_transport_details(demo, capsys) -> None:
    path, _ = demo
    assert main(["export", str(path), "--bodies", "--filter", "type:connect"]) == 0
    docs = lines(capsys.readouterr().out)
    assert docs and all(doc["method"] == "connect" for doc in docs)
    with JournalReader(path) as reader:
        for doc in docs:
            record = reader.record(int(str(doc["seq"])))
            assert record is not None
            assert doc["raw"] == json.loads(record.raw) and doc["meta"] == record.meta
            assert doc["meta"]["path"] == "/apps/EchoApp/connect"


def test_filter_keeps_what_the_feed_would_show(demo, capsys) -> None:
    path, events = demo
    assert main(["export", str(path), "--filter", "source:icws"]) == 0
    assert [doc["seq"] for doc in lines(capsys.readouterr().out)] == [
        e.seq for e in events if e.source == SOURCE_ICWS
    ]
    assert main(["export", str(path), "--filter", "sip:5xx !status:FAILED,BUSY"]) == 0
    kept = lines(capsys.readouterr().out)
    expected = [e.seq for e in events if 500 <= e.sip_status < 600
                and e.status not in ("FAILED", "BUSY")]  # fmt: skip
    assert [doc["seq"] for doc in kept] == expected
    assert main(["export", str(path), "--filter", "colour:red"]) == 2
    assert "--filter" in capsys.readouterr().err


def test_from_and_to_take_times_of_day_and_iso_times(demo, capsys) -> None:
    path, events = demo
    start = START.replace(hour=6, minute=0).timestamp()
    end = START.replace(hour=6, minute=1).timestamp()
    inside = [e.seq for e in events if start <= e.ts < end]
    assert 0 < len(inside) < len(events)
    for since, until in (("06:00", "06:01"), ("2026-03-14T06:00", "2026-03-14T06:01:00Z"),
                         ("06:00", "2026-03-14T06:01:00+00:00")):  # fmt: skip
        assert main(["export", str(path), "--from", since, "--to", until]) == 0
        assert [doc["seq"] for doc in lines(capsys.readouterr().out)] == inside, (since, until)
    assert main(["export", str(path), "--from", "06:00:30.5"]) == 0
    after = [doc["seq"] for doc in lines(capsys.readouterr().out)]
    assert after == [e.seq for e in events if e.ts >= start + 30.5]
    assert main(["export", str(path), "--to", datetime.fromtimestamp(end, UTC).isoformat()]) == 0
    assert [doc["seq"] for doc in lines(capsys.readouterr().out)] == [
        e.seq for e in events if e.ts < end
    ]
    assert main(["export", str(path), "--from", "half past six"]) == 2
    err = capsys.readouterr().err
    assert "--from/--to" in err and "Traceback" not in err


def test_a_window_of_times_of_day_may_run_through_midnight(tmp_path, capsys) -> None:
    from tui.core.feed import as_row, blank_event
    from tui.core.journal import Journal

    journal = Journal(tmp_path / "night.sqlite").open()
    midnight = datetime(2026, 3, 15, tzinfo=UTC).timestamp()
    for seq, offset in enumerate((-1200, -300, 60, 1200), start=1):
        event = blank_event(seq=seq, ts=midnight + offset, source=SOURCE_WCS, method="m")
        assert journal.append(as_row(event), b"", b"")
    assert journal.flush()
    journal.close()
    assert main(["export", str(tmp_path / "night.sqlite"), "--from", "23:50", "--to", "00:10"]) == 0
    assert [doc["seq"] for doc in lines(capsys.readouterr().out)] == [2, 3]


def test_out_is_private_and_never_overwritten_without_force(demo, tmp_path, capsys) -> None:
    path, events = demo
    target = tmp_path / "ticket.jsonl"
    target.write_text("the operator's own notes\n", encoding="utf-8")
    assert main(["export", str(path), "--out", str(target)]) == 2
    assert "exists (--force replaces it)" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "the operator's own notes\n"
    target.chmod(0o644)
    assert main(["export", str(path), "--out", str(target), "--force"]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == len(events)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert main(["export", str(path), "--out", str(tmp_path / "no" / "such" / "x.jsonl")]) == 2
    assert "no folder" in capsys.readouterr().err
    assert main(["export", str(path), "--force"]) == 2


def test_csv_has_a_header_and_a_row_per_event(demo, tmp_path, capsys) -> None:
    path, events = demo
    target = tmp_path / "events.csv"
    assert main(["export", str(path), "--format", "csv", "--out", str(target)]) == 0
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [int(row["seq"]) for row in rows] == [e.seq for e in events]
    assert [row["sip_status"] for row in rows] == [str(e.sip_status or "") for e in events]


def test_har_holds_the_hooks_and_counts_the_rest(demo, tmp_path, capsys) -> None:
    path, events = demo
    target = tmp_path / "hooks.har"
    assert main(["export", str(path), "--format", "har", "--out", str(target)]) == 0
    hooks = [e for e in events if e.source == SOURCE_WCS and e.reply_status]
    left = len(events) - len(hooks)
    assert capsys.readouterr().err == (
        f"noc-console export: {len(hooks):,} hooks written to {target}; {left:,} events left "
        "out (not HTTP hooks)\n"
    )
    log = json.loads(target.read_text(encoding="utf-8"))["log"]
    assert log["version"] == "1.2" and len(log["entries"]) == len(hooks)
    first = log["entries"][0]
    assert first["request"]["url"] == "http://wcs-hooks/apps/EchoApp/connect"
    assert first["_seq"] == hooks[0].seq and first["response"]["status"] == hooks[0].reply_status
    assert {"name": "user-agent", "value": "Java/1.8.0_111"} in first["request"]["headers"]


def test_a_damaged_or_foreign_file_is_named_and_explained(tmp_path, capsys) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    assert main(["export", str(junk)]) == 2
    err = capsys.readouterr().err
    assert str(junk) in err and "not a journal" in err and "Traceback" not in err
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE songs (title TEXT)")
    assert main(["export", str(foreign), "--format", "csv"]) == 2
    assert "not a noc-console journal" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "missing.sqlite")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize("after_first_line", [False, True], ids=["closed-at-once", "head-1"])
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "har"])
def test_a_reader_that_leaves_ends_the_export_quietly(demo, fmt, after_first_line) -> None:
    path, _ = demo
    status, err = run_into_closed_pipe(
        ["export", str(path), "--format", fmt, "--bodies"], after_first_line=after_first_line
    )
    assert (status, err) == (0, "")


def test_out_works_where_the_file_system_has_no_hard_links(
    demo, tmp_path, capsys, monkeypatch
) -> None:
    import os

    def no_links(source: object, target: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path, events = demo
    target = tmp_path / "on-a-share.jsonl"
    assert main(["export", str(path), "--out", str(target)]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == len(events)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert main(["export", str(path), "--out", str(target)]) == 2  # and still never replaced
    assert "exists" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["on-a-share.jsonl"]


def test_a_journal_still_being_written_is_exported_as_far_as_it_goes(tmp_path, capsys) -> None:
    from tui.core.feed import as_row, blank_event
    from tui.core.journal import Journal

    journal = Journal(tmp_path / "live.sqlite").open()
    try:
        for seq in range(1, 6):
            event = blank_event(seq=seq, ts=1_700_000_000.0 + seq, source=SOURCE_WCS, method="m")
            assert journal.append(as_row(event), b'{"n": %d}' % seq, b"")
        assert journal.flush()
        assert main(["export", str(tmp_path / "live.sqlite"), "--bodies"]) == 0
        docs = lines(capsys.readouterr().out)
        assert [doc["raw"] for doc in docs] == [{"n": n} for n in range(1, 6)]
        assert main(["export", str(tmp_path / "live.sqlite"), "--out", str(tmp_path / "x")]) == 0
    finally:
        journal.close()


def test_a_journal_of_the_previous_schema_exports_with_its_bodies(tmp_path, capsys) -> None:
    from tui.core.feed import blank_event

    event = blank_event(seq=1, ts=1_700_000_000.0, source=SOURCE_WCS, method="hangup",
                        call="old-1", reply_status=200, latency_ms=0.5)  # fmt: skip
    old = schema2_journal(tmp_path / "v2.sqlite", [event], raw=b'{"a":1}',
                          meta='{"path": "/apps/EchoApp/hangup"}')  # fmt: skip
    assert main(["export", str(old), "--bodies"]) == 0
    (doc,) = lines(capsys.readouterr().out)
    assert doc == {**event.to_json(), "raw": {"a": 1}, "reply": {"a": 1},
                   "meta": {"path": "/apps/EchoApp/hangup"}}  # fmt: skip
    assert main(["export", str(old), "--format", "har"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["log"]["entries"]
    assert entry["request"]["url"] == "http://wcs-hooks/apps/EchoApp/hangup"
