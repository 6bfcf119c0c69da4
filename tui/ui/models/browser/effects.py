"""What the browser controller asks its screen to do, as plain values.

The controller decides (which location, which notice, which write to confirm); the screen does
(fetches with the target's client, draws, opens dialogs, copies) and reports back. Effects come
in a list and are carried out in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tui.core.resources.writes import WriteRequest
from tui.net.rest.base import Query

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Notify:
    """Tell the operator something (paths, values and server text: never markup)."""

    message: str
    title: str = ""
    severity: Severity = "information"
    timeout: float | None = None


@dataclass(frozen=True, slots=True)
class RememberPlace:
    """The cursor is about to leave this target's page: keep its row and scroll for coming back."""

    target: str


@dataclass(frozen=True, slots=True)
class Fetch:
    """Ask the target for a location; the answer goes back through ``loaded``."""

    target: str
    location: str
    query: Query
    refresh: bool = False  # past the cache
    watch: bool = False  # a watch tick: changed values get marked, the cursor stays


@dataclass(frozen=True, slots=True)
class Loading:
    """A fetch started: the breadcrumbs say "loading…", the bars show the new toggles."""


@dataclass(frozen=True, slots=True)
class ShowPage:
    """Show the active target's last answer; ``keep_place`` stays on the row and scroll."""

    keep_place: bool = False


@dataclass(frozen=True, slots=True)
class RefreshBars:
    """The targets or the toggles changed: redraw the top line and the location."""


@dataclass(frozen=True, slots=True)
class Suggest:
    """What the location bar offers while typing: the ``:`` words and this target's history."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RestartWatch:
    """Run the watch timer every ``interval_s`` seconds (None: stop it)."""

    interval_s: float | None


@dataclass(frozen=True, slots=True)
class ToggleRaw:
    """Switch between the table and the raw body."""


@dataclass(frozen=True, slots=True)
class Copy:
    """Put text on the clipboard; ``what`` names it in the notice ("the value 42")."""

    text: str
    what: str = "the text"


@dataclass(frozen=True, slots=True)
class CopyUrl:
    """Put the full URL of this location (with its query options) on the clipboard."""

    target: str
    location: str
    query: Query


@dataclass(frozen=True, slots=True)
class Inspect:
    """Hand this error text to the inspector."""

    text: str


@dataclass(frozen=True, slots=True)
class Confirm:
    """Show the exact request and ask; the answer goes back through ``answer``."""

    target: str
    request: WriteRequest


@dataclass(frozen=True, slots=True)
class Prompt:
    """Ask for one value; the answer (None: cancelled) goes back through ``edited``."""

    title: str
    value: str


@dataclass(frozen=True, slots=True)
class Send:
    """Send a confirmed write; the answer goes back through ``written``."""

    target: str
    request: WriteRequest


Effect = (
    Notify
    | RememberPlace
    | Fetch
    | Loading
    | ShowPage
    | RefreshBars
    | Suggest
    | RestartWatch
    | ToggleRaw
    | Copy
    | CopyUrl
    | Inspect
    | Confirm
    | Prompt
    | Send
)
Effects = list[Effect]
