"""The ``[correlate]`` section: how many calls, streams, sessions and interactions the live
tables keep, how long ended ones stay, and how close in time an ICWS interaction and a WCS call
must be to be linked."""

from __future__ import annotations

from pydantic import Field

from tui.config.base import Section


class CorrelateConfig(Section):
    """The live tables of the Calls screen (the journal keeps every event whatever these say)."""

    max_groups: int = Field(100_000, ge=100, le=2_000_000)
    """Groups kept per kind (calls, streams, sessions, interactions); past it the oldest goes,
    so a long-running console never stops."""
    keep_ended_s: float = Field(300.0, ge=0, le=86_400)
    """An ended call (stream, session…) leaves the live tables this long after it ended."""
    link_window_s: float = Field(120.0, ge=0, le=3600)
    """An ICWS interaction and a WCS call with the same remote number are linked when they are
    at most this far apart in time."""
