"""The Managed WebSocket simulator: its REST API server."""

from tui.sim.mws.server import MwsSimulator, SimSocket

__all__ = ["MwsSimulator", "SimSocket"]
