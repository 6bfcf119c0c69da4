"""The ``[errors]`` section: handling rules for ICWS errorIds and extra catalog folders, and the
decoder the console and ``noc-console decode`` build from it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import (
    DirectoryPath,
    Field,
    HttpUrl,
    StringConstraints,
    field_validator,
    model_validator,
)

from tui.config.base import Section
from tui.core.errors.rules import HandlingRule

if TYPE_CHECKING:
    from tui.core.errors.detect import ErrorDecoder

_RULE_PREFIX = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*")


class ErrorRule(Section):
    """What to do about a class of ICWS errors: every errorId the prefix matches.

    ICWS prefix matching: ``error.request`` matches ``error.request.connection`` (whole
    segments), ``error.req`` does not. The most specific matching rule is shown first.
    """

    prefix: str
    """An errorId prefix of whole segments, e.g. ``error.request.connection``."""
    severity: Literal["info", "notice", "warning", "error", "critical"] = "error"
    """How serious the matching errors are: info, notice, warning, error or critical."""
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    """What the operator reads next to the error."""
    runbook: HttpUrl | None = None
    """A page saying what to do about it."""

    @field_validator("prefix")
    @classmethod
    def _prefix_is_an_error_id_prefix(cls, prefix: str) -> str:
        prefix = prefix.strip()
        if not _RULE_PREFIX.fullmatch(prefix) or len(prefix) > 400:
            raise ValueError(
                f"{prefix!r} is not an errorId prefix: dot-separated segments of letters, "
                "digits, '_' or '-', e.g. 'error.request.connection'"
            )
        if prefix.split(".")[0] != "error":
            raise ValueError(f"{prefix!r} can never match: every ICWS errorId starts with 'error'")
        return prefix


class ErrorsConfig(Section):
    """The error inspector: handling rules for ICWS errorIds, extra catalog folders."""

    rules: list[ErrorRule] = Field(default_factory=list)
    """Handling rules for ICWS errorIds; the most specific matching one is shown first."""
    catalog_dirs: list[DirectoryPath] = Field(default_factory=list)
    """Extra catalog folders (relative to the config file), read after the packaged catalogs
    and ``~/.config/noc-console/catalogs/``."""

    @model_validator(mode="after")
    def _prefixes_are_unique(self) -> Self:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.prefix in seen:
                raise ValueError(f"two rules for prefix {rule.prefix!r}: merge them into one")
            seen.add(rule.prefix)
        return self

    def handling_rules(self) -> tuple[HandlingRule, ...]:
        return tuple(
            HandlingRule(r.prefix, r.severity, r.label, str(r.runbook) if r.runbook else "")
            for r in self.rules
        )


def build_decoder(
    rules: Sequence[HandlingRule] = (),
    *,
    user_dir: Path | bool | None = True,
    extra_dirs: Iterable[Path] = (),
) -> ErrorDecoder:
    """A decoder over the packaged catalogs, the operator's folder (``user_dir=True``: the
    default ``~/.config/noc-console/catalogs``; ``None``/``False``: none) and ``extra_dirs``."""
    from tui.config.location import user_catalogs_dir
    from tui.core.errors.catalog import load_catalogs
    from tui.core.errors.context import Context
    from tui.core.errors.detect import ErrorDecoder

    folder = user_catalogs_dir() if user_dir is True else (user_dir or None)
    catalogs = load_catalogs(folder, extra_dirs)
    return ErrorDecoder(Context(catalogs, tuple(rules)))
