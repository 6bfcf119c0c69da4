"""The supervisor of `collect --workers`, without processes: when it says the workers listen."""

from __future__ import annotations

import argparse
import logging
import os
import socket

import pytest

from tui.cli.collect_workers import Supervisor


class Running:
    """A worker process that has not been reaped yet (its pipe may already be closed)."""

    def poll(self) -> int | None:
        return None


def supervisor_with_pipe(said: bytes) -> Supervisor:
    sock = socket.socket()
    supervisor = Supervisor(argparse.Namespace(config=None, nats=None), sock, 1)
    ready, says = os.pipe()
    if said:
        os.write(says, said)
    os.close(says)  # the worker is gone, or has said its word
    worker = supervisor.workers[0]
    worker.ready, worker.process = ready, Running()  # type: ignore[assignment]
    return supervisor


@pytest.mark.parametrize(("said", "listening"), [(b"1", True), (b"", False)])
def test_a_worker_listens_when_it_says_so_not_when_its_pipe_closes(
    said: bytes, listening: bool, caplog: pytest.LogCaptureFixture
) -> None:
    """A worker that failed at start closes its end of the pipe as it exits, a moment before
    it can be reaped: that end of file is no word that it listens."""
    supervisor = supervisor_with_pipe(said)
    sock = supervisor.sock
    sock.bind(("127.0.0.1", 0))
    try:
        with caplog.at_level(logging.INFO):
            supervisor._wait_for_ready(5.0)
    finally:
        sock.close()
    assert supervisor.all_ready is listening
    assert ("workers listening on" in caplog.text) is listening
    assert supervisor.workers[0].ready is None  # the pipe is done with either way
