"""Importing the vendor's SBC application error list (``noc-console catalog import sbc FILE``).

Ribbon publishes the full code list with its message templates; its file layout was not public,
so both formats are read loosely:

- CSV (comma, semicolon or tab): ``code,template`` rows, with or without a header row naming the
  columns (``code`` and one of ``template``, ``message``, ``text``, ``description``);
- XML: any element that has a code (attribute or child named ``code``, ``id``, ``errorCode``)
  and a template (attribute or child named ``template``, ``message``, ``text``,
  ``description``, ``msg``, or else its own text).

The result is written as a catalog file in the operator's catalog folder, where every later
decode reads it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.private_files import write_private
from tui.core.protocols.xml import Element, XmlRefused, local, local_name, parse_xml_text, text_of
from tui.core.sanitize import clean_line

MAX_IMPORT_BYTES = 32 * 1024 * 1024
MAX_TEMPLATE_CHARS = 2000
IMPORTED_FILE = "sbc-app-codes.imported.toml"
CODE_NAMES = ("code", "errorcode", "error_code", "id", "number")
TEMPLATE_NAMES = ("template", "message", "text", "description", "msg", "errormessage")


class ImportProblem(Exception):
    """The file cannot be imported at all (unreadable, empty, not CSV/XML, no codes)."""


@dataclass
class ImportResult:
    """Codes read from a vendor file, and the rows that were skipped (with why)."""

    fmt: str
    codes: dict[int, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    duplicates: int = 0

    def add(self, code_text: str, template: str, where: str) -> None:
        code_text = code_text.strip()
        template = clean_line(template, squeeze=True)
        if not code_text.isdigit() or len(code_text) > 9:
            self.skipped.append(f"{where}: code {code_text[:40]!r} is not a number")
            return
        if not template:
            self.skipped.append(f"{where}: code {code_text} has no template")
            return
        code = int(code_text)
        if code in self.codes:
            self.duplicates += 1
        self.codes[code] = template[:MAX_TEMPLATE_CHARS]


def _find(names: list[str], wanted: tuple[str, ...]) -> int | None:
    low = [n.strip().casefold() for n in names]
    for name in wanted:
        if name in low:
            return low.index(name)
    return None


def parse_csv(text: str) -> ImportResult:
    result = ImportResult("csv")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        return result
    delimiter = max((",", ";", "\t"), key=lines[0].count)
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    code_col, template_col, start = 0, 1, 0
    header = rows[0] if rows else []
    if header and not header[0].strip().isdigit():
        found_code, found_template = _find(header, CODE_NAMES), _find(header, TEMPLATE_NAMES)
        if found_code is None or found_template is None:
            raise ImportProblem(
                "the CSV header must name a code column and a template column "
                f"(found: {', '.join(h.strip() for h in header)[:200]})"
            )
        code_col, template_col, start = found_code, found_template, 1
    for number, row in enumerate(rows[start:], start + 1):
        if len(row) <= max(code_col, template_col):
            result.skipped.append(
                f"row {number}: fewer than {max(code_col, template_col) + 1} columns"
            )
            continue
        template = row[template_col]
        if template_col == len(header) - 1 or not header:  # unquoted commas in the last column
            template = delimiter.join(row[template_col:])
        result.add(row[code_col], template, f"row {number}")
    return result


def _value(element: Element, names: tuple[str, ...]) -> str | None:
    for key, value in element.attrib.items():
        if local_name(str(key)).casefold() in names:
            return str(value)
    for child in element:
        if local(child).casefold() in names:
            return text_of(child)
    return None


def parse_xml_list(text: str) -> ImportResult:
    try:
        root, _ = parse_xml_text(text, max_bytes=MAX_IMPORT_BYTES)
    except XmlRefused as refused:
        raise ImportProblem(str(refused)) from None
    result = ImportResult("xml")
    for number, element in enumerate(root.iter(), 1):
        if not local(element) or local(element).casefold() in CODE_NAMES + TEMPLATE_NAMES:
            continue
        code = _value(element, CODE_NAMES)
        if code is None:
            continue
        template = _value(element, TEMPLATE_NAMES)
        if template is None:
            own = (element.text or "").strip()
            template = own if own else None
        if template is None:
            result.skipped.append(
                f"element {number} <{local(element)}>: code {code} has no template"
            )
            continue
        result.add(code, template, f"element {number} <{local(element)}>")
    return result


def read_sbc_list(path: Path) -> ImportResult:
    """Read a vendor code list; raises :class:`ImportProblem` when nothing can be imported."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportProblem(f"larger than {MAX_IMPORT_BYTES // 2**20} MiB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportProblem("file not found") from None
    except IsADirectoryError:
        raise ImportProblem("is a directory, not a file") from None
    except OSError as exc:
        raise ImportProblem(f"cannot read: {exc.strerror or exc}") from None
    text = data.decode("utf-8-sig", "replace")
    if not text.strip():
        raise ImportProblem("the file is empty")
    result = parse_xml_list(text) if text.lstrip().startswith("<") else parse_csv(text)
    if not result.codes:
        why = f" ({result.skipped[0]})" if result.skipped else ""
        raise ImportProblem(f"no code with a template found in this {result.fmt.upper()} file{why}")
    return result


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # JSON string escapes are valid TOML


def write_imported(result: ImportResult, folder: Path, source_name: str) -> Path:
    """Write the imported codes where the decoders read them; replaces an earlier import."""
    lines = [
        f"# SBC application error codes imported from {source_name} by",
        "# `noc-console catalog import sbc`. Importing again replaces this file; put your own",
        "# corrections in another .toml file in this folder (those win over this one).",
        "",
        'catalog = "sbc-app-codes"',
        "",
    ]
    origin = _toml_string(f"imported from {source_name}")
    for code in sorted(result.codes):
        lines += [
            "[[codes]]",
            f"code = {code}",
            f"template = {_toml_string(result.codes[code])}",
            f"source = {origin}",
            "",
        ]
    return write_private(folder / IMPORTED_FILE, "\n".join(lines))
