"""The ICWS client: session, subscriptions, messaging channel (polling or SSE), recovery."""

from tui.net.icws.client import ClientStats, IcwsClient
from tui.net.icws.fleet import IcwsFleet

__all__ = ["ClientStats", "IcwsClient", "IcwsFleet"]
