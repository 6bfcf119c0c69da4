"""The hook listener over real loopback HTTP: backend mode, policy, auth, bad input."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from tui.core.feed import FLAG_AUTH_FAILED, FLAG_DUPLICATE, SEV_ERROR
from tui.core.protocols.wcs_auth import sign

JSON = {"Content-Type": "application/json;charset=UTF-8", "User-Agent": "Java/1.8.0_111"}
CONNECT = {"nodeId": "n1@10.0.0.1", "appKey": "defaultApp", "sessionId": "/1.2.3.4:5/6.7.8.9:8443",
           "mediaProviders": ["WebRTC"], "clientVersion": "2.0", "sipPassword": "topsecret"}  # fmt: skip


async def post(client: httpx.AsyncClient, url: str, body: object, **kw) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await client.post(url, content=content, headers=kw.pop("headers", JSON), **kw)


async def test_backend_mode_echoes_and_mirrors_connect(hook_service) -> None:
    service, store = await hook_service(
        rest_client_config={"StreamKeepAliveEvent": {"restExclude": "sdp", "restOnError": "FAIL"}}
    )
    async with httpx.AsyncClient() as client:
        body = json.dumps({"nodeId": "n1", "status": "PLAYING", "name": "s1"}).encode()
        reply = await post(client, service.url + "/apps/EchoApp/StreamStatusEvent", body)
        assert reply.status_code == 200
        assert reply.content == body  # echoed byte for byte
        reply = await post(client, service.url + "/connect", CONNECT)
        mirrored = reply.json()
        assert {k: mirrored[k] for k in CONNECT} == CONNECT
        assert mirrored["restClientConfig"]["StreamKeepAliveEvent"]["restOnError"] == "FAIL"
        assert mirrored["restClientConfig"]["StreamKeepAliveEvent"]["restPolicy"] == "NOTIFY"
        reply = await post(client, service.url + "/apps/Custom/BrandNewEvent", {"x": 1})
        assert reply.status_code == 200
    events = [store.event(seq) for seq in (1, 2, 3)]
    assert [(e.method, e.app, e.kind, e.reply_status) for e in events] == [
        ("StreamStatusEvent", "/apps/EchoApp", "event", 200),
        ("connect", "defaultApp", "connect", 200),
        ("BrandNewEvent", "/apps/Custom", "unknown", 200),
    ]
    assert all(e.latency_ms >= 0 for e in events)
    assert store.journal.flush()
    record = store.journal.fetch(2)
    assert b"topsecret" not in record.raw and b"topsecret" not in record.reply
    assert record.meta["headers"]["user-agent"] == "Java/1.8.0_111"


async def test_policy_rule_answers_403_and_names_the_rule(hook_service) -> None:
    service, store = await hook_service(
        rules=[{"name": "premium", "methods": ["call"], "field": "callee", "match": "900*"}]
    )
    async with httpx.AsyncClient() as client:
        refused = await post(client, service.url + "/call", {"callId": "c1", "callee": "900555"})
        allowed = await post(client, service.url + "/call", {"callId": "c2", "callee": "555"})
    assert (refused.status_code, refused.json()["rule"]) == (403, "premium")
    assert allowed.status_code == 200
    first = store.event(1)
    assert (first.reply_status, first.rule, first.call) == (403, "premium", "c1")
    service.policy.toggle("premium")
    async with httpx.AsyncClient() as client:
        again = await post(client, service.url + "/call", {"callId": "c3", "callee": "900555"})
    assert again.status_code == 200


async def test_signature_checked_on_raw_body(hook_service) -> None:
    service, store = await hook_service(key_env="WCS_KEY", env={"WCS_KEY": "s3cr3t"})
    body = b'{"nodeId":"n1","status":"ESTABLISHED"}'
    async with httpx.AsyncClient() as client:
        good = await post(
            client,
            service.url + "/ConnectionStatusEvent",
            body,
            headers={**JSON, "Authorization": sign(b"s3cr3t", body)},
        )
        bad = await post(
            client,
            service.url + "/ConnectionStatusEvent",
            body,
            headers={**JSON, "Authorization": sign(b"wrong", body)},
        )
        missing = await post(client, service.url + "/ConnectionStatusEvent", body)
    assert (good.status_code, bad.status_code, missing.status_code) == (200, 403, 403)
    assert "signature mismatch" in bad.json()["error"]
    rejected = store.event(2)
    assert rejected.flags & FLAG_AUTH_FAILED and rejected.severity == SEV_ERROR
    assert store.journal.flush()
    assert store.journal.fetch(2).meta["headers"]["authorization"] == "WCS ***"


async def test_duplicates_are_flagged_not_dropped(hook_service) -> None:
    service, store = await hook_service()
    body = {"callId": "c1", "status": "FINISH"}
    async with httpx.AsyncClient() as client:
        for _ in range(2):
            assert (await post(client, service.url + "/CallStatusEvent", body)).status_code == 200
    assert not store.event(1).flags & FLAG_DUPLICATE
    assert store.event(2).flags & FLAG_DUPLICATE


async def send_raw(port: int, data: bytes, *, then_wait: float = 0.0) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    if then_wait:
        await asyncio.sleep(then_wait)
    try:
        return await asyncio.wait_for(reader.read(65536), timeout=5)
    finally:
        writer.close()


async def test_bad_input_gets_clear_errors_and_the_feed_keeps_going(hook_service) -> None:
    service, store = await hook_service(
        app_paths=["/apps/EchoApp"], max_body_bytes=2048, body_timeout_s=0.3
    )
    url = service.url + "/apps/EchoApp"
    good = 0
    async with httpx.AsyncClient() as client:
        cases = [
            (await post(client, url + "/StreamStatusEvent", b"{not json"), 400, "not JSON"),
            (await post(client, url + "/StreamStatusEvent", b"[1,2]"), 400, "not an object"),
            (await post(client, url + "/StreamStatusEvent", b"\xff\xfe"), 400, "not JSON"),
            (await post(client, url + "/x", b"{}", headers={"Content-Type": "text/plain"}), 415,
             "content type text/plain"),
            (await post(client, url + "/x", b"{" + b" " * 5000 + b"}"), 413, "max_body_bytes"),
            (await post(client, service.url + "/apps/Other/CallStatusEvent", {}), 404,
             "unknown app path /apps/Other"),
            (await client.get(url + "/CallStatusEvent"), 405, "POST"),
            (await post(client, service.url + "/", {}), 404, "no method"),
        ]  # fmt: skip
        for reply, status, fragment in cases:
            assert reply.status_code == status, reply.text
            assert fragment in reply.json()["error"]
            ok = await post(
                client, url + "/StreamStatusEvent", {"name": f"s{good}", "status": "PLAYING"}
            )
            assert ok.status_code == 200
            good += 1
    # A slow client: headers and half a body, then silence.
    slow = await send_raw(
        service.server.port,
        b"POST /apps/EchoApp/CallStatusEvent HTTP/1.1\r\nHost: x\r\n"
        b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"half":',
    )
    assert slow.startswith(b"HTTP/1.1 408")
    # A broken client: hangs up mid-body.
    _reader, writer = await asyncio.open_connection("127.0.0.1", service.server.port)
    writer.write(
        b"POST /apps/EchoApp/CallStatusEvent HTTP/1.1\r\nHost: x\r\n"
        b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"cut'
    )
    await writer.drain()
    writer.close()
    async with httpx.AsyncClient() as client:
        assert (await post(client, url + "/StreamStatusEvent", {"name": "last"})).status_code == 200
        good += 1
    for _ in range(100):
        if store.received >= len(cases) + good + 2:
            break
        await asyncio.sleep(0.02)
    events = [store.event(seq) for seq in range(1, store.last_seq + 1)]
    rejected = [e for e in events if e.kind == "rejected"]
    accepted = [e for e in events if e.kind == "event"]
    assert len(accepted) == good
    assert sorted(e.reply_status for e in rejected) == sorted(
        [400, 400, 400, 415, 413, 404, 405, 404, 408, 499]
    )
    assert all(e.severity == SEV_ERROR and e.info for e in rejected)
    assert store.journal.flush()
    assert store.journal.count() == store.received
    journal_ok = [s for s in store.journal.seqs() if store.journal.fetch(s).event.kind == "event"]
    assert len(journal_ok) == good


async def test_port_in_use_is_explained(hook_service) -> None:
    first, _ = await hook_service()
    from tui.net.hooks.service import HookSetupError

    with pytest.raises(HookSetupError, match=r"cannot listen on 127.0.0.1:\d+: .*in use"):
        await hook_service(port=first.server.port)


async def test_source_allowlist(hook_service) -> None:
    """Allowed sources are served; others are closed at accept (see test_hook_limits)."""
    allowed, _store = await hook_service(allow_from=["10.0.0.0/8", "127.0.0.0/8"])
    refused, _store = await hook_service(allow_from=["10.0.0.0/8"])
    async with httpx.AsyncClient() as client:
        reply = await post(client, allowed.url + "/CallStatusEvent", {})
        assert reply.status_code == 200
        with pytest.raises(httpx.TransportError):
            await post(client, refused.url + "/CallStatusEvent", {})
    assert refused.app.requests == 0
