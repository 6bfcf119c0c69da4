"""REST clients for the browser's targets: building the right client for a target."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.config import Target
    from tui.net.rest.base import RestClient


def make_client(target: Target, **kwargs: Any) -> RestClient:
    """The client for ``target`` (``secret``, ``on_state``, ``transport`` pass through)."""
    from tui.net.rest.cue import CueClient
    from tui.net.rest.mws import MwsClient
    from tui.net.rest.sbc import SbcClient

    clients: dict[str, type[RestClient]] = {"sbc": SbcClient, "cue": CueClient, "mws": MwsClient}
    return clients[target.kind](target, **kwargs)
