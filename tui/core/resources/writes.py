"""Writes the browser can make, built as exact requests before anything is sent.

The browser is read-only unless a target says ``allow_writes = true``; even then every write is
shown to the operator as the exact HTTP request (method, URL, headers with secrets masked, body)
and sent only after confirmation. Each kind writes its own way, as its declaration says
(:class:`~tui.core.targets.WriteRules`), e.g.:

- SBC: PUT creates, POST modifies (form fields), POST ``?action=name`` runs an action, DELETE;
- CUE: POST creates (XML document), PUT updates only the fields sent, DELETE;
- MWS: POST creates (JSON), DELETE; a message is ``POST /v1/messages``.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from tui.core.resources.paths import split_location
from tui.core.targets import KINDS, kind_of

FORM = "application/x-www-form-urlencoded"
XML = "application/xml"
JSON = "application/json"


@dataclass(frozen=True)
class WriteRequest:
    """One write, exactly as it will go on the wire (less the auth the client adds)."""

    method: str
    location: str
    summary: str  # what the operator asked for, in words
    body: bytes = b""
    content_type: str = ""

    def describe(self, origin: str, auth_lines: tuple[str, ...] = ()) -> str:
        """The request as text for the confirmation dialog; ``auth_lines`` come masked."""
        lines = [f"{self.method} {origin}{self.location}", *auth_lines]
        if self.content_type:
            lines.append(f"Content-Type: {self.content_type}")
        if self.body:
            lines += ["", self.body.decode("utf-8", "replace")]
        return "\n".join(lines)


class WriteNotPossible(ValueError):
    """The write makes no sense here (e.g. an action on a CUE); the message says why."""


def plan_delete(kind: str, location: str, label: str = "") -> WriteRequest:
    path = split_location(location)[0]
    return WriteRequest("DELETE", path, f"delete {label or path}")


def plan_modify(
    kind: str, location: str, resource_name: str, fields: dict[str, str]
) -> WriteRequest:
    """Change attributes: a form POST of the changed fields only (SBC), or a PUT of a partial
    XML document (CUE)."""
    if not fields:
        raise WriteNotPossible("nothing to change: give NAME=VALUE")
    spec = kind_of(kind)
    path = split_location(location)[0]
    summary = "set " + ", ".join(f"{k} = {v!r}" for k, v in fields.items()) + f" on {path}"
    if spec.writes.modify == "form-post":
        return WriteRequest("POST", path, summary, urlencode(fields).encode(), FORM)
    if spec.writes.modify == "xml-put":
        tag = resource_name or "resource"
        inner = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
        return WriteRequest("PUT", path, summary, f"<{tag}>{inner}</{tag}>".encode(), XML)
    raise WriteNotPossible(f"{spec.title} objects cannot be modified through its REST API")


def plan_action(kind: str, location: str, action: str) -> WriteRequest:
    if not kind_of(kind).writes.actions:
        able = [spec.title for spec in KINDS.values() if spec.writes.actions]
        raise WriteNotPossible(f"only the {' and the '.join(able)} has ?action= requests")
    if not action.isalpha() or action != action.lower():
        raise WriteNotPossible(f"action names are lowercase letters (got {action!r})")
    path = split_location(location)[0]
    where = f"{path}?{urlencode({'action': action})}"
    return WriteRequest("POST", where, f"run action {action} on {path}")


def plan_create(
    kind: str, location: str, fields: dict[str, str], resource_name: str = ""
) -> WriteRequest:
    """Create a resource at ``location``: a form PUT at its own path (SBC), or a POST of an XML
    document (CUE) or a JSON object (MWS) to the collection."""
    writes = kind_of(kind).writes
    path = split_location(location)[0]
    if writes.create == "form-put":
        return WriteRequest("PUT", path, f"create {path}", urlencode(fields).encode(), FORM)
    if writes.create == "xml-post":
        collection = path.rstrip("/").rsplit("/", 1)[-1]
        tag = resource_name or writes.singular.get(collection, collection.removesuffix("s"))
        inner = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
        document = f"<{tag}>{inner}</{tag}>"
        return WriteRequest("POST", path, f"create in {path}", document.encode(), XML)
    payload = json.dumps({k: json_value(v) for k, v in fields.items()}, ensure_ascii=False)
    return WriteRequest("POST", path, f"create in {path}", payload.encode(), JSON)


def json_value(text: str) -> Any:
    """A typed value for a JSON body: ``["kiosk"]`` and ``{…}`` as the list or object they spell,
    ``[kiosk,lobby]`` (quotes eaten by the command line) as a list of strings — MWS ``tags`` is
    a list — and anything else as the string typed."""
    if text[:1] in ("[", "{"):
        try:
            return json.loads(text)
        except ValueError:
            if text[:1] == "[" and text[-1:] == "]":
                return [part.strip() for part in text[1:-1].split(",") if part.strip()]
    return text


def plan_push(api_root: str, socket_ids: list[str], text: str) -> WriteRequest:
    """An MWS message to some sockets (``["*"]`` for everyone)."""
    body = json.dumps({"data": text, "receivers": {"sockets": socket_ids, "tags": None}})
    who = "every socket" if socket_ids == ["*"] else ", ".join(s[:12] for s in socket_ids)
    return WriteRequest(
        "POST", f"{api_root}/messages", f"push a message to {who}", body.encode(), JSON
    )


def parse_assignments(text: str) -> dict[str, str]:
    """``a=1 b="two words"`` → {"a": "1", "b": "two words"} (for :create and :set)."""
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise WriteNotPossible(f"cannot read {text!r}: {exc}") from None
    fields: dict[str, str] = {}
    for word in words:
        name, sep, value = word.partition("=")
        if not sep or not name:
            raise WriteNotPossible(f"{word!r} is not name=value")
        fields[name] = value
    return fields
