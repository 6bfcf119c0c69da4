"""A footer that fits its width: keys that do not fit are left out, never cut or overflowed.

Textual's footer scrolls sideways when its keys are wider than the terminal, which at 80
columns leaves the last keys half-drawn behind the palette key. This one is built from the
screen's active bindings (public Textual API) and drops keys instead, in the order of
:mod:`tui.ui.models.footer_fit`. It draws like Textual's compact footer, with the same theme
variables: the key in bold, a space, what it does; the palette key on the right.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from tui.ui.models.footer_fit import key_width, keys_that_fit


class FooterKeyHint(Widget):
    """One key and what it does; a click presses the key."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    FooterKeyHint {
        width: auto;
        height: 1;
        margin-right: 1;
        text-wrap: nowrap;
        background: $footer-item-background;
    }
    FooterKeyHint:hover {
        pointer: pointer;
        color: $footer-key-foreground;
        background: $block-hover-background;
    }
    FooterKeyHint.-disabled { text-style: dim; }
    FooterKeyHint.-command-palette { dock: right; border-left: vkey $foreground 20%; }
    FooterKeyHint > .footer-key-hint--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    FooterKeyHint > .footer-key-hint--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key-hint--key",
        "footer-key-hint--description",
    }
    PALETTE_CLASS: ClassVar[str] = "-command-palette"

    def __init__(
        self,
        binding: Binding,
        key_display: str,
        *,
        enabled: bool = True,
        tooltip: str = "",
        palette: bool = False,
    ) -> None:
        classes = " ".join(
            name for name, on in (("-disabled", not enabled), (self.PALETTE_CLASS, palette)) if on
        )
        super().__init__(classes=classes)
        self.key = binding.key
        self.action = binding.action
        self.key_display = key_display
        self.description = binding.description
        self.enabled = enabled
        if tooltip:
            self.tooltip = tooltip

    @property
    def cells(self) -> int:
        """Cells it takes in the footer, with the gap after it (and the palette's border)."""
        border = 1 if self.has_class(self.PALETTE_CLASS) else 0
        return key_width(self.key_display, self.description) + border

    def render(self) -> Text:
        text = Text()
        text.append(self.key_display, style=self.get_component_rich_style("footer-key-hint--key"))
        if self.description:
            style = self.get_component_rich_style("footer-key-hint--description")
            text.append(f" {self.description}", style=style)
        text.stylize_before(self.rich_style)
        return text

    def on_mouse_down(self, _: events.MouseDown) -> None:
        if self.enabled:
            self.app.simulate_key(self.key)
        else:
            self.app.bell()


class FittingFooter(Widget, can_focus=False, can_focus_children=False):
    """The keys of the focused widget, the screen and the app that fit, and the palette key."""

    DEFAULT_CSS = """
    FittingFooter {
        layout: horizontal;
        color: $footer-foreground;
        background: $footer-background;
        dock: bottom;
        height: 1;
    }
    """
    ALLOW_SELECT = False

    def __init__(self) -> None:
        super().__init__()
        self._bindings_ready = False  # nothing to show before the screen says what is bound
        self._fitted_width: int | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self.recompose)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._fitted_width:
            self._fitted_width = event.size.width
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        keys, palette = self._hints()
        width = self.size.width or self.app.size.width
        budget = width - sum(hint.cells for hint in palette)
        kept = keys_that_fit([(hint.action, hint.cells) for hint in keys], budget)
        yield from (keys[i] for i in kept)
        yield from palette

    def _hints(self) -> tuple[list[FooterKeyHint], list[FooterKeyHint]]:
        """One hint per shown action (its first binding), then the palette key if there is one."""
        active = self.screen.active_bindings
        keys: dict[str, FooterKeyHint] = {}
        for found in active.values():
            binding = found.binding
            if binding.show and binding.action not in keys:
                display = self.app.get_key_display(binding)
                keys[binding.action] = FooterKeyHint(
                    binding, display, enabled=found.enabled, tooltip=found.tooltip
                )
        palette: list[FooterKeyHint] = []
        command = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.app.ENABLE_COMMAND_PALETTE and command is not None:
            binding = command.binding
            palette.append(
                FooterKeyHint(
                    binding,
                    self.app.get_key_display(binding),
                    enabled=command.enabled,
                    tooltip=binding.tooltip or binding.description,
                    palette=True,
                )
            )
        return list(keys.values()), palette
