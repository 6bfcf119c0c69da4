"""Parsing big answers in a worker process, so the console's own threads keep the interpreter.

The hook listener runs on its own thread beside the UI and answers WCS within milliseconds as
long as it gets the interpreter back every switch interval. A big answer parsed on a thread of
the same process competes with it for seconds, and lxml and json hold the interpreter in
stretches that grow with what they read: libxml2 builds a start tag's attributes inside a
callback that holds the GIL (200,000 attributes: ~30 ms), ``json.loads`` holds it for the whole
document. So a body over :data:`PROCESS_PARSE_BYTES` is parsed in one worker process, started
on first use and kept for the app's life (a fresh interpreter, not a fork: the console has
threads). Where no process can be started, the body is parsed on a thread, with a note.

Nothing big is pickled while holding the interpreter: the body goes down a pipe as raw bytes
(the write lets go of the GIL), and the model comes back in slices of :data:`SLICE_ITEMS`
list entries or attributes, each unpickled on its own in a worker thread (unpickling a 30 MB
answer's model in one call would hold the interpreter for ~60 ms; pickling the body the way
``ProcessPoolExecutor`` does, ~35 ms).
"""

from __future__ import annotations

import asyncio
import atexit
import os
import pickle
import socket
import subprocess
import sys
import threading
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from tui.core.gc_quiet import quiet_gc
from tui.core.resources import Item, Resource, unreadable
from tui.core.resources.parse import parse_response

PROCESS_PARSE_BYTES = 1024 * 1024
SLICE_ITEMS = 2_000
_PROTOCOL = pickle.HIGHEST_PROTOCOL


def _slices(rows: tuple[Any, ...]) -> list[bytes]:
    return [
        pickle.dumps(rows[start : start + SLICE_ITEMS], protocol=_PROTOCOL)
        for start in range(0, len(rows), SLICE_ITEMS)
    ]


def send_resource(conn: Connection, resource: Resource) -> None:
    """The resource in pieces that are each quick to unpickle: the rest of it first."""
    items, attributes = _slices(resource.items), _slices(resource.attributes)
    conn.send((len(items), len(attributes)))
    conn.send_bytes(pickle.dumps(replace(resource, items=(), attributes=()), protocol=_PROTOCOL))
    for blob in items + attributes:
        conn.send_bytes(blob)


def receive_resource(conn: Connection) -> Resource:
    """The resource again, unpickled slice by slice; list entries share their names again."""
    item_slices, attribute_slices = conn.recv()
    with quiet_gc():
        head: Resource = pickle.loads(conn.recv_bytes())
        items: list[Item] = []
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        for _ in range(item_slices):
            for item in pickle.loads(conn.recv_bytes()):
                names = shared.setdefault(item.names, item.names)
                items.append(item if names is item.names else item._replace(names=names))
        attributes = [a for _ in range(attribute_slices) for a in pickle.loads(conn.recv_bytes())]
        return replace(head, items=tuple(items), attributes=tuple(attributes))


def serve(conn: Connection) -> None:
    """The worker process: read a request, parse, answer, until the console goes away."""
    while True:
        try:
            kind, options = conn.recv()
            body = conn.recv_bytes()
        except (EOFError, OSError):
            return
        with quiet_gc():
            resource = parse_response(kind, body, **options)
        del body
        send_resource(conn, resource)


class ParseWorker:
    """The worker process, started on first use and again if it ever dies.

    It is a plain ``python -m tui.net.rest.parse_worker FD`` child talking over a socket pair, not a
    ``multiprocessing`` process: those import the main module again and start a resource
    tracker that inherits ``sys.stderr``, which inside Textual is not a file (spawning fails)
    and would be the screen if it were. The child's own output goes nowhere.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()  # one exchange at a time on the pipe
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self.parsed = 0  # bodies parsed in the worker, for tests and the benchmark

    async def parse(self, kind: str, body: bytes, **options: Any) -> Resource:
        """``parse_response(kind, body, **options)``, run in the worker process."""
        return await asyncio.to_thread(self.parse_blocking, kind, body, options)

    def parse_blocking(self, kind: str, body: bytes, options: dict[str, Any]) -> Resource:
        with self._lock:
            try:
                conn = self._connection()
            except (OSError, ValueError) as exc:  # no process can start here: parse on this thread
                with quiet_gc():
                    resource = parse_response(kind, body, **options)
                note = f"parsed in the console's own process: no parser process ({exc})"
                return replace(resource, notes=(*resource.notes, note))
            try:
                conn.send((kind, options))
                conn.send_bytes(body)
                resource = receive_resource(conn)
            except (EOFError, OSError) as exc:
                self._stop()
                status = int(options.get("transport_status", 0))
                problem = f"the parser process ended while reading the body ({exc!r})"
                return unreadable(kind, problem, transport_status=status)
            self.parsed += 1
            return resource

    def _connection(self) -> Connection:
        if self._conn is None or self._process is None or self._process.poll() is not None:
            self._stop()
            ours, theirs = socket.socketpair()
            try:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", __name__, str(theirs.fileno())],
                    pass_fds=(theirs.fileno(),),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    env={**os.environ, "PYTHONPATH": _import_path()},
                )
            except BaseException:
                ours.close()
                raise
            finally:
                theirs.close()
            self._conn = Connection(ours.detach())
        return self._conn

    def _stop(self) -> None:
        conn, process = self._conn, self._process
        self._conn = self._process = None
        if conn is not None:
            conn.close()  # the worker reads EOF and returns
        if process is not None:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def shutdown(self) -> None:
        with self._lock:
            self._stop()


def _import_path() -> str:
    """PYTHONPATH for the child: where this ``tui`` package is, then what was there."""
    here = str(Path(__file__).resolve().parents[3])
    return os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH", "")) if p)


WORKER = ParseWorker()
atexit.register(WORKER.shutdown)

if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])))
