"""``noc-console demo --targets``: the demo's simulators without the console, and how to reach
them from another shell.

The simulators listen on free loopback ports with secrets made up for the run, so nothing the
README shows could point at them. This runs them headless, prints each one's URL and a
``browse`` / ``tail --icws`` command line that works against it (secret included: it is made up
and only good on loopback), and keeps serving until Ctrl+C or SIGTERM, so the operator can try
the commands in another pane while it runs.
"""

from __future__ import annotations

import os
import shlex
import signal
import sys
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from tui.cli.common import EXIT_OK

if TYPE_CHECKING:
    from tui.config import IcwsServer, Target
    from tui.sim.demo import DemoSources


def _with_secret(variable: str, environ: Mapping[str, str], argv: list[str]) -> str:
    """One line a POSIX shell runs as is: ``VAR=secret noc-console …``."""
    secret = shlex.quote(environ.get(variable, ""))
    return " ".join([f"{variable}={secret}", *map(shlex.quote, argv)])


def browse_line(target: Target, environ: Mapping[str, str]) -> str:
    """A ``browse`` command line (ad hoc, no config needed) that opens ``target``'s start page."""
    from tui.core.resources.paths import TargetPaths
    from tui.core.targets import kind_of

    paths = TargetPaths(target.kind, str(target.url))
    url = paths.absolute(target.start_path or paths.home)
    argv = ["noc-console", "browse", "--kind", target.kind]
    variable = target.secret_env or ""
    if kind_of(target.kind).default_auth == "bearer":
        argv += ["--token-env", variable]
    else:
        argv += ["--user", target.user or "", "--password-env", variable]
    return _with_secret(variable, environ, [*argv, url])


def tail_icws_line(server: IcwsServer, environ: Mapping[str, str]) -> str:
    """A ``tail --icws`` command line that logs in to the simulated CIC and prints its messages
    (a free port for the hook listener, and no journal: a try-out leaves nothing behind)."""
    argv = [
        "noc-console", "tail", "--listen", "127.0.0.1:0", "--no-journal",
        "--icws", str(server.url).rstrip("/"), "--icws-user", server.user,
        "--icws-password-env", server.password_env,
    ]  # fmt: skip
    for queue in server.queues[:1]:
        argv += ["--icws-queue", f"{queue.type}:{queue.name}"]
    return _with_secret(server.password_env, environ, argv)


def targets_text(sources: DemoSources, environ: Mapping[str, str], *, seed: int) -> str:
    """What ``demo --targets`` prints: per simulator, a heading line and a command line."""
    out = [f"noc-console demo: the simulators on loopback (seed {seed}); Ctrl+C stops them", ""]
    for target in sources.targets:
        url = str(target.url).rstrip("/")
        out += [f"# {target.kind} {target.name}: {url}", browse_line(target, environ), ""]
    for server in sources.icws:
        url = str(server.url).rstrip("/")
        out += [f"# icws {server.name}: {url}", tail_icws_line(server, environ), ""]
    if sources.upstream:
        out += [f"# wcs backend (the tap's upstream): {sources.upstream}", ""]
    out.append("# WCS itself is a client: its hooks go to the console (noc-console demo).")
    return "\n".join(out)


def serve_targets(*, seed: int, tap: bool, out: TextIO | None = None) -> int:
    """Start the simulators, print how to reach them, serve until Ctrl+C or SIGTERM."""
    from tui.sim.demo import Demo

    out = out or sys.stdout
    runner = Demo(seed=seed, tap=tap)
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)  # stops as Ctrl+C does
    try:
        sources = runner.prepare()
        runner.play_icws_stories()
        print(targets_text(sources, os.environ, seed=seed), file=out, flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        runner.stop()
    return EXIT_OK
