"""Replaying journals through the live console's own path (store, correlator, views)."""

from tui.core.replay.player import SPEEDS, Player, speed_label
from tui.core.replay.replay import Replay, ReplayState
from tui.core.replay.timeline import Timeline

__all__ = ["SPEEDS", "Player", "Replay", "ReplayState", "Timeline", "speed_label"]
