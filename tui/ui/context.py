"""What a working screen may use of the app: a narrow protocol, so a screen depends on these few
members, not on the app class (and a test can hand a screen any object that has them)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tui.config import AppConfig
from tui.core.errors.tally import ErrorTally
from tui.core.sources import SourceBoard
from tui.services import Services

if TYPE_CHECKING:  # the decoders load on first use (they are heavy for the first frame)
    from tui.core.errors.detect import ErrorDecoder


class NocContext(Protocol):
    """The app as the screens see it: config, what runs, the shared boards and the clocks."""

    @property
    def config(self) -> AppConfig:
        """The config in force (the demo replaces it once its simulators are up)."""
        ...

    @property
    def config_path(self) -> Path:
        """The config file, for the hints that say what to add where."""
        ...

    @property
    def services(self) -> Services:
        """The store, the hook listener, ICWS: everything that runs."""
        ...

    @property
    def sources(self) -> SourceBoard:
        """Every source and its link state (the header's chips)."""
        ...

    @property
    def errors_seen(self) -> ErrorTally:
        """Errors met by the feed and the browser, counted for the inspector."""
        ...

    @property
    def error_decoder(self) -> ErrorDecoder:
        """The one error decoder (packaged catalogs, the operator's, ``[errors]``), built on
        first use: the inspector decodes with it, the browser explains SBC codes with it."""
        ...

    @property
    def demo(self) -> bool:
        """Running the demo (the header shows a badge and the demo's act)."""
        ...

    @property
    def persist_history(self) -> bool:
        """Whether the browser keeps its history in the data folder (not in tests, snapshots)."""
        ...

    def clock(self) -> datetime:
        """Now, on the app's clock (fixed in snapshots)."""
        ...

    def clock_text(self) -> str:
        """Now as the header shows it (local or UTC, as configured)."""
        ...

    def demo_caption(self) -> str:
        """What the demo is playing now ("" when no demo runs)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that only moves forward: the feed's frame pacing and rates."""
        ...

    def follow_filter(self, query: str) -> None:
        """The feed's filter is now ``query`` (a console on the stream reads what it narrows to)."""
        ...
