"""What the columns dialog edits: every column of the catalogue, in order, each on or off."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tui.ui.models.feed.columns import CATALOGUE, DEFAULT_COLUMNS


@dataclass
class ColumnChoice:
    """The operator's columns while the dialog is open; :meth:`chosen` is what gets saved.

    Columns that are off keep their place in the list, so switching one back on puts it where
    it was. At least one column stays on.
    """

    order: list[str]
    on: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, chosen: Sequence[str]) -> ColumnChoice:
        known = [key for key in dict.fromkeys(chosen) if key in CATALOGUE]
        rest = [key for key in CATALOGUE if key not in known]
        return cls(known + rest, set(known))

    def chosen(self) -> tuple[str, ...]:
        return tuple(key for key in self.order if key in self.on)

    def is_on(self, key: str) -> bool:
        return key in self.on

    def toggle(self, index: int) -> bool:
        """Switch the column at ``index``; False when it is the last one on (nothing changes)."""
        key = self.order[index]
        if key in self.on:
            if len(self.on) == 1:
                return False
            self.on.discard(key)
        else:
            self.on.add(key)
        return True

    def move(self, index: int, delta: int) -> int:
        """Move the column at ``index`` up (-1) or down (+1); returns its new index."""
        target = min(max(index + delta, 0), len(self.order) - 1)
        if target != index:
            key = self.order.pop(index)
            self.order.insert(target, key)
        return target

    def reset(self) -> None:
        self.order = list(CATALOGUE)
        self.on = set(DEFAULT_COLUMNS)
