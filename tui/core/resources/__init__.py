"""The SBC, CUE and MWS resource trees: one model, and what the browser does with it.

:mod:`~tui.core.resources.model` is the model every answer becomes (its names are re-exported
here); ``parse`` turns a body into it, ``paths`` moves between locations of a tree, ``hints``
says what to try after a failure, ``writes`` builds write requests, ``history`` keeps
back/forward, ``limits`` bounds what a big answer keeps and ``clean`` makes its text safe.
"""

from tui.core.resources.model import (
    CATEGORIES,
    CONFIGURATION,
    INVENTORY,
    NO_ENTRIES,
    NO_ERRORS,
    NO_LINKS,
    RUNTIME,
    RUNTIME_PREFIX,
    STATISTICS,
    AppError,
    Attribute,
    Item,
    Kind,
    Link,
    Resource,
    Shape,
    attribute_category,
    attribute_to_json,
    error_to_json,
    label_from,
    resource_to_json,
    split_params,
    unknown_code_message,
    unreadable,
)

__all__ = [
    "CATEGORIES",
    "CONFIGURATION",
    "INVENTORY",
    "NO_ENTRIES",
    "NO_ERRORS",
    "NO_LINKS",
    "RUNTIME",
    "RUNTIME_PREFIX",
    "STATISTICS",
    "AppError",
    "Attribute",
    "Item",
    "Kind",
    "Link",
    "Resource",
    "Shape",
    "attribute_category",
    "attribute_to_json",
    "error_to_json",
    "label_from",
    "resource_to_json",
    "split_params",
    "unknown_code_message",
    "unreadable",
]
