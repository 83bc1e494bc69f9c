"""Text another program wrote into the database, in any column of any table, never
reaches the terminal as a control: every text value is cleaned as it is read
(``store.rows.prepare``), so no view can forget one.

The columns are read from the schema itself, so a column added later is written
hostile here too.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from helpers import dump, ok

FROM = "2026-11-20"
#: An OSC title, a screen clear, a right-to-left override, a C1 CSI, NUL, CR, a line
#: separator, a tab, and a line break that would start a forged line.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202e\x9b31m\x00\r\u2028\tX\nINJECTED"
#: Columns parsed as ISO days (``date.fromisoformat``): text there is another fault
#: (an unreadable date), not text to show, so they keep their value.
PARSED = {("gesture", "on_date"), ("gesture", "for_date"), ("idea", "used")}
#: Columns whose CHECK lets no other text in.
CHECKED = {("family", "relation")}
#: Every control character but the line break; C1; the line separators; bidi controls.
TERMINAL_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: The same in a file format, whose tab and line ends are its own.
FILE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: Rich's own colour codes (with FORCE_COLOR), the only escapes servant writes itself.
SGR = re.compile(r"\x1b\[[0-9;]*m")

VIEWS = [
    ["show", "#1", "--from", FROM],
    ["show", "#2", "--from", FROM],
    ["show", "#1", "--json"],
    ["list"],
    ["list", "--json"],
    ["upcoming", "--from", FROM],
    ["upcoming", "--from", FROM, "--json"],
    ["upcoming", "--from", FROM, "--csv"],
    ["gestures"],
    ["gestures", "--json"],
    ["digest", "--from", FROM, "--always"],
    ["find", "Ada"],
    ["find", "Ada", "--json"],
    ["ideas"],
    ["overdue", "--from", "2027-06-01"],
    ["info"],
]


def text_columns(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(table, column) for every TEXT column of servant's tables (not SQLite's or the
    migration records')."""
    tables = [
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if not name.startswith(("sqlite_", "_sqlite"))
    ]
    return [
        (table, row[1])
        for table in tables
        for row in conn.execute(f'PRAGMA table_info("{table}")')
        if row[2].upper() == "TEXT"
    ]


@pytest.fixture
def hostile(servant, db_path: Path, tmp_path: Path) -> list[tuple[str, str]]:
    """Two people with every kind of record, then every text column written hostile."""
    for args in (
        (
            *("add", "Ada Hostile", "--birthday", "1990-11-22", "--date", "Shop=2015-11-23", "--tag", "vip"),
            *("--company", "Acme", "--position", "Boss", "--email", "ada@example.org", "--phone", "+1 555 0100"),
            *("--note", "hello", "--every", "30", "--nickname", "Addy"),
        ),
        ("add", "Bo Child", "--child-of", "Ada", "--birthday", "2010-11-24"),
        ("date", "Ada", "anniversary", "2001-11-25", "--plan", "card", "--lead", "10"),
        ("log", "Ada", "gift", "book", "--cost", "12 EUR", "--on", "2026-11-19", "--for", "birthday"),
        ("idea", "Ada", "scarf"),
        ("backup", str(tmp_path / "copy.db")),
    ):
        ok(servant(*args))
    conn = sqlite3.connect(db_path)
    written = []
    with conn:
        conn.execute(
            "INSERT INTO published VALUES ('https://dav.example/cal/', 'u1', '/cal/u1.ics', '\"e\"', 'h', 'Sum', "
            "'2026-01-01T00:00:00Z')"
        )
        conn.execute("""INSERT INTO import_memory VALUES (1, 'vcard', '{"company": ["Acme", true]}')""")
        conn.execute(
            "INSERT INTO relation_text (person_id, kind, label, name, name_key)"
            " VALUES (1, 'other', 'brother', 'Tom', 'tom')"
        )
        for table, column in text_columns(conn):
            if (table, column) in PARSED | CHECKED or (table, column) == ("meta", "key"):
                continue
            if table == "meta":
                # The values servant shows (the last backup); the others are its own
                # numbers and ids, read as such.
                conn.execute("UPDATE meta SET value = value || ? WHERE key LIKE 'last_backup%'", (HOSTILE,))
            elif column == "tags":
                conn.execute("UPDATE person SET tags = ?", (json.dumps(["vip" + HOSTILE]),))
            elif (table, column) == ("import_memory", "fields"):
                conn.execute(
                    "UPDATE import_memory SET fields = ?", (json.dumps({"company": ["Acme" + HOSTILE, True]}),)
                )
            else:
                conn.execute(f'UPDATE "{table}" SET "{column}" = "{column}" || ?', (HOSTILE,))
            written.append((table, column))
    conn.close()
    return written


def test_every_text_column_is_covered(hostile: list[tuple[str, str]]) -> None:
    assert {("person", "name"), ("person", "notes"), ("gesture", "cost"), ("occasion", "label")} <= set(hostile)
    assert len(hostile) >= 30


@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1", "COLUMNS": "200"}], ids=["plain", "force-color"])
def test_a_hostile_value_in_any_column_reaches_no_terminal(servant, hostile, args: list[str], env: dict) -> None:
    result = servant(*args, env=env)
    out = ok(result)
    assert not TERMINAL_CONTROL.findall(SGR.sub("", out)), out
    if "--json" not in args:
        # A one-line value stays on its line (a note's own lines are shown indented).
        assert not [line for line in SGR.sub("", out).splitlines() if line.startswith("INJECTED")], out


def test_a_gestures_cost_written_by_another_program_is_shown_harmlessly(servant, hostile) -> None:
    out = ok(servant("show", "#1", "--from", FROM))
    [line] = [line for line in out.splitlines() if "12 EUR" in line]
    assert "(12 EUR\ufffd]0;pwned\ufffd\ufffd[2J\ufffd\ufffd31m\ufffd\ufffd\ufffd X INJECTED)" in line


@pytest.mark.parametrize("args", [["export", "csv"], ["export", "vcard"], ["export", "ics"]], ids=" ".join)
def test_a_hostile_value_in_any_column_reaches_no_exported_file(servant, hostile, args: list[str]) -> None:
    result = servant(*args)
    assert result.exit_code == 0, result.stderr
    data = result.stdout_bytes.decode()
    assert "Ada" in data
    assert not FILE_CONTROL.findall(data), data


def test_text_that_is_not_utf8_in_the_database_is_shown_not_an_error(servant, db_path: Path) -> None:
    ok(servant("add", "Ada", "--birthday", "1990-11-22"))
    ok(servant("log", "Ada", "gift", "book", "--cost", "12 EUR", "--on", "2026-11-19"))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE gesture SET cost = CAST(X'3132ff4555' AS TEXT)")
        conn.execute("UPDATE person SET company = CAST(X'c0ff' AS TEXT)")
    conn.close()
    out = ok(servant("show", "Ada", "--from", FROM))
    assert "(12\ufffdEU)" in out
    assert "Company  \ufffd\ufffd" in out


def test_a_line_written_into_a_stored_time_never_reaches_the_calendar(servant, db_path: Path) -> None:
    ok(servant("add", "Ada", "--birthday", "1990-11-22"))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE occasion SET updated = '2026-01-01T00:00:00Z' || char(13, 10) || 'X-INJECTED:1'")
        conn.execute("UPDATE person SET updated = 'soon' || char(10) || 'ATTACH:http://evil.example/'")
    conn.close()
    calendar = ok(servant("export", "ics"))
    assert "X-INJECTED" not in calendar and "ATTACH" not in calendar
    assert "DTSTAMP:19700101T000000Z\n" in calendar


def test_a_database_id_servant_did_not_make_is_refused_before_it_reaches_a_uid(servant, db_path: Path) -> None:
    ok(servant("add", "Ada", "--birthday", "1990-11-22"))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE meta SET value = 'abc' || char(13, 10) || 'X-INJECTED:1' WHERE key = 'db_id'")
    conn.close()
    result = servant("export", "ics")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {db_path} has a database id servant did not make ('abc\\nX-INJECTED:1'); it was left as it was\n"
    )


def test_a_line_separator_in_a_note_is_a_new_line_and_a_reimport_changes_nothing(servant, db_path, tmp_path) -> None:
    card = tmp_path / "sep.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nNOTE:line one\u2028line two\u2029line three\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    ok(servant("import", str(card), "-q"))
    assert json.loads(ok(servant("show", "Ann", "--json")))["notes"] == "line one\nline two\nline three"
    before = dump(db_path)
    assert (
        ok(servant("import", str(card), "-q"))
        == "Imported sep.vcf (vCard): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
    )
    assert dump(db_path) == before
    ok(servant("add", "Nia", "--note", "a\u2028b"))
    assert json.loads(ok(servant("show", "Nia", "--json")))["notes"] == "a\nb"
