"""ErrorTally: which errors are happening, counted as events go by.

Fed every :class:`~tui.core.feed.FeedEvent` of the live feed (in batches) and every resource
error the browser meets, it counts per ICWS hierarchy level (``error`` › ``error.request`` › …,
each event counts once at every level), per SBC app code, per SIP status, per WCS ``info``, per
HTTP answer, with first/last-seen times and a bounded list of event ``seq`` numbers so the UI can
jump to the events. Cheap per event: events that carry no error cost four attribute reads.
Bounded: each group keeps at most ``max_keys`` keys; the rest are counted under ``(other)``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui.core.errors.rules import hierarchy
from tui.core.feed import SEV_WARNING, SOURCE_CONSOLE, SOURCE_ICWS, SOURCE_WCS, FeedEvent

GROUP_ICWS = "icws"
GROUP_SBC = "sbc"
GROUP_SIP = "sip"
GROUP_WCS = "wcs"
GROUP_HTTP = "http"
GROUP_CUE = "cue"
GROUP_MWS = "mws"
GROUP_OTHER = "other"
GROUP_TITLES = {
    GROUP_ICWS: "ICWS errorIds",
    GROUP_SBC: "SBC app codes",
    GROUP_SIP: "SIP statuses",
    GROUP_WCS: "WCS info",
    GROUP_HTTP: "HTTP answers",
    GROUP_CUE: "CUE errors",
    GROUP_MWS: "MWS errors",
    GROUP_OTHER: "Other errors",
}
GROUP_ORDER = tuple(GROUP_TITLES)
FAILING_STATUSES = frozenset({"FAILED", "BUSY", "AUTHENTICATION_FAIL", "IMDN_FAILED", "IMDN_ERROR"})
OTHER_KEY = "(other)"


class Count:
    """How often one error was seen, when, and in which events."""

    __slots__ = ("count", "first_seen", "last_seen", "refs", "sample", "seqs")

    def __init__(self, ts: float, sample: str, max_seqs: int) -> None:
        self.count = 0
        self.first_seen = ts
        self.last_seen = ts
        self.sample = sample  # text the inspector can decode for this key
        self.seqs: deque[int] = deque(maxlen=max_seqs)
        self.refs: deque[str] = deque(maxlen=8)  # browser errors: the resource URLs


@dataclass(frozen=True)
class TallyRow:
    """One line of the errors-seen view."""

    group: str
    key: str
    depth: int
    count: int
    first_seen: float
    last_seen: float
    sample: str
    seqs: tuple[int, ...]
    refs: tuple[str, ...]


def system_of(event: FeedEvent) -> str:
    """The system an event is about: its source, or for the console's own events the system
    the console was talking to (``kind`` icws: the ICWS client; else the hook side, WCS)."""
    if event.source == SOURCE_CONSOLE:
        return SOURCE_ICWS if event.kind == SOURCE_ICWS else SOURCE_WCS
    return event.source


class ErrorTally:
    """Counts of the errors seen, by group and key. Pure; fed by the feed and the browser."""

    def __init__(self, *, max_seqs: int = 200, max_keys: int = 2000) -> None:
        self.max_seqs = max_seqs
        self.max_keys = max_keys
        self.groups: dict[str, dict[str, Count]] = {g: {} for g in GROUP_ORDER}
        self.version = 0  # moves on every change: the view redraws only when it moved
        self.events = 0  # error events counted (an event counts once, whatever its levels)
        self.since = 0.0  # when counting started (first event, or the last reset)
        self._levels: dict[str, list[str]] = {}

    # -- feeding -----------------------------------------------------------------------------

    def add_events(self, events: Iterable[FeedEvent]) -> int:
        """Count a batch; returns how many of them carried an error."""
        counted = 0
        for event in events:
            if (
                event.error_id
                or event.sip_status >= 400
                or event.reply_status >= 400
                or (
                    event.info
                    and (event.severity >= SEV_WARNING or event.status in FAILING_STATUSES)
                )
            ):
                self._add(event)
                counted += 1
        if counted:
            self.version += 1
        return counted

    def add_event(self, event: FeedEvent) -> bool:
        return self.add_events((event,)) == 1

    def _add(self, event: FeedEvent) -> None:
        """File one error event under ONE reading of each fact it carries, by the system it
        is about: the console's own ICWS events (login refused, session lost) are ICWS's, not
        WCS info or a WCS HTTP answer."""
        ts, seq = event.ts, event.seq
        if not self.since:
            self.since = ts
        self.events += 1
        system = system_of(event)
        error_id = event.error_id
        if error_id:
            if system == SOURCE_ICWS or error_id.startswith("error"):
                for level in self._hierarchy(error_id):
                    self._bump(GROUP_ICWS, level, ts, seq, level)
            else:
                key = f"{event.source}: {error_id}"
                self._bump(GROUP_OTHER, key, ts, seq, error_id)
        if system == SOURCE_ICWS:
            if event.sip_status >= 400:
                key = str(event.sip_status)
                self._bump(GROUP_SIP, key, ts, seq, f"SIP {key}")
            if error_id:
                return  # its errorId says it all (the HTTP status travels with it)
            if event.reply_status >= 400:
                key = f"{SOURCE_ICWS} {event.reply_status}"
                self._bump(GROUP_HTTP, key, ts, seq, key)
            elif event.source == SOURCE_CONSOLE:  # nothing answered: the host was unreachable
                key = f"{SOURCE_ICWS} {event.method}: {event.status}".strip()
                self._bump(GROUP_OTHER, key, ts, seq, event.info)
            return
        info = event.info
        sip_status = event.sip_status
        sip_info = info[:4].upper() == "SIP " and info[4:7].isdigit()
        if sip_status < 400 and sip_info:
            sip_status = int(info[4:7])
        if sip_status >= 400:
            sample = info if sip_info else f"SIP {sip_status}"
            self._bump(GROUP_SIP, str(sip_status), ts, seq, sample)
        if (
            info
            and not (sip_info and sip_status >= 400)  # "SIP 503 …" is counted as SIP 503
            and (event.severity >= SEV_WARNING or event.status in FAILING_STATUSES)
        ):
            self._bump(GROUP_WCS, info, ts, seq, info)
        if event.reply_status >= 400:
            key = f"{system} {event.reply_status}"
            self._bump(GROUP_HTTP, key, ts, seq, key)

    def add_resource_error(
        self,
        system: str,
        code: str | int,
        params: Sequence[str] = (),
        *,
        ts: float,
        ref: str = "",
        http_status: int = 0,
    ) -> None:
        """A browser error: an SBC app code with params, a CUE code, an MWS reason…"""
        if not self.since:
            self.since = ts
        self.events += 1
        key = str(code)
        if system == "sbc":
            sample = f"{key} {'|'.join(params)}".strip() if params else f"sbc {key}"
            count = self._bump(GROUP_SBC, key, ts, -1, sample)
        elif system in (GROUP_CUE, GROUP_MWS):
            count = self._bump(system, key, ts, -1, key)
        else:
            count = self._bump(GROUP_OTHER, f"{system}: {key}", ts, -1, key)
        if ref:
            count.refs.append(ref)
        if http_status >= 400:
            self._bump(GROUP_HTTP, f"{system} {http_status}", ts, -1, f"{system} {http_status}")
        self.version += 1

    def _hierarchy(self, error_id: str) -> list[str]:
        levels = self._levels.get(error_id)
        if levels is None:
            if len(self._levels) >= 10_000:
                self._levels.clear()
            levels = self._levels[error_id] = hierarchy(error_id[:400])
        return levels

    def _bump(self, group: str, key: str, ts: float, seq: int, sample: str) -> Count:
        table = self.groups[group]
        count = table.get(key)
        if count is None:
            if len(table) >= self.max_keys:
                key, sample = OTHER_KEY, ""
                count = table.get(key)
            if count is None:
                count = table[key] = Count(ts, sample, self.max_seqs)
        count.count += 1
        if ts >= count.last_seen:
            count.last_seen = ts
        if seq >= 0:
            count.seqs.append(seq)
        return count

    # -- reading -----------------------------------------------------------------------------

    def get(self, group: str, key: str) -> Count | None:
        return self.groups.get(group, {}).get(key)

    def reset(self) -> None:
        for table in self.groups.values():
            table.clear()
        self.events = 0
        self.since = 0.0
        self.version += 1

    @property
    def empty(self) -> bool:
        return not any(self.groups.values())

    def rows(self) -> list[TallyRow]:
        """Every count, grouped; ICWS as a tree (children under their parent, busiest first)."""
        out: list[TallyRow] = []
        for group in GROUP_ORDER:
            table = self.groups[group]
            if not table:
                continue
            if group == GROUP_ICWS:
                out.extend(self._icws_rows(table))
            else:
                for key in sorted(table, key=lambda k: (-table[k].count, k)):
                    out.append(_row(group, key, 0, table[key]))
        return out

    def _icws_rows(self, table: dict[str, Count]) -> list[TallyRow]:
        children: dict[str, list[str]] = {}
        roots: list[str] = []
        for key in table:
            parent = key.rsplit(".", 1)[0] if "." in key else ""
            if parent and parent in table:
                children.setdefault(parent, []).append(key)
            else:
                roots.append(key)
        out: list[TallyRow] = []

        def walk(keys: list[str], depth: int) -> None:
            for key in sorted(keys, key=lambda k: (-table[k].count, k)):
                out.append(_row(GROUP_ICWS, key, depth, table[key]))
                walk(children.get(key, []), depth + 1)

        walk(roots, 0)
        return out


def _row(group: str, key: str, depth: int, count: Count) -> TallyRow:
    return TallyRow(
        group,
        key,
        depth,
        count.count,
        count.first_seen,
        count.last_seen,
        count.sample,
        tuple(count.seqs),
        tuple(count.refs),
    )
