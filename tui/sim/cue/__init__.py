"""The Cisco Unity Express simulator: its REST PI server."""

from tui.sim.cue.server import CueSimulator

__all__ = ["CueSimulator"]
