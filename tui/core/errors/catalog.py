"""The catalogs the decoders read: TOML data files beside this module, extendable by the operator.

Load order (a later entry with the same key wins): the packaged files in ``catalogs/``, then the
operator's catalog folder (``~/.config/noc-console/catalogs``: files ending ``.imported.toml``
first — what ``noc-console catalog import`` writes — then the hand-written ones), then any
folders named in the config's ``[errors] catalog_dirs``. Each file says what it holds with a
top-level ``catalog = "<kind>"``. A bad file or entry is skipped and reported, never fatal.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.errors import entries as E

PACKAGED_DIR = Path(__file__).resolve().parent / "catalogs"
MAX_CATALOG_BYTES = 16 * 1024 * 1024
IMPORTED_SUFFIX = ".imported.toml"


@dataclass
class Catalogs:
    """Everything the decoders know, by system."""

    icws_ids: dict[str, E.IcwsErrorId] = field(default_factory=dict)
    icws_codes: dict[int, E.IcwsErrorCode] = field(default_factory=dict)
    icws_enums: dict[str, E.EnumDef] = field(default_factory=dict)
    sbc_codes: dict[int, E.SbcCode] = field(default_factory=dict)
    sip: dict[int, E.SipStatus] = field(default_factory=dict)
    sip_classes: dict[int, str] = field(default_factory=dict)
    sip_warnings: dict[int, str] = field(default_factory=dict)
    q850: dict[int, str] = field(default_factory=dict)
    http: dict[int, E.HttpStatus] = field(default_factory=dict)
    wcs_info: dict[str, E.WcsInfo] = field(default_factory=dict)  # key: text, case-folded
    wcs_types: dict[str, E.WcsMethodType] = field(default_factory=dict)
    wcs_notes: dict[str, str] = field(default_factory=dict)
    files: list[CatalogFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def enum(self, name: str) -> E.EnumDef | None:
        """An enumeration by its SDK name (``licenses:licenseStatus``), URN or short name."""
        key = name.strip().rstrip(":").removeprefix("urn:inin.com:").casefold()
        for enum in self.icws_enums.values():
            if key in (enum.name.casefold(), enum.short_name.casefold()):
                return enum
        return None

    def wcs_type_of(self, method: str) -> E.WcsMethodType | None:
        for kind in self.wcs_types.values():
            if method in kind.methods:
                return kind
        return None


@dataclass(frozen=True)
class CatalogFile:
    """One file that was loaded: where it came from and how many entries it gave."""

    path: Path
    kind: str
    origin: str  # packaged | user | imported | config
    entries: int


Loader = Callable[[Catalogs, dict[str, Any], str], int]


def _load_table(
    catalogs: Catalogs,
    data: dict[str, Any],
    origin: str,
    key: str,
    build: Callable[[dict[str, Any], str], Any],
    store: Callable[[Any], None],
) -> int:
    rows = data.get(key, [])
    if not isinstance(rows, list):
        raise E.EntryError(f"'{key}' must be an array of tables ([[{key}]])")
    count = 0
    for index, row in enumerate(rows, 1):
        try:
            if not isinstance(row, dict):
                raise E.EntryError("not a table")
            store(build(row, origin))
            count += 1
        except E.EntryError as exc:
            catalogs.problems.append(f"{origin}: [[{key}]] entry {index}: {exc}")
    return count


def _icws_ids(c: Catalogs, data: dict[str, Any], origin: str) -> int:
    return _load_table(
        c, data, origin, "ids", E.IcwsErrorId.build, lambda e: c.icws_ids.__setitem__(e.id, e)
    )


def _icws_codes(c: Catalogs, data: dict[str, Any], origin: str) -> int:
    return _load_table(
        c,
        data,
        origin,
        "codes",
        E.IcwsErrorCode.build,
        lambda e: c.icws_codes.__setitem__(e.code, e),
    )


def _icws_enums(c: Catalogs, data: dict[str, Any], origin: str) -> int:
    return _load_table(
        c, data, origin, "enums", E.EnumDef.build, lambda e: c.icws_enums.__setitem__(e.name, e)
    )


def _sbc_codes(c: Catalogs, data: dict[str, Any], origin: str) -> int:
    return _load_table(
        c, data, origin, "codes", E.SbcCode.build, lambda e: c.sbc_codes.__setitem__(e.code, e)
    )


def _sip(c: Catalogs, data: dict[str, Any], origin: str) -> int:
    c.sip_classes.update(E.int_keyed(data.get("classes", {}), "classes"))
    c.sip_warnings.update(E.int_keyed(data.get("warnings", {}), "warnings"))
    return _load_table(
        c, data, origin, "codes", E.SipStatus.build, lambda e: c.sip.__setitem__(e.code, e)
    )


def _q850(c: Catalogs, data: dict[str, Any], origin: str) -> int:
    causes = E.int_keyed(data.get("causes", {}), "causes")
    c.q850.update(causes)
    return len(causes)


def _http(c: Catalogs, data: dict[str, Any], origin: str) -> int:
    def store(entry: E.HttpStatus) -> None:
        old = c.http.get(entry.code)
        if old is not None:  # an operator's entry adds systems to the packaged one
            entry = entry.merged_over(old)
        c.http[entry.code] = entry

    return _load_table(c, data, origin, "statuses", E.HttpStatus.build, store)


def _wcs(c: Catalogs, data: dict[str, Any], origin: str) -> int:
    types = data.get("types", {})
    if not isinstance(types, dict):
        raise E.EntryError("'types' must be a table")
    for key, row in types.items():
        try:
            c.wcs_types[key] = E.WcsMethodType.build(key, row)
        except E.EntryError as exc:
            c.problems.append(f"{origin}: [types.{key}]: {exc}")
    notes = data.get("notes", {})
    if isinstance(notes, dict):
        c.wcs_notes.update({str(k): str(v) for k, v in notes.items()})
    count = _load_table(
        c,
        data,
        origin,
        "info",
        E.WcsInfo.build,
        lambda e: c.wcs_info.__setitem__(e.text.casefold(), e),
    )
    return count + len(types)


LOADERS: dict[str, Loader] = {
    "icws-error-ids": _icws_ids,
    "icws-error-codes": _icws_codes,
    "icws-enums": _icws_enums,
    "sbc-app-codes": _sbc_codes,
    "sip-statuses": _sip,
    "q850-causes": _q850,
    "http-statuses": _http,
    "wcs": _wcs,
}


def _catalog_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.glob("*.toml") if p.is_file())
    imported = [p for p in files if p.name.endswith(IMPORTED_SUFFIX)]
    return imported + [p for p in files if p not in imported]


def load_file(catalogs: Catalogs, path: Path, origin: str) -> None:
    """Add one catalog file; every problem is recorded in ``catalogs.problems``."""
    where = f"{path}"
    try:
        if path.stat().st_size > MAX_CATALOG_BYTES:
            catalogs.problems.append(f"{where}: larger than {MAX_CATALOG_BYTES // 2**20} MiB")
            return
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        catalogs.problems.append(f"{where}: cannot read: {exc}")
        return
    except tomllib.TOMLDecodeError as exc:
        catalogs.problems.append(f"{where}: not valid TOML: {exc}")
        return
    kind = data.get("catalog")
    loader = LOADERS.get(kind) if isinstance(kind, str) else None
    if loader is None or not isinstance(kind, str):
        known = ", ".join(sorted(LOADERS))
        catalogs.problems.append(f'{where}: needs catalog = "<kind>" at the top; kinds: {known}')
        return
    label = "packaged" if origin == "packaged" else f"{origin}: {path.name}"
    try:
        count = loader(catalogs, data, label)
    except E.EntryError as exc:
        catalogs.problems.append(f"{where}: {exc}")
        return
    catalogs.files.append(CatalogFile(path, kind, origin, count))


def load_catalogs(user_dir: Path | None = None, extra_dirs: Iterable[Path] = ()) -> Catalogs:
    """Packaged catalogs, then the operator's folder, then extra folders from the config."""
    catalogs = Catalogs()
    for path in _catalog_files(PACKAGED_DIR):
        load_file(catalogs, path, "packaged")
    if user_dir is not None:
        for path in _catalog_files(user_dir):
            origin = "imported" if path.name.endswith(IMPORTED_SUFFIX) else "user"
            load_file(catalogs, path, origin)
    for folder in extra_dirs:
        if not folder.is_dir():
            catalogs.problems.append(f"{folder}: catalog folder not found")
            continue
        for path in _catalog_files(folder):
            load_file(catalogs, path, "config")
    return catalogs


def packaged_only() -> Catalogs:
    """The packaged catalogs alone (tests, snapshots)."""
    return load_catalogs(None, ())


def describe(catalogs: Catalogs) -> Sequence[str]:
    """One line per loaded file, for ``noc-console catalog list``."""
    return [f"{f.kind:<17} {f.entries:>5}  {f.origin:<8}  {f.path}" for f in catalogs.files]
