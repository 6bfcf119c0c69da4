"""One reading of a CUE error document, shared by the browser's parser and the inspector.

CUE's error schema is not public; what comes back is read loosely: element and attribute names
match case-insensitively and without namespace. Some documents carry two code/message pairs (the
operation's outcome, then the low-level cause). The FIRST pair is the error; every later one,
and everything else, is detail, in the order sent (a repeated name gets `` 2``, `` 3``…).
"""

from __future__ import annotations

from tui.core.protocols.xml import Element, local, local_name, text_of

ROOT_NAMES = frozenset({"error", "errors", "errordetails", "errorresponse", "fault", "exception"})
CODE_NAMES = frozenset({"code", "errorcode", "error_code", "id", "errorid"})
MESSAGE_NAMES = frozenset(
    {"message", "errormessage", "error_message", "description", "reason", "text"}
)
FIELD_NAMES = frozenset({"field", "property"})
MAX_DETAILS = 50


def is_error_name(name: str) -> bool:
    """An element that is an error (``error``, ``errorResponse``, ``cueError``…)."""
    lowered = name.casefold()
    return lowered in ROOT_NAMES or lowered.endswith("error")


class ErrorRecord:
    """One error: its primary code and message, the field it concerns, and the rest as detail.

    Fed one name/value at a time (the browser's parser streams the root's children)."""

    def __init__(self) -> None:
        self.code = ""
        self.message = ""
        self.field = ""
        self.details: list[tuple[str, str]] = []
        self.details_hidden = 0
        self._names: dict[str, int] = {}  # how often each name came, the primary pair's too

    def add(self, name: str, value: str) -> None:
        lowered = name.casefold()
        count = self._names.get(lowered, 0) + 1
        self._names[lowered] = count
        if lowered in CODE_NAMES and not self.code:
            self.code = value
        elif lowered in MESSAGE_NAMES and not self.message:
            self.message = value
        elif lowered in FIELD_NAMES and not self.field:
            self.field = value
        elif len(self.details) < MAX_DETAILS:
            self.details.append((f"{name} {count}" if count > 1 else name, value))
        else:
            self.details_hidden += 1

    def add_attributes(self, element: Element) -> None:
        for name, value in element.attrib.items():
            self.add(local_name(str(name)), str(value))

    def add_child(self, child: Element) -> None:
        name = local(child)
        if name:
            self.add(name, text_of(child))

    def finish(self, element: Element | None = None) -> ErrorRecord:
        """Done: an error with neither code nor message takes the element's own text."""
        if element is not None and not (self.code or self.message):
            self.message = (element.text or "").strip()
        return self

    @property
    def empty(self) -> bool:
        return not (self.code or self.message or self.details or self.field)

    @classmethod
    def of(cls, element: Element) -> ErrorRecord:
        record = cls()
        record.add_attributes(element)
        for child in element:
            record.add_child(child)
        return record.finish(element)


def error_children(root: Element) -> list[Element] | None:
    """The errors of a list of errors (``<errors><error/>…``); None when the root is the error."""
    named = [child for child in root if local(child)]
    if named and all(is_error_name(local(child)) for child in named):
        return named
    return None
