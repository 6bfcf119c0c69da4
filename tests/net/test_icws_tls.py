"""TLS: verification on by default, a private CA file, and the explicit insecure switch."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.net.icws_helpers import PASSWORD, PASSWORD_ENV, in_sync, make_client, running, until
from tui.config import AppConfig, sources_from_config
from tui.core.feed import SOURCE_CONSOLE
from tui.core.sources import LinkState
from tui.net.icws.client import tls_verify
from tui.sim.host import SimHost
from tui.sim.icws import IcwsSimulator


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a throwaway certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_sim(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[IcwsSimulator]:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with SimHost("icws-tls") as host:
        sim = IcwsSimulator(seed=2, users={"noc": PASSWORD}, hosts=1)
        sim.serve(host, tls=certificate)
        yield sim


async def test_unknown_certificate_is_refused_by_default(tls_sim: IcwsSimulator) -> None:
    client, sink, board, _ = make_client(tls_sim.urls[0])
    async with running(client):
        await until(lambda: board.get("cic-test").state is LinkState.DOWN, "the refusal")
        failure = sink.events(source=SOURCE_CONSOLE, method="login")[0]
        assert "TLS certificate not trusted (self-signed certificate)" in failure.info
        assert "set ca_file" in failure.info
    assert not tls_sim.requests, "no request got through the handshake"


async def test_private_ca_file_is_trusted(tls_sim: IcwsSimulator, certificate) -> None:
    client, _, board, state = make_client(tls_sim.urls[0], ca_file=str(certificate[0]))
    async with running(client):
        await until(lambda: in_sync(tls_sim, state), "the snapshots over HTTPS")
        assert not board.get("cic-test").insecure


async def test_insecure_switch_connects_and_shows(tls_sim: IcwsSimulator) -> None:
    client, _, board, state = make_client(tls_sim.urls[0], verify_tls=False)
    async with running(client):
        await until(lambda: in_sync(tls_sim, state), "the snapshots over HTTPS")
        assert board.get("cic-test").insecure, "the header's TLS-OFF mark"


def test_tls_settings_map_to_httpx(certificate) -> None:
    base = {"name": "c", "url": "https://c:8019", "user": "u", "password_env": "P"}
    config = AppConfig.model_validate({"icws": [base, {**base, "name": "d", "verify_tls": False}]})
    assert tls_verify(config.icws[0]) is True
    assert tls_verify(config.icws[1]) is False
    assert [s.insecure for s in sources_from_config(config)[1:]] == [False, True]
    with_ca = config.icws[0].model_copy(update={"ca_file": certificate[0]})
    context = tls_verify(with_ca)
    assert not isinstance(context, bool)
    assert context.verify_mode.name == "CERT_REQUIRED"
