"""A seeded demo journal: the demo's timeline of WCS traffic (normal traffic, the carrier trunk
failure, WebRTC media trouble on node 2, a backend rejecting premium numbers…) played offline
through the real hook endpoint and the demo's policy rules, and a contact-centre surge from the
ICWS simulator; numbered by a FeedStore and written through a real Journal.

The test of the README's filter examples runs each one over what the journal holds.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from tui.config import HooksConfig
from tui.core.feed import FeedEvent
from tui.core.journal import Journal
from tui.core.protocols.icws import IcwsNormaliser
from tui.core.store import FeedStore
from tui.net.hooks.service import policy_from_config
from tui.sim.demo import DEMO_RULES, TIMELINE
from tui.sim.icws.load import surge_messages
from tui.sim.icws.world import WORKGROUPS
from tui.sim.offline import offline_acts
from tui.sim.wcs import Mix

START = datetime(2026, 3, 14, 5, 58, tzinfo=UTC)  # so that 06:00 falls inside the traffic
ICWS_MESSAGES = 400
SESSIONS_PER_ACT = 12


def seeded_journal(folder: Path) -> list[FeedEvent]:
    """Write the seeded traffic to a journal in ``folder``; returns the events it holds, read
    back from the journal (every one of them, in seq order)."""
    journal = Journal(folder / "demo.sqlite").open()
    try:
        store = FeedStore(100_000, journal=journal)
        policy = policy_from_config(HooksConfig(rules=DEMO_RULES))
        acts = [(Mix(**{"retry_rate": 0.0, **act.wcs}), SESSIONS_PER_ACT) for act in TIMELINE]
        feed = offline_acts(store, acts, start=START.timestamp(), seed=7, policy=policy)
        end = asyncio.run(feed)
        _icws_surge(store, START.timestamp(), end)
        assert journal.flush(), "the journal did not take every event"
        events = []
        for seq in journal.seqs():
            record = journal.fetch(seq)
            assert record is not None
            events.append(record.event)
        assert len(events) == store.received
        return events
    finally:
        journal.close()


def _icws_surge(store: FeedStore, start: float, end: float) -> None:
    """The surge's messages spread over the same stretch of time as the WCS traffic."""
    now = [start]
    normaliser = IcwsNormaliser("cic-demo", clock=lambda: now[0])
    normaliser.queue_labels = {f"q{i}": name for i, name in enumerate(WORKGROUPS)}
    messages = surge_messages(ICWS_MESSAGES)
    step = (end - start) / len(messages)
    for message in messages:
        for event, raw in normaliser.normalise(message):
            store.submit(event, raw)
        now[0] += step
    store.drain()
