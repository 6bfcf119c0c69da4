"""JSON lines: one object per event, exactly what ``noc-console tail --jsonl`` prints, and back.

With bodies, three keys join the event's object: what was received, what was answered, and the
transport details (``meta``). A body that is JSON goes in as a JSON value (``raw``,
``reply``); any other body as text (``raw_text``, ``reply_text``), so the two never mix up (a
JSON string body and a text body read back as what they were).

:func:`read_jsonl` turns such a file back into events: the inverse of
:func:`tui.core.feed.event_to_json`, field by field and per source (WCS and ICWS name fields
differently). Times are kept to the millisecond and latencies to the microsecond, as they
are printed. A line that is not an exported event is a :class:`JsonlProblem` with its line
number; reading goes on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from tui.core.export.fast_line import event_line
from tui.core.export.item import ExportedEvent, TextOut, redacted_body, redacted_meta
from tui.core.feed import (
    BLANK_FIELDS,
    FLAG_DELTA,
    SEVERITY_NAMES,
    SOURCE_ICWS,
    FeedEvent,
    flag_names,
    json_names,
)
from tui.core.redact import encode_json, encode_text

BODY_KEYS = (("raw", "raw_text"), ("reply", "reply_text"))
"""(key of a JSON body, key of a text body), for what was received and what was answered."""
MAX_PROBLEMS = 100
"""Problems kept in full; past these they are only counted (a file of junk stays cheap)."""

MAX_INT = 2**63 - 1
"""Whole numbers beyond a signed 64-bit integer (what a journal's SQLite holds) are refused."""

MAX_LINE_BYTES = 64 * 1024**2
"""A longer line is skipped (and reported) without being held: an exported event with its
bodies stays far below this (the hook listener refuses bodies over a few MiB)."""

_LINES_PER_WRITE = 256
_dumps = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def export_line(item: ExportedEvent) -> str:
    """One event's line (no newline): the ``tail --jsonl`` object, plus bodies when given."""
    line = event_line(item.event)
    if not item.has_bodies:
        return line
    try:
        more = _extra_keys(item)
    except ValueError:  # a body with NaN or Infinity, which JSON cannot spell: kept as text
        more = _extra_keys_as_text(item)
    # The event's object and then these keys: the text json.dumps gives the two merged.
    return f"{line[:-1]}, {more}}}" if more else line


def _extra_keys(item: ExportedEvent) -> str:
    """The bodies' and details' ``"key": value`` pairs, as ``json.dumps`` of their object
    writes them ("" for none). A backend's echo is the received body itself: redacted,
    decoded and encoded once."""
    pairs: list[str] = []
    decoded: tuple[str, bool] | None = None
    for blob, (json_key, text_key) in zip((item.raw, item.reply), BODY_KEYS, strict=True):
        if blob is not None:
            if decoded is None or blob is not item.raw:
                value, is_json = redacted_body(blob)
                decoded = (_dumps(value), is_json)
            text, is_json = decoded
            pairs.append(f'"{json_key if is_json else text_key}": {text}')
    if item.meta is not None:
        pairs.append(f'"meta": {_dumps(redacted_meta(item.meta))}')
    return ", ".join(pairs)


def _extra_keys_as_text(item: ExportedEvent) -> str:
    """:func:`_extra_keys` for bodies JSON cannot spell: such a body goes as its Python text."""
    extra: dict[str, Any] = {}
    decoded: tuple[Any, bool] | None = None
    for blob, (json_key, text_key) in zip((item.raw, item.reply), BODY_KEYS, strict=True):
        if blob is not None:
            if decoded is None or blob is not item.raw:
                decoded = redacted_body(blob)
            value, is_json = decoded
            extra[json_key if is_json else text_key] = value
    if item.meta is not None:
        extra["meta"] = redacted_meta(item.meta)
    for json_key, text_key in BODY_KEYS:
        if json_key in extra:
            extra[text_key] = json.dumps(extra.pop(json_key), ensure_ascii=False)
    return json.dumps(extra, ensure_ascii=False)[1:-1]


def write_jsonl(items: Iterable[ExportedEvent], out: TextOut) -> int:
    """Write each item as one line as it comes (a few hundred lines to a write); returns how
    many were written."""
    written = 0
    lines: list[str] = []
    for item in items:
        lines.append(export_line(item))
        if len(lines) == _LINES_PER_WRITE:
            out.write("\n".join(lines) + "\n")
            written += len(lines)
            lines.clear()
    if lines:
        out.write("\n".join(lines) + "\n")
        written += len(lines)
    return written


# -- reading back ------------------------------------------------------------------------------


@dataclass(frozen=True)
class JsonlProblem:
    """A line of a JSON-lines file that is not an exported event, and why."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class NotAnEvent(ValueError):
    """An object that does not read as an exported event; the message says what is wrong."""


_SEVERITY = {name: level for level, name in enumerate(SEVERITY_NAMES)}
_FLAG_BITS = {name: bit for bit, name in flag_names()}
_NAMES = {source: dict(sum(json_names(source), ())) for source in ("wcs", SOURCE_ICWS)}
_TEXT_FIELDS = frozenset(name for name, blank in BLANK_FIELDS.items() if isinstance(blank, str))
_INT_FIELDS = frozenset(
    name for name, blank in BLANK_FIELDS.items() if type(blank) is int and name != "seq"
)


def event_from_json(doc: dict[str, Any]) -> FeedEvent:
    """The FeedEvent whose ``to_json()`` is ``doc`` (raises :class:`NotAnEvent`).

    Keys it does not know are left alone (a later version may add some); a known key with a
    value of the wrong type is an error.
    """
    seq, when, source = doc.get("seq"), doc.get("time"), doc.get("source")
    if type(seq) is not int:
        raise NotAnEvent("no seq (a whole number): not an exported event")
    if not 0 <= seq <= MAX_INT:
        raise NotAnEvent("seq is out of range")
    if not isinstance(when, str):
        raise NotAnEvent("no time: not an exported event")
    if not isinstance(source, str) or not source:
        raise NotAnEvent("no source: not an exported event")
    fields: dict[str, Any] = {**BLANK_FIELDS, "seq": seq, "ts": _timestamp(when), "source": source}
    names = _NAMES[SOURCE_ICWS if source == SOURCE_ICWS else "wcs"]
    for name, attr in names.items():
        value = doc.get(name)
        if value is not None:
            fields[attr] = _typed(name, attr, value)
    fields["severity"] = _severity(doc.get("severity", SEVERITY_NAMES[0]))
    fields["flags"] = _flags(doc.get("flags", []))
    if doc.get("is_delta") is True:
        fields["flags"] |= FLAG_DELTA
    return FeedEvent(**fields)


def _timestamp(text: str) -> float:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise NotAnEvent(f"time {text[:40]!r} is not an ISO time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _typed(name: str, attr: str, value: Any) -> Any:
    if attr in _TEXT_FIELDS:
        if isinstance(value, str):
            return value
        raise NotAnEvent(f"{name} is {type(value).__name__}, not text")
    if attr == "latency_ms":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
            if math.isfinite(number):
                return number
            raise NotAnEvent(f"{name} is {value!r}, not a finite number")
        raise NotAnEvent(f"{name} is {type(value).__name__}, not a number")
    if attr in _INT_FIELDS and type(value) is int:
        if abs(value) <= MAX_INT:
            return value
        raise NotAnEvent(f"{name} is out of range")
    raise NotAnEvent(f"{name} is {type(value).__name__}, not a whole number")


def _severity(value: Any) -> int:
    level = _SEVERITY.get(value) if isinstance(value, str) else None
    if level is None:
        raise NotAnEvent(f"severity {value!r} is not one of {', '.join(SEVERITY_NAMES)}")
    return level


def _flags(value: Any) -> int:
    if not isinstance(value, list):
        raise NotAnEvent("flags is not a list")
    bits = 0
    for name in value:
        bit = _FLAG_BITS.get(name) if isinstance(name, str) else None
        if bit is None:
            raise NotAnEvent(f"flag {name!r} is not one of {', '.join(_FLAG_BITS)}")
        bits |= bit
    return bits


def exported_from_json(doc: dict[str, Any]) -> ExportedEvent:
    """An exported event with its bodies (as bytes, as a store or a journal keeps them)."""
    event = event_from_json(doc)
    blobs: list[bytes | None] = []
    for json_key, text_key in BODY_KEYS:
        if json_key in doc:
            blobs.append(encode_json(doc[json_key]))
        elif text_key in doc:
            text = doc[text_key]
            if not isinstance(text, str):
                raise NotAnEvent(f"{text_key} is {type(text).__name__}, not text")
            blobs.append(encode_text(text))
        else:
            blobs.append(None)
    meta = doc.get("meta")
    if meta is not None and not isinstance(meta, dict):
        raise NotAnEvent("meta is not an object")
    return ExportedEvent(event, blobs[0], blobs[1], meta)


class JsonlReader:
    """The events of a JSON-lines export, one by one; lines that are not events are skipped
    and listed in :attr:`problems` (the first :data:`MAX_PROBLEMS`; :attr:`bad_lines` counts
    them all). Blank lines are no problem."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[JsonlProblem] = []
        self.bad_lines = 0
        self.events = 0

    def __iter__(self) -> Iterator[ExportedEvent]:
        with self.path.open("rb") as handle:
            for number, line in enumerate(_bounded_lines(handle), start=1):
                if line is None:
                    self._problem(number, f"longer than {MAX_LINE_BYTES:,} bytes: skipped")
                    continue
                if not line.strip():
                    continue
                try:
                    doc = json.loads(line)
                except (ValueError, RecursionError) as exc:
                    self._problem(number, f"not JSON ({_short(exc)})")
                    continue
                if not isinstance(doc, dict):
                    self._problem(number, f"a JSON {type(doc).__name__}, not an object")
                    continue
                try:
                    item = exported_from_json(doc)
                except NotAnEvent as exc:
                    self._problem(number, str(exc))
                    continue
                self.events += 1
                yield item

    def _problem(self, line: int, message: str) -> None:
        self.bad_lines += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(JsonlProblem(line, message))


def read_jsonl(path: Path, problems: list[JsonlProblem] | None = None) -> Iterator[ExportedEvent]:
    """The events of a JSON-lines export; the lines that are not events are added to
    ``problems`` when it is given (see :class:`JsonlReader` for the count of them all)."""
    reader = JsonlReader(path)
    try:
        yield from reader
    finally:
        if problems is not None:
            problems.extend(reader.problems)


def _short(exc: Exception) -> str:
    return str(exc).split("\n", 1)[0][:120]


def _bounded_lines(handle: BinaryIO) -> Iterator[bytes | None]:
    """Each line of ``handle``, or None for one longer than :data:`MAX_LINE_BYTES` (read past
    in pieces, never held whole)."""
    while line := handle.readline(MAX_LINE_BYTES + 1):
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield line
            continue
        while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
            pass
        yield None
