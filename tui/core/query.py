"""The feed's filter language.

    method:CallStatusEvent status:FAILED,BUSY call:b6f1* node:~95.191 !status:PLAYING sip:4xx ICE

- ``field:value`` matches the field exactly (case-insensitive); ``*`` and ``?`` are wildcards;
  ``a,b`` means either. ``field:~text`` matches text anywhere in the field.
- ``!`` before a term negates it. Terms are joined by AND.
- A word without a field searches every text field. Quote values with spaces: ``info:"SIP 486*"``.
- ``sip:`` and ``reply:`` take a code (``486``), a class (``4xx``) or a comparison (``>=400``).
- ``sev:`` takes ok, notice, warning or error (``sev:>=warning`` for warnings and errors).

Queries compile to one predicate over stored rows (plain tuples), so filtering a million events
stays well under a second.
"""

from __future__ import annotations

import fnmatch
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tui.core.feed import SEVERITY_NAMES, FeedEvent

Row = Sequence[Any]
Predicate = Callable[[Row], bool]

_INDEX = {name: i for i, name in enumerate(FeedEvent._fields)}

TEXT_FIELDS: dict[str, str] = {
    "method": "method",
    "type": "method",
    "status": "status",
    "call": "call",
    "interaction": "call",
    "node": "node",
    "server": "node",
    "session": "session",
    "stream": "stream",
    "media": "media",
    "app": "app",
    "subscription": "app",
    "source": "source",
    "src": "source",
    "kind": "kind",
    "info": "info",
    "caller": "caller",
    "callee": "callee",
    "queue": "queue",
    "user": "user",
    "error": "error_id",
    "rule": "rule",
}
NUMBER_FIELDS: dict[str, str] = {"sip": "sip_status", "reply": "reply_status"}
FIELD_NAMES = sorted([*TEXT_FIELDS, *NUMBER_FIELDS, "sev"])
_FREE_TEXT = [
    _INDEX[f]
    for f in (
        "method", "status", "info", "call", "session", "stream", "node", "app", "caller",
        "callee", "queue", "user", "error_id", "rule", "media",
    )
]  # fmt: skip


class QueryError(ValueError):
    """A query the operator typed cannot be understood; the message says why and what works."""


@dataclass(frozen=True)
class Query:
    """A compiled query: its text and the predicate it stands for."""

    text: str
    predicate: Predicate
    terms: int

    def __call__(self, row: Row) -> bool:
        return self.predicate(row)

    @property
    def is_empty(self) -> bool:
        return self.terms == 0


def _text_matcher(index: int, value: str) -> Predicate:
    if value.startswith("~"):
        needle = value[1:].lower()
        return lambda row: needle in row[index].lower()
    options = [v for v in value.split(",") if v] or [""]
    exact = {v.lower() for v in options if not any(c in v for c in "*?[")}
    patterns = [
        re.compile(fnmatch.translate(v), re.IGNORECASE) for v in options if v.lower() not in exact
    ]
    if not patterns:
        if len(exact) == 1:
            (only,) = exact
            return lambda row: row[index].lower() == only
        return lambda row: row[index].lower() in exact
    return lambda row: row[index].lower() in exact or any(p.match(row[index]) for p in patterns)


_COMPARE = re.compile(r"^(>=|<=|>|<|=)?(\d+)$")


def _number_matcher(index: int, field: str, value: str) -> Predicate:
    predicates: list[Predicate] = []
    for option in value.split(","):
        option = option.strip().lower()
        if re.fullmatch(r"[1-6]xx", option):
            low = int(option[0]) * 100
            predicates.append(_band(index, low))
            continue
        match = _COMPARE.match(option)
        if not match:
            raise QueryError(
                f"{field}:{option} — give a code (486), a class (4xx) or a comparison (>=400)"
            )
        op, number = match.group(1) or "=", int(match.group(2))
        predicates.append(_compare(index, op, number))
    if len(predicates) == 1:
        return predicates[0]
    return lambda row: any(p(row) for p in predicates)


def _band(index: int, low: int) -> Predicate:
    return lambda row: low <= row[index] < low + 100


def _compare(index: int, op: str, number: int) -> Predicate:
    if op == ">=":
        return lambda row: row[index] >= number
    if op == "<=":
        return lambda row: 0 < row[index] <= number
    if op == ">":
        return lambda row: row[index] > number
    if op == "<":
        return lambda row: 0 < row[index] < number
    return lambda row: row[index] == number


def _severity_matcher(value: str) -> Predicate:
    index = _INDEX["severity"]
    op = ""
    for candidate in (">=", "<=", ">", "<"):
        if value.startswith(candidate):
            op, value = candidate, value[len(candidate) :]
            break
    names = [v.strip().lower() for v in value.split(",")]
    for name in names:
        if name not in SEVERITY_NAMES:
            raise QueryError(f"sev:{name} — use one of {', '.join(SEVERITY_NAMES)}")
    levels = {SEVERITY_NAMES.index(n) for n in names}
    if op:
        return _compare(index, op, min(levels)) if op != "<" else _compare(index, op, max(levels))
    return lambda row: row[index] in levels


def _free_text(word: str) -> Predicate:
    needle = word.lower()
    fields = _FREE_TEXT
    return lambda row: any(needle in row[i].lower() for i in fields if row[i])


def _term(token: str) -> Predicate:
    negate = token.startswith("!") and len(token) > 1
    if negate:
        token = token[1:]
    field, sep, value = token.partition(":")
    if not sep or not re.fullmatch(r"[a-z_]+", field):
        predicate = _free_text(token)
    else:
        field = field.lower()
        if field in TEXT_FIELDS:
            predicate = _text_matcher(_INDEX[TEXT_FIELDS[field]], value)
        elif field in NUMBER_FIELDS:
            predicate = _number_matcher(_INDEX[NUMBER_FIELDS[field]], field, value)
        elif field in ("sev", "severity"):
            predicate = _severity_matcher(value)
        else:
            raise QueryError(f"unknown field {field!r}; fields: {', '.join(FIELD_NAMES)}")
    if negate:
        inner = predicate
        return lambda row: not inner(row)
    return predicate


def _always(row: Row) -> bool:
    return True


def compile_query(text: str) -> Query:
    """Parse and compile; raises QueryError with a message fit to show under the filter box."""
    try:
        tokens = shlex.split(text, posix=True)
    except ValueError as exc:
        raise QueryError(f"cannot read the query: {exc} (check the quotes)") from None
    predicates = [_term(token) for token in tokens]
    if not predicates:
        return Query(text, _always, 0)
    if len(predicates) == 1:
        return Query(text, predicates[0], 1)
    if len(predicates) == 2:
        first, second = predicates
        return Query(text, lambda row: first(row) and second(row), 2)
    return Query(text, lambda row: all(p(row) for p in predicates), len(predicates))
