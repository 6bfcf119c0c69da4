"""Keys that open a field are priority keys; while a text field has the focus, they are its."""

from __future__ import annotations

from textual.actions import SkipAction
from textual.widget import Widget
from textual.widgets import Input, TextArea


def not_while_typing(focused: Widget | None) -> None:
    """For the action of such a key: while a text field has the focus, the key is the field's
    own character (SkipAction hands it on to the field)."""
    if isinstance(focused, (Input, TextArea)):
        raise SkipAction()
