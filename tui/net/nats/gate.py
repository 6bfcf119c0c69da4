"""Holding a hook's reply until JetStream has its event, or else until the journal has it."""

from __future__ import annotations

from tui.core.journal import Journal
from tui.net.hooks.journal_gate import JournalGate
from tui.net.nats.publisher import JetStreamPublisher


class PublishGate(JournalGate):
    """Answers once JetStream acknowledged the event; while NATS is unreachable (or its ack is
    late), once the local journal committed it: the publisher sends it when NATS is back."""

    def __init__(
        self, journal: Journal, publisher: JetStreamPublisher, *, timeout_s: float = 5.0
    ) -> None:
        super().__init__(journal, timeout_s=timeout_s)
        self.publisher = publisher
        self.journalled_only = 0  # replies that went out on the journal's word alone

    async def wait(self, seq: int) -> bool:
        if await self.publisher.acked(seq):
            return True
        self.journalled_only += 1
        return await super().wait(seq)
