"""The ``[ui]``, ``[feed]`` and ``[keymap]`` sections: how the console looks and starts."""

from __future__ import annotations

from pydantic import Field

from tui.config.base import Section


class UiConfig(Section):
    theme: str = "noc-dark"
    clock_utc: bool = True


class FeedConfig(Section):
    buffer_size: int = Field(100_000, ge=1_000, le=5_000_000)
    default_filter: str = ""


Keymap = dict[str, str]
