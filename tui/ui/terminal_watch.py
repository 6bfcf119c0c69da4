"""Leaving when the terminal hangs up.

A hung-up terminal (an SSH session gone, a tmux server killed) normally sends SIGHUP to the
console, which ends it. It does not when the console is not the one the hang-up reaches: under
a parent that catches SIGHUP and waits for its child (``make demo``), or started with SIGHUP
ignored. Textual then reads end-of-file from the terminal over and over (a core at 100 % for
ever), its output thread dies on the first write, the screen freezes, and the process keeps the
hook port and the journal's lock.

A thread waits on the terminal for the hang-up (it is woken only by that, or by stop), asks the
app to exit, and ends the process itself if the app has not exited after ``grace_s`` (its
screen writes can block for ever once the output thread is gone). Answered hooks are in the
journal already; what is lost is what a ``kill`` loses.
"""

from __future__ import annotations

import os
import select
import signal
import threading
from collections.abc import Callable

GRACE_S = 3.0
"""How long the app may take to exit by itself after the hang-up."""

_HANGUP = select.POLLHUP | select.POLLERR | select.POLLNVAL


def _end_process() -> None:
    os._exit(128 + signal.SIGHUP)  # what a hang-up's SIGHUP would have ended it with


class TerminalWatch:
    """Waits in a thread for the terminal on ``fd`` to hang up, then calls ``on_hangup`` (from
    that thread: it must hand over to the app's loop itself) and, if :meth:`stop` is not called
    within ``grace_s``, ``end_process``."""

    def __init__(
        self,
        fd: int,
        on_hangup: Callable[[], None],
        *,
        grace_s: float = GRACE_S,
        end_process: Callable[[], None] = _end_process,
    ) -> None:
        self.fd = fd
        self.on_hangup = on_hangup
        self.grace_s = grace_s
        self.end_process = end_process
        self.hung_up = threading.Event()
        self._stopped = threading.Event()
        self._wake_read, self._wake_write = os.pipe()
        self._thread = threading.Thread(target=self._watch, name="terminal-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """The app is ending (by itself, or after the hang-up): nothing more to do."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        os.write(self._wake_write, b"x")
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=1.0)
        for fd in (self._wake_read, self._wake_write):
            os.close(fd)

    def _watch(self) -> None:
        poller = select.poll()
        poller.register(self.fd, 0)  # only what is always reported: hang-up, error, closed
        poller.register(self._wake_read, select.POLLIN)
        while not self._stopped.is_set():
            ready = dict(poller.poll())
            if ready.get(self.fd, 0) & _HANGUP:
                break
        else:
            return
        self.hung_up.set()
        self.on_hangup()
        if not self._stopped.wait(self.grace_s):
            self.end_process()


def terminal_fd() -> int | None:
    """The console's terminal (its input), or None when it has none (a pipe, a test)."""
    for stream_fd in (0, 1):
        try:
            if os.isatty(stream_fd):
                return stream_fd
        except OSError:
            continue
    return None
