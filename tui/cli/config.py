"""``noc-console config check FILE`` and ``noc-console config path``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK

if TYPE_CHECKING:
    from tui.cli.common import Subparsers
    from tui.config import AppConfig


def add_config(sub: Subparsers) -> None:
    config = sub.add_parser("config", help="check or locate the config file")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = config_sub.add_parser(
        "check",
        help="validate a config file and say what it would watch",
        description="Validate FILE (and NOC_* environment variables). Exit 0 when usable, "
        "2 with one line per problem otherwise.",
    )
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(handler=lambda args: config_check(args.file))
    where = config_sub.add_parser("path", help="print where the config file is looked for")
    where.set_defaults(handler=lambda args: config_path())


def _secret_line(env: str | None) -> str:
    if not env:
        return ""
    state = "set" if os.environ.get(env) else "NOT SET"
    return f", secret from ${env} ({state})"


def config_check(path: Path) -> int:
    """Validate a config file, then say what it would watch."""
    from tui.config import ConfigError, Problem, load_config
    from tui.ui.bindings import known_binding_ids
    from tui.ui.themes import load_themes

    loaded = load_config(path, required=True)
    config = loaded.config
    problems: list[Problem] = []
    themes = load_themes()
    if config.ui.theme not in themes:
        problems.append(
            Problem(
                "ui.theme", f"unknown theme {config.ui.theme!r}; known: {', '.join(themes.names)}"
            )
        )
    known = known_binding_ids()
    for binding_id, keys in config.keymap.items():
        if binding_id not in known:
            problems.append(
                Problem(
                    f"keymap.{binding_id}", f"unknown binding id; known: {', '.join(sorted(known))}"
                )
            )
        elif not keys.strip():
            problems.append(Problem(f"keymap.{binding_id}", "no keys given"))
    if problems:
        raise ConfigError.many(loaded.path, problems)
    print(f"{loaded.path}: OK")
    for line in describe(config):
        print(f"  {line}")
    warnings = _warnings(config) + [f"theme file skipped: {p}" for p in themes.problems]
    for warning in warnings:
        print(f"  warning: {warning}")
    return EXIT_OK


def describe(config: AppConfig) -> list[str]:
    """One line per thing the config makes the console do."""
    hooks = config.hooks
    apps = ", ".join(hooks.app_paths) if hooks.app_paths else "any path"
    lines = [f"WCS hooks: listen on {hooks.endpoint} ({hooks.mode} mode), apps: {apps}"]
    if hooks.mode == "tap":
        lines.append(f"  upstream: {hooks.upstream or '-'}; per app: {len(hooks.upstreams)}")
    for server in config.icws:
        tls = "" if server.verify_tls else ", TLS verification OFF"
        secret = _secret_line(server.password_env)
        lines.append(f"ICWS {server.name}: {server.url} as {server.user}{secret}{tls}")
    for target in config.targets:
        tls = "" if target.verify_tls else ", TLS verification OFF"
        who = f" as {target.user}" if target.user else ""
        lines.append(
            f"{target.kind.upper()} {target.name}: {target.url} ({target.auth} auth{who})"
            f"{_secret_line(target.secret_env)}{tls}"
        )
    if config.errors.rules or config.errors.catalog_dirs:
        lines.append(
            f"errors: {len(config.errors.rules)} handling rule(s), "
            f"{len(config.errors.catalog_dirs)} extra catalog folder(s)"
        )
    lines.append(f"theme: {config.ui.theme}; feed buffer: {config.feed.buffer_size:,} events")
    if config.keymap:
        lines.append(f"keymap: {len(config.keymap)} binding(s) remapped")
    return lines


def _warnings(config: AppConfig) -> list[str]:
    out = []
    envs = [s.password_env for s in config.icws] + [t.secret_env for t in config.targets]
    if config.hooks.key_env:
        envs.append(config.hooks.key_env)
    for env in envs:
        if env and not os.environ.get(env):
            out.append(f"environment variable {env} is not set")
    if (
        config.hooks.bind in ("0.0.0.0", "::")
        and not config.hooks.allow_from
        and not config.hooks.key_env
    ):
        out.append("hooks listen on every interface with neither allow_from nor key_env")
    return out


def config_path() -> int:
    from tui.paths import data_dir, default_config_file, user_themes_dir

    path = default_config_file()
    print(f"config file: {path} ({'exists' if path.is_file() else 'not created yet'})")
    print(f"user themes: {user_themes_dir()}")
    print(f"data:        {data_dir()}")
    return EXIT_OK
