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


def new_journal_file(path: Path) -> Path:
    """``--journal PATH`` as the file a new journal goes to (``.sqlite`` added); a folder or
    a journal that exists is a usage error (a journal is never appended to)."""
    from tui.core.problems import UsageError

    if path.is_dir():
        raise UsageError(f"--journal {path}: a folder; name the file ({path}/incident.sqlite)")
    if not path.name.endswith(".sqlite"):
        path = path.with_name(path.name + ".sqlite")
    if path.exists() and path.stat().st_size:
        raise UsageError(
            f"--journal {path}: exists, and a journal is never appended to; choose a new name"
        )
    return path


def newest_in_journal_folder(config: AppConfig, *, how: str = "name one") -> Path:
    """The first file of the newest run in the configured journal folder (a usage error that
    says where it looked when there is none)."""
    from tui.core.journal_read import newest_journal
    from tui.core.problems import UsageError
    from tui.paths import data_dir

    folder = config.journal.dir or data_dir() / "journals"
    path = newest_journal(folder) if folder.is_dir() else None
    if path is None:
        raise UsageError(f"no journal in {folder}: run the console first, or {how}")
    return path


def with_journal_file(config: AppConfig, path: Path | None) -> AppConfig:
    """``config`` writing its journal to ``path`` (unchanged when None)."""
    if path is None:
        return config
    path = new_journal_file(path)
    journal = config.journal.model_copy(update={"file": path.resolve(), "enabled": True})
    return config.model_copy(update={"journal": journal})
