"""Shared pieces for the ICWS client tests: a list sink, configs, waiting for conditions."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from tui.config import IcwsServer
from tui.core.feed import FeedEvent
from tui.core.icws_state import IcwsState
from tui.core.sources import SourceBoard
from tui.net.icws import IcwsClient
from tui.sim.icws import IcwsSimulator

PASSWORD_ENV = "ICWS_TEST_PASSWORD"
PASSWORD = "s3cret-Pa55word"
WATCHED = ("Support", "Sales", "Outbound")


class ListSink:
    """The store's part in these tests: numbers events and keeps them with their raw."""

    def __init__(self) -> None:
        self.rows: list[tuple[FeedEvent, bytes]] = []

    def publish(self, event: FeedEvent, raw: bytes = b"", reply: bytes = b"") -> FeedEvent:
        numbered = event._replace(seq=len(self.rows) + 1)
        self.rows.append((numbered, raw))
        return numbered

    def events(self, **match: Any) -> list[FeedEvent]:
        return [e for e, _ in self.rows if all(getattr(e, k) == v for k, v in match.items())]


def icws_config(url: str, **overrides: Any) -> IcwsServer:
    data: dict[str, Any] = {
        "name": "cic-test",
        "url": url,
        "user": "noc",
        "password_env": PASSWORD_ENV,
        "poll_interval_s": 0.1,
        "use_sse": False,
        "request_timeout_s": 5,
        "reconnect_initial_s": 0.05,
        "reconnect_max_s": 0.4,
        "queues": [{"name": name} for name in WATCHED],
        "user_statuses": ["j.chen", "a.moreau", "m.rossi"],
        "statistics": [{"id": "inin.workgroup:InteractionsWaiting", "workgroup": "Support"}],
        "alert_notifications": True,
    }
    data.update(overrides)
    return IcwsServer.model_validate(data)


def make_client(
    url: str,
    *,
    clock: Callable[[], float] | None = None,
    http: httpx.AsyncClient | None = None,
    **overrides: Any,
) -> tuple[IcwsClient, ListSink, SourceBoard, IcwsState]:
    """A client on a test config; ``clock`` and ``http`` replace the client's own."""
    sink, board, state = ListSink(), SourceBoard(), IcwsState()
    extra: dict[str, Any] = {"http": http}
    if clock is not None:
        extra["clock"] = clock
    client = IcwsClient(icws_config(url, **overrides), sink, board, state, **extra)
    return client, sink, board, state


@contextlib.asynccontextmanager
async def running(client: IcwsClient) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(client.run())
    try:
        yield task
    finally:
        await client.aclose()
        if not task.done():
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def until(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Wait for a condition to hold (a bound on waiting, not a timing assertion)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"gave up waiting for: {what}")
        await asyncio.sleep(0.02)


def world_queues(sim: IcwsSimulator) -> dict[str, dict[str, str]]:
    """What the simulated server holds now, per watched workgroup: {interaction: Eic_State}."""

    def read() -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {name: {} for name in WATCHED}
        for item in sim.world.interactions.values():
            if item.workgroup in out:
                out[item.workgroup][item.interaction_id] = item.attributes["Eic_State"]
        return out

    return sim.run(read)


def client_queues(state: IcwsState) -> dict[str, dict[str, str]]:
    return {q.label: {i.interaction_id: i.state for i in q.interactions} for q in state.queues()}


def in_sync(sim: IcwsSimulator, state: IcwsState) -> bool:
    queues = state.queues()
    return (
        bool(queues)
        and not any(q.stale for q in queues)
        and client_queues(state) == world_queues(sim)
    )


MARK_TYPE = "urn:inin.com:licenses:licenseMessage"  # a type no subscription sends on its own


def mark(number: int) -> dict[str, Any]:
    """A numbered message to queue on the server, to count what reaches the sink."""
    return {"__type": MARK_TYPE, "isDelta": False, "mark": number}


def marks(sink: ListSink) -> list[int]:
    """The numbered messages that reached the sink, in the order they arrived."""
    return [
        json.loads(raw)["mark"] for e, raw in sink.rows if e.method == "licenses:licenseMessage"
    ]


def answered(sim: IcwsSimulator, status: int, path_end: str = "/messaging/messages") -> int:
    """How many requests to ``path_end`` the simulator answered with ``status`` (0: never)."""
    return sum(1 for r in list(sim.requests) if r.status == status and r.path.endswith(path_end))


def logins(sim: IcwsSimulator) -> int:
    return sum(1 for r in list(sim.requests) if r.method == "POST" and r.path == "/icws/connection")


def session_id(client: IcwsClient) -> str:
    return client.session.session_id if client.session is not None else ""
