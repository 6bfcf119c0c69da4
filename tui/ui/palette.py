"""The command palette's entries for the screen it was opened on.

Textual's palette knows the app-wide entries (``NocApp.get_system_commands``). This provider
adds what works on the screen underneath right now: every key of the screen and of the focused
widget (found by name, the key shown beside it, so the palette also teaches the keys), and what
a screen offers beyond its keys: the feed's filter presets, the browser's ``:`` commands, its
resource aliases and its targets. Being built from the live bindings, a key that is added or
remapped (``[keymap]``) shows here without a second list to keep.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from textual.app import App
from textual.command import DiscoveryHit, Hit, Provider

if TYPE_CHECKING:
    from textual.binding import ActiveBinding
    from textual.dom import DOMNode
    from textual.screen import Screen


class PaletteCommand(NamedTuple):
    """One palette entry: its name, a line of help, what it runs, and whether it is listed
    before anything is typed (the screen's keys are; presets and aliases are found by typing)."""

    name: str
    help: str
    run: Callable[[], object]
    listed: bool = True


MOVEMENT_ACTIONS = frozenset(
    {
        "cursor", "page", "first", "edge", "sideways", "scroll_up", "scroll_down",
        "scroll_left", "scroll_right", "scroll_home", "scroll_end", "page_up", "page_down",
    }
)  # fmt: skip
"""Actions that move a cursor or scroll: no use in a palette, which closes before they run."""

FEED_PRESETS: tuple[tuple[str, str], ...] = (
    ("failed or busy calls", "status:FAILED,BUSY"),
    ("SIP errors (4xx-6xx)", "sip:>=400"),
    ("warnings and worse", "sev:>=warning"),
    ("ICWS messages only", "source:icws"),
)
"""Feed filters an operator reaches for first; each opens the filter bar filled in."""

BROWSER_TYPED: tuple[tuple[str, str], ...] = (
    (":home", "back to the target's start page"),
    (":help", "list the : commands"),
)
"""``:`` commands without a key of their own, run at once."""

BROWSER_PROMPTED: tuple[tuple[str, str], ...] = (
    (":fields ", "CUE: only these fields (a,b or all)"),
    (":f ", "SBC: one attribute category (configuration, runtime, statistics, inventory, all)"),
    (":w ", "watch every N seconds"),
    (":set ", "write NAME=VALUE on this resource (confirmed first)"),
    (":action ", "run an SBC action on this resource (confirmed first)"),
    (":create ", "create NAME=VALUE… below this list (confirmed first)"),
    (":push ", "MWS: push TEXT to this socket (confirmed first)"),
)
"""``:`` commands that take an argument: the location bar opens with the command typed."""


def _action_runner(node: DOMNode, action: str) -> Callable[[], Awaitable[bool]]:
    """Run ``action`` as its key would: on the node that declares the binding."""

    async def run() -> bool:
        return await node.app.run_action(action, node)

    return run


def key_commands(screen: Screen[object], title: str) -> Iterator[PaletteCommand]:
    """The console's keys on the screen and the focused widget, one entry per action (its keys
    together); cursor and scroll keys and Textual's generic ones are left out."""
    found: dict[tuple[int, str], tuple[ActiveBinding, list[str]]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or not active.enabled or isinstance(active.node, App):
            continue  # the app's own entries come from get_system_commands
        if not binding.id:
            continue  # Textual's generic keys (focus next, copy the selection): the console's
            # own each carry a binding id
        if binding.action.partition("(")[0] in MOVEMENT_ACTIONS:
            continue
        entry = found.setdefault((id(active.node), binding.action), (active, []))
        key = screen.app.get_key_display(binding)
        if key not in entry[1]:
            entry[1].append(key)
    for active, keys in found.values():
        binding = active.binding
        hint = f"key {' '.join(keys)}" + (f" · {active.tooltip}" if active.tooltip else "")
        yield PaletteCommand(
            f"{title}: {binding.description}", hint, _action_runner(active.node, binding.action)
        )


def feed_commands(screen: Screen[object]) -> Iterator[PaletteCommand]:
    from tui.ui.widgets.feed.query_bar import QueryBar

    for bar in screen.query(QueryBar).results():
        for label, query in FEED_PRESETS:

            def run(bar: QueryBar = bar, query: str = query) -> None:
                bar.open("filter", query)

            yield PaletteCommand(
                f"Feed filter: {label}", f"{query}  (opens the filter bar; Enter applies)", run,
                listed=False,
            )  # fmt: skip


def browser_commands(screen: Screen[object]) -> Iterator[PaletteCommand]:
    from tui.core.resources.paths import ALIASES
    from tui.ui.screens.browser import BrowserScreen

    if not isinstance(screen, BrowserScreen) or screen.active is None:
        return

    def typed(text: str) -> Callable[[], None]:
        return lambda: screen.run_typed(text)

    def prompted(text: str) -> Callable[[], None]:
        return lambda: screen.action_command(text)

    for text, help_text in BROWSER_TYPED:
        yield PaletteCommand(f"Browser: {text}", help_text, typed(text))
    for text, help_text in BROWSER_PROMPTED:
        yield PaletteCommand(f"Browser: {text.strip()} …", help_text, prompted(text))
    active = screen.active.name
    for name, view in screen.views.items():
        if name != active:
            yield PaletteCommand(
                f"Browser: target {name}", f"{view.kind.upper()} · :t {name}",
                typed(f":t {name}"), listed=False,
            )  # fmt: skip
    kinds = {view.kind for view in screen.views.values()}
    for kind in sorted(kinds):
        for alias, path in ALIASES.get(kind, {}).items():
            yield PaletteCommand(
                f"Browser: go to :{alias}", f"{kind.upper()} {path}", typed(f":{alias}"),
                listed=False,
            )  # fmt: skip


EXTRAS: dict[str, Callable[[Screen[object]], Iterator[PaletteCommand]]] = {
    "feed": feed_commands,
    "browser": browser_commands,
}


def screen_commands(screen: Screen[object]) -> list[PaletteCommand]:
    """Every palette entry of ``screen`` as it is now (focus, state, targets)."""
    key = str(getattr(screen, "SCREEN_KEY", ""))
    title = key.capitalize() or type(screen).__name__.removesuffix("Screen")
    commands = list(key_commands(screen, title))
    extra = EXTRAS.get(key)
    if extra is not None:
        commands += extra(screen)
    return commands


class ScreenCommands(Provider):
    """The palette entries of the screen the palette was opened on (see the module's text)."""

    async def discover(self) -> AsyncIterator[DiscoveryHit]:
        for command in screen_commands(self.screen):
            if command.listed:
                yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> AsyncIterator[Hit]:
        matcher = self.matcher(query)
        for command in screen_commands(self.screen):
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
