"""What the serve tests share: whether a process still runs, and waiting for a condition."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable


def running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc here: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


async def wait_until(condition: Callable[[], bool], *, within_s: float = 15.0) -> None:
    """Poll ``condition`` until it holds; fail after ``within_s`` (a bound on a hang, not a
    measurement: the condition usually holds within milliseconds)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within_s
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"still not true after {within_s} s: {condition}")
        await asyncio.sleep(0.02)
