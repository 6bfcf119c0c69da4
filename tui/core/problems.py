"""The errors a command ends with when its input cannot be used: a bad command-line value
(:class:`UsageError`) or an unusable config (:class:`ConfigError`). Pure, so a command that
never reads the config does not load the config machinery to report one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class UsageError(Exception):
    """A command-line value that cannot be used; the message says which and why (exit 2)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the config, at a dotted location such as ``targets[1].kind``."""

    location: str
    message: str


class ConfigError(Exception):
    """The config cannot be used. ``str()`` gives one line per problem, each naming the file."""

    def __init__(self, path: Path, location: str, message: str) -> None:
        self.path = path
        self.problems: list[Problem] = [Problem(location, message)]
        super().__init__(str(self))

    @classmethod
    def many(cls, path: Path, problems: Sequence[Problem]) -> ConfigError:
        error = cls(path, problems[0].location, problems[0].message)
        error.problems = list(problems)
        error.args = (str(error),)
        return error

    def __str__(self) -> str:
        lines = []
        for problem in self.problems:
            where = f"{self.path}: {problem.location}" if problem.location else str(self.path)
            lines.append(f"{where}: {problem.message}")
        return "\n".join(lines)
