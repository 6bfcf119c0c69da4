"""The Calls screen's filter: the feed's query language over groups instead of events.

    state:ESTABLISHED node:~95.191 duration:>60 sip:5xx kind:call !caller:1001 is:failed

- ``field:value`` matches exactly (any case); ``*`` and ``?`` are wildcards; ``a,b`` means
  either; ``field:~text`` matches text anywhere. ``!`` negates a term; terms are joined by AND.
  A word without a field searches the id, node, caller, callee, state and reason.
- Text fields: id, kind, state (status), final, node, caller, callee, reason (info), rule,
  queue, user, session, linked. ``node:10.20.0.11`` also matches a WCS node id ``…@10.20.0.11``.
- ``sip:`` and ``reply:`` take a code (503), a class (5xx) or a comparison (>=400);
  ``duration:`` (seconds), ``events:`` and ``errors:`` take a number or a comparison (>60).
- ``is:`` takes failed, refused, live, ended or linked.

Quote values with spaces: ``reason:"SIP 503*"``. Values the operator types are only ever
compared, never evaluated.
"""

from __future__ import annotations

import fnmatch
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from tui.core.correlate.groups import Group

GroupPredicate = Callable[[Group], bool]


class GroupQueryError(ValueError):
    """A query that cannot be understood; the message says why and what works."""


@dataclass(frozen=True)
class GroupQuery:
    """A compiled query: its text, and the test it stands for."""

    text: str
    predicate: GroupPredicate
    terms: int

    def __call__(self, group: Group) -> bool:
        return self.predicate(group)

    @property
    def is_empty(self) -> bool:
        return self.terms == 0


def _short_node(node: str) -> str:
    return node.rsplit("@", 1)[-1]


TEXT_FIELDS: dict[str, Callable[[Group], tuple[str, ...]]] = {
    "id": lambda g: (g.id, g.key),
    "kind": lambda g: (g.kind,),
    "state": lambda g: (g.state,),
    "status": lambda g: (g.state,),
    "final": lambda g: (g.final_status,),
    "node": lambda g: g.nodes or ("",),
    "caller": lambda g: (g.caller,),
    "callee": lambda g: (g.callee,),
    "reason": lambda g: (g.reason,),
    "info": lambda g: (g.reason,),
    "rule": lambda g: (g.rule,),
    "queue": lambda g: (g.queue,),
    "user": lambda g: (g.user,),
    "session": lambda g: (g.session,),
    "linked": lambda g: (g.linked,),
}
CODE_FIELDS: dict[str, Callable[[Group], float]] = {  # 0 means "none": never below a bound
    "sip": lambda g: g.sip_status,
    "reply": lambda g: g.last_reply,
}
COUNT_FIELDS: dict[str, Callable[[Group], float]] = {
    "duration": lambda g: g.duration_s,
    "events": lambda g: g.events,
    "errors": lambda g: g.errors,
}
FLAGS: dict[str, GroupPredicate] = {
    "failed": lambda g: g.failed,
    "refused": lambda g: g.refused > 0,
    "live": lambda g: not g.ended,
    "ended": lambda g: g.ended,
    "linked": lambda g: bool(g.linked),
}
# Fields whose values repeat a lot: their verdicts are remembered per distinct value, so a filter
# over 100,000 calls costs a dictionary lookup per call and term for these.
_FEW_VALUES = frozenset({"kind", "state", "status", "final", "node", "reason", "info", "rule",
                         "queue", "user"})  # fmt: skip
_MEMO_LIMIT = 100_000
FIELD_NAMES = sorted([*TEXT_FIELDS, *CODE_FIELDS, *COUNT_FIELDS, "is"])


def _free_text(group: Group) -> str:
    return "\x00".join(
        (group.id, *group.nodes, group.caller, group.callee, group.state, group.reason)
    ).lower()


def _text_test(value: str) -> Callable[[str], bool]:
    if value.startswith("~"):
        needle = value[1:].lower()
        return lambda v: needle in v.lower()
    options = [v for v in value.split(",") if v] or [""]
    exact = {v.lower() for v in options if not any(c in v for c in "*?[")}
    patterns = [
        re.compile(fnmatch.translate(v), re.IGNORECASE) for v in options if v.lower() not in exact
    ]
    return lambda v: v.lower() in exact or any(p.match(v) for p in patterns)


_COMPARE = re.compile(r"^(>=|<=|>|<|=)?(\d+(?:\.\d+)?)$")


def _number_test(field: str, value: str, *, zero_is_none: bool) -> Callable[[float], bool]:
    tests: list[Callable[[float], bool]] = []
    for option in value.split(","):
        option = option.strip().lower()
        if zero_is_none and re.fullmatch(r"[1-6]xx", option):
            low = int(option[0]) * 100
            tests.append(lambda v, low=low: low <= v < low + 100)  # type: ignore[misc]
            continue
        match = _COMPARE.match(option)
        if not match:
            what = "a code (503), a class (5xx)" if zero_is_none else "a number (60)"
            raise GroupQueryError(f"{field}:{option} — give {what} or a comparison (>=400, >60)")
        tests.append(_compare(match.group(1) or "=", float(match.group(2)), zero_is_none))
    return tests[0] if len(tests) == 1 else (lambda v: any(t(v) for t in tests))


def _compare(op: str, bound: float, zero_is_none: bool) -> Callable[[float], bool]:
    floor = 0.0 if zero_is_none else float("-inf")  # a missing code is not "below 400"
    if op == ">=":
        return lambda v: v >= bound
    if op == ">":
        return lambda v: v > bound
    if op == "<=":
        return lambda v: floor < v <= bound
    if op == "<":
        return lambda v: floor < v < bound
    return lambda v: v == bound


def _term(token: str) -> GroupPredicate:
    negate = token.startswith("!") and len(token) > 1
    if negate:
        token = token[1:]
    test = _positive(token)
    if negate:
        return lambda g: not test(g)
    return test


def _positive(token: str) -> GroupPredicate:
    field, sep, value = token.partition(":")
    if not sep or not re.fullmatch(r"[a-z_]+", field.lower()):
        needle = token.lower()
        return lambda g: needle in _free_text(g)
    field = field.lower()
    if field in TEXT_FIELDS:
        values, text = TEXT_FIELDS[field], _text_test(value)
        if field == "node":  # a WCS node id is <32 characters>@<ip>: the IP matches too
            plain = text
            text = lambda v: plain(v) or plain(_short_node(v))  # noqa: E731
        if field not in _FEW_VALUES:
            return lambda g: any(text(v) for v in values(g))
        return _remembered(values, text)
    if field in CODE_FIELDS or field in COUNT_FIELDS:
        code = field in CODE_FIELDS
        number = (CODE_FIELDS if code else COUNT_FIELDS)[field]
        check = _number_test(field, value, zero_is_none=code)
        return lambda g: check(number(g))
    if field == "is":
        flags = [v.strip().lower() for v in value.split(",")]
        unknown = [f for f in flags if f not in FLAGS]
        if unknown:
            raise GroupQueryError(f"is:{unknown[0]} — use one of {', '.join(FLAGS)}")
        tests = [FLAGS[f] for f in flags]
        return lambda g: any(t(g) for t in tests)
    raise GroupQueryError(f"unknown field {field!r}; fields: {', '.join(FIELD_NAMES)}")


def _remembered(
    values: Callable[[Group], tuple[str, ...]], text: Callable[[str], bool]
) -> GroupPredicate:
    memo: dict[tuple[str, ...], bool] = {}

    def test(group: Group) -> bool:
        key = values(group)
        verdict = memo.get(key)
        if verdict is None:
            verdict = any(text(v) for v in key)
            if len(memo) < _MEMO_LIMIT:
                memo[key] = verdict
        return verdict

    return test


def _always(group: Group) -> bool:
    return True


def compile_group_query(text: str) -> GroupQuery:
    """Parse and compile; raises GroupQueryError with a message fit to show under the box."""
    try:
        tokens = shlex.split(text, posix=True)
    except ValueError as exc:
        raise GroupQueryError(f"cannot read the query: {exc} (check the quotes)") from None
    terms = [_term(token) for token in tokens]
    if not terms:
        return GroupQuery(text, _always, 0)
    if len(terms) == 1:
        return GroupQuery(text, terms[0], 1)
    return GroupQuery(text, lambda g: all(t(g) for t in terms), len(terms))
