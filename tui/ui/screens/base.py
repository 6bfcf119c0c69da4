"""What the three working screens share: the header, the footer and the help text."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget

from tui.ui.context import NocContext
from tui.ui.palette import ScreenCommands
from tui.ui.typing_keys import not_while_typing
from tui.ui.widgets.footer import FittingFooter
from tui.ui.widgets.header import NocHeader


class NocScreen(Screen[None]):
    """A working screen: header on top, the screen's body, the footer with its few keys.

    It reads the app only through ``context`` and asks it for things with the messages of
    :mod:`tui.ui.messages`.
    """

    SCREEN_KEY: ClassVar[str] = ""
    COMMANDS = {ScreenCommands}  # the palette's entries for this screen, besides the app's

    def __init__(self, context: NocContext) -> None:
        super().__init__()
        self.context = context

    def start_typing(self, field: Widget) -> None:
        """Give ``field`` the keys from now on, for a key that opens it (``/``, ``f``, ``e``).

        Such a key's binding is a priority one, so the app runs it as the key comes in, before
        it hands the next key on; and the focus moves at once (``focus()`` would move it a turn
        later). Keys that came in the same burst (a paste without bracketed-paste markers, or
        typing over a laggy SSH link) then go into the field, not to the screen's keys: the
        ``q`` of ``error.request…`` quit the console. While a text field has the focus, the key
        is the field's own character (SkipAction hands it on).
        """
        self.not_while_typing()
        self.set_focus(field)

    def not_while_typing(self) -> None:
        """For such a key's action: while a text field has the focus, the key is its own."""
        not_while_typing(self.focused)

    def compose(self) -> ComposeResult:
        context = self.context
        replay = context.services.replay
        feed = context.services.feed
        yield NocHeader(
            self.SCREEN_KEY,
            sources=context.sources,
            clock_text=context.clock_text,
            demo_caption=context.demo_caption if context.demo or replay or feed else None,
            badge="REPLAY" if replay is not None else "NATS" if feed is not None else "DEMO",
            read_only=context.config.ui.read_only,
        )
        yield from self.compose_body()
        if replay is not None:
            from tui.ui.widgets.replay_bar import ReplayBar

            yield ReplayBar(replay, utc=lambda: context.config.ui.clock_utc)
        if feed is not None:
            from tui.ui.widgets.stream_bar import StreamBar

            yield StreamBar(feed, context.sources)
        yield FittingFooter()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
