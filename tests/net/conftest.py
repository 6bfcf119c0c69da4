"""Simulators on loopback for the network tests, and targets pointing at them."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.config import HooksConfig, Target
from tui.core.journal import Journal
from tui.core.sources import LinkState
from tui.core.store import FeedStore, Submitted
from tui.net.hooks.journal_gate import JournalGate
from tui.net.hooks.service import HookService
from tui.sim.host import SimHost


@pytest.fixture(scope="module")
def host() -> Iterator[SimHost]:
    with SimHost("net-tests") as running:
        yield running


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (it is its own CA)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


def make_target(kind: str, url: str, **extra: Any) -> Target:
    fields: dict[str, Any] = {
        "name": f"{kind}1",
        "kind": kind,
        "url": url,
        "secret_env": "TEST_SECRET",
        "timeout_s": 5.0,
    }
    if kind in ("sbc", "cue"):
        fields["user"] = {"sbc": "restuser", "cue": "cueadmin"}[kind]
    fields.update(extra)
    return Target(**fields)


class States:
    """Records what a client reports for the header chip."""

    def __init__(self) -> None:
        self.seen: list[tuple[LinkState, str]] = []

    def __call__(self, state: LinkState, detail: str) -> None:
        self.seen.append((state, detail))

    @property
    def last(self) -> LinkState:
        return self.seen[-1][0]


@pytest.fixture
def states() -> States:
    return States()


def ca_path(tls_files: tuple[str, str]) -> Path:
    return Path(tls_files[0])


class DrainingSink:
    """The store, drained as soon as an event is submitted: the test's loop owns the store and
    looks at its rows right after each answer (the console drains on a clock instead)."""

    def __init__(self, store: FeedStore) -> None:
        self.store = store

    def submit(
        self, event: Any, raw: bytes = b"", reply: bytes = b"", meta: Any = None
    ) -> Submitted:
        submitted = self.store.submit(event, raw, reply, meta)
        self.store.drain()
        return submitted


@pytest.fixture
async def hook_service(tmp_path: Path) -> AsyncIterator[Callable[..., Any]]:
    """Start a real hook listener on 127.0.0.1 (free port) with a store and a journal."""
    started: list[tuple[HookService, Journal]] = []

    async def start(
        env: dict[str, str] | None = None, **settings: Any
    ) -> tuple[HookService, FeedStore]:
        port = settings.pop("port", 0)
        config = HooksConfig.model_validate({"bind": "127.0.0.1", **settings})
        journal = Journal(tmp_path / f"journal-{len(started)}.sqlite").open()
        store = FeedStore(10_000, journal=journal)
        gate = JournalGate(journal)
        service = HookService(config, DrainingSink(store), gate=gate, port=port, env=env or {})
        await service.start()
        started.append((service, journal))
        return service, store

    yield start
    for service, journal in started:
        await service.stop()
        journal.close()
