"""The web front of ``noc-console serve`` at HTTP level: the token and its cookie, 401s, the
base URL, the tab cap, a tab's process ending with the tab, the log without the token.

The tabs run tests/serve/fake_console.py, which speaks the console's web-driver protocol
and starts at once; the browser tests run the real console.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from tests.serve.fake_console import PASSWORD_ENV
from tests.serve.support import running, wait_until
from tui.cli import serve_tabs, serve_web
from tui.cli.serve_gate import COOKIE, Gate
from tui.cli.serve_web import TABS_KEY, ServeSettings, build_app, runner_options

FAKE = [sys.executable, str(Path(__file__).with_name("fake_console.py"))]
TOKEN = "t0ken-for-the-tests-0123456789abcdefghij"


@pytest.fixture
async def make_client() -> AsyncIterator[Callable[..., object]]:
    clients: list[TestClient] = []

    async def make(
        *, base_url: str = "/", max_tabs: int = 4, password: str | None = None,
        argv: list[str] = FAKE, env: dict[str, str] | None = None, drop: tuple[str, ...] = (),
    ) -> TestClient:  # fmt: skip
        gate = Gate(base_url, token=None if password else TOKEN, password=password)
        settings = ServeSettings(
            argv=argv, gate=gate, max_tabs=max_tabs, env=env or {}, drop_env=drop
        )
        server = TestServer(build_app(settings), host="127.0.0.1")
        await server.start_server(**runner_options(settings.limits))  # the command's own access log
        client = TestClient(server)
        await client.start_server()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


async def signed_in(client: TestClient, base: str = "/") -> None:
    answer = await client.get(f"{base}?token={TOKEN}", allow_redirects=False)
    assert answer.status == 303
    assert answer.headers["Location"] == base


async def first_data(socket: aiohttp.ClientWebSocketResponse) -> str:
    message = await asyncio.wait_for(socket.receive(), 20)
    assert message.type is aiohttp.WSMsgType.BINARY, message
    return bytes(message.data).decode()


async def test_everything_without_the_token_is_401(make_client) -> None:
    client = await make_client()
    for path in ("/", "/static/js/textual.js", "/ws", f"/?token={TOKEN}x", "/?token="):
        answer = await client.get(path, allow_redirects=False)
        assert answer.status == 401, path
        assert answer.headers["Cache-Control"] == "no-store"
    assert "?token=" in await (await client.get("/")).text()  # says what to open instead
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws")
    assert refused.value.status == 401


async def test_the_token_is_traded_for_a_strict_http_only_cookie(make_client) -> None:
    client = await make_client()
    answer = await client.get(f"/?token={TOKEN}", allow_redirects=False)
    assert answer.status == 303 and answer.headers["Location"] == "/"  # the token leaves the URL
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=") and TOKEN not in cookie  # a session, not the token
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert attribute in cookie
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    page = await client.get("/")
    assert page.status == 200
    text = await page.text()
    assert '"/ws"' in text and 'href="/static/css/xterm.css"' in text
    assert "googleapis" not in text  # nothing from outside
    assert (await client.get("/static/js/textual.js")).status == 200


async def test_a_cookie_from_another_run_of_the_server_opens_nothing(make_client) -> None:
    first, second = await make_client(), await make_client()
    await signed_in(first)
    stale = {c.key: c.value for c in first.session.cookie_jar}[COOKIE]
    answer = await second.get("/", cookies={COOKIE: stale})
    assert answer.status == 401


async def test_under_a_base_url_pages_assets_cookie_and_websocket_live_below_it(
    make_client,
) -> None:
    client = await make_client(base_url="/noc/")
    assert (await client.get(f"/?token={TOKEN}", allow_redirects=False)).status == 404
    answer = await client.get(f"/noc/?token={TOKEN}", allow_redirects=False)
    assert answer.status == 303 and answer.headers["Location"] == "/noc/"
    assert "Path=/noc/" in answer.headers["Set-Cookie"]
    text = await (await client.get("/noc/")).text()
    assert '"/noc/ws"' in text and 'src="/noc/static/js/textual.js"' in text
    assert (await client.get("/noc/static/css/xterm.css")).status == 200
    socket = await client.ws_connect("/noc/ws?width=100&height=30")
    assert (await first_data(socket)).startswith("hello")
    await socket.close()


async def test_a_websocket_opened_by_another_site_s_page_is_refused(make_client) -> None:
    client = await make_client()
    await signed_in(client)
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws", headers={"Origin": "https://evil.example"})
    assert refused.value.status == 403
    own = f"http://{client.host}:{client.port}"
    socket = await client.ws_connect("/ws", headers={"Origin": own})
    assert (await first_data(socket)).startswith("hello")
    await socket.close()


async def test_the_tab_over_the_cap_gets_a_503_page_until_one_closes(make_client) -> None:
    client = await make_client(max_tabs=1)
    await signed_in(client)
    first = await client.ws_connect("/ws")
    await first_data(first)
    busy = await client.get("/")
    assert busy.status == 503
    assert "all 1 tab in use" in await busy.text()
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws")
    assert refused.value.status == 503
    await first.close()
    tabs = client.server.app[TABS_KEY]
    await wait_until(lambda: not tabs.full)
    assert (await client.get("/")).status == 200


async def test_closing_a_tab_ends_its_console_process(make_client) -> None:
    client = await make_client()
    await signed_in(client)
    socket = await client.ws_connect("/ws")
    hello = await first_data(socket)
    pid = int(hello.split("pid=")[1].split()[0])
    assert client.server.app[TABS_KEY].pids == [pid] and running(pid)
    await socket.send_json(["stdin", "2"])
    assert await first_data(socket) == "key:2"  # the keys reach the tab's own console
    await socket.close()
    await wait_until(lambda: not running(pid))
    await wait_until(lambda: client.server.app[TABS_KEY].pids == [])


async def test_a_console_that_ignores_quit_is_terminated(
    make_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve_tabs, "QUIT_GRACE_S", 0.2)
    client = await make_client(argv=[*FAKE, "--stubborn"])
    await signed_in(client)
    socket = await client.ws_connect("/ws")
    pid = int((await first_data(socket)).split("pid=")[1].split()[0])
    await socket.close()
    await wait_until(lambda: not running(pid))


async def test_stopping_the_server_ends_every_tab(make_client) -> None:
    client = await make_client()
    await signed_in(client)
    sockets = [await client.ws_connect("/ws") for _ in range(2)]
    pids = [int((await first_data(s)).split("pid=")[1].split()[0]) for s in sockets]
    await client.close()
    assert not any(running(pid) for pid in pids)


async def test_tabs_get_read_only_and_never_the_password(
    make_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "correct horse battery staple")
    monkeypatch.setattr(serve_web, "FAILED_PASSWORD_PAUSE_S", 0.0)
    client = await make_client(
        password="correct horse battery staple",
        env={"NOC_UI__READ_ONLY": "1"},
        drop=(PASSWORD_ENV,),
    )
    form = await client.get("/")
    assert form.status == 401 and "type=password" in await form.text()
    wrong = await client.post("/login", data={"password": "guess"}, allow_redirects=False)
    assert wrong.status == 401 and "Wrong password" in await wrong.text()
    assert (await client.get("/")).status == 401
    right = await client.post(
        "/login", data={"password": "correct horse battery staple"}, allow_redirects=False
    )
    assert right.status == 303 and "HttpOnly" in right.headers["Set-Cookie"]
    assert (await client.get(f"/?token={TOKEN}")).status == 200  # no token in password mode
    socket = await client.ws_connect("/ws")
    hello = await first_data(socket)
    assert "read_only=1" in hello and "password_seen=False" in hello
    await socket.close()


async def test_the_access_log_never_holds_the_token(
    make_client, caplog: pytest.LogCaptureFixture
) -> None:
    client = await make_client()
    with caplog.at_level(logging.INFO, logger="noc-console.serve.access"):
        await signed_in(client)
        await client.get(f"/?token={TOKEN}&fontsize=20")
    lines = [r.getMessage() for r in caplog.records if r.name == "noc-console.serve.access"]
    assert any(" GET / 303 " in line for line in lines)
    assert any(" GET / 200 " in line for line in lines)
    assert not any(TOKEN in line or "token" in line for line in lines)


async def test_the_stale_token_in_an_open_tab_s_address_is_dropped(make_client) -> None:
    client = await make_client()
    await signed_in(client)
    again = await client.get("/?token=whatever", allow_redirects=False)
    assert again.status == 303 and again.headers["Location"] == "/"
