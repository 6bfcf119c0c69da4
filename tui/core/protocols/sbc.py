"""Ribbon/Sonus SBC Edge REST: the ``<root><status/>…</root>`` envelope into a Resource.

Shapes read (docs/protocols.md §3.2–3.3):

- ``<status><http_code/><app_status href><app_status_entry code params/>…`` — every entry kept
  (up to ``MAX_APP_ERRORS``);
- ``<NAME_list count="N">`` of ``<NAME_pk id href/>`` links, or of full ``<NAME id href>``
  resources with ``details=true``;
- a single ``<NAME id href app_code_runtime=… app_params_runtime=…>`` with one child element per
  attribute (text = value, optional ``href``), and ``resource_attr_list``-style children holding
  ``<entry href>`` links;
- unknown envelope elements are ignored; composite child ids (``3:1``) are kept whole.

The body is read as a stream (:func:`~tui.core.protocols.xml.read_device_xml`): each
list entry is read when it ends and then pruned, and a resource keeps its first
``MAX_ATTRIBUTES`` fields, so the tree never holds more than one entry or one resource of
bounded size; what is kept follows :mod:`tui.core.resources.limits`.
The big-list path is written for speed (names shared between items, no per-attribute objects):
a 10,000-resource ``details=true`` list is parsed in well under half a second. An element's XML
attributes are searched in one pass (``prefixed_attributes``) with a bounded number of ``get()``
calls after it: lxml's ``items()`` looks every attribute up by name again, quadratic in their
number.
"""

from __future__ import annotations

from typing import NamedTuple

from tui.core.protocols.xml import (
    DEFAULT_MAX_BYTES,
    Element,
    XmlRefused,
    is_element,
    prefixed_attributes,
    prune,
    read_device_xml,
)
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
    limits,
    split_params,
    unknown_code_message,
    unreadable,
)
from tui.core.resources.clean import cleaned

# ``app_code_config`` and friends: the suffix names the category it concerns.
_CATEGORY_SUFFIX = {"config": CONFIGURATION} | {c: c for c in CATEGORIES}
_ENVELOPE_TAG = "root"

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


def _app_error(code: str, params: str, category: str = "") -> AppError:
    """A code and its params as the box sent them; the catalogs' text is put in later
    (:func:`tui.core.errors.explain.explain_errors`), with the operator's imported codes."""
    tokens = split_params(params)
    return AppError(code, tokens, unknown_code_message(code, tokens), category=category)


def _category_errors(element: Element) -> tuple[tuple[AppError, ...], int]:
    """The ``app_code_*`` errors of an element, and how many codes were left unread."""
    if len(element.attrib) <= 2:  # id and href: the common case, answered without a search
        return NO_ERRORS, 0
    codes, total = prefixed_attributes(element, "app_code_", limits.MAX_CATEGORY_CODES)
    found: list[AppError] = []
    for key, value in codes:
        if value and value != "0":
            suffix = key.removeprefix("app_code_")
            category = _CATEGORY_SUFFIX.get(suffix, suffix)
            # get() walks the attributes once; it runs at most MAX_CATEGORY_CODES times
            found.append(_app_error(value, element.get(f"app_params_{suffix}", ""), category))
    return (tuple(found) if found else NO_ERRORS), total - len(codes)


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


# What an element is to the reader, by where it stands (decided when it starts). The reader
# hears of the root, its children and grandchildren; deeper elements are the walker's content.
_ENVELOPE = 0  # <root>
_STATUS = 1  # <root><status>
_HTTP_CODE = 2  # <status><http_code>
_APP_STATUS = 3  # <status><app_status>, its entries kept as content
_BLOCK = 4  # the resource or list block
_ITEM = 5  # an entry of a list block (its fields and their entries kept as content)
_FIELD = 6  # an attribute of a resource (kept until its resource ends)
_ENTRY = 7  # an <entry> of an attribute list (kept until its resource ends)
_SKIP = 8  # not read: pruned when it ends
_NOTHING: tuple[int, ...] = ()


class _SbcReader:
    """Reads the envelope as it streams by: each list entry when it ends, then prunes it."""

    depth = 2

    def __init__(self) -> None:
        self.roles: list[int] = []
        self.notes: list[str] = []
        self.enveloped = False
        self.status_seen = False
        self.http_code_text: str | None = None
        self.app_status_seen = False
        self.status_href = ""
        self.status_errors: list[AppError] = []
        self.errors_hidden = 0
        self.block: Element = None
        self.is_list = False
        self.ignored: list[str] = []
        self.ignored_count = 0
        self.block_tag = ""
        self.block_id = ""
        self.block_href = ""
        self.block_count: str | None = None
        self.block_errors: tuple[AppError, ...] = NO_ERRORS
        self.block_fields: tuple[
            tuple[str, ...],
            tuple[str, ...],
            tuple[tuple[int, str], ...],
            tuple[tuple[int, tuple[Link, ...]], ...],
        ] = ((), (), NO_LINKS, NO_ENTRIES)
        # list state
        self.items: list[Item] = []
        self.shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.kinds: dict[str, str] = {}
        self.details = False
        self.detailed = 0
        self.seen_items = 0
        self.links_only = 0
        self.item_detailed = False
        self.item_had_fields = False
        self.item_budget = (limits.MAX_ATTRIBUTES, limits.MAX_ENTRIES)
        # per resource element (the block, or the list entry being read)
        self.fields_kept = 0
        self.entries_kept = 0
        self.fields_hidden = 0
        self.entries_hidden = 0
        self.codes_hidden = 0

    # -- roles ------------------------------------------------------------------------------

    def start(self, element: Element, depth: int) -> tuple[int, ...]:
        if not self.roles:
            if element.tag == _ENVELOPE_TAG:
                self.enveloped = True
                self.roles.append(_ENVELOPE)
            else:
                self.notes.append(
                    f"no <root> envelope (got <{element.tag}>): read as a bare resource block"
                )
                self.roles.append(self._open_block(element))
            return _NOTHING
        parent = self.roles[-1]
        budget = _NOTHING
        if parent == _BLOCK:
            if self.is_list:
                role = self._open_item(element)
                if role == _ITEM:
                    budget = self.item_budget if self.item_detailed else (0,)
            else:
                role = self._open_field()
                if role == _FIELD:
                    budget = (limits.MAX_ENTRIES - self.entries_kept,)
        elif parent == _ENVELOPE:
            role = self._envelope_child(element)
        elif parent == _ITEM:  # a bare list's entry
            self.item_had_fields = True
            role = self._open_field() if self.item_detailed else _SKIP
            if role == _FIELD:
                budget = (limits.MAX_ENTRIES - self.entries_kept,)
        elif parent == _FIELD:  # a bare resource's attribute list
            role = self._open_entry()
        elif parent == _STATUS:
            role = self._status_child(element)
            if role == _APP_STATUS:
                budget = (limits.MAX_APP_ERRORS,)
        else:  # below something skipped
            role = _SKIP
        self.roles.append(role)
        return budget

    def _envelope_child(self, element: Element) -> int:
        tag = element.tag
        if tag == "status":
            if self.status_seen:
                return _SKIP
            self.status_seen = True
            return _STATUS
        if self.block is None:
            return self._open_block(element)
        self.ignored_count += 1
        if len(self.ignored) < limits.MAX_NOTED_NAMES:
            self.ignored.append(tag)
        return _SKIP

    def _status_child(self, element: Element) -> int:
        tag = element.tag
        if tag == "http_code" and self.http_code_text is None:
            return _HTTP_CODE
        if tag == "app_status" and not self.app_status_seen:
            self.app_status_seen = True
            self.status_href = element.get("href", "")
            return _APP_STATUS
        return _SKIP

    def _open_block(self, element: Element) -> int:
        self.block = element
        self.is_list = element.tag.endswith("_list")
        self._new_resource()
        return _BLOCK

    def _new_resource(self) -> None:
        self.fields_kept = 0
        self.entries_kept = 0

    def _open_item(self, element: Element) -> int:
        self.seen_items += 1
        if len(self.items) >= limits.MAX_ITEMS:
            return _SKIP
        detailed = self.detailed < limits.MAX_DETAILED_ITEMS
        self.item_detailed = detailed and not element.tag.endswith("_pk")
        self.item_had_fields = False
        self._new_resource()
        return _ITEM

    def _open_field(self) -> int:
        if self.fields_kept >= limits.MAX_ATTRIBUTES:
            self.fields_hidden += 1
            return _SKIP
        self.fields_kept += 1
        return _FIELD

    def _open_entry(self) -> int:
        if self.entries_kept >= limits.MAX_ENTRIES:
            self.entries_hidden += 1
            return _SKIP
        self.entries_kept += 1
        return _ENTRY

    # -- reading what ended -----------------------------------------------------------------

    def end(self, element: Element, depth: int, dropped: tuple[int, ...]) -> None:
        role = self.roles.pop()
        if role == _ITEM:
            if depth == 2:
                self.item_had_fields = len(element) > 0 or dropped[0] > 0
                if self.item_detailed:
                    self.fields_hidden += dropped[0]
                    self.entries_hidden += dropped[1]
            self._item(element)
            prune(element)
        elif role == _FIELD:  # read with its resource, when that ends
            if depth == 2:
                self.entries_kept += len(element)
                self.entries_hidden += dropped[0]
        elif role == _SKIP:
            prune(element)
        elif role == _APP_STATUS:
            self._app_status(element, dropped[0])
            prune(element)
        elif role == _HTTP_CODE:
            self.http_code_text = element.text or ""
            prune(element)
        elif role == _BLOCK:
            self._block_end(element)

    def _app_status(self, app_status: Element, dropped: int) -> None:
        for entry in app_status.iterchildren("app_status_entry"):
            code = (entry.get("code") or "").strip()
            if code and code != "0":  # "code 0 or empty means success"
                self.status_errors.append(_app_error(code, entry.get("params", "")))
        self.errors_hidden += dropped

    def _errors_of(self, element: Element) -> tuple[AppError, ...]:
        errors, hidden = _category_errors(element)
        self.codes_hidden += hidden
        return errors

    def _item(self, element: Element) -> None:
        tag = element.tag
        item_id = element.get("id", "")
        href = element.get("href", "")
        errors = self._errors_of(element)
        if not self.item_detailed or not len(element):
            if self.item_had_fields and not tag.endswith("_pk"):
                self.details = True
                self.links_only += 1
            name = tag.removesuffix("_pk")
            name = self.kinds.setdefault(name, name)
            self.items.append(Item(item_id, href, name, errors=errors))
            return
        self.details = True
        self.detailed += 1
        names, values, links, entries = _fields(element, self.shared)
        self.items.append(Item(item_id, href, tag, names, values, links, entries, errors))

    def _block_end(self, block: Element) -> None:
        self.block_tag = block.tag
        self.block_id = block.get("id", "")
        self.block_href = block.get("href", "")
        self.block_count = block.get("count")
        self.block_errors = self._errors_of(block)
        if not self.is_list:
            self.block_fields = _fields(block, {})

    # -- the result -------------------------------------------------------------------------

    def resource(
        self, quirks: tuple[str, ...], transport_status: int, filter_category: str, path: str = ""
    ) -> Resource:
        notes = [*quirks, *self.notes]
        http_code = 0
        if self.enveloped and not self.status_seen:
            notes.append("no <status> block: the outcome is taken from the HTTP status")
        elif self.status_seen:
            code_text = (self.http_code_text or "").strip()
            try:
                http_code = int(code_text)
            except ValueError:
                notes.append(f"<http_code> is {code_text!r}, not a number")
        if self.ignored_count:
            names = limits.some_names(self.ignored, self.ignored_count)
            notes.append(f"ignored elements after the resource block: {names}")
        env = _Envelope(
            http_code or transport_status,
            transport_status,
            tuple(self.status_errors),
            self.status_href,
            notes,
        )
        if self.block is None:
            self._limit_notes(notes)
            return Resource(
                kind="sbc",
                shape="status",
                http_code=env.http_code,
                transport_status=transport_status,
                errors=env.errors,
                status_href=env.status_href,
                notes=tuple(notes),
            )
        if self.is_list:
            return self._list(filter_category, env, path)
        return self._single(filter_category, env)

    def _limit_notes(self, notes: list[str]) -> None:
        if self.seen_items > len(self.items):
            hidden = self.seen_items - len(self.items)
            notes.append(limits.items_not_shown(hidden, self.seen_items))
        if self.links_only:
            notes.append(limits.fields_not_kept(self.links_only))
        if self.fields_hidden:
            notes.append(limits.attributes_not_shown(self.fields_hidden))
        if self.entries_hidden:
            notes.append(limits.entries_not_shown(self.entries_hidden))
        if self.codes_hidden:
            notes.append(limits.codes_not_read(self.codes_hidden))
        if self.errors_hidden:
            notes.append(limits.errors_not_shown(self.errors_hidden))

    def _list(self, filter_category: str, env: _Envelope, path: str) -> Resource:
        count: int | None = None
        if self.block_count is not None:
            try:
                count = int(self.block_count)
            except ValueError:
                env.notes.append(f"the list's count is {self.block_count!r}, not a number")
            else:
                if count != self.seen_items:
                    env.notes.append(
                        f"the list says count={count} but holds {self.seen_items} entries"
                    )
        self._limit_notes(env.notes)
        name = self.block_tag.removesuffix("_list") or _list_name(env.status_href or path)
        items = self.items
        if not self.block_tag.removesuffix("_list"):  # ``<_list><_pk …/>``: entries unnamed too
            items = [item if item.name else item._replace(name=name) for item in items]
        return Resource(
            kind="sbc",
            shape="list",
            name=name,
            http_code=env.http_code,
            transport_status=env.transport_status,
            errors=env.errors,
            items=tuple(items),
            count=count,
            filter_category=filter_category,
            status_href=env.status_href,
            notes=tuple(env.notes),
            details=self.details,
        )

    def _single(self, filter_category: str, env: _Envelope) -> Resource:
        names, values, links, entries = self.block_fields
        hrefs = dict(links)
        children, sequence = _child_links(self.block_tag, self.block_href, names, values)
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
        self._limit_notes(env.notes)
        return Resource(
            kind="sbc",
            shape="resource",
            name=self.block_tag,
            id=self.block_id,
            href=self.block_href,
            http_code=env.http_code,
            transport_status=env.transport_status,
            errors=env.errors + self.block_errors,
            attributes=attributes,
            filter_category=filter_category,
            status_href=env.status_href,
            notes=tuple(env.notes),
            children=children,
        )


def _list_name(href: str) -> str:
    """A list's name from the URI it was asked on: its last segment (``/rest/sipsg/`` → sipsg)."""
    path = href.strip()
    if "://" in path:  # the box's own address in front
        path = path.partition("://")[2]
        path = path[path.find("/") :] if "/" in path else ""
    return path.partition("?")[0].rstrip("/").rpartition("/")[2]


@cleaned
def parse_sbc(
    body: bytes,
    *,
    transport_status: int = 200,
    filter_category: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    path: str = "",
) -> Resource:
    """An SBC response body as a Resource; never raises (bad bodies come back ``unreadable``).

    ``path`` is the location asked for: it names a list the box left unnamed (a trailing-slash
    URL can come back as ``<_list>``) when its ``app_status`` href does not."""
    try:
        reader, quirks = read_device_xml(body, _SbcReader, max_bytes=max_bytes)
    except XmlRefused as refused:
        return unreadable("sbc", str(refused), transport_status=transport_status)
    return reader.resource(quirks, transport_status, filter_category, path)
