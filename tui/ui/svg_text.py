"""Screenshots that read the same in every SVG viewer.

Textual's SVG export draws each run of same-styled cells as one ``<text>`` element placed at its
first cell, with spaces written as no-break spaces. Some renderers (librsvg, used by desktop
image viewers and many converters) draw the no-break spaces at the *start* of an element with
no width, so the text after them slides left onto its neighbour: "drop 0" and "  6/s" read
"drop 06/s", a time runs into the method beside it. Moving such an element's start past its
leading spaces gives every renderer the same picture, and changes nothing where it was right.
"""

from __future__ import annotations

import re

_TEXT = re.compile(
    r'<text (?P<before>[^>]*?)x="(?P<x>[0-9.]+)"(?P<middle>[^>]*?)'
    r'textLength="(?P<length>[0-9.]+)"(?P<after>[^>]*)>(?P<body>(?:&#160;)+)(?P<rest>[^<]*)</text>'
)
NBSP = "&#160;"


def _cells(body: str) -> int:
    """Cells in a text body as Textual writes it (entities count as one character)."""
    return len(re.sub(r"&#?\w+;", "_", body))


def _shifted(match: re.Match[str]) -> str:
    spaces = len(match["body"]) // len(NBSP)
    rest = match["rest"]
    if not rest:  # only spaces: nothing to slide
        return match[0]
    x, length = float(match["x"]), float(match["length"])
    cell = length / (spaces + _cells(rest))
    x += spaces * cell
    length -= spaces * cell
    return (
        f'<text {match["before"]}x="{x:g}"{match["middle"]}textLength="{length:g}"'
        f"{match['after']}>{rest}</text>"
    )


def portable_svg(svg: str) -> str:
    """The SVG with every text element starting at its first visible character."""
    return _TEXT.sub(_shifted, svg)
