from __future__ import annotations

import tomllib
from pathlib import Path

from tests.fixtures import config_text
from tui.config.writer import save_setting


def test_creates_file_and_table(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "config.toml"
    save_setting(path, "ui", "theme", "noc-light")
    assert tomllib.loads(path.read_text()) == {"ui": {"theme": "noc-light"}}


def test_keeps_comments_and_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(config_text("commented.toml"))
    path.chmod(0o600)
    save_setting(path, "ui", "theme", "noc-high-contrast")
    text = path.read_text()
    assert "# my NOC" in text
    assert "# firewall hole" in text
    data = tomllib.loads(text)
    assert data["ui"] == {"theme": "noc-high-contrast", "clock_utc": False}
    assert data["hooks"] == {"port": 9000}
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary left


def test_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text("[ui]\n")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_setting(link, "ui", "theme", "noc-light")
    assert link.is_symlink()
    assert tomllib.loads(real.read_text())["ui"]["theme"] == "noc-light"
