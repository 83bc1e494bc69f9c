"""Hardening: writers at the same moment, edits that are all or nothing, hostile input.

servant holds data people build up over years, and runs from cron while they use it
by hand. These tests use real processes where it matters (several writers at once),
real SQLite files under tmp_path, and the CLI as a user runs it.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as count_as
from hypothesis import strategies as st

from helpers import dump, ok, temp_trigger

FROM = "2026-11-28"  # a Saturday; every date below is placed around it


def refused_in_one_line(result, code: int = 2) -> str:
    """The error of a refused command: one ``Error:`` line, the exit code, no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exc_info is not None and result.exc_info[0] is SystemExit, "handled, not an uncaught exception"
    return result.stderr


def query(path: Path, sql: str, *params: object) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def write(path: Path, sql: str, *params: object) -> None:
    """Change the database behind servant's back, as another tool or an old import might."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


# -- several writers at the same moment ----------------------------------------------------

# Each waits for the "go" file after its imports, so that all start writing together.
WORKER = """
import json, sys, time
from pathlib import Path
from servant_cli.store import NewOccasion, Store

folder, worker = Path(sys.argv[1]), int(sys.argv[2])
store = Store.open(Path(sys.argv[3]))
store.db  # sqlite-utils is imported on the first write: before the start, not after
(folder / f"ready-{worker}").touch()
while not (folder / "go").exists():
    time.sleep(0.001)
stamps = []
for n in range(25):  # 25 transactions, as 25 separate commands would make
    store.add_person(f"Worker {worker} #{n:02d}", tags=["load"], occasions=[NewOccasion("birthday", 11, 28, 1990)])
    stamps.append(time.time())
    if n == 4 and worker == 0:
        (folder / "writing").touch()  # the readers start once the writes are under way
    time.sleep(0.004)
store.close()
print(json.dumps([stamps[0], stamps[-1]]))
"""

# The real command line (servant's entry point), started when the file named by its
# third argument appears.
COMMAND = """
import sys, time
from pathlib import Path
from servant_cli.cli import main

folder, name, start_on = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
(folder / f"ready-{name}").touch()
while not (folder / start_on).exists():
    time.sleep(0.001)
start = time.time()
sys.argv = ["servant", *sys.argv[4:]]
try:
    main()
finally:
    (folder / f"ran-{name}").write_text(f"{start} {time.time()}")
"""


def test_four_writers_at_once_lose_nothing_and_readers_still_succeed(servant, db_path, tmp_path) -> None:
    for name in ("Seed One", "Seed Two", "Seed Three"):
        ok(servant("add", name, "--birthday", "1980-11-29"))
    folder = tmp_path / "run"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "SERVANT_DEBUG")}
    calendar = tmp_path / "during.ics"
    commands = {
        "add-1": ["go", "add", "Cli One", "--birthday", "Nov 28", "--tag", "load"],
        "add-2": ["go", "add", "Cli Two", "--birthday", "Nov 28", "--tag", "load"],
        "add-3": ["go", "add", "Cli Three", "--birthday", "Nov 28", "--tag", "load"],
        "export": ["writing", "export", "ics", "-o", str(calendar)],
        "digest": ["writing", "digest", "--from", FROM, "--always"],
    }
    processes = {
        f"worker-{n}": subprocess.Popen(
            [sys.executable, "-c", WORKER, str(folder), str(n), str(db_path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    }
    for name, args in commands.items():
        processes[name] = subprocess.Popen(
            [sys.executable, "-c", COMMAND, str(folder), name, *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    ready = [f"ready-{n}" for n in range(4)] + [f"ready-{name}" for name in commands]
    deadline = time.monotonic() + 30
    while not all((folder / name).exists() for name in ready):
        assert time.monotonic() < deadline, "not every process got ready"
        time.sleep(0.005)
    (folder / "go").touch()
    outputs = {name: process.communicate(timeout=60) for name, process in processes.items()}

    for name, process in processes.items():
        out, err = outputs[name]
        assert (process.returncode, err) == (0, ""), (name, out, err)
    windows = [json.loads(outputs[f"worker-{n}"][0]) for n in range(4)]
    writes_from, writes_to = min(w[0] for w in windows), max(w[1] for w in windows)
    for name in ("export", "digest"):
        started, _ = map(float, (folder / f"ran-{name}").read_text().split())
        assert writes_from < started < writes_to, f"{name} did not run during the writes"

    people = json.loads(ok(servant("list", "--json")))
    names = [p["name"] for p in people]
    expected = {f"Worker {w} #{n:02d}" for w in range(4) for n in range(25)}
    assert len(names) == len(set(names)) == 3 + 100 + 3
    assert expected | {"Cli One", "Cli Two", "Cli Three"} <= set(names)
    assert query(db_path, "PRAGMA integrity_check") == [("ok",)]
    # Each person has their one birthday: no write was half done.
    assert query(db_path, "SELECT count(*) FROM occasion") == [(len(names),)]
    # The export taken during the writes is a whole calendar of the moment it read.
    events = icalendar.Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")
    assert 3 <= len(events) <= len(names)
    assert len({str(event["UID"]) for event in events}) == len(events)
    assert outputs["digest"][0].startswith("servant digest for Sat 28 Nov 2026\n")


# -- an edit is one transaction ------------------------------------------------------------

# A TEMP trigger on each connection (helpers.temp_trigger): one in the file is refused.
FAIL_ON_ANNIVERSARY = (
    "CREATE TEMP TRIGGER fail_half_way BEFORE INSERT ON main.occasion WHEN NEW.kind = 'anniversary'"
    " BEGIN SELECT RAISE(ABORT, 'the disk went away'); END"
)


@pytest.mark.parametrize(
    "args",
    [
        # New name and tag, birthday replaced (an UPDATE), then the anniversary's INSERT fails.
        ["edit", "Ada", "--name", "Ada King", "--birthday", "1816-01-02", "--anniversary", "1835-07-08", "--tag", "t"],
        ["edit", "Ada", "--drop", "client-since", "--anniversary", "1835-07-08", "--untag", "vip"],
        ["add", "Bob", "--birthday", "1990-01-01", "--anniversary", "2015-06-01", "--tag", "new"],
    ],
    ids=["edit", "edit-drop", "add"],
)
def test_a_change_that_fails_half_way_leaves_everything_as_it_was(
    servant, db_path, monkeypatch, args: list[str]
) -> None:
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-12-10", "--client-since", "2019-03-01", "--tag", "vip"))
    before = dump(db_path)
    temp_trigger(monkeypatch, db_path, FAIL_ON_ANNIVERSARY)
    result = servant(*args)
    assert refused_in_one_line(result, 1) == (
        "Error: the database could not be used: the disk went away; nothing was changed\n"
    )
    assert result.stdout == ""
    assert dump(db_path) == before


# -- hostile and odd input, one by one -----------------------------------------------------

LONG = "x" * 5000

REFUSED = [
    pytest.param(["add", "Ada\x00"], "NAME: 'Ada\\x00' must be one line of text without control characters", id="nul"),
    pytest.param(["add", "Ada\r\nBob"], "NAME: 'Ada\\r\\nBob' must be one line", id="crlf-name"),
    pytest.param(["add", "Ada\rBob"], "NAME: 'Ada\\rBob' must be one line", id="cr-name"),
    pytest.param(["add", "Ada\x1b]0;pwned\x07"], "NAME: 'Ada\\x1b]0;pwned\\x07' must be one line", id="osc-name"),
    pytest.param(["add", "Ada\x9b31m"], "NAME: 'Ada\\x9b31m' must be one line", id="c1-csi-name"),
    pytest.param(["add", LONG], "NAME: at most 200 characters (got 5000)", id="5000-name"),
    pytest.param(["add", "X", "--tag", LONG], "--tag: at most 200 characters (got 5000)", id="5000-tag"),
    pytest.param(["add", "X", "--note", "a\rb"], "--note: 'a\\rb' has control characters", id="cr-in-note"),
    pytest.param(["add", "X", "--company", "Co\x1b[2J"], "--company: 'Co\\x1b[2J' must be one line", id="esc-company"),
    pytest.param(["add", "X", "--birthday", "0000-00-00"], "--birthday: '0000-00-00' is not a date", id="0000-00-00"),
    pytest.param(
        ["add", "X", "--birthday", "99999-01-01"],
        "--birthday: '99999-01-01' is not a date: the year must be 1 to 9999",
        id="year-99999",
    ),
    pytest.param(
        ["add", "X", "--birthday", "1900-02-29"],
        "--birthday: '1900-02-29' is not a date: 1900 is not a leap year",
        id="1900-02-29",
    ),
    pytest.param(
        ["add", "X", "--anniversary", "1" * 5000],
        "--anniversary: '1111111111",
        id="5000-date",
    ),
    pytest.param(
        ["add", "X", "--date", "Robert'); DROP TABLE person;--=2020-01-01x"],
        "--date Robert'); DROP TABLE person;--: '2020-01-01x' is not a date",
        id="sql-label-bad-date",
    ),
    pytest.param(
        ["upcoming", "--days", str(10**30)], f"--days: {10**30} is out of range; use 0 to 3660", id="days-10**30"
    ),
    pytest.param(
        ["digest", "--days", str(-(10**30))], f"--days: {-(10**30)} is out of range; use 0 to 3660", id="digest-days"
    ),
    pytest.param(["add", "X", "--every", str(10**30)], f"--every: {10**30} is out of range; use 1 to 3660", id="every"),
    pytest.param(
        ["date", "Ada", "birthday", "Mar 1", "--lead", str(10**30)],
        f"--lead: {10**30} is out of range; use 0 to 365",
        id="lead",
    ),
    pytest.param(
        ["export", "ics", "--years", str(10**30)], f"--years: {10**30} is out of range; use 1 to 30", id="years"
    ),
    pytest.param(
        ["upcoming", "--from", "99999-01-01"],
        "--from: '99999-01-01' is not a date: the year must be 1 to 9999",
        id="from-99999",
    ),
    pytest.param(["upcoming", "--days", "1e3"], "--days: '1e3' is not a whole number", id="days-float"),
]


@pytest.mark.parametrize(("args", "message"), REFUSED)
def test_hostile_input_is_refused_in_one_line_and_nothing_is_written(
    servant, db_path, args: list[str], message: str
) -> None:
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-12-10"))
    before = dump(db_path)
    error = refused_in_one_line(servant(*args))
    assert error.startswith(f"Error: {message}"), error
    assert dump(db_path) == before


ODD_NAMES = [
    pytest.param("مريم الأحمد", id="arabic-rtl"),
    pytest.param("שרה לוי", id="hebrew-rtl"),
    pytest.param("Zoë 🎂👩‍👩‍👧 Núñez", id="emoji-zwj"),
    pytest.param("山田 太郎", id="cjk"),
    pytest.param("Robert'); DROP TABLE person;--", id="sql"),
    pytest.param('=HYPERLINK("http://evil.example","click")', id="formula-equals"),
    pytest.param("+1 555 0100", id="formula-plus"),
    pytest.param("-Dash", id="formula-minus"),
    pytest.param("@SUM(A1:A9)", id="formula-at"),
    pytest.param("[bold red]Eve[/] %s {0} ${HOME} $(rm -rf ~)", id="markup-and-format"),
    pytest.param("Eve;X-INJECTED:1,BEGIN:VEVENT\\n", id="ics-syntax"),
    pytest.param("y" * 200, id="200-chars"),
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_names_are_stored_exactly_and_shown_harmlessly_everywhere(servant, db_path, tmp_path, name: str) -> None:
    ok(servant("add", "--birthday", "1990-11-28", "--tag", name, "--note", f"About {name}\nsecond line", "--", name))
    assert [p["name"] for p in json.loads(ok(servant("list", "--json")))] == [name]
    assert query(db_path, "SELECT count(*) FROM person") == [(1,)]  # the SQL was data, not SQL
    check_shown_harmlessly(servant, tmp_path, name)


def check_shown_harmlessly(servant, tmp_path: Path, name: str) -> None:
    """Every view of the database succeeds and carries no control sequence; the calendar
    has one event per date and nothing else; the CSV cannot run a formula."""
    for args in (
        ["list"],
        ["show", "#1", "--from", FROM],
        ["upcoming", "--from", FROM, "--days", "366"],
        ["digest", "--from", FROM, "--always"],
    ):
        for env in ({}, {"FORCE_COLOR": "1", "COLUMNS": "120"}):
            out = ok(servant(*args, env=env))
            assert_no_terminal_control(out)
    ics = tmp_path / "out.ics"
    ok(servant("export", "ics", "-o", str(ics)))
    check_calendar(ics.read_bytes(), dates=1, name=name)
    rows = list(csv.DictReader(io.StringIO(ok(servant("upcoming", "--from", FROM, "--days", "0", "--csv")))))
    assert len(rows) == 1
    for cell in rows[0].values():
        assert not cell.startswith(("=", "+", "-", "@")), cell
    shown = "'" + name if name.startswith(("=", "+", "-", "@")) else name
    shown = shown.replace(";--", ";'--")  # a spreadsheet that splits at ';' would start a cell there
    assert (rows[0]["person"], rows[0]["tags"]) == (shown, shown)


SGR = re.compile(r"\x1b\[[0-9;]*m")
TERMINAL_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def assert_no_terminal_control(out: str) -> None:
    """No control character but the line break, once Rich's own colour codes are removed."""
    found = TERMINAL_CONTROL.findall(SGR.sub("", out))
    assert not found, (found, out)


#: What servant writes in a VEVENT (and its VALARM): anything else would be injected.
EVENT_PROPERTIES = {
    "UID",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "RRULE",
    "SUMMARY",
    "DESCRIPTION",
    "CATEGORIES",
    "TRANSP",
    "SEQUENCE",
    "LAST-MODIFIED",
}


def check_calendar(data: bytes, dates: int, name: str | None = None) -> None:
    text = data.decode("utf-8")
    lines = text.split("\r\n")
    assert lines[-1] == "" and all(len(line.encode()) <= 75 for line in lines), "folded at 75 octets"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == dates
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == dates
    assert len(calendar.walk("VCALENDAR")) == 1
    for event in events:
        assert set(event.keys()) <= EVENT_PROPERTIES, set(event.keys()) - EVENT_PROPERTIES
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(event.keys())
        assert [alarm.name for alarm in event.subcomponents] in ([], ["VALARM"])
        for alarm in event.subcomponents:
            assert set(alarm.keys()) == {"ACTION", "TRIGGER", "DESCRIPTION"}
        if name is not None and name.isprintable():
            assert str(event["SUMMARY"]).startswith(name)


# -- stored escape sequences never reach the terminal ---------------------------------------

STORED_CONTROL = {
    "name": "Eve\x1b]0;pwned\x07 \x1b[2J \x9b31m\r\nX",
    "company": "Co\x1b[31mRed\x9b0m",
    "notes": "note\x1b]8;;http://evil.example\x07link\x1b]8;;\x07\r\nEND:VEVENT\r\nBEGIN:VEVENT",
    "tags": json.dumps(["t\x1b[2J", "u\x9b31m"]),
}


@pytest.fixture
def poisoned(database_from, db_path) -> Path:
    """One person whose every text field carries escape sequences, written straight into
    the SQLite file (as an import from elsewhere or another tool could)."""
    database_from(("add", "Eve", "--birthday", "1990-11-28", "--date", "Shop=2015-11-28", "--tag", "t"))
    write(
        db_path,
        "UPDATE person SET name = ?, company = ?, notes = ?, tags = ?",
        *STORED_CONTROL.values(),
    )
    write(db_path, "UPDATE occasion SET label = ? WHERE kind = 'custom'", "Shop\x1b[2J\x07\r\nSUMMARY:pwned")
    return db_path


@pytest.mark.parametrize(
    "args",
    [
        ["upcoming", "--from", FROM],
        ["upcoming", "--from", FROM, "--days", "0"],
        ["list"],
        ["show", "#1", "--from", FROM],
        ["digest", "--from", FROM],
        ["digest", "--from", FROM, "--days", "30"],
    ],
    ids=lambda args: " ".join(a for a in args if a.isprintable()),
)
@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1", "COLUMNS": "120"}], ids=["plain", "force-color"])
def test_escape_sequences_stored_in_the_database_never_reach_the_terminal(
    servant, poisoned, args: list[str], env: dict[str, str]
) -> None:
    result = servant(*args, env=env)
    out = ok(result)
    assert "Eve" in out
    assert_no_terminal_control(out + result.stderr)
    for sequence in ("\x1b]0;", "\x1b[2J", "\x9b31m", "\x07", "\x1b]8;"):
        assert sequence not in out


def test_a_calendar_of_poisoned_text_has_one_event_per_date_and_nothing_injected(servant, poisoned, tmp_path) -> None:
    ics = tmp_path / "out.ics"
    ok(servant("export", "ics", "-o", str(ics)))
    check_calendar(ics.read_bytes(), dates=2)
    data = ics.read_bytes()
    assert b"\x1b" not in data and b"\x07" not in data and "\x9b".encode() not in data
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert all(str(event["SUMMARY"]).startswith("Eve") for event in events)
    assert not any(str(event["SUMMARY"]) == "pwned" for event in events)
    ok(servant("export", "ics", "--years", "3", "-o", str(ics), "--from", FROM))
    check_calendar(ics.read_bytes(), dates=6)


def test_csv_of_poisoned_text_still_neutralises_formulas(servant, db_path) -> None:
    ok(servant("add", "Eve", "--birthday", "1990-11-28"))
    write(db_path, "UPDATE person SET name = ?, tags = ?", '=cmd|"/c calc"!A1', json.dumps(["+1", "@x", "-y"]))
    [row] = list(csv.DictReader(io.StringIO(ok(servant("upcoming", "--from", FROM, "--days", "0", "--csv")))))
    assert row["person"] == '\'=cmd|"/c calc"!A1'
    assert row["tags"] == "'+1;'@x;'-y"


@pytest.fixture
def someone(database_from) -> None:
    database_from(("add", "Ada Lovelace", "--birthday", "1815-12-10"))


# -- hostile input, generated ---------------------------------------------------------------

HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
CONTROL_HEAVY = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\x00", "\x07", "\x1b", "\x9b", "\r", "\n", "\t", "\u202e", "\u200b", "=", "+", "-", "@"]),
    ),
    max_size=60,
)


def _stored_or_refused(servant, db_path: Path, args: list[str]) -> bool:
    """Run a command that writes: it succeeds, or is refused in one line with nothing
    written. True when it was stored."""
    before = dump(db_path)
    result = servant(*args)
    count_as("stored" if result.exit_code == 0 else "refused")  # seen with --hypothesis-show-statistics
    if result.exit_code == 0:
        assert result.stderr in ("",) or result.stderr.startswith("Note: "), result.stderr
        assert_no_terminal_control(result.stdout)
        return True
    refused_in_one_line(result)
    assert dump(db_path) == before
    return False


@HYPOTHESIS
@given(name=CONTROL_HEAVY, note=CONTROL_HEAVY)
def test_any_name_and_note_is_stored_exactly_or_refused_and_exports_one_event(
    servant, db_path, tmp_path, name: str, note: str
) -> None:
    db_path.unlink(missing_ok=True)
    ics = tmp_path / "h.ics"
    args = ["add", "--birthday", "1990-11-28", "--note", note, "--", name]
    if not _stored_or_refused(servant, db_path, args):
        return
    [person] = json.loads(ok(servant("list", "--json")))
    # Stored as typed, but NFC and its spaces (any Unicode space) as one, as check_name says.
    assert person["name"] == " ".join(unicodedata.normalize("NFC", name).split())
    for args in (["show", "#1", "--from", FROM], ["upcoming", "--from", FROM, "--days", "0"], ["list"]):
        assert_no_terminal_control(ok(servant(*args, env={"FORCE_COLOR": "1"})))
    ok(servant("export", "ics", "-o", str(ics)))
    check_calendar(ics.read_bytes(), dates=1)


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _written(day: datetime.date) -> st.SearchStrategy[tuple[str, tuple[int, int, int | None]]]:
    """A real day in each form servant accepts, with what must be stored."""
    y, m, d = day.year, day.month, day.day
    return st.sampled_from(
        [
            (f"{y:04d}-{m:02d}-{d:02d}", (m, d, y)),
            (f"--{m:02d}-{d:02d}", (m, d, None)),
            (f"{MONTHS[m - 1]} {d}", (m, d, None)),
            (f"{d} {MONTHS[m - 1]} {y:04d}", (m, d, y)),
            (f"{m:02d}/{d:02d}/{y:04d}", (m, d, y)),
        ]
    )


REAL_DAYS = st.dates(min_value=datetime.date(1000, 1, 1)).flatmap(_written)
DATES = st.one_of(
    st.from_regex(r"\A-?[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}\Z"),
    st.from_regex(r"\A--?[0-9]{1,3}-[0-9]{1,3}\Z"),
    st.from_regex(r"\A[0-9]{1,3}/[0-9]{1,3}(/[0-9]{1,6})?\Z"),
    st.from_regex(r"\A(Feb|February|Mar|Sept|Dec|Foo) [0-9]{1,3}( [0-9]{1,6})?\Z"),
    st.text(max_size=20),
)


@HYPOTHESIS
@given(birthday=DATES)
def test_any_date_is_a_real_day_stored_or_refused_in_one_line(servant, db_path, birthday: str) -> None:
    db_path.unlink(missing_ok=True)
    if not _stored_or_refused(servant, db_path, ["add", "X", "--birthday", birthday]):
        return
    [occasion] = json.loads(ok(servant("show", "X", "--json", "--from", FROM)))["dates"]
    month, day, year = query(db_path, "SELECT month, day, year FROM occasion")[0]
    datetime.date(year or 2000, month, day)  # a day that exists
    assert occasion["kind"] == "birthday"
    ok(servant("upcoming", "--from", FROM, "--days", "3660"))
    ok(servant("digest", "--from", FROM, "--always"))


@HYPOTHESIS
@given(written=REAL_DAYS)
def test_any_real_day_in_any_accepted_form_is_stored_as_that_day(
    servant, db_path, written: tuple[str, tuple[int, int, int | None]]
) -> None:
    text, stored = written
    db_path.unlink(missing_ok=True)
    ok(servant("add", "X", "--birthday", text))
    assert query(db_path, "SELECT month, day, year FROM occasion") == [stored]
    ok(servant("upcoming", "--from", FROM, "--days", "366"))


@HYPOTHESIS
@given(days=st.one_of(st.integers(min_value=-(10**40), max_value=10**40), st.integers(-5, 4000)))
def test_any_number_of_days_is_used_or_refused_in_one_line(servant, someone, days: int) -> None:
    result = servant("upcoming", "--from", FROM, "--days", str(days))
    if 0 <= days <= 3660:
        ok(result)
    else:
        assert refused_in_one_line(result) == f"Error: --days: {days} is out of range; use 0 to 3660\n"


# -- the config file that holds the SMTP password -------------------------------------------


@pytest.mark.parametrize(
    ("text", "mode", "warned"),
    [
        ('[smtp]\nhost = "smtp.example.com"\nuser = "ada"\npassword = "s3cret"\n', 0o644, True),
        ('[smtp]\nhost = "smtp.example.com"\nuser = "ada"\npassword = "s3cret"\n', 0o640, True),
        ('[smtp]\nhost = "smtp.example.com"\nuser = "ada"\npassword = "s3cret"\n', 0o604, True),
        ('[smtp]\nhost = "smtp.example.com"\nuser = "ada"\npassword = "s3cret"\n', 0o600, False),
        ('[smtp]\nhost = "smtp.example.com"\nuser = "ada"\n', 0o644, False),  # no password in it
        ("lead_days = 3\n", 0o644, False),
    ],
    ids=["world-readable", "group-readable", "others-readable", "private", "no-password", "no-smtp"],
)
def test_a_config_file_others_can_read_that_holds_the_smtp_password_gets_a_note(
    servant, someone, write_config, text: str, mode: int, warned: bool
) -> None:
    path = write_config(text)
    path.chmod(mode)
    result = servant("upcoming", "--from", FROM)
    assert result.exit_code == 0
    assert result.stdout == "in 12 days  Thu 10 Dec 2026  Ada Lovelace  Birthday — turns 211\n"  # not held up
    if warned:
        assert result.stderr == (
            f"Note: {path} is readable by others and holds the SMTP password; chmod 600 {path}"
            " (or keep the password in SERVANT_SMTP_PASSWORD)\n"
        )
    else:
        assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ["upcoming", "--from", FROM, "--csv"],
        ["upcoming", "--from", FROM, "--json"],
        ["list", "--json"],
        ["show", "#1", "--json", "--from", FROM],
        ["export", "csv"],
        ["export", "vcard"],
    ],
    ids=" ".join,
)
def test_csv_json_and_vcard_output_carry_no_stored_control_character(servant, poisoned, args: list[str]) -> None:
    # JSON may hold them only as \u escapes; files keep their own tabs and line ends.
    result = servant(*args)
    data = result.stdout_bytes.decode()
    assert result.exit_code == 0, result.stderr
    assert "Eve" in data
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", data), repr(data[:300])


def test_a_text_argument_that_is_not_utf8_is_one_error(servant, db_path) -> None:
    # The shell hands Python bytes that are not UTF-8 as lone surrogates.
    result = servant("add", "Ada\udcff")
    assert (
        refused_in_one_line(result)
        == "Error: NAME: 'Ada\\udcff' is not valid UTF-8 text; check the terminal's encoding\n"
    )
    assert not db_path.exists()


@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\u202a"])
def test_bidirectional_controls_are_refused_but_right_to_left_letters_are_not(servant, control: str) -> None:
    result = servant("add", f"{control}Bob")
    assert f"has a bidirectional control character (U+{ord(control):04X})" in refused_in_one_line(result)
    ok(servant("add", "מרים כהן", "--birthday", "1980-01-01"))


def test_a_date_of_31_december_9999_still_exports(servant) -> None:
    ok(servant("add", "Far Future", "--birthday", "9999-12-31"))
    ok(servant("add", "Ada", "--birthday", "1815-12-10"))
    data = servant("export", "ics").stdout_bytes
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert len(events) == 2
    far = next(e for e in events if str(e["SUMMARY"]).startswith("Far"))
    assert far.decoded("DTSTART") == datetime.date(9999, 12, 31) and "DTEND" not in far


def test_a_very_long_date_is_cut_short_in_the_error(servant) -> None:
    message = refused_in_one_line(servant("add", "X", "--anniversary", "9" * 5000))
    assert len(message) < 300
    assert "'" + "9" * 40 + "…' is not a date" in message


CARDS = 8000


def test_an_import_killed_part_way_leaves_none_or_all_of_it(db_path, tmp_path) -> None:
    big = tmp_path / "big.vcf"
    big.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nUID:u{n}\r\nBDAY:19{n % 90 + 10}-0{n % 9 + 1}-1{n % 9}\r\n"
            "END:VCARD\r\n"
            for n in range(CARDS)
        ),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "servant_cli", "--db", str(db_path)]
    subprocess.run([*command, "add", "Seed"], check=True, capture_output=True)
    runs = []
    for _ in range(2):  # the faster of two, so the first run's cold start does not stretch it
        started = time.perf_counter()
        subprocess.run([*command, "import", str(big)], check=True, capture_output=True)
        runs.append(time.perf_counter() - started)
        remove_imported(db_path)
    whole = min(runs)  # to kill at points spread over a whole run
    killed_while_running = 0
    for delay in (whole * share for share in (0.3, 0.45, 0.6, 0.75, 0.9)):
        process = subprocess.Popen([*command, "import", str(big)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if process.poll() is None:
            killed_while_running += 1
        process.kill()  # SIGKILL: no cleanup, no rollback by Python
        process.wait(timeout=30)
        [(count,)] = query(db_path, "SELECT count(*) FROM person")
        assert count in (1, CARDS + 1), f"{count} people after a kill at {delay} s"
        assert query(db_path, "PRAGMA integrity_check") == [("ok",)]
        if count > 1:
            remove_imported(db_path)
    assert killed_while_running >= 2, "the import finished before it could be killed: make it bigger"


def remove_imported(path: Path) -> None:
    """Everyone but Seed removed as servant removes people: their dates and what the
    import remembered of them go too (ON DELETE CASCADE)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        with conn:
            conn.execute("DELETE FROM person WHERE name != 'Seed'")
    finally:
        conn.close()


def test_people_removed_behind_servants_back_are_imported_again(servant, db_path, tmp_path) -> None:
    # Another tool deletes with foreign keys off: what the import remembered of them stays.
    folder = tmp_path / "cards"
    folder.mkdir()
    for name in ("Ada Lovelace", "Bob Stone"):
        card = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nBDAY:1990-05-{len(name):02d}\r\nEND:VCARD\r\n"
        (folder / f"{name.split()[0].lower()}.vcf").write_text(card, encoding="utf-8")
    ok(servant("import", str(folder)))
    write(db_path, "DELETE FROM person")
    (folder / "bob.vcf").unlink()
    assert ok(servant("import", str(folder))) == (
        f"Imported {folder} (vCard folder): 1 added, 0 updated, 0 unchanged, 0 skipped\n  added Ada Lovelace (#3)\n"
    )
    assert ok(servant("import", str(folder / "ada.vcf"))) == (
        "Imported ada.vcf (vCard): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
    )


def test_an_error_naming_stored_people_sends_no_escape_sequence(servant, db_path) -> None:
    ok(servant("add", "Vera A"))
    ok(servant("add", "Vera B"))
    write(db_path, "UPDATE person SET name = ? WHERE name = 'Vera A'", "Vera \x1b]0;PWNED\x07\x1b[2J\r\n\x9b31m")
    result = servant("show", "Vera")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 'Vera' matches 2 people: ")
    assert result.stderr.count("\n") == 1
    assert_no_terminal_control(result.stderr.rstrip("\n"))


def test_an_imported_bidi_control_is_dropped_and_a_stored_one_is_shown_harmlessly(servant, db_path, tmp_path) -> None:
    card = tmp_path / "h.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Rlo \u202eevil\r\nBDAY:1990-11-28\r\nEND:VCARD\r\n", encoding="utf-8"
    )
    ok(servant("import", str(card)))
    assert [p["name"] for p in json.loads(ok(servant("list", "--json")))] == ["Rlo evil"]
    write(db_path, "UPDATE person SET name = ?", "Rlo \u202eevil")
    assert "\u202e" not in ok(servant("upcoming", "--from", FROM))


def test_an_id_too_large_for_sqlite_is_no_one(servant) -> None:
    ok(servant("add", "Ada"))
    result = servant("show", "#99999999999999999999")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: there is no person #99999999999999999999; see 'servant list'\n",
    )


def test_a_note_pasted_with_windows_line_ends_is_kept_with_plain_ones(servant) -> None:
    ok(servant("add", "Ada", "--note", "one\r\ntwo"))
    assert json.loads(ok(servant("show", "Ada", "--json")))["notes"] == "one\ntwo"
