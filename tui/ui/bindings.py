"""Key bindings that belong to the whole app, and the registry of every binding id.

Every ``Binding`` in ``tui.ui`` carries an ``id``; the ``[keymap]`` table in the config maps
an id to new keys (``"app.screen.feed" = "f5"``). A test keeps this true.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

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
]


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
