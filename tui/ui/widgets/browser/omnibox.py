"""The location bar: a URL, a path (absolute or relative to where you are), or a ``:`` command;
``/`` turns it into the row filter. Suggestions come from the target's aliases and history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

GO = "go"
FILTER = "filter"
_PROMPTS = {GO: " go ", FILTER: " / "}
_HINTS = {
    GO: "path, URL or :command (:sipsg :users :sockets :t NAME …)",
    FILTER: "filter rows (text, or !text to hide matches); enter keeps it, escape clears",
}


class Omnibox(Input):
    """The input itself; escape gives focus back to the table."""

    BINDINGS = [Binding("escape", "cancel", "Back to the table", id="browser.omnibox.cancel")]

    class Cancelled(Message):
        """Escape was pressed in the location bar."""

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())


class LocationBar(Horizontal):
    """A prompt (``go`` or ``/``) and the omnibox."""

    DEFAULT_CSS = """
    LocationBar { height: 1; background: $boost; }
    LocationBar > Label { width: auto; color: $background; background: $accent; text-style: bold; }
    LocationBar > Label.-filter { background: $warning; }
    LocationBar > Omnibox { width: 1fr; border: none; height: 1; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.mode = GO

    def compose(self) -> ComposeResult:
        yield Label(_PROMPTS[GO], id="location-prompt")
        yield Omnibox(placeholder=_HINTS[GO], compact=True, id="omnibox", select_on_focus=False)

    @property
    def omnibox(self) -> Omnibox:
        return self.query_one(Omnibox)

    def set_mode(self, mode: str, value: str = "") -> None:
        self.mode = mode
        prompt = self.query_one("#location-prompt", Label)
        prompt.update(_PROMPTS[mode])
        prompt.set_class(mode == FILTER, "-filter")
        box = self.omnibox
        box.placeholder = _HINTS[mode]
        box.value = value
        box.cursor_position = len(value)

    def set_suggestions(self, words: list[str]) -> None:
        self.omnibox.suggester = SuggestFromList(words, case_sensitive=False)
