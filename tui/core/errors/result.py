"""The one structured result every decoder returns, and the inspection that holds them.

A :class:`Decoded` is one *reading* of the input: its kind (``icws``, ``sbc``, ``sip``…), a
one-line summary, a tree of :class:`Item` for the screen, and the kind-specific fields the
headless JSON carries. An :class:`Inspection` is what auto-detection made of one text: zero
readings (not recognised, with the reason), one, or several equally good ones (ambiguous).

Decoders put remote text (an errorId, a SIP header, an XML attribute) straight into these; the
model cleans it as it is built (:mod:`tui.core.sanitize`): an item's label and value and a
reading's summary are single clean lines, its fields clean JSON values, so the tree, the text
lines and the JSON of an inspection never carry a control or bidi character.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from tui.core.sanitize import clean_block, clean_line, clean_value, is_clean

Tone = Literal["plain", "good", "info", "warn", "bad", "muted", "code"]

# How sure a reading is; readings are ordered by this, and ties at the top make the input
# ambiguous.
SHAPE = 3  # the input has this system's own structure (an XML status block, a JSON error body)
KNOWN = 2  # a bare value that the catalog knows for this system
PLAUSIBLE = 1  # a bare value that fits this system's format but is not in the catalog
CONFIDENCE = {SHAPE: "shape", KNOWN: "known", PLAUSIBLE: "plausible"}

MAX_SHOWN_CHARS = 2_000
"""An item's value is cut here (with a note of how much was cut)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the decoded tree: ``label: value``, with optional children."""

    label: str
    value: str = ""
    tone: Tone = "plain"
    children: tuple[Item, ...] = ()
    expanded: bool = True

    def __post_init__(self) -> None:
        if not is_clean(self.label, line=True):
            object.__setattr__(self, "label", clean_line(self.label))
        if len(self.value) > MAX_SHOWN_CHARS or not is_clean(self.value, line=True):
            object.__setattr__(self, "value", clean_line(self.value, MAX_SHOWN_CHARS, say_cut=True))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label}
        if self.value:
            out["value"] = self.value
        if self.children:
            out["children"] = [child.to_json() for child in self.children]
        return out


def branch(label: str, children: list[Item] | tuple[Item, ...], **kw: Any) -> Item:
    """An item whose content is its children."""
    return Item(label, children=tuple(children), **kw)


@dataclass(frozen=True, slots=True)
class Decoded:
    """One reading of the input by one decoder."""

    kind: str  # icws | sbc | cue | mws | sip | wcs | http | enum
    summary: str
    items: tuple[Item, ...] = ()
    fields: dict[str, Any] = field(default_factory=dict)
    confidence: int = SHAPE
    tone: Tone = "bad"

    def __post_init__(self) -> None:
        if not is_clean(self.summary, line=True):
            object.__setattr__(self, "summary", clean_line(self.summary))
        object.__setattr__(self, "fields", clean_value(self.fields))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "summary": self.summary, **self.fields}


@dataclass(frozen=True, slots=True)
class Inspection:
    """What auto-detection made of one text."""

    text: str
    readings: tuple[Decoded, ...] = ()
    problem: str = ""  # why nothing matched, or why the input was refused
    origin: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", clean_block(self.text))
        if not is_clean(self.problem, line=True):
            object.__setattr__(self, "problem", clean_line(self.problem))

    @property
    def recognised(self) -> bool:
        return bool(self.readings)

    @property
    def primary(self) -> Decoded | None:
        return self.readings[0] if self.readings else None

    @property
    def ambiguous(self) -> bool:
        """True when more than one reading is as good as the best one."""
        return len(self.readings) > 1 and (
            self.readings[1].confidence == self.readings[0].confidence
        )

    @property
    def kind(self) -> str:
        return self.readings[0].kind if self.readings else "unknown"

    @property
    def summary(self) -> str:
        if not self.readings:
            return f"not recognised: {self.problem}"
        if self.ambiguous:
            top = [r for r in self.readings if r.confidence == self.readings[0].confidence]
            return f"ambiguous: {len(top)} readings — " + " | ".join(r.summary for r in top)
        return self.readings[0].summary

    def to_json(self) -> dict[str, Any]:
        """The ``noc-console decode --json`` document."""
        if not self.readings:
            return {"kind": "unknown", "summary": self.summary, "problem": self.problem}
        out = self.readings[0].to_json()
        if self.ambiguous:
            out["summary"] = self.summary
            out["ambiguous"] = True
        if len(self.readings) > 1:
            out["readings"] = [
                {"kind": r.kind, "summary": r.summary, "confidence": CONFIDENCE[r.confidence]}
                for r in self.readings
            ]
        out["tree"] = [item.to_json() for item in self.readings[0].items]
        return out
