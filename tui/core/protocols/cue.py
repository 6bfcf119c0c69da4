"""Cisco Unity Express REST PI: XML documents, lists and error documents into a Resource.

CUE publishes URIs relative to ``http://<host>/rest`` (``/voicemail/users/johndoe``), returns
each resource with its own ``uri``, and promises clients may ignore elements they do not know
(protocols/sbc-cue-mws.md §B, seed 004). What is read:

- a resource document: ``<user xmlns=…><uri>…</uri><userId>…</userId>…</user>`` — simple
  children are attributes in order; ``…Uri`` children and ``href`` attributes are links; a
  complex child (``<operations><operation>…``) becomes an attribute holding entries;
- a list: ``<baseElementList>`` (or any ``…List`` root, or a root whose children are all
  resources with a ``uri``) of resource documents;
- an error document: ``<error><code/><message/>…</error>`` (also ``Error``/``errorResponse``
  with ``errorCode``/``errorMessage``); other children become the error's params.
"""

from __future__ import annotations

from dataclasses import replace

from tui.core.protocols.safe_xml import (
    DEFAULT_MAX_BYTES,
    Element,
    XmlRefused,
    is_element,
    local_name,
    parse_device_xml,
)
from tui.core.resource_clean import cleaned
from tui.core.resources import (
    NO_ENTRIES,
    NO_LINKS,
    AppError,
    Attribute,
    Item,
    Link,
    Resource,
    attribute_category,
    unreadable,
)

CUE_ALIASES: dict[str, str] = {
    "users": "/voicemail/users",
    "groups": "/voicemail/groups",
    "mailboxes": "/voicemail/mailboxes",
    "mb": "/voicemail/mailboxes",
    "privileges": "/privileges",
}

_ERROR_ROOTS = {"error", "errorresponse", "errordetails", "cueerror"}
_CODE_NAMES = {"code", "errorcode"}
_MESSAGE_NAMES = {"message", "errormessage", "description"}
_ID_FIELDS = ("userId", "groupId", "ownerId", "name", "id")
_SELF = "uri"


def _is_link_name(name: str) -> bool:
    return name != _SELF and (name.endswith("Uri") or name.endswith("URI"))


def _text(element: Element) -> str:
    return (element.text or "").strip()


def _child_text(element: Element, wanted: str) -> str:
    for child in element:
        if local_name(child.tag) == wanted:
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
            links.append(Link(label or local_name(entry.tag), _child_text(entry, _SELF)))
        else:
            links.append(Link(_text(entry), entry.get("href", "")))
    return tuple(links)


class _Fields:
    """The attributes of one CUE resource element, plus its own ``uri``."""

    def __init__(self, element: Element) -> None:
        self.uri = ""
        names: list[str] = []
        values: list[str] = []
        links: list[tuple[int, str]] = []
        entries: list[tuple[int, tuple[Link, ...]]] = []
        for child in element:
            name = local_name(child.tag)
            if not name:
                continue
            if name == _SELF and not len(child):
                self.uri = _text(child)
                continue
            index = len(names)
            names.append(name)
            if len(child):
                found = _entries(child)
                entries.append((index, found))
                values.append(", ".join(link.label for link in found))
            else:
                value = _text(child)
                values.append(value)
                href = child.get("href") or (value if _is_link_name(name) else "")
                if href:
                    links.append((index, href))
        self.names = tuple(names)
        self.values = tuple(values)
        self.links = tuple(links) if links else NO_LINKS
        self.entries = tuple(entries) if entries else NO_ENTRIES

    def item_id(self) -> str:
        for wanted in _ID_FIELDS:
            if wanted in self.names:
                value = self.values[self.names.index(wanted)]
                if value:
                    return value
        return self.uri.rstrip("/").rpartition("/")[2]


def _error_document(root: Element) -> tuple[AppError, ...]:
    candidates = [root]
    if all(local_name(c.tag).lower() in _ERROR_ROOTS for c in root if is_element(c)) and len(root):
        candidates = [c for c in root if is_element(c)]  # <errors><error/>…</errors>
    found = []
    for element in candidates:
        code = message = ""
        params: list[str] = []
        field = ""
        for child in element:
            name = local_name(child.tag)
            if not name:
                continue
            lowered = name.lower()
            if lowered in _CODE_NAMES:
                code = _text(child)
            elif lowered in _MESSAGE_NAMES:
                message = _text(child)
            elif lowered in ("field", "property"):
                field = _text(child)
            elif not len(child):
                params.append(f"{name}={_text(child)}")
        found.append(AppError(code or "?", tuple(params), message or "(no message)", field=field))
    return tuple(found)


def _is_error_root(root: Element) -> bool:
    name = local_name(root.tag).lower()
    return name in _ERROR_ROOTS or (name == "errors" and len(root) > 0)


def _is_list_root(root: Element) -> bool:
    name = local_name(root.tag)
    if name.lower().endswith("list"):
        return True
    children = [c for c in root if is_element(c)]
    return bool(children) and all(
        len(c) and any(local_name(g.tag) == _SELF for g in c) for c in children
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
    if not body.strip():
        return Resource(
            kind="cue",
            shape="status",
            http_code=transport_status,
            transport_status=transport_status,
            meta=meta,
        )
    try:
        root, quirks = parse_device_xml(body, max_bytes=max_bytes)
    except XmlRefused as refused:
        if transport_status >= 400 and not body.lstrip().startswith(b"<?xml"):
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
    if _is_error_root(root):
        return replace(base, errors=_error_document(root))
    if _is_list_root(root):
        items = []
        for element in root:
            if not is_element(element):
                continue
            fields = _Fields(element)
            items.append(
                Item(
                    fields.item_id(),
                    fields.uri,
                    local_name(element.tag),
                    fields.names,
                    fields.values,
                    fields.links,
                    fields.entries,
                )
            )
        count_text = root.get("count") or root.get("total")
        count = int(count_text) if count_text and count_text.isdigit() else None
        return replace(
            base,
            shape="list",
            name=local_name(root.tag),
            items=tuple(items),
            count=count,
            details=any(item.names for item in items),
        )
    fields = _Fields(root)
    hrefs = dict(fields.links)
    lists = dict(fields.entries)
    attributes = tuple(
        Attribute(name, value, hrefs.get(i, ""), attribute_category(name), lists.get(i, ()))
        for i, (name, value) in enumerate(zip(fields.names, fields.values, strict=True))
    )
    return replace(
        base,
        shape="resource",
        name=local_name(root.tag),
        id=fields.item_id(),
        href=fields.uri,
        attributes=attributes,
    )
