"""The filter's bare words (whole words), ``latency:`` and ``time:`` fields, and what a find
highlights."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tui.core.feed import FeedEvent, as_row, blank_event
from tui.core.query import QueryError, compile_query


def _ts(text: str, zone: timezone = UTC) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=zone).timestamp()


ROWS = [
    as_row(blank_event(seq=1, method="CallStatusEvent", status="FAILED", sip_status=503,
                       info="SIP 503 SERVICE UNAVAILABLE", latency_ms=0.4, reply_status=200,
                       ts=_ts("2026-03-14T05:59:59.500"), call="c1e8fb16-aa")),
    as_row(blank_event(seq=2, method="StreamStatusEvent", status="FAILED",
                       info="Failed by ICE timeout", latency_ms=140.0, reply_status=200,
                       ts=_ts("2026-03-14T06:00:00"), stream="lecture-87")),
    as_row(blank_event(seq=3, method="StreamStatusEvent", status="FAILED",
                       info="Failed by ICE error", latency_ms=1500.0, reply_status=200,
                       ts=_ts("2026-03-14T06:29:59.999"), stream="lecture-8")),
    as_row(blank_event(seq=4, method="connect", status="", latency_ms=-1.0,
                       ts=_ts("2026-03-14T06:30:00"), session="/10.20.0.11:1/x-service")),
    as_row(blank_event(seq=5, source="icws", kind="queueContents", status="Connected",
                       ts=_ts("2026-03-15T23:55:00"), call="1001234565")),
]  # fmt: skip


def seqs(text: str, zone: timezone | None = UTC) -> list[int]:
    query = compile_query(text, zone)
    return [row[0] for row in ROWS if query(row)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ICE", [2, 3]),  # not "SERVICE" (nor "x-service": "service" is a word there)
        ("ice", [2, 3]),
        ("~ice", [1, 2, 3, 4]),  # anywhere, inside words too
        ("service", [1, 4]),
        ("fail*", [1, 2, 3]),  # FAILED, Failed: words that start so
        ("!ICE", [1, 4, 5]),
        ("lecture", [2, 3]),
        ("lecture-8", [3]),  # not lecture-87
        ("c1e8f", []),
        ("c1e8f*", [1]),
        ('"ice timeout"', [2]),
        ("10.20.0.11", [4]),
        ("0.11", [4]),  # dots part words: the end of an address is found
        ("0.1", []),  # but not a piece of a number
    ],
)
def test_bare_words_match_whole_words(text: str, expected: list[int]) -> None:
    assert seqs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("latency:>100", [2, 3]),
        ("took:>100", [2, 3]),
        ("latency:>=1.5s", [3]),
        ("latency:<500us", [1]),
        ("latency:<1", [1]),  # an unknown time (-1) is not "less than 1 ms"
        ("latency:100-1500", [2]),
        ("!latency:>100", [1, 4, 5]),
    ],
)
def test_latency_in_milliseconds(text: str, expected: list[int]) -> None:
    assert seqs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("time:>06:00", [3, 4, 5]),  # a time of day, on every day the feed holds
        ("time:>=06:00", [2, 3, 4, 5]),
        ("time:<06:00", [1]),
        ("time:06:00-06:30", [2, 3]),  # from 06:00 up to 06:30
        ("time:06:00", [2]),  # that minute
        ("time:06:29:59", [3]),  # that second
        ("time:05:59:59.5", [1]),
        ("time:23:50-06:00", [1, 5]),  # through midnight
        ("time:2026-03-14", [1, 2, 3, 4]),  # that day
        ("time:2026-03-14T06:00", [2]),
        ("time:>2026-03-14T06:30", [5]),
        ("time:2026-03-14T06:00..2026-03-14T06:30", [2, 3]),
        ("time:2026-03-14T08:00+02:00..2026-03-14T08:30+02:00", [2, 3]),
        ("time:2026-03-14T06:00Z", [2]),
    ],
)
def test_time_of_day_and_iso_times_in_utc(text: str, expected: list[int]) -> None:
    assert seqs(text) == expected


def test_time_is_read_in_the_clock_the_console_shows() -> None:
    paris = timezone(timedelta(hours=1))
    assert seqs("time:07:00-07:30", paris) == [2, 3]  # 06:00-06:30 UTC
    assert seqs("time:07:30", paris) == [4]
    assert seqs("time:06:00-06:30", paris) == []
    assert seqs("time:2026-03-14T07:00", paris) == [2]
    assert seqs("time:2026-03-14T06:00Z", paris) == [2]  # an offset says its own zone


def test_the_machine_zone_works_too() -> None:
    local = datetime.fromtimestamp(ROWS[1][1]).strftime("%H:%M")
    assert 2 in seqs(f"time:{local}", None)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("latency:100", "say more or less than what"),
        ("latency:>fast", "give a comparison in ms"),
        ("time:25:00", "not a time of day"),
        ("time:morning", "give a time of day (06:00"),
        ("time:2026-13-01", "not an ISO time"),
        ("time:06:00-2026-03-14", "a range is two times of day"),
    ],
)
def test_bad_time_and_latency_values_explain(text: str, fragment: str) -> None:
    with pytest.raises(QueryError) as info:
        compile_query(text)
    assert fragment in str(info.value)


def test_a_query_says_what_to_highlight() -> None:
    query = compile_query("status:FAILED ice !lecture-8 latency:>100")
    row = ROWS[1]
    index = {name: i for i, name in enumerate(FeedEvent._fields)}
    assert query.matched_fields(row) == {index["status"], index["latency_ms"]}
    assert [p.pattern for p in query.words] == [r"(?<!\w)ice(?!\w)"]
    assert query.words[0].search("Failed by ICE timeout").span() == (10, 13)
