"""Each hook WCS logged, with the answer it got, as the event the live listener would have made.

WCS's REST client sends a hook on one thread of its pool and waits on that thread for the
answer: a ``SEND`` is answered by the next ``RECEIVED`` on the same thread for the same URL.
Other threads' records interleave freely, so several hooks are in flight at once, one per
thread. A hook goes without an answer when its thread logs an exception instead, sends its next
hook first, or nothing comes for :data:`ANSWER_WINDOW_S` of log time (WCS itself gives up after
``rest_request_timeout``, 15 s unless configured otherwise), or the log ends.

Every hook becomes a FeedEvent through :func:`tui.core.protocols.wcs.normalise`, the listener's
own normaliser (which also cleans every text field of remote text), at the time of its SEND.
Events come out in SEND order: one that is answered waits for the hooks sent before it (at most
:data:`MAX_WAITING` of them wait, so memory stays bounded).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

from tui.core.dedupe import DuplicateWindow
from tui.core.feed import FLAG_DUPLICATE
from tui.core.journal_write import ImportItem
from tui.core.protocols.wcs import normalise, split_path
from tui.core.sanitize import clean_line
from tui.core.wcs_log.layout import HTTP_STATUS_IN_FAILURE, SEND
from tui.core.wcs_log.records import LogStats, Record, RestFailure, RestObject

ANSWER_WINDOW_S: Final = 120.0
"""Log time after which a SEND that got nothing is taken as unanswered (well past WCS's default
15 s timeout and its retries)."""

MAX_WAITING: Final = 20_000
"""Hooks that may wait for one sent before them; past this the oldest is taken as unanswered."""

ANSWERED_STATUS: Final = 200
"""The log does not print the HTTP status of an answer. A RECEIVED is an answer WCS took as
one, which it does for 200 OK only (anything else is an interaction error it logs as an
exception), so an answered hook is shown as answered 200."""


BACKEND_RULE: Final = "backend"
"""The rule of a hook the backend answered with an error status (``Got exception in REST
...HttpClientErrorException: 403 Forbidden``): the backend decided, as a tap's upstream does."""


@dataclass(slots=True)
class _Hook:
    send: RestObject
    answer: RestObject | None = None
    failure: RestFailure | None = None
    done: bool = False
    usable: bool = True  # False: the SEND's object could not be read (reported): no event


class Pairer:
    """Pairs records as they come (see the module's docstring)."""

    def __init__(
        self,
        stats: LogStats,
        *,
        answer_window_s: float = ANSWER_WINDOW_S,
        max_waiting: int = MAX_WAITING,
    ) -> None:
        self.stats = stats
        self.answer_window_s = answer_window_s
        self.max_waiting = max_waiting
        self._open: dict[str, _Hook] = {}  # thread → the hook it waits on
        self._queue: deque[_Hook] = deque()  # every hook not yet out, in SEND order
        self._duplicates = DuplicateWindow()

    def pair(self, records: Iterable[Record]) -> Iterator[ImportItem]:
        """The events of ``records``, then of every hook still waiting when they end."""
        for record in records:
            yield from self.feed(record)
        yield from self.finish()

    def feed(self, record: Record) -> Iterator[ImportItem]:
        if isinstance(record, RestFailure):
            hook = self._open.pop(record.thread, None)
            if hook is not None:
                hook.failure = record
                hook.done = True
        elif record.direction == SEND:
            self._sent(record)
        else:
            self._received(record)
        return self._ready(record.ts)

    def finish(self) -> Iterator[ImportItem]:
        for hook in self._queue:
            hook.done = True
        self._open.clear()
        return self._ready(float("inf"))

    def _sent(self, record: RestObject) -> None:
        self.stats.sends += 1
        earlier = self._open.pop(record.thread, None)
        if earlier is not None:  # its thread went on to the next hook: no answer came
            earlier.done = True
        hook = _Hook(record, usable=not record.problem)
        if hook.usable and not split_path(_path_of(record.url))[1]:
            shown = clean_line(record.url, 200)
            self.stats.problem(record.source, record.line, f"URL names no method: {shown}")
            hook.usable = False
        self._open[record.thread] = hook
        self._queue.append(hook)

    def _received(self, record: RestObject) -> None:
        hook = self._open.get(record.thread)
        if hook is None or hook.send.url != record.url:
            self.stats.orphan_answers += 1
            return
        del self._open[record.thread]
        hook.answer = record
        hook.done = True

    def _ready(self, now: float) -> Iterator[ImportItem]:
        queue = self._queue
        while queue:
            head = queue[0]
            if not head.done:
                if now - head.send.ts <= self.answer_window_s and len(queue) <= self.max_waiting:
                    return
                head.done = True
                if self._open.get(head.send.thread) is head:
                    del self._open[head.send.thread]
            queue.popleft()
            if head.usable:
                yield self._item(head)

    def _item(self, hook: _Hook) -> ImportItem:
        send = hook.send
        stats = self.stats
        path = _path_of(send.url)
        app_path, method = split_path(path)
        reply = b""
        reply_status = 0
        latency = -1.0
        error = rule = ""
        if hook.answer is not None:
            stats.answered += 1
            reply_status = ANSWERED_STATUS
            reply = hook.answer.raw
            latency = round(max(0.0, (hook.answer.ts - send.ts) * 1000.0), 3)
        elif hook.failure is not None:
            stats.failed += 1
            error = clean_line(hook.failure.text, 200)
            if named := HTTP_STATUS_IN_FAILURE.search(hook.failure.text):
                reply_status = int(named.group(1))
                rule = BACKEND_RULE
            latency = round(max(0.0, (hook.failure.ts - send.ts) * 1000.0), 3)
        else:
            stats.unanswered += 1
        flags = FLAG_DUPLICATE if self._duplicates.seen(method, send.raw, send.ts) else 0
        event = normalise(
            app_path, method, send.payload, ts=send.ts, reply_status=reply_status,
            latency_ms=latency, rule=rule, flags=flags,
        )  # fmt: skip
        if error and not reply_status and not event.info:  # why it got no answer at all
            event = event._replace(info=error)
        meta: dict[str, Any] = {
            "path": clean_line(path, 500),
            "url": _without_credentials(send.url),
            "thread": clean_line(send.thread, 100),
            "log": f"{send.source}:{send.line}",
        }
        if error:
            meta["error"] = error
        elif hook.answer is not None and hook.answer.problem:
            meta["reply_problem"] = hook.answer.problem
        elif hook.answer is None:
            meta["no_answer"] = "no answer in the log"
        stats.events += 1
        return event, send.raw, reply, meta


def _path_of(url: str) -> str:
    """The path of a logged URL (``""`` when it is no URL at all)."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _without_credentials(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return clean_line(url, 500)
    if "@" not in parts.netloc:
        return clean_line(url, 500)
    host = parts.netloc.rpartition("@")[2]
    return clean_line(urlunsplit(parts._replace(netloc=host)), 500)
