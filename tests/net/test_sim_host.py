from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from tui.sim.host import SimHost


async def hello(scope, receive, send) -> None:
    assert scope["type"] == "http"
    body = f"{scope['method']} {scope['path']} on {threading.current_thread().name}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def test_serves_on_loopback_in_its_own_thread() -> None:
    with SimHost("sim-test") as host:
        url = host.serve(hello, name="hello")
        assert url.startswith("http://127.0.0.1:")
        reply = httpx.get(url + "/x")
        assert reply.text == "GET /x on sim-test"
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "/x", timeout=1)


async def test_usable_from_async_tests_and_runs_client_tasks() -> None:
    ticks: list[int] = []

    async def ticker() -> None:
        while True:
            ticks.append(1)
            await asyncio.sleep(0.001)

    host = SimHost().start()
    try:
        url = host.serve(hello)
        async with httpx.AsyncClient() as client:
            assert (await client.post(url + "/y")).text.startswith("POST /y")
        task = host.spawn(ticker())
        while not ticks:
            await asyncio.sleep(0.001)
    finally:
        host.stop()
    assert task.cancelled() or task.done()


def test_port_in_use_is_reported() -> None:
    with SimHost() as host:
        url = host.serve(hello)
        port = int(url.rsplit(":", 1)[1])
        with pytest.raises(OSError, match="in use"):
            host.serve(hello, port=port)
