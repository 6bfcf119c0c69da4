"""Correlation: the events of one call, stream, client session or ICWS interaction as one story
(pure: the Calls screen, the ladder and ``noc-console calls`` / ``ladder`` share it)."""

from tui.core.correlate.correlator import Correlator, CorrelatorLimits, number_key
from tui.core.correlate.groups import Group, NodeHealth
from tui.core.correlate.states import (
    KIND_CALL,
    KIND_INTERACTION,
    KIND_SESSION,
    KIND_STREAM,
    KINDS,
)

__all__ = [
    "KINDS",
    "KIND_CALL",
    "KIND_INTERACTION",
    "KIND_SESSION",
    "KIND_STREAM",
    "Correlator",
    "CorrelatorLimits",
    "Group",
    "NodeHealth",
    "number_key",
]
