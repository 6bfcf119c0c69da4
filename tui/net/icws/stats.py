"""The counters one ICWS client keeps: for the state panel, tests and benchmarks."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass(slots=True)
class ClientStats:
    """Counters for the panel, tests and benchmarks."""

    logins: int = 0
    sessions_lost: int = 0
    switchovers: int = 0
    polls: int = 0
    empty_polls: int = 0
    streams: int = 0
    failed_reads: int = 0  # polls / stream requests that failed on a session that was kept
    outages_ridden: int = 0  # runs of failed reads that ended with the same session reading
    stream_silences: int = 0  # event streams reopened because they went silent
    silence_limit_s: float = 0.0  # the silence that last counted as a dead stream
    messages: int = 0
    events: int = 0
    sink_errors: int = 0
    mode: str = ""  # "sse" or "poll" while reading
    host: str = ""
    backoff_delays: deque[float] = field(default_factory=lambda: deque(maxlen=64))
