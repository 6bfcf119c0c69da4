"""The themes/ folder ships in the wheel: build it, install it in a fresh venv, list the themes."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_installed_wheel_finds_its_themes(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = wheels.glob("noc_console-*.whl")

    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    bin_dir = target / "bin"
    target_site = next((target / "lib").glob("python3.*/site-packages"))
    # The dependencies come from the test's own environment, without its editable noc-console:
    # paths listed in a .pth file are added as plain folders, so their own .pth hooks stay off.
    (target_site / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(bin_dir / "python"),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOC_", "PYTHON"))}
    result = subprocess.run(
        [str(bin_dir / "noc-console"), "themes"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert {"noc-dark", "noc-light", "noc-high-contrast"} <= set(lines)
    assert all("packaged" in line for line in lines.values())
    located = subprocess.run(
        [str(bin_dir / "python"), "-c", "import tui.paths; print(tui.paths.packaged_themes_dir())"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert located.startswith(str(target_site)), located
