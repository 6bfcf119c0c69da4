"""Faults `noc-console collect` survives, against a real nats-server: NATS restarted while hooks
flow, the collector killed with SIGKILL and restarted. Each answered hook is in the stream
exactly once (and, for one collector posting one hook after another, in order)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from tests.nats_support import NatsServer, nats_server
from tests.net.test_collect import collect_config, hook, stream_calls, until
from tui.cli.collect import Collector

__all__ = ["nats_server"]

pytestmark = pytest.mark.slow


async def test_nats_restarted_while_hooks_flow(nats_server: NatsServer, tmp_path) -> None:
    collector = Collector(collect_config(nats_server.url, tmp_path))
    assert await collector.start() == []
    answered: list[str] = []
    posting = True

    async def post() -> None:
        async with httpx.AsyncClient(base_url=collector.hook_url or "") as client:
            number = 0
            while posting:
                answer = await client.post("apps/EchoApp/CallStatusEvent", json=hook(number))
                assert answer.status_code == 200
                answered.append(f"k{number}")
                number += 1

    poster = asyncio.create_task(post())
    try:
        await until(lambda: len(answered) >= 30)
        await asyncio.to_thread(nats_server.stop)
        mark = len(answered)
        await until(lambda: len(answered) >= mark + 30)  # answered on the journal's word
        assert not collector.publisher.up
        await asyncio.to_thread(nats_server.start)
        await until(lambda: collector.publisher.up and collector.publisher.backlog == 0)
        mark = len(answered)
        await until(lambda: len(answered) >= mark + 30)
        posting = False
        await poster
    finally:
        posting = False
        await asyncio.gather(poster, return_exceptions=True)
        await collector.stop()
    assert collector.gate.journalled_only >= 30
    assert await stream_calls(nats_server.url) == answered  # every one, once, in order


def start_collect(config: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "collect", "--config", str(config),
         "--listen", "127.0.0.1:0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )  # fmt: skip
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        if match:
            threading.Thread(target=process.stderr.read, daemon=True).start()  # keep it drained
            return process, match.group(1) + "/"
    raise AssertionError(f"collect did not start: {''.join(seen)}")


def post_until(url: str, answered: list[str], first: int, stop: threading.Event) -> None:
    """Post hooks one after another until ``stop`` (or the collector dies)."""
    with httpx.Client(base_url=url, timeout=10.0) as client:
        number = first
        while not stop.is_set():
            try:
                answer = client.post("apps/EchoApp/CallStatusEvent", json=hook(number))
            except httpx.HTTPError:
                return  # killed mid-request: this hook was never answered
            assert answer.status_code == 200
            answered.append(f"k{number}")
            number += 1


async def test_collector_killed_and_restarted(
    nats_server: NatsServer, write_config, tmp_path: Path
) -> None:
    journals = tmp_path / "journals"
    config = write_config(f"[nats]\nurls = ['{nats_server.url}']\n[journal]\ndir = '{journals}'\n")
    answered: list[str] = []
    process, url = start_collect(config)
    stop = threading.Event()
    poster = threading.Thread(target=post_until, args=(url, answered, 0, stop))
    poster.start()
    try:
        await until(lambda: len(answered) >= 100)
        process.kill()  # kill -9 while hooks flow
        process.wait(10)
        poster.join(10)
        assert not poster.is_alive()
        process, url = start_collect(config)
        stop.set()  # the second run: a few hooks, one after another
        stop_again = threading.Event()
        tail: list[str] = []
        second = threading.Thread(target=post_until, args=(url, tail, 10_000, stop_again))
        second.start()
        await until(lambda: len(tail) >= 10)
        stop_again.set()
        second.join(10)
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
    finally:
        stop.set()
        if process.poll() is None:
            process.kill()
    stored = await stream_calls(nats_server.url)
    assert len(stored) == len(set(stored))  # nothing twice
    assert set(answered + tail) <= set(stored)  # every answered hook is in the stream
    assert len(stored) - len(answered + tail) <= 1  # at most the one the kill cut short
    assert len(list(journals.glob("*-collect-*.sqlite"))) == 2  # one journal per run


async def test_collector_killed_while_nats_is_away(
    nats_server: NatsServer, write_config, tmp_path: Path
) -> None:
    """Hooks answered on the journal's word alone, then kill -9: the next run sends them."""
    journals = tmp_path / "journals"
    config = write_config(
        f"[nats]\nurls = ['{nats_server.url}']\nconnect_timeout_s = 0.5\n"
        f"[journal]\ndir = '{journals}'\n"
    )
    nats_server.stop()
    process, url = start_collect(config)
    answered: list[str] = []
    try:
        with httpx.Client(base_url=url, timeout=10.0) as client:
            for number in range(30):
                answer = client.post("apps/EchoApp/CallStatusEvent", json=hook(number))
                assert answer.status_code == 200
                answered.append(f"k{number}")
        process.kill()
        process.wait(10)
        nats_server.start()
        process, url = start_collect(config)
        with httpx.Client(base_url=url, timeout=10.0) as client:
            answer = client.post("apps/EchoApp/CallStatusEvent", json=hook(100))
            assert answer.status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    # the ended run's backlog first, in order, then the new run's hook; each once
    assert await stream_calls(nats_server.url) == [*answered, "k100"]
    assert list(journals.glob("*.nats.json")) != []  # the new run's mark stays
