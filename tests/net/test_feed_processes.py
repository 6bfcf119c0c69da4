"""The team shape as processes, against a real nats-server: `collect` and `tail --feed` each in
their own process. A console that stops reading (SIGSTOP, as a frozen terminal does) slows
neither the collector nor the other console, and catches up with every event once it reads
again; `calls --feed` and `export --feed` read the stream and finish."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import nats
import pytest

from tests.nats_support import NatsServer, nats_server
from tests.net.test_collect_faults import start_collect
from tui.cli.parser import main

__all__ = ["nats_server"]

pytestmark = pytest.mark.slow

HOOKS = 500


def start_console(config: Path, *args: str) -> tuple[subprocess.Popen[str], list[str]]:
    """``tail --feed --jsonl`` from the stream's start; its lines are collected as it prints
    them, and its start line on stderr is waited for."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "tail", "--config", str(config), "--feed", "--jsonl",
         "--since", "start", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )  # fmt: skip
    assert process.stderr is not None and process.stdout is not None
    line = process.stderr.readline()
    assert "reading nats://127.0.0.1" in line, line  # its start line
    threading.Thread(target=process.stderr.read, daemon=True).start()
    lines: list[str] = []
    stdout = process.stdout
    threading.Thread(target=lambda: lines.extend(stdout), daemon=True).start()
    return process, lines


def calls(lines: list[str]) -> list[str]:
    return [json.loads(line)["call"] for line in list(lines)]


def wait_for(condition, timeout: float = 60.0) -> None:
    done = threading.Event()
    deadline = threading.Timer(timeout, done.set)
    deadline.start()
    try:
        while not condition():
            assert not done.wait(0.02), "not in time"
    finally:
        deadline.cancel()


def post_all(url: str, numbers: Iterator[int]) -> list[int]:
    """Post hooks over a few connections at once; the answers' statuses."""
    statuses: list[int] = []

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=20.0) as client:
            for number in numbers:  # shared: each number is posted once
                body = {"nodeId": "n1@10.0.0.1", "callId": f"k{number}", "status": "NEW"}
                statuses.append(client.post("apps/EchoApp/CallStatusEvent", json=body).status_code)

    workers = [threading.Thread(target=worker) for _ in range(4)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return statuses


@pytest.fixture
def team_config(nats_server: NatsServer, write_config, tmp_path: Path) -> Path:
    journals = tmp_path / "journals"
    path: Path = write_config(
        f"[nats]\nurls = ['{nats_server.url}']\n[journal]\ndir = '{journals}'\n"
    )
    return path


def test_a_frozen_console_slows_no_one_and_catches_up(team_config: Path) -> None:
    collector, url = start_collect(team_config)
    frozen, frozen_lines = start_console(team_config)
    other, other_lines = start_console(team_config)
    try:
        frozen.send_signal(signal.SIGSTOP)
        statuses = post_all(url, iter(range(HOOKS)))
        assert statuses == [200] * HOOKS  # answered after JetStream's ack, console or not
        wait_for(lambda: len(other_lines) == HOOKS)
        assert sorted(calls(other_lines)) == sorted(f"k{n}" for n in range(HOOKS))
        assert frozen_lines == []
        frozen.send_signal(signal.SIGCONT)
        wait_for(lambda: len(frozen_lines) == HOOKS)
        assert calls(frozen_lines) == calls(other_lines)  # the stream's order, each once
    finally:
        frozen.send_signal(signal.SIGCONT)
        for process in (frozen, other, collector):
            process.send_signal(signal.SIGTERM)
        for process in (frozen, other, collector):
            process.wait(20)
    assert frozen.returncode == 0 and other.returncode == 0


async def consumers(url: str) -> int:
    client = await nats.connect(url)
    try:
        return int((await client.jetstream().stream_info("NOC")).state.consumer_count)
    finally:
        await client.close()


def test_calls_and_export_read_the_stream_and_finish(
    nats_server: NatsServer,
    team_config: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    collector, url = start_collect(team_config)
    try:
        assert post_all(url, iter(range(40))) == [200] * 40
    finally:
        collector.send_signal(signal.SIGTERM)
        collector.wait(20)
    capsys.readouterr()
    assert (
        main(["calls", "--config", str(team_config), "--feed", "--since", "start", "--json"]) == 0
    )
    groups = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(g["id"] for g in groups) == sorted(f"k{n}" for n in range(40))
    out = tmp_path / "stream.jsonl"
    assert (
        main(["export", "--config", str(team_config), "--feed", "--bodies", "--out", str(out)]) == 0
    )
    docs = [json.loads(line) for line in out.read_text().splitlines()]
    assert [d["seq"] for d in docs] == list(range(1, 41))  # numbered as read
    assert sorted(d["call"] for d in docs) == sorted(f"k{n}" for n in range(40))
    assert all(d["raw"]["callId"] == d["call"] for d in docs)  # with the bodies
    assert out.stat().st_mode & 0o777 == 0o600
    assert asyncio.run(consumers(nats_server.url)) == 0  # each removed its consumer when done
    capsys.readouterr()
    assert main(["export", "--feed", "nats://127.0.0.1:9/NOC"]) == 2
    said = capsys.readouterr().err
    assert "cannot reach nats://127.0.0.1:9" in said and "Traceback" not in said
