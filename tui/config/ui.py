"""The ``[ui]``, ``[feed]`` and ``[keymap]`` sections: how the console looks and starts."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from tui.config.base import Section


class UiConfig(Section):
    """How the console looks."""

    theme: str = "noc-dark"
    """A packaged theme (noc-dark, noc-light, noc-high-contrast) or one of your own from
    ``~/.config/noc-console/themes/``; ``noc-console themes`` lists them."""
    clock_utc: bool = True
    """The header clock in UTC (true) or local time."""
    read_only: bool = False
    """The console changes nothing: no SBC, CUE or MWS writes whatever a target's
    ``allow_writes`` says, no policy rules switched, no setting saved back to this file. The
    header says READ-ONLY. ``noc-console serve`` sets it for every browser tab unless it is
    started with ``--allow-writes``."""


FeedColumn = Literal[
    "time", "node", "app", "type", "status", "id", "party", "http", "latency", "info"
]
FEED_COLUMNS: tuple[FeedColumn, ...] = (
    "time", "node", "app", "type", "status", "id", "party", "http", "latency", "info"
)  # fmt: skip


class FeedConfig(Section):
    """The live feed of events."""

    buffer_size: int = Field(100_000, ge=1_000, le=5_000_000)
    """Events kept in the live view (the journal keeps every one)."""
    default_filter: str = ""
    """A feed query applied when the console starts, e.g. ``status:FAILED``."""
    columns: tuple[FeedColumn, ...] = FEED_COLUMNS
    """The feed's columns, in this order (``C`` on the feed chooses them and saves them here).
    When the terminal is too narrow for all, they give way in the order an operator needs them
    least (app, caller → callee, http first; time and status last) and the header names them."""

    @field_validator("columns")
    @classmethod
    def _some_columns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError(f"name at least one column: {', '.join(FEED_COLUMNS)}")
        if len(set(value)) != len(value):
            raise ValueError("a column is named twice")
        return value


Keymap = dict[str, str]  # binding id -> keys, e.g. "app.screen.feed" = "1,f5"
