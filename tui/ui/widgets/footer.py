"""A footer that fits its width: keys that do not fit are left out, never cut or overflowed.

Textual's footer scrolls sideways when its keys are wider than the terminal, which at 80
columns leaves the last keys half-drawn behind the palette key. This one drops keys instead,
least useful first: `q Quit` and `f1 Help` go before the screen's own keys, the screen's keys go
from the end of their list, and `? Keys` (which lists everything) always stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Dropped first, in this order, when the keys do not fit.
DROP_FIRST: tuple[str, ...] = ("app.quit", "app.toggle_help_panel")
# Never dropped: the way to every other key.
ALWAYS: frozenset[str] = frozenset({"app.show_keys"})


def key_width(key_display: str, description: str) -> int:
    """Cells a compact footer key takes: the key, a space, the description, a gap."""
    if not description:
        return cell_len(key_display) + 1
    return cell_len(key_display) + 1 + cell_len(description) + 1


def keys_that_fit(
    keys: Sequence[tuple[str, int]], budget: int, drop_first: Sequence[str] = DROP_FIRST
) -> list[int]:
    """Indexes of ``(action, width)`` keys to show within ``budget`` cells, in their order."""
    kept = list(range(len(keys)))

    def used() -> int:
        return sum(keys[i][1] for i in kept)

    for action in drop_first:
        if used() <= budget:
            return kept
        kept = [i for i in kept if keys[i][0] != action]
    for i in reversed(list(kept)):
        if used() <= budget:
            break
        if keys[i][0] not in ALWAYS:
            kept.remove(i)
    return kept


class FittingFooter(Footer):
    """Compact footer that leaves out the keys it has no room for."""

    PALETTE_CLASS: ClassVar[str] = "-command-palette"
    _fitted_width: int | None = None

    def compose(self) -> ComposeResult:
        widgets: list[Widget] = list(super().compose())
        width = self.size.width or self.app.size.width
        palette = [w for w in widgets if w.has_class(self.PALETTE_CLASS)]
        keys = [w for w in widgets if isinstance(w, FooterKey) and w not in palette]
        others = [w for w in widgets if w not in palette and w not in keys]
        budget = width - sum(_width(w) for w in palette)
        kept = keys_that_fit([(k.action, _width(k)) for k in keys], budget)
        yield from others
        yield from (keys[i] for i in kept)
        yield from palette

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._fitted_width:
            self._fitted_width = event.size.width
            self.call_after_refresh(self.recompose)


def _width(key: Widget) -> int:
    if isinstance(key, FooterKey):
        # The palette key also has a one-cell border on its left.
        border = 1 if key.has_class("-command-palette") else 0
        return key_width(key.key_display, key.description) + border
    return 0
