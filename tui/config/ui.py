"""The ``[ui]``, ``[feed]`` and ``[keymap]`` sections: how the console looks and starts."""

from __future__ import annotations

from pydantic import Field

from tui.config.base import Section


class UiConfig(Section):
    """How the console looks."""

    theme: str = "noc-dark"
    """A packaged theme (noc-dark, noc-light, noc-high-contrast) or one of your own from
    ``~/.config/noc-console/themes/``; ``noc-console themes`` lists them."""
    clock_utc: bool = True
    """The header clock in UTC (true) or local time."""


class FeedConfig(Section):
    """The live feed of events."""

    buffer_size: int = Field(100_000, ge=1_000, le=5_000_000)
    """Events kept in the live view (the journal keeps every one)."""
    default_filter: str = ""
    """A feed query applied when the console starts, e.g. ``status:FAILED``."""


Keymap = dict[str, str]  # binding id -> keys, e.g. "app.screen.feed" = "1,f5"
