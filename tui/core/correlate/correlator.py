"""The correlator: FeedEvents in, calls / streams / sessions / ICWS interactions out.

One pass, O(1) per event (dictionary lookups, an array append, an ordered-dict move), bounded:
each kind keeps at most ``max_groups`` groups, and a group that ended leaves the live tables
``keep_ended_s`` after it ended (event time, so a replay ages them the same way). The journal
keeps every event; a group keeps the seqs of its events to find them there.

Arrival order is not trusted: first/last are the earliest and latest event times, a call never
moves back to an earlier status, and an ending sticks (a late RING after FINISH is counted, not
obeyed). A WCS retry (flagged duplicate) joins the story without changing it.

Links: an ICWS interaction and a WCS call are linked when they share a remote number (the last
digits of the interaction's Eic_RemoteTn and the call's caller or callee) within
``link_window_s``; each side says why.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tui.core.correlate.groups import Group, NodeHealth
from tui.core.correlate.rates import RateWindow
from tui.core.correlate.states import (
    CALL_PROGRESS,
    KIND_CALL,
    KIND_INTERACTION,
    KIND_SESSION,
    KIND_STREAM,
    KINDS,
    STREAM_LIVE,
    is_ending,
)
from tui.core.feed import FLAG_DUPLICATE, SEV_ERROR, SOURCE_ICWS, SOURCE_WCS, FeedEvent

_DIGITS = re.compile(r"\D+")
SESSION_METHODS = frozenset({"connect", "ConnectionStatusEvent"})
NUMBER_DIGITS = 10  # numbers are compared on their last ten digits (country prefixes differ)
MIN_NUMBER_DIGITS = 4


def number_key(text: str) -> str:
    """The part of a phone number two systems agree on: its last digits ("" if too short)."""
    digits = _DIGITS.sub("", text.split("@", 1)[0])
    return digits[-NUMBER_DIGITS:] if len(digits) >= MIN_NUMBER_DIGITS else ""


@dataclass(frozen=True)
class CorrelatorLimits:
    """How much the correlator keeps (the ``[correlate]`` section fills it)."""

    max_groups: int = 100_000  # per kind
    keep_ended_s: float = 300.0
    max_members: int = 64  # a stream's media sessions, a session's calls and streams
    link_window_s: float = 120.0


class Correlator:
    """Groups events as they come; the Calls screen and ``noc-console calls`` read it."""

    def __init__(self, limits: CorrelatorLimits | None = None) -> None:
        self.limits = limits or CorrelatorLimits()
        # Per kind, table id → group, oldest first (the oldest goes when a table is full).
        self._groups: dict[str, OrderedDict[str, Group]] = {k: OrderedDict() for k in KINDS}
        # Ended groups in order of ending (8 bytes each). One evicted or moved aside meanwhile
        # is skipped when it reaches the front.
        self._ended: deque[Group] = deque()
        self._wcs_numbers: dict[str, str] = {}  # number → id of the latest call with it
        self._icws_numbers: dict[str, str] = {}  # number → id of the latest interaction
        self._keyed: dict[str, str] = {}  # link key (a WCS callId) → interaction id
        self._orphans: dict[str, list[str]] = {}  # an A-leg not seen yet → its B-legs' ids
        self.live: dict[str, Counter[str]] = {k: Counter() for k in KINDS}  # state → groups
        self.ended: dict[str, Counter[str]] = {k: Counter() for k in KINDS}  # final → groups
        self.nodes: dict[str, NodeHealth] = {}
        self.now = 0.0  # the latest event time seen
        self.rates = RateWindow()  # events and failures per second, the last minute
        self.last_seq = 0  # the highest seq folded (what a checkpoint is "as of")
        # Groups changed since the last checkpoint, kept only when someone takes them (a
        # console with a journal): otherwise the dict would hold every group ever seen.
        self.track_changes = False
        self._changed: dict[int, Group] = {}
        self.events = 0
        self.evicted = 0  # groups dropped over the bound (not aged out)
        self.aged_out = 0
        self._since_expiry = 0

    # -- reading ------------------------------------------------------------------------

    def groups(self, kind: str) -> list[Group]:
        """The groups of one kind in the live tables, oldest first."""
        return list(self._groups[kind].values())

    def __iter__(self) -> Iterator[Group]:
        for kind in KINDS:
            yield from self._groups[kind].values()

    def __len__(self) -> int:
        return sum(len(g) for g in self._groups.values())

    def get(self, key: str) -> Group | None:
        """The group with this key (``call:<id>``)."""
        kind, _, table_id = key.partition(":")
        table = self._groups.get(kind)
        return table.get(table_id) if table is not None else None

    def find(self, ident: str) -> list[Group]:
        """Groups whose id (or key) is ``ident``, or starts with it when it ends in ``*``."""
        if ident.endswith("*"):
            prefix = ident[:-1]
            return [g for g in self if g.id.startswith(prefix) or g.key.startswith(prefix)]
        if ":" in ident and (group := self.get(ident)) is not None:
            return [group]
        return [t[ident] for t in self._groups.values() if ident in t]

    def children_of(self, session: Group) -> list[Group]:
        """A session's calls and streams that are still in the live tables."""
        calls, streams = self._groups[KIND_CALL], self._groups[KIND_STREAM]
        found = []
        for ident in session.children or ():
            group = calls.get(ident) or streams.get(ident)
            if group is not None:
                found.append(group)
        return found

    def groups_of(self, event: FeedEvent) -> list[Group]:
        """The live groups an event belongs to (the feed's "open its ladder" key)."""
        return [
            group
            for kind, ident in _idents(event)
            if (group := self._groups[kind].get(ident)) is not None
        ]

    # -- ingest -------------------------------------------------------------------------

    def add_all(self, events: Iterable[FeedEvent]) -> None:
        for event in events:
            self.add(event)

    def add(self, event: FeedEvent) -> None:
        """Fold one event into its groups (O(1))."""
        if event.source != SOURCE_WCS and event.source != SOURCE_ICWS:
            return
        self.events += 1
        if event.seq > self.last_seq:
            self.last_seq = event.seq
        ts = event.ts
        self.rates.count(ts, event.severity >= SEV_ERROR)
        if ts > self.now:
            self.now = ts
        if event.node:
            self._node(event)
        for kind, ident in _idents(event):
            self._fold(kind, ident, event)
        self._since_expiry += 1
        if self._since_expiry >= 1024:
            self.expire()

    def expire(self, now: float | None = None) -> int:
        """Drop groups that ended more than ``keep_ended_s`` before ``now`` (default: the
        latest event time); returns how many went."""
        self._since_expiry = 0
        cutoff = (self.now if now is None else now) - self.limits.keep_ended_s
        gone = 0
        ended = self._ended
        bound = 4 * self.limits.max_groups
        while ended:
            group = ended[0]
            if group.ended_ts > cutoff and len(ended) <= bound:
                break
            ended.popleft()
            if self._groups[group.kind].get(group.table_id) is group:
                self._drop(group)
                gone += 1
        self.aged_out += gone
        return gone

    # -- checkpoints ------------------------------------------------------------------------

    def take_changed(self) -> list[Group]:
        """The groups changed since the last call (those since dropped included), for the
        journal's checkpoint; the next call starts afresh."""
        changed = list(self._changed.values())
        self._changed = {}
        return changed

    def restore(self, groups: list[Group], last_seq: int) -> None:
        """Start from a checkpoint: these groups (as :meth:`take_changed` gave them, then read
        back), as of event ``last_seq``; events after it are folded on top with :meth:`add`."""
        for group in sorted(groups, key=lambda g: (g.first, g.key)):
            table = self._groups[group.kind]
            if group.table_id in table:
                continue
            table[group.table_id] = group
            if group.ended:
                self.ended[group.kind][group.final_status] += 1
                self._ended.append(group)
            elif group.state:
                self._count_live(group.kind, group.state, +1)
            numbers = self._wcs_numbers if group.kind == KIND_CALL else self._icws_numbers
            if group.kind in (KIND_CALL, KIND_INTERACTION):
                for number in (number_key(group.caller), number_key(group.callee)):
                    if number:
                        numbers[number] = group.table_id
            self.now = max(self.now, group.last)
        self.last_seq = max(self.last_seq, last_seq)

    # -- the work -----------------------------------------------------------------------

    def _node(self, event: FeedEvent) -> None:
        health = self.nodes.get(event.node)
        if health is None:
            if len(self.nodes) >= 4096:  # node ids are remote text: bounded like everything
                return
            health = self.nodes[event.node] = NodeHealth(event.node)
        health.events += 1
        if event.ts > health.last_ts:
            health.last_ts = event.ts
        if event.method == "StreamKeepAliveEvent" and event.ts > health.last_keepalive_ts:
            health.last_keepalive_ts = event.ts
        if event.severity >= SEV_ERROR:
            health.failures += 1

    def _fold(self, kind: str, ident: str, event: FeedEvent) -> None:
        group = self._group_for(kind, ident, event)
        ts = event.ts
        if ts < group.first:
            group.first = ts
        if ts > group.last:
            group.last = ts
        group.events += 1
        group.seqs.append(event.seq)
        if self.track_changes:
            self._changed[id(group)] = group
        if event.node and event.node != group.node:
            if not group.node:
                group.node = event.node
            elif event.node not in group.other_nodes and len(group.other_nodes) < 4:
                group.other_nodes += (event.node,)
        if event.severity >= SEV_ERROR:
            group.errors += 1
        if event.reply_status:
            group.replies += 1
            group.last_reply = event.reply_status
            if event.latency_ms > group.max_latency_ms:
                group.max_latency_ms = event.latency_ms
            if event.reply_status == 403 and event.rule:
                group.refused += 1
                group.rule = event.rule
        numbered = False  # a number seen for the first time: the one moment to look for a link
        if kind in (KIND_CALL, KIND_INTERACTION):  # a session's calls have their own
            if not group.caller and event.caller:
                group.caller = event.caller
                numbered = True
            if not group.callee and event.callee:
                group.callee = event.callee
                numbered = True
            if event.sip_status and (not group.ended or not group.sip_status):
                group.sip_status = event.sip_status
        if event.queue and not group.queue:
            group.queue = event.queue
        if event.user:
            group.user = event.user
        if kind == KIND_INTERACTION:
            if event.session and not group.linked:
                self._link_by_key(group, event.session)
        elif kind != KIND_SESSION and event.session and not group.session:
            group.session = event.session
        if kind == KIND_CALL:
            if group.events == 1 and self._keyed:
                self._link_call_by_key(group)
            if event.parent and not group.parent and event.parent != group.id:
                self._b_leg(group, event.parent)
            elif group.events == 1 and group.id in self._orphans:
                self._adopt(group)
        if numbered:
            self._link(group, event)
        if event.flags & FLAG_DUPLICATE:
            group.duplicates += 1
            return  # a retry: part of the story, not a new turn in it
        if event.status and (kind != KIND_SESSION or event.method in SESSION_METHODS):
            self._status(group, event)  # a session's state is its connection's, not its calls'
        if kind == KIND_SESSION:
            self._session_members(group, event)

    def _group_for(self, kind: str, ident: str, event: FeedEvent) -> Group:
        group = self._groups[kind].get(ident)
        if (
            group is not None
            and kind == KIND_STREAM
            and group.ended
            and event.ts > group.ended_ts
            and event.status in STREAM_LIVE
        ):
            self._retire(group)  # a stream name published again after its end is a new stream
            group = None
        if group is None:
            group = self._new_group(kind, ident, event)
        return group

    def _retire(self, group: Group) -> None:
        """Move an ended stream aside (``name#n``) so its name starts a new one."""
        table = self._groups[group.kind]
        n = 1
        while f"{group.id}#{n}" in table:
            n += 1
        del table[group.id]
        group.generation = n
        table[group.table_id] = group
        if self.track_changes:  # its key changed: the next checkpoint writes it under the new one
            self._changed[id(group)] = group

    def _new_group(self, kind: str, ident: str, event: FeedEvent) -> Group:
        table = self._groups[kind]
        if len(table) >= self.limits.max_groups:
            _, oldest = next(iter(table.items()))  # the oldest goes: a monitor never stops
            self._drop(oldest)
            self.evicted += 1
        group = Group(kind=kind, id=ident, first=event.ts, last=event.ts)
        table[ident] = group
        return group

    def _drop(self, group: Group) -> None:
        table = self._groups[group.kind]
        if table.pop(group.table_id, None) is None:
            return
        if group.ended:
            self.ended[group.kind][group.final_status] -= 1
            if self.ended[group.kind][group.final_status] <= 0:
                del self.ended[group.kind][group.final_status]
        elif group.state:
            self._count_live(group.kind, group.state, -1)

    def _count_live(self, kind: str, state: str, step: int) -> None:
        counter = self.live[kind]
        counter[state] += step
        if counter[state] <= 0:
            del counter[state]

    def _status(self, group: Group, event: FeedEvent) -> None:
        kind, status = group.kind, event.status
        if group.ended:
            return  # an ending sticks; a late status is counted, not obeyed
        if kind == KIND_STREAM and event.media:
            self._stream_member(group, event)
            status = self._stream_state(group, event)
        if is_ending(kind, status):
            self._end(group, status, event)
            return
        if kind == KIND_CALL:
            progress = CALL_PROGRESS.get(status, group.progress)  # unknown: no step either way
            if progress < group.progress:
                return  # TRYING after RING: an earlier status that arrived late
            if progress == group.progress and event.ts < group.state_ts:
                return  # HOLD and ESTABLISHED share a step: the later one by time wins
            group.progress = progress
        elif kind != KIND_STREAM and event.ts < group.state_ts:
            return
        self._set_state(group, status, event.ts)

    def _set_state(self, group: Group, status: str, ts: float) -> None:
        if group.state != status:
            if group.state:
                self._count_live(group.kind, group.state, -1)
            self._count_live(group.kind, status, +1)
            group.state = status
        group.state_ts = max(group.state_ts, ts)

    def _end(self, group: Group, status: str, event: FeedEvent) -> None:
        if group.state:
            self._count_live(group.kind, group.state, -1)
        group.state = status
        group.state_ts = event.ts
        group.final_status = status
        group.ended_ts = max(event.ts, group.last)
        if event.info:
            group.reason = event.info
        self.ended[group.kind][status] += 1
        self._ended.append(group)

    def _stream_member(self, group: Group, event: FeedEvent) -> None:
        media = group.media
        if media is None:
            media = group.media = {}
        if event.media in media or len(media) < self.limits.max_members:
            media[event.media] = event.status
        else:
            group.more_members += 1

    def _stream_state(self, group: Group, event: FeedEvent) -> str:
        """A stream is as live as its liveliest media session; it ends when all have ended
        (FAILED if its publisher failed)."""
        media = group.media or {}
        live = [s for s in media.values() if s in STREAM_LIVE]
        if live:
            return max(live, key=lambda s: STREAM_LIVE[s])
        if event.status == "FAILED" or "FAILED" in media.values():
            return "FAILED"
        return event.status

    def _session_members(self, group: Group, event: FeedEvent) -> None:
        for ident in (event.call, event.stream):
            if not ident:
                continue
            children = group.children
            if children is None:
                children = group.children = []
            elif ident in children:  # a short list: at most max_members
                continue
            if len(children) < self.limits.max_members:
                children.append(ident)  # the event's own string: no new one per child
            else:
                group.more_members += 1

    def _b_leg(self, leg: Group, parent_id: str) -> None:
        """A B-leg names its A-leg (parentCallId): each knows the other."""
        leg.parent = parent_id
        parent = self._groups[KIND_CALL].get(parent_id)
        if parent is None:  # the A-leg may come later (or is gone from the live table)
            waiting = self._orphans.setdefault(parent_id, [])
            if len(waiting) < self.limits.max_members:  # remote text: bounded like the rest
                waiting.append(leg.table_id)
            if len(self._orphans) > self.limits.max_groups:
                self._orphans.pop(next(iter(self._orphans)))
            return
        self._add_leg(parent, leg.id)

    def _adopt(self, parent: Group) -> None:
        for leg_id in self._orphans.pop(parent.id, []):
            self._add_leg(parent, leg_id)

    def _add_leg(self, parent: Group, leg_id: str) -> None:
        legs = parent.children
        if legs is None:
            legs = parent.children = []
        if leg_id in legs:
            return
        if len(legs) < self.limits.max_members:
            legs.append(leg_id)
        else:
            parent.more_members += 1
        if self.track_changes:
            self._changed[id(parent)] = parent

    def legs_of(self, call: Group) -> list[Group]:
        """A call's B-legs still in the live tables."""
        calls = self._groups[KIND_CALL]
        return [leg for ident in call.children or () if (leg := calls.get(ident)) is not None]

    def _link_by_key(self, interaction: Group, key: str) -> None:
        """The interaction names a WCS call by its callId (the configured link attribute)."""
        call = self._groups[KIND_CALL].get(key)
        if call is None:
            self._keyed[key] = interaction.table_id  # the call may come later
            if len(self._keyed) > 4 * self.limits.max_groups:
                self._keyed.pop(next(iter(self._keyed)))
            return
        self._join(call, interaction, "the interaction's link attribute names this WCS call")

    def _link_call_by_key(self, call: Group) -> None:
        ident = self._keyed.pop(call.id, None)
        interaction = self._groups[KIND_INTERACTION].get(ident) if ident else None
        if interaction is not None and not interaction.linked:
            self._join(call, interaction, "the interaction's link attribute names this WCS call")

    def _join(self, call: Group, interaction: Group, why: str) -> None:
        """Link them; a configured key wins over a match of numbers made earlier."""
        for group in (call, interaction):
            previous = self.get(group.linked) if group.linked else None
            if previous is not None and previous not in (call, interaction):
                previous.linked = previous.link_why = ""
        call.linked, call.link_why = interaction.key, why
        interaction.linked, interaction.link_why = call.key, why

    def _link(self, group: Group, event: FeedEvent) -> None:
        numbers = [n for n in (number_key(event.caller), number_key(event.callee)) if n]
        if not numbers:
            return
        wcs = group.kind == KIND_CALL
        mine, theirs = (
            (self._wcs_numbers, self._icws_numbers)
            if wcs
            else (self._icws_numbers, self._wcs_numbers)
        )
        other_table = self._groups[KIND_INTERACTION if wcs else KIND_CALL]
        for number in numbers:
            mine[number] = group.table_id
            if len(mine) > 4 * self.limits.max_groups:
                mine.pop(next(iter(mine)))
            if group.linked:
                continue
            other = other_table.get(theirs.get(number, ""))
            if other is None or other.linked:
                continue
            if abs(other.last - event.ts) > self.limits.link_window_s:
                continue
            call = group if group.kind == KIND_CALL else other
            side = "caller" if number_key(call.caller) == number else "callee"
            why = f"remote number …{number[-6:]}: the interaction's number is the WCS call's {side}"
            group.linked, group.link_why = other.key, why
            other.linked, other.link_why = group.key, why


def _idents(event: FeedEvent) -> Iterator[tuple[str, str]]:
    """(kind, id) of every group an event belongs to."""
    if event.source == SOURCE_ICWS:
        if event.call:
            yield KIND_INTERACTION, event.call
        return
    if event.call:
        yield KIND_CALL, event.call
    if event.stream:
        yield KIND_STREAM, event.stream
    if event.session:
        yield KIND_SESSION, event.session
