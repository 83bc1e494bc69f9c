"""``servant export ics --vdir DIR``: the calendar as a folder of .ics files, one event a
file, for vdirsyncer and khal.

Each file is read back with ``icalendar``; its bytes are compared with what ``servant
publish`` sent for the same date (the hash publish records); and the real vdirsyncer
syncs the folder with a calendar on the session's Radicale, read back with ``caldav``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import icalendar
import pytest

from davservers import Account, events, vdirsyncer
from helpers import CALENDAR_PEOPLE, dump, ok

FROM = "2026-11-22"
FOREIGN = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//khal//EN\r\nBEGIN:VEVENT\r\nUID:dentist-1@laptop\r\n"
    "DTSTAMP:20260101T090000Z\r\nDTSTART:20261201T090000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def people(database_from) -> Path:
    return database_from(*CALENDAR_PEOPLE)


def db_id(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()[0])
    finally:
        conn.close()


def export(servant, folder: Path, *args: str) -> str:
    return ok(servant("export", "ics", "--vdir", str(folder), *args))


def read_folder(folder: Path) -> dict[str, icalendar.Event]:
    """The one event of each .ics file of the folder, by file name."""
    found = {}
    for path in sorted(folder.glob("*.ics")):
        if not path.is_file():
            continue
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        (event,) = calendar.walk("VEVENT")
        found[path.name] = event
    return found


def exported(servant) -> dict[str, icalendar.Event]:
    """The events of ``servant export ics`` (one file), by UID."""
    result = servant("export", "ics", "--from", FROM)
    assert result.exit_code == 0, result.stderr
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(result.stdout_bytes.decode()).walk("VEVENT")}


def mtimes(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}


def age(folder: Path) -> None:
    """Set every file's mtime an hour back, so that a file written again shows."""
    for path in folder.iterdir():
        status = path.stat()
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns - 3600 * 10**9))


# -- the folder ------------------------------------------------------------------------------


def test_each_date_is_a_file_named_by_its_uid_holding_the_event_the_export_writes(servant, people, tmp_path) -> None:
    folder = tmp_path / "calendars" / "servant"
    assert (
        export(servant, folder) == f"Exported to the new folder {folder}: 6 added, 0 changed, 0 removed, 0 unchanged\n"
    )
    found = read_folder(folder)
    one_file = exported(servant)
    assert sorted(found) == sorted(f"{uid}.ics" for uid in one_file)
    assert all(name.startswith("occasion-") and name.endswith(f"@{db_id(people)}.servant.ics") for name in found)
    for name, event in found.items():
        same = one_file[name.removesuffix(".ics")]
        for prop in ("UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "RRULE", "SUMMARY", "DESCRIPTION", "TRANSP"):
            assert event.get(prop) == same.get(prop), (name, prop)
        assert [a.get("TRIGGER").to_ical() for a in event.walk("VALARM")] == [
            a.get("TRIGGER").to_ical() for a in same.walk("VALARM")
        ]
    # Private, as the database is: a folder servant made and the files it wrote.
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(path.stat().st_mode) for path in folder.iterdir()} == {0o600}
    assert sorted(path.name for path in folder.iterdir()) == sorted(found), "no temporary file left"


def test_each_file_is_byte_for_byte_what_publish_sends(servant, people, tmp_path, radicale, monkeypatch) -> None:
    account = radicale.account()
    for name, value in account.env().items():
        monkeypatch.setenv(name, value)
    ok(servant("publish", "-q"))
    export(servant, tmp_path / "cal", "-q")
    conn = sqlite3.connect(people)
    try:
        sent = dict(conn.execute("SELECT uid, hash FROM published"))
    finally:
        conn.close()
    written = {
        path.name.removesuffix(".ics"): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (tmp_path / "cal").iterdir()
    }
    assert written == sent
    assert len(written) == 6


def test_a_second_run_writes_nothing_and_a_change_rewrites_only_its_file(servant, people, tmp_path) -> None:
    folder = tmp_path / "cal"
    export(servant, folder)
    age(folder)
    before = mtimes(folder)
    assert export(servant, folder) == f"Exported to {folder}: 0 added, 0 changed, 0 removed, 6 unchanged\n"
    assert mtimes(folder) == before

    ok(servant("date", "Ada", "birthday", "--lead", "3"))
    assert export(servant, folder) == f"Exported to {folder}: 0 added, 1 changed, 0 removed, 5 unchanged\n"
    after = mtimes(folder)
    ada = f"occasion-1@{db_id(people)}.servant.ics"
    assert [name for name in before if after[name] != before[name]] == [ada]
    assert read_folder(folder)[ada]["SEQUENCE"] == 1
    assert read_folder(folder)[ada].walk("VALARM")[0]["TRIGGER"].to_ical() == b"-P2DT15H"


def test_the_files_of_dates_that_are_gone_are_removed_and_other_files_are_left(servant, people, tmp_path) -> None:
    folder = tmp_path / "cal"
    export(servant, folder)
    (folder / "dentist-1@laptop.ics").write_text(FOREIGN, encoding="utf-8", newline="")
    (folder / "displayname").write_text("servant\n", encoding="utf-8")
    # servant's per-year UIDs (export ics --years) are not this folder's files: never removed.
    (folder / f"occasion-1-2027@{db_id(people)}.servant.ics").write_text(FOREIGN, encoding="utf-8", newline="")
    ok(servant("rm", "Bob", "--yes"))
    ok(servant("add", "Cy Young", "--birthday", "1867-03-29"))
    assert export(servant, folder) == f"Exported to {folder}: 1 added, 0 changed, 3 removed, 3 unchanged\n"
    assert sorted(str(event["SUMMARY"]) for event in read_folder(folder).values()) == [
        "Ada Lovelace — Birthday",
        "Cy Young — Birthday",
        "Dentist",
        "Dentist",
        "Leap Day — Birthday",
        "Zoë Ñúñez 🎂 — Birthday",
    ]
    assert (folder / "dentist-1@laptop.ics").read_bytes() == FOREIGN.encode()
    assert (folder / "displayname").read_text(encoding="utf-8") == "servant\n"


def test_tag_and_kind_choose_the_dates_and_the_folder_follows_the_choice(servant, people, tmp_path) -> None:
    folder = tmp_path / "cal"
    assert export(servant, folder, "--tag", "team", "-q") == ""
    assert sorted(str(e["SUMMARY"]) for e in read_folder(folder).values()) == [
        "Leap Day — Birthday",
        "Zoë Ñúñez 🎂 — Birthday",
    ]
    assert export(servant, folder, "--kind", "anniversary") == (
        f"Exported to {folder}: 1 added, 0 changed, 2 removed, 0 unchanged\n"
    )
    assert [str(e["SUMMARY"]) for e in read_folder(folder).values()] == ["Bob Stone — Wedding anniversary"]


def test_a_database_id_another_program_wrote_never_names_a_file(servant, people, tmp_path) -> None:
    """A database id with a slash and a space (another program wrote it) would name the
    files of the folder: it is refused, and nothing is written anywhere."""
    conn = sqlite3.connect(people)
    with conn:
        conn.execute("UPDATE meta SET value = '../b c' WHERE key = 'db_id'")
    conn.close()
    folder = tmp_path / "cal"
    result = servant("export", "ics", "--vdir", str(folder))
    assert (result.exit_code, result.stdout) == (1, "")
    assert (
        result.stderr == f"Error: {people} has a database id servant did not make ('../b c'); it was left as it was\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["servant.db"]


# -- what is refused ---------------------------------------------------------------------------


def test_a_folder_holding_another_databases_events_is_refused(servant, people, tmp_path) -> None:
    folder = tmp_path / "cal"
    folder.mkdir()
    other = folder / "occasion-7@0123456789abcdef.servant.ics"
    other.write_text(FOREIGN, encoding="utf-8", newline="")
    result = servant("export", "ics", "--vdir", str(folder))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {folder} holds the events of another servant database (database 0123456789abcdef (1 file)); "
        "nothing was written. Export to another folder, or remove that database's files first "
        "(occasion-*@0123456789abcdef.servant.ics)\n"
    )
    assert sorted(path.name for path in folder.iterdir()) == [other.name]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "x.ics"), "--vdir writes a folder and --output a file; give one of them"),
        (
            ("--years", "2"),
            "--years is for a file: a folder (--vdir) holds the events 'servant publish' sends, "
            "one repeating event per date with its reminder",
        ),
        (
            ("--no-alarms",),
            "--no-alarms is for a file: a folder (--vdir) holds the events 'servant publish' sends, "
            "one repeating event per date with its reminder",
        ),
    ],
)
def test_options_for_a_file_are_refused_with_a_folder(servant, people, tmp_path, args, message) -> None:
    before = dump(people)
    result = servant("export", "ics", "--vdir", str(tmp_path / "cal"), *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")
    assert not (tmp_path / "cal").exists()
    assert dump(people) == before


def test_a_file_is_not_a_folder(servant, people, tmp_path) -> None:
    target = tmp_path / "servant.ics"
    target.write_text("notes", encoding="utf-8")
    result = servant("export", "ics", "--vdir", str(target))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: --vdir: {target} is a file, not a folder; give a folder for the calendar's files\n"
    )
    assert target.read_text(encoding="utf-8") == "notes"


def test_a_failure_half_way_says_what_was_written_and_leaves_no_half_file(servant, people, tmp_path) -> None:
    folder = tmp_path / "cal"
    folder.mkdir()
    # Something that is not a file is where the second date's file goes.
    (folder / f"occasion-2@{db_id(people)}.servant.ics").mkdir()
    result = servant("export", "ics", "--vdir", str(folder))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {folder}/occasion-2@{db_id(people)}.servant.ics is in the way: it is not a file servant wrote "
        "(a folder or a special file), and it was left as it is; 1 file of the folder had been written or "
        "removed before that, and the same command again finishes the job\n"
    )
    assert sorted(path.name for path in folder.iterdir()) == [
        f"occasion-1@{db_id(people)}.servant.ics",
        f"occasion-2@{db_id(people)}.servant.ics",
    ]
    assert len(read_folder(folder)) == 1


# -- vdirsyncer ------------------------------------------------------------------------------


def calendar_pair(tmp_path: Path, folder: Path, account: Account, url: str) -> str:
    return f"""[general]
status_path = "{tmp_path / "vdirsyncer-status"}/"

[pair servant]
a = "servant_local"
b = "servant_remote"
collections = null

[storage servant_local]
type = "filesystem"
path = "{folder}"
fileext = ".ics"

[storage servant_remote]
type = "caldav"
url = "{url}"
username = "{account.user}"
password = "{account.password}"
"""


def test_vdirsyncer_puts_exactly_one_event_per_date_on_the_server(servant, people, tmp_path, radicale) -> None:
    account: Account = radicale.account()
    calendar = account.make_calendar()
    folder = tmp_path / "calendars" / "servant"
    export(servant, folder, "-q")
    config = calendar_pair(tmp_path, folder, account, str(calendar.url))
    vdirsyncer(tmp_path, config, "discover")
    vdirsyncer(tmp_path, config, "sync")
    on_server = {str(event["UID"]): event for _, event in events(account.objects())}
    assert len(list(events(account.objects()))) == 6
    assert {f"{uid}.ics" for uid in on_server} == set(read_folder(folder))
    assert str(on_server[f"occasion-1@{db_id(people)}.servant"]["SUMMARY"]) == "Ada Lovelace — Birthday"

    # A changed date and a removed one reach the server through the folder.
    ok(servant("edit", "Ada", "--name", "Ada King"))
    ok(servant("rm", "Leap", "--yes"))
    assert export(servant, folder) == f"Exported to {folder}: 0 added, 1 changed, 1 removed, 4 unchanged\n"
    vdirsyncer(tmp_path, config, "sync")
    summaries = sorted(str(event["SUMMARY"]) for _, event in events(account.objects()))
    assert summaries == [
        "Ada King — Birthday",
        "Bob Stone — Launch party",
        "Bob Stone — Shop opening",
        "Bob Stone — Wedding anniversary",
        "Zoë Ñúñez 🎂 — Birthday",
    ]
