"""``noc-console browse``: one resource from an SBC, CUE or MWS, printed for people or scripts.

The same client and parser as the browser screen, so ``--json`` gives the data the screen shows:
``kind``, ``http_code``, ``errors`` [{code, params, message}], ``items`` [{id, href, label}] for a
list, ``attributes`` [{name, value, href, category}] for a resource. Exit status: 0 when the
answer is good, 1 when the target answered with an error or could not be reached, 2 for bad usage.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

from pydantic import ValidationError

from tui.config import AppConfig, Target
from tui.core.resources import Resource, resource_to_json
from tui.core.resources.paths import TargetPaths
from tui.core.sanitize import clean_line, json_text
from tui.net.rest import make_client
from tui.net.rest.base import Fetched, Query

EXIT_OK = 0
EXIT_REMOTE = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad arguments: the message says what to change."""


@dataclass
class BrowseRequest:
    """What the command line asked for."""

    target: Target
    location: str
    query: Query


def _adhoc_target(
    kind: str, url: str, user: str | None, secret_env: str | None, insecure: bool, timeout: float
) -> tuple[Target, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{url!r} is not an http(s) URL, e.g. https://10.0.0.20/rest/sipsg")
    if kind in ("sbc", "cue") and not (user and secret_env):
        raise UsageError(f"--kind {kind} needs --user USER and --password-env VAR")
    if kind == "mws" and not secret_env:
        raise UsageError("--kind mws needs --token-env VAR (the variable holding the bearer token)")
    origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    fields: dict[str, Any] = {
        "name": "adhoc",
        "kind": kind,
        "url": origin,
        "user": user,
        "secret_env": secret_env,
        "verify_tls": not insecure,
        "timeout_s": timeout,
        "cache_ttl_s": 0,
    }
    try:
        target = Target(**fields)
    except ValidationError as exc:
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        raise UsageError(problems) from None
    location = parts.path or "/"
    return target, location + (f"?{parts.query}" if parts.query else "")


def build_request(
    config: AppConfig | None,
    *,
    target_name: str | None,
    kind: str | None,
    where: str,
    user: str | None = None,
    secret_env: str | None = None,
    insecure: bool = False,
    details: bool = False,
    category: str = "",
    fields: str | None = None,
    timeout: float = 10.0,
) -> BrowseRequest:
    """Turn the arguments into a target, a location and the query options."""
    query = Query(details=details, category=category, fields=fields)
    if kind is not None:
        target, location = _adhoc_target(kind, where, user, secret_env, insecure, timeout)
        return BrowseRequest(target, location, query)
    targets = {t.name: t for t in (config.targets if config else [])}
    if target_name not in targets:
        known = ", ".join(targets) or "none configured"
        raise UsageError(f"no target named {target_name!r} in the config (targets: {known})")
    target = targets[target_name]
    if insecure:
        target = target.model_copy(update={"verify_tls": False, "ca_file": None})
    target = target.model_copy(update={"cache_ttl_s": 0.0})
    paths = TargetPaths(target.kind, str(target.url))
    alias = paths.alias(where) if "/" not in where else None
    return BrowseRequest(target, alias or paths.from_input(where, paths.api_root), query)


async def fetch(request: BrowseRequest) -> Fetched:
    client = make_client(request.target)
    try:
        return await client.fetch(request.location, request.query)
    finally:
        await client.close()  # an SBC session is logged out


def as_json(fetched: Fetched) -> dict[str, Any]:
    out = resource_to_json(fetched.resource, url=fetched.url)
    if fetched.failure:
        out["failure"] = fetched.failure
    if fetched.hint:
        out["hint"] = fetched.hint
    return out


def _attributes_text(resource: Resource, out: list[str]) -> None:
    width = min(32, max((len(a.name) for a in resource.attributes), default=8))
    runtime_started = False
    for attribute in sorted(resource.attributes, key=lambda a: a.is_runtime):
        if attribute.is_runtime and not runtime_started:
            out.append("  -- runtime / statistics")
            runtime_started = True
        line = f"  {clean_line(attribute.name):<{width}}  {clean_line(attribute.value)}"
        if attribute.href:
            line += f"  → {clean_line(attribute.href)}"
        out.append(line)
        out += [
            f"  {'':<{width}}    ↳ {clean_line(e.label)}  → {clean_line(e.href)}"
            for e in attribute.entries
        ]
    out += [f"  ↓ {clean_line(c.label)}  → {clean_line(c.href)}" for c in resource.children]


def as_text(fetched: Fetched) -> str:
    resource = fetched.resource
    outcome = fetched.failure or str(resource.http_code)
    timing = f" ({fetched.elapsed_ms:.0f} ms)" if fetched.elapsed_ms else ""
    out = [f"{fetched.method} {fetched.url} → {outcome}{timing}"]
    if resource.problem:
        out.append(f"problem: {clean_line(resource.problem)}")
    if resource.shape == "list":
        out.append(f"{clean_line(resource.name)}: {len(resource.items)} items")
        width = min(24, max((len(i.id) for i in resource.items), default=2))
        for item in resource.items:
            label = f"  {clean_line(item.label)}" if item.label else ""
            out.append(f"  {clean_line(item.id):<{width}}{label}  → {clean_line(item.href)}")
    elif resource.shape == "resource":
        out.append(f"{clean_line(resource.name)} {clean_line(resource.id)}".rstrip())
        _attributes_text(resource, out)
    for error in resource.errors:
        where = f" [{error.category or error.field}]" if error.category or error.field else ""
        out.append(f"error {clean_line(error.code)}{where}: {clean_line(error.message)}")
        out += [f"  → {clean_line(link.label)}: {clean_line(link.href)}" for link in error.links]
    if fetched.hint:
        out.append(f"hint: {clean_line(fetched.hint)}")
    out += [f"note: {clean_line(note)}" for note in (*fetched.notes, *resource.notes)]
    return "\n".join(out)


def run_browse(
    request: BrowseRequest, *, as_json_output: bool, stdout: TextIO | None = None
) -> int:
    fetched = asyncio.run(fetch(request))
    stdout = stdout or sys.stdout
    if as_json_output:
        stdout.write(json_text(as_json(fetched), indent=2) + "\n")
    else:
        stdout.write(as_text(fetched) + "\n")
    return EXIT_OK if fetched.ok else EXIT_REMOTE
