"""Shared fixtures. Every test runs against its own files under tmp_path."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from servant_cli.cli import app


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the database, the config dir and HOME at tmp_path: no test touches real files."""
    monkeypatch.setenv("SERVANT_DB", str(tmp_path / "servant.db"))
    monkeypatch.setenv("SERVANT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    for name in ("SERVANT_DEBUG", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "servant.db"


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write config.toml in the test's config dir."""

    def write(text: str) -> Path:
        folder = tmp_path / "config"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "config.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def servant(runner: CliRunner) -> Callable[..., Result]:
    """Run the real CLI in-process: servant("upcoming", "--from", "2026-11-22")."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env=env)

    return run


def dump(path: Path) -> list[tuple]:
    """Every row of every servant table, to check that a failed command wrote nothing."""
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return [(table, *row) for table in tables for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]
    finally:
        conn.close()


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def check_upcoming_table(screen: str, today_name: str, later: str) -> list[str]:
    """Assert the terminal look of ``servant upcoming``: a titled table, today's row bold,
    a row more than a week away not highlighted. Returns the lines without escape codes."""
    lines = screen.splitlines()
    plain = [ANSI.sub("", line) for line in lines]
    assert plain[0].strip().startswith("Coming up: ")
    assert re.findall(r"\w+", plain[2]) == ["When", "Date", "Who", "Occasion"]
    today = next(line for line in lines if "Today" in line)
    assert re.search(r"\x1b\[1[;m]", today), "today's row is bold"
    assert today_name in today
    far = next(line for line in lines if later in line)
    assert "\x1b" not in far, "a row more than a week away is not highlighted"
    return plain
