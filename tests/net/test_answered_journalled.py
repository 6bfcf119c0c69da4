"""Answered means journalled: a hook's reply leaves only after its journal row is committed,
whatever the hook holds, and a console killed with ``kill -9`` has every answered hook on disk."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tui.cli.tail import JournalWatch
from tui.config import AppConfig
from tui.core.feed import blank_event
from tui.core.sources import SourceBoard
from tui.services import Services

JSON = {"Content-Type": "application/json"}


def committed_calls(path: Path) -> set[str]:
    """What another process reading the file sees right now."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT call FROM events")}
    finally:
        conn.close()


async def test_every_answer_finds_its_row_already_committed(hook_service) -> None:
    service, store = await hook_service()
    path = store.journal.path
    async with httpx.AsyncClient() as client:
        for i in range(60):
            body = {"callId": f"c{i}", "status": "ESTABLISHED"}
            reply = await client.post(service.url + "/apps/A/CallStatusEvent", json=body)
            assert reply.status_code == 200
            assert f"c{i}" in committed_calls(path), f"hook {i} answered before its commit"
        bad = await client.post(service.url + "/apps/A/CallStatusEvent", content=b"{", headers=JSON)
        assert bad.status_code == 400
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    kinds = [row[0] for row in conn.execute("SELECT kind FROM events ORDER BY seq")]
    conn.close()
    assert kinds[-1] == "rejected"  # the rejection was on disk before its 400 went out


async def test_a_journal_that_cannot_commit_holds_replies_only_up_to_its_timeout(
    hook_service,
) -> None:
    service, store = await hook_service()
    service.gate.timeout_s = 0.2
    blocker = sqlite3.connect(store.journal.path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")  # the writer now waits for the lock
    try:
        async with httpx.AsyncClient() as client:
            reply = await client.post(service.url + "/apps/A/CallStatusEvent", json={"callId": "x"})
        assert reply.status_code == 200  # answered anyway: WCS must not time out on us
        assert service.gate.late == 1
    finally:
        blocker.rollback()
        blocker.close()
    assert store.journal.flush()
    assert "x" in committed_calls(store.journal.path)  # and written once the lock went


async def test_json_nested_too_deep_gets_a_400_with_a_reason_and_a_journal_row(
    hook_service,
) -> None:
    service, store = await hook_service()
    deep_secret = b'{"a":' * 600 + b'{"password":"hunter2"}' + b"}" * 600
    very_deep = b"[" * 100_000 + b"]" * 100_000
    async with httpx.AsyncClient() as client:
        for body in (deep_secret, very_deep):
            reply = await client.post(
                service.url + "/apps/A/CallStatusEvent", content=body, headers=JSON
            )
            assert reply.status_code == 400
            assert "nested over 32 levels" in reply.json()["error"]
        ok = await client.post(service.url + "/apps/A/CallStatusEvent", json={"callId": "after"})
        assert ok.status_code == 200
    assert store.journal.flush()
    records = [store.journal.fetch(seq) for seq in store.journal.seqs()]
    assert [r.event.status for r in records] == ["REJECTED", "REJECTED", ""]
    assert b"hunter2" not in records[0].raw and b'"password":"***"' in records[0].raw


async def test_a_lone_surrogate_in_a_hook_stops_nothing(hook_service) -> None:
    service, store = await hook_service()
    async with httpx.AsyncClient() as client:
        hostile = b'{"callId":"sur\\ud800x","status":"X\\udfff"}'
        reply = await client.post(service.url + "/apps/A/CallStatusEvent", content=hostile,
                                  headers=JSON)  # fmt: skip
        assert reply.status_code == 200
        for i in range(5):
            body = {"callId": f"c{i}", "status": "ESTABLISHED"}
            assert (
                await client.post(service.url + "/apps/A/CallStatusEvent", json=body)
            ).is_success
    assert store.journal.flush()
    assert store.journal.count() == 6 and store.journal.lost == 0
    assert committed_calls(store.journal.path) >= {f"c{i}" for i in range(5)}


async def test_losses_are_said_on_stderr_and_in_the_exit_summary(tmp_path: Path) -> None:
    config = AppConfig.model_validate(
        {"hooks": {"bind": "127.0.0.1", "port": 0}, "journal": {"dir": str(tmp_path)}}
    )
    services = Services(config, SourceBoard([]), mode="test")
    await services.start()
    try:
        assert services.journal is not None
        with sqlite3.connect(services.journal.path) as conn:
            conn.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.status = 'POISON' "
                "BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
            )
        services.store.submit(blank_event(status="POISON"))
        services.store.submit(blank_event(status="fine"))
        assert services.journal.flush()
        err = _Lines()
        JournalWatch(services, err).report()  # type: ignore[arg-type]
        assert services.not_journalled == 1
        assert "JOURNAL: 1 events not journalled" in err.text and "disk says no" in err.text
        assert "1 events not journalled" in services.exit_summary()
    finally:
        await services.stop()


class _Lines:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


# -- kill -9 -------------------------------------------------------------------------------


async def _hook_client(port: int, prefix: str, answered: set[str], pad: str) -> None:
    """Posts hooks one after another on one connection until the server goes away."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return
    number = 0
    try:
        while True:
            number += 1
            call = f"{prefix}-{number}"
            body = json.dumps({"callId": call, "status": "ESTABLISHED", "pad": pad}).encode()
            writer.write(
                b"POST /apps/EchoApp/CallStatusEvent HTTP/1.1\r\nHost: t\r\n"
                b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                % (len(body), body)
            )
            await writer.drain()
            status_line = await reader.readline()
            if not status_line:
                return
            length = 0
            while (header := await reader.readline()) not in (b"\r\n", b""):
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":", 1)[1])
            await reader.readexactly(length)
            if status_line.split()[1] == b"200":
                answered.add(call)
    except (OSError, asyncio.IncompleteReadError):
        return
    finally:
        writer.close()


@pytest.mark.slow
@pytest.mark.parametrize("pad_bytes", [10, 50_000])
async def test_kill_9_loses_no_answered_hook(tmp_path: Path, pad_bytes: int) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NOC_JOURNAL__DIR": str(tmp_path), "NOC_CONFIG": str(tmp_path / "none")}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "tail", "--listen", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert process.stderr is not None
    assert b"listening on" in await asyncio.to_thread(process.stderr.readline)
    answered: set[str] = set()
    clients = [
        asyncio.create_task(_hook_client(port, f"k{i}", answered, "x" * pad_bytes))
        for i in range(8)
    ]
    while len(answered) < (3000 if pad_bytes < 1000 else 600):  # well into the stream
        await asyncio.sleep(0.01)
        assert process.poll() is None
    process.send_signal(signal.SIGKILL)
    await asyncio.to_thread(process.wait)
    await asyncio.gather(*clients)
    journalled: set[str] = set()
    for path in tmp_path.glob("*.sqlite"):
        journalled |= committed_calls(path)
    missing = answered - journalled
    assert not missing, f"{len(missing)} of {len(answered)} answered hooks are not in the journal"
