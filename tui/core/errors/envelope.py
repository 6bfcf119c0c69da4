"""What is around an error body when an operator pastes more than the body.

- an HTTP response: ``HTTP/1.1 400 Bad Request``, headers, a blank line, the body (the status
  and the Content-Type say which system answered);
- a WCS hook: ``POST /apps/EchoApp/CallStatusEvent`` (optionally ``→ 403``, the backend's answer),
  headers, then the JSON body; or WCS's own log lines ``URL:…/CallStatusEvent`` and ``OBJECT: {…}``;
- anything else is the body itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

RESPONSE_LINE = re.compile(r"HTTP/\d(?:\.\d)?[ \t]+(\d{3})(?:[ \t]+([^\n]{0,200}))?")
REQUEST_LINE = re.compile(
    r"(?:POST|GET|PUT|DELETE|PATCH)[ \t]+(\S{1,2000})(?:[ \t]+HTTP/\d(?:\.\d)?)?"
    r"(?:[ \t]*(?:->|→|=>)[ \t]*(\d{3}))?[ \t]*"
)
LOG_URL = re.compile(r"URL:\s*(\S{1,2000})")
LOG_OBJECT = re.compile(r"OBJECT:\s*")
HEADER = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,60}:[^\n]*")

SYSTEM_BY_CONTENT_TYPE = {"application/vnd.inin.icws+json": "icws"}


@dataclass(frozen=True)
class Envelope:
    """The body and whatever the surrounding lines said about it."""

    body: str
    http_status: int | None = None
    http_reason: str = ""
    system: str | None = None  # icws | sbc | cue | mws | wcs, when the headers tell
    method: str = ""  # the WCS hook method (last path segment of the hook URL)
    reply_status: int | None = None  # the backend's answer to that hook, when given


def _headers_then_body(lines: list[str]) -> tuple[dict[str, str], str]:
    headers: dict[str, str] = {}
    index = 0
    for index, line in enumerate(lines):
        if not line.strip():
            return headers, "\n".join(lines[index + 1 :])
        if not HEADER.fullmatch(line.strip()):
            return headers, "\n".join(lines[index:])
        key, _, value = line.partition(":")
        headers[key.strip().casefold()] = value.strip()
    return headers, ""


def _system_from(headers: dict[str, str]) -> str | None:
    content_type = headers.get("content-type", "").split(";")[0].strip().casefold()
    if content_type in SYSTEM_BY_CONTENT_TYPE:
        return SYSTEM_BY_CONTENT_TYPE[content_type]
    if "pi-version" in headers:
        return "cue"
    if any(k.startswith("inin-icws") for k in headers) or headers.get("server") == "HttpPluginHost":
        return "icws"
    return None


def _method_of(url: str) -> str:
    path = urlsplit(url).path if "://" in url else url.split("?")[0]
    segment = path.rstrip("/").rsplit("/", 1)[-1]
    return segment if segment.isidentifier() else ""


def parse(text: str) -> Envelope:
    lines = text.split("\n")
    first = lines[0].strip()
    response = RESPONSE_LINE.fullmatch(first)
    if response:
        headers, body = _headers_then_body(lines[1:])
        return Envelope(
            body.strip(),
            int(response.group(1)),
            (response.group(2) or "").strip(),
            _system_from(headers),
        )
    request = REQUEST_LINE.fullmatch(first)
    if request:
        headers, body = _headers_then_body(lines[1:])
        reply = int(request.group(2)) if request.group(2) else None
        system = "wcs" if body.strip().startswith("{") or reply else _system_from(headers)
        return Envelope(
            body.strip(),
            system=system,
            method=_method_of(request.group(1)),
            reply_status=reply,
        )
    url = LOG_URL.search(text[:4000])
    obj = LOG_OBJECT.search(text)
    if url and obj:
        return Envelope(text[obj.end() :].strip(), system="wcs", method=_method_of(url.group(1)))
    return Envelope(text)
