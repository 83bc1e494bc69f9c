"""``servant publish`` against real CalDAV servers: Radicale (with logins) and Xandikos.

Each server is started once per session (conftest.py); each test gets a user (Radicale)
or a calendar name (Xandikos) of its own. What the calendar holds is read back with the
``caldav`` client, parsed with ``icalendar`` and expanded with ``recurring-ical-events``;
requests are counted in the server's own log.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import caldav
import icalendar
import pytest
import recurring_ical_events

from davservers import Account, events
from helpers import CALENDAR_PEOPLE, dump, ok

FROM = "2026-11-22"
#: What an event must say the same on the server as in ``servant export ics``.
PROPERTIES = (
    "UID",
    "SEQUENCE",
    "DTSTAMP",
    "LAST-MODIFIED",
    "DTSTART",
    "DTEND",
    "RRULE",
    "SUMMARY",
    "DESCRIPTION",
    "CATEGORIES",
    "TRANSP",
)


@pytest.fixture(params=["radicale", "xandikos"])
def account(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Account:
    """A calendar of this test's own on each server, set for servant in SERVANT_DAV_*."""
    found: Account = request.getfixturevalue(request.param).account()
    for name, value in found.env().items():
        monkeypatch.setenv(name, value)
    return found


@pytest.fixture
def people(database_from) -> Path:
    return database_from(*CALENDAR_PEOPLE)


def publish(servant, *args: str, stderr: str = "") -> str:
    return ok(servant("publish", *args), stderr)


def summary(account: Account, counts: str, *, new: bool = False) -> str:
    (calendar,) = account.calendars()
    made = "the new calendar " if new else ""
    return f"Published to {made}{account.calendar!r} ({calendar.url}): {counts}\n"


def exported(servant) -> dict[str, icalendar.Event]:
    result = servant("export", "ics", "--from", FROM)
    assert result.exit_code == 0, result.stderr
    found = icalendar.Calendar.from_ical(result.stdout_bytes.decode()).walk("VEVENT")
    return {str(event["UID"]): event for event in found}


def etags(account: Account) -> dict[str, str]:
    return {name: etag for name, (etag, _) in account.objects().items()}


def summaries(account: Account) -> dict[str, str]:
    return {name: str(event["SUMMARY"]) for name, event in events(account.objects())}


def published_rows(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT uid, href, etag FROM published ORDER BY uid").fetchall()
    finally:
        conn.close()


def edit_on_the_server(account: Account, name: str, new_summary: str) -> None:
    """What a phone does: change an event's title, and save it back (with caldav)."""
    (calendar,) = account.calendars()
    with account.client() as client:
        event = caldav.Event(client=client, url=calendar.url.join(name), parent=calendar)
        event.load()
        event.icalendar_component["SUMMARY"] = new_summary
        event.save(increase_seqno=False)


def delete_on_the_server(account: Account, name: str) -> None:
    (calendar,) = account.calendars()
    with account.client() as client:
        caldav.Event(client=client, url=calendar.url.join(name), parent=calendar).delete()


FOREIGN = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Phone//EN\r\nBEGIN:VEVENT\r\nUID:dentist-1@phone\r\n"
    "DTSTAMP:20260101T090000Z\r\nDTSTART:20261201T090000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


# -- the first publish ------------------------------------------------------------------


def test_the_first_publish_makes_the_calendar_with_each_occasion_as_export_writes_it(servant, people, account) -> None:
    assert account.calendars() == []
    out = publish(servant)
    assert out == summary(account, "6 added, 0 changed, 0 removed, 0 unchanged", new=True)
    mine = exported(servant)
    objects = account.objects()
    assert sorted(objects) == sorted(f"{uid}.ics" for uid in mine), "one object per occasion, named by its UID"
    for name, (_, content) in objects.items():
        (event,) = content.walk("VEVENT")
        expected = mine[name.removesuffix(".ics")]
        for prop in PROPERTIES:
            assert (prop in event) == (prop in expected), f"{name}: {prop}"
            if prop in expected:
                assert event[prop].to_ical() == expected[prop].to_ical(), f"{name}: {prop}"
        alarms = [(str(a["ACTION"]), a["TRIGGER"].to_ical(), str(a["DESCRIPTION"])) for a in event.walk("VALARM")]
        assert alarms == [
            (str(a["ACTION"]), a["TRIGGER"].to_ical(), str(a["DESCRIPTION"])) for a in expected.walk("VALARM")
        ]
        assert alarms, "a reminder at the lead"


@pytest.mark.parametrize("rule", ["feb28", "mar1"])
def test_the_calendar_expands_to_the_days_upcoming_shows_over_ten_years(
    servant, people, account, write_config, rule
) -> None:
    write_config(f'feb29 = "{rule}"\n')
    publish(servant)
    start = date.fromisoformat(FROM)
    end = start + timedelta(days=3660)
    calendar = icalendar.Calendar()
    for _, event in events(account.objects()):
        calendar.add_component(event)
    shown = recurring_ical_events.of(calendar).between(start, end + timedelta(days=1))
    days = {(str(event["SUMMARY"]), event.decoded("DTSTART")) for event in shown}
    items = json.loads(ok(servant("upcoming", "--from", FROM, "--days", "3660", "--json")))
    assert days == {(f"{item['person']} — {item['label']}", date.fromisoformat(item["date"])) for item in items}
    leap = {day for title, day in days if title.startswith("Leap Day")}
    assert date(2028, 2, 29) in leap
    assert (date(2027, 3, 1) if rule == "mar1" else date(2027, 2, 28)) in leap


# -- later runs -------------------------------------------------------------------------


def test_a_second_publish_sends_no_write(servant, people, account) -> None:
    publish(servant)
    before = etags(account)
    mark = account.server.mark()
    assert publish(servant) == summary(account, "0 added, 0 changed, 0 removed, 6 unchanged")
    assert account.server.writes(mark) == []
    assert [method for method, _ in account.server.requests(mark)].count("PROPFIND") >= 1
    assert etags(account) == before


def test_an_edit_changes_exactly_that_object(servant, people, account) -> None:
    publish(servant)
    before = etags(account)
    ok(servant("date", "Ada", "birthday", "1815-12-11"))
    mark = account.server.mark()
    assert publish(servant) == summary(account, "0 added, 1 changed, 0 removed, 5 unchanged")
    after = etags(account)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["occasion-1@" + changed[0].partition("@")[2]]
    assert [(method, path.rpartition("/")[2]) for method, path in account.server.writes(mark)] == [("PUT", changed[0])]
    ada = dict(events(account.objects()))[changed[0]]
    assert ada.decoded("DTSTART") == date(1815, 12, 11)
    assert ada["SEQUENCE"] == exported(servant)[changed[0].removesuffix(".ics")]["SEQUENCE"] == 1


def test_removing_a_person_deletes_their_events_and_nothing_else(servant, people, account) -> None:
    publish(servant)
    before = etags(account)
    ok(servant("rm", "Bob", "--yes"))
    mark = account.server.mark()
    assert publish(servant) == summary(account, "0 added, 0 changed, 3 removed, 3 unchanged")
    assert [method for method, _ in account.server.writes(mark)] == ["DELETE"] * 3
    after = etags(account)
    assert set(after) == {f"{uid}.ics" for uid in exported(servant)} and len(after) == 3
    assert all(before[name] == etag for name, etag in after.items())
    assert not any(title.startswith("Bob Stone") for title in summaries(account).values())


def test_events_servant_did_not_make_are_never_touched(servant, people, account) -> None:
    account.make_calendar()
    account.put_foreign("dentist.ics", FOREIGN)
    foreign = account.objects()["dentist.ics"][0]
    assert publish(servant) == summary(account, "6 added, 0 changed, 0 removed, 0 unchanged")
    ok(servant("rm", "Ada", "--yes"))
    ok(servant("date", "Leap", "birthday", "1988-02-28"))
    assert publish(servant) == summary(account, "0 added, 1 changed, 1 removed, 4 unchanged")
    objects = account.objects()
    assert objects["dentist.ics"][0] == foreign
    assert str(objects["dentist.ics"][1].walk("VEVENT")[0]["SUMMARY"]) == "Dentist"
    assert len(objects) == 6


def test_a_dry_run_lists_what_would_change_and_sends_nothing_that_writes(servant, people, account, db_path) -> None:
    mark = account.server.mark()
    out = publish(servant, "--dry-run")
    lines = out.splitlines()
    assert lines[-1] == (
        f"Dry run, nothing was sent. The calendar {account.calendar!r} would be made on {account.url}: "
        "6 added, 0 changed, 0 removed, 0 unchanged"
    )
    assert sorted(lines[:-1]) == sorted(f"  add     {title}" for title in summaries_of(servant))
    assert account.server.writes(mark) == [] and account.calendars() == []
    publish(servant)
    ok(servant("date", "Ada", "birthday", "1815-12-11"))
    ok(servant("rm", "Zoë", "--yes"))
    before, mark = dump(db_path), account.server.mark()
    out = publish(servant, "--dry-run")
    (calendar,) = account.calendars()
    assert out == (
        "  remove  Zoë Ñúñez 🎂 — Birthday\n"
        "  change  Ada Lovelace — Birthday\n"
        f"Dry run, nothing was sent. Publishing to {account.calendar!r} ({calendar.url}) would give: "
        "0 added, 1 changed, 1 removed, 4 unchanged\n"
    )
    assert account.server.writes(mark) == []
    assert dump(db_path) == before
    assert publish(servant) == summary(account, "0 added, 1 changed, 1 removed, 4 unchanged")


def summaries_of(servant) -> list[str]:
    return [str(event["SUMMARY"]) for event in exported(servant).values()]


# -- changes made on the server ----------------------------------------------------------------


def test_an_event_edited_on_the_phone_is_kept_with_keep_remote_and_put_back_without(servant, people, account) -> None:
    publish(servant)
    ada = next(name for name, title in summaries(account).items() if title == "Ada Lovelace — Birthday")
    edit_on_the_server(account, ada, "Ada (edited on the phone)")
    mark = account.server.mark()
    out = publish(
        servant,
        "--keep-remote",
        stderr="Note: 'Ada Lovelace — Birthday' was changed on the server, and left so (--keep-remote)\n",
    )
    assert out == summary(account, "0 added, 0 changed, 0 removed, 5 unchanged, 1 left as changed on the server")
    assert account.server.writes(mark) == []
    assert summaries(account)[ada] == "Ada (edited on the phone)"
    out = publish(
        servant,
        stderr="Note: 'Ada Lovelace — Birthday' was changed on the server; servant's version went back "
        "(--keep-remote leaves it)\n",
    )
    assert out == summary(account, "0 added, 1 changed, 0 removed, 5 unchanged")
    assert summaries(account)[ada] == "Ada Lovelace — Birthday"
    mark = account.server.mark()
    assert publish(servant) == summary(account, "0 added, 0 changed, 0 removed, 6 unchanged")
    assert account.server.writes(mark) == []


def test_an_event_deleted_on_the_phone_comes_back_unless_keep_remote(servant, people, account) -> None:
    publish(servant)
    leap = next(name for name, title in summaries(account).items() if title.startswith("Leap Day"))
    delete_on_the_server(account, leap)
    note = "Note: 'Leap Day — Birthday' was deleted on the server"
    out = publish(servant, "--keep-remote", stderr=f"{note}, and left so (--keep-remote)\n")
    assert out.endswith("0 added, 0 changed, 0 removed, 5 unchanged, 1 left as changed on the server\n")
    assert leap not in summaries(account)
    out = publish(servant, stderr=f"{note}; servant's version went back (--keep-remote leaves it)\n")
    assert out == summary(account, "1 added, 0 changed, 0 removed, 5 unchanged")
    assert summaries(account)[leap] == "Leap Day — Birthday"


def test_an_event_imported_from_a_file_into_the_calendar_is_named_not_duplicated(servant, people, account) -> None:
    # The export imported by hand into that calendar: the same UID under a name the app chose.
    account.make_calendar()
    ada = next(event for event in exported(servant).values() if str(event["SUMMARY"]) == "Ada Lovelace — Birthday")
    imported = icalendar.Calendar()
    imported.add("VERSION", "2.0")
    imported.add("PRODID", "-//Phone//EN")
    imported.add_component(ada)
    account.put_foreign("3F2A-imported.ics", imported.to_ical().decode())
    result = servant("publish")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(
        f"Error: the calendar on 127.0.0.1:{account.server.port} already holds an event with the same UID under "
        "another name ("
    )
    assert result.stderr.endswith(
        " while saving 'Ada Lovelace — Birthday'; imported from a servant export?); delete that copy in the "
        "calendar app, or publish to another calendar with --calendar; no event was written\n"
    )
    assert sorted(account.objects()) == ["3F2A-imported.ics"]


# -- whose calendar it is -------------------------------------------------------------------


def test_a_calendar_another_database_publishes_to_is_refused_unless_take_over(
    servant, people, account, tmp_path, db_path
) -> None:
    publish(servant)
    account.put_foreign("dentist.ics", FOREIGN)
    other = tmp_path / "other.db"
    ok(servant("--db", str(other), "add", "Other Person", "--birthday", "1990-01-01"))
    first_id = sqlite3.connect(db_path).execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()[0]
    (calendar,) = account.calendars()
    mark = account.server.mark()
    result = servant("--db", str(other), "publish")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        f"Error: the calendar {account.calendar!r} ({calendar.url}) holds events another servant database "
        f"published (database {first_id} (6 events)); publish to another calendar with --calendar, "
        "or replace its events with this database's with --take-over\n"
    )
    assert account.server.writes(mark) == []
    assert published_rows(other) == []
    out = ok(
        servant("--db", str(other), "publish", "--take-over"),
        f"Note: --take-over removed 6 events of the servant database {first_id}\n",
    )
    assert out == summary(account, "1 added, 0 changed, 6 removed, 0 unchanged")
    assert sorted(summaries(account).values()) == ["Dentist", "Other Person — Birthday"]


def test_tags_choose_the_people_and_the_calendar_follows_the_choice(servant, people, account) -> None:
    assert publish(servant, "--tag", "team") == summary(account, "2 added, 0 changed, 0 removed, 0 unchanged", new=True)
    assert sorted(summaries(account).values()) == ["Leap Day — Birthday", "Zoë Ñúñez 🎂 — Birthday"]
    assert publish(servant, "--tag", "vip") == summary(account, "1 added, 0 changed, 2 removed, 0 unchanged")
    assert list(summaries(account).values()) == ["Ada Lovelace — Birthday"]
    assert publish(servant) == summary(account, "5 added, 0 changed, 0 removed, 1 unchanged")


def test_a_tag_no_one_has_is_refused_before_the_server_is_called(servant, people, account) -> None:
    mark = account.server.mark()
    result = servant("publish", "--tag", "clinet")
    assert result.exit_code == 1
    assert result.stderr == "Error: --tag: no one has the tag 'clinet'; tags in use: math, science, team, vip\n"
    assert account.server.requests(mark) == []


def test_a_calendar_name_in_another_case_is_the_same_calendar(servant, people, account) -> None:
    publish(servant)
    again = publish(servant, "--calendar", account.calendar.upper())
    (calendar,) = account.calendars()  # still one calendar of that name, whatever the case
    assert (
        again
        == f"Published to {account.calendar.upper()!r} ({calendar.url}): 0 added, 0 changed, 0 removed, 6 unchanged\n"
    )
