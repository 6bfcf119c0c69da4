"""Reading WCS's flashphoner.log: records, SEND/RECEIVED pairing, dates, files."""

from __future__ import annotations

import gzip
import json
import os
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from tui.core.feed import FLAG_DUPLICATE, FeedEvent
from tui.core.journal_write import ImportItem
from tui.core.wcs_log import LogStats, import_logs
from tui.core.wcs_log.dates import DayClock, date_in_name
from tui.core.wcs_log.files import rotation_key
from tui.core.wcs_log.layout import (
    RECEIVED,
    SEND,
    header,
    pretty_json,
    rest_failure,
    rest_record,
)
from tui.core.wcs_log.pairing import Pairer
from tui.core.wcs_log.records import read_records

APP = "http://localhost:8081/apps/EchoApp"
DAY = date(2026, 11, 30)


def at(clock: str, day: date = DAY) -> datetime:
    """``13:39:39,893`` on ``day``, in UTC."""
    hms, ms = clock.split(",")
    h, m, s = (int(x) for x in hms.split(":"))
    return datetime(day.year, day.month, day.day, h, m, s, int(ms) * 1000, tzinfo=UTC)


def ts(clock: str, day: date = DAY) -> float:
    return at(clock, day).timestamp()


def hook(status: str, **fields: Any) -> str:
    return pretty_json({"nodeId": "node-1", "appKey": "defaultApp", "status": status, **fields})


def send(clock: str, thread: int, method: str, body: str) -> str:
    return rest_record(
        at(clock), f"API-ASYNC-pool-13-thread-{thread}", SEND, f"{APP}/{method}", body
    )


def received(clock: str, thread: int, method: str, body: str) -> str:
    return rest_record(
        at(clock), f"API-ASYNC-pool-13-thread-{thread}", RECEIVED, f"{APP}/{method}", body
    )


def other(clock: str, text: str = "something else") -> str:
    return header(at(clock), "INFO", "WCSSession", f"ws-pool-thread-2 {text}") + "\n"


def parse(text: str, start: date = DAY) -> tuple[list[ImportItem], LogStats]:
    stats = LogStats()
    records = read_records(text.splitlines(True), DayClock(start, UTC), stats, source="log")
    return list(Pairer(stats).pair(records)), stats


def events(items: list[ImportItem]) -> list[FeedEvent]:
    return [item[0] for item in items]


# -- pairing ----------------------------------------------------------------------------------


def test_interleaved_threads_pair_by_thread_and_url() -> None:
    log = "".join(
        [
            send("13:39:39,893", 3, "CallStatusEvent", hook("RING", callId="c1")),
            send("13:39:39,894", 4, "StreamStatusEvent", hook("PUBLISHING", name="cam-1")),
            send("13:39:39,895", 5, "call", hook("PENDING", callId="c2")),
            # answers in another order than the hooks went out
            received("13:39:39,899", 5, "call", '{"answer" : "c2"}'),
            received("13:39:39,902", 3, "CallStatusEvent", '{"answer" : "c1"}'),
            other("13:39:39,903"),
            received("13:39:39,910", 4, "StreamStatusEvent", '{"answer" : "cam-1"}'),
        ]
    )
    items, stats = parse(log)
    got = [(e.method, e.call or e.stream, e.reply_status, e.latency_ms) for e in events(items)]
    assert got == [  # in SEND order, each with its own answer and latency
        ("CallStatusEvent", "c1", 200, 9.0),
        ("StreamStatusEvent", "cam-1", 200, 16.0),
        ("call", "c2", 200, 4.0),
    ]
    replies = [json.loads(item[2])["answer"] for item in items]
    assert replies == ["c1", "cam-1", "c2"]
    assert [e.ts for e in events(items)] == [
        ts("13:39:39,893"), ts("13:39:39,894"), ts("13:39:39,895")
    ]  # fmt: skip
    assert json.loads(items[0][1]) == json.loads(hook("RING", callId="c1"))
    assert items[0][1].startswith(b'{"nodeId":"node-1","appKey"')  # compact, as on the wire
    assert items[0][3]["thread"] == "API-ASYNC-pool-13-thread-3"
    assert items[0][3]["log"] == "log:1"
    assert (stats.sends, stats.answered, stats.unanswered, stats.orphan_answers) == (3, 3, 0, 0)


def test_a_received_for_another_url_is_not_the_answer() -> None:
    log = send("10:00:00,000", 1, "call", hook("PENDING", callId="c1")) + received(
        "10:00:00,010", 1, "hangup", "{}"
    )
    items, stats = parse(log)
    assert events(items)[0].reply_status == 0
    assert (stats.unanswered, stats.orphan_answers) == (1, 1)


def test_hooks_without_an_answer_are_events_with_no_reply() -> None:
    log = "".join(
        [
            send("10:00:00,000", 1, "call", hook("PENDING", callId="next-send")),
            send("10:00:01,000", 1, "hangup", hook("", callId="next-send")),  # same thread
            received("10:00:01,005", 1, "hangup", "{}"),
            send("10:00:02,000", 2, "publishStream", hook("PENDING", name="refused")),
            rest_failure(
                at("10:00:02,030"),
                "API-ASYNC-pool-13-thread-2",
                "org.springframework.web.client.HttpClientErrorException: 403 Forbidden",
            ),
            send("10:00:03,000", 3, "OnCallEvent", hook("PENDING", callId="timeout")),
            rest_failure(
                at("10:00:18,000"),
                "API-ASYNC-pool-13-thread-3",
                "java.net.SocketTimeoutException: Read timed out",
            ),
            send("10:00:20,000", 4, "CallStatusEvent", hook("RING", callId="at-eof")),
        ]
    )
    items, stats = parse(log)
    got = {(e.method, e.call or e.stream): (e.reply_status, e.latency_ms) for e in events(items)}
    assert got == {
        ("call", "next-send"): (0, -1.0),
        ("hangup", "next-send"): (200, 5.0),
        ("publishStream", "refused"): (403, 30.0),
        ("OnCallEvent", "timeout"): (0, 15000.0),
        ("CallStatusEvent", "at-eof"): (0, -1.0),
    }
    by_call = {e.call or e.stream: e for e in events(items)}
    assert by_call["timeout"].info == "java.net.SocketTimeoutException: Read timed out"
    assert by_call["refused"].severity > by_call["next-send"].severity
    assert items[-1][2] == b"" and items[-1][3]["no_answer"]
    assert (stats.answered, stats.failed, stats.unanswered) == (1, 2, 2)


def test_a_hook_waiting_too_long_lets_the_others_out() -> None:
    """Events wait for hooks sent before them, but not for ever (memory stays bounded)."""
    lines = [send("10:00:00,000", 1, "call", hook("PENDING", callId="stuck"))]
    for second in range(1, 200):
        clock = f"10:{second // 60:02d}:{second % 60:02d},000"
        lines.append(send(clock, 2, "CallStatusEvent", hook("RING", callId=f"c{second}")))
        lines.append(received(clock, 2, "CallStatusEvent", "{}"))
    stats = LogStats()
    records = read_records("".join(lines).splitlines(True), DayClock(DAY, UTC), stats)
    pairer = Pairer(stats, answer_window_s=60.0)
    out = pairer.pair(records)
    first = next(out)
    assert (first[0].call, first[0].reply_status) == ("stuck", 0)
    assert stats.sends < 70  # it came out about a minute of log later, not at the end
    assert len(list(out)) == 199


def test_a_retry_is_flagged_as_the_listener_flags_it() -> None:
    body = hook("RING", callId="c1")
    log = "".join(
        [
            send("10:00:00,000", 1, "CallStatusEvent", body),
            received("10:00:00,005", 1, "CallStatusEvent", body),
            send("10:00:01,000", 1, "CallStatusEvent", body),
            received("10:00:01,005", 1, "CallStatusEvent", body),
        ]
    )
    items, _ = parse(log)
    assert [e.flags & FLAG_DUPLICATE for e in events(items)] == [0, FLAG_DUPLICATE]
    assert items[0][1] == items[0][2]  # an echo: the journal stores it once


# -- records ----------------------------------------------------------------------------------


def test_a_truncated_object_is_reported_with_its_line_and_the_rest_imports() -> None:
    cut = send("10:00:00,000", 1, "call", hook("PENDING", callId="cut")).rstrip("}\n")
    log = "".join(
        [
            send("09:59:59,000", 2, "call", hook("PENDING", callId="before")),
            cut + "\n",  # the next log line starts before the object closes
            send("10:00:01,000", 3, "call", hook("PENDING", callId="after")),
            received("10:00:01,004", 3, "call", "{}"),
            send("10:00:02,000", 4, "call", '{ "callId" : "bad", }'),  # not JSON
            send("10:00:03,000", 5, "call", "[1, 2]"),
            send("10:00:04,000", 6, "call", '{\n  "callId" : "at-eof",\n  "status" :'),
        ]
    )
    items, stats = parse(log)
    assert [e.call for e in events(items)] == ["before", "after"]
    lines = log.splitlines()
    cut_line = 1 + next(i for i, line in enumerate(lines) if line.startswith("10:00:00,000"))
    reported = [(line, what) for _, line, what in stats.problems]
    assert reported[0][0] == cut_line and "truncated or not JSON" in reported[0][1]
    assert [line for line, _ in reported] == [
        1 + next(i for i, line in enumerate(lines) if line.startswith(clock))
        for clock in ("10:00:00,000", "10:00:02,000", "10:00:03,000", "10:00:04,000")
    ]
    assert "a JSON list, not an object" in reported[2][1]
    assert stats.problem_count == 4
    assert stats.orphan_answers == 0


def test_lines_that_are_not_rest_objects_are_counted() -> None:
    log = "".join(
        [
            "a line before any header\n",
            other("10:00:00,000"),
            "java.lang.IllegalStateException: ICE failed\n",
            "\tat com.flashphoner.media.Agent.check(Agent.java:412)\n",
            header(at("10:00:00,500"), "INFO", "RestClient", "thread-1 Rest client started") + "\n",
            send("10:00:01,000", 1, "call", hook("PENDING", callId="c1")),
            received("10:00:01,004", 1, "call", "{}"),
            "\n",
        ]
    )
    items, stats = parse(log)
    assert len(items) == 1
    assert stats.skipped == 5  # the four lines at the top and the REST client's other line
    assert stats.lines == len(log.splitlines())


def test_an_object_on_the_object_line_and_windows_line_ends() -> None:
    log = (
        "10:00:00,000 INFO            RestClient - API-ASYNC-pool-1-thread-1 SEND REST OBJECT ==>\r\n"
        f"URL:{APP}/call\r\n"
        'OBJECT:{"callId" : "c1", "status" : "PENDING"}\r\n'
    )
    items, stats = parse(log)
    assert [(e.method, e.call, e.status) for e in events(items)] == [("call", "c1", "PENDING")]
    assert stats.problem_count == 0


def test_an_object_over_the_bound_is_not_read() -> None:
    huge = pretty_json({"callId": "big", "sipMessageRaw": "x" * 2_000_000})
    log = (
        send("10:00:00,000", 1, "call", huge)
        + received("10:00:00,010", 1, "call", "{}")
        + send("10:00:01,000", 2, "call", hook("PENDING", callId="small"))
    )
    items, stats = parse(log)
    assert [e.call for e in events(items)] == ["small"]
    assert "over 1,048,576 characters" in stats.problems[0][2]
    assert stats.orphan_answers == 0  # the big hook's answer is still its answer


def test_remote_text_is_cleaned_by_the_listeners_normaliser() -> None:
    body = hook(
        "FAILED\u202e\x1b[31m", callId="c1\x07", info="SIP 486 BUSY\u2066\nnext line",
        caller="+1\u200f555",
    )  # fmt: skip
    items, _ = parse(send("10:00:00,000", 1, "CallStatusEvent", body))
    event = events(items)[0]
    for text in (event.status, event.info, event.call, event.caller):
        assert all(unicodedata.category(ch) not in ("Cc", "Cf") for ch in text), text
    assert event.status.startswith("FAILED") and event.sip_status == 486


def test_a_lone_surrogate_in_an_object_does_not_stop_the_import() -> None:
    items, stats = parse(send("10:00:00,000", 1, "call", '{"callId" : "c\\ud800", "x" : 1}'))
    assert items[0][1] == b'{"callId":"c\\ud800","x":1}'  # kept as the escape it was
    assert stats.problem_count == 0


def test_a_url_with_no_method_is_reported_cleaned() -> None:
    log = rest_record(at("10:00:00,000"), "t-1", SEND, "http://h\x1b]0;owned\x07/", "{}")
    items, stats = parse(log + send("10:00:01,000", 2, "call", hook("PENDING", callId="c1")))
    assert [e.call for e in events(items)] == ["c1"]
    (what,) = [problem[2] for problem in stats.problems]
    assert what.startswith("URL names no method: http://h")
    assert "\x1b" not in what and "\x07" not in what


def test_credentials_in_the_url_stay_out_of_the_journal() -> None:
    log = rest_record(
        at("10:00:00,000"), "t-1", SEND, "http://user:secret@backend:8081/apps/A/call", "{}"
    )
    items, _ = parse(log)
    assert items[0][3]["url"] == "http://backend:8081/apps/A/call"
    assert items[0][0].app == "/apps/A"


# -- dates ------------------------------------------------------------------------------------


def test_times_that_pass_midnight_are_on_the_next_day() -> None:
    log = "".join(
        [
            send("23:59:59,990", 1, "call", hook("PENDING", callId="c1")),
            received("23:59:59,998", 2, "x", "{}"),
            other("23:59:59,950"),  # a few ms back: another thread, not a new day
            received("00:00:00,004", 1, "call", "{}"),
            send("00:00:01,000", 1, "CallStatusEvent", hook("TRYING", callId="c1")),
            other("00:40:00,000"),
            other("00:00:30,000"),  # 40 minutes back: a line out of order, not a new day
            send("00:45:00,000", 1, "hangup", hook("", callId="c1")),
        ]
    )
    items, _ = parse(log)
    first, second, third = events(items)
    assert first.ts == ts("23:59:59,990")
    assert first.latency_ms == 14.0  # across midnight
    nextday = DAY + timedelta(days=1)
    assert second.ts == ts("00:00:01,000", nextday)
    assert third.ts == ts("00:45:00,000", nextday)


def test_a_date_the_line_prints_wins() -> None:
    log = "2026-12-24 " + send("10:00:00,000", 1, "call", hook("PENDING", callId="c1"))
    items, _ = parse(log)
    assert events(items)[0].ts == ts("10:00:00,000", date(2026, 12, 24))


def test_dates_in_rotated_names() -> None:
    assert date_in_name("flashphoner.log.2026-11-30") == date(2026, 11, 30)
    assert date_in_name("flashphoner.log.2026-11-30-13.gz") == date(2026, 11, 30)
    assert date_in_name("flashphoner.log.1") is None
    assert date_in_name("flashphoner.log.2026-13-40") is None


def write(path: Path, text: str, *, gz: bool = False) -> Path:
    data = text.encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def imported(paths: list[Path], **kw: Any) -> tuple[list[ImportItem], LogStats]:
    stats = LogStats()
    return list(import_logs(paths, stats, tz=UTC, **kw)), stats


def test_the_date_comes_from_the_option_then_the_name_then_the_last_write(
    tmp_path: Path,
) -> None:
    text = send("22:00:00,000", 1, "call", hook("PENDING", callId="c1"))
    text += send("01:00:00,000", 2, "call", hook("PENDING", callId="c2"))  # the next day
    named = write(tmp_path / "flashphoner.log.2026-11-20", text)
    (tmp_path / "other").mkdir()
    plain = write(tmp_path / "other" / "flashphoner.log", text)
    written = datetime(2026, 11, 11, 9, 0, tzinfo=UTC).timestamp()
    os.utime(plain, (written, written))

    items, _ = imported([named], start_date=date(2026, 1, 5))
    assert events(items)[0].ts == ts("22:00:00,000", date(2026, 1, 5))
    items, _ = imported([named])
    assert events(items)[0].ts == ts("22:00:00,000", date(2026, 11, 20))
    items, _ = imported([plain])  # last written on the 11th: its last line is on the 11th
    assert [e.ts for e in events(items)] == [
        ts("22:00:00,000", date(2026, 11, 10)), ts("01:00:00,000", date(2026, 11, 11))
    ]  # fmt: skip


def test_a_gzipped_rotated_log_reads_oldest_first_and_pairs_across_files(
    tmp_path: Path,
) -> None:
    older = "".join(
        [
            other("23:58:00,000", "rotated"),
            send("23:59:00,000", 1, "call", hook("PENDING", callId="c1")),
            received("23:59:00,004", 1, "call", "{}"),
            send("23:59:59,999", 2, "CallStatusEvent", hook("RING", callId="c1")),
        ]
    )
    newer = "".join(
        [
            received("00:00:00,009", 2, "CallStatusEvent", "{}"),  # answers the last SEND
            send("00:00:05,000", 1, "hangup", hook("", callId="c1")),
            received("00:00:05,002", 1, "hangup", "{}"),
        ]
    )
    oldest = write(
        tmp_path / "flashphoner.log.2.gz", send("23:00:00,000", 3, "connect", "{}"), gz=True
    )
    one = write(tmp_path / "flashphoner.log.1", older, gz=True)  # gzip, told by its bytes
    current = write(tmp_path / "flashphoner.log", newer)
    items, stats = imported([current, one, oldest], start_date=DAY)
    got = [(e.method, e.reply_status, e.latency_ms) for e in events(items)]
    assert got == [
        ("connect", 0, -1.0),
        ("call", 200, 4.0),
        ("CallStatusEvent", 200, 10.0),
        ("hangup", 200, 2.0),
    ]
    assert events(items)[-1].ts == ts("00:00:05,000", DAY + timedelta(days=1))
    assert stats.orphan_answers == 0 and stats.skipped == 1
    assert sorted([current, one, oldest], key=rotation_key) == [oldest, one, current]


def test_a_cut_off_gzip_keeps_what_came_before(tmp_path: Path) -> None:
    text = "".join(
        send(f"10:00:{n:02d},000", 1, "call", hook("PENDING", callId=f"c{n}")) for n in range(40)
    )
    data = gzip.compress(text.encode())
    path = tmp_path / "flashphoner.log.3.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    items, stats = imported([path], start_date=DAY)
    assert 5 < len(items) < 40
    assert "cannot be read on" in stats.problems[-1][2]


def test_two_nodes_logs_merge_by_time(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = write(tmp_path / "a" / "flashphoner.log", "".join(
        send(f"10:00:{n:02d},000", 1, "call", hook("PENDING", callId=f"a{n}")) for n in (1, 3, 5)
    ))  # fmt: skip
    b = write(tmp_path / "b" / "flashphoner.log", "".join(
        send(f"10:00:{n:02d},000", 1, "call", hook("PENDING", callId=f"b{n}")) for n in (2, 4)
    ))  # fmt: skip
    items, _ = imported([a, b, tmp_path / "b" / ".." / "a" / "flashphoner.log"], start_date=DAY)
    assert [e.call for e in events(items)] == ["a1", "b2", "a3", "b4", "a5"]  # a read once
