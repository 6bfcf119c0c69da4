"""``noc-console collect --workers N``: N collectors behind one listening socket.

One collector is one Python process, and everything a hook costs it (HTTP, the hook app, the
journal, the message, JetStream's ack) runs under that process's one interpreter lock. Past
about half of one core, replies queue behind each other. With ``--workers`` the supervisor
takes the hook listener's port and starts that many worker processes (``collect --worker K``).
Each listens on the port too (``SO_REUSEPORT``: only processes of the same user may), and the
kernel gives each new connection to one of them, spread evenly. (One socket that all of them
accept on would not spread: asyncio accepts every connection waiting when it wakes, so the
first worker awake took all 32 connections of a load test and the other none.) The
supervisor's own socket is bound but not listening: it keeps the port while a worker is started
again, and takes no connection itself.

Each worker is a whole collector:
- its own journal run, in the same folder, and its own message ids, so nothing is stored
  twice and nothing collides;
- its own NATS connection;
- an ended run's backlog (a worker killed while NATS was away) is sent by whichever worker
  claims the run's lock first.

Only the first worker runs the ICWS clients, so each interaction is published once. A hook that
WCS sends again is flagged a duplicate only when it reaches the worker that had the first one
(each worker keeps its own window of recent hooks).

The supervisor forwards SIGTERM and SIGINT, and waits for the workers to drain. A worker that is
killed (by a signal) is started again, after a pause that doubles while it keeps dying. A worker
that exits with an error (it could not run: NATS refused the login, the journal folder is not
writable) stops them all with that status, for the service manager to see. A worker whose
supervisor is gone stops by itself, so a restarted supervisor finds the port free.
"""

from __future__ import annotations

import argparse
import logging
import os
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import socket

    from tui.config import AppConfig

log = logging.getLogger("noc-console.collect")

RESTART_FIRST_S = 1.0
RESTART_MAX_S = 30.0
HEALTHY_S = 60.0
"""A worker that ran this long before it died is started again after the first pause."""
POLL_S = 0.2
STOP_GRACE_S = 20.0
"""After SIGTERM, how long the workers may take to drain (their own drain is 5 s) before they
are killed."""


@dataclass
class Worker:
    """One worker process, and when to start it again if it died."""

    number: int
    process: subprocess.Popen[bytes] | None = None
    ready: int | None = None  # the read end of the pipe it says "listening" on
    started: float = 0.0
    pause: float = RESTART_FIRST_S
    restart_at: float | None = None
    restarts: int = field(default=0)


def worker_argv(args: argparse.Namespace, number: int, listen: str, ready: int) -> list[str]:
    """The command line of worker ``number``: the supervisor's options, where to listen, and
    the pipe to say it listens on."""
    argv = [sys.executable, "-m", "tui", "collect", "--worker", str(number), "--listen", listen,
            "--ready-fd", str(ready)]  # fmt: skip
    if args.config is not None:
        argv += ["--config", str(args.config)]
    if args.nats:
        argv += ["--nats", args.nats]
    return argv


def hold_port(config: AppConfig) -> socket.socket:
    """The hook listener's port, taken for the workers: bound, shared, not listening
    (BindError says why it cannot be had)."""
    from tui.net.hooks.server import bind

    return bind(config.hooks.bind, config.hooks.port, reuse_port=True, listen=False)


class Supervisor:
    """Starts the workers, starts again the ones that are killed, and stops them all."""

    def __init__(self, args: argparse.Namespace, sock: socket.socket, count: int) -> None:
        self.args = args
        self.sock = sock
        self.workers = [Worker(number) for number in range(1, count + 1)]
        self.stopping = False
        self.all_ready = False
        self.status = 0

    def run(self) -> int:
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            for worker in self.workers:
                self._start(worker)
            while not self.stopping:
                self._look()
                self._wait_for_ready(POLL_S)
        finally:
            self._stop_all()
            for worker in self.workers:
                self._close_ready(worker)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.sock.close()
        return self.status

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _start(self, worker: Worker) -> None:
        host, port = self.sock.getsockname()[:2]
        listen = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        self._close_ready(worker)
        ready, says = os.pipe()
        try:
            worker.process = subprocess.Popen(
                worker_argv(self.args, worker.number, listen, says), pass_fds=(says,)
            )
        finally:
            os.close(says)
        worker.ready = ready
        worker.started = time.monotonic()
        worker.restart_at = None

    def _wait_for_ready(self, timeout: float) -> None:
        """Wait up to ``timeout`` for workers to say they listen; say so once all do."""
        waiting = {w.ready: w for w in self.workers if w.ready is not None}
        if not waiting:
            time.sleep(timeout)
            return
        readable, _, _ = select.select(list(waiting), [], [], timeout)
        for fd in readable:
            worker = waiting[fd]
            said = os.read(fd, 16)  # a byte; nothing when it died before it listened
            self._close_ready(worker)
            if said and worker.process is not None and worker.process.poll() is None:
                if worker.restarts:
                    log.info("worker %d listening again", worker.number)
                elif not self.all_ready and all(w.ready is None for w in self.workers):
                    self.all_ready = True
                    host, port = self.sock.getsockname()[:2]
                    log.info("%d workers listening on http://%s:%d", len(self.workers), host, port)

    @staticmethod
    def _close_ready(worker: Worker) -> None:
        if worker.ready is not None:
            os.close(worker.ready)
            worker.ready = None

    def _look(self) -> None:
        now = time.monotonic()
        for worker in self.workers:
            if worker.restart_at is not None:
                if now >= worker.restart_at:
                    worker.restarts += 1
                    self._start(worker)
                continue
            process = worker.process
            if process is None or (code := process.poll()) is None:
                continue
            if code > 0:  # it could not run: starting it again would fail the same way
                log.error(
                    "worker %d exited with status %d: stopping the others", worker.number, code
                )
                self.status = code
                self.stopping = True
                return
            if now - worker.started >= HEALTHY_S:
                worker.pause = RESTART_FIRST_S
            how = f"was killed by signal {-code}" if code < 0 else "exited"
            log.warning(
                "worker %d %s; starting it again in %.0f s", worker.number, how, worker.pause
            )
            worker.restart_at = now + worker.pause
            worker.pause = min(worker.pause * 2, RESTART_MAX_S)

    def _stop_all(self) -> None:
        running = [
            w.process for w in self.workers if w.process is not None and w.process.poll() is None
        ]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for process in running:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.error("worker %d did not stop within %.0f s: killed", process.pid, STOP_GRACE_S)
                process.kill()
                process.wait()


def supervise(args: argparse.Namespace, config: AppConfig, count: int) -> int:
    """Run ``count`` workers until SIGTERM or SIGINT; the status to exit with."""
    from tui.cli.collect import EXIT_FATAL
    from tui.net.hooks.server import BindError

    try:
        sock = hold_port(config)
    except BindError as exc:
        log.error("%s", exc)
        return EXIT_FATAL
    return Supervisor(args, sock, count).run()
