"""Writes the operator's choices (the theme, the feed's columns) back into the config file,
keeping its comments."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import tomlkit
from tomlkit.items import Table


def save_setting(path: Path, table: str, key: str, value: str | list[str]) -> None:
    """Set ``[table] key = value`` in the TOML file at ``path``, creating file and table if needed.

    The write is atomic (temporary file + rename), so a crash never leaves half a config.
    """
    path = path.resolve()
    document = (
        tomlkit.parse(path.read_text(encoding="utf-8")) if path.is_file() else tomlkit.document()
    )
    section = document.get(table)
    if not isinstance(section, Table):
        section = tomlkit.table()
        document[table] = section
    section[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(tomlkit.dumps(document))
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
