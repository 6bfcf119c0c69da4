"""Holding a hook's reply until JetStream has its event, or else until the journal has it."""

from __future__ import annotations

from tui.core.journal import Journal
from tui.core.store import Submitted
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

    async def hold(self, submitted: Submitted) -> bool:
        """JetStream's ack, else (NATS away, or the ack late) the journal's commit; an event
        the journal refused as well is answered at once (and counted by the journal)."""
        if await self.publisher.acked(submitted.seq):
            return True
        if not submitted.journalled:
            return False
        self.journalled_only += 1
        return await self.wait(submitted.seq)
