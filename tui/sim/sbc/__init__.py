"""The Ribbon SBC simulator: its REST server and the configuration tree it serves."""

from tui.sim.sbc.server import IncidentSchedule, SbcSimulator

__all__ = ["IncidentSchedule", "SbcSimulator"]
