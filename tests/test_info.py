"""``servant info``: which database and config file are in use and why, and what they hold.

Through the real CLI, against files under tmp_path; a database that is not there is
never created by asking about it.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime
from pathlib import Path

import pytest

from helpers import ok
from servant_cli.dates import format_day
from servant_cli.store import SCHEMA_VERSION

PEOPLE = (
    ("add", "Ada", "--birthday", "1985-12-10", "--date", "Shop opening=2015-06-01"),
    ("add", "Grace", "--birthday", "Dec 9"),
    ("log", "Ada", "card", "A card", "--on", "2025-12-10"),
    ("log", "Grace", "call", "--on", "2025-12-09"),
    ("idea", "Ada", "A slide rule"),
)


def lines(out: str) -> dict[str, str]:
    """The report's lines by their label: {"Database": "/…/servant.db (given by SERVANT_DB)", …}."""
    found = {}
    for line in out.splitlines():
        label, value = re.split(r"  +", line, maxsplit=1)
        found[label] = value
    return found


def test_info_names_the_database_the_config_file_and_what_the_database_holds(servant, database_from, tmp_path):
    database = database_from(*PEOPLE)
    out = ok(servant("info"))
    assert out == (
        f"Database     {database} (given by SERVANT_DB)\n"
        f"Config file  {tmp_path / 'config' / 'config.toml'} (none: every setting has its default)\n"
        "Dates        month first (03/14/1985), the default\n"
        f"Schema       {SCHEMA_VERSION}\n"
        "Holds        2 people, 3 key dates, 2 gestures, 1 gift idea\n"
        "Last backup  no backup recorded\n"
    )


def test_info_json_says_the_same(servant, database_from, tmp_path):
    database = database_from(*PEOPLE)
    assert json.loads(ok(servant("info", "--json"))) == {
        "database": {
            "path": str(database),
            "chosen_by": "SERVANT_DB",
            "exists": True,
            "schema_version": SCHEMA_VERSION,
            "people": 2,
            "dates": 3,
            "gestures": 2,
            "ideas": 1,
            "last_backup": None,
        },
        "config": {"path": str(tmp_path / "config" / "config.toml"), "exists": False},
        "date_order": {"value": "mdy", "chosen_by": "default"},
    }


def test_a_backup_is_recorded_and_info_says_when_and_where(servant, database_from, tmp_path):
    database_from(*PEOPLE)
    copy = tmp_path / "copy.db"
    ok(servant("backup", str(copy)))
    report = json.loads(ok(servant("info", "--json")))["database"]["last_backup"]
    assert report["file"] == str(copy)
    taken = datetime.fromisoformat(report["at"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", report["at"])
    assert abs((datetime.now(taken.tzinfo) - taken).total_seconds()) < 60
    local = taken.astimezone()
    assert lines(ok(servant("info")))["Last backup"] == f"{format_day(local.date())} {local:%H:%M} to {copy}"
    # The copy is the database as it was before the backup was recorded.
    ok(servant("restore", str(copy), "--yes"))
    assert "no backup recorded" in ok(servant("info"))


@pytest.mark.parametrize("how", ["--db", "SERVANT_DB", "config", "default"])
def test_info_says_why_this_database_and_creates_none(servant, write_config, tmp_path, monkeypatch, how):
    wanted = tmp_path / "elsewhere" / "people.db"
    args: list[str] = []
    if how == "--db":
        args = ["--db", str(wanted)]
    elif how == "SERVANT_DB":
        monkeypatch.setenv("SERVANT_DB", str(wanted))
    else:
        monkeypatch.delenv("SERVANT_DB")
        if how == "config":
            write_config(f'db = "{wanted}"\n')
        else:
            wanted = tmp_path / "home" / ".local" / "share" / "servant" / "servant.db"
    before = sorted(tmp_path.rglob("*"))
    result = servant(*args, "info")
    why = {
        "--db": "given by --db",
        "SERVANT_DB": "given by SERVANT_DB",
        "config": f"given by db in {tmp_path / 'config' / 'config.toml'}",
        "default": "the default place",
    }[how]
    assert lines(ok(result)) == {
        "Database": f"{wanted} ({why}): none yet; 'servant add' or 'servant import' creates it",
        "Config file": f"{tmp_path / 'config' / 'config.toml'} "
        + ("(found)" if how == "config" else "(none: every setting has its default)"),
        "Dates": "month first (03/14/1985), the default",
    }
    assert sorted(tmp_path.rglob("*")) == before, "nothing was created"
    report = json.loads(ok(servant(*args, "info", "--json")))["database"]
    assert report == {
        "path": str(wanted),
        "chosen_by": how,
        "exists": False,
        "schema_version": None,
        "people": None,
        "dates": None,
        "gestures": None,
        "ideas": None,
        "last_backup": None,
    }
    assert sorted(tmp_path.rglob("*")) == before, "nothing was created"


def test_an_empty_file_is_not_made_into_a_database(servant, db_path):
    db_path.touch()
    assert "none yet" in lines(ok(servant("info")))["Database"]
    assert db_path.read_bytes() == b""
    assert sorted(os.listdir(db_path.parent)) == [db_path.name]


@pytest.mark.parametrize(
    ("config", "env", "dates"),
    [
        ("", {"LC_TIME": "en_GB.UTF-8"}, "day first (14/03/1985), from LC_TIME=en_GB.UTF-8"),
        ("", {"LANG": "ja_JP.UTF-8"}, "year first (1985/03/14), from LANG=ja_JP.UTF-8"),
        ('date_order = "mdy"\n', {"LC_ALL": "de_DE.UTF-8"}, "month first (03/14/1985), from date_order in {config}"),
    ],
)
def test_info_says_how_numeric_dates_are_read_and_what_chose_it(servant, write_config, config, env, dates):
    path = write_config(config)
    out = lines(ok(servant("info", env=env)))
    assert out["Dates"] == dates.format(config=path)
    assert out["Config file"] == f"{path} (found)"


def test_info_of_something_that_is_not_a_database_is_one_line(servant, db_path):
    db_path.write_text("not a database\n", encoding="utf-8")
    result = servant("info")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {db_path} is not a servant database (not SQLite); it was left untouched\n"
    assert db_path.read_text(encoding="utf-8") == "not a database\n"


def test_info_is_in_the_list_of_commands(servant):
    assert re.search(r"^  info +Which database and config file servant uses", ok(servant("--help")), flags=re.M)


def test_a_database_from_an_older_servant_is_reported_at_the_current_schema(servant, db_path):
    import sqlite3

    data = Path(__file__).parent / "data" / "schema-v5.sql"
    conn = sqlite3.connect(db_path)
    conn.executescript(data.read_text(encoding="utf-8"))
    conn.close()
    report = json.loads(ok(servant("info", "--json")))["database"]
    assert report["schema_version"] == SCHEMA_VERSION
    assert report["last_backup"] is None
