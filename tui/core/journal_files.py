"""The journal folder: private files, one lock per running console, and retention.

A run (one console process) writes ``<run>.sqlite``, then ``<run>.2.sqlite``… as it rotates,
and holds ``<run>.lock`` (an advisory ``flock``) for as long as it runs. The lock goes with the
process, however it ends (``kill -9`` included), so a lock that can be taken belongs to nobody.
Retention never touches a run whose lock another process holds.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from dataclasses import dataclass
from pathlib import Path

from tui.core.private_files import PRIVATE_FILE

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def run_name(path: Path) -> str:
    """``20261201-101500-demo-42.3.sqlite`` → ``20261201-101500-demo-42``."""
    return path.name.split(".", 1)[0]


def lock_path(folder: Path, run: str) -> Path:
    return folder / f"{run}.lock"


class RunLock:
    """Holds the run's lock file for the life of the process (or until :meth:`release`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> RunLock:
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, PRIVATE_FILE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None


def is_held(lock: Path) -> bool:
    """True while some process holds ``lock`` (this one included, through another handle)."""
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: leave it alone
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Retention:
    """How much journal history the folder keeps (0 means no bound of that kind)."""

    keep_files: int = 20
    max_total_bytes: int = 2 * 1024**3
    max_age_s: float = 30 * 86_400.0


@dataclass(frozen=True)
class _File:
    path: Path
    run: str
    mtime: float
    size: int


def _size(path: Path) -> int:
    total = 0
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_SUFFIXES)):
        with contextlib.suppress(OSError):
            total += candidate.stat().st_size
    return total


def remove_journal_file(path: Path) -> None:
    for candidate in (path, *(path.with_name(path.name + s) for s in SIDE_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


def prune(
    folder: Path,
    retention: Retention,
    *,
    own_run: str = "",
    keep: frozenset[Path] = frozenset(),
    now: float | None = None,
) -> list[Path]:
    """Delete journal files beyond the retention bounds, oldest first; returns what went.

    Never deleted: files in ``keep`` (the owner's current file), and files of a run whose lock
    another process holds. The owner's own older files (``own_run``) count like any other.
    """
    now = time.time() if now is None else now
    held: dict[str, bool] = {}
    files: list[_File] = []
    for path in folder.glob("*.sqlite"):
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        files.append(_File(path, run_name(path), mtime, _size(path)))
    files.sort(key=lambda f: f.mtime, reverse=True)  # newest first

    def deletable(entry: _File) -> bool:
        if entry.path in keep:
            return False
        if entry.run == own_run:
            return True
        if entry.run not in held:
            held[entry.run] = is_held(lock_path(folder, entry.run))
        return not held[entry.run]

    doomed: list[_File] = []
    total = sum(f.size for f in files)
    for index, entry in enumerate(files):
        too_old = retention.max_age_s > 0 and now - entry.mtime > retention.max_age_s
        too_many = retention.keep_files > 0 and index >= retention.keep_files
        if (too_old or too_many) and deletable(entry):
            doomed.append(entry)
            total -= entry.size
    if retention.max_total_bytes > 0:
        for entry in reversed(files):  # oldest first
            if total <= retention.max_total_bytes:
                break
            if entry not in doomed and deletable(entry):
                doomed.append(entry)
                total -= entry.size
    for entry in doomed:
        remove_journal_file(entry.path)
        lock = lock_path(folder, entry.run)
        if entry.run != own_run and not any(f.run == entry.run for f in files if f not in doomed):
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()
    return [entry.path for entry in doomed]
