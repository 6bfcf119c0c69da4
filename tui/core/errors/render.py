"""An inspection as plain text lines (``noc-console decode`` without ``--json``)."""

from __future__ import annotations

from tui.core.errors.result import Decoded, Inspection, Item

INDENT = "  "


def _item_lines(item: Item, depth: int, out: list[str]) -> None:
    text = f"{item.label}: {item.value}" if item.value else item.label
    if item.label == "•":
        text = f"• {item.value}"
    out.append(INDENT * depth + text)
    for child in item.children:
        _item_lines(child, depth + 1, out)


def reading_lines(reading: Decoded, depth: int = 1) -> list[str]:
    out: list[str] = []
    for item in reading.items:
        _item_lines(item, depth, out)
    return out


def inspection_lines(inspection: Inspection) -> list[str]:
    """Summary first, then the tree of the best reading, then the other readings."""
    if not inspection.recognised:
        return [inspection.summary]
    lines = [f"[{inspection.kind}] {inspection.summary}"]
    best = inspection.readings[0]
    if inspection.ambiguous:
        for reading in inspection.readings:
            lines.append(f"{INDENT}reading [{reading.kind}]: {reading.summary}")
            lines.extend(reading_lines(reading, 2))
        return lines
    lines.extend(reading_lines(best))
    others = inspection.readings[1:]
    if others:
        lines.append(f"{INDENT}less likely readings:")
        lines.extend(f"{INDENT * 2}[{r.kind}] {r.summary}" for r in others)
    return lines
