"""The options a collector connects to NATS with: secrets from the variables the config names,
never in what logs show."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from tui.config import NatsConfig
from tui.net.nats.connection import NatsSetupError, connect_options, describe


def test_user_and_password_come_from_the_environment() -> None:
    config = NatsConfig(urls=["nats://n1:4222", "nats://n2:4222"], user="c", password_env="PW")
    options = connect_options(config, {"PW": "s3cret"})
    assert options["servers"] == ["nats://n1:4222", "nats://n2:4222"]
    assert (options["user"], options["password"]) == ("c", "s3cret")
    assert "tls" not in options and "token" not in options
    assert "s3cret" not in describe(config)


@pytest.mark.parametrize(
    ("fields", "key", "value"),
    [
        ({"token_env": "TOK"}, "token", "t0k"),
        ({"nkey_seed_env": "TOK"}, "nkeys_seed_str", "t0k"),
    ],
)
def test_token_and_seed_come_from_the_environment(fields, key, value) -> None:
    assert connect_options(NatsConfig(**fields), {"TOK": value})[key] == value


def test_a_variable_that_is_not_set_is_named_not_guessed() -> None:
    with pytest.raises(NatsSetupError, match=r"nats\.token_env names TOK, which is not set"):
        connect_options(NatsConfig(token_env="TOK"), {})


def test_a_seed_file_is_passed_by_path(tmp_path: Path) -> None:
    seed = tmp_path / "c.nk"
    seed.write_text("SUA...")
    assert connect_options(NatsConfig(nkey_seed_file=seed), {})["nkeys_seed"] == str(seed)


def test_tls_urls_get_a_verifying_context_or_the_explicit_insecure_one() -> None:
    context = connect_options(NatsConfig(urls=["tls://n1:4222"]), {})["tls"]
    assert isinstance(context, ssl.SSLContext) and context.verify_mode is ssl.CERT_REQUIRED
    loose = connect_options(NatsConfig(urls=["tls://n1:4222"], verify_tls=False), {})["tls"]
    assert loose.verify_mode is ssl.CERT_NONE and not loose.check_hostname
    assert describe(NatsConfig(urls=["tls://n1:4222", "tls://n2"])) == "tls://n1:4222, tls://n2"
