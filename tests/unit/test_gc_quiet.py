"""Pausing automatic garbage collection around a bulk parse, nested and from threads."""

from __future__ import annotations

import gc
import threading

from tui.core.gc_quiet import quiet_gc, without_gc


def test_pauses_and_resumes_even_when_nested_and_on_errors() -> None:
    assert gc.isenabled()
    with quiet_gc():
        assert not gc.isenabled()
        with quiet_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    try:
        with quiet_gc():
            raise ValueError("parser bug")
    except ValueError:
        pass
    assert gc.isenabled()


def test_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with quiet_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_from_two_threads() -> None:
    inside = threading.Event()
    release = threading.Event()
    seen: list[bool] = []

    def worker() -> None:
        with quiet_gc():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=worker)
    thread.start()
    inside.wait(5)
    wrapped = without_gc(lambda: gc.isenabled())
    seen.append(wrapped())  # this one ends while the thread's pause goes on
    seen.append(gc.isenabled())
    release.set()
    thread.join(5)
    assert seen == [False, False]
    assert gc.isenabled()
