"""Back/forward history of one target, like a web browser's, kept as plain data.

A new visit drops the forward entries (the step Frogmouth forgets); visiting the location you
are already on changes nothing; the list is bounded. :meth:`History.to_json` and
:meth:`History.from_json` are what the UI writes to and reads from the data directory, so the
trail survives a restart; a damaged file gives an empty history, never an error.
"""

from __future__ import annotations

import json
from typing import Any

DEFAULT_LIMIT = 200


class History:
    """Locations visited on one target, with a cursor for back and forward."""

    def __init__(
        self, entries: list[str] | None = None, index: int = -1, limit: int = DEFAULT_LIMIT
    ) -> None:
        self.limit = max(2, limit)
        given = list(entries or [])
        cut = max(0, len(given) - self.limit)
        self.entries: list[str] = given[cut:]
        last = len(self.entries) - 1
        self.index = min(max(index - cut, 0), last) if self.entries else -1

    @property
    def current(self) -> str | None:
        return self.entries[self.index] if self.index >= 0 else None

    @property
    def can_back(self) -> bool:
        return self.index > 0

    @property
    def can_forward(self) -> bool:
        return 0 <= self.index < len(self.entries) - 1

    def visit(self, location: str) -> None:
        """Go somewhere new: forward entries are dropped."""
        if self.current == location:
            return
        del self.entries[self.index + 1 :]
        self.entries.append(location)
        overflow = len(self.entries) - self.limit
        if overflow > 0:
            del self.entries[:overflow]
        self.index = len(self.entries) - 1

    def back(self) -> str | None:
        if not self.can_back:
            return None
        self.index -= 1
        return self.current

    def forward(self) -> str | None:
        if not self.can_forward:
            return None
        self.index += 1
        return self.current

    def recent(self, limit: int = 50) -> list[str]:
        """Distinct locations, most recent first (for the location bar's suggestions)."""
        seen: dict[str, None] = {}
        for entry in reversed(self.entries):
            seen.setdefault(entry, None)
        return list(seen)[:limit]

    def to_json(self) -> str:
        return json.dumps({"version": 1, "entries": self.entries, "index": self.index})

    @classmethod
    def from_json(cls, text: str, limit: int = DEFAULT_LIMIT) -> History:
        try:
            data: Any = json.loads(text)
            entries = [e for e in data["entries"] if isinstance(e, str) and e.startswith("/")]
            index = int(data.get("index", len(entries) - 1))
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls(limit=limit)
        return cls(entries, index, limit)
