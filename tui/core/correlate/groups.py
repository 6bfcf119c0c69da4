"""A group: everything the console knows about one call, stream, client session or ICWS
interaction, kept small (the bodies stay in the journal, found again by the group's seqs)."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any

from tui.core.correlate.states import is_failure
from tui.core.feed import iso_time


def _seqs() -> array[int]:
    return array("q")


@dataclass(slots=True, eq=False)
class Group:
    """One call / stream / session / interaction as the events so far tell it.

    ``state`` is where it is now; ``final_status`` the status that ended it ("" while live).
    Times are event times (seconds since the epoch), so a replay builds the same groups.
    """

    kind: str
    id: str  # the id the protocol gives: callId, stream name, sessionId, interaction id
    first: float
    last: float
    node: str = ""
    other_nodes: tuple[str, ...] = ()
    state: str = ""
    state_ts: float = float("-inf")
    progress: int = -1
    final_status: str = ""
    ended_ts: float = 0.0
    sip_status: int = 0
    reason: str = ""  # the info text of the ending (or of the failure that came first)
    caller: str = ""
    callee: str = ""
    queue: str = ""
    user: str = ""
    session: str = ""  # a call's or stream's client session
    parent: str = ""  # a B-leg's A-leg (WCS parentCallId)
    events: int = 0
    errors: int = 0
    duplicates: int = 0
    replies: int = 0
    refused: int = 0
    rule: str = ""  # the policy rule that refused it, or the console's reason
    last_reply: int = 0
    max_latency_ms: float = -1.0
    linked: str = ""  # key of the group this one is linked to
    link_why: str = ""
    seqs: array[int] = field(default_factory=_seqs)
    media: dict[str, str] | None = None  # a stream's media sessions → their status
    children: list[str] | None = None  # a session's calls and streams; a call's B-legs (ids)
    more_members: int = 0  # media sessions or children not kept (over the bound)
    generation: int = 0  # a stream name used again: 1 for the first earlier one, 2…

    @property
    def table_id(self) -> str:
        """The id in its kind's table: the id, or ``id#n`` for an earlier use of a stream name."""
        return f"{self.id}#{self.generation}" if self.generation else self.id

    @property
    def key(self) -> str:
        """Unique among all groups: ``call:<id>``, ``stream:<name>#1``…"""
        return f"{self.kind}:{self.table_id}"

    @property
    def members(self) -> int:
        return len(self.media or self.children or ()) + self.more_members

    @property
    def ended(self) -> bool:
        return bool(self.final_status)

    @property
    def failed(self) -> bool:
        return is_failure(self.final_status, self.sip_status) or self.refused > 0

    @property
    def duration_s(self) -> float:
        return max(0.0, self.last - self.first)

    @property
    def nodes(self) -> tuple[str, ...]:
        return ((self.node,) if self.node else ()) + self.other_nodes

    def to_json(self) -> dict[str, Any]:
        """The headless form (``noc-console calls --json``)."""
        out: dict[str, Any] = {
            "id": self.id,
            "key": self.key,
            "kind": self.kind,
            "node": self.node or None,
            "caller": self.caller or None,
            "callee": self.callee or None,
            "first": iso_time(self.first),
            "last": iso_time(self.last),
            "duration_s": round(self.duration_s, 3),
            "state": self.state or None,
            "final_status": self.final_status or None,
            "sip_status": self.sip_status or None,
            "reason": self.reason or None,
            "events": self.events,
            "linked": self.linked or None,
        }
        if self.other_nodes:
            out["nodes"] = list(self.nodes)
        if self.link_why:
            out["link_why"] = self.link_why
        if self.refused:
            out["refused"] = self.refused
            out["rule"] = self.rule or None
        if self.replies:
            out["replies"] = self.replies
            out["last_reply"] = self.last_reply
            out["max_latency_ms"] = round(self.max_latency_ms, 3)
        if self.duplicates:
            out["duplicates"] = self.duplicates
        if self.queue:
            out["queue"] = self.queue
        if self.user:
            out["user"] = self.user
        if self.session:
            out["session"] = self.session
        if self.parent:
            out["parent"] = self.parent
        if self.kind == "call" and self.children:
            out["legs"] = list(self.children)
        if self.members:
            out["members"] = self.members
        return out


@dataclass(slots=True)
class NodeHealth:
    """One WCS node (or ICWS server) as its events tell it: how much it sends, what fails, and
    when it was last heard from (a node that stops sending keep-alives stands out)."""

    node: str
    events: int = 0
    failures: int = 0
    last_ts: float = 0.0
    last_keepalive_ts: float = 0.0

    def silent_for(self, now: float) -> float:
        return max(0.0, now - self.last_ts) if self.last_ts else 0.0
