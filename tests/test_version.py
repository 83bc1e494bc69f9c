"""The version servant names itself by (a calendar's PRODID) is pyproject.toml's."""

from __future__ import annotations

import tomllib
from pathlib import Path

import servant_cli
from helpers import ok

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_package_version_is_pyprojects_and_an_exported_calendar_names_it(servant) -> None:
    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    assert servant_cli.__version__ == declared
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-12-10"))
    text = ok(servant("export", "ics", "--quiet", "--from", "2026-11-22"))
    assert f"PRODID:-//servant//servant {declared}//EN" in text.splitlines()
