"""The ICWS simulator: a seeded contact centre behind real ICWS endpoints on loopback."""

from tui.sim.icws.cluster import IcwsSimulator
from tui.sim.icws.demo import IcwsDemo, start_icws_demo

__all__ = ["IcwsDemo", "IcwsSimulator", "start_icws_demo"]
