"""What the commands share: exit statuses, the subparsers type, errors on stderr, a quiet exit."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

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


def quiet_stdout() -> None:
    """After a closed pipe (``| head``), let the interpreter exit without a BrokenPipe message."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
