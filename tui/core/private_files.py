"""Files the console writes for its operator (journals, exports, history, catalogs) are theirs
alone: 0600 files in 0700 folders, written whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dir(folder: Path) -> Path:
    """Create ``folder`` (and its parents) readable by its owner only; tighten it if it exists
    and is ours."""
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    with contextlib.suppress(OSError):
        info = folder.stat()
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            folder.chmod(PRIVATE_DIR)
    return folder


def create_private(path: Path) -> None:
    """Make sure ``path`` exists with owner-only permissions (SQLite then gives its side files
    the same permissions)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_CLOEXEC, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def write_private(path: Path, text: str) -> Path:
    """Write a whole file readable by its owner only (exports, history), replacing it safely."""
    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


@contextlib.contextmanager
def private_output(path: Path, *, replace: bool = False) -> Iterator[BinaryIO]:
    """A file written as a stream, readable by its owner only, that appears at ``path`` only
    once it is whole. An existing file is kept (:class:`FileExistsError`) unless ``replace``.

    The folder is used as it is (it may be the operator's own: its permissions are theirs).
    """
    if path.exists() and not replace:
        raise FileExistsError(errno.EEXIST, "exists", str(path))
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC, PRIVATE_FILE)
    handle = os.fdopen(fd, "wb")
    try:
        with handle:
            os.fchmod(fd, PRIVATE_FILE)  # whatever the umask made of it
            yield handle
        if replace:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _link_new(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the name ``path`` unless a file has that name by now (then
    :class:`FileExistsError`). A hard link does it atomically; where the file system has none,
    the name is checked first and then taken."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (some network and FAT file systems)
        if path.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.replace(tmp, path)
        return
    tmp.unlink()
