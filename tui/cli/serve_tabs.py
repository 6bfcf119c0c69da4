"""One console process per browser tab, and a cap on how many run at once.

Each tab's console is a child process speaking Textual's web-driver protocol on its stdin and
stdout (textual-serve's :class:`AppService` runs it and relays the packets). Closing the tab,
or the server stopping, asks the console to quit; a console that has not gone after a grace
period is terminated, then killed, and always waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
from collections.abc import Awaitable, Callable, Mapping, Sequence

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

QUIT_GRACE_S = 5.0  # a console asked to quit has this long before it is terminated
TERM_GRACE_S = 2.0  # then this long before it is killed


class TabProcess(AppService):
    """The console process of one tab: ``argv`` run without a shell, with ``env`` added to
    (and ``drop`` removed from) the server's environment."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        drop: Sequence[str],
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
    ) -> None:
        # AppService starts its command through the shell; `exec` makes the console itself
        # the child, so the pid below is the console's and a signal reaches it.
        super().__init__(
            "exec " + shlex.join(argv),
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=DownloadManager(),
        )
        self.extra_env = dict(env)
        self.drop_env = tuple(drop)

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        for name in self.drop_env:
            environment.pop(name, None)
        environment.update(self.extra_env)
        return environment

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def end(self) -> None:
        """Quit the console and wait until its process is gone (terminate, then kill, if it
        does not go by itself)."""
        process = self._process
        if process is None:
            return
        with contextlib.suppress(TimeoutError, ConnectionError, RuntimeError):
            await asyncio.wait_for(asyncio.shield(self.stop()), QUIT_GRACE_S)
        for signal_it, grace in ((process.terminate, TERM_GRACE_S), (process.kill, None)):
            if process.returncode is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                signal_it()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), grace)
        await process.wait()


class TabLimit:
    """At most ``limit`` tabs at once; :meth:`claim` refuses the one over."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open: set[TabProcess] = set()
        self._claimed = 0

    @property
    def full(self) -> bool:
        return self._claimed >= self.limit

    def claim(self) -> bool:
        """Take a place for a new tab; False when all are taken."""
        if self.full:
            return False
        self._claimed += 1
        return True

    def release(self) -> None:
        self._claimed = max(0, self._claimed - 1)

    @property
    def pids(self) -> list[int]:
        return [pid for tab in self.open if (pid := tab.pid) is not None]

    async def end_all(self) -> None:
        await asyncio.gather(*(tab.end() for tab in list(self.open)), return_exceptions=True)
