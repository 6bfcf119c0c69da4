"""The PubAcks of one publisher window: what counts as stored, and how far the window got."""

from __future__ import annotations

import asyncio

from tui.config import NatsConfig
from tui.net.nats.publisher import JetStreamPublisher, WindowAcks

ACK = b'{"stream":"NOC","seq":7}'
DUPLICATE = b'{"stream":"NOC","seq":7,"duplicate": true}'
ERROR = b'{"error":{"code":503,"err_code":10077,"description":"maximum messages exceeded"}}'


async def window(size: int) -> WindowAcks:
    return WindowAcks(1, size, asyncio.get_running_loop().create_future())


async def test_the_window_is_done_once_every_message_has_its_answer() -> None:
    acks = await window(3)
    acks.answer(2, ACK, None)
    acks.answer(0, DUPLICATE, None)
    assert not acks.done.done() and acks.acked_prefix() == 1
    acks.answer(1, ACK, None)
    assert acks.done.done() and acks.acked_prefix() == 3
    assert acks.duplicates == 1


async def test_only_the_acknowledged_prefix_counts() -> None:
    """A refusal in the middle: the messages after it are sent again (their ids make the
    resend harmless), so only those before it are settled."""
    acks = await window(4)
    for index, reply in enumerate((ACK, ERROR, ACK, ACK)):
        acks.answer(index, reply, None)
    assert acks.done.done() and acks.acked_prefix() == 1


async def test_no_responders_and_junk_are_refusals_and_repeats_count_once() -> None:
    acks = await window(3)
    acks.answer(0, b"", "503")  # no stream takes the subject
    acks.answer(1, b"not json", None)
    acks.answer(1, ACK, None)  # the first answer stands
    acks.answer(9, ACK, None)  # no such message in this window
    assert acks.answered == 2 and acks.slots == [False, False, None]


async def test_a_window_cut_short_is_done_with_what_was_sent() -> None:
    acks = await window(5)
    acks.answer(0, ACK, None)
    acks.answer(1, ACK, None)
    acks.sent = 2  # the third publish failed
    acks.check()
    assert acks.done.done() and acks.acked_prefix() == 2


async def test_waits_for_acks_that_never_come_end_and_are_forgotten() -> None:
    """One sweep, not a timer per wait, ends the waits past ack_timeout_s: each hears False
    (its hook then waits for the journal) and nothing of it stays behind."""
    config = NatsConfig(urls=["nats://127.0.0.1:4222"], ack_timeout_s=0.05)
    publisher = JetStreamPublisher(config, "run1", options={})
    publisher._loop = asyncio.get_running_loop()
    publisher.up = True  # as if connected, with a server that never answers
    async with asyncio.timeout(5):
        assert await asyncio.gather(*(publisher.acked(seq) for seq in (1, 2, 3))) == [False] * 3
        publisher.up = True
        assert await publisher.acked(4) is False
    assert publisher._waiters == {} and not publisher._deadlines
