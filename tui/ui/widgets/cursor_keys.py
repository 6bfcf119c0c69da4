"""The keys of a list drawn line by line (the feed's events, the Calls table, the ladder): one
set of bindings and the cursor actions behind them, so every list moves the same way."""

from __future__ import annotations

from textual.binding import Binding, BindingType


def cursor_bindings(prefix: str, *, last: str = "Last") -> list[BindingType]:
    """Up/down (or k/j), page up/down, first (home, g) and last (end, G), with the binding ids
    ``<prefix>.up`` … ``<prefix>.last`` (so ``[keymap]`` can remap each)."""
    return [
        Binding("up,k", "cursor(-1)", "Up", show=False, id=f"{prefix}.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id=f"{prefix}.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id=f"{prefix}.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id=f"{prefix}.page_down"),
        Binding("home,g", "first", "First", show=False, id=f"{prefix}.first"),
        Binding("end,G", "last", last, show=False, id=f"{prefix}.last"),
    ]


class CursorKeys:
    """The actions behind :func:`cursor_bindings`, for a widget that has a ``cursor``, a
    ``page`` (rows on screen), :meth:`move_to` and :meth:`row_count`."""

    cursor: int

    @property
    def page(self) -> int:
        raise NotImplementedError

    def move_to(self, index: int) -> None:
        raise NotImplementedError

    def row_count(self) -> int:
        raise NotImplementedError

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(self.page - 1, 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.row_count() - 1)
