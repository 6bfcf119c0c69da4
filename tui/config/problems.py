"""Turning config problems into messages an operator can act on: file, field, what is allowed.

The error classes themselves live in :mod:`tui.core.problems` (re-exported here)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from tui.core.problems import ConfigError, Problem, UsageError

__all__ = ["ConfigError", "Problem", "UsageError", "format_validation_error"]

_SECRET_WORDS = ("password", "secret", "token", "key")
_SECRET_HINT = {
    "icws": "password_env",
    "targets": "secret_env",
    "hooks": "key_env",
    "nats": "password_env",
}


def _dotted(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _env_name(loc: Sequence[int | str]) -> str | None:
    """The environment variable that would set this location, if it is set."""
    parts = [str(p) for p in loc if not isinstance(p, int)]
    for cut in range(len(parts), 0, -1):
        name = "NOC_" + "__".join(parts[:cut]).upper()
        if name in os.environ:
            return name
    return None


def _message(error: dict[str, object], loc: Sequence[int | str]) -> str:
    kind = str(error.get("type", ""))
    message = str(error.get("msg", "invalid"))
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    if kind == "extra_forbidden":
        field = str(loc[-1]).lower() if loc else ""
        if any(word in field for word in _SECRET_WORDS):
            hint = _SECRET_HINT.get(str(loc[0]), "secret_env")
            return (
                "secrets are never written in the config: put it in an environment variable "
                f"and name that variable with {hint!r}"
            )
        return "unknown setting (check the spelling; config.example.toml lists every setting)"
    if kind != "missing" and "input" in error and not isinstance(error["input"], (dict, list)):
        shown = repr(error["input"])
        if len(shown) > 60:
            shown = shown[:57] + "..."
        message += f" (got {shown})"
    return message


def format_validation_error(
    path: Path, exc: ValidationError, prefix: tuple[str, ...] = ()
) -> ConfigError:
    problems = []
    for error in exc.errors(include_url=False):
        loc = (*prefix, *error["loc"])
        message = _message(dict(error), loc)
        env = _env_name(loc)
        if env:
            message += f" [set by environment variable {env}]"
        problems.append(Problem(_dotted(loc), message))
    return ConfigError.many(path, problems)
