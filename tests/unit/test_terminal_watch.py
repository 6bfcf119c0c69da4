"""The terminal watch: it acts on a hang-up of a real pty, and only on that."""

from __future__ import annotations

import os
import pty
import threading

from tui.ui.terminal_watch import TerminalWatch

WAIT_S = 10.0  # a bound on waits for the watch's thread, which are woken by events


def watched(grace_s: float, *, stop_on_hangup: bool = False) -> tuple[TerminalWatch, int, dict]:
    master, slave = pty.openpty()
    seen: dict[str, threading.Event] = {"hangup": threading.Event(), "ended": threading.Event()}
    watch: TerminalWatch

    def on_hangup() -> None:
        seen["hangup"].set()
        if stop_on_hangup:
            watch.stop()  # the app exited by itself in time

    watch = TerminalWatch(slave, on_hangup, grace_s=grace_s, end_process=seen["ended"].set)
    watch.start()
    return watch, master, seen


def test_a_hang_up_asks_the_app_to_leave_then_ends_the_process() -> None:
    watch, master, seen = watched(grace_s=0.0)
    os.write(master, b"typing is not a hang-up")
    assert not seen["hangup"].wait(0.2)
    os.close(master)
    assert seen["hangup"].wait(WAIT_S)
    assert seen["ended"].wait(WAIT_S)  # the app did not exit within the grace
    assert watch.hung_up.is_set()


def test_an_app_that_leaves_in_time_is_not_ended() -> None:
    watch, master, seen = watched(grace_s=WAIT_S, stop_on_hangup=True)
    os.close(master)
    assert seen["hangup"].wait(WAIT_S)
    watch._thread.join(WAIT_S)
    assert not watch._thread.is_alive()
    assert not seen["ended"].is_set()


def test_stopped_before_any_hang_up_it_does_nothing() -> None:
    watch, master, seen = watched(grace_s=0.0)
    watch.stop()
    assert not watch._thread.is_alive()
    os.close(master)
    assert not seen["hangup"].is_set() and not seen["ended"].is_set()
