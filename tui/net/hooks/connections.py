"""The listener's open connections, and which one to close when there is no room for another.

A connection is *busy* from the moment its request head is complete until the answer is sent:
that is a hook being served, and it is never closed to make room. Every other connection —
one still sending its head, one idle between keep-alive requests, one lingering after an error
answer — is *waiting*, and at the cap the one that has waited longest is closed (lingering ones
first: they are finished anyway). A flood of sockets that never send a byte therefore cannot
keep a real hook out: each new connection pushes the oldest idle one out.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol


class Evictable(Protocol):
    def evict(self) -> None:
        """Close this connection to make room for a new one."""


class ConnectionRegistry:
    """Counts connections against ``cap`` and picks the one to close when it is reached."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._waiting: OrderedDict[Evictable, None] = OrderedDict()
        self._busy: set[Evictable] = set()
        self._pending = 0  # accepted, their protocol not made yet
        self.evicted = 0

    def __len__(self) -> int:
        return len(self._waiting) + len(self._busy) + self._pending

    def reserve(self) -> bool:
        """Room for a connection just accepted, closing the longest-waiting one at the cap.

        False when every connection is busy: the caller then closes the new one. A reserved
        place is taken by :meth:`admit` (or given back by :meth:`release`).
        """
        if len(self) >= self.cap and not self.evict_oldest():
            return False
        self._pending += 1
        return True

    def release(self) -> None:
        """A reserved connection did not get as far as :meth:`admit`."""
        self._pending = max(0, self._pending - 1)

    def admit(self, connection: Evictable) -> bool:
        """Register a new (waiting) connection in its reserved place, or make room for it."""
        if self._pending:
            self._pending -= 1
        elif len(self) >= self.cap and not self.evict_oldest():
            return False
        self._waiting[connection] = None
        return True

    def evict_oldest(self) -> bool:
        """Close the connection that has waited longest; False if none is waiting."""
        if not self._waiting:
            return False
        oldest, _ = self._waiting.popitem(last=False)
        self.evicted += 1
        oldest.evict()
        return True

    def busy(self, connection: Evictable) -> None:
        """Its request head is complete: not to be closed until the answer is out."""
        if connection in self._waiting:
            del self._waiting[connection]
            self._busy.add(connection)

    def waiting(self, connection: Evictable) -> None:
        """Answered, now idle (keep-alive) or reading the next head: last in line to be closed."""
        if connection in self._busy:
            self._busy.discard(connection)
            self._waiting[connection] = None
        elif connection in self._waiting:
            self._waiting.move_to_end(connection)

    def lingering(self, connection: Evictable) -> None:
        """Finished, draining what the client still sends: first in line to be closed."""
        if connection in self._busy:
            self._busy.discard(connection)
            self._waiting[connection] = None
        if connection in self._waiting:
            self._waiting.move_to_end(connection, last=False)

    def discard(self, connection: Evictable) -> None:
        """The connection is closed."""
        self._waiting.pop(connection, None)
        self._busy.discard(connection)
