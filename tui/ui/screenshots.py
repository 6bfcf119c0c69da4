"""Deterministic renders of each screen: a fixed clock, packaged themes only, no saving."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tui.config import AppConfig, LoadedConfig
from tui.ui.app import NocApp, create_app
from tui.ui.themes import load_themes

FIXED_TIME = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)
SCREENS = ("feed", "browser", "inspector")


def fixed_clock() -> datetime:
    return FIXED_TIME


def deterministic_app(
    config: AppConfig | None = None, *, demo: bool = True, theme: str | None = None
) -> NocApp:
    """An app that renders the same on every machine: no environment, no user files."""
    config = config or AppConfig.model_construct()
    if theme:
        config = config.model_copy(update={"ui": config.ui.model_copy(update={"theme": theme})})
    loaded = LoadedConfig(
        config=config,
        path=Path.home() / ".config" / "noc-console" / "config.toml",
        file_exists=False,
        watches_something=False,
    )
    return create_app(
        loaded,
        demo=demo,
        clock=fixed_clock,
        themes=load_themes(include_user=False),
        persist_theme=False,
    )


async def write_screenshots(out: Path, sizes: list[tuple[int, int]]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for width, height in sizes:
        for screen in SCREENS:
            app = deterministic_app()
            async with app.run_test(size=(width, height)) as pilot:
                app.switch_mode(screen)
                await pilot.pause()
                svg = app.export_screenshot(title=f"noc-console — {screen}")
            path = out / f"{screen}-{width}x{height}.svg"
            path.write_text(svg, encoding="utf-8")
            written.append(path)
    return written
