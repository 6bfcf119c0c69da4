"""The ICWS client: session, subscriptions, messaging channel (polling or SSE), recovery."""

from tui.net.icws.client import ClientStats, IcwsClient

__all__ = ["ClientStats", "IcwsClient"]
