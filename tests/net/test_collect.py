"""`noc-console collect` against a real nats-server: answered means in the stream (or, while NATS
is away, in the journal and then in the stream), each hook exactly once, in order."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import nats
import pytest

from tests.nats_support import NatsServer, nats_server
from tui.cli.collect import Collector
from tui.config import AppConfig, HooksConfig, JournalConfig, NatsConfig

__all__ = ["nats_server"]

pytestmark = pytest.mark.slow


def collect_config(url: str, tmp_path: Path) -> AppConfig:
    return AppConfig(
        hooks=HooksConfig(port=0),
        journal=JournalConfig(dir=tmp_path / "journals"),
        nats=NatsConfig(urls=[url], ack_timeout_s=2.0, connect_timeout_s=1.0),
    )


async def stream_calls(url: str, stream: str = "NOC") -> list[str]:
    """The call ids of the stream's messages, in stream order."""
    client = await nats.connect(url)
    try:
        js = client.jetstream()
        info = await js.stream_info(stream)
        messages = [await js.get_msg(stream, s) for s in range(1, info.state.last_seq + 1)]
    finally:
        await client.close()
    return [json.loads(m.data or b"{}")["call"] for m in messages]


async def until(condition, timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


def hook(number: int) -> dict[str, str]:
    return {"nodeId": "n1@10.0.0.1", "callId": f"k{number}", "status": "NEW"}


async def test_hooks_are_answered_once_published(nats_server: NatsServer, tmp_path) -> None:
    collector = Collector(collect_config(nats_server.url, tmp_path))
    assert await collector.start() == []
    try:
        async with httpx.AsyncClient(base_url=collector.hook_url or "") as client:
            for number in range(20):
                answer = await client.post("apps/EchoApp/CallStatusEvent", json=hook(number))
                assert answer.status_code == 200
                # answered: JetStream has it already (no wait for the publisher here)
                assert collector.publisher.acked_upto >= number + 1
    finally:
        await collector.stop()
    assert await stream_calls(nats_server.url) == [f"k{n}" for n in range(20)]
    assert collector.gate.journalled_only == 0
    assert collector.summary() == "20 events published to NOC"


async def test_a_hook_the_journal_refused_still_waits_for_jetstream(
    nats_server: NatsServer, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A journal that cannot take an event (over max_pending_mb) does not make its hook's
    answer go out before JetStream has it."""
    config = collect_config(nats_server.url, tmp_path)
    config = config.model_copy(
        update={
            "hooks": HooksConfig(port=0, max_body_bytes=4 * 1024**2),
            "journal": JournalConfig(dir=tmp_path / "journals", max_pending_mb=1),
        }
    )
    collector = Collector(config)
    assert await collector.start() == []
    asked: list[int] = []
    acked = collector.publisher.acked

    async def spy(seq: int) -> bool:
        asked.append(seq)
        return await acked(seq)

    monkeypatch.setattr(collector.publisher, "acked", spy)
    big = {"callId": "big", "status": "NEW", "sdp": "v=0 " * 400_000}  # 1.6 MB
    try:
        async with httpx.AsyncClient(base_url=collector.hook_url or "") as client:
            answer = await client.post("apps/EchoApp/CallStatusEvent", json=big)
        assert answer.status_code == 200
        assert collector.services.not_journalled == 1  # the journal said no
        assert asked and collector.publisher.acked_upto >= asked[-1]  # JetStream said yes
    finally:
        await collector.stop()
    assert await stream_calls(nats_server.url) == ["big"]
