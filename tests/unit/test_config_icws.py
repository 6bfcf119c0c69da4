"""The [[icws]] config section: subscriptions, timings, and helpful refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.fixtures import config_text
from tui.config import load_config
from tui.config.problems import ConfigError

REPO = Path(__file__).resolve().parents[2]
BASE = config_text("icws-base.toml")


def problems(error: ConfigError) -> dict[str, str]:
    return {p.location: p.message for p in error.problems}


def test_defaults_and_subscriptions(write_config) -> None:
    server = load_config(write_config(config_text("icws-subscriptions.toml"))).config.icws[0]
    assert server.base_url == "https://cic1.example.net:8019"
    assert server.use_sse
    assert server.status_messages
    support, mine = server.queues
    assert (support.type_code, support.label) == (2, "Support")
    assert (mine.type_code, mine.label) == (1, "user:j.chen")
    assert server.attributes_for(support)[0] == "Eic_State"
    assert server.attributes_for(mine) == ["Eic_State", "Eic_RemoteName"], "Eic_State is added"
    waiting, talk = server.statistics
    assert waiting.parameter_items() == [
        ("ININ.People.WorkgroupStats:Workgroup", "Support"),
        ("ININ.Queue:Interval", "CurrentShift"),
    ]
    assert talk.parameter_items() == [
        ("ININ.People.AgentStats:User", "j.chen"),
        ("ININ.Custom:Site", "Leeds"),
    ]
    assert server.subscribes_to_something


def test_proxy_prefix_is_kept(write_config) -> None:
    text = BASE.replace("https://cic1.example.net:8019", "https://proxy.example.net/api/cic1/")
    server = load_config(write_config(text)).config.icws[0]
    assert server.base_url == "https://proxy.example.net/api/cic1"


@pytest.mark.parametrize(
    ("extra", "location", "fragment"),
    [
        ("password = 'x'\n", "icws[0].password", "name that variable with 'password_env'"),
        ("queues = [{ type = 'team', name = 'x' }]\n", "icws[0].queues[0].type", "'workgroup'"),
        ("queues = [{ name = '' }]\n", "icws[0].queues[0].name", "at least 1 character"),
        (
            "queues = [{ name = 'Support' }, { name = 'support' }]\n",
            "icws[0]",
            "queue listed twice: workgroup:support",
        ),
        (
            "queue_attributes = ['Eic_State', 'EIC_STATE']\n",
            "icws[0].queue_attributes",
            "case-insensitive in ICWS; listed twice: EIC_STATE",
        ),
        ("queue_attributes = ['bad name']\n", "icws[0].queue_attributes[0]", "pattern"),
        ("user_statuses = ['a', 'A']\n", "icws[0].user_statuses", "listed twice: A"),
        ("poll_interval_s = 0\n", "icws[0].poll_interval_s", "greater than or equal to 0.1"),
        (
            "reconnect_initial_s = 5\nreconnect_max_s = 2\n",
            "icws[0]",
            "reconnect_max_s (2.0) is below reconnect_initial_s (5.0)",
        ),
        ("language = 'en us'\n", "icws[0].language", "pattern"),
        ("[[icws.statistics]]\nid = 'Waiting'\n", "icws[0].statistics[0].id", "pattern"),
        (
            "[[icws.statistics]]\nid = 'inin.workgroup:X'\nworkgroup = 'a'\n"
            "parameters = { 'ININ.People.WorkgroupStats:Workgroup' = 'b' }\n",
            "icws[0].statistics[0]",
            "say the same thing",
        ),
        (
            "[[icws.statistics]]\nid = 'a:B'\n[[icws.statistics]]\nid = 'a:B'\n",
            "icws[0]",
            "listed twice",
        ),
    ],
)
def test_refusals_name_the_field(write_config, extra: str, location: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write_config(BASE + extra))
    found = problems(info.value)
    assert location in found, found
    assert fragment in found[location]


def test_insecure_switch_only_for_https(write_config) -> None:
    text = BASE.replace("https://", "http://") + "verify_tls = false\n"
    with pytest.raises(ConfigError, match="only makes sense for an https"):
        load_config(write_config(text))


def test_example_icws_block_is_valid_once_uncommented(write_config) -> None:
    example = (REPO / "config.example.toml").read_text(encoding="utf-8")
    block = re.search(r"^# \[\[icws\]\]\n(?:#.*\n)+", example, re.MULTILINE)
    assert block, "config.example.toml documents [[icws]]"
    lines = []
    for line in block.group(0).splitlines():
        body = line.removeprefix("#").removeprefix(" ")
        if body.startswith(("ca_file", "=")):
            continue  # names a file that does not exist here
        lines.append(body)
    server = load_config(write_config("\n".join(lines) + "\n")).config.icws[0]
    assert server.queues
    assert server.statistics
    assert server.user_statuses


def test_tail_flags_become_a_server() -> None:
    from tui.config import icws_server_from_flags

    server = icws_server_from_flags(
        "https://cic1.example.net:8019",
        "noc",
        "CIC1_PASSWORD",
        queues=["workgroup:Support", "Sales", "user:j.chen"],
        user_statuses=["j.chen"],
    )
    assert server.name == "cic1.example.net"
    assert [(q.type, q.name) for q in server.queues] == [
        ("workgroup", "Support"),
        ("workgroup", "Sales"),
        ("user", "j.chen"),
    ]
    assert server.user_statuses == ["j.chen"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"queues": ["team:x"]}, "--icws-queue 'team:x': the type must be workgroup"),
        ({"queues": ["workgroup:"]}, "--icws-queue: String should have at least 1 character"),
        ({"password_env": "not a name"}, "--icws-password-env: String should match pattern"),
        ({"url": "cic1:8019"}, "--icws: "),
        ({"user_statuses": ["a", "A"]}, "--icws-user-status: user ids are case-insensitive"),
    ],
)
def test_bad_tail_flags_name_the_flag(kwargs: dict[str, object], fragment: str) -> None:
    from tui.config import icws_server_from_flags

    args = {"url": "https://cic1:8019", "user": "noc", "password_env": "P"} | kwargs
    with pytest.raises(ValueError, match=r"^--icws") as info:
        icws_server_from_flags(**args)  # type: ignore[arg-type]
    assert fragment in str(info.value)


def test_the_link_attribute_is_asked_for_on_every_queue(write_config) -> None:
    text = config_text("icws-subscriptions.toml").replace(
        "[[icws]]", '[[icws]]\nlink_attribute = "Eic_CallIdKey"', 1
    )
    server = load_config(write_config(text)).config.icws[0]
    support, mine = server.queues
    assert server.attributes_for(support)[-1] == "Eic_CallIdKey"
    assert server.attributes_for(mine) == ["Eic_State", "Eic_RemoteName", "Eic_CallIdKey"]
