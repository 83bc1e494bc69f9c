"""Helpers shared by the tests (the fixtures are in conftest.py): ``from helpers import ok``."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from typer.testing import Result

ANSI = re.compile(r"\x1b\[[0-9;]*m")

#: The people of the calendar tests (publish, export --vdir), ids 1-4 in this order, and
#: their six dates: Bob has three, the last a one-off.
CALENDAR_PEOPLE = (
    (
        "add",
        "Ada Lovelace",
        "--birthday",
        "1815-12-10",
        "--tag",
        "vip",
        "--tag",
        "math, science",
        "--note",
        "Likes poetry",
    ),
    ("add", "Leap Day", "--birthday", "1988-02-29", "--tag", "team"),
    ("add", "Bob Stone", "--anniversary", "--06-20", "--date", "Shop opening=2015-06-01", "--company", "Stone & Co"),
    ("add", "Zoë Ñúñez 🎂", "--birthday", "Mar 3", "--tag", "team"),
    ("date", "Bob", "custom", "2026-12-24", "--label", "Launch party", "--lead", "10", "--plan", "card", "--once"),
)


def ok(result: Result, stderr: str = "") -> str:
    """The stdout of a command that must succeed, with exactly ``stderr`` on stderr
    (nothing, unless a caller says which note it expects)."""
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert result.stderr == stderr, f"stderr: {result.stderr!r}, not {stderr!r}"
    return result.stdout


def isolate(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Point the database, the config dir and HOME at ``folder``: nothing touches real files."""
    monkeypatch.setenv("SERVANT_DB", str(folder / "servant.db"))
    monkeypatch.setenv("SERVANT_CONFIG_DIR", str(folder / "config"))
    monkeypatch.setenv("HOME", str(folder / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(folder / "home" / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / "home" / ".config"))
    # No locale either: date_order follows LC_ALL, LC_TIME and LANG (a test that needs one sets it).
    for name in ("SERVANT_DEBUG", "NO_COLOR", "COLUMNS", "LC_ALL", "LC_TIME", "LANG"):
        monkeypatch.delenv(name, raising=False)
    # Nor the user's own servers: a test sets the mail and CalDAV settings it uses.
    for name in [name for name in os.environ if name.startswith(("SERVANT_SMTP_", "SERVANT_DAV_"))]:
        monkeypatch.delenv(name)


def dump(path: Path) -> list[tuple]:
    """Every row of every servant table, to check that a failed command wrote nothing."""
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    try:
        tables = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
        # A table WITHOUT ROWID is read in the order of its primary key.
        order = {name: "" if "WITHOUT ROWID" in sql.upper() else " ORDER BY rowid" for name, sql in tables}
        return [(table, *row) for table in order for row in conn.execute(f'SELECT * FROM "{table}"{order[table]}')]
    finally:
        conn.close()


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


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key, made in
    ``folder`` with openssl (the test is skipped without it)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def people(servant) -> dict[str, dict]:
    """Everyone as `servant show --json` has them, by name."""
    found = {}
    for person in json.loads(ok(servant("list", "--json"))):
        found[person["name"]] = json.loads(ok(servant("show", f"#{person['id']}", "--json", "--from", "2026-11-22")))
    return found


def temp_trigger(monkeypatch: pytest.MonkeyPatch, database: Path, trigger: str) -> None:
    """Create the TEMP trigger ``trigger`` (``CREATE TEMP TRIGGER … ON main.table …``) on
    every connection opened to ``database`` from now on: a write that fails half-way
    (``RAISE(ABORT, …)``). A trigger in the file itself is a schema servant did not
    make, refused before anything is written; a TEMP one lives in the connection."""
    connect = sqlite3.connect

    def connect_with_trigger(target, *args, **kwargs):
        conn = connect(target, *args, **kwargs)
        if str(target) == str(database):
            conn.execute(trigger)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect_with_trigger)
