"""Themes as data files: the packaged ``themes/`` folder plus the operator's own.

A theme file is TOML with Textual's theme fields (``primary``, ``background``…) and an optional
``[variables]`` table. A broken user theme is reported, never fatal.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from textual.color import Color, ColorParseError
from textual.theme import Theme

from tui.paths import packaged_themes_dir, user_themes_dir

DEFAULT_THEME = "noc-dark"
_COLOUR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)


class ThemeFile(BaseModel):
    """The schema of a theme file."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    description: str = ""
    dark: bool = True
    primary: str
    secondary: str | None = None
    accent: str | None = None
    warning: str | None = None
    error: str | None = None
    success: str | None = None
    foreground: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    boost: str | None = None
    luminosity_spread: float = Field(0.15, ge=0, le=1)
    text_alpha: float = Field(0.95, ge=0, le=1)
    variables: dict[str, str] = Field(default_factory=dict)

    @field_validator(*_COLOUR_FIELDS)
    @classmethod
    def _is_colour(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                Color.parse(value)
            except ColorParseError:
                raise ValueError(f"{value!r} is not a colour (use #RRGGBB or a CSS name)") from None
        return value

    def to_theme(self) -> Theme:
        return Theme(
            name=self.name,
            primary=self.primary,
            secondary=self.secondary,
            accent=self.accent,
            warning=self.warning,
            error=self.error,
            success=self.success,
            foreground=self.foreground,
            background=self.background,
            surface=self.surface,
            panel=self.panel,
            boost=self.boost,
            dark=self.dark,
            luminosity_spread=self.luminosity_spread,
            text_alpha=self.text_alpha,
            variables=dict(self.variables),
        )


@dataclass(frozen=True)
class ThemeEntry:
    """A loaded theme and the file it came from."""

    theme: Theme
    path: Path
    origin: str  # "packaged" or "user"
    description: str = ""


@dataclass
class ThemeCatalog:
    """Every theme found, packaged first, then the user's (which may replace a packaged one)."""

    entries: dict[str, ThemeEntry] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return list(self.entries)

    def __contains__(self, name: object) -> bool:
        return name in self.entries


def load_theme_file(path: Path) -> ThemeFile:
    """Read one theme file; raises ValueError with the file and the field on any problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: {exc}") from None
    try:
        return ThemeFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        msg = str(first["msg"]).removeprefix("Value error, ")
        raise ValueError(f"{path}: {where}: {msg}") from None


def _load_dir(catalog: ThemeCatalog, folder: Path, origin: str) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.toml")):
        try:
            spec = load_theme_file(path)
        except ValueError as exc:
            catalog.problems.append(str(exc))
            continue
        catalog.entries[spec.name] = ThemeEntry(spec.to_theme(), path, origin, spec.description)


def load_themes(
    packaged: Path | None = None, user: Path | None = None, *, include_user: bool = True
) -> ThemeCatalog:
    """Load the packaged themes and, unless told otherwise, the user's theme folder."""
    catalog = ThemeCatalog()
    _load_dir(catalog, packaged or packaged_themes_dir(), "packaged")
    if include_user:
        _load_dir(catalog, user or user_themes_dir(), "user")
    return catalog
