"""``--journal PATH`` for the commands that write one (``run``, ``demo``, ``tail``): this run's
journal under a name of the operator's choosing, to read afterwards with ``calls`` and
``ladder``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.config import AppConfig


def add_journal_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--journal",
        type=Path,
        metavar="PATH",
        help="write this run's journal to PATH (a new file), to read later with "
        "`noc-console calls --journal PATH` and `ladder`",
    )


def with_journal_file(config: AppConfig, path: Path | None) -> AppConfig:
    """``config`` writing its journal to ``path`` (unchanged when None)."""
    if path is None:
        return config
    from tui.core.problems import UsageError

    if path.is_dir():
        raise UsageError(f"--journal {path}: a folder; name the file ({path}/incident.sqlite)")
    if not path.name.endswith(".sqlite"):
        path = path.with_name(path.name + ".sqlite")
    if path.exists() and path.stat().st_size:
        raise UsageError(
            f"--journal {path}: exists, and a journal is never appended to; choose a new name"
        )
    journal = config.journal.model_copy(update={"file": path.resolve(), "enabled": True})
    return config.model_copy(update={"journal": journal})
