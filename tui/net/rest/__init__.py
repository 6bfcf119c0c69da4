"""REST clients for the browser's targets: one module per target kind, named after it.

``tui.net.rest.<kind>`` holds the kind's :class:`~tui.net.rest.base.RestClient` subclass, which
registers itself with :func:`~tui.net.rest.base.serves`; :func:`client_for` imports the module
of the target's kind on first use, so a new kind needs no change here.
"""

from __future__ import annotations

import contextlib
import importlib
from typing import TYPE_CHECKING, Any

from tui.core.targets import kind_of

if TYPE_CHECKING:
    from tui.config import Target
    from tui.net.rest.base import RestClient, StateCallback


def client_class(kind: str) -> type[RestClient]:
    """The client of a target kind (ValueError for a kind the registry does not declare)."""
    from tui.net.rest.base import CLIENTS

    name = kind_of(kind).name
    if name not in CLIENTS:
        importlib.import_module(f"{__name__}.{name}")
    return CLIENTS[name]


def client_for(target: Target, **kwargs: Any) -> RestClient:
    """A client for ``target`` (``secret``, ``on_state``, ``transport`` pass through)."""
    return client_class(target.kind)(target, **kwargs)


class RestClients:
    """The clients of a set of targets, one per target name, built on first use and kept (with
    their sessions, caches and connections) until :meth:`aclose` logs out and closes them all.
    :class:`~tui.services.Services` owns the console's; ``browse`` uses one for its request."""

    def __init__(self) -> None:
        self._clients: dict[str, RestClient] = {}
        self._retired: list[RestClient] = []  # replaced when their target changed

    def get(self, target: Target, *, on_state: StateCallback | None = None) -> RestClient:
        """The client of ``target``; ``on_state`` hears its link states."""
        client = self._clients.get(target.name)
        if client is not None and client.target == target:
            return client
        if client is not None:
            self._retired.append(client)
        client = client_for(target, on_state=on_state)
        self._clients[target.name] = client
        return client

    def __len__(self) -> int:
        return len(self._clients)

    async def aclose(self) -> None:
        """Log out of the SBCs and close every connection (a failure closing one is ignored)."""
        clients = [*self._clients.values(), *self._retired]
        self._clients.clear()
        self._retired.clear()
        for client in clients:
            with contextlib.suppress(Exception):
                await client.close()

    async def __aenter__(self) -> RestClients:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
