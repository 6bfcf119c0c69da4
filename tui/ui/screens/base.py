"""What the three working screens share: the header, the footer and the help text."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.screen import Screen

from tui.ui.widgets.footer import FittingFooter
from tui.ui.widgets.header import NocHeader

if TYPE_CHECKING:
    from tui.ui.app import NocApp


class NocScreen(Screen[None]):
    """A working screen: header on top, the screen's body, the footer with its few keys."""

    SCREEN_KEY: ClassVar[str] = ""

    @property
    def noc(self) -> NocApp:
        return cast("NocApp", self.app)

    def compose(self) -> ComposeResult:
        yield NocHeader(self.SCREEN_KEY)
        yield from self.compose_body()
        yield FittingFooter(compact=True)

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
