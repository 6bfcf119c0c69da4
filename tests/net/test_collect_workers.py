"""`noc-console collect --workers N` against a real nats-server: N collector processes on one
port. A worker killed with SIGKILL while hooks flow is started again, every answered hook is in
the stream exactly once (and every journalled one), the workers stop when their supervisor is killed, and a
worker that cannot run stops them all."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.nats_support import NatsServer, nats_server
from tests.net.test_collect import hook, stream_calls, until
from tui.cli.parser import main

__all__ = ["nats_server"]

pytestmark = pytest.mark.slow

WORKER_PID = re.compile(r"collect\[(\d+)\]: Started server process \[(\d+)\]")


class Workers:
    """A running `collect --workers 2`, its log read as it comes."""

    def __init__(self, config: Path, count: int = 2) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", "collect", "--config", str(config),
             "--listen", "127.0.0.1:0", "--workers", str(count)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self.pids: dict[int, int] = {}  # worker number → pid, the latest
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)
            if match := WORKER_PID.search(line):
                self.pids[int(match.group(1))] = int(match.group(2))

    def said(self, pattern: str) -> re.Match[str] | None:
        for line in list(self.lines):
            if match := re.search(pattern, line):
                return match
        return None

    async def listening(self) -> str:
        await until(lambda: self.said(r"workers listening on") or self.process.poll() is not None)
        match = self.said(r"workers listening on (http://127\.0\.0\.1:\d+)")
        assert match, "".join(self.lines)
        return match.group(1) + "/"

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(30)
        self._reader.join(5)
        return code


@pytest.fixture
def config(nats_server: NatsServer, write_config, tmp_path: Path) -> Path:
    path: Path = write_config(
        f"[nats]\nurls = ['{nats_server.url}']\nack_timeout_s = 2.0\n"
        f"[journal]\ndir = '{tmp_path / 'journals'}'\n"
    )
    return path


@pytest.fixture
def workers(config: Path) -> Iterator[Workers]:
    running = Workers(config)
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait(10)
    for pid in running.pids.values():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def journalled(folder: Path) -> dict[Path, list[str]]:
    """The call ids of each run's journal."""
    calls = {}
    for path in sorted(folder.glob("*-collect-*.sqlite")):
        with sqlite3.connect(path) as conn:
            calls[path] = [row[0] for row in conn.execute("SELECT call FROM events")]
    return calls


async def test_a_killed_worker_is_started_again_and_nothing_it_answered_is_lost(
    nats_server: NatsServer, workers: Workers, tmp_path: Path
) -> None:
    url = await workers.listening()
    answered: list[str] = []
    stop = threading.Event()

    def post_until_stopped(first: int) -> None:
        number = first
        while not stop.is_set():
            try:
                with httpx.Client(base_url=url, timeout=10.0) as client:
                    while not stop.is_set():
                        answer = client.post("apps/EchoApp/CallStatusEvent", json=hook(number))
                        assert answer.status_code == 200
                        answered.append(f"k{number}")
                        number += 1
            except httpx.HTTPError:  # its worker was killed mid-request: connect again
                number += 1  # (that hook may or may not have been answered: never counted)

    posters = [threading.Thread(target=post_until_stopped, args=(n * 100_000,)) for n in range(8)]
    for poster in posters:
        poster.start()
    try:
        await until(lambda: len(answered) >= 100)
        killed = workers.pids[2]
        os.kill(killed, signal.SIGKILL)
        await until(lambda: workers.said(r"worker 2 was killed by signal 9") is not None)
        await until(lambda: workers.said(r"worker 2 listening again") is not None)
        assert workers.pids[2] != killed
        mark = len(answered)
        await until(lambda: len(answered) >= mark + 100)
    finally:
        stop.set()
        for poster in posters:
            poster.join(30)
    assert workers.stop() == 0
    stored = await stream_calls(nats_server.url)
    assert len(stored) == len(set(stored))  # nothing twice
    assert set(answered) <= set(stored)  # every answered hook is in the stream
    runs = journalled(tmp_path / "journals")
    assert len(runs) == 3  # the killed run, and one run each now
    # What any worker journalled is in the stream (the killed run's last events sent by the
    # worker that took its place). The stream may hold a few more: a worker killed after
    # JetStream's ack and before its journal's commit.
    assert {call for calls in runs.values() for call in calls} <= set(stored)
    assert workers.said(r"collect\[1\]: [\d,]+ events published")
    assert workers.said(r"collect\[2\]: [\d,]+ events published")


async def test_workers_stop_when_their_supervisor_is_killed(workers: Workers) -> None:
    url = await workers.listening()
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    pids = list(workers.pids.values())
    workers.process.kill()  # SIGKILL: the supervisor cannot pass anything on
    workers.process.wait(10)

    def all_gone() -> bool:
        return not any(Path(f"/proc/{pid}").exists() and _alive(pid) for pid in pids)

    await until(all_gone, timeout=30)
    with socket.create_server(("127.0.0.1", port)):  # the port is free again
        pass


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for a parent that is gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def test_a_worker_that_cannot_run_stops_them_all(
    nats_server: NatsServer, write_config, tmp_path: Path
) -> None:
    config = write_config(
        f"[nats]\nurls = ['{nats_server.url}']\nuser = 'noc'\npassword_env = 'NOC_TEST_UNSET'\n"
        f"[journal]\ndir = '{tmp_path / 'journals'}'\n"
    )
    running = Workers(config)
    code = await asyncio.to_thread(running.process.wait, 60)
    running._reader.join(5)
    assert code == 1
    assert running.said(r"worker \d exited with status 1: stopping the others")
    assert not running.said(r"workers listening on")


def test_workers_need_a_journal_folder(config: Path, tmp_path: Path, capsys) -> None:
    code = main(["collect", "--config", str(config), "--workers", "2",
                 "--journal", str(tmp_path / "one.sqlite")])  # fmt: skip
    assert code == 2
    assert "each worker writes a journal of its own" in capsys.readouterr().err


def test_a_number_of_workers_is_from_1_to_64(config: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["collect", "--config", str(config), "--workers", "0"])
    assert exited.value.code == 2
    assert "from 1 to 64" in capsys.readouterr().err
