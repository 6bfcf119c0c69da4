"""One event on its way into (or back out of) an export, with its bodies when they go too."""

from __future__ import annotations

from typing import Any, BinaryIO, NamedTuple, Protocol

from tui.core.feed import FeedEvent
from tui.core.redact import decode_body, redact_json_bytes, redact_meta


class TextOut(Protocol):
    """Where a writer writes: any text stream (a file, stdout, a UTF-8 adapter)."""

    def write(self, text: str, /) -> int: ...


class Utf8Out:
    """A text stream onto a binary one, in UTF-8 whatever the locale (an export is a file
    format); a lone surrogate, which only a string can hold, becomes its backslash escape (in
    a JSON string, the escape that reads back as it). It never closes what it writes to."""

    def __init__(self, binary: BinaryIO) -> None:
        self.binary = binary

    def write(self, text: str) -> int:
        self.binary.write(text.encode("utf-8", "backslashreplace"))
        return len(text)

    def flush(self) -> None:
        self.binary.flush()


class ExportedEvent(NamedTuple):
    """An event and, when the export carries them, what was received (``raw``), what was
    answered (``reply``) and the transport details (``meta``: path, peer, headers, upstream…).

    ``None`` means "not in the export" (an export without bodies); ``b""`` an empty body.
    """

    event: FeedEvent
    raw: bytes | None = None
    reply: bytes | None = None
    meta: dict[str, Any] | None = None

    @property
    def has_bodies(self) -> bool:
        return self.raw is not None or self.reply is not None or self.meta is not None


def redacted_body(blob: bytes) -> tuple[Any, bool]:
    """(the body as a JSON value, True) or (as text, False), secrets hidden the way the journal
    hides them (a journalled body is redacted already; a live store's recent one is not).

    The journal's own redaction, which costs one scan for the body that holds nothing to hide
    (nearly every hook), then the body decoded as the console decodes it."""
    return decode_body(redact_json_bytes(blob))


def redacted_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Transport details with the request headers' credentials hidden."""
    return redact_meta(meta)
