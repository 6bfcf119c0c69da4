"""How much of a big answer the resource model keeps, and what it says about the rest.

A body can be up to ``max_body_mb`` (32 MB by default). The browser shows one row per list entry
or per attribute; nobody reads 100,000 rows of 20 columns, but an operator looking for one entry
needs to find it, and needs to be told when something was left out. So the parsers keep:

- every entry of a list up to :data:`MAX_ITEMS`, each with its id and link (about 250 bytes of
  model per entry), so the list is complete and searchable; more are counted in a note;
- the fields of the first :data:`MAX_DETAILED_ITEMS` entries of a ``details=true`` list (the
  table is built for 10,000 rows of 20 columns); later entries keep their id and link, and one
  keypress opens any of them with all its fields;
- at most :data:`MAX_ATTRIBUTES` attributes of one resource and :data:`MAX_ENTRIES` entries in
  its attribute lists (a real SBC resource has a few hundred at most);
- at most :data:`MAX_CATEGORY_CODES` ``app_code_*`` errors of one element and
  :data:`MAX_APP_ERRORS` ``app_status_entry`` errors of one answer.

Whatever is left out is counted, and a note on the resource says how much and why.
The limits are module attributes so that a test can lower them.
"""

from __future__ import annotations

MAX_ITEMS = 100_000
MAX_DETAILED_ITEMS = 10_000
MAX_ATTRIBUTES = 10_000
MAX_ENTRIES = 10_000
MAX_CATEGORY_CODES = 16
MAX_APP_ERRORS = 1_000
MAX_NOTED_NAMES = 10  # names listed in a note ("ignored elements: <a>, <b> and 3 more")


def items_not_shown(hidden: int, total: int) -> str:
    return (
        f"{hidden:,} more entries not shown: the console keeps the first {MAX_ITEMS:,} of the "
        f"{total:,} (narrow the request to see the others)"
    )


def fields_not_kept(links_only: int) -> str:
    return (
        f"fields kept for the first {MAX_DETAILED_ITEMS:,} entries; the other {links_only:,} "
        "show their id and link only (open one to see its fields)"
    )


def attributes_not_shown(hidden: int) -> str:
    return (
        f"{hidden:,} more attributes not shown: the console keeps the first "
        f"{MAX_ATTRIBUTES:,} of a resource"
    )


def entries_not_shown(hidden: int) -> str:
    return (
        f"{hidden:,} more attribute-list entries not shown: the console keeps the first "
        f"{MAX_ENTRIES:,} of a resource"
    )


def codes_not_read(hidden: int) -> str:
    return (
        f"{hidden:,} more app_code_* attributes not read: the console reads the first "
        f"{MAX_CATEGORY_CODES:,} of an element"
    )


def errors_not_shown(hidden: int) -> str:
    return f"{hidden:,} more application errors not shown (the first {MAX_APP_ERRORS:,} are)"


def some_names(names: list[str], total: int) -> str:
    """``<a>, <b> and 3 more``: the first few of a list of element names."""
    shown = ", ".join(f"<{name}>" for name in names[:MAX_NOTED_NAMES])
    more = total - min(len(names), MAX_NOTED_NAMES)
    return f"{shown} and {more:,} more" if more > 0 else shown
