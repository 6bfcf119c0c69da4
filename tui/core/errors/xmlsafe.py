"""Parsing pasted XML error bodies safely (lxml is imported only when XML is pasted).

The parser never resolves entities, never touches the network, never loads a DTD and keeps
libxml2's tree limits; documents with a DOCTYPE or entity declarations are refused outright
(error bodies never need them), and size is capped here because ``huge_tree=False`` does not.
The quirks real devices and their docs show are tolerated: blank lines before ``<?xml``, a
broken declaration (``<?xml version="1.0">`` in the SBC docs), a stray ``</xml>`` at the end, and
unescaped ``&`` in ``href`` values.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

# lxml ships no type stubs in this project's pins; elements are typed loosely here, and lxml is
# imported by name so the module loads only when XML is actually pasted.
Element = Any

MAX_XML_CHARS = 1024 * 1024

_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,200}>")
_TRAILING_XML = re.compile(r"</xml>\s*$")
_BARE_AMP = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]{0,30}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});)")
_DTD = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class XmlResult:
    """A parsed root element, or why there is none."""

    root: Element | None
    problem: str = ""


def parse(text: str, *, limit: int = MAX_XML_CHARS) -> XmlResult:
    """Parse an XML error document, tolerating the quirks above; never raises."""
    if len(text) > limit:
        return XmlResult(None, f"XML larger than {limit // 1024:,} KiB is not decoded")
    if _DTD.search(text):
        return XmlResult(None, "XML with a DOCTYPE or ENTITY declaration is refused")
    body = _DECLARATION.sub("", text.strip(), count=1)
    body = _TRAILING_XML.sub("", body)
    body = _BARE_AMP.sub("&amp;", body)
    etree = importlib.import_module("lxml.etree")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )
    try:
        root = etree.fromstring(body.encode("utf-8", "replace"), parser)
    except etree.XMLSyntaxError as exc:
        return XmlResult(None, f"not well-formed XML: {exc.msg or exc}")
    except (ValueError, TypeError) as exc:
        return XmlResult(None, f"not decodable XML: {exc}")
    if root is None:
        return XmlResult(None, "empty XML document")
    return XmlResult(root)


def local(element: Element) -> str:
    """The tag without its namespace (``{http://…}Error`` → ``Error``); '' for odd nodes."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return str(tag.rsplit("}", 1)[-1])


def attr_local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def text_of(element: Element) -> str:
    return str("".join(element.itertext())).strip()
