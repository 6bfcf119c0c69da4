"""The ``[journal]`` section: where every event is kept, and its bounds."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from tui.config.base import Section


class JournalConfig(Section):
    """Where every event is kept (SQLite, one run per console process), and its bounds."""

    enabled: bool = True
    """Write a journal at all (``--no-journal`` turns it off for one run)."""
    dir: Path | None = None
    """Folder of the journals; default ``$XDG_DATA_HOME/noc-console/journals`` (mode 0700)."""
    file: Path | None = None
    """This run's journal, by name (what ``--journal PATH`` sets), to read afterwards with
    ``noc-console calls`` and ``ladder``; it must not exist yet (a journal is never appended
    to). Retention leaves a named journal's folder alone. Default: a new file in ``dir``."""
    keep_files: int = Field(20, ge=1, le=10_000)
    """Journal files kept in the folder, newest first (another running console's are never
    touched)."""
    max_file_mb: int = Field(256, ge=1, le=65_536)
    """A run's file past this size is closed and the next one opened (``<run>.2.sqlite``…)."""
    max_total_mb: int = Field(2048, ge=1, le=1_048_576)
    """All journals together; the oldest files go first."""
    max_age_days: float = Field(30, gt=0, le=3650)
    """Files older than this go."""
    max_pending_mb: int = Field(64, ge=1, le=4096)
    """Events waiting for the disk, at most; past it an event is not journalled (and counted)."""
    commit_timeout_s: float = Field(5.0, gt=0, le=14)
    """A hook's answer waits for its journal commit at most this long (WCS's REST timeout is
    15 s); later answers are counted as answered before their commit."""
    sync: Literal["normal", "full"] = "normal"
    """``normal`` survives the console being killed; ``full`` also survives a power cut, with
    an fsync per commit."""
