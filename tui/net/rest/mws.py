"""The Managed WebSocket client: a bearer token on every request, ``/v1/…`` JSON."""

from __future__ import annotations

from typing import Any

from tui.net.rest.base import RestClient, serves


@serves("mws")
class MwsClient(RestClient):
    """One MWS server."""

    def _client_options(self) -> dict[str, Any]:
        return {
            "headers": {
                "accept": "application/json",
                "authorization": f"Bearer {self._secret}",
            }
        }

    def auth_lines(self) -> tuple[str, ...]:
        return ("Authorization: Bearer ••••••",)
