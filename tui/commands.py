"""What each ``noc-console`` subcommand does (the parser lives in :mod:`tui.cli`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tui.config import AppConfig, LoadedConfig, load_config
from tui.config_errors import ConfigError, Problem
from tui.paths import data_dir, default_config_file, user_themes_dir

EXIT_OK = 0
EXIT_PROBLEM = 2


def bare() -> int:
    """A bare ``noc-console``: the live console if the config names something to watch."""
    loaded = load_config()
    return _launch(loaded, demo=not loaded.watches_something)


def demo(config: Path | None) -> int:
    return _launch(load_config(config), demo=True)


def run(config: Path | None) -> int:
    return _launch(load_config(config), demo=False)


def _launch(loaded: LoadedConfig, *, demo: bool) -> int:
    from tui.ui.app import create_app

    if not demo:
        create_app(loaded, demo=False).run()
        return EXIT_OK
    from tui.sim.host import SimHost
    from tui.sim.rest_demo import start_rest_simulators

    with SimHost("demo-simulators") as host:
        rest = start_rest_simulators(host)
        config = loaded.config.model_copy(update={"targets": rest.targets})
        create_app(loaded.model_copy(update={"config": config}), demo=True).run()
    return EXIT_OK


def _secret_line(env: str | None) -> str:
    if not env:
        return ""
    state = "set" if os.environ.get(env) else "NOT SET"
    return f", secret from ${env} ({state})"


def config_check(path: Path) -> int:
    """Validate a config file, then say what it would watch."""
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
    path = default_config_file()
    print(f"config file: {path} ({'exists' if path.is_file() else 'not created yet'})")
    print(f"user themes: {user_themes_dir()}")
    print(f"data:        {data_dir()}")
    return EXIT_OK


def themes() -> int:
    from tui.ui.text import display_path
    from tui.ui.themes import load_themes

    catalog = load_themes()
    width = max((len(n) for n in catalog.names), default=10)
    for name, entry in catalog.entries.items():
        print(
            f"{name:<{width}}  {entry.origin:<8}  {display_path(entry.path)}  {entry.description}"
        )
    for problem in catalog.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    return EXIT_OK


def screenshots(out: Path, sizes: list[tuple[int, int]]) -> int:
    """Write deterministic SVGs of each screen at each size."""
    import asyncio

    from tui.ui.screenshots import write_screenshots

    written = asyncio.run(write_screenshots(out, sizes))
    for path in written:
        print(path)
    return EXIT_OK


def browse(args: argparse.Namespace) -> int:
    """Print one resource of an SBC, CUE or MWS (see :mod:`tui.browse_command`)."""
    from tui.browse_command import UsageError, build_request, run_browse

    config = load_config(args.config).config if args.target else None
    if args.kind is not None and args.config is not None:
        print("noc-console: --config goes with --target, not with --kind", file=sys.stderr)
        return EXIT_PROBLEM
    try:
        request = build_request(
            config,
            target_name=args.target,
            kind=args.kind,
            where=args.where,
            user=args.user,
            secret_env=args.password_env or args.token_env,
            insecure=args.insecure,
            details=args.details,
            category=args.filter or "",
            fields=args.fields,
            timeout=args.timeout,
        )
    except UsageError as exc:
        print(f"noc-console: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    return run_browse(request, as_json_output=args.json)
