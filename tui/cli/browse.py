"""``noc-console browse``: one resource from an SBC, CUE or MWS, printed for people or scripts.

The same client, parser and error catalogs as the browser screen, so ``--json`` gives the data
the screen shows: ``kind``, ``http_code``, ``errors`` [{code, params, message}], ``items``
[{id, href, label}] for a list, ``attributes`` [{name, value, href, category}] for a resource.
Hrefs are re-based on the target asked (a box writes its own, often internal, address into them
and sometimes leaves ``/rest`` out), as the browser's rows are: full URLs in ``--json``, paths
in the text.
Exit status: 0 when the answer is good, 1 when the target answered with an error or could not be
reached, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit, urlunsplit

from tui.cli.common import EXIT_OK, EXIT_REMOTE, fail, load
from tui.core.resources.model import Resource, resource_to_json
from tui.core.sanitize import clean_line, json_text
from tui.core.targets import KINDS, TargetKind, kind_of

if TYPE_CHECKING:
    from tui.cli.common import Subparsers
    from tui.config import AppConfig, Target
    from tui.core.errors.catalog import Catalogs
    from tui.core.errors.sbc_values import ValueReader
    from tui.core.resources.paths import TargetPaths
    from tui.net.rest.base import Fetched, Query

BROWSE_EPILOG = """\
examples:
  noc-console browse --target edge1 /rest/sipsg/1
  noc-console browse --json --target edge1 sipsg --details
  noc-console browse --kind cue --user admin --password-env CUE_PW http://cue1/rest/voicemail/users
  noc-console browse --json --kind mws --token-env MWS_TOKEN https://mws.example.net/v1/sockets

exit status: 0 good answer, 1 the target answered with an error or was unreachable, 2 bad usage."""


def _titles(kinds: list[TargetKind], joiner: str = "/") -> str:
    names = [spec.title for spec in kinds]
    if joiner == "/" or len(names) < 2:
        return "/".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def add_browse(sub: Subparsers) -> None:
    kinds = list(KINDS.values())
    with_user = [spec for spec in kinds if spec.default_auth != "bearer"]
    with_token = [spec for spec in kinds if spec.default_auth == "bearer"]
    browse = sub.add_parser(
        "browse",
        help=f"print one {_titles(kinds, 'or')} resource (text or --json)",
        description="Fetch one resource of a configured target (--target NAME PATH) or of any "
        f"URL (--kind {'|'.join(KINDS)} URL) and print it. PATH may be a path (/rest/sipsg/1) "
        "or an alias (sipsg, users, sockets).",
        epilog=BROWSE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    browse.add_argument("where", metavar="PATH|URL", help="a path for --target, a URL for --kind")
    which = browse.add_mutually_exclusive_group(required=True)
    which.add_argument("--target", metavar="NAME", help="a target from the config file")
    which.add_argument("--kind", choices=tuple(KINDS), help="ad hoc: the kind of box at URL")
    browse.add_argument("--json", action="store_true", help="print JSON for scripts and tickets")
    browse.add_argument("--config", type=Path, metavar="FILE", help="config file with the targets")
    browse.add_argument("--user", metavar="USER", help=f"ad hoc: the {_titles(with_user)} user")
    secret = browse.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-env", metavar="VAR", help="ad hoc: variable holding the password"
    )
    secret.add_argument(
        "--token-env",
        metavar="VAR",
        help=f"ad hoc: variable holding the {_titles(with_token)} token",
    )
    browse.add_argument("--insecure", action="store_true", help="do not verify the TLS certificate")
    browse.add_argument("--details", action="store_true", help="SBC lists: details=true")
    browse.add_argument(
        "--filter",
        choices=("configuration", "runtime", "statistics", "inventory"),
        help="SBC: one attribute category",
    )
    browse.add_argument("--fields", metavar="A,B", help="CUE: only these fields")
    browse.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="ad hoc: seconds for the whole request (10)",
    )
    browse.set_defaults(handler=browse_command)


def browse_command(args: argparse.Namespace) -> int:
    """Print one resource of an SBC, CUE or MWS."""
    config = load(args.config).config if args.target else None
    if args.kind is not None and args.config is not None:
        return fail("--config goes with --target, not with --kind")
    request = build_request(
        config,
        target_name=args.target,
        kind=args.kind,
        where=args.where,
        user=args.user,
        secret_env=args.password_env or args.token_env,
        insecure=args.insecure,
        details=args.details,
        category=args.filter or "",
        fields=args.fields,
        timeout=args.timeout,
    )
    return run_browse(request, as_json_output=args.json, catalogs=load_catalogs_for(config))


def load_catalogs_for(config: AppConfig | None) -> Catalogs:
    """The inspector's catalogs: packaged, the operator's folder, and ``[errors] catalog_dirs``
    of the config named (an ad hoc ``--kind`` request reads no config: packaged and folder)."""
    from tui.config import ErrorsConfig
    from tui.config.errors import build_decoder

    errors = config.errors if config is not None else ErrorsConfig()
    decoder = build_decoder(errors.handling_rules(), extra_dirs=errors.catalog_dirs)
    for problem in decoder.context.catalogs.problems:
        print(f"noc-console: catalog entry skipped: {problem}", file=sys.stderr)
    return decoder.context.catalogs


@dataclass
class BrowseRequest:
    """What the command line asked for."""

    target: Target
    location: str
    query: Query


def _adhoc_target(
    kind: str, url: str, user: str | None, secret_env: str | None, insecure: bool, timeout: float
) -> tuple[Target, str]:
    from pydantic import ValidationError

    from tui.config import Target, UsageError

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{url!r} is not an http(s) URL, e.g. https://10.0.0.20/rest/sipsg")
    bearer = kind_of(kind).default_auth == "bearer"
    if not bearer and not (user and secret_env):
        raise UsageError(f"--kind {kind} needs --user USER and --password-env VAR")
    if bearer and not secret_env:
        raise UsageError(
            f"--kind {kind} needs --token-env VAR (the variable holding the bearer token)"
        )
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
    from tui.core.problems import UsageError
    from tui.core.resources.paths import TargetPaths
    from tui.net.rest.base import Query

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


async def fetch(request: BrowseRequest) -> tuple[Fetched, TargetPaths]:
    """The answer, and the target's paths as the client ended with them (CUE's HTTPS upgrade
    moves them to the new origin)."""
    from tui.net.rest import RestClients

    async with RestClients() as clients:  # closing logs an SBC session out
        client = clients.get(request.target)
        fetched = await client.fetch(request.location, request.query)
        return fetched, client.paths


def _meanings(resource: Resource, out: dict[str, Any], values: ValueReader) -> None:
    """Beside each enumerated value its meaning, as the browser shows it (``meaning``)."""
    owned = [(resource.name, out.get("attributes", ()))]
    owned += [
        (i.name, e.get("attributes", ()))
        for i, e in zip(resource.items, out.get("items", ()), strict=False)
    ]
    for owner, attributes in owned:
        for attribute in attributes:
            name, value = attribute["name"], attribute["value"]
            if values.reads(resource.kind, owner, name):
                meaning = values.meaning(owner, name, value)
                if meaning:
                    attribute["meaning"] = meaning


def as_json(fetched: Fetched, values: ValueReader) -> dict[str, Any]:
    out = resource_to_json(fetched.resource, url=fetched.url)
    _meanings(fetched.resource, out, values)
    if fetched.failure:
        out["failure"] = fetched.failure
    if fetched.hint:
        out["hint"] = fetched.hint
    return out


def _attributes_text(resource: Resource, out: list[str], values: ValueReader) -> None:
    width = min(32, max((len(a.name) for a in resource.attributes), default=8))
    runtime_started = False
    for attribute in sorted(resource.attributes, key=lambda a: a.is_runtime):
        if attribute.is_runtime and not runtime_started:
            out.append("  -- runtime / statistics")
            runtime_started = True
        value = attribute.value
        if values.reads(resource.kind, resource.name, attribute.name):
            value = values.shown(resource.name, attribute.name, value)  # "2 (Down)"
        line = f"  {clean_line(attribute.name):<{width}}  {clean_line(value)}"
        if attribute.href:
            line += f"  → {clean_line(attribute.href)}"
        out.append(line)
        out += [
            f"  {'':<{width}}    ↳ {clean_line(e.label)}  → {clean_line(e.href)}"
            for e in attribute.entries
        ]
    out += [f"  ↓ {clean_line(c.label)}  → {clean_line(c.href)}" for c in resource.children]


def as_text(fetched: Fetched, values: ValueReader) -> str:
    """What the browser's table shows, as lines: re-based hrefs, values with their meanings."""
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
        _attributes_text(resource, out, values)
    for error in resource.errors:
        where = f" [{error.category or error.field}]" if error.category or error.field else ""
        out.append(f"error {clean_line(error.code)}{where}: {clean_line(error.message)}")
        out += [f"  → {clean_line(link.label)}: {clean_line(link.href)}" for link in error.links]
    if fetched.hint:
        out.append(f"hint: {clean_line(fetched.hint)}")
    out += [f"note: {clean_line(note)}" for note in (*fetched.notes, *resource.notes)]
    return "\n".join(out)


def run_browse(
    request: BrowseRequest,
    *,
    as_json_output: bool,
    catalogs: Catalogs,
    stdout: TextIO | None = None,
) -> int:
    from tui.core.errors.explain import explain_errors
    from tui.core.errors.sbc_values import ValueReader
    from tui.core.resources.paths import Rebaser

    fetched, paths = asyncio.run(fetch(request))
    resource = explain_errors(fetched.resource, catalogs)
    links = Rebaser(paths, fetched.location)  # the browser's rows re-base with the same
    values = ValueReader(catalogs)  # and read enumerated values with the same
    stdout = stdout or sys.stdout
    if as_json_output:
        shown = replace(fetched, resource=links.resource(resource, as_url=True))
        stdout.write(json_text(as_json(shown, values), indent=2) + "\n")
    else:
        shown = replace(fetched, resource=links.resource(resource, as_url=False))
        stdout.write(as_text(shown, values) + "\n")
    return EXIT_OK if fetched.ok else EXIT_REMOTE
