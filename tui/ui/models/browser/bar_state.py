"""What the browser's two status lines say: the targets with the view toggles, and the
breadcrumbs with what the last answer was: built from the browser's state, drawn by the bars."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.core.resources.paths import Crumb

if TYPE_CHECKING:
    from tui.net.rest.base import Fetched


@dataclass
class TargetChip:
    """One target as the bar shows it."""

    name: str
    kind: str
    active: bool
    insecure: bool = False


@dataclass
class BarState:
    """What the top line says."""

    targets: list[TargetChip] = field(default_factory=list)
    details: bool = False
    category: str = ""
    fields: str | None = None
    watch_s: float = 0.0  # 0: not watching
    writes: bool = False
    kind: str = ""


@dataclass
class CrumbState:
    """What the second line says."""

    crumbs: list[Crumb] = field(default_factory=list)
    summary: str = ""  # "200 · 14 attributes · 12 ms"
    loading: bool = False
    problem: bool = False


def summary_of(
    fetched: Fetched, shown: int, total: int, changes: int, *, timings: bool = True
) -> str:
    """What the last answer was: status, how many rows of how many, changes, time or cache age."""
    resource = fetched.resource
    parts = []
    if fetched.failure:
        parts.append(fetched.failure)
    else:
        parts.append(str(resource.http_code or fetched.status))
    if resource.shape == "list":
        count = f"{total:,} items" if shown == total else f"{shown:,}/{total:,} items"
        parts.append(count)
    elif resource.shape == "resource":
        parts.append(
            f"{len(resource.attributes)} attrs" if shown == total else f"{shown}/{total} rows"
        )
    if changes:
        parts.append(f"{changes} changed")
    if fetched.from_cache and timings:
        parts.append(f"cached {fetched.age_s:.0f}s")
    elif fetched.elapsed_ms and timings:
        parts.append(f"{fetched.elapsed_ms:.0f} ms")
    return " · ".join(parts)
