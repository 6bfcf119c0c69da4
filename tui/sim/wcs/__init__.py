"""The WCS simulator: nodes posting real REST hooks, and a backend for tap mode."""

from tui.sim.wcs.simulator import Mix, WcsSimulator

__all__ = ["Mix", "WcsSimulator"]
