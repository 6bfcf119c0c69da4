"""The options a NATS connection is opened with, from the ``[nats]`` section and the environment.

Secrets come from the variables the config names and go to the client only: they are never
logged, and :func:`describe` (what logs and errors show) names servers without them.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tui.config import NatsConfig

if TYPE_CHECKING:
    from nats.aio.client import Client

Callback = Callable[[], Awaitable[None]]
ErrorCallback = Callable[[Exception], Awaitable[None]]


class NatsSetupError(Exception):
    """The connection cannot be set up as configured (a variable that is not set…)."""


def _secret(env: Mapping[str, str], name: str, setting: str) -> str:
    value = env.get(name, "")
    if not value:
        raise NatsSetupError(f"nats.{setting} names {name}, which is not set: export it")
    return value


def tls_context(config: NatsConfig) -> ssl.SSLContext | None:
    """The TLS context of ``tls://`` servers (None for ``nats://``)."""
    if not config.tls:
        return None
    context = ssl.create_default_context(
        cafile=str(config.ca_file) if config.ca_file is not None else None
    )
    if not config.verify_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def connect_options(
    config: NatsConfig, env: Mapping[str, str] = os.environ, *, name: str = "noc-console collect"
) -> dict[str, Any]:
    """Keyword arguments for ``nats.connect`` (servers, timeouts, credentials, TLS); ``name``
    is what the server's monitoring shows for the connection."""
    options: dict[str, Any] = {
        "servers": list(config.urls),
        "connect_timeout": config.connect_timeout_s,
        "name": name,
    }
    if config.user is not None and config.password_env is not None:
        options["user"] = config.user
        options["password"] = _secret(env, config.password_env, "password_env")
    if config.token_env is not None:
        options["token"] = _secret(env, config.token_env, "token_env")
    if config.nkey_seed_file is not None:
        options["nkeys_seed"] = str(config.nkey_seed_file)
    if config.nkey_seed_env is not None:
        options["nkeys_seed_str"] = _secret(env, config.nkey_seed_env, "nkey_seed_env")
    context = tls_context(config)
    if context is not None:
        options["tls"] = context
    return options


def describe(config: NatsConfig) -> str:
    """The servers as logs show them: scheme, host and port only."""
    shown = []
    for url in config.urls:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
        shown.append(f"{parts.scheme}://{parts.hostname}{port}")
    return ", ".join(shown)


async def connect_once(
    options: dict[str, Any],
    *,
    reconnect_wait_s: float,
    disconnected: Callback,
    reconnected: Callback,
    error: ErrorCallback,
) -> Client:
    """Connect trying each server once (raising as nats-py does when none answers), then, once
    connected, reconnect for ever after a loss. Told to reconnect for ever from the start, the
    client retries inside ``connect`` without end and without a word, so its caller could not
    say that NATS is away; callers try again on their own clock."""
    import nats

    client = await nats.connect(
        **options,
        allow_reconnect=True,
        max_reconnect_attempts=1,
        reconnect_time_wait=reconnect_wait_s,
        disconnected_cb=disconnected,
        reconnected_cb=reconnected,
        error_cb=error,
    )
    client.options["max_reconnect_attempts"] = -1
    return client
