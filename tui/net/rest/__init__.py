"""Building the right client for a target."""

from __future__ import annotations

from typing import Any

from tui.config import Target
from tui.net.cue_client import CueClient
from tui.net.mws_client import MwsClient
from tui.net.rest_client import RestClient
from tui.net.sbc_client import SbcClient

_CLIENTS: dict[str, type[RestClient]] = {"sbc": SbcClient, "cue": CueClient, "mws": MwsClient}


def make_client(target: Target, **kwargs: Any) -> RestClient:
    """The client for ``target`` (``secret``, ``on_state``, ``transport`` pass through)."""
    return _CLIENTS[target.kind](target, **kwargs)
