"""A browsed resource's application errors, read in the error catalogs.

An SBC answers a code and params, never the text (docs/protocols.md §3.5). The parser keeps them
as sent; :func:`explain_errors` gives every error of a resource (the status block's, each
category's, each list entry's) the message and links of :func:`~tui.core.errors.sbc.read_app_code`
— the same reading the inspector and the errors-seen counts use, over the same catalogs (the
packaged ones, the operator's imports, ``[errors] catalog_dirs``). The browser and
``noc-console browse`` show a resource only after it went through here.
"""

from __future__ import annotations

from dataclasses import replace

from tui.core.errors.catalog import Catalogs
from tui.core.errors.sbc import read_app_code
from tui.core.resources import AppError, Link, Resource
from tui.core.targets import KINDS


def explain_error(error: AppError, catalogs: Catalogs) -> AppError:
    """One SBC app error with the catalog's message and the resources its params name."""
    reading = read_app_code(catalogs, error.code, list(error.params))
    links = tuple(Link(label, path) for label, path in reading.links)
    return error._replace(message=reading.message, links=links)


def explain_errors(resource: Resource, catalogs: Catalogs) -> Resource:
    """``resource`` with its app errors explained (unchanged for kinds whose errors carry text)."""
    spec = KINDS.get(resource.kind)
    if spec is None or not spec.app_codes:
        return resource
    if not resource.errors and not any(item.errors for item in resource.items):
        return resource
    errors = tuple(explain_error(e, catalogs) for e in resource.errors)
    items = resource.items
    if any(item.errors for item in items):
        items = tuple(
            item._replace(errors=tuple(explain_error(e, catalogs) for e in item.errors))
            if item.errors
            else item
            for item in items
        )
    return replace(resource, errors=errors, items=items)
