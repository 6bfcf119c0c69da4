"""Key bindings that belong to the whole app, the registry of every binding id, and the keys
that work on a screen right now (for the Keys dialog and the help panel).

Every ``Binding`` in ``tui.ui`` carries an ``id``; the ``[keymap]`` table in the config maps
an id to new keys (``"app.screen.feed" = "f5"``). A test keeps this true.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

if TYPE_CHECKING:
    from textual.screen import Screen

APP_BINDINGS: list[BindingType] = [
    Binding("1,f2", "app.switch_mode('feed')", "Feed", show=False, id="app.screen.feed"),
    Binding("2,f3", "app.switch_mode('browser')", "Browser", show=False, id="app.screen.browser"),
    Binding(
        "3,f4", "app.switch_mode('inspector')", "Inspector", show=False, id="app.screen.inspector"
    ),
    Binding("4,f5", "app.switch_mode('calls')", "Calls", show=False, id="app.screen.calls"),
    Binding("f1", "app.toggle_help_panel", "Help", id="app.help.panel"),
    Binding("question_mark", "app.show_keys", "Keys", key_display="?", id="app.help.keys"),
    Binding("ctrl+t", "app.next_theme", "Next theme", show=False, id="app.theme.next"),
    Binding(
        "ctrl+p", "app.command_palette", "Palette", show=False, priority=True, id="app.palette"
    ),
    Binding("q", "app.quit", "Quit", id="app.quit"),
    # A replay's timeline (noc-console open): only while replaying (NocApp.check_action).
    Binding("space", "app.replay_toggle", "Play/Pause", key_display="space",
            id="app.replay.play"),
    Binding("full_stop", "app.replay_step", "Step", show=False, key_display=".",
            id="app.replay.step"),
    Binding("comma", "app.replay_step_back", "Step back", show=False, key_display=",",
            id="app.replay.step_back"),
    Binding("greater_than_sign", "app.replay_speed(1)", "Faster", show=False, key_display=">",
            id="app.replay.faster"),
    Binding("less_than_sign", "app.replay_speed(-1)", "Slower", show=False, key_display="<",
            id="app.replay.slower"),
    # A priority key, so the time typed right after it (in one burst) goes into its field.
    Binding("T", "app.replay_seek", "Go to time", show=False, id="app.replay.seek", priority=True),
    Binding("E", "app.replay_error(1)", "Next error", show=False, id="app.replay.next_error"),
    Binding("W", "app.replay_error(-1)", "Previous error", show=False,
            id="app.replay.previous_error"),
    # A console reading the NATS stream (run --feed): only then (NocApp.check_action).
    Binding("F", "app.feed_live", "Live", show=False, id="app.feed.live"),
]  # fmt: skip

REPLAY_ACTIONS = frozenset(
    {"replay_toggle", "replay_step", "replay_step_back", "replay_speed", "replay_seek",
     "replay_error"}
)  # fmt: skip
"""The app's actions that only mean something while a replay plays."""


# A binding that shares its keys with another: one key whose footer label changes ("p Pause",
# "p Resume") is two bindings; remapping the first moves the second with it.
FOLLOWS: dict[str, str] = {"feed.resume": "feed.pause"}


def with_followers(keymap: dict[str, str]) -> dict[str, str]:
    """``keymap`` with each following binding on its leader's keys, unless given its own."""
    out = dict(keymap)
    for follower, leader in FOLLOWS.items():
        if leader in out and follower not in out:
            out[follower] = out[leader]
    return out


def _ui_classes(root: type[DOMNode]) -> Iterator[type[DOMNode]]:
    for cls in root.__subclasses__():
        if cls.__module__.startswith("tui.ui"):
            yield cls
        yield from _ui_classes(cls)


def ui_bindings() -> list[tuple[str, Binding]]:
    """Every (owner class name, Binding) declared in ``tui.ui``, after importing the app."""
    import importlib
    import pkgutil

    import tui.ui

    # Screens and widgets load on first use at run time; import them all to see every binding.
    for info in pkgutil.walk_packages(tui.ui.__path__, prefix="tui.ui."):
        importlib.import_module(info.name)

    found: list[tuple[str, Binding]] = []
    seen: set[type[DOMNode]] = set()
    for cls in _ui_classes(DOMNode):
        if cls in seen:
            continue
        seen.add(cls)
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding):
                found.append((cls.__name__, binding))
    return found


def known_binding_ids() -> set[str]:
    """The ids the ``[keymap]`` table may use."""
    return {binding.id for _, binding in ui_bindings() if binding.id}


class KeyRow(NamedTuple):
    """One thing a key does: every key that does it, and their binding ids."""

    keys: str
    description: str
    ids: str


def _group_name(node: object, screen: Screen[object]) -> str:
    from textual.app import App

    if isinstance(node, App):
        return "Everywhere"
    if node is screen:
        return f"{type(screen).__name__.removesuffix('Screen')} screen"
    return f"Focused: {type(node).__name__}"


def key_groups(screen: Screen[object]) -> list[tuple[str, list[KeyRow]]]:
    """The keys that work on ``screen`` with what has focus now, grouped by where they apply
    ("Everywhere" first); keys that do the same thing share a row."""
    groups: dict[str, list[tuple[str, Binding]]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description:
            continue
        group = _group_name(active.node, screen)
        groups.setdefault(group, []).append((screen.app.get_key_display(binding), binding))
    result: list[tuple[str, list[KeyRow]]] = []
    for group in sorted(groups, key=lambda g: (g != "Everywhere", g)):
        keys_of: dict[str, list[str]] = {}
        ids_of: dict[str, list[str]] = {}
        for key, binding in groups[group]:
            if key not in keys_of.setdefault(binding.description, []):
                keys_of[binding.description].append(key)
            ids = ids_of.setdefault(binding.description, [])
            if binding.id and binding.id not in ids:
                ids.append(binding.id)
        rows = [
            KeyRow(" ".join(keys), description, " ".join(ids_of[description]))
            for description, keys in keys_of.items()
        ]
        result.append((group, rows))
    return result
