"""A dialog of one field, opened by a key: what is typed right after that key is the field's."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.screen import ModalScreen
from textual.widgets import Input


class FieldDialog(ModalScreen[str | None]):
    """Returns the field's text (Enter) or None (its cancel key).

    Keys typed right after the key that opened it (one burst: a laggy SSH link, a paste without
    its markers) reach the dialog before its field has the focus. They go into the field, and
    an Enter among them submits; before, they were lost. The opening key must be a priority
    binding, or they reach the screen underneath first.
    """

    FIELD_ID: ClassVar[str] = ""

    def on_mount(self) -> None:
        self.set_focus(self.query_one(f"#{self.FIELD_ID}", Input))

    def on_key(self, event: events.Key) -> None:
        field = self.query_one(f"#{self.FIELD_ID}", Input)
        if self.focused is field:
            return
        if event.is_printable and event.character:
            self.set_focus(field)
            field.insert_text_at_cursor(event.character)
        elif event.key == "enter":
            self.dismiss(field.value)
        else:
            return
        event.stop()
        event.prevent_default()
