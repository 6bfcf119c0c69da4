"""The one hardened XML parser: device bodies (SBC, CUE), pasted error documents, vendor lists.

Every XML document the console reads goes through here, under one set of rules. It

- refuses a document over a byte limit *before* parsing (``huge_tree=False`` does not cap
  size); the limit is the caller's (a target's ``max_body_mb``, the decoder's paste limit);
- refuses any ``<!DOCTYPE``/``<!ENTITY`` outright, wherever it stands and however it is
  cased: entity declarations are how "billion laughs" and external-entity (file or network)
  attacks start, and no device or error document needs one (the parsed root's document info
  is checked again);
- parses with entity resolution, DTD loading and network access off, libxml2's tree limits
  kept (``huge_tree=False``), no recovery from broken markup;
- cuts a start tag of more than :data:`LONG_START_TAG_BYTES` down to its first
  :data:`KEPT_ATTRIBUTES` attributes before libxml2 builds them, with a note;
- tolerates the quirks real devices and their documentation show, each in its narrow form and
  only when the document does not parse as sent (then it is read again, repaired, with a note
  saying what was repaired): blank lines or a byte order mark before ``<?xml`` (no note: it is
  routine), a raw ``&`` that starts no XML entity or character reference (as in an unescaped
  ``href``), an XML declaration closed by ``>`` instead of ``?>`` (Ribbon's documented
  samples), and a stray ``</xml>`` after the root element (the same samples);
- turns broken markup into :class:`XmlRefused` with libxml2's line and column;
- parses in steps of :data:`FEED_BYTES`, telling a reader about each element as it starts and
  ends, so that the reader can read an entry and prune it: the tree never holds the whole
  document (a kept lxml tree takes 6-14 times the document), and no single step holds the
  interpreter for long.

:func:`read_device_xml` hands the elements to a reader (the big-list parsers);
:func:`parse_device_xml` keeps the whole tree of a device body (the raw view), and
:func:`parse_xml_text` that of pasted or imported text (the error decoder, the catalog
import). Each returns or raises the same way for the same document.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
"""A device body's limit when the caller gives none (a target's ``max_body_mb`` default)."""
LONG_START_TAG_BYTES = 256 * 1024
"""A start tag longer than this is trimmed before parsing (see :func:`_trim_long_start_tags`)."""
KEPT_ATTRIBUTES = 10_000
"""How many ordinary attributes a trimmed start tag keeps (the resource model keeps as many)."""

# libxml2 builds every attribute of a start tag (about 330 bytes each) before anything can look
# at them: 200,000 attributes in a 3 MB tag took 22 times the document. No attribute value may
# hold a raw "<", so a "<" followed by this many bytes without another one may be such a tag.
_MAYBE_LONG_TAG = re.compile(rb"<[^<]{%d}" % LONG_START_TAG_BYTES)
_TAG_NAME = re.compile(rb"<[^\s/<>!?]+")
_ATTRIBUTE = re.compile(rb"""\s+([^\s=/<>]+)\s*=\s*(?:"[^"<]*"|'[^'<]*')""")
_TAG_END = re.compile(rb"\s*(/?)>")
# Always kept, whatever their place: the resource's identity and its app error codes.
_ALWAYS_KEPT = (b"id", b"href", b"app_code_", b"app_params_", b"count", b"total")

# An "&" that does not start one of XML's five predefined entities or a character reference.
_RAW_AMPERSAND = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)")
# "<?xml version="1.0">" at the very start: a declaration that ends without its "?".
_UNCLOSED_DECLARATION = re.compile(rb"<\?xml(\s[^<>?]{0,200})>")
_STRAY_XML_END = re.compile(rb"</xml>[ \t\n\r]*\Z")
_DECLARATION = re.compile(rb"<!(?:doctype|entity)", re.IGNORECASE)
_BOM = b"\xef\xbb\xbf"

Element = Any  # lxml ships no type information; elements are handled as Any in the parsers


@functools.cache
def _etree() -> Any:
    """lxml, imported when the first document is parsed: not on the console's start-up path."""
    return importlib.import_module("lxml.etree")


class XmlRefused(Exception):
    """The body is not something the console will read; ``str()`` says why, for the operator."""


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def _hardened_parser(*, events: tuple[str, ...] = (), encoding: str | None = None) -> Any:
    # A fresh parser per call: lxml parsers must not be used by two threads at once.
    return _etree().XMLPullParser(
        events=events,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=False,
        remove_blank_text=False,
        encoding=encoding,
    )


_LEADING_SPACE = re.compile(rb"[ \t\n\r\x0b\x0c]*")
_ROOT_TAG = re.compile(rb"<([A-Za-z_][^\s/<>]*)")
_REFUSED_DTD = (
    "refused: the document carries a DOCTYPE or ENTITY declaration; entity definitions can "
    "expand without bound or read files, and no device or error document needs one"
)
DEVICE_LIMIT_HINT = "raise max_body_mb for this target if it is real"
"""What the size refusal of a device body suggests (the limit is a target setting)."""
FEED_BYTES = 64 * 1024  # what the parser reads per step: lxml holds the GIL for ~1 ms of it


def _start_of(body: bytes) -> int:
    """Where the document starts: blank lines before ``<?xml`` are routine on SBCs (clients
    trim them), so they get no note; nor does a byte order mark."""
    start = 3 if body.startswith(_BOM) else 0
    found = _LEADING_SPACE.match(body, start)
    return found.end() if found else start


def _refuse_declarations(body: bytes, start: int) -> None:
    """No ``<!DOCTYPE`` or ``<!ENTITY``, in any case, anywhere (in a comment or CDATA too: a
    document that names them has no business here). One scan: ~20 ms for 32 MB."""
    if _DECLARATION.search(body, start):
        raise XmlRefused(_REFUSED_DTD)


def _syntax_message(exc: Exception) -> str:
    text = str(exc)
    # libxml2 appends "(<string>, line N)"; the position is reported separately below
    return re.sub(r"\s*\(<string>, line \d+\)$", "", text)


class XmlReader(Protocol):
    """What :func:`read_device_xml` tells as it parses.

    The reader hears of every element down to :attr:`depth` (0 is the root): its start (the
    attributes are there, the children not yet) and its end (its subtree is complete). What
    lies deeper is the *content* of an element at :attr:`depth`: the walker keeps as much of it
    as :meth:`start` allowed, level by level, and prunes the rest as it ends, counting what it
    left out, so no content is ever held beyond its budget. The reader may :func:`prune` an
    element it has read once that element has ended.
    """

    depth: int

    def start(self, element: Element, depth: int) -> tuple[int, ...]:
        """For an element at :attr:`depth`: how many content elements to keep under it, per
        level below it (deeper levels are never kept). Ignored for shallower elements."""
        ...

    def end(self, element: Element, depth: int, dropped: tuple[int, ...]) -> None:
        """``dropped``: per level, the content elements pruned for want of budget (an element
        at :attr:`depth` only)."""
        ...


R = TypeVar("R", bound=XmlReader)


def _check_size(body: bytes, max_bytes: int, hint: str) -> None:
    if len(body) > max_bytes:
        also = f" ({hint})" if hint else ""
        raise XmlRefused(
            f"refused: the body is {_human_size(len(body))}, over the "
            f"{_human_size(max_bytes)} limit{also}"
        )


def read_device_xml(
    body: bytes,
    make_reader: Callable[[], R],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    keep_comments: bool = False,
) -> tuple[R, tuple[str, ...]]:
    """Parse a device body step by step, telling a fresh reader about each element.

    Returns the reader and the quirks met, or raises :class:`XmlRefused`. The tree exists only
    as far as the reader keeps it: comments and processing instructions inside the root are
    dropped as they are read (no reader looks at them) unless ``keep_comments``, and what the
    reader prunes is freed at once, so a reader that prunes what it has read keeps memory in
    proportion to what it keeps, not to the document. A body that parses only once its quirks
    are repaired is read again, repaired, by a second fresh reader.
    """
    return _read(body, make_reader, max_bytes, keep_comments, None, DEVICE_LIMIT_HINT)


def _read(
    body: bytes,
    make_reader: Callable[[], R],
    max_bytes: int,
    keep_comments: bool,
    encoding: str | None,
    hint: str,
) -> tuple[R, tuple[str, ...]]:
    _check_size(body, max_bytes, hint)
    start = _start_of(body)
    if start >= len(body):
        raise XmlRefused("the body is empty: expected an XML document")
    if body[start : start + 1] != b"<":
        shown = body[start : start + 40].decode("utf-8", "replace")
        raise XmlRefused(f"not XML: the body starts with {shown!r}")
    _refuse_declarations(body, start)
    body, trimmed = _trim_long_start_tags(body, start)
    try:
        return _walk(body, start, make_reader(), keep_comments, encoding), trimmed
    except _etree().XMLSyntaxError as exc:
        repaired, quirks = _repaired(body[start:])
        if not quirks:
            raise XmlRefused(_broken(exc)) from None
    try:
        reader = _walk(repaired, 0, make_reader(), keep_comments, encoding)
    except _etree().XMLSyntaxError as again:
        raise XmlRefused(_broken(again)) from None
    return reader, (*trimmed, *quirks)


def _repaired(body: bytes) -> tuple[bytes, tuple[str, ...]]:
    """``body`` (starting at its first ``<``) with each known quirk repaired, and a note for
    each; no notes when none of them is there."""
    quirks: list[str] = []
    declaration = _UNCLOSED_DECLARATION.match(body)
    if declaration is not None:
        body = b"<?xml%s?>%s" % (declaration[1], body[declaration.end() :])
        quirks.append("an XML declaration closed by '>' instead of '?>' read as one")
    stray = _STRAY_XML_END.search(body)
    root = _ROOT_TAG.search(body)
    if stray is not None and (root is None or root[1] != b"xml"):
        body = body[: stray.start()]
        quirks.append("a stray '</xml>' after the root element left out")
    body, count = _RAW_AMPERSAND.subn(b"&amp;", body)
    if count:
        quirks.append(f"{count} raw '&' (as in an unescaped href) read as '&amp;'")
    return body, tuple(quirks)


def _trim_long_start_tags(body: bytes, start: int) -> tuple[bytes, tuple[str, ...]]:
    """``body`` with every start tag over :data:`LONG_START_TAG_BYTES` cut down to its first
    :data:`KEPT_ATTRIBUTES` attributes (plus its id, href, count and app codes, wherever they
    are), and a note for each; the same bytes when there is none (the usual case, one scan)."""
    if not _MAYBE_LONG_TAG.search(body, start):
        return body, ()
    parts: list[bytes] = []
    notes: list[str] = []
    position = start
    for candidate in _MAYBE_LONG_TAG.finditer(body, start):
        if candidate.start() < position:
            continue
        name = _TAG_NAME.match(body, candidate.start())
        if name is None:  # text after an element, or a comment: not a start tag
            continue
        kept: list[bytes] = []
        total = ordinary = 0
        at = name.end()
        while attribute := _ATTRIBUTE.match(body, at):
            total += 1
            at = attribute.end()
            if attribute[1].startswith(_ALWAYS_KEPT):
                kept.append(attribute.group())
            elif ordinary < KEPT_ATTRIBUTES:
                ordinary += 1
                kept.append(attribute.group())
        end = _TAG_END.match(body, at)
        if end is None or len(kept) == total:
            continue  # malformed (the parser will say where) or nothing to leave out
        parts += [body[position : name.end()], *kept, end.group()]
        position = end.end()
        tag = name.group()[1:].decode("utf-8", "replace")
        notes.append(
            f"<{tag}> has {total:,} attributes; {len(kept):,} were read (the first "
            f"{KEPT_ATTRIBUTES:,}, its id, href and app codes)"
        )
    if not parts:
        return body, ()
    parts.append(body[position:])
    return b"".join(parts), tuple(notes)


def _walk(body: bytes, start: int, reader: R, keep_comments: bool, encoding: str | None) -> R:
    walker = _Walker(reader, keep_comments, encoding)
    for offset in range(start, len(body), FEED_BYTES):
        walker.parser.feed(body[offset : offset + FEED_BYTES])
        walker.dispatch()
    walker.parser.close()
    walker.dispatch()
    if walker.pending is not None:
        prune(walker.pending)
    return reader


class _Walker:
    """Hands the parser's events to a reader: tracks depth, keeps content within its budget,
    drops comments. The loop runs once per element of the document, so it is kept plain."""

    def __init__(self, reader: XmlReader, keep_comments: bool, encoding: str | None) -> None:
        events = ("start", "end") if keep_comments else ("start", "end", "comment", "pi")
        self.parser = _hardened_parser(events=events, encoding=encoding)
        self.reader = reader
        self.depth = -1
        self.budget: list[int] = []  # what may still be kept under the current element
        self.dropped: list[int] = []
        self.dropping = 0  # the depth of the outermost content element being pruned (0: none)
        # A comment is dropped at the next event, when the text after it has been read too:
        # it goes with the comment, so text around a comment reads as before it was dropped.
        self.pending: Element | None = None

    def dispatch(self) -> None:
        reader = self.reader
        top = reader.depth
        depth, budget, dropped = self.depth, self.budget, self.dropped
        levels, dropping, pending = len(budget), self.dropping, self.pending
        for event, node in self.parser.read_events():
            if pending is not None:
                prune(pending)
                pending = None
            if event == "start":
                depth += 1
                if depth <= top:
                    if depth == 0:
                        _refuse_doctype(node)
                    allowed = reader.start(node, depth)
                    if depth == top:
                        budget, dropped = list(allowed), [0] * len(allowed)
                        levels = len(budget)
                elif not dropping:
                    level = depth - top - 1
                    if level >= levels:
                        dropping = depth  # deeper than the reader reads
                    elif budget[level]:
                        budget[level] -= 1
                    else:
                        dropped[level] += 1
                        dropping = depth
            elif event == "end":
                if depth <= top:
                    reader.end(node, depth, tuple(dropped) if depth == top else ())
                elif dropping:
                    prune(node)  # a content element over budget, or inside one
                    if depth == dropping:
                        dropping = 0
                depth -= 1
            elif depth >= 0:  # a comment or PI inside the root: nobody reads them
                pending = node
        self.depth, self.budget, self.dropped = depth, budget, dropped
        self.dropping, self.pending = dropping, pending


def _refuse_doctype(root: Element) -> None:
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:  # belt and braces
        raise XmlRefused(_REFUSED_DTD)


def prune(element: Element) -> None:
    """Detach an element (or comment) that has ended: its subtree is freed, and lxml takes the
    text after it along. By the time a reader sees an element end, that text has been read,
    except after the last element of a parse step, so indentation between pruned entries does
    not pile up in their parent."""
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


class _TreeKeeper:
    """A reader that keeps everything: for callers that want the whole tree."""

    depth = 0
    keep_all = (2**62,) * 256  # libxml2 refuses documents deeper than 256 levels

    def __init__(self) -> None:
        self.root: Element = None

    def start(self, element: Element, depth: int) -> tuple[int, ...]:
        self.root = element
        return self.keep_all

    def end(self, element: Element, depth: int, dropped: tuple[int, ...]) -> None:
        pass


def parse_device_xml(
    body: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Element, tuple[str, ...]]:
    """The root element of a device body (the whole tree, comments included) and the quirks
    met on the way, or :class:`XmlRefused`. For small documents: a kept tree takes ~10x the
    body."""
    keeper, notes = read_device_xml(body, _TreeKeeper, max_bytes=max_bytes, keep_comments=True)
    return keeper.root, notes


def parse_xml_text(text: str, *, max_bytes: int, hint: str = "") -> tuple[Element, tuple[str, ...]]:
    """The root element of XML that arrived as text (pasted, or a file already decoded), its
    comments and processing instructions left out, and the quirks met; or
    :class:`XmlRefused`. ``max_bytes`` counts the text's UTF-8 bytes; ``hint`` is added to a
    size refusal. A declared encoding is ignored: the text is already decoded."""
    body = text.encode("utf-8", "replace")
    keeper, notes = _read(body, _TreeKeeper, max_bytes, False, "utf-8", hint)
    return keeper.root, notes


def _broken(exc: Any) -> str:
    line, column = getattr(exc, "position", (0, 0)) or (0, 0)
    where = f" at line {line}, column {column}" if line else ""
    return f"broken XML{where}: {_syntax_message(exc)}"


def local_name(tag: object) -> str:
    """``{namespace}user`` → ``user``; comments and processing instructions → ``""``.

    Works on attribute names as well (``{namespace}code`` → ``code``)."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def local(element: Element) -> str:
    """The element's tag without its namespace; ``""`` for comments and the like."""
    return local_name(element.tag)


def text_of(element: Element) -> str:
    """All the text inside an element, its children's included, stripped."""
    return str("".join(element.itertext())).strip()


def prefixed_attributes(
    element: Element, prefix: str, most: int
) -> tuple[list[tuple[str, str]], int]:
    """The first ``most`` attributes whose names start with ``prefix`` (name, value), in order,
    and how many there are in all.

    One pass over the attributes in libxml2 (XPath), which lets go of the GIL meanwhile and
    makes no object for the others. ``items()`` would look every attribute up by name again (n²
    steps for n attributes: minutes for 200,000), and ``keys()`` makes a string for each.
    """
    found = element.xpath(
        "(@*[starts-with(name(), $prefix)])[position() <= $most]", prefix=prefix, most=most
    )
    pairs = [(str(value.attrname), str(value)) for value in found]
    if len(pairs) < most:
        return pairs, len(pairs)
    total = int(element.xpath("count(@*[starts-with(name(), $prefix)])", prefix=prefix))
    return pairs, total


def is_element(node: Element) -> bool:
    """False for comments and processing instructions, which iterate like elements in lxml."""
    return isinstance(node.tag, str)


def pretty_xml(body: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Re-indented XML for the raw view, or the body as text if it will not parse."""
    try:
        root, _ = parse_device_xml(body, max_bytes=max_bytes)
    except XmlRefused:
        return body.decode("utf-8", "replace")
    etree = _etree()
    etree.indent(root, space="  ")
    out: str = etree.tostring(root, encoding="unicode")
    return out
