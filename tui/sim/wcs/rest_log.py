"""The simulated WCS's own log: every hook it sends and every answer it gets, written as WCS
writes them into ``flashphoner.log`` (so the demo and the tests have a log to import).

Each hook goes out on a thread of a pool (``API-ASYNC-pool-13-thread-N``, the lowest free
one), logged as a ``SEND`` with its URL and pretty-printed object, then the answer on the same
thread as a ``RECEIVED``; an answer other than 200 OK, or none, is logged as ``Got exception in
REST`` with the error, as WCS's REST client does. A few of the other lines WCS writes (its
WebSocket sessions, an occasional stack trace) come in between. Times are the simulation's:
``clock`` gives them (epoch seconds), printed in ``tz``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TextIO

from tui.core.wcs_log.layout import RECEIVED, SEND, header, pretty_json, rest_failure, rest_record

POOL = "API-ASYNC-pool-13-thread"
_REASONS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error",
            502: "Bad Gateway", 503: "Service Unavailable"}  # fmt: skip


class RestLog:
    """Appends WCS-style log records to a file (or any text stream); a context manager."""

    def __init__(
        self,
        target: Path | TextIO,
        *,
        clock: Callable[[], float] = time.time,
        tz: tzinfo | None = None,
    ) -> None:
        self._owned = isinstance(target, Path)
        self.stream: TextIO = (
            target.open("a", encoding="utf-8") if isinstance(target, Path) else target
        )
        self.clock = clock
        self.tz = tz
        self._busy: set[int] = set()
        self.records = 0

    def __enter__(self) -> RestLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owned and not self.stream.closed:
            self.stream.close()

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), self.tz)

    def _write(self, text: str) -> None:
        if not self.stream.closed:
            self.stream.write(text)
            self.stream.flush()
            self.records += 1

    # -- the REST client's records ------------------------------------------------------------

    def take_thread(self) -> str:
        """The thread a new hook goes out on (held until :meth:`free_thread`)."""
        number = 1
        while number in self._busy:
            number += 1
        self._busy.add(number)
        return f"{POOL}-{number}"

    def free_thread(self, thread: str) -> None:
        self._busy.discard(int(thread.rpartition("-")[2]))

    def send(self, thread: str, url: str, body: bytes) -> None:
        self._write(rest_record(self._now(), thread, SEND, url, _shown(body)))

    def answer(self, thread: str, url: str, status: int, body: bytes) -> None:
        """What came back: a RECEIVED for 200 OK, else the exception WCS's client logs."""
        if status == 200:
            self._write(rest_record(self._now(), thread, RECEIVED, url, _shown(body)))
            return
        family = "HttpClientErrorException" if status < 500 else "HttpServerErrorException"
        text = f"org.springframework.web.client.{family}: {status} {_REASONS.get(status, '')}"
        self._write(rest_failure(self._now(), thread, text.rstrip()))

    def no_answer(self, thread: str, error: str) -> None:
        """The backend could not be reached (or did not answer in time)."""
        self._write(rest_failure(self._now(), thread, f"java.net.ConnectException: {error}"))

    # -- other lines WCS writes ---------------------------------------------------------------

    def session_opened(self, session_id: str) -> None:
        self._write(
            header(self._now(), "INFO", "WSServerHandler",
                   f"ws-pool-thread-2 New WebSocket session {session_id}") + "\n"
        )  # fmt: skip

    def session_closed(self, session_id: str) -> None:
        self._write(
            header(self._now(), "INFO", "WCSSession",
                   f"ws-pool-thread-2 Session {session_id} closed") + "\n"
        )  # fmt: skip

    def media_warning(self, stream: str) -> None:
        """A warning with a stack trace (lines that continue it, none of them a REST record)."""
        self._write(
            header(self._now(), "WARN", "MediaSessionHandler",
                   f"media-pool-4-thread-1 Media failure on {stream}") + "\n"
            "java.lang.IllegalStateException: ICE failed\n"
            "\tat com.flashphoner.media.ice.IceAgent.check(IceAgent.java:412)\n"
            "\tat java.lang.Thread.run(Thread.java:748)\n"
        )  # fmt: skip


def _shown(body: bytes) -> str:
    """A body as the log prints it: a JSON object pretty-printed, anything else as text."""
    try:
        return pretty_json(json.loads(body))
    except (ValueError, UnicodeDecodeError):
        return body.decode("utf-8", "replace")
