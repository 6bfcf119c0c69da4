"""tui/core stays pure: no Textual, no network library, checked statically and at import."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import tui.core

BANNED = {"textual", "httpx", "httpcore", "uvicorn", "aiohttp", "starlette", "requests", "anyio"}
CORE_DIR = Path(tui.core.__file__).parent


def banned_imports(path: Path) -> list[str]:
    """Absolute imports of banned packages in one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return [name for name in names if name.split(".")[0] in BANNED]


def test_scanner_flags_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom textual.app import App\nimport httpx as h\n")
    assert banned_imports(bad) == ["textual.app", "httpx"]


def test_no_banned_import_statements_in_core() -> None:
    files = list(CORE_DIR.rglob("*.py"))
    assert len(files) >= 3
    offenders = {str(p.relative_to(CORE_DIR)): banned_imports(p) for p in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_core_loads_no_banned_module() -> None:
    modules = ["tui.core"] + [
        info.name for info in pkgutil.walk_packages([str(CORE_DIR)], prefix="tui.core.")
    ]
    assert "tui.core.sources" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"banned = {sorted(BANNED)!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in banned)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []
