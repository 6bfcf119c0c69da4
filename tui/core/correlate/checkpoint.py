"""Groups as the journal keeps them between checkpoints, and back.

The live correlator writes the groups that changed into the journal's ``groups`` table every few
seconds and when the run ends (:meth:`Correlator.take_changed`). ``noc-console calls`` then reads
those rows and folds only the events after the last checkpoint, instead of every event of the
run; a journal without checkpoints (or from a run that died before its first) is folded whole.
Both ways give the same groups: a test keeps it so.
"""

from __future__ import annotations

import json
from array import array
from dataclasses import fields
from operator import attrgetter
from typing import Any

from tui.core.correlate.groups import Group
from tui.core.sanitize import clean_line

_FIELDS = tuple(f.name for f in fields(Group) if f.name != "seqs")


_OTHER_NODES = _FIELDS.index("other_nodes")
_MEDIA = _FIELDS.index("media")
_CHILDREN = _FIELDS.index("children")
_STATE = attrgetter(*_FIELDS)
VERSION = 2  # the first element of a row's state: its layout (the Group fields in order)


def group_row(group: Group) -> tuple[str, str, bytes, float, str]:
    """(key, state as JSON, seqs as 8-byte integers, first time, listing) for the journal. The
    state is an array (a version, then the fields in order), the fastest form to read back by
    the hundred thousand; the listing is what ``calls --json`` prints, so a run that ended with
    a checkpoint is listed without rebuilding a single group."""
    state: list[Any] = [VERSION, *(getattr(group, name) for name in _FIELDS)]
    listing = json.dumps(group.to_json(), ensure_ascii=False)
    doc = json.dumps(state, separators=(",", ":"))
    return group.key, doc, group.seqs.tobytes(), group.first, listing


class GroupSnapshot:
    """A group as it is at a checkpoint, taken in a few microseconds on the thread that owns
    the correlator; :meth:`row` then makes its :func:`group_row` row anywhere (the journal's
    writer does, so the owner's loop no longer stops for the JSON of every changed group:
    ~43 µs each, a quarter of a second for the 6,000 new calls of two seconds at 3,000/s)."""

    __slots__ = ("_seqs", "_state", "key")

    def __init__(self, group: Group) -> None:
        self.key = group.key
        state: tuple[Any, ...] = _STATE(group)
        if group.media is not None or group.children is not None:  # the only mutable fields
            copied = list(state)
            copied[_MEDIA] = dict(group.media) if group.media is not None else None
            copied[_CHILDREN] = list(group.children) if group.children is not None else None
            state = tuple(copied)
        self._state = state
        self._seqs = group.seqs.tobytes()

    def row(self) -> tuple[str, str, bytes, float, str]:
        """The group's row, as :func:`group_row` gives it for the group when it was taken."""
        group = Group(**dict(zip(_FIELDS, self._state, strict=True)))
        numbers: array[int] = array("q")
        numbers.frombytes(self._seqs)
        group.seqs = numbers
        return group_row(group)


def group_from_row(doc: str, seqs: bytes) -> Group:
    """The group a :func:`group_row` row stands for (ValueError when it is not one)."""
    state = json.loads(doc)
    if not isinstance(state, list) or len(state) != len(_FIELDS) + 1 or state[0] != VERSION:
        raise ValueError("not a group row of this version")
    # A journal may come from elsewhere: its text is cleaned like any remote text.
    values = [_clean(v) for v in state[1:]]
    values[_OTHER_NODES] = tuple(_clean(v) for v in values[_OTHER_NODES])
    group = Group(**dict(zip(_FIELDS, values, strict=True)))
    numbers: array[int] = array("q")
    numbers.frombytes(seqs or b"")
    group.seqs = numbers
    return group


def _clean(value: Any) -> Any:
    return clean_line(value) if isinstance(value, str) and not value.isprintable() else value
