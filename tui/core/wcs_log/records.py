"""From the lines of a ``flashphoner.log`` to its REST client's records, one by one.

A record is a header line and the lines that continue it (see :mod:`tui.core.wcs_log.layout`).
The REST client's ``SEND`` and ``RECEIVED`` records become :class:`RestObject` (the URL and the
parsed object), its ``Got exception in REST`` lines :class:`RestFailure`; every other line is
skipped and counted. An object that cannot be used (cut short by the end of the file or by the
next log line, JSON that does not parse, larger than the bound) is still a record, with the
problem said and the line it starts on, so that the hook it belongs to is accounted for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from tui.core.redact import encode_json
from tui.core.wcs_log.dates import DayClock
from tui.core.wcs_log.layout import (
    HEADER,
    OBJECT_PREFIX,
    RECEIVED,
    REST_FAILURE,
    REST_LOGGER,
    REST_MESSAGE,
    SEND,
    URL_PREFIX,
    explicit_date,
    seconds_of_day,
)

MAX_OBJECT_CHARS: Final = 1_048_576
"""The most text one object may have, as the hook listener's default ``max_body_bytes``
(1 MiB): WCS's hooks are a few hundred bytes; what is past this is reported, not read."""

SENDS_REMEMBERED: Final = 4096
"""Threads whose last SEND is kept to recognise an answer that echoes it (a pool has tens)."""

PROBLEMS_KEPT: Final = 20
"""Problems kept with their line numbers; past these only the count grows."""


@dataclass(frozen=True, slots=True)
class RestObject:
    """A SEND (a hook WCS posted) or a RECEIVED (the answer it got), with its object.

    ``problem`` is empty when the object is usable; otherwise it says what is wrong, and
    ``payload`` is empty and ``raw`` is ``b""``.
    """

    source: str
    line: int
    ts: float
    thread: str
    direction: str
    url: str
    payload: dict[str, Any]
    raw: bytes
    problem: str = ""


@dataclass(frozen=True, slots=True)
class RestFailure:
    """A ``Got exception in REST`` line: the hook its thread sent got no usable answer."""

    source: str
    line: int
    ts: float
    thread: str
    text: str


Record = RestObject | RestFailure


@dataclass
class LogStats:
    """What an import read and what it could not use (filled in as the records stream)."""

    lines: int = 0
    skipped: int = 0  # lines that are not the REST client's records
    objects: int = 0  # SEND and RECEIVED records
    failures: int = 0  # Got exception in REST lines
    sends: int = 0
    answered: int = 0  # SENDs with a RECEIVED on their thread for their URL
    failed: int = 0  # SENDs whose thread logged an exception instead of an answer
    unanswered: int = 0  # SENDs with nothing after them in the log
    orphan_answers: int = 0  # RECEIVEDs with no SEND waiting on their thread for their URL
    events: int = 0  # events produced (a SEND whose object was usable)
    problem_count: int = 0
    problems: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, what)

    def problem(self, source: str, line: int, what: str) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append((source, line, what))


_Sent = tuple[str, dict[str, Any], bytes]  # a SEND's text, its object and its bytes


class _Collecting:
    """A SEND or RECEIVED record whose continuation lines are still coming."""

    __slots__ = (
        "direction", "line", "object_line", "oversized", "parts", "source", "thread", "ts", "url",
    )  # fmt: skip

    def __init__(self, source: str, line: int, ts: float, thread: str, direction: str) -> None:
        self.source = source
        self.line = line
        self.ts = ts
        self.thread = thread
        self.direction = direction
        self.url: str | None = None
        self.object_line = 0  # the line the object's text starts on (0: no OBJECT: yet)
        self.parts: list[str] = []  # the object's lines, as they came (newlines kept)
        self.oversized = False

    def add(self, number: int, text: str) -> bool:
        """A line before the object; True when it starts the object (``OBJECT:``)."""
        line = text.rstrip("\r\n")
        if line.startswith(URL_PREFIX) and self.url is None:
            self.url = line[len(URL_PREFIX) :].strip()
        elif line.startswith(OBJECT_PREFIX):
            rest = line[len(OBJECT_PREFIX) :]
            self.object_line = number + (0 if rest.strip() else 1)
            if rest.strip():
                self.parts.append(rest + "\n")
            return True
        return False

    def finish(self, limit: int, sent: dict[str, _Sent]) -> RestObject:
        """The record; ``sent`` holds each thread's last SEND object (an answer that echoes it
        word for word is not parsed again, and shares its bytes)."""
        payload: dict[str, Any] = {}
        raw = b""
        problem = ""
        if not self.url:
            problem = f"{self.direction} with no URL line"
        elif not self.object_line:
            problem = f"{self.direction} with no OBJECT"
        elif self.oversized:
            problem = f"{self.direction} object over {limit:,} characters: not read"
        else:
            text = "".join(self.parts).strip()
            echoed = sent.pop(self.thread, None) if self.direction == RECEIVED else None
            if echoed is not None and echoed[0] == text:
                payload, raw = echoed[1], echoed[2]
            else:
                payload, problem = _parse_object(text, self.direction, self.object_line)
                # Stored compact, as WCS sends it on the wire (the log pretty-prints it): the
                # bodies read like the listener's, and half the size.
                raw = b"" if problem else encode_json(payload)
            if self.direction == SEND and not problem:
                if len(sent) >= SENDS_REMEMBERED:  # threads that never answer: start over
                    sent.clear()
                sent[self.thread] = (text, payload, raw)
        return RestObject(
            self.source, self.line, self.ts, self.thread, self.direction, self.url or "",
            payload, raw, problem,
        )  # fmt: skip


def _parse_object(text: str, direction: str, first_line: int) -> tuple[dict[str, Any], str]:
    if not text:
        return {}, f"{direction} object is empty (cut short?)"
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        where = first_line + exc.lineno - 1
        return {}, f"{direction} object truncated or not JSON ({exc.msg}, line {where})"
    except RecursionError:
        return {}, f"{direction} object nested too deeply to read"
    if not isinstance(value, dict):
        return {}, f"{direction} object is a JSON {type(value).__name__}, not an object"
    return value, ""


def read_records(
    lines: Iterable[str],
    clock: DayClock,
    stats: LogStats,
    *,
    source: str = "",
    max_object_chars: int = MAX_OBJECT_CHARS,
) -> Iterator[Record]:
    """The REST client's records in ``lines`` (any iterable of text lines, with or without
    their newlines), timed by ``clock``; every line goes into ``stats``. Objects with a problem
    are yielded too (and reported in ``stats``)."""
    collecting: _Collecting | None = None
    parts: list[str] | None = None  # the object's lines while they come (None: not in one)
    chars = skipped = number = 0
    sent: dict[str, _Sent] = {}  # each thread's last SEND (bounded by the pool's threads)
    header = HEADER.match
    try:
        # One pass, one line at a time, the common lines (an object's) handled inline: a
        # header starts with a digit, an object's line never does.
        for number, text in enumerate(lines, 1):
            match = header(text) if "0" <= text[:1] <= "9" else None
            if match is None:
                if parts is not None:
                    chars += len(text)
                    if chars <= max_object_chars:
                        parts.append(text)
                    elif collecting is not None:
                        collecting.oversized = True
                        collecting.parts = parts = []
                elif collecting is not None:
                    if not collecting.object_line and collecting.add(number, text):
                        parts = collecting.parts
                        chars = sum(map(len, parts))
                else:
                    skipped += 1
                continue
            if collecting is not None:
                yield _finished(collecting, stats, max_object_chars, sent)
                collecting = parts = None
            seconds = seconds_of_day(match)
            clock.observe(seconds, explicit_date(match))
            if not match["logger"].endswith(REST_LOGGER):
                skipped += 1
                continue
            message = match["message"].rstrip()
            if rest := REST_MESSAGE.match(message):
                collecting = _Collecting(
                    source, number, clock.at(seconds), rest["thread"], rest["direction"]
                )
            elif failure := REST_FAILURE.match(message):
                stats.failures += 1
                yield RestFailure(
                    source, number, clock.at(seconds), failure["thread"], failure["text"]
                )
            else:
                skipped += 1
        if collecting is not None:
            yield _finished(collecting, stats, max_object_chars, sent)
    finally:
        stats.lines += number
        stats.skipped += skipped


def _finished(
    collecting: _Collecting, stats: LogStats, limit: int, sent: dict[str, _Sent]
) -> RestObject:
    record = collecting.finish(limit, sent)
    stats.objects += 1
    if record.problem:
        stats.problem(record.source, record.line, record.problem)
    return record
