"""A parsed :class:`~tui.core.resources.Resource` with every string in it clean.

The SBC, CUE and MWS parsers read names, values, ids, hrefs, error codes and params straight
from the device's answer. Each parser's result passes through :func:`clean_resource` (the
:func:`cleaned` decorator on ``parse_sbc``, ``parse_cue`` and ``parse_mws``), so the browser
table, its raw and JSON views, ``browse`` and the error tally never see a control, bidi or
surrogate character; what is replaced and why is :mod:`tui.core.sanitize`'s policy. Values keep
their line breaks and tabs (the table shows them as ``⏎``; an edit shows the value as it is).

Clean answers, the common case, are checked in one pass (every string of the resource joined and
checked at C speed) and returned as they are; only a resource holding something to replace is
rebuilt.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import ParamSpec

from tui.core.resources import AppError, Attribute, Item, Link, Resource
from tui.core.sanitize import clean_block, clean_line, is_clean

P = ParamSpec("P")


def cleaned(parse: Callable[P, Resource]) -> Callable[P, Resource]:
    """Decorates a parser: the Resource it returns is cleaned by :func:`clean_resource`."""

    @functools.wraps(parse)
    def parse_and_clean(*args: P.args, **kwargs: P.kwargs) -> Resource:
        return clean_resource(parse(*args, **kwargs))

    return parse_and_clean


def with_meta(resource: Resource, meta: tuple[tuple[str, str], ...]) -> Resource:
    """The resource with the response headers ``meta`` added, cleaned here (the parser cleaned
    the rest)."""
    if not meta:
        return resource
    headers = tuple((clean_line(name), clean_line(value)) for name, value in meta)
    return replace(resource, meta=resource.meta + headers)


def clean_resource(resource: Resource) -> Resource:
    """``resource`` itself when all its text is clean, else a copy with every string cleaned."""
    if is_clean("".join(_strings(resource))):
        return resource
    return _rebuilt(resource)


# -- the one-pass check ------------------------------------------------------------------------


def _link_strings(links: Iterable[Link], out: list[str]) -> None:
    for label, href in links:
        out.append(label)
        out.append(href)


def _error_strings(errors: Iterable[AppError], out: list[str]) -> None:
    for error in errors:
        out += (error.code, error.message, error.category, error.field)
        out.extend(error.params)
        _link_strings(error.links, out)


def _strings(resource: Resource) -> list[str]:
    out = [
        resource.name,
        resource.id,
        resource.href,
        resource.filter_category,
        resource.status_href,
        resource.problem,
    ]
    out.extend(resource.notes)
    for key, value in resource.meta:
        out.append(key)
        out.append(value)
    _link_strings(resource.children, out)
    _error_strings(resource.errors, out)
    for attribute in resource.attributes:
        out += (attribute.name, attribute.value, attribute.href, attribute.category)
        _link_strings(attribute.entries, out)
    names_seen: set[int] = set()
    for item in resource.items:  # up to tens of thousands: keep the loop lean
        _item_strings(item, out)
        if id(item.names) not in names_seen:  # names are shared between the items of a list
            names_seen.add(id(item.names))
            out.extend(item.names)
    return out


def _item_strings(item: Item, out: list[str]) -> None:
    """An item's strings but its names (shared between items: checked once per list)."""
    out.extend((item.id, item.href, item.name))
    out.extend(item.values)
    if item.links:
        out.extend([href for _, href in item.links])
    if item.entries:
        for _, links in item.entries:
            _link_strings(links, out)
    if item.errors:
        _error_strings(item.errors, out)


# -- the rebuild -------------------------------------------------------------------------------


def _texts(values: tuple[str, ...]) -> tuple[str, ...]:
    if is_clean("".join(values)):
        return values
    return tuple([v if v.isprintable() else clean_block(v) for v in values])  # most are clean


def _links(links: tuple[Link, ...]) -> tuple[Link, ...]:
    return tuple(Link(clean_block(label), clean_block(href)) for label, href in links)


def _errors(errors: tuple[AppError, ...]) -> tuple[AppError, ...]:
    return tuple(
        e._replace(
            code=clean_block(e.code),
            params=_texts(e.params),
            message=clean_block(e.message),
            category=clean_block(e.category),
            field=clean_block(e.field),
            links=_links(e.links),
        )
        for e in errors
    )


def _attribute(attribute: Attribute) -> Attribute:
    return attribute._replace(
        name=clean_block(attribute.name),
        value=clean_block(attribute.value),
        href=clean_block(attribute.href),
        category=clean_block(attribute.category),
        entries=_links(attribute.entries),
    )


def _item(item: Item, names: dict[int, tuple[str, ...]]) -> Item:
    shared = names.get(id(item.names))
    if shared is None:
        shared = names[id(item.names)] = _texts(item.names)
    if shared is item.names:
        own: list[str] = []
        _item_strings(item, own)
        if is_clean("".join(own)):
            return item  # a clean item in a list where others are not
    return item._replace(
        id=clean_block(item.id),
        href=clean_block(item.href),
        name=clean_block(item.name),
        names=shared,
        values=_texts(item.values),
        links=tuple((index, clean_block(href)) for index, href in item.links),
        entries=tuple((index, _links(links)) for index, links in item.entries),
        errors=_errors(item.errors),
    )


def _rebuilt(resource: Resource) -> Resource:
    names: dict[int, tuple[str, ...]] = {}
    return replace(
        resource,
        name=clean_block(resource.name),
        id=clean_block(resource.id),
        href=clean_block(resource.href),
        errors=_errors(resource.errors),
        attributes=tuple(_attribute(a) for a in resource.attributes),
        items=tuple(_item(item, names) for item in resource.items),
        filter_category=clean_block(resource.filter_category),
        status_href=clean_block(resource.status_href),
        meta=tuple((clean_block(k), clean_block(v)) for k, v in resource.meta),
        notes=_texts(resource.notes),
        problem=clean_block(resource.problem),
        children=_links(resource.children),
    )
