"""F1: help for the focused widget, or for the screen when nothing has focus, plus its keys."""

from __future__ import annotations

import contextlib
from textwrap import dedent

from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import HelpPanel, Markdown


class NocHelpPanel(HelpPanel):
    """Textual's help panel, falling back to the screen's ``HELP`` instead of showing nothing."""

    def update_help(self, focused_widget: Widget | None) -> None:
        if not self.app.app_focus or not self.screen.is_active:
            return
        help_text = ""
        nodes = focused_widget.ancestors_with_self if focused_widget is not None else [self.screen]
        for node in nodes:
            if isinstance(node, Widget) and node.HELP:
                help_text = node.HELP
                break
        self.set_class(bool(help_text), "-show-help")
        with contextlib.suppress(NoMatches):
            self.query_one(Markdown).update(dedent(help_text.rstrip()))
