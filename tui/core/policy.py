"""Policy rules: when the console is the backend, which hooks it refuses (403) and why.

Rules come from config and can be switched on and off from the UI while hooks flow. Only direct
and incoming invocations can be refused (WCS ignores a refusal of an event); a rule naming an event
is rejected when the config is loaded.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

DENY_STATUS = 403


@dataclass
class Rule:
    """Refuse ``methods`` when body field ``field`` matches ``pattern`` (glob, or ``re:`` regex)."""

    name: str
    methods: tuple[str, ...]
    field: str
    pattern: str
    enabled: bool = True
    hits: int = 0
    _matcher: re.Pattern[str] = dataclass_field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.pattern.startswith("re:"):
            self._matcher = re.compile(self.pattern[3:])
        else:
            self._matcher = re.compile(fnmatch.translate(self.pattern))

    def matches(self, method: str, payload: dict[str, Any]) -> bool:
        if method not in self.methods:
            return False
        value = payload.get(self.field)
        if value is None or isinstance(value, (dict, list)):
            return False
        return bool(self._matcher.match(str(value)))

    def describe(self) -> str:
        return f"{'/'.join(self.methods)} where {self.field} ~ {self.pattern}"


@dataclass(frozen=True)
class Decision:
    """What the backend answers: 200 (allowed) or 403 with the rule that refused."""

    status: int
    rule: str = ""

    @property
    def allowed(self) -> bool:
        return self.status == 200


ALLOW = Decision(200)


class PolicyEngine:
    """The live set of rules; the first enabled rule that matches decides."""

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self.rules: list[Rule] = list(rules)
        self._methods = frozenset(m for r in self.rules for m in r.methods)

    def decide(self, method: str, payload: dict[str, Any]) -> Decision:
        if method not in self._methods:
            return ALLOW
        for rule in self.rules:
            if rule.enabled and rule.matches(method, payload):
                rule.hits += 1
                return Decision(DENY_STATUS, rule.name)
        return ALLOW

    def toggle(self, name: str) -> bool:
        """Switch a rule on or off; returns its new state."""
        rule = self.get(name)
        rule.enabled = not rule.enabled
        return rule.enabled

    def get(self, name: str) -> Rule:
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)

    @property
    def names(self) -> Sequence[str]:
        return [r.name for r in self.rules]
