"""What the commands share: exit statuses, the subparsers type, errors on stderr, a quiet end
when the reader of stdout goes away (a pipe closed early, or a terminal that hung up)."""

from __future__ import annotations

import argparse
import errno
import io
import os
import select
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

if TYPE_CHECKING:
    from tui.config import LoadedConfig

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

EXIT_OK = 0
EXIT_NOT_RECOGNISED = 1  # decode: nothing matched
EXIT_REMOTE = 1  # browse: the target answered with an error or could not be reached
EXIT_USAGE = 2  # bad usage or an unusable config
EXIT_INTERRUPTED = 130


def fail(message: str) -> int:
    """Say what is wrong on stderr, prefixed with the program's name; the usage exit status."""
    print(f"noc-console: {message}", file=sys.stderr)
    return EXIT_USAGE


def load(path: Path | None) -> LoadedConfig:
    """The config named by ``--config``, else the default file (which may be missing)."""
    from tui.config import load_config

    return load_config(path)


def reader_gone(exc: OSError, stream: TextIO | None = None) -> bool:
    """A write to ``stream`` (stdout by default) failed because its reader has left: a pipe
    closed early (EPIPE), or the terminal hung up (its SSH session or tmux server is gone),
    which fails writes with EIO. EIO counts only when that terminal has hung up: a disk that
    fails a read gives EIO too, and that is an error to report, not a quiet end."""
    if isinstance(exc, BrokenPipeError):
        return True
    return exc.errno == errno.EIO and _hung_up(stream or sys.__stdout__ or sys.stdout)


def _hung_up(stream: TextIO) -> bool:
    try:
        poller = select.poll()
        poller.register(stream.fileno(), 0)  # only what is always reported: hang-up, error
        return any(events & (select.POLLHUP | select.POLLERR) for _, events in poller.poll(0))
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


class ReaderMayLeave:
    """``sys.stdout`` while a command runs. When the reader of a pipe goes away (``| head -1``)
    the rest of the output goes nowhere, without a traceback, and the command runs on to its
    own exit status (``decode`` still says whether it matched)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except OSError as exc:
            if not reader_gone(exc, self.stream):
                raise
            self._gone()
            return len(text)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            if not reader_gone(exc, self.stream):
                raise
            self._gone()

    def _gone(self) -> None:
        drop_stdout(self.stream)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextmanager
def reader_may_leave() -> Iterator[ReaderMayLeave]:
    """Run a command with :class:`ReaderMayLeave` as stdout; what it printed is written out
    before the interpreter exits (a failure there would be a traceback and status 120)."""
    real = sys.stdout
    guarded = ReaderMayLeave(real)
    sys.stdout = cast(TextIO, guarded)
    try:
        yield guarded
    finally:
        guarded.flush()
        sys.stdout = real


def unguarded_stdout() -> TextIO:
    """stdout itself, for a command that must hear when its reader leaves (``tail`` stops)."""
    stdout = sys.stdout
    return stdout.stream if isinstance(stdout, ReaderMayLeave) else stdout


def quiet_stdout() -> None:
    """Flush stdout now; if its reader has gone, the rest goes to /dev/null. ``main`` does
    this for every command when it ends; a command that prints in parts may call it sooner."""
    try:
        sys.stdout.flush()
    except OSError as exc:
        if not reader_gone(exc):
            raise
        drop_stdout()


def drop_stdout(stream: TextIO | None = None) -> None:
    """The reader of stdout (or of ``stream``) is gone: what is still to be written, and what
    the interpreter flushes at exit, goes to /dev/null."""
    try:
        fd = (stream or sys.__stdout__ or sys.stdout).fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):  # not a real file: nothing to drop
        pass
