"""What each protocol's statuses mean for the story of a call, a stream, a session or an ICWS
interaction: which are live, which end it, and which end it badly.

The WCS statuses are the vendor's (docs/protocols.md §1.6); the interaction states are ICWS's
``Eic_State`` names. A status this module does not know is kept as the state as sent and ends
nothing: the correlator never guesses an ending.
"""

from __future__ import annotations

KIND_CALL = "call"
KIND_STREAM = "stream"
KIND_SESSION = "session"
KIND_INTERACTION = "interaction"
KINDS = (KIND_CALL, KIND_STREAM, KIND_SESSION, KIND_INTERACTION)

# Statuses that end a group, per kind. FAILED-like endings are also in FAILED_ENDINGS.
ENDINGS: dict[str, frozenset[str]] = {
    KIND_CALL: frozenset({"FINISH", "FAILED", "BUSY"}),
    KIND_STREAM: frozenset({"UNPUBLISHED", "STOPPED", "FAILED"}),
    KIND_SESSION: frozenset({"DISCONNECTED", "FAILED"}),
    KIND_INTERACTION: frozenset({"Disconnected"}),
}
FAILED_ENDINGS = frozenset({"FAILED", "BUSY"})

# How far along a live call is: a late-arriving earlier status never moves it back.
CALL_PROGRESS: dict[str, int] = {
    "PENDING": 0,
    "TRYING": 1,
    "RING": 2,
    "RING_MEDIA": 2,
    "SESSION_PROGRESS": 2,
    "ESTABLISHED": 3,
    "HOLD": 3,
}
# A stream's live states; one that publishes outranks its players.
STREAM_LIVE: dict[str, int] = {"PENDING": 0, "PAUSED": 1, "PLAYING": 2, "PUBLISHING": 3}


def is_ending(kind: str, status: str) -> bool:
    return status in ENDINGS[kind]


def is_failure(status: str, sip_status: int) -> bool:
    """A group that ended like this failed (the Calls screen makes it stand out)."""
    return status in FAILED_ENDINGS or sip_status >= 400
