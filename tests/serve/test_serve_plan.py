"""``noc-console serve``'s checks and what each tab runs: the demo, a config's one console, a
``[nats]`` config's stream readers; and what it says at start."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui.cli.parser import build_parser
from tui.cli.serve import Plan, plan_serve, start_message
from tui.core.problems import UsageError

HOOKS_ONLY = "[hooks]\nport = 8081\n"
WITH_NATS = '[hooks]\nport = 8081\n\n[nats]\nurls = ["nats://10.0.0.5:4222"]\nstream = "NOCX"\n'


def plan(*argv: str) -> Plan:
    return plan_serve(build_parser().parse_args(["serve", *argv]))


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_tabs_run_their_own_demo_read_only() -> None:
    settings = plan("--demo").settings
    assert list(settings.argv) == [sys.executable, "-m", "tui", "demo", "--seed", "7"]
    assert settings.env == {"NOC_UI__READ_ONLY": "1"}
    assert settings.max_tabs == 4 and settings.base_url == "/"
    assert settings.gate.token is not None and len(settings.gate.token) >= 40


def test_allow_writes_leaves_the_consoles_as_their_config_says() -> None:
    assert plan("--demo", "--allow-writes").settings.env == {}


def test_a_hook_listening_config_without_nats_serves_one_tab_at_most(tmp_path: Path) -> None:
    path = config(tmp_path, HOOKS_ONLY)
    with pytest.raises(UsageError) as refused:
        plan("--config", str(path))
    said = str(refused.value)
    assert "[nats]" in said and "--max-tabs 1" in said and ":8081" in said
    one = plan("--config", str(path), "--max-tabs", "1").settings
    assert list(one.argv) == [sys.executable, "-m", "tui", "run", "--config", str(path)]


def test_with_nats_each_tab_reads_the_stream(tmp_path: Path) -> None:
    path = config(tmp_path, WITH_NATS)
    argv = list(plan("--config", str(path)).settings.argv)
    assert argv == [
        sys.executable, "-m", "tui", "run", "--config", str(path), "--feed",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("given", "base"), [("noc", "/noc/"), ("/noc", "/noc/"), ("/a/b/", "/a/b/"), ("", "/")]
)
def test_the_base_url_is_one_path_between_slashes(given: str, base: str) -> None:
    assert plan("--demo", "--base-url", given).settings.base_url == base


@pytest.mark.parametrize("bad", ["/../etc/", "/a b/", "/x?y/"])
def test_a_base_url_that_is_not_a_plain_path_is_refused(bad: str) -> None:
    with pytest.raises(UsageError):
        plan("--demo", "--base-url", bad)


@pytest.mark.parametrize(("flag", "value"), [("--max-tabs", "0"), ("--max-tabs", "65")])
def test_a_tab_cap_out_of_range_is_refused(flag: str, value: str) -> None:
    with pytest.raises(UsageError):
        plan("--demo", flag, value)


def test_the_start_message_says_where_and_how_it_is_guarded() -> None:
    chosen = plan("--demo", "--port", "0")
    said = start_message(chosen, 8123)
    token = chosen.settings.gate.token
    assert f"http://127.0.0.1:8123/?token={token}" in said
    assert "loopback only" in said and "read-only" in said and "at most 4" in said
    assert "401" in said and "closing a tab ends its console" in said
    assert said.count(str(token)) == 1


def test_bound_to_the_network_it_says_so() -> None:
    said = start_message(plan("--demo", "--host", "0.0.0.0"), 8088)
    assert "REACHABLE FROM THE NETWORK" in said


def test_behind_a_proxy_it_names_the_proxy_s_address() -> None:
    chosen = plan("--demo", "--public-url", "https://noc.example.net/noc/")
    assert chosen.settings.base_url == "/noc/"
    said = start_message(chosen, 8088)
    assert f"https://noc.example.net/noc/?token={chosen.settings.gate.token}" in said
    assert "served under /noc/" in said


def test_a_password_from_the_environment_replaces_the_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(UsageError, match="NOC_WEB_PASSWORD is not set"):
        plan("--demo", "--password-env", "NOC_WEB_PASSWORD")
    monkeypatch.setenv("NOC_WEB_PASSWORD", "a long enough passphrase")
    chosen = plan("--demo", "--password-env", "NOC_WEB_PASSWORD")
    assert chosen.settings.gate.token is None
    assert list(chosen.settings.drop_env) == ["NOC_WEB_PASSWORD"]
    said = start_message(chosen, 8088)
    assert "?token=" not in said and "login form" in said
    assert "a long enough passphrase" not in said


@pytest.mark.parametrize(("tabs", "connections"), [("4", 64), ("1", 64), ("64", 512)])
def test_the_connection_cap_follows_the_tabs(tabs: str, connections: int) -> None:
    limits = plan("--demo", "--max-tabs", tabs).settings.limits
    assert limits.max_connections == connections
    assert limits.head_timeout_s == 10.0 and limits.max_body_bytes == 16 * 1024
