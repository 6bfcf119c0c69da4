"""Catalog entries: one small frozen type per kind, each built (and checked) from a TOML table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class EntryError(ValueError):
    """A catalog entry that cannot be used; the loader reports it and skips the entry."""


def _text(row: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = row.get(key, "")
    if not isinstance(value, str):
        raise EntryError(f"'{key}' must be a string")
    if required and not value.strip():
        raise EntryError(f"'{key}' is required")
    return value.strip()


def _int(row: dict[str, Any], key: str) -> int:
    value = row.get(key)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 20:
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        raise EntryError(
            f"'{key}' must be an integer" + ("" if value is not None else " (missing)")
        )
    return value


def _opt_int(row: dict[str, Any], key: str) -> int | None:
    return None if row.get(key) is None else _int(row, key)


def _ints(row: dict[str, Any], key: str) -> tuple[int, ...]:
    value = row.get(key, [])
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise EntryError(f"'{key}' must be a list of integers")
    return tuple(value)


def _texts(row: dict[str, Any], key: str) -> tuple[str, ...]:
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise EntryError(f"'{key}' must be a list of strings")
    return tuple(value)


def int_keyed(table: Any, name: str) -> dict[int, str]:
    """A TOML table with integer-looking keys (``17 = "User busy"``)."""
    if not isinstance(table, dict):
        raise EntryError(f"'{name}' must be a table")
    out: dict[int, str] = {}
    for key, value in table.items():
        try:
            out[int(key)] = str(value)
        except ValueError:
            raise EntryError(f"'{name}': key {key!r} is not an integer") from None
    return out


ICWS_STATUSES = ("verified", "level", "inferred", "illustrative", "client-side", "operator")


@dataclass(frozen=True)
class IcwsErrorId:
    """An ICWS ``errorId`` (or one level of one) and how we know it."""

    id: str
    status: str
    meaning: str
    title: str
    action: str
    http: tuple[int, ...]
    source: str
    origin: str

    @classmethod
    def build(cls, row: dict[str, Any], origin: str) -> IcwsErrorId:
        error_id = _text(row, "id", required=True)
        if any(not part for part in error_id.split(".")):
            raise EntryError(f"id {error_id!r} has an empty segment")
        status = _text(row, "status") or ("operator" if origin != "packaged" else "")
        if status not in ICWS_STATUSES:
            raise EntryError(f"status must be one of {', '.join(ICWS_STATUSES)}")
        meaning = _text(row, "meaning")
        return cls(
            error_id,
            status,
            meaning,
            _text(row, "title") or meaning,
            _text(row, "action"),
            _ints(row, "http"),
            _text(row, "source"),
            origin,
        )


@dataclass(frozen=True)
class IcwsErrorCode:
    """A numeric ICWS ``errorCode`` (older servers send only this)."""

    code: int
    http: tuple[int, ...]
    status: str
    error_id: str
    meaning: str
    source: str
    origin: str

    @classmethod
    def build(cls, row: dict[str, Any], origin: str) -> IcwsErrorCode:
        code = _int(row, "code")
        return cls(
            code,
            _ints(row, "http"),
            _text(row, "status") or "operator",
            _text(row, "error_id"),
            _text(row, "meaning", required=True),
            _text(row, "source"),
            origin,
        )


@dataclass(frozen=True)
class EnumDef:
    """An ICWS enumeration or bit-flags enumeration."""

    name: str
    fields: tuple[str, ...]
    types: tuple[str, ...]
    flags: bool
    values: dict[int, str]
    meanings: dict[int, str]
    origin: str
    note: str = ""

    @property
    def short_name(self) -> str:
        return self.name.rsplit(":", 1)[-1]

    @classmethod
    def build(cls, row: dict[str, Any], origin: str) -> EnumDef:
        flags = row.get("flags", False)
        if not isinstance(flags, bool):
            raise EntryError("'flags' must be true or false")
        values = int_keyed(row.get("values", {}), "values")
        if not values:
            raise EntryError("'values' is required")
        return cls(
            _text(row, "name", required=True).removeprefix("urn:inin.com:"),
            _texts(row, "fields"),
            _texts(row, "types"),
            flags,
            values,
            int_keyed(row.get("meanings", {}), "meanings"),
            origin,
            _text(row, "note"),
        )


@dataclass(frozen=True)
class SbcCode:
    """An SBC application error code and its message template (``%1%`` tokens).

    ``links`` name the resources its params point at, as (label, path) patterns where ``{1}``
    is the first param (31003: the mapping and the signaling group). ``simulator`` marks a code
    the console's own SBC simulator sends where no public Ribbon code was found: it is shown as
    such wherever it appears, so nobody takes it for Ribbon's.
    """

    code: int
    template: str
    meaning: str
    action: str
    http: int | None
    source: str
    origin: str
    title: str = ""
    links: tuple[tuple[str, str], ...] = ()
    simulator: bool = False

    @classmethod
    def build(cls, row: dict[str, Any], origin: str) -> SbcCode:
        code = _int(row, "code")
        template, meaning = _text(row, "template"), _text(row, "meaning")
        if not template and not meaning:
            raise EntryError("needs a 'template' or a 'meaning'")
        simulator = row.get("simulator", False)
        if not isinstance(simulator, bool):
            raise EntryError("'simulator' must be true or false")
        return cls(
            code,
            template,
            meaning,
            _text(row, "action"),
            _opt_int(row, "http"),
            _text(row, "source"),
            origin,
            _text(row, "title"),
            _links(row),
            simulator,
        )


def _links(row: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    value = row.get("links", [])
    if not isinstance(value, list):
        raise EntryError("'links' must be a list of {label, href} tables")
    links = []
    for link in value:
        if not isinstance(link, dict):
            raise EntryError("'links' must be a list of {label, href} tables")
        label, href = _text(link, "label", required=True), _text(link, "href", required=True)
        if not href.startswith("/"):
            raise EntryError(f"link href {href!r} must be a path starting with /")
        links.append((label, href))
    return tuple(links)


@dataclass(frozen=True)
class SipStatus:
    """A SIP response status."""

    code: int
    reason: str
    rfc: str
    meaning: str
    causes: tuple[str, ...]

    @classmethod
    def build(cls, row: dict[str, Any], origin: str) -> SipStatus:
        code = _int(row, "code")
        if not 100 <= code <= 699:
            raise EntryError("a SIP status is 100-699")
        return cls(
            code,
            _text(row, "reason", required=True),
            _text(row, "rfc"),
            _text(row, "meaning"),
            _texts(row, "causes"),
        )


@dataclass(frozen=True)
class HttpStatus:
    """An HTTP status and what each system means by it."""

    code: int
    reason: str
    generic: str
    systems: dict[str, str]

    @classmethod
    def build(cls, row: dict[str, Any], origin: str) -> HttpStatus:
        code = _int(row, "code")
        systems = row.get("systems", {})
        if not isinstance(systems, dict) or not all(isinstance(v, str) for v in systems.values()):
            raise EntryError("'systems' must be a table of strings")
        return cls(code, _text(row, "reason"), _text(row, "generic"), dict(systems))

    def merged_over(self, old: HttpStatus) -> HttpStatus:
        return HttpStatus(
            self.code,
            self.reason or old.reason,
            self.generic or old.generic,
            {**old.systems, **self.systems},
        )


@dataclass(frozen=True)
class WcsInfo:
    """A WCS ``info`` text (why a call or stream failed or stopped)."""

    text: str
    kind: str
    meaning: str
    causes: tuple[str, ...]
    severity: str

    @classmethod
    def build(cls, row: dict[str, Any], origin: str) -> WcsInfo:
        return cls(
            _text(row, "text", required=True),
            _text(row, "kind") or "both",
            _text(row, "meaning"),
            _texts(row, "causes"),
            _text(row, "severity") or "error",
        )


@dataclass(frozen=True)
class WcsMethodType:
    """One of WCS's four REST method types and its ``restOnError`` behaviour."""

    key: str
    title: str
    methods: tuple[str, ...]
    refusable: tuple[str, ...]
    about: str
    fail: str
    log: str

    @classmethod
    def build(cls, key: str, row: Any) -> WcsMethodType:
        if not isinstance(row, dict):
            raise EntryError("must be a table")
        return cls(
            key,
            _text(row, "title") or key,
            _texts(row, "methods"),
            _texts(row, "refusable"),
            _text(row, "about"),
            _text(row, "FAIL", required=True),
            _text(row, "LOG", required=True),
        )
