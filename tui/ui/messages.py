"""What the screens ask of the app, and what the app tells the screens, as Textual messages.

A screen posts a request and the app, where it bubbles, decides what happens (switch screens,
write a file). No screen looks up another screen or calls into the app's attributes for this.
"""

from __future__ import annotations

from textual.message import Message


class InspectRequested(Message):
    """Decode ``text`` in the inspector; ``origin`` (``feed``, ``browser``…) joins its history."""

    def __init__(self, text: str, origin: str) -> None:
        super().__init__()
        self.text = text
        self.origin = origin


class ShowEventsRequested(Message):
    """Open the feed on just these events (from the inspector's errors seen)."""

    def __init__(self, seqs: tuple[int, ...], title: str) -> None:
        super().__init__()
        self.seqs = seqs
        self.title = title


class SaveEventRequested(Message):
    """Write one event (redacted) as JSON under the data folder and say where."""

    def __init__(self, seq: int) -> None:
        super().__init__()
        self.seq = seq


class CopyRequested(Message):
    """Copy ``text`` for the operator: the app sends it to the terminal (OSC 52), keeps a
    private copy on disk and says honestly what happened. ``what`` names it in the notice
    ("the SIP message")."""

    def __init__(self, text: str, what: str) -> None:
        super().__init__()
        self.text = text
        self.what = what


class TargetsArrived(Message, bubble=False):
    """The app's config gained REST targets after the screens were built (the demo's
    simulators come up in the background): a screen that lists targets rebuilds itself."""


class FeedColumnsChosen(Message):
    """The operator chose the feed's columns: keep them in the config in force and save them
    to the config file (``[feed] columns``), like the theme."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        super().__init__()
        self.columns = columns
