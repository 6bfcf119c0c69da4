"""Everything the browser remembers about one target: its history, the toggles, the last answer
and where the cursor was on each page (so going back lands on the same row)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from tui.config import Target
from tui.core.private_files import write_private
from tui.core.resources.history import History
from tui.core.resources.paths import TargetPaths
from tui.net.rest.base import Fetched, Query
from tui.ui.models.browser.rows import TableModel

log = logging.getLogger(__name__)


class TargetView:
    """One target's browsing state; the browser keeps one per configured target.

    ``paths`` gives the target's path arithmetic as its client sees it now (a CUE client may
    move to HTTPS); the client itself stays with the screen, which does the fetching.
    """

    def __init__(
        self, target: Target, paths: Callable[[], TargetPaths], history_dir: Path | None
    ) -> None:
        self.target = target
        self._paths = paths
        self.details = False
        self.category = ""
        self.fields: str | None = None
        self.watching = False
        self.fetched: Fetched | None = None
        self.model: TableModel | None = None
        self.positions: dict[str, tuple[str, int]] = {}  # location → (row key, scroll y)
        self.history_file = history_dir / f"{target.name}.json" if history_dir else None
        self.history = self._load_history()

    @property
    def name(self) -> str:
        return self.target.name

    @property
    def kind(self) -> str:
        return self.target.kind

    @property
    def paths(self) -> TargetPaths:
        return self._paths()

    @property
    def location(self) -> str:
        return self.history.current or self.start

    @property
    def start(self) -> str:
        return self.target.start_path or self.paths.home

    @property
    def query(self) -> Query:
        return Query(details=self.details, category=self.category, fields=self.fields)

    def _load_history(self) -> History:
        if self.history_file is None or not self.history_file.is_file():
            return History()
        try:
            return History.from_json(self.history_file.read_text(encoding="utf-8"))
        except OSError as exc:
            log.warning("cannot read browser history %s: %s", self.history_file, exc)
            return History()

    def save_history(self) -> str:
        """Write the history file; returns a problem to show, or ""."""
        if self.history_file is None:
            return ""
        try:
            write_private(self.history_file, self.history.to_json())
        except OSError as exc:
            return f"cannot save the browser history to {self.history_file}: {exc}"
        return ""
