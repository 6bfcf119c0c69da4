"""Widgets for ICWS: the live state panel (queues, agents, statistics, alerts)."""

from tui.ui.widgets.icws.panel import IcwsStatePanel

__all__ = ["IcwsStatePanel"]
