"""The suite's own nats-server: it starts, keeps JetStream data across a restart, and stops."""

from __future__ import annotations

import nats
import pytest

from tests.nats_support import NatsServer, nats_server

__all__ = ["nats_server"]

pytestmark = pytest.mark.slow


async def test_jetstream_keeps_messages_across_a_restart(nats_server: NatsServer) -> None:
    client = await nats.connect(nats_server.url)
    js = client.jetstream()
    await js.add_stream(name="PROBE", subjects=["probe.>"])
    ack = await js.publish("probe.one", b"kept", headers={"Nats-Msg-Id": "m1"})
    assert (ack.stream, ack.seq, ack.duplicate) == ("PROBE", 1, None)
    await client.close()

    nats_server.restart()
    assert nats_server.running

    client = await nats.connect(nats_server.url)
    js = client.jetstream()
    again = await js.publish("probe.one", b"kept", headers={"Nats-Msg-Id": "m1"})
    assert again.duplicate is True  # the dedupe window survived the restart too
    message = await js.get_msg("PROBE", 1)
    assert message.data == b"kept"
    await client.close()
    nats_server.stop()
    assert not nats_server.running
