"""The CUE and MWS clients against their simulators over real loopback HTTP (and HTTPS)."""

from __future__ import annotations

import base64
import json

import pytest

from tests.net.conftest import States, ca_path, make_target
from tui.core.resources.hints import FAILURE_SECRET
from tui.core.resources.writes import plan_create, plan_push
from tui.core.sources import LinkState
from tui.net.rest.base import Query
from tui.net.rest.cue import CueClient
from tui.net.rest.mws import MwsClient
from tui.sim.cue.server import CueSimulator
from tui.sim.host import SimHost
from tui.sim.mws.server import MwsSimulator

CUE_PASSWORD = "cue-pass"
TOKEN = "mws-token-123"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def cue(host: SimHost) -> tuple[CueSimulator, str]:
    sim = CueSimulator(password=CUE_PASSWORD)
    return sim, host.serve(sim) + "/rest"


async def test_cue_sends_basic_auth_on_every_request_and_reads_pi_version(cue) -> None:
    sim, url = cue
    client = CueClient(make_target("cue", url), secret=CUE_PASSWORD)
    try:
        users = await client.fetch("/rest/voicemail/users")
        assert users.ok
        assert "ann" in [i.id for i in users.resource.items]
        group = await client.fetch("/rest/voicemail/groups/sales")
        members_href = {a.name: a.href for a in group.resource.attributes}["membersUri"]
        members = await client.fetch(client.paths.from_href(members_href))
        assert [i.id for i in members.resource.items] == ["ann", "bob", "eve"]
        ann = await client.fetch(client.paths.from_href(members.resource.items[0].href))
        mailbox_href = {a.name: a.href for a in ann.resource.attributes}["mailboxUri"]
        mailbox = await client.fetch(client.paths.from_href(mailbox_href))
        assert mailbox.resource.name == "mailbox"
        assert dict(mailbox.resource.meta) == {"PI-Version": "8.6.1"}
        assert client.pi_version == "8.6.1"
    finally:
        await client.close()
    expected = "Basic " + base64.b64encode(f"cueadmin:{CUE_PASSWORD}".encode()).decode()
    assert len(sim.requests) == 5
    assert {auth for _, _, auth in sim.requests} == {expected}


async def test_cue_fields_selection(cue) -> None:
    _, url = cue
    client = CueClient(make_target("cue", url), secret=CUE_PASSWORD)
    try:
        some = await client.fetch(
            "/rest/voicemail/users/ann", Query(fields="firstName,lastName,nope")
        )
        assert some.url.endswith("/rest/voicemail/users/ann?fields=firstName%2ClastName%2Cnope")
        assert [a.name for a in some.resource.attributes] == ["firstName", "lastName"]
        uris = await client.fetch("/rest/voicemail/users", Query(fields=""))
        assert all(not i.names for i in uris.resource.items)
        assert uris.resource.items[0].href == "/voicemail/users/ann"
    finally:
        await client.close()


async def test_cue_auth_failures_are_error_documents_with_hints(cue, states: States) -> None:
    _, url = cue
    wrong = CueClient(make_target("cue", url), secret="nope", on_state=states)
    plain = CueClient(make_target("cue", url, user="helpdesk"), secret="helpdesk")
    try:
        refused = await wrong.fetch("/rest/voicemail/users")
        assert refused.resource.http_code == 401
        assert refused.resource.errors[0].code == "4010"
        assert "Basic credentials" in refused.hint
        assert states.last is LinkState.DOWN
        forbidden = await plain.fetch("/rest/voicemail/users")
        assert forbidden.resource.http_code == 403
        assert "superuser" in forbidden.resource.errors[0].message
        assert "superuser" in forbidden.hint
    finally:
        await wrong.close()
        await plain.close()


async def test_cue_mailbox_for_an_existing_owner_is_refused(cue) -> None:
    _, url = cue
    client = CueClient(make_target("cue", url, allow_writes=True), secret=CUE_PASSWORD)
    try:
        eve = await client.fetch("/rest/voicemail/mailboxes/eve")
        assert eve.resource.http_code == 404
        assert eve.resource.errors[0].message == "User eve has no mailbox"
        request = plan_create("cue", "/rest/voicemail/mailboxes", {"ownerId": "ann"})
        assert request.body == b"<mailbox><ownerId>ann</ownerId></mailbox>"
        clash = await client.write(request)
        assert clash.resource.http_code == 409
        assert clash.resource.errors[0].message == "A mailbox already exists for owner ann"
        created = await client.write(
            plan_create("cue", "/rest/voicemail/mailboxes", {"ownerId": "eve"})
        )
        assert created.status == 201
        assert (await client.fetch("/rest/voicemail/mailboxes/eve")).ok
    finally:
        await client.close()


async def test_cue_http_redirects_to_https_once_then_https_directly(
    host: SimHost, tls_files
) -> None:
    sim = CueSimulator(password=CUE_PASSWORD)
    secure = host.serve(sim, tls=tls_files)
    plain = host.serve(sim.redirector(secure))
    target = make_target("cue", plain + "/rest", ca_file=ca_path(tls_files))
    client = CueClient(target, secret=CUE_PASSWORD)
    try:
        first = await client.fetch("/rest/voicemail/users")
        assert first.ok
        assert first.url.startswith(secure)
        assert f"now using {secure}" in first.notes[0]
        second = await client.fetch("/rest/voicemail/groups")
        assert second.url.startswith(secure)
        assert second.notes == ()
    finally:
        await client.close()
    assert len(sim.requests) == 2  # the HTTPS side saw both; the redirect happened once
    assert all(auth.startswith("Basic ") for _, _, auth in sim.requests)


async def test_tls_verification_on_by_default_ca_file_and_insecure_switch(
    host: SimHost, tls_files
) -> None:
    sim = MwsSimulator(token=TOKEN)
    url = host.serve(sim, tls=tls_files)
    strict = MwsClient(make_target("mws", url), secret=TOKEN)
    trusting = MwsClient(make_target("mws", url, ca_file=ca_path(tls_files)), secret=TOKEN)
    insecure = MwsClient(make_target("mws", url, verify_tls=False), secret=TOKEN)
    try:
        refused = await strict.fetch("/v1/sockets")
        assert refused.failure == "tls"
        assert "ca_file" in refused.hint
        assert (await trusting.fetch("/v1/sockets")).ok
        assert (await insecure.fetch("/v1/sockets")).ok
    finally:
        for client in (strict, trusting, insecure):
            await client.close()


async def test_mws_bearer_sockets_and_websocket_uri(host: SimHost) -> None:
    sim = MwsSimulator(token=TOKEN, clock=Clock())
    url = host.serve(sim)
    client = MwsClient(make_target("mws", url), secret=TOKEN)
    try:
        sockets = await client.fetch("/v1/sockets")
        assert sockets.ok
        assert len(sockets.resource.items) >= 7
        first = sockets.resource.items[0]
        assert first.href == f"/v1/sockets/{first.id}"
        one = await client.fetch(first.href)
        assert one.resource.id == first.id
        uri = await client.fetch("/v1/websocket_uri")
        values = {a.name: a.value for a in uri.resource.attributes}
        assert values["uri"].startswith("wss://mws.lab.example/?token=")
        root = await client.fetch("/")
        assert root.resource.attributes[0].value == "MWS"
    finally:
        await client.close()
    assert {auth for _, path, auth in sim.requests} == {f"Bearer {TOKEN}"}


async def test_mws_without_a_token_never_sends_and_wrong_token_is_403(host: SimHost) -> None:
    sim = MwsSimulator(token=TOKEN)
    url = host.serve(sim)
    missing = MwsClient(make_target("mws", url), secret="")
    wrong = MwsClient(make_target("mws", url), secret="guess")
    try:
        none = await missing.fetch("/v1/sockets")
        assert none.failure == FAILURE_SECRET
        assert "TEST_SECRET is not set" in none.resource.problem
        assert sim.requests == []
        refused = await wrong.fetch("/v1/sockets")
        assert refused.resource.http_code == 403
        assert refused.resource.errors[0].code == "forbidden"
    finally:
        await missing.close()
        await wrong.close()


async def test_mws_push_to_a_socket_that_is_gone(host: SimHost) -> None:
    clock = Clock()
    sim = MwsSimulator(token=TOKEN, clock=clock, kiosk_gone_after_s=45)
    url = host.serve(sim)
    client = MwsClient(make_target("mws", url, allow_writes=True, cache_ttl_s=0), secret=TOKEN)
    try:
        kiosk = sim.kiosk().id
        assert (await client.write(plan_push("/v1", [kiosk], "hello"))).status == 201
        clock.now = 60
        gone = await client.write(plan_push("/v1", [kiosk], "hello again"))
        assert gone.resource.http_code == 404
        assert gone.resource.errors[0].code == "socket_not_found"
        listed = await client.fetch("/v1/sockets")
        assert kiosk not in [i.id for i in listed.resource.items]
        invalid = await client.write(plan_create("mws", "/v1/messages", {"receivers": "x"}))
        assert invalid.resource.http_code == 422
        assert invalid.resource.errors[0].field == "data"
    finally:
        await client.close()
    assert json.loads(json.dumps(sim.messages[0]))["data"] == "hello"


def test_query_options_are_encoded_by_httpx_and_cannot_break_the_url() -> None:
    client = CueClient(make_target("cue", "https://cue.example"), secret="x")
    url = client.url_of("/rest/voicemail/users?x=1", Query(fields="first name&y=2#z"))
    assert url == "https://cue.example/rest/voicemail/users?x=1&fields=first+name%26y%3D2%23z"
    assert client.url_of("/rest/voicemail/users") == "https://cue.example/rest/voicemail/users"


async def test_mws_create_a_socket_with_tags_and_find_it_at_its_href(host: SimHost) -> None:
    url = host.serve(MwsSimulator(token=TOKEN, clock=Clock()))
    client = MwsClient(make_target("mws", url, allow_writes=True), secret=TOKEN)
    try:
        request = plan_create("mws", "/v1/sockets", {"tags": "[kiosk,lobby]"})
        assert json.loads(request.body) == {"tags": ["kiosk", "lobby"]}  # was "[kiosk,lobby]"
        created = await client.write(request)
        assert created.status == 201
        href = created.resource.href
        assert href == f"/v1/sockets/{created.resource.id}"  # was /v1/sockets
        found = await client.fetch(href)
        assert found.ok
        assert {a.name: a.value for a in found.resource.attributes}["tags"] == "kiosk, lobby"
    finally:
        await client.close()
