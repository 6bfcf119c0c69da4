"""The feed's filter language.

    type:CallStatusEvent status:FAILED,BUSY call:pbx-* node:~10.20.1 !status:PLAYING sip:4xx ICE
    latency:>100 time:06:00-06:30

- ``field:value`` matches the field exactly (case-insensitive); ``*`` and ``?`` are wildcards;
  ``a,b`` means either. ``field:~text`` matches text anywhere in the field; ``field:=text``
  matches exactly that text (no wildcards, no lists: for ids with ``*`` or ``,`` in them).
  ``type:`` matches a
  WCS method (``StreamStatusEvent``) or an ICWS message class (``queueContents``).
- ``!`` before a term negates it. Terms are joined by AND.
- A word without a field matches a whole word of any text field: ``ICE`` finds "Failed by ICE
  timeout", not "SERVICE UNAVAILABLE"; ``*`` and ``?`` stand for letters or digits (``fail*``
  finds FAILED), and ``~text`` finds the text anywhere, inside words too. Quote values with
  spaces: ``info:"SIP 486*"``, ``"busy here"``.
- ``sip:`` and ``reply:`` take a code (``486``), a class (``4xx``) or a comparison (``>=400``).
- ``sev:`` takes ok, notice, warning or error (``sev:>=warning`` for warnings and errors).
- ``latency:`` (``took:``) compares the answer's time in ms (``latency:>100``, ``>=1.5s``);
  ``time:`` takes a time of day in the console's clock (``time:>06:00``, ``time:06:00-06:30``)
  or an ISO time (``time:2026-03-14T06:00..2026-03-14T06:30``); see :mod:`tui.core.query_time`.

A query compiles to one generated Python function over stored rows (plain tuples). Fields with
few distinct values (status, method, node…) remember each value's verdict, so most rows cost a
dict lookup per term: filtering a million events stays under a second.
"""

from __future__ import annotations

import fnmatch
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from typing import Any

from tui.core.feed import SEVERITY_NAMES, FeedEvent
from tui.core.query_time import TimeValueError, latency_test, time_test

Row = Sequence[Any]
Predicate = Callable[[Row], bool]
Test = Callable[[Any], bool]

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
FIELD_NAMES = sorted([*TEXT_FIELDS, *NUMBER_FIELDS, "sev", "latency", "took", "time"])
# Fields whose values repeat a lot: their verdicts are remembered per distinct value.
_FEW_VALUES = frozenset(
    _INDEX[f]
    for f in ("method", "status", "node", "app", "source", "kind", "info", "queue", "rule",
              "sip_status", "reply_status", "severity", "error_id", "user")
)  # fmt: skip
_FREE_TEXT = tuple(
    _INDEX[f]
    for f in (
        "method", "status", "info", "call", "session", "stream", "node", "app", "caller",
        "callee", "queue", "user", "error_id", "rule", "media",
    )
)  # fmt: skip
_MEMO_LIMIT = 200_000


class QueryError(ValueError):
    """A query the operator typed cannot be understood; the message says why and what works."""


@dataclass(frozen=True)
class Term:
    """One term of a query: a test of one row field, or of a word in any text field."""

    index: int | None  # the row field, or None for free text over every text field
    test: Test  # called with the field's value (free text: with the fields joined)
    negate: bool
    pattern: re.Pattern[str] | None = None  # free text: what it finds in a field's text
    also: int | None = None  # a second field that may match instead (type: method or kind)


@dataclass(frozen=True)
class Query:
    """A compiled query: its text, the predicate it stands for and the terms it is made of."""

    text: str
    predicate: Predicate
    terms: int
    parts: tuple[Term, ...] = field(default=(), compare=False)

    def __call__(self, row: Row) -> bool:
        return self.predicate(row)

    @property
    def is_empty(self) -> bool:
        return self.terms == 0

    def matched_fields(self, row: Row) -> frozenset[int]:
        """The row fields a field term (not negated) of this query matches in ``row``."""
        found: set[int] = set()
        for term in self.parts:
            if term.negate or term.index is None:
                continue
            if term.test(row[term.index]):
                found.add(term.index)
            elif term.also is not None and term.test(row[term.also]):
                found.add(term.also)
        return frozenset(found)

    @property
    def words(self) -> tuple[re.Pattern[str], ...]:
        """What the free-text terms (not negated) find in a field's text, to highlight it."""
        return tuple(t.pattern for t in self.parts if t.pattern is not None and not t.negate)


def _text_test(value: str) -> Test:
    if value.startswith("~"):
        needle = value[1:].lower()
        return lambda v: needle in v.lower()
    if value.startswith("="):
        literal = value[1:].lower()
        return lambda v: v.lower() == literal
    options = [v for v in value.split(",") if v] or [""]
    exact = {v.lower() for v in options if not any(c in v for c in "*?[")}
    patterns = [
        re.compile(fnmatch.translate(v), re.IGNORECASE) for v in options if v.lower() not in exact
    ]
    if not patterns:
        return lambda v: v.lower() in exact
    return lambda v: v.lower() in exact or any(p.match(v) for p in patterns)


_COMPARE = re.compile(r"^(>=|<=|>|<|=)?(\d+)$")


def _compare(op: str, number: int) -> Test:
    if op == ">=":
        return lambda v: v >= number
    if op == "<=":
        return lambda v: 0 < v <= number
    if op == ">":
        return lambda v: v > number
    if op == "<":
        return lambda v: 0 < v < number
    return lambda v: v == number


def _number_test(field: str, value: str) -> Test:
    tests: list[Test] = []
    for option in value.split(","):
        option = option.strip().lower()
        if re.fullmatch(r"[1-6]xx", option):
            low = int(option[0]) * 100
            tests.append(lambda v, low=low: low <= v < low + 100)  # type: ignore[misc]
            continue
        match = _COMPARE.match(option)
        if not match:
            raise QueryError(
                f"{field}:{option} — give a code (486), a class (4xx) or a comparison (>=400)"
            )
        tests.append(_compare(match.group(1) or "=", int(match.group(2))))
    return tests[0] if len(tests) == 1 else (lambda v: any(t(v) for t in tests))


def _severity_test(value: str) -> Test:
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
    if not op:
        return lambda v: v in levels
    bound = max(levels) if op == "<" else min(levels)
    if op == ">=":
        return lambda v: v >= bound
    if op == ">":
        return lambda v: v > bound
    if op == "<=":
        return lambda v: v <= bound
    return lambda v: v < bound


def word_pattern(word: str) -> re.Pattern[str]:
    """A bare word as a pattern: the whole word (``*`` and ``?`` standing for letters or
    digits), or, written ``~text``, the text anywhere. Any case."""
    if word.startswith("~") and len(word) > 1:
        return re.compile(re.escape(word[1:]), re.IGNORECASE)
    body = "".join(r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c) for c in word)
    start = r"(?<!\w)" if re.match(r"[\w*?]", word) else ""
    end = r"(?!\w)" if re.search(r"[\w*?]$", word) else ""
    return re.compile(start + body + end, re.IGNORECASE)


def _word_test(word: str, pattern: re.Pattern[str]) -> Test:
    # The longest plain piece is looked for first: a substring test is many times cheaper
    # than the pattern, and most rows do not hold it at all.
    plain = max(re.split(r"[*?]", word.removeprefix("~")), key=len).lower()
    search = pattern.search
    if not plain:
        return lambda text: search(text) is not None
    return lambda text: plain in text.lower() and search(text) is not None


def _term(token: str, zone: tzinfo | None) -> Term:
    negate = token.startswith("!") and len(token) > 1
    if negate:
        token = token[1:]
    field, sep, value = token.partition(":")
    if not sep or not re.fullmatch(r"[a-z_]+", field):
        pattern = word_pattern(token)
        return Term(None, _word_test(token, pattern), negate, pattern)
    field = field.lower()
    if field == "type":  # a WCS method (StreamStatusEvent) or an ICWS message class (queueContents)
        return Term(_INDEX["method"], _text_test(value), negate, also=_INDEX["kind"])
    if field in TEXT_FIELDS:
        return Term(_INDEX[TEXT_FIELDS[field]], _text_test(value), negate)
    if field in NUMBER_FIELDS:
        return Term(_INDEX[NUMBER_FIELDS[field]], _number_test(field, value), negate)
    if field in ("sev", "severity"):
        return Term(_INDEX["severity"], _severity_test(value), negate)
    try:
        if field in ("latency", "took"):
            return Term(_INDEX["latency_ms"], latency_test(value), negate)
        if field == "time":
            return Term(_INDEX["ts"], time_test(value, zone), negate)
    except TimeValueError as exc:
        raise QueryError(str(exc)) from None
    raise QueryError(f"unknown field {field!r}; fields: {', '.join(FIELD_NAMES)}")


def _generate(terms: list[Term]) -> Predicate:
    """One function testing every term in turn, with per-value memos where values repeat.

    The generated source only ever contains row indexes and local names; values the operator
    typed stay in the closure (never in the source), so nothing they type is evaluated.
    """
    names: dict[str, Any] = {}
    lines = ["def predicate(row):"]
    few = ", ".join(f"row[{i}]" for i in _FREE_TEXT if i in _FEW_VALUES)
    many = ", ".join(f"row[{i}]" for i in _FREE_TEXT if i not in _FEW_VALUES)
    for n, term in enumerate(terms):
        names[f"test{n}"] = term.test
        fail = "if r:" if term.negate else "if not r:"
        if term.index is None:
            # Free text: the fields whose values repeat are judged once per combination of
            # values (a memo); the ids (call, session…) are searched row by row. The fields
            # are joined with a character that is not part of any word.
            names[f"memo{n}"] = {}
            lines += [
                f"    k = ({few})",
                f"    r = memo{n}.get(k)",
                "    if r is None:",
                f"        r = test{n}(JOIN(k))",
                f"        if len(memo{n}) < LIMIT:",
                f"            memo{n}[k] = r",
                "    if not r:",
                f"        r = test{n}(JOIN(({many})))",
            ]
        elif term.also is not None:
            lines.append(f"    r = test{n}(row[{term.index}]) or test{n}(row[{term.also}])")
        elif term.index in _FEW_VALUES:
            memo: dict[Any, bool] = {}
            names[f"memo{n}"] = memo
            lines += [
                f"    v = row[{term.index}]",
                f"    r = memo{n}.get(v)",
                "    if r is None:",
                f"        r = test{n}(v)",
                f"        if len(memo{n}) < LIMIT:",
                f"            memo{n}[v] = r",
            ]
        else:
            lines.append(f"    r = test{n}(row[{term.index}])")
        lines.append(f"    {fail}")
        lines.append("        return False")
    lines.append("    return True")
    names.update(JOIN="\x00".join, LIMIT=_MEMO_LIMIT)
    exec(compile("\n".join(lines), "<query>", "exec"), names)
    predicate: Predicate = names["predicate"]
    return predicate


def _always(row: Row) -> bool:
    return True


_PLAIN_VALUE = re.compile(r"[^\s*?\[,~=!'\"\\][^\s*?\[,'\"\\]*")


def exact_term(field: str, value: str) -> str:
    """The query term matching ``field`` equal to ``value`` exactly, however odd the value:
    ``call:b6f1`` when the value reads plainly, else ``call:=…``, quoted where needed."""
    if _PLAIN_VALUE.fullmatch(value):
        return f"{field}:{value}"
    return shlex.quote(f"{field}:={value}")


def pinned_values(text: str, fields: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """For each of the row ``fields`` a query pins, the values (lowercased) a matching row's
    field must equal: from a term that is not negated and names one value or a list of them
    with no wildcard (``node:wcs1``, ``method:A,B``, ``node:=a*b``). A source that can filter
    before the query runs (a NATS subject) narrows by these; the query itself still decides.

    Two terms on one field must both hold, so the values of either serve; the first is kept.
    ``type:`` is left out: it also matches an event's kind."""
    try:
        tokens = shlex.split(text, posix=True)
    except ValueError:
        return {}
    aliases = {alias: name for alias, name in TEXT_FIELDS.items() if name in fields}
    pinned: dict[str, tuple[str, ...]] = {}
    for token in tokens:
        name, sep, value = token.partition(":")
        row_field = aliases.get(name.lower()) if sep and name != "type" else None
        if row_field is None or row_field in pinned:
            continue
        if value.startswith("="):
            values: tuple[str, ...] = (value[1:],)
        elif value.startswith("~") or any(c in value for c in "*?["):
            continue
        else:
            values = tuple(dict.fromkeys(v for v in value.split(",") if v)) or ("",)
        pinned[row_field] = tuple(v.lower() for v in values)
    return pinned


def compile_query(text: str, zone: tzinfo | None = UTC) -> Query:
    """Parse and compile; raises QueryError with a message fit to show under the filter box.

    ``zone`` is the clock a ``time:`` of day or an ISO time without offset is read in: the
    one the console shows (UTC unless configured otherwise; None for the machine's zone)."""
    try:
        tokens = shlex.split(text, posix=True)
    except ValueError as exc:
        raise QueryError(f"cannot read the query: {exc} (check the quotes)") from None
    terms = [_term(token, zone) for token in tokens]
    if not terms:
        return Query(text, _always, 0)
    return Query(text, _generate(terms), len(terms), tuple(terms))
