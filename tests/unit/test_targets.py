"""The target-kind registry: every reader takes what a kind declares from it."""

from __future__ import annotations

import pytest

from tui.config import Target
from tui.core import targets
from tui.core.resources.hints import hint_for
from tui.core.resources.model import Resource
from tui.core.resources.parse import parse_response, pretty_body
from tui.core.resources.paths import ALIASES, TargetPaths
from tui.core.resources.writes import WriteNotPossible, plan_action, plan_create, plan_modify
from tui.core.targets import KINDS, TargetKind, WriteRules, kind_of
from tui.net.rest import client_class, client_for
from tui.net.rest.base import CLIENTS, RestClient, serves


def _acme_parse(body: bytes, *, transport_status: int, **options: object) -> Resource:
    return Resource(kind="acme", shape="status", http_code=transport_status)


ACME = TargetKind(
    name="acme",
    title="ACME",
    api_suffix="/api",
    home="/things",
    auth_kinds=("bearer",),
    parse=_acme_parse,
    writes=WriteRules(create="json-post", modify="form-post"),
    aliases={"things": "/api/things", "root": "/"},
    root_document=True,
    body_format="json",
    status_hints={418: "The box is a teapot."},
)


@pytest.fixture
def acme(monkeypatch):
    """A fourth kind, declared the way a new module would declare it."""
    monkeypatch.setitem(KINDS, "acme", ACME)

    @serves("acme")
    class AcmeClient(RestClient):
        pass

    yield AcmeClient
    CLIENTS.pop("acme", None)


def test_the_three_kinds_are_declared_once_each() -> None:
    assert targets.NAMES == ("sbc", "cue", "mws")
    assert targets.AUTH_KINDS == ("session", "basic", "bearer")
    for name, spec in KINDS.items():
        assert spec.name == name
        assert kind_of(name) is spec
    with pytest.raises(ValueError, match="unknown target kind 'nope' \\(known: sbc, cue, mws\\)"):
        kind_of("nope")


@pytest.mark.parametrize("name", ["sbc", "cue", "mws"])
def test_each_kind_has_its_client_and_config(name) -> None:
    spec = kind_of(name)
    target = Target(
        name="t", kind=name, url="https://box.example", user="u", secret_env="SECRET_VAR"
    )
    assert target.auth == spec.default_auth
    client = client_for(target, secret="x")
    assert client.kind == name
    assert client_class(name) is type(client)
    assert client.paths.home == spec.api_suffix + spec.home
    assert ALIASES[name] == dict(spec.aliases)


def test_a_new_kind_is_read_from_its_declaration_alone(acme) -> None:
    paths = TargetPaths("acme", "https://gw.example/proxy/api")
    assert (paths.prefix, paths.api_root, paths.home) == (
        "/proxy",
        "/proxy/api",
        "/proxy/api/things",
    )
    assert paths.alias("things") == "/proxy/api/things"
    assert paths.alias("root") == "/proxy"
    assert paths.from_href("/", "/proxy/api/things") == "/proxy"  # its root document
    assert hint_for("acme", 418) == "The box is a teapot."
    assert parse_response("acme", b"{}", transport_status=204).http_code == 204
    assert pretty_body("acme", b'{"a": 1}')[1] == "json"
    assert plan_create("acme", "/api/things", {"a": "1"}).content_type == "application/json"
    assert plan_modify("acme", "/api/things/1", "thing", {"a": "2"}).method == "POST"
    with pytest.raises(WriteNotPossible, match="only the SBC has"):
        plan_action("acme", "/api/things/1", "reboot")
    assert client_class("acme") is acme


def test_a_kind_without_modify_says_so() -> None:
    with pytest.raises(WriteNotPossible, match="MWS objects cannot be modified"):
        plan_modify("mws", "/v1/sockets/1", "", {"a": "1"})


async def test_services_own_the_rest_clients_and_close_them_on_stop(monkeypatch) -> None:
    from tui.config import AppConfig
    from tui.core.sources import SourceBoard
    from tui.services import Services

    services = Services(AppConfig(), SourceBoard([]), journal=False)
    target = Target(name="edge", kind="sbc", url="https://sbc.example", user="u", secret_env="S")
    client = services.rest_client(target)
    assert services.rest_client(target) is client  # one per target, kept
    moved = target.model_copy(update={"url": "https://other.example"})
    replaced = services.rest_client(moved)
    assert replaced is not client
    closed: list[str] = []

    async def close(self: RestClient) -> None:
        closed.append(str(self.target.url))

    monkeypatch.setattr(RestClient, "close", close)
    await services.stop()
    assert sorted(closed) == ["https://other.example", "https://sbc.example/"]
    assert len(services.rest_clients) == 0
