"""What the browser's location bar does with what is typed: locations, ``:`` commands and the
keys that must reach it even when typed faster than Textual moves the focus.

Functions over the screen, kept apart from :mod:`tui.ui.screens.browser` for size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

from tui.ui.models.browser.commands import HELP as COMMAND_HELP
from tui.ui.models.browser.commands import AliasJump, Command, read_command

if TYPE_CHECKING:
    from tui.ui.screens.browser import BrowserScreen

CATEGORY_CYCLE = ("", "configuration", "runtime", "statistics", "inventory")
TO_LOCATION_BAR = ("command", "location", "filter")  # actions that give the bar the focus


def route_key(screen: BrowserScreen, event: events.Key) -> None:
    """Keys reach this screen in the order they were typed, before the app runs bindings.

    ``:``, ``g`` and ``/`` move the focus to the location bar *here*, not when their
    binding runs: otherwise the keys right behind them (a paste, a fast typist, tmux
    send-keys) would already be on their way to the table's and the screen's bindings.
    Printable keys that arrive while the location bar has the focus are typed into it.
    """
    if not screen.views:
        return
    box = screen.location_bar.omnibox
    if screen.focused is box:  # set at once (has_focus follows a message later)
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            if box.selection.is_empty:
                box.insert_text_at_cursor(event.character)
            else:
                box.replace(event.character, *box.selection)
        return
    active = screen.active_bindings.get(event.key)
    if active is not None and active.node is screen:
        action = active.binding.action
        if action in TO_LOCATION_BAR:
            event.stop()
            event.prevent_default()
            getattr(screen, f"action_{action}")()


def run_typed(screen: BrowserScreen, text: str) -> None:
    """What the operator typed in the location bar."""
    view = screen.active
    text = text.strip()
    if view is None or not text:
        return
    if text.startswith(":"):
        run_command(screen, text)
        return
    if "://" in text:
        for other in screen.views.values():
            if other.paths.same_target(text) and other is not view:
                screen.switch_target(other.name, other.paths.from_input(text))
                return
    alias = view.paths.alias(text) if "/" not in text and text != ".." else None
    screen.navigate(alias or view.paths.from_input(text, view.location))


def run_command(screen: BrowserScreen, text: str) -> None:
    view = screen.active
    found = read_command(text)
    if view is None:
        return
    if found is None:
        screen.notify(f"Unknown command {text!r}. {COMMAND_HELP}", severity="error", timeout=10)
        return
    if isinstance(found, AliasJump):
        _jump(screen, found)
        return
    _run(screen, found)


def _jump(screen: BrowserScreen, jump: AliasJump) -> None:
    view = screen.active
    if view is not None and view.kind in jump.kinds:
        screen.navigate(view.paths.alias(jump.alias) or view.location)
        return
    other = next((v for v in screen.views.values() if v.kind in jump.kinds), None)
    if other is None:
        kinds = " or ".join(k.upper() for k in jump.kinds)
        screen.notify(
            f":{jump.alias} needs a {kinds} target; none is configured.", severity="error"
        )
        return
    screen.switch_target(other.name, other.paths.alias(jump.alias))


def _run(screen: BrowserScreen, command: Command) -> None:
    view = screen.active
    assert view is not None
    name, arg = command
    simple = {
        "details": screen.action_details,
        "raw": screen.action_raw,
        "refresh": screen.action_refresh,
        "back": screen.action_back,
        "forward": screen.action_forward,
        "up": screen.action_up,
        "copy": screen.action_copy_url,
        "inspect": screen.action_inspect,
        "delete": screen.action_delete,
    }
    if name in simple:
        simple[name]()
    elif name == "target":
        if arg:
            screen.switch_target(arg)
        else:
            screen.action_next_target()
    elif name == "home":
        screen.navigate(view.start)
    elif name == "filter":
        _set_category(screen, arg)
    elif name == "fields":
        view.fields = None if arg in ("all", "*") else arg.replace(" ", "")
        screen.navigate(view.location, push=False)
    elif name == "watch":
        _set_watch(screen, arg)
    elif name == "help":
        screen.notify(COMMAND_HELP, title="Commands", timeout=15)
    else:
        screen.run_write_command(name, arg)


def _set_category(screen: BrowserScreen, arg: str) -> None:
    view = screen.active
    assert view is not None
    wanted = "" if arg in ("", "all", "none") else arg
    if wanted and wanted not in CATEGORY_CYCLE:
        screen.notify(f"Categories: {', '.join(CATEGORY_CYCLE[1:])} or all.", severity="error")
        return
    view.category = wanted
    screen.navigate(view.location, push=False)


def _set_watch(screen: BrowserScreen, arg: str) -> None:
    view = screen.active
    assert view is not None
    if arg:
        try:
            seconds = max(0.5, float(arg))
        except ValueError:
            screen.notify(f":watch takes seconds, not {arg!r}", severity="error")
            return
        view.target = view.target.model_copy(update={"watch_interval_s": seconds})
        view.watching = False
    screen.action_watch()
