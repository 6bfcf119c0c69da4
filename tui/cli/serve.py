"""``noc-console serve``: the console in a web browser, one console process per tab.

Safe by default: it binds loopback, admits only the holder of the token it prints (or of a
password from an environment variable), serves read-only consoles unless ``--allow-writes``,
runs at most ``--max-tabs`` consoles, and ends a tab's console when the tab closes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import logging
import os
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK, load

if TYPE_CHECKING:
    from tui.cli.common import Subparsers
    from tui.cli.serve_web import ServeSettings
    from tui.config import LoadedConfig

READ_ONLY_ENV = {"NOC_UI__READ_ONLY": "1"}  # [ui] read_only for every tab's console
MAX_TABS = 64
WEAK_PASSWORD = 12  # shorter than this: the start message says so


def add_serve(sub: Subparsers) -> None:
    serve = sub.add_parser(
        "serve",
        help="serve the console to web browsers (one console per tab; token, loopback, "
        "read-only by default)",
        description="Serve the console to a browser tab: every screen, the same keys. Each tab "
        "gets its own console process over the same sources. It binds loopback, admits only "
        "the holder of the printed token (or of --password-env's password), is read-only "
        "unless --allow-writes, and runs at most --max-tabs consoles.",
    )
    what = serve.add_mutually_exclusive_group()
    what.add_argument("--config", type=Path, metavar="FILE", help="the config each tab runs")
    what.add_argument("--demo", action="store_true", help="each tab runs its own demo")
    serve.add_argument("--seed", type=int, default=7, help="the demo's simulator seed (default 7)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8088, help="port (default 8088; 0: any free)")
    serve.add_argument(
        "--base-url",
        default="/",
        metavar="PATH",
        help="serve under this path, as a reverse proxy passes it on (e.g. /noc/)",
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use (a reverse proxy's, e.g. https://noc.example.net/noc/), "
        "for the start message; its path is the base URL unless --base-url says otherwise",
    )
    serve.add_argument(
        "--max-tabs",
        type=int,
        default=4,
        metavar="N",
        help="consoles running at once (default 4); one more tab gets a 503 page",
    )
    serve.add_argument(
        "--allow-writes",
        action="store_true",
        help="let tabs write to targets that allow it and switch policy rules (default: read-only)",
    )
    serve.add_argument(
        "--password-env",
        metavar="VAR",
        help="admit whoever types the password held in environment variable VAR (a login "
        "form) instead of printing a token",
    )
    serve.set_defaults(handler=serve_command)


@dataclass(frozen=True)
class Plan:
    """What the server will run and what its start message says."""

    settings: ServeSettings
    host: str
    port: int
    public_url: str | None
    what: str


def serve_command(args: argparse.Namespace) -> int:
    plan = plan_serve(args)
    return asyncio.run(serve(plan))


def plan_serve(args: argparse.Namespace) -> Plan:
    """Check the arguments and the config, and decide what each tab runs; a problem is a
    usage error (exit 2) before anything listens."""
    from tui.cli.serve_gate import Gate, new_token
    from tui.cli.serve_limits import ServeLimits, connections_for
    from tui.cli.serve_web import ServeSettings, normal_base_url
    from tui.core.problems import UsageError

    if not 1 <= args.max_tabs <= MAX_TABS:
        raise UsageError(f"--max-tabs: give 1 to {MAX_TABS}")
    if not 0 <= args.port <= 65535:
        raise UsageError("--port: give 0 to 65535")
    base_text = args.base_url
    if args.public_url is not None and base_text == "/":
        base_text = _public_path(args.public_url)
    try:
        base_url = normal_base_url(base_text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    argv, what = tab_console(args)
    password: str | None = None
    drop: list[str] = []
    if args.password_env:
        password = os.environ.get(args.password_env, "")
        if not password:
            raise UsageError(f"--password-env: {args.password_env} is not set (or empty)")
        drop.append(args.password_env)  # the consoles never see it
    gate = Gate(base_url, token=None if password else new_token(), password=password)
    settings = ServeSettings(
        argv=argv,
        gate=gate,
        max_tabs=args.max_tabs,
        env={} if args.allow_writes else READ_ONLY_ENV,
        drop_env=drop,
        limits=ServeLimits(max_connections=connections_for(args.max_tabs)),
    )
    return Plan(settings, args.host, args.port, args.public_url, what)


def _public_path(url: str) -> str:
    from urllib.parse import urlsplit

    from tui.core.problems import UsageError

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--public-url {url!r}: give http(s)://HOST[:PORT]/PATH/")
    return parts.path or "/"


def tab_console(args: argparse.Namespace) -> tuple[list[str], str]:
    """The command line of one tab's console, and what it is in words."""
    from tui.core.problems import UsageError

    python = [sys.executable, "-m", "tui"]
    config: Path | None = args.config
    loaded = load(config) if not args.demo else None
    if args.demo or (config is None and loaded is not None and not loaded.watches_something):
        demo = [*python, "demo", "--seed", str(args.seed)]
        if config is not None:
            demo += ["--config", str(config.resolve())]
        return demo, "the demo (each tab its own simulators and hook listener, on loopback)"
    assert loaded is not None
    if loaded.config.nats is None and args.max_tabs > 1:
        hooks = loaded.config.hooks
        raise UsageError(
            f"{loaded.path} has no [nats] section, so each tab's console would be its own WCS "
            f"hook listener on {hooks.bind}:{hooks.port}: a second tab could not listen there, "
            "and WCS sends each hook to one listener anyway. Add [nats] (`noc-console collect` "
            "listens once and every tab reads the stream) or serve one tab: --max-tabs 1."
        )
    if loaded.config.journal.file is not None and args.max_tabs > 1:
        raise UsageError(
            f"{loaded.path}: [journal] file names one journal file; tabs would each need "
            "their own. Remove it (tabs then write their own files) or serve --max-tabs 1."
        )
    return live_console(python, loaded)


def live_console(python: list[str], loaded: LoadedConfig) -> tuple[list[str], str]:
    """A tab's console for a real config: with ``[nats]`` it reads the stream (it never opens a
    hook listener of its own), else it is the one console of the config."""
    from tui.net.nats.connection import describe

    argv = [*python, "run", "--config", str(loaded.path.resolve())]
    nats = loaded.config.nats
    if nats is None:
        return argv, f"{loaded.path} (one console: it is the hook listener)"
    # --feed alone: the section's servers (all of them, for failover), stream and credentials
    where = f"{describe(nats)}/{nats.stream}"
    return [*argv, "--feed"], f"{loaded.path}, each tab reading {where}"


# -- running ---------------------------------------------------------------------------------


async def serve(plan: Plan) -> int:
    from tui.cli.serve_web import listen

    _log_to_stderr()
    served = await listen(plan.settings, bind(plan.host, plan.port))
    print(start_message(plan, served.port), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        print("noc-console serve: stopping; ending every tab's console", file=sys.stderr)
        await served.stop()
    return EXIT_OK


def bind(host: str, port: int) -> socket.socket:
    """The listening socket (bound before the start message, so it names the real port)."""
    from tui.core.problems import UsageError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger = logging.getLogger("noc-console.serve")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host).is_loopback
    return False


def open_url(plan: Plan, port: int) -> str:
    """The address to open, token included (token mode)."""
    gate = plan.settings.gate
    if plan.public_url is not None:
        from urllib.parse import urlsplit

        parts = urlsplit(plan.public_url)
        address = f"{parts.scheme}://{parts.netloc}{gate.base_url}"
    else:
        host = plan.host
        if host in ("0.0.0.0", "::", ""):
            host = socket.gethostname()
        shown = f"[{host}]" if ":" in host else host
        address = f"http://{shown}:{port}{gate.base_url}"
    return f"{address}?token={gate.token}" if gate.token is not None else address


def start_message(plan: Plan, port: int) -> str:
    """What the operator is told at start: where to open it and how it is guarded. The token
    is printed here and nowhere else."""
    settings = plan.settings
    gate = settings.gate
    where = f"{plan.host}:{port}"
    lines = [
        "noc-console serve: the console in a web browser",
        f"  open     {open_url(plan, port)}",
    ]
    if loopback(plan.host):
        lines.append(f"  listens  {where}: loopback only (this machine, or a reverse proxy on it)")
    else:
        lines.append(
            f"  listens  {where}: REACHABLE FROM THE NETWORK over plain HTTP; put an HTTPS "
            "reverse proxy in front (see the README)"
        )
    if gate.token is not None:
        lines.append(
            "  access   that URL's token, once (the browser then keeps a cookie); every other "
            "request gets 401"
        )
    else:
        lines.append("  access   a login form asks for the password; every other request gets 401")
        if gate.password is not None and len(gate.password) < WEAK_PASSWORD:
            lines.append(f"           (the password is short: {WEAK_PASSWORD}+ characters, please)")
    if settings.env.get("NOC_UI__READ_ONLY") == "1":
        lines.append(
            "  writes   read-only: no SBC/CUE/MWS writes, no rule switching (--allow-writes "
            "allows them)"
        )
    else:
        lines.append("  writes   ALLOWED where a target says allow_writes = true (--allow-writes)")
    tabs = settings.max_tabs
    lines.append(
        f"  tabs     at most {tabs} at once, each its own console: {plan.what}; closing a tab "
        "ends its console"
    )
    if gate.base_url != "/":
        lines.append(
            f"  proxy    served under {gate.base_url}: the proxy passes that path unchanged"
        )
    lines.append("  Ctrl+C stops the server and every tab's console.")
    return "\n".join(lines)
