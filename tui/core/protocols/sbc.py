"""Ribbon/Sonus SBC Edge REST: the ``<root><status/>…</root>`` envelope into a Resource.

Shapes read (protocols/sbc-cue-mws.md §A2–A3, seed 001):

- ``<status><http_code/><app_status href><app_status_entry code params/>…`` — every entry kept;
- ``<NAME_list count="N">`` of ``<NAME_pk id href/>`` links, or of full ``<NAME id href>``
  resources with ``details=true``;
- a single ``<NAME id href app_code_runtime=… app_params_runtime=…>`` with one child element per
  attribute (text = value, optional ``href``), and ``resource_attr_list``-style children holding
  ``<entry href>`` links;
- unknown envelope elements are ignored; composite child ids (``3:1``) are kept whole.

The big-list path is written for speed (names shared between items, no per-attribute objects):
a 10,000-resource ``details=true`` list is parsed in well under half a second.
"""

from __future__ import annotations

from typing import NamedTuple

from tui.core.protocols.safe_xml import (
    DEFAULT_MAX_BYTES,
    Element,
    XmlRefused,
    is_element,
    parse_device_xml,
)
from tui.core.protocols.sbc_codes import describe_sbc_code
from tui.core.resource_clean import cleaned
from tui.core.resources import (
    CATEGORIES,
    CONFIGURATION,
    NO_ENTRIES,
    NO_ERRORS,
    NO_LINKS,
    AppError,
    Attribute,
    Item,
    Link,
    Resource,
    attribute_category,
    split_params,
    unreadable,
)

# ``app_code_config`` and friends: the suffix names the category it concerns.
_CATEGORY_SUFFIX = {"config": CONFIGURATION} | {c: c for c in CATEGORIES}
_ENVELOPE = "root"

# Tables whose rows live under them (/rest/sipservertable/1/sipserver/2). Their ``Sequence``
# lists the row ids in evaluation order, so it is shown as links to the rows.
SBC_CHILDREN: dict[str, str] = {
    "sipservertable": "sipserver",
    "routingtable": "routingentry",
    "transformationtable": "transformationentry",
    "reroutetable": "rerouteentry",
    "isdnsg": "historicalstatistics",
    "cassg": "historicalstatistics",
}

SBC_ALIASES: dict[str, str] = {
    "system": "/rest/system",
    "systemcallstats": "/rest/systemcallstats",
    "callstats": "/rest/systemcallstats",
    "sipsg": "/rest/sipsg",
    "sg": "/rest/sipsg",
    "isdnsg": "/rest/isdnsg",
    "sipservertable": "/rest/sipservertable",
    "sst": "/rest/sipservertable",
    "servers": "/rest/sipservertable",
    "routingtable": "/rest/routingtable",
    "routing": "/rest/routingtable",
    "transformationtable": "/rest/transformationtable",
    "tt": "/rest/transformationtable",
    "sipprofile": "/rest/sipprofile",
    "sipq850map": "/rest/sipq850map",
    "q850": "/rest/sipq850map",
    "activealarm": "/rest/activealarm",
    "alarms": "/rest/activealarm",
    "license": "/rest/license/historicalstatistics",
}


def _app_error(code: str, params: str, category: str = "") -> AppError:
    tokens = split_params(params)
    message, links = describe_sbc_code(code, tokens)
    return AppError(code, tokens, message, category=category, links=links)


def _status(status: Element | None) -> tuple[int, tuple[AppError, ...], str, list[str]]:
    notes: list[str] = []
    if status is None:
        notes.append("no <status> block: the outcome is taken from the HTTP status")
        return 0, (), "", notes
    code_text = (status.findtext("http_code") or "").strip()
    try:
        http_code = int(code_text)
    except ValueError:
        http_code = 0
        notes.append(f"<http_code> is {code_text!r}, not a number")
    errors: list[AppError] = []
    href = ""
    app_status = status.find("app_status")
    if app_status is not None:
        href = app_status.get("href", "")
        for entry in app_status.iterchildren("app_status_entry"):
            code = (entry.get("code") or "").strip()
            if code and code != "0":  # "code 0 or empty means success"
                errors.append(_app_error(code, entry.get("params", "")))
    return http_code, tuple(errors), href, notes


def _category_errors(element: Element) -> tuple[AppError, ...]:
    found: list[AppError] = []
    for key, value in element.items():
        if key.startswith("app_code_") and value and value != "0":
            suffix = key.removeprefix("app_code_")
            category = _CATEGORY_SUFFIX.get(suffix, suffix)
            found.append(_app_error(value, element.get(f"app_params_{suffix}", ""), category))
    return tuple(found) if found else NO_ERRORS


def _entries(container: Element) -> tuple[Link, ...]:
    links = []
    for entry in container:
        if is_element(entry):
            text = (entry.text or "").strip()
            links.append(Link(text or entry.get("id", "") or entry.tag, entry.get("href", "")))
    return tuple(links)


def _fields(
    element: Element, shared_names: dict[tuple[str, ...], tuple[str, ...]]
) -> tuple[
    tuple[str, ...],
    tuple[str, ...],
    tuple[tuple[int, str], ...],
    tuple[tuple[int, tuple[Link, ...]], ...],
]:
    """Names, values, linked attributes and attribute lists of one resource element.

    Written for the 10,000-item path: one C-level pass per property over the children (list
    comprehensions), Python-level work only for the rare attribute lists and links.
    """
    children = list(element)
    key = tuple([child.tag for child in children])
    names = shared_names.get(key)
    if names is None:
        if not all(type(tag) is str for tag in key):  # a comment or PI among the fields
            children = [child for child in children if type(child.tag) is str]
            key = tuple([child.tag for child in children])
        names = shared_names.setdefault(key, key)
    texts = [child.text for child in children]
    hrefs = [child.get("href") for child in children]
    values = [text or "" for text in texts]
    entries: list[tuple[int, tuple[Link, ...]]] = []
    for index, text in enumerate(texts):
        if (not text or text.isspace()) and len(children[index]):  # <entry href=…>…</entry>
            found = _entries(children[index])
            entries.append((index, found))
            values[index] = ", ".join(link.label for link in found)
    links = [(index, href) for index, href in enumerate(hrefs) if href]
    return (
        names,
        tuple(values),
        tuple(links) if links else NO_LINKS,
        tuple(entries) if entries else NO_ENTRIES,
    )


class _Envelope(NamedTuple):
    http_code: int
    transport_status: int
    errors: tuple[AppError, ...]
    status_href: str
    notes: list[str]


def _list(block: Element, filter_category: str, env: _Envelope) -> Resource:
    items: list[Item] = []
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    details = False
    for element in block:
        tag = element.tag
        if not isinstance(tag, str):
            continue
        item_id = element.get("id", "")
        href = element.get("href", "")
        errors = _category_errors(element) if len(element.keys()) > 2 else NO_ERRORS
        if tag.endswith("_pk") or not len(element):
            items.append(Item(item_id, href, tag.removesuffix("_pk"), errors=errors))
            continue
        details = True
        names, values, links, entries = _fields(element, shared)
        items.append(Item(item_id, href, tag, names, values, links, entries, errors))
        element.clear()  # free the item's nodes now: freeing the whole tree at once stalls
    count_text = block.get("count")
    count: int | None = None
    if count_text is not None:
        try:
            count = int(count_text)
        except ValueError:
            env.notes.append(f"the list's count is {count_text!r}, not a number")
        else:
            if count != len(items):
                env.notes.append(f"the list says count={count} but holds {len(items)} entries")
    return Resource(
        kind="sbc",
        shape="list",
        name=block.tag.removesuffix("_list"),
        http_code=env.http_code,
        transport_status=env.transport_status,
        errors=env.errors,
        items=tuple(items),
        count=count,
        filter_category=filter_category,
        status_href=env.status_href,
        notes=tuple(env.notes),
        details=details,
    )


def _child_links(
    tag: str, href: str, names: tuple[str, ...], values: tuple[str, ...]
) -> tuple[tuple[Link, ...], dict[int, tuple[Link, ...]]]:
    """The child collection of a parent table, and its ``Sequence`` as links to the rows."""
    child = SBC_CHILDREN.get(tag)
    base = href.split("?")[0].rstrip("/")
    if not child or not base:
        return (), {}
    collection = f"{base}/{child}"
    sequence: dict[int, tuple[Link, ...]] = {}
    if "Sequence" in names:
        index = names.index("Sequence")
        ids = [part.strip() for part in values[index].split(",") if part.strip()]
        sequence[index] = tuple(Link(row, f"{collection}/{row}") for row in ids)
    return (Link(child, collection),), sequence


def _single(block: Element, filter_category: str, env: _Envelope) -> Resource:
    names, values, links, entries = _fields(block, {})
    hrefs = dict(links)
    children, sequence = _child_links(block.tag, block.get("href", ""), names, values)
    lists = dict(entries) | sequence
    attributes = tuple(
        Attribute(
            name,
            value,
            hrefs.get(index, ""),
            attribute_category(name, filter_category),
            lists.get(index, ()),
        )
        for index, (name, value) in enumerate(zip(names, values, strict=True))
    )
    return Resource(
        kind="sbc",
        shape="resource",
        name=block.tag,
        id=block.get("id", ""),
        href=block.get("href", ""),
        http_code=env.http_code,
        transport_status=env.transport_status,
        errors=env.errors + _category_errors(block),
        attributes=attributes,
        filter_category=filter_category,
        status_href=env.status_href,
        notes=tuple(env.notes),
        children=children,
    )


@cleaned
def parse_sbc(
    body: bytes,
    *,
    transport_status: int = 200,
    filter_category: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Resource:
    """An SBC response body as a Resource; never raises (bad bodies come back ``unreadable``)."""
    try:
        root, quirks = parse_device_xml(body, max_bytes=max_bytes)
    except XmlRefused as refused:
        return unreadable("sbc", str(refused), transport_status=transport_status)
    notes = list(quirks)
    if root.tag == _ENVELOPE:
        http_code, errors, status_href, status_notes = _status(root.find("status"))
        blocks = [c for c in root if is_element(c) and c.tag != "status"]
    else:
        notes.append(f"no <root> envelope (got <{root.tag}>): read as a bare resource block")
        http_code, errors, status_href, status_notes = 0, (), "", []
        blocks = [root]
    notes += status_notes
    env = _Envelope(http_code or transport_status, transport_status, errors, status_href, notes)
    if not blocks:
        return Resource(
            kind="sbc",
            shape="status",
            http_code=env.http_code,
            transport_status=transport_status,
            errors=errors,
            status_href=status_href,
            notes=tuple(notes),
        )
    if len(blocks) > 1:
        ignored = ", ".join(f"<{b.tag}>" for b in blocks[1:])
        notes.append(f"ignored elements after the resource block: {ignored}")
    block = blocks[0]
    if block.tag.endswith("_list"):
        return _list(block, filter_category, env)
    return _single(block, filter_category, env)
