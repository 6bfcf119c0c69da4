"""Which keys a footer keeps when they do not all fit its width.

Least useful first: `q Quit` and `f1 Help` go before the screen's own keys, the screen's keys go
from the end of their list, and `? Keys` (which lists everything) always stays.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

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
