"""The ICWS client: session, subscriptions, messaging channel (polling or SSE), recovery.

Problems are reported as feed events; tracebacks go to the ``tui.net.icws`` logger, which
has a NullHandler so that, without logging configured, nothing reaches stderr (where
Textual draws the screen).
"""

import logging

from tui.net.icws.client import IcwsClient
from tui.net.icws.fleet import IcwsFleet
from tui.net.icws.stats import ClientStats

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["ClientStats", "IcwsClient", "IcwsFleet"]
