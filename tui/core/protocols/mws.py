"""Managed WebSocket REST (``/v1/…`` JSON) into a Resource.

Read (docs/protocols.md §5):

- an object → a resource, keys in order; nested values are shown as compact JSON;
- ``{"results": [...]}`` (or a bare array) → a list; MWS objects carry no ``href``, so an item
  with an ``id`` links to ``<request path>/<id>`` (``/v1/sockets`` → ``/v1/sockets/<id>``);
- the documented error body ``{"error": {"reason", "message"}}``, the server's plain
  ``{"error": "Access denied"}``, validation bodies ``{"errors": [{"reason", "property",
  "message"}]}`` and the field → message hash the server really sends.

What is kept of a big answer follows :mod:`tui.core.resources.limits`; each row of a list is
let go as soon as it is read, so the decoded JSON and the model do not both stay whole.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from tui.core.protocols.xml import DEFAULT_MAX_BYTES
from tui.core.resources import (
    AppError,
    Attribute,
    Item,
    Resource,
    attribute_category,
    limits,
    unreadable,
)
from tui.core.resources.clean import cleaned

_LINK_PREFIXES = ("http://", "https://", "/v1/")


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _fields(
    obj: dict[str, Any],
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, str], ...]]:
    """Names, values and links of an object: its first ``MAX_ATTRIBUTES`` keys."""
    pairs = obj.items() if len(obj) <= limits.MAX_ATTRIBUTES else _first(obj)
    names = tuple(str(k) for k, _ in pairs)
    values = tuple(_scalar(v) for _, v in pairs)
    links = tuple(
        (i, v) for i, v in enumerate(values) if v.startswith(_LINK_PREFIXES) and " " not in v
    )
    return names, values, links


def _first(obj: dict[str, Any]) -> list[tuple[str, Any]]:
    pairs = iter(obj.items())
    return [next(pairs) for _ in range(limits.MAX_ATTRIBUTES)]


def _hidden_keys(obj: dict[str, Any]) -> int:
    return max(0, len(obj) - limits.MAX_ATTRIBUTES)


def _errors(obj: dict[str, Any], status: int) -> tuple[AppError, ...]:
    found: list[AppError] = []
    error = obj.get("error")
    if isinstance(error, dict):
        reason = _scalar(error.get("reason")) or str(status)
        found.append(AppError(reason, (), _scalar(error.get("message")) or reason))
    elif error is not None:
        found.append(AppError(str(status or "error"), (), _scalar(error)))
    errors = obj.get("errors")
    if isinstance(errors, list):
        for entry in errors:
            if isinstance(entry, dict):
                reason = _scalar(entry.get("reason")) or "invalid"
                found.append(
                    AppError(
                        reason,
                        (),
                        _scalar(entry.get("message")) or reason,
                        field=_scalar(entry.get("property")),
                    )
                )
            else:
                found.append(AppError("invalid", (), _scalar(entry)))
    elif isinstance(errors, dict):  # the server's validation hash: field → message
        for key, message in errors.items():
            found.append(AppError("invalid", (), f"{key}: {_scalar(message)}", field=str(key)))
    return tuple(found)


def _name_and_id(path: str) -> tuple[str, str]:
    parts = [p for p in path.split("?")[0].split("/") if p]
    if parts and parts[0] == "v1":
        parts = parts[1:]
    if not parts:
        return "mws", ""
    if len(parts) >= 2:
        return parts[-2], parts[-1]
    return parts[0], ""


def _href_of(path: str, status: int, own_id: str, item_id: str) -> str:
    """Where a resource lives: the path asked, or, for one created in a collection (``POST
    /v1/sockets`` → 201 with the new socket's ``id``), the collection's path with that id.
    (``GET /v1/websocket_uri`` names a reservation too, but is no collection of them.)"""
    bare = path.split("?")[0].rstrip("/")
    if status == 201 and own_id and not item_id and bare not in ("", "/v1"):
        return f"{bare}/{own_id}"
    return path


def _items(rows: list[Any], path: str) -> tuple[tuple[Item, ...], tuple[str, ...]]:
    """The rows as items, and notes on what was left out. Empties ``rows`` as it goes."""
    base = path.split("?")[0].rstrip("/")
    name = _name_and_id(path)[0]
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    items = []
    total = len(rows)
    kept = min(total, limits.MAX_ITEMS)
    links_only = keys_hidden = 0
    for index in range(kept):
        row, rows[index] = rows[index], None  # the decoded row goes once it is read
        if isinstance(row, dict):
            item_id = _scalar(row.get("id")) if "id" in row else ""
            href = f"{base}/{item_id}" if item_id else ""
            if index >= limits.MAX_DETAILED_ITEMS:
                links_only += 1
                items.append(Item(item_id or str(index), href, name))
                continue
            names, values, links = _fields(row)
            keys_hidden += _hidden_keys(row)
            names = shared.setdefault(names, names)
            items.append(Item(item_id or str(index), href, name, names, values, links))
        elif index >= limits.MAX_DETAILED_ITEMS:
            links_only += 1
            items.append(Item(str(index), "", name))
        else:
            items.append(Item(str(index), "", name, ("value",), (_scalar(row),)))
    del rows[:]
    notes = []
    if total > kept:
        notes.append(limits.items_not_shown(total - kept, total))
    if links_only:
        notes.append(limits.fields_not_kept(links_only))
    if keys_hidden:
        notes.append(limits.attributes_not_shown(keys_hidden))
    return tuple(items), tuple(notes)


@cleaned
def parse_mws(
    body: bytes,
    *,
    transport_status: int = 200,
    path: str = "/",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Resource:
    """An MWS response as a Resource; never raises (bad bodies come back ``unreadable``)."""
    base = Resource(
        kind="mws", shape="status", http_code=transport_status, transport_status=transport_status
    )
    if len(body) > max_bytes:
        return unreadable(
            "mws",
            f"refused: the body is {len(body):,} bytes, over the {max_bytes:,}-byte limit",
            transport_status=transport_status,
        )
    if not body.strip():
        return base
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        problem = (
            f"not JSON: {exc}" if not isinstance(exc, RecursionError) else "JSON nested too deep"
        )
        if transport_status >= 400:
            return replace(base, notes=(f"the error body is not JSON ({problem})",))
        return unreadable("mws", problem, transport_status=transport_status)
    name, item_id = _name_and_id(path)
    if isinstance(data, list):
        items, notes = _items(data, path)
        return replace(
            base, shape="list", name=item_id or name, items=items, details=True, notes=notes
        )
    if not isinstance(data, dict):
        data = {"value": data}
    errors = _errors(data, transport_status)
    if errors or (transport_status >= 400 and not data):
        return replace(base, name=name, errors=errors)
    results = data.get("results")
    if isinstance(results, list):
        count = len(results)
        items, notes = _items(results, path)
        return replace(
            base,
            shape="list",
            name=item_id or name,
            items=items,
            count=count,
            details=True,
            notes=notes,
        )
    names, values, links = _fields(data)
    hrefs = dict(links)
    hidden = _hidden_keys(data)
    own_id = _scalar(data.get("id")) if "id" in data else ""
    return replace(
        base,
        shape="resource",
        name=name,
        id=own_id or item_id,
        href=_href_of(path, transport_status, own_id, item_id),
        attributes=tuple(
            Attribute(n, v, hrefs.get(i, ""), attribute_category(n))
            for i, (n, v) in enumerate(zip(names, values, strict=True))
        ),
        notes=(limits.attributes_not_shown(hidden),) if hidden else (),
    )
