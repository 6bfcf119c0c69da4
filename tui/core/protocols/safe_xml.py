"""Reading XML from a device: a hardened lxml parser, a size cap, and the quirks real boxes emit.

Every XML body from an SBC or a CUE goes through :func:`parse_device_xml`. It

- refuses bodies over a byte limit *before* parsing (``huge_tree=False`` does not cap size);
- refuses any ``<!DOCTYPE``/``<!ENTITY`` outright: entity declarations are how "billion laughs"
  and external-entity (file or network) attacks start, and no device sends one;
- parses with entity resolution, DTD loading and network access off;
- tolerates blank lines before ``<?xml`` and a raw ``&`` inside an ``href`` (both seen on SBCs);
- turns broken markup into :class:`XmlRefused` with libxml2's line and column.

The caller gets the root element and the list of quirks it met, to show as notes.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

DEFAULT_MAX_BYTES = 32 * 1024 * 1024

# An "&" that does not start one of XML's five predefined entities or a character reference.
_RAW_AMPERSAND = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")
_BOM = b"\xef\xbb\xbf"

Element = Any  # lxml ships no type information; elements are handled as Any in the parsers


class XmlRefused(Exception):
    """The body is not something the console will read; ``str()`` says why, for the operator."""


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def _hardened_parser() -> Any:
    # A fresh parser per call: lxml parsers must not be used by two threads at once.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def _trim(body: bytes) -> bytes:
    """Blank lines before ``<?xml`` are routine on SBCs (clients trim them): no note."""
    start = 3 if body.startswith(_BOM) else 0
    return body[start:].strip()


_ROOT_START = re.compile(rb"<[A-Za-z_]")
_REFUSED_DTD = (
    "refused: the document carries a DOCTYPE or ENTITY declaration; entity definitions can "
    "expand without bound or read files, and no SBC or CUE sends one"
)


def _refuse_declarations(body: bytes) -> None:
    """A DOCTYPE can only stand before the root element: look there (and check the parsed
    document again afterwards, in case a comment in the prolog hid the root's start)."""
    found = _ROOT_START.search(body)
    prolog = body[: found.start()] if found else body
    if any(marker in prolog for marker in _DECLARATIONS):
        raise XmlRefused(_REFUSED_DTD)


def _syntax_message(exc: Exception) -> str:
    text = str(exc)
    # libxml2 appends "(<string>, line N)"; the position is reported separately below
    return re.sub(r"\s*\(<string>, line \d+\)$", "", text)


def parse_device_xml(
    body: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Element, tuple[str, ...]]:
    """The root element of ``body`` and the quirks met on the way, or :class:`XmlRefused`."""
    if len(body) > max_bytes:
        raise XmlRefused(
            f"refused: the body is {_human_size(len(body))}, over the "
            f"{_human_size(max_bytes)} limit (raise max_body_mb for this target if it is real)"
        )
    notes: list[str] = []
    text = _trim(body)
    if not text:
        raise XmlRefused("the body is empty: expected an XML document")
    if not text.startswith(b"<"):
        shown = text[:40].decode("utf-8", "replace")
        raise XmlRefused(f"not XML: the body starts with {shown!r}")
    _refuse_declarations(text)
    try:
        root = etree.fromstring(text, _hardened_parser())
    except etree.XMLSyntaxError as exc:
        if not _RAW_AMPERSAND.search(text):
            raise XmlRefused(_broken(exc)) from None
        repaired, count = _RAW_AMPERSAND.subn(b"&amp;", text)
        try:
            root = etree.fromstring(repaired, _hardened_parser())
        except etree.XMLSyntaxError as again:
            raise XmlRefused(_broken(again)) from None
        notes.append(f"{count} raw '&' (as in an unescaped href) read as '&amp;'")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:  # belt and braces
        raise XmlRefused(_REFUSED_DTD)
    return root, tuple(notes)


def _broken(exc: Any) -> str:
    line, column = getattr(exc, "position", (0, 0)) or (0, 0)
    where = f" at line {line}, column {column}" if line else ""
    return f"broken XML{where}: {_syntax_message(exc)}"


def local_name(tag: object) -> str:
    """``{namespace}user`` → ``user``; comments and processing instructions → ``""``."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def is_element(node: Element) -> bool:
    """False for comments and processing instructions, which iterate like elements in lxml."""
    return isinstance(node.tag, str)


def pretty_xml(body: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Re-indented XML for the raw view, or the body as text if it will not parse."""
    try:
        root, _ = parse_device_xml(body, max_bytes=max_bytes)
    except XmlRefused:
        return body.decode("utf-8", "replace")
    etree.indent(root, space="  ")
    out: str = etree.tostring(root, encoding="unicode")
    return out
