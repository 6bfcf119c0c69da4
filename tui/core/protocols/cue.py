"""Cisco Unity Express REST PI: XML documents, lists and error documents into a Resource.

CUE publishes URIs relative to ``http://<host>/rest`` (``/voicemail/users/johndoe``), returns
each resource with its own ``uri``, and promises clients may ignore elements they do not know
(docs/protocols.md §4). What is read:

- a resource document: ``<user xmlns=…><uri>…</uri><userId>…</userId>…</user>`` — simple
  children are attributes in order; ``…Uri`` children and ``href`` attributes are links; a
  complex child (``<operations><operation>…``) becomes an attribute holding entries;
- a list: ``<baseElementList>`` (or any ``…List`` root, or a root whose children are all
  resources with a ``uri``) of resource documents;
- an error document: ``<error><code/><message/>…</error>`` (also ``Error``/``errorResponse``
  with ``errorCode``/``errorMessage``), read by :mod:`tui.core.protocols.cue_error` as the
  inspector reads it: the first code/message pair is the error, later pairs and other children
  its params.

The body is read as a stream (:func:`~tui.core.protocols.xml.read_device_xml`): each child
of the root is read when it ends, as a list entry and as an attribute until the document shows
which it is, and then pruned; what is kept follows :mod:`tui.core.resources.limits`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from tui.core.protocols.cue_error import ErrorRecord, is_error_name
from tui.core.protocols.xml import (
    DEFAULT_MAX_BYTES,
    Element,
    XmlRefused,
    is_element,
    local_name,
    prune,
    read_device_xml,
)
from tui.core.resources import (
    NO_ENTRIES,
    NO_LINKS,
    AppError,
    Attribute,
    Item,
    Link,
    Resource,
    attribute_category,
    limits,
    unreadable,
)
from tui.core.resources.clean import cleaned

_ID_FIELDS = ("userId", "groupId", "ownerId", "name", "id")
_XML_DECLARATION = re.compile(rb"\s*<\?xml")
_SELF = "uri"  # a resource's own URI: ``uri``, also sent as ``URI``


def _is_self(name: str) -> bool:
    return name.casefold() == _SELF


def _is_link_name(name: str) -> bool:
    return not _is_self(name) and (name.endswith("Uri") or name.endswith("URI"))


def _text(element: Element) -> str:
    return (element.text or "").strip()


def _child_text(element: Element, wanted: str) -> str:
    for child in element:
        if local_name(child.tag) == wanted:
            return _text(child)
    return ""


def _own_uri(element: Element) -> str:
    for child in element:
        if _is_self(local_name(child.tag)):
            return _text(child)
    return ""


def _entries(container: Element) -> tuple[Link, ...]:
    links = []
    for entry in container:
        if not is_element(entry):
            continue
        if len(entry):
            label = ""
            for wanted in (*_ID_FIELDS, "description"):
                label = _child_text(entry, wanted)
                if label:
                    break
            links.append(Link(label or local_name(entry.tag), _own_uri(entry)))
        else:
            links.append(Link(_text(entry), entry.get("href", "")))
    return tuple(links)


class _Fields:
    """The attributes of one CUE resource element, plus its own ``uri``."""

    def __init__(self) -> None:
        self.uri = ""
        self.names: list[str] = []
        self.values: list[str] = []
        self.links: list[tuple[int, str]] = []
        self.entries: list[tuple[int, tuple[Link, ...]]] = []

    @classmethod
    def of(cls, element: Element) -> _Fields:
        fields = cls()
        for child in element:
            fields.add(child)
        return fields

    def add(self, child: Element) -> None:
        name = local_name(child.tag)
        if not name:
            return
        if _is_self(name) and not len(child):
            self.uri = _text(child)
            return
        index = len(self.names)
        self.names.append(name)
        if len(child):
            found = _entries(child)
            self.entries.append((index, found))
            self.values.append(", ".join(link.label for link in found))
        else:
            value = _text(child)
            self.values.append(value)
            href = child.get("href") or (value if _is_link_name(name) else "")
            if href:
                self.links.append((index, href))

    def item_id(self) -> str:
        for wanted in _ID_FIELDS:
            if wanted in self.names:
                value = self.values[self.names.index(wanted)]
                if value:
                    return value
        return self.uri.rstrip("/").rpartition("/")[2]

    def item(self, name: str, *, detailed: bool) -> Item:
        if not detailed:
            return Item(self.item_id(), self.uri, name)
        return Item(
            self.item_id(),
            self.uri,
            name,
            tuple(self.names),
            tuple(self.values),
            tuple(self.links) if self.links else NO_LINKS,
            tuple(self.entries) if self.entries else NO_ENTRIES,
        )

    def attributes(self) -> tuple[Attribute, ...]:
        hrefs = dict(self.links)
        lists = dict(self.entries)
        return tuple(
            Attribute(name, value, hrefs.get(i, ""), attribute_category(name), lists.get(i, ()))
            for i, (name, value) in enumerate(zip(self.names, self.values, strict=True))
        )


def _app_error(record: ErrorRecord) -> AppError:
    """An error as the browser keeps it: the primary pair, the rest as ``name=value`` params."""
    return AppError(
        record.code or "?",
        tuple(f"{name}={value}" for name, value in record.details),
        record.message or "(no message)",
        field=record.field,
    )


def _error_of(element: Element) -> AppError:
    return _app_error(ErrorRecord.of(element))


def _qualifies_as_item(element: Element) -> bool:
    """A child that is a resource of its own: it has children, one of them its ``uri``."""
    return bool(len(element)) and any(_is_self(local_name(g.tag)) for g in element)


_UNDECIDED = 0  # a root whose children may be resources (a list) or attributes
_LIST = 1
_RESOURCE = 2
_ERROR = 3


class _CueReader:
    """Reads a CUE document as it streams by, one child of the root at a time."""

    depth = 1

    def __init__(self) -> None:
        self.mode = _UNDECIDED
        self.name = ""
        self.count_text: str | None = None
        self.children = 0
        self.items: list[Item] = []
        self.links_only = 0
        self.fields = _Fields()
        # what was left out, for each reading of the root's children
        self.item_fields_hidden = 0
        self.item_entries_hidden = 0
        self.attributes_hidden = 0
        self.attribute_entries_hidden = 0
        self.error_parts = ErrorRecord()
        self.child_errors: list[AppError] | None = []
        self.errors_hidden = 0

    def start(self, element: Element, depth: int) -> tuple[int, ...]:
        if depth == 0:
            self.name = local_name(element.tag)
            lowered = self.name.lower()
            if is_error_name(self.name):
                self.mode = _ERROR
                self.error_parts.add_attributes(element)
            self.count_text = element.get("count") or element.get("total")
            totalled = element.get("total") is not None  # ``<users total="2">``
            if self.mode != _ERROR and (lowered.endswith("list") or totalled):
                self.mode = _LIST
            return ()
        self.children += 1
        if self.mode == _ERROR:
            return (limits.MAX_ATTRIBUTES,)
        if self.mode == _RESOURCE:
            return self._field_budget()
        if len(self.items) >= limits.MAX_ITEMS:
            return self._field_budget() if self.mode == _UNDECIDED else ()
        if len(self.items) - self.links_only < limits.MAX_DETAILED_ITEMS:
            return (limits.MAX_ATTRIBUTES, limits.MAX_ENTRIES, limits.MAX_ENTRIES)
        if self.mode == _LIST:
            return (limits.MAX_ATTRIBUTES,)  # enough for its id and uri
        return (limits.MAX_ATTRIBUTES, limits.MAX_ENTRIES)  # and for reading it as an attribute

    def _field_budget(self) -> tuple[int, ...]:
        if len(self.fields.names) >= limits.MAX_ATTRIBUTES:
            return ()
        return (limits.MAX_ENTRIES, limits.MAX_ENTRIES)

    def end(self, element: Element, depth: int, dropped: tuple[int, ...]) -> None:
        if depth == 0:
            if self.mode == _UNDECIDED:
                self.mode = _LIST if self.children else _RESOURCE
            return
        if self.mode == _ERROR:
            self._error_child(element)
        else:
            if self.mode == _UNDECIDED and not _qualifies_as_item(element):
                self.mode = _RESOURCE
                self.items, self.links_only = [], 0
            if self.mode != _RESOURCE:
                self._item(element, dropped)
            if self.mode != _LIST:
                self._field(element, dropped)
        prune(element)

    def _error_child(self, element: Element) -> None:
        self.error_parts.add_child(element)
        if self.child_errors is None:
            return
        if not is_error_name(local_name(element.tag)):
            self.child_errors = None  # not a list of errors: the root is the error
        elif len(self.child_errors) < limits.MAX_APP_ERRORS:
            self.child_errors.append(_error_of(element))
        else:
            self.errors_hidden += 1

    def _item(self, element: Element, dropped: tuple[int, ...]) -> None:
        if len(self.items) >= limits.MAX_ITEMS:
            return
        detailed = len(self.items) - self.links_only < limits.MAX_DETAILED_ITEMS
        if detailed and dropped:
            self.item_fields_hidden += dropped[0]
            self.item_entries_hidden += sum(dropped[1:])
        self.items.append(_Fields.of(element).item(local_name(element.tag), detailed=detailed))
        if not detailed:
            self.links_only += 1

    def _field(self, element: Element, dropped: tuple[int, ...]) -> None:
        if len(self.fields.names) >= limits.MAX_ATTRIBUTES:
            self.attributes_hidden += 1
            return
        self.fields.add(element)
        self.attribute_entries_hidden += sum(dropped[:2])

    # -- the result -------------------------------------------------------------------------

    def notes(self) -> list[str]:
        notes = []
        if self.mode == _LIST:
            if self.children > len(self.items):
                hidden = self.children - len(self.items)
                notes.append(limits.items_not_shown(hidden, self.children))
            if self.links_only:
                notes.append(limits.fields_not_kept(self.links_only))
            fields, entries = self.item_fields_hidden, self.item_entries_hidden
        else:
            fields, entries = self.attributes_hidden, self.attribute_entries_hidden
        if fields and self.mode != _ERROR:
            notes.append(limits.attributes_not_shown(fields))
        if entries and self.mode != _ERROR:
            notes.append(limits.entries_not_shown(entries))
        if self.errors_hidden:
            notes.append(limits.errors_not_shown(self.errors_hidden))
        return notes

    def resource(self, base: Resource) -> Resource:
        base = replace(base, notes=base.notes + tuple(self.notes()))
        if self.mode == _ERROR and (self.name.lower() != "errors" or self.children):
            if self.child_errors is not None and self.children:
                return replace(base, errors=tuple(self.child_errors))
            return replace(base, errors=(_app_error(self.error_parts),))
        if self.mode == _LIST:
            count_text = self.count_text
            count = int(count_text) if count_text and count_text.isdigit() else None
            return replace(
                base,
                shape="list",
                name=self.name,
                items=tuple(self.items),
                count=count,
                details=any(item.names for item in self.items),
            )
        return replace(
            base,
            shape="resource",
            name=self.name,
            id=self.fields.item_id(),
            href=self.fields.uri,
            attributes=self.fields.attributes(),
        )


@cleaned
def parse_cue(
    body: bytes,
    *,
    transport_status: int = 200,
    meta: tuple[tuple[str, str], ...] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Resource:
    """A CUE response as a Resource; never raises (bad bodies come back ``unreadable``)."""
    if not body or body.isspace():
        return Resource(
            kind="cue",
            shape="status",
            http_code=transport_status,
            transport_status=transport_status,
            meta=meta,
        )
    try:
        reader, quirks = read_device_xml(body, _CueReader, max_bytes=max_bytes)
    except XmlRefused as refused:
        if transport_status >= 400 and not _XML_DECLARATION.match(body):
            return Resource(
                kind="cue",
                shape="status",
                http_code=transport_status,
                transport_status=transport_status,
                meta=meta,
                notes=(f"the error body is not an XML document ({refused})",),
            )
        return unreadable("cue", str(refused), transport_status=transport_status)
    base = Resource(
        kind="cue",
        shape="status",
        http_code=transport_status,
        transport_status=transport_status,
        meta=meta,
        notes=quirks,
    )
    return reader.resource(base)
