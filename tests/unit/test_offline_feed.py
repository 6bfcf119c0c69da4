"""The offline feed (screenshots, UI tests, the README's journal) plays the WCS simulator's
traffic straight into the hook app, on a virtual clock: no socket, no HTTP client."""

from __future__ import annotations

import httpx
import pytest

from tui.core.store import FeedStore
from tui.sim.offline import offline_feed


async def test_the_offline_feed_fills_the_store_without_an_http_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_client(*args: object, **kwargs: object) -> httpx.AsyncClient:
        raise AssertionError("the offline feed made an HTTP client")

    monkeypatch.setattr(httpx, "AsyncClient", no_client)
    store = FeedStore(10_000)
    end = await offline_feed(store, start=1_000.0, sessions=6)
    assert end > 1_000.0
    events = [store.event(seq) for seq in range(store.first_seq, store.last_seq + 1)]
    assert len(events) > 6  # every session posts several hooks
    assert {event.method for event in events if event} >= {"connect", "CallStatusEvent"}
