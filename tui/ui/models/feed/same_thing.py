"""`=` on the feed: the filter that shows only what the selected row is about.

A row is about one thing, the one its id column shows (:func:`~.columns.ident`): a call (WCS
call id), an ICWS interaction, a stream (by name, so its publishers and players alike), a WCS
media session, an ICWS queue or user, else the WCS session. The filter names that thing
exactly, so the whole story of a call shows (every state, not only the failed event picked).
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.feed import SOURCE_ICWS
from tui.core.query import Query, exact_term
from tui.ui.models.feed.columns import CALL, MEDIA, QUEUE, SESSION, SOURCE, STREAM, USER, Row

# The fields in the order the id column reads them: the first one a row has is what it is about.
_ABOUT = ((CALL, "call"), (STREAM, "stream"), (MEDIA, "media"), (QUEUE, "queue"),
          (USER, "user"), (SESSION, "session"))  # fmt: skip


@dataclass(frozen=True)
class SameThing:
    """What a row is about: ``what`` (call, interaction, stream…) and the filter text for it."""

    what: str
    value: str
    query: str


def same_thing(row: Row) -> SameThing | None:
    """The filter for the thing ``row`` is about; None when it is about nothing (an error the
    console raised with no call, stream or session, for instance)."""
    for index, field in _ABOUT:
        value = str(row[index] or "")
        if not value:
            continue
        if index == CALL and row[SOURCE] == SOURCE_ICWS:
            field = "interaction"  # the same field, named as ICWS names it
        return SameThing(field, value, exact_term(field, value))
    return None


@dataclass
class SameThingFilter:
    """The `=` toggle: it remembers the filter in force before it, to give it back."""

    before: Query | None = None
    active: SameThing | None = None

    def start(self, thing: SameThing, current: Query | None) -> None:
        self.before = current
        self.active = thing

    def stop(self) -> Query | None:
        """Ends the toggle; returns the filter to put back."""
        before = self.before
        self.before = None
        self.active = None
        return before

    def forget(self) -> None:
        """Another filter replaced this one (typed with `/`, say): nothing to give back."""
        self.before = None
        self.active = None
