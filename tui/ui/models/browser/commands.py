"""The ``:`` commands of the location bar and how the text typed there is read."""

from __future__ import annotations

from typing import NamedTuple

from tui.core.resources.paths import ALIASES

COMMANDS: dict[str, str] = {
    "t": "target",
    "target": "target",
    "d": "details",
    "details": "details",
    "f": "filter",
    "filter": "filter",
    "fields": "fields",
    "raw": "raw",
    "y": "raw",
    "w": "watch",
    "watch": "watch",
    "r": "refresh",
    "refresh": "refresh",
    "b": "back",
    "back": "back",
    "fwd": "forward",
    "forward": "forward",
    "up": "up",
    "home": "home",
    "delete": "delete",
    "del": "delete",
    "set": "set",
    "action": "action",
    "create": "create",
    "push": "push",
    "copy": "copy",
    "inspect": "inspect",
    "help": "help",
    "?": "help",
}

HELP = (
    ":ALIAS go to a resource (:sipsg :sst :routing :alarms :users :groups :mailboxes :sockets …) · "
    ":t NAME switch target · :d details · :f CATEGORY|all · :fields a,b · :w [SECONDS] watch · "
    ":raw · :r refresh · :back :fwd :up :home · writes: :delete :set NAME=VALUE :action NAME "
    ":create NAME=VALUE… :push TEXT"
)


class Command(NamedTuple):
    """A command word (resolved through :data:`COMMANDS`) and the rest of the line."""

    name: str
    argument: str


class AliasJump(NamedTuple):
    """``:users`` and friends: a resource alias, and the target kinds that have it."""

    alias: str
    kinds: tuple[str, ...]


def read_command(text: str) -> Command | AliasJump | None:
    """What ``:word rest`` asks for, or None when the word is unknown."""
    word, _, rest = text.strip().removeprefix(":").strip().partition(" ")
    lowered = word.lower()
    if lowered in COMMANDS:
        return Command(COMMANDS[lowered], rest.strip())
    kinds = tuple(kind for kind, aliases in ALIASES.items() if lowered in aliases)
    if kinds:
        return AliasJump(lowered, kinds)
    return None


def alias_words() -> list[str]:
    """Every ``:alias`` and ``:command``, for the location bar's suggestions."""
    words = {f":{name}" for aliases in ALIASES.values() for name in aliases}
    words |= {f":{name}" for name in COMMANDS if len(name) > 1}
    return sorted(words)
