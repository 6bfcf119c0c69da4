"""What the console watches and how each connection is doing.

Network code writes states here (from the event loop, or from the hook server's own thread);
the UI reads them on its clock. A version number that moves on every change lets the header
redraw only when something changed. A lock keeps writers and readers on different threads apart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum


class SourceKind(StrEnum):
    """The five systems the console knows. A REST target's source kind is its target kind's
    name (:mod:`tui.core.targets`), so a kind declared there needs no member here."""

    WCS = "wcs"
    ICWS = "icws"
    SBC = "sbc"
    CUE = "cue"
    MWS = "mws"


class LinkState(StrEnum):
    """Where a source's connection stands."""

    IDLE = "idle"  # configured, not started yet
    CONNECTING = "connecting"
    UP = "up"
    DEGRADED = "degraded"  # answering, but with errors or retries
    DOWN = "down"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]


_SYMBOLS = {
    LinkState.IDLE: "○",
    LinkState.CONNECTING: "◌",
    LinkState.UP: "●",
    LinkState.DEGRADED: "◐",
    LinkState.DOWN: "✕",
}


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """One configured source as the header shows it."""

    name: str
    kind: str  # a SourceKind, or the name of a target kind
    endpoint: str
    state: LinkState = LinkState.IDLE
    detail: str = ""
    insecure: bool = False  # TLS verification switched off by configuration
    since: float = 0.0
    badge: str = ""  # how it works, when that changes what its state means ("TAP")
    summary: str = ""  # a few words the header shows instead of the state's name

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.name}"


class SourceBoard:
    """The current status of every source, keyed by name, in configuration order."""

    def __init__(
        self, sources: Iterable[SourceStatus] = (), clock: Callable[[], float] = time.time
    ) -> None:
        self._clock = clock
        self._sources: dict[str, SourceStatus] = {}
        self._lock = threading.Lock()
        self.version = 0
        for source in sources:
            self.add(source)

    def add(self, source: SourceStatus) -> None:
        with self._lock:
            if source.name in self._sources:
                raise ValueError(f"source {source.name!r} is already on the board")
            self._sources[source.name] = replace(source, since=source.since or self._clock())
            self.version += 1

    def set_state(
        self, name: str, state: LinkState, detail: str = "", *, summary: str = ""
    ) -> None:
        """``detail`` says it all; ``summary`` (optional) is what the header shows for it."""
        with self._lock:
            current = self._sources[name]
            if (current.state, current.detail, current.summary) == (state, detail, summary):
                return
            since = current.since if current.state is state else self._clock()
            self._sources[name] = replace(
                current, state=state, detail=detail, summary=summary, since=since
            )
            self.version += 1

    def get(self, name: str) -> SourceStatus:
        return self._sources[name]

    def __iter__(self) -> Iterator[SourceStatus]:
        with self._lock:
            return iter(list(self._sources.values()))

    def __len__(self) -> int:
        return len(self._sources)

    def of_kind(self, *kinds: str) -> list[SourceStatus]:
        return [s for s in self if s.kind in kinds]
