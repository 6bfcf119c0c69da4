"""What each ``noc-console`` subcommand does (the parser lives in :mod:`tui.cli`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tui.config import AppConfig, HooksConfig, LoadedConfig, load_config
from tui.config.problems import ConfigError, Problem, UsageError, format_validation_error
from tui.paths import data_dir, default_config_file, user_themes_dir

EXIT_OK = 0
EXIT_NOT_RECOGNISED = 1
EXIT_PROBLEM = 2


def bare() -> int:
    """A bare ``noc-console``: the live console if the config names something to watch."""
    loaded = load_config()
    if loaded.watches_something:
        return _launch(loaded, demo=False)
    return demo(None)


def _with_filter(loaded: LoadedConfig, query: str | None) -> LoadedConfig:
    """``--filter`` replaces ``feed.default_filter``; a bad query is a usage error (exit 2)."""
    if query is None:
        return loaded
    from tui.core.query import QueryError, compile_query

    try:
        compile_query(query)
    except QueryError as exc:
        raise UsageError(f"--filter: {exc}") from None
    feed = loaded.config.feed.model_copy(update={"default_filter": query})
    return loaded.model_copy(update={"config": loaded.config.model_copy(update={"feed": feed})})


def demo(config: Path | None, *, tap: bool = False, seed: int = 7, query: str | None = None) -> int:
    from tui.sim.demo import Demo, demo_config
    from tui.ui.app import create_app

    loaded = _with_filter(load_config(config), query)
    runner = Demo(seed=seed, tap=tap)  # its servers start in the background, after the first frame
    demo_loaded = loaded.model_copy(update={"config": demo_config(loaded.config, tap=tap)})
    try:
        create_app(demo_loaded, demo=True, demo_runner=runner).run()
    finally:
        runner.stop()
    return EXIT_OK


def run(config: Path | None, *, query: str | None = None) -> int:
    return _launch(_with_filter(load_config(config), query), demo=False)


def _launch(loaded: LoadedConfig, *, demo: bool) -> int:
    from tui.ui.app import create_app

    app = create_app(loaded, demo=demo)
    app.run()
    if summary := app.services.exit_summary():
        print(summary, file=sys.stderr)
    return EXIT_OK


def tail(args: Any) -> int:
    """Headless hook listener: config, then command-line overrides, then run until stopped."""
    import asyncio

    from tui.cli.tail import run_tail
    from tui.core.query import QueryError, compile_query

    loaded = load_config(args.config)
    hooks = loaded.config.hooks.model_dump()
    if args.listen:
        hooks["bind"], hooks["port"] = args.listen
    if args.mode:
        hooks["mode"] = args.mode
    if args.upstream:
        hooks["upstream"] = args.upstream
    try:
        config = loaded.config.model_copy(
            update={
                "hooks": HooksConfig.model_validate(hooks),
                "journal": loaded.config.journal.model_copy(
                    update={"enabled": not args.no_journal}
                ),
            }
        )
    except ValidationError as exc:
        raise format_validation_error(Path("command line"), exc, ("hooks",)) from None
    if args.icws or args.icws_user or args.icws_password_env:
        from tui.config import icws_server_from_flags

        if not (args.icws and args.icws_user and args.icws_password_env):
            raise UsageError("--icws needs --icws-user and --icws-password-env as well")
        try:
            server = icws_server_from_flags(
                args.icws, args.icws_user, args.icws_password_env,
                queues=args.icws_queue, user_statuses=args.icws_user_status,
            )  # fmt: skip
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        config = config.model_copy(update={"icws": [*config.icws, server]})
    query = None
    if args.filter:
        try:
            query = compile_query(args.filter)
        except QueryError as exc:
            print(f"noc-console tail: --filter: {exc}", file=sys.stderr)
            return EXIT_PROBLEM
    try:
        return asyncio.run(run_tail(config, jsonl=args.jsonl, query=query))
    except KeyboardInterrupt:
        return 130
    finally:
        _quiet_stdout()


def _quiet_stdout() -> None:
    """After a closed pipe (``| head``), let the interpreter exit without a BrokenPipe message."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


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


def decode(texts: list[str], *, as_json: bool, config: Path | None) -> int:
    """``noc-console decode``: 0 decoded, 1 nothing matched, 2 bad usage."""
    import json

    from tui.core.errors import build_decoder
    from tui.core.errors.render import inspection_lines

    if "-" in texts and texts != ["-"]:
        print("noc-console: decode: use - alone to read the error from stdin", file=sys.stderr)
        return EXIT_PROBLEM
    text = sys.stdin.read() if texts == ["-"] else " ".join(texts)
    if not text.strip():
        print("noc-console: decode: nothing to decode (empty text)", file=sys.stderr)
        return EXIT_PROBLEM
    errors = load_config(config).config.errors
    decoder = build_decoder(errors.handling_rules(), extra_dirs=errors.catalog_dirs)
    for problem in decoder.context.catalogs.problems:
        print(f"noc-console: catalog entry skipped: {problem}", file=sys.stderr)
    result = decoder.inspect(text, origin="cli")
    if as_json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(inspection_lines(result)))
    return EXIT_OK if result.recognised else EXIT_NOT_RECOGNISED


def catalog_import(system: str, path: Path) -> int:
    """``noc-console catalog import sbc FILE``: store the vendor list where decoding reads it."""
    from tui.core.errors.catalog import default_user_dir
    from tui.core.errors.importer import ImportProblem, read_sbc_list, write_imported

    try:
        result = read_sbc_list(path)
    except ImportProblem as exc:
        print(f"noc-console: cannot import {path}: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    stored = write_imported(result, default_user_dir(), path.name)
    dupes = (
        f", {result.duplicates} duplicate codes (the last one kept)" if result.duplicates else ""
    )
    print(f"imported {len(result.codes)} {system.upper()} codes from {path} ({result.fmt}){dupes}")
    print(f"stored in {stored}; `noc-console decode` and the inspector use it from now on")
    if result.skipped:
        print(f"skipped {len(result.skipped)}:", file=sys.stderr)
        for reason in result.skipped[:20]:
            print(f"  {reason}", file=sys.stderr)
        if len(result.skipped) > 20:
            print(f"  … and {len(result.skipped) - 20} more", file=sys.stderr)
    return EXIT_OK


def catalog_list(config: Path | None) -> int:
    """``noc-console catalog list``: which catalog files were read, and what was skipped."""
    from tui.core.errors.catalog import default_user_dir, describe, load_catalogs

    errors = load_config(config).config.errors
    user_dir = default_user_dir()
    catalogs = load_catalogs(user_dir, errors.catalog_dirs)
    print(f"{'kind':<17} {'count':>5}  {'origin':<8}  file")
    for line in describe(catalogs):
        print(line)
    print(
        f"your catalog folder: {user_dir} ({'exists' if user_dir.is_dir() else 'not created yet'})"
    )
    for problem in catalogs.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    return EXIT_OK


def browse(args: argparse.Namespace) -> int:
    """Print one resource of an SBC, CUE or MWS (see :mod:`tui.cli.browse`)."""
    from tui.cli.browse import UsageError, build_request, run_browse

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
