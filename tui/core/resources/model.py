"""One resource model for the SBC, CUE and MWS trees the browser walks.

Whatever the wire format (SBC XML envelope, CUE XML document, MWS JSON), a response becomes a
:class:`Resource`:

- ``shape`` says what came back: one ``resource`` with its attributes in order, a ``list`` of
  :class:`Item` links (with their attributes when ``details=true``), a bare ``status`` (DELETE,
  actions), or ``unreadable`` with the ``problem`` explained (hostile or broken body);
- ``http_code`` is the outcome (the SBC's ``<http_code>``, else the transport status);
- ``errors`` holds every application error: SBC ``app_status_entry`` codes with params and the
  per-category ``app_code_*`` ones, CUE error documents, MWS error and validation bodies;
- attributes carry their ``category`` (configuration, runtime, statistics, inventory) and the
  ``href`` of the resource they point at, if any.

List items are stored compactly (attribute names shared between items, values in one tuple)
because a ``details=true`` list can hold 10,000 resources of 20 attributes each; their
:class:`Attribute` objects are built on demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

Kind = str  # a target kind's name (the kinds are declared in tui.core.targets)
Shape = Literal["resource", "list", "status", "unreadable"]

CONFIGURATION = "configuration"
RUNTIME = "runtime"
STATISTICS = "statistics"
INVENTORY = "inventory"
CATEGORIES = (CONFIGURATION, RUNTIME, STATISTICS, INVENTORY)
RUNTIME_PREFIX = "rt_"

# Attributes whose value names an item best, in order of preference.
_LABEL_FIELDS = (
    "Description",
    "description",
    "displayName",
    "NodeName",
    "Host",
    "Desc",
    "name",
    "groupId",
    "userId",
    "ownerId",
    "tags",
)


class Link(NamedTuple):
    """Something to follow: its label and the href as the server gave it."""

    label: str
    href: str


class AppError(NamedTuple):
    """One application error: its code, params and message, and what it concerns.

    CUE and MWS errors carry their message in the body. An SBC sends only a code and params:
    the parser leaves ``Application error <code> (<params>)`` and
    :func:`tui.core.errors.explain.explain_errors` puts in the catalog's text and links.
    """

    code: str
    params: tuple[str, ...]
    message: str
    category: str = ""  # the attribute category it concerns (SBC ``app_code_runtime``…)
    field: str = ""  # the field it concerns (MWS validation ``property``)
    links: tuple[Link, ...] = ()  # resources its params name (31003 → the signaling group)


class Attribute(NamedTuple):
    """One attribute of a resource, in the order the server sent it."""

    name: str
    value: str
    href: str  # "" when the attribute does not point at another resource
    category: str
    entries: tuple[Link, ...] = ()  # a ``resource_attr_list``: one link per ``entry``

    @property
    def is_runtime(self) -> bool:
        return self.category in (RUNTIME, STATISTICS)


NO_LINKS: tuple[tuple[int, str], ...] = ()
NO_ENTRIES: tuple[tuple[int, tuple[Link, ...]], ...] = ()
NO_ERRORS: tuple[AppError, ...] = ()


class Item(NamedTuple):
    """One entry of a list: a link, plus the resource's attributes when ``details=true``."""

    id: str
    href: str
    name: str  # the element / resource type, e.g. ``sipsg``
    names: tuple[str, ...] = ()  # attribute names (shared between items of one list)
    values: tuple[str, ...] = ()
    links: tuple[tuple[int, str], ...] = NO_LINKS  # (attribute index, href)
    entries: tuple[tuple[int, tuple[Link, ...]], ...] = NO_ENTRIES
    errors: tuple[AppError, ...] = NO_ERRORS

    def attributes(self, filter_category: str = "") -> tuple[Attribute, ...]:
        hrefs = dict(self.links)
        entries = dict(self.entries)
        return tuple(
            Attribute(
                name,
                value,
                hrefs.get(index, ""),
                attribute_category(name, filter_category),
                entries.get(index, ()),
            )
            for index, (name, value) in enumerate(zip(self.names, self.values, strict=False))
        )

    def value_of(self, name: str) -> str:
        try:
            return self.values[self.names.index(name)]
        except ValueError:
            return ""

    @property
    def label(self) -> str:
        return label_from(self.names, self.values)


def attribute_category(name: str, filter_category: str = "") -> str:
    """The category of an attribute: what the request filtered on, else by the ``rt_`` prefix.

    The SBC does not tag attributes with their category; a ``filter=`` request returns one
    category only, and without a filter ``rt_`` names are runtime/statistics (shown as runtime).
    """
    if filter_category:
        return filter_category
    return RUNTIME if name.startswith(RUNTIME_PREFIX) else CONFIGURATION


def label_from(names: tuple[str, ...], values: tuple[str, ...]) -> str:
    for wanted in _LABEL_FIELDS:
        if wanted in names:
            value = values[names.index(wanted)]
            if value:
                return value
    return ""


@dataclass(frozen=True, slots=True)
class Resource:
    """A parsed response, the same shape for every system (see the module docstring)."""

    kind: Kind
    shape: Shape
    name: str = ""  # resource type: ``sipsg``, ``user``, ``sockets``…
    id: str = ""
    href: str = ""
    http_code: int = 0
    transport_status: int = 0  # the HTTP status line (an SBC says 200 and puts 500 in the body)
    errors: tuple[AppError, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    items: tuple[Item, ...] = ()
    count: int | None = None  # what the list said it holds
    filter_category: str = ""
    status_href: str = ""  # SBC ``app_status href``: the URI the request was made on
    meta: tuple[tuple[str, str], ...] = ()  # e.g. ("PI-Version", "8.6.0")
    notes: tuple[str, ...] = ()  # quirks met while reading the body
    problem: str = ""  # why the body could not be read (shape ``unreadable``)
    details: bool = field(default=False)  # list items carry their attributes
    children: tuple[Link, ...] = ()  # child collections (an SBC table's rows)

    @property
    def ok(self) -> bool:
        return not self.problem and not self.errors and 0 < self.http_code < 400

    @property
    def is_list(self) -> bool:
        return self.shape == "list"

    @property
    def has_runtime(self) -> bool:
        return any(a.is_runtime for a in self.attributes)


def unreadable(
    kind: Kind, problem: str, *, transport_status: int = 0, notes: tuple[str, ...] = ()
) -> Resource:
    return Resource(
        kind=kind,
        shape="unreadable",
        http_code=transport_status,
        transport_status=transport_status,
        problem=problem,
        notes=notes,
    )


# -- app error messages ---------------------------------------------------------------------


def split_params(params: str) -> tuple[str, ...]:
    """SBC ``params`` pack their tokens ``|``-separated, in order."""
    return tuple(params.split("|")) if params else ()


def unknown_code_message(code: str, params: tuple[str, ...] | list[str]) -> str:
    """An app code as read without a catalog: ``Application error 31003 (3|2)``."""
    shown = "|".join(params)
    return f"Application error {code} ({shown})" if params else f"Application error {code}"


# -- headless JSON --------------------------------------------------------------------------


def _code_json(code: str) -> int | str:
    return int(code) if code.isdigit() else code


def error_to_json(error: AppError) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": _code_json(error.code),
        "params": list(error.params),
        "message": error.message,
    }
    if error.category:
        out["category"] = error.category
    if error.field:
        out["field"] = error.field
    if error.links:
        out["links"] = [{"label": link.label, "href": link.href} for link in error.links]
    return out


def attribute_to_json(attribute: Attribute) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": attribute.name,
        "value": attribute.value,
        "href": attribute.href or None,
        "category": attribute.category,
    }
    if attribute.entries:
        out["entries"] = [{"value": e.label, "href": e.href or None} for e in attribute.entries]
    return out


def resource_to_json(resource: Resource, *, url: str = "") -> dict[str, Any]:
    """The ``noc-console browse --json`` form of a resource."""
    out: dict[str, Any] = {"kind": resource.kind}
    if url:
        out["url"] = url
    out["shape"] = resource.shape
    out["name"] = resource.name or None
    out["http_code"] = resource.http_code
    if resource.transport_status and resource.transport_status != resource.http_code:
        out["transport_status"] = resource.transport_status
    out["errors"] = [error_to_json(e) for e in resource.errors]
    if resource.problem:
        out["problem"] = resource.problem
    if resource.shape == "list":
        out["count"] = resource.count if resource.count is not None else len(resource.items)
        items = []
        for item in resource.items:
            entry: dict[str, Any] = {"id": item.id, "href": item.href, "label": item.label}
            if item.names:
                attrs = item.attributes(resource.filter_category)
                entry["attributes"] = [attribute_to_json(a) for a in attrs]
            if item.errors:
                entry["errors"] = [error_to_json(e) for e in item.errors]
            items.append(entry)
        out["items"] = items
    elif resource.shape == "resource":
        out["id"] = resource.id or None
        out["href"] = resource.href or None
        out["attributes"] = [attribute_to_json(a) for a in resource.attributes]
        if resource.children:
            out["children"] = [{"label": c.label, "href": c.href} for c in resource.children]
    if resource.meta:
        out["meta"] = dict(resource.meta)
    if resource.notes:
        out["notes"] = list(resource.notes)
    return out
