"""What the browser's two status lines say: the targets with the view toggles, and the
breadcrumbs with what the last answer was: built from the browser's state, drawn by the bars."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.resource_paths import Crumb


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
