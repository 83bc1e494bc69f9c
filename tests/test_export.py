"""``servant export ics``: the calendar file, read back by independent parsers.

``icalendar`` parses what servant wrote and ``recurring-ical-events`` expands the
yearly rules, so these tests see the days a calendar app would show. ``icalendar`` is
tolerant (it accepts an event without DTSTAMP), so the required properties and the
line format are checked here as well.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import dump, ok
from servant_cli.ical import Export, calendar, duration, fold
from servant_cli.models import Occasion, Person

FROM = "2026-11-22"
#: A calendar file from an earlier export (replaceable: it is what the export writes).
OLD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//servant//servant 0.1.0//EN\r\nEND:VCALENDAR\r\n"

# ids 1-4 in this order.
PEOPLE = (
    (
        "Ada Lovelace",
        "--birthday",
        "1815-12-10",
        "--tag",
        "vip",
        "--tag",
        "math, science",
        "--note",
        "Likes poetry; and engines\nCall after 10",
    ),
    ("Leap Day", "--birthday", "1988-02-29", "--tag", "team"),
    ("Bob Stone", "--anniversary", "--06-20", "--date", "Shop opening=2015-06-01", "--company", "Stone & Co"),
    ("Zoë Ñúñez 🎂", "--birthday", "Mar 3", "--tag", "team"),
)


@pytest.fixture
def people(database_from) -> None:
    database_from(
        *(("add", *args) for args in PEOPLE),
        ("date", "Bob", "custom", "2026-12-24", "--label", "Launch party", "--lead", "10", "--plan", "card", "--once"),
    )


def raw(result) -> str:
    """Standard output as written: CliRunner's ``stdout`` turns CRLF into LF."""
    assert result.exit_code == 0, result.stdout + result.stderr
    return result.stdout_bytes.decode()


def export(servant, *args: str) -> str:
    return raw(servant("export", "ics", "--from", FROM, *args))


def parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def events(text: str) -> list[icalendar.Event]:
    return list(parse(text).walk("VEVENT"))


def by_summary(text: str) -> dict[str, icalendar.Event]:
    return {str(event["SUMMARY"]): event for event in events(text)}


def days_of(text: str, start: date, end: date) -> set[tuple[str, date]]:
    """(SUMMARY, day) of every occurrence from start to end, as a calendar app expands them."""
    found = recurring_ical_events.of(parse(text)).between(start, end + timedelta(days=1))
    return {(str(event["SUMMARY"]), event.decoded("DTSTART")) for event in found}


# -- the file a calendar reads ---------------------------------------------------------


def test_every_event_is_an_all_day_transparent_event_with_the_required_properties(servant, people) -> None:
    text = export(servant)
    cal = parse(text)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//servant//servant ")
    assert str(cal["X-WR-CALNAME"]) == "servant occasions"
    found = events(text)
    assert len(found) == 6
    for event in found:
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "LAST-MODIFIED"):
            assert name in event, f"{event.get('SUMMARY')} has no {name}"
        start = event.decoded("DTSTART")
        assert type(start) is date, "all day: a DATE, not a DATE-TIME"
        assert event.decoded("DTEND") == start + timedelta(days=1)
        assert "TZID" not in event["DTSTART"].params
        assert str(event["TRANSP"]) == "TRANSPARENT"
    assert len({str(event["UID"]) for event in found}) == 6


def test_a_birthday_is_a_yearly_event_with_the_year_notes_and_categories(servant, people) -> None:
    ada = by_summary(export(servant))["Ada Lovelace — Birthday"]
    assert ada.decoded("DTSTART") == date(1815, 12, 10)
    assert ada["RRULE"].to_ical() == b"FREQ=YEARLY"
    assert str(ada["DESCRIPTION"]) == "Born 1815\nLikes poetry; and engines\nCall after 10"
    assert ada["CATEGORIES"].cats == ["Birthday", "vip"]  # "math, science" would be split: left out


def test_a_label_with_a_comma_stays_out_of_categories_and_in_the_title(servant, db_path) -> None:
    # node-ical, Home Assistant's ical and KCalendarCore split CATEGORIES at "\\,".
    ok(servant("add", "Ann", "--date", "Opening; phase 1, Lisbon=2026-05-01", "--tag", "vip"))
    text = export(servant)
    (event,) = events(text)
    assert str(event["SUMMARY"]) == "Ann — Opening; phase 1, Lisbon"
    assert event["CATEGORIES"].cats == ["vip"]
    assert [line for line in text.split("\r\n") if line.startswith("CATEGORIES")] == ["CATEGORIES:vip"]


def test_the_description_names_the_plan_and_the_company(servant, people) -> None:
    found = by_summary(export(servant))
    assert str(found["Bob Stone — Launch party"]["DESCRIPTION"]) == "Plan: Post a card\nCompany: Stone & Co"
    assert str(found["Bob Stone — Shop opening"]["DESCRIPTION"]) == "Since 2015\nCompany: Stone & Co"


def test_a_one_off_date_is_a_single_event(servant, people) -> None:
    launch = by_summary(export(servant))["Bob Stone — Launch party"]
    assert "RRULE" not in launch
    assert launch.decoded("DTSTART") == date(2026, 12, 24)
    text = export(servant)
    assert {day for summary, day in days_of(text, date(2020, 1, 1), date(2040, 1, 1)) if "Launch" in summary} == {
        date(2026, 12, 24)
    }


def test_a_date_without_a_year_recurs_every_year(servant, people) -> None:
    text = export(servant)
    shown = {day for summary, day in days_of(text, date(2026, 1, 1), date(2028, 12, 31)) if "Wedding" in summary}
    assert shown == {date(2026, 6, 20), date(2027, 6, 20), date(2028, 6, 20)}
    assert "Born" not in str(by_summary(text)["Zoë Ñúñez 🎂 — Birthday"].get("DESCRIPTION", ""))


def test_every_line_ends_in_crlf_and_no_line_is_longer_than_75_octets(servant, people) -> None:
    ok(servant("edit", "Ada", "--note", "A very long note about Ada, " * 8 + "with ünïcödé and emoji 🎂🎉 " * 6))
    data = raw(servant("export", "ics", "--from", FROM, "-o", "-")).encode()
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert any(line.startswith(b" ") for line in lines), "the long note was folded"
    for line in lines:
        assert len(line) <= 75
        line.decode("utf-8")  # never cut inside a character
    ada = by_summary(data.decode())["Ada Lovelace — Birthday"]
    assert str(ada["DESCRIPTION"]).endswith("with ünïcödé and emoji 🎂🎉 " * 5 + "with ünïcödé and emoji 🎂🎉")


@given(st.text(min_size=1, max_size=300))
def test_fold_keeps_every_character_and_every_line_within_75_octets(line: str) -> None:
    line = "X:" + line.replace("\r", "").replace("\n", "")
    folded = fold(line)
    physical = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in physical)
    assert all(part.startswith(" ") for part in physical[1:])
    assert "".join(part[1:] if index else part for index, part in enumerate(physical)) == line


def test_properties_come_in_a_fixed_order_with_dtstart_before_rrule_and_the_alarm_last(servant, people) -> None:
    text = export(servant)
    block = text.split("BEGIN:VEVENT\r\n")[1].split("END:VEVENT")[0]
    names = [re.split(r"[;:]", line)[0] for line in block.split("\r\n") if line and not line.startswith(" ")]
    assert names == [
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
        "BEGIN",
        "ACTION",
        "TRIGGER",
        "DESCRIPTION",
        "END",
    ]


def test_events_are_sorted_by_month_and_day_then_name(servant, people) -> None:
    summaries = [str(event["SUMMARY"]) for event in events(export(servant))]
    assert summaries == [
        "Leap Day — Birthday",
        "Zoë Ñúñez 🎂 — Birthday",
        "Bob Stone — Shop opening",
        "Bob Stone — Wedding anniversary",
        "Ada Lovelace — Birthday",
        "Bob Stone — Launch party",
    ]


# -- the same days as servant upcoming ---------------------------------------------------


@pytest.mark.parametrize("rule", ["feb28", "mar1"])
def test_expanded_events_fall_on_the_days_upcoming_shows_over_ten_years(servant, people, write_config, rule) -> None:
    write_config(f'feb29 = "{rule}"\n')
    text = export(servant)
    items = json.loads(ok(servant("upcoming", "--from", FROM, "--days", "3660", "--json")))
    expected = {(f"{item['person']} — {item['label']}", date.fromisoformat(item["date"])) for item in items}
    end = date.fromisoformat(FROM) + timedelta(days=3660)
    assert days_of(text, date.fromisoformat(FROM), end) == expected
    leap = {day for summary, day in expected if summary.startswith("Leap Day")}
    assert date(2028, 2, 29) in leap
    assert (date(2027, 3, 1) if rule == "mar1" else date(2027, 2, 28)) in leap


def test_feb29_rules_are_written_as_rfc_5545_rules(servant, people, write_config) -> None:
    text = export(servant)
    assert "\r\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1\r\n" in text
    assert dict(by_summary(text)["Leap Day — Birthday"]["RRULE"]) == {
        "FREQ": ["YEARLY"],
        "BYMONTH": [2],
        "BYMONTHDAY": [-1],
    }
    write_config('feb29 = "mar1"\n')
    text = export(servant)
    assert "\r\nRRULE:FREQ=YEARLY;BYYEARDAY=60\r\n" in text
    assert by_summary(text)["Leap Day — Birthday"].decoded("DTSTART") == date(1988, 2, 29)


# -- --years: one event per occurrence -----------------------------------------------------


def test_years_writes_one_event_per_occurrence_titled_with_the_age(servant, people) -> None:
    text = export(servant, "--years", "2")
    found = events(text)
    assert all("RRULE" not in event for event in found)
    summaries = [(str(event["SUMMARY"]), event.decoded("DTSTART")) for event in found]
    assert ("Ada Lovelace turns 211", date(2026, 12, 10)) in summaries
    assert ("Ada Lovelace turns 212", date(2027, 12, 10)) in summaries
    assert ("Leap Day turns 39", date(2027, 2, 28)) in summaries
    assert ("Bob Stone — Shop opening — 12 years", date(2027, 6, 1)) in summaries
    assert ("Bob Stone — Wedding anniversary", date(2027, 6, 20)) in summaries
    assert ("Bob Stone — Launch party", date(2026, 12, 24)) in summaries
    # Two years from 22 Nov 2026: up to 21 Nov 2028, each yearly date twice.
    items = json.loads(ok(servant("upcoming", "--from", FROM, "--days", "730", "--json")))
    assert len(found) == len(items) == 4 * 2 + 1 + 2
    assert [day for _, day in summaries] == sorted(day for _, day in summaries)
    assert len({str(event["UID"]) for event in found}) == len(found)


@pytest.mark.parametrize("value", ["0", "31", "two", "-1"])
def test_bad_years_is_one_line_and_exit_2(servant, people, value: str) -> None:
    result = servant("export", "ics", "--years", value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: --years: ")
    assert "1 to 30" in result.stderr
    assert result.stderr.count("\n") == 1


# -- re-import: stable UIDs, growing SEQUENCE, identical bytes -------------------------------


def test_two_exports_of_the_same_data_are_byte_identical_whatever_the_hash_seed(tmp_path, people) -> None:
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "servant_cli", "export", "ics"]
        outputs.append(subprocess.run(command, env=env, capture_output=True, check=True).stdout)
    assert outputs[0] == outputs[1]
    assert b"CATEGORIES:Birthday,vip\r\n" in outputs[0]


def test_dtstamp_is_the_last_change_not_the_time_of_export(servant, people, db_path) -> None:
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE occasion SET updated = '2025-01-02T03:04:05Z'")
        conn.execute("UPDATE person SET updated = '2024-01-01T00:00:00Z'")
    conn.close()
    for event in events(export(servant)):
        assert event["DTSTAMP"].to_ical() == b"20250102T030405Z"
        assert event["LAST-MODIFIED"].to_ical() == b"20250102T030405Z"


def test_editing_a_date_keeps_its_uid_and_raises_its_sequence(servant, people) -> None:
    before = by_summary(export(servant))["Ada Lovelace — Birthday"]
    ok(servant("date", "Ada", "birthday", "1815-12-11"))
    after = by_summary(export(servant))["Ada Lovelace — Birthday"]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART") == date(1815, 12, 11)


def test_renaming_a_person_keeps_the_uid_and_raises_the_sequence(servant, people) -> None:
    before = by_summary(export(servant))["Ada Lovelace — Birthday"]
    ok(servant("edit", "Ada", "--name", "Augusta Ada King"))
    after = by_summary(export(servant))["Augusta Ada King — Birthday"]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_uids_carry_the_database_id_so_two_databases_never_share_one(servant, people, tmp_path) -> None:
    other = tmp_path / "other.db"
    ok(servant("--db", str(other), "add", "Ada Lovelace", "--birthday", "1815-12-10"))
    mine = str(events(export(servant))[0]["UID"])
    theirs = str(events(raw(servant("--db", str(other), "export", "ics")))[0]["UID"])
    assert mine != theirs
    assert re.fullmatch(r"occasion-\d+@[0-9a-f]{16}\.servant", mine)


def test_a_removed_date_is_not_in_the_next_export_and_its_uid_is_never_reused(servant, people) -> None:
    uids = {str(event["UID"]) for event in events(export(servant))}
    ok(servant("rm", "Leap Day", "--yes"))
    ok(servant("add", "Newcomer", "--birthday", "1990-01-01"))
    after = by_summary(export(servant))
    assert "Leap Day — Birthday" not in after
    assert str(after["Newcomer — Birthday"]["UID"]) not in uids


# -- alarms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(days=-7, hours=9), "-P6DT15H"),
        (timedelta(days=-9, hours=9), "-P8DT15H"),
        (timedelta(days=-1, hours=9), "-PT15H"),
        (timedelta(hours=9), "PT9H"),
        (timedelta(days=-365, hours=9), "-P364DT15H"),
        (timedelta(0), "P0D"),
        (timedelta(days=14), "P14D"),
    ],
)
def test_durations_are_written_in_days_and_hours_never_mixed_with_weeks(span: timedelta, text: str) -> None:
    assert duration(span) == text
    assert icalendar.vDuration.from_ical(text) == span


def alarm(event: icalendar.Event) -> icalendar.Alarm:
    (found,) = event.walk("VALARM")
    return found


def test_the_alarm_goes_off_at_nine_lead_days_ahead(servant, people, write_config) -> None:
    found = by_summary(export(servant))
    ada = alarm(found["Ada Lovelace — Birthday"])
    assert str(ada["ACTION"]) == "DISPLAY"
    assert ada.decoded("TRIGGER") == timedelta(days=-7, hours=9)
    assert str(ada["DESCRIPTION"]) == "In 7 days: Ada Lovelace — Birthday"
    launch = alarm(found["Bob Stone — Launch party"])
    assert launch.decoded("TRIGGER") == timedelta(days=-10, hours=9)
    assert str(launch["DESCRIPTION"]) == "In 10 days: Bob Stone — Launch party. Post a card."
    write_config("lead_days = 0\n")
    ada = alarm(by_summary(export(servant))["Ada Lovelace — Birthday"])
    assert ada.decoded("TRIGGER") == timedelta(hours=9)
    assert str(ada["DESCRIPTION"]) == "Ada Lovelace — Birthday"


def test_no_alarms_leaves_them_out(servant, people) -> None:
    text = export(servant, "--no-alarms")
    assert "VALARM" not in text
    assert len(events(text)) == 6


# -- filters ------------------------------------------------------------------------------


def test_tag_and_kind_filters_choose_the_events_and_name_the_calendar(servant, people) -> None:
    text = export(servant, "--tag", "TEAM")
    assert sorted(by_summary(text)) == ["Leap Day — Birthday", "Zoë Ñúñez 🎂 — Birthday"]
    assert str(parse(text)["X-WR-CALNAME"]) == "servant occasions (TEAM)"
    text = export(servant, "--kind", "custom", "--kind", "anniversary")
    assert sorted(by_summary(text)) == [
        "Bob Stone — Launch party",
        "Bob Stone — Shop opening",
        "Bob Stone — Wedding anniversary",
    ]


def test_a_tag_no_one_has_is_an_error_not_an_empty_calendar(servant, people, tmp_path) -> None:
    # Under cron, a typo would otherwise empty the calendar that subscribes to the file.
    target = tmp_path / "servant.ics"
    ok(servant("export", "ics", "-o", str(target), "-q"))
    before = target.read_bytes()
    result = servant("export", "ics", "--tag", "tema", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == "Error: --tag: no one has the tag 'tema'; tags in use: math, science, team, vip\n"
    assert target.read_bytes() == before


def test_filters_that_leave_no_event_write_nothing(servant, people, tmp_path) -> None:
    target = tmp_path / "servant.ics"
    result = servant("export", "ics", "--tag", "vip", "--kind", "anniversary", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == "Error: nothing to export: no date matches these filters; nothing was written\n"
    assert not target.exists()


def test_an_empty_database_has_nothing_to_export(servant, db_path) -> None:
    ok(servant("add", "Nobody Yet"))
    result = servant("export", "ics")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: nothing to export: there are no key dates yet; nothing was written\n"


def test_export_from_a_missing_database_is_an_error_and_creates_nothing(servant, db_path) -> None:
    result = servant("export", "ics")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert not db_path.exists()


# -- escaping ------------------------------------------------------------------------------


def test_a_stored_name_cannot_add_an_event_or_a_property(servant, people, db_path) -> None:
    # The CLI refuses control characters; a database edited by another program may not.
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "UPDATE person SET name = ?, notes = ? WHERE id = 1",
            (
                "Eve\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Injected\r\nUID:evil",
                "x\rEND:VEVENT\nBEGIN:VEVENT\r\nDTSTART:20260101\x1b[31m",
            ),
        )
    conn.close()
    text = export(servant)
    found = events(text)
    assert len(found) == 6
    assert not any(str(event["SUMMARY"]).startswith("Injected") for event in found)
    assert {str(event["UID"]) for event in found}.isdisjoint({"evil"})
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 6
    assert not any(line.startswith(("SUMMARY:Injected", "UID:evil", "DTSTART:2026")) for line in lines)
    eve = next(event for event in found if str(event["SUMMARY"]).startswith("Eve"))
    assert str(eve["SUMMARY"]) == "Eve END:VEVENT BEGIN:VEVENT SUMMARY:Injected UID:evil — Birthday"
    assert "\x1b" not in text


EVENT_PROPERTIES = ("UID", "DTSTAMP", "DTSTART", "DTEND", "RRULE", "SUMMARY", "DESCRIPTION", "CATEGORIES")
EVENT_PROPERTIES += ("TRANSP", "SEQUENCE", "LAST-MODIFIED")
PERSON = Person(1, "Ada", updated="2026-01-01T00:00:00Z")
OCCASION = Occasion(1, 1, "birthday", 12, 10, 1815, updated="2026-01-01T00:00:00Z")
# Any text a database may hold, control characters aside (those are replaced).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120)


@settings(max_examples=150, deadline=None)
@given(name=TEXT, notes=TEXT, tag=TEXT)
def test_any_name_notes_and_tag_round_trip_through_an_independent_parser(name: str, notes: str, tag: str) -> None:
    person = PERSON._replace(name=name, notes=notes, tags=(tag,))
    text, _ = calendar([(person, OCCASION)], Export(db_id="0123456789abcdef", today=date(2026, 11, 22)))
    (event,) = events(text)
    assert str(event["SUMMARY"]) == f"{name} — Birthday"
    assert str(event["DESCRIPTION"]) == f"Born 1815\n{notes}"
    assert event["CATEGORIES"].cats == ["Birthday"] + ([] if "," in tag else [tag])
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


@settings(max_examples=150, deadline=None)
@given(name=st.text(min_size=1, max_size=80), notes=st.text(min_size=1, max_size=80))
def test_no_text_at_all_adds_an_event_or_a_property(name: str, notes: str) -> None:
    person = PERSON._replace(name=name, notes=notes)
    text, _ = calendar([(person, OCCASION)], Export(db_id="0123456789abcdef", today=date(2026, 11, 22)))
    (event,) = events(text)
    assert sorted(event) == sorted(EVENT_PROPERTIES)
    assert text.count("\r\nBEGIN:") == 2  # one event and its alarm


# -- writing the file ------------------------------------------------------------------------


def test_output_file_is_written_whole_and_private_and_the_command_says_what_it_wrote(servant, people, tmp_path) -> None:
    target = tmp_path / "cal" / "servant.ics"
    target.parent.mkdir()
    result = servant("export", "ics", "--from", FROM, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Wrote 6 events for 4 people to {target}\n"
    assert target.read_bytes() == export(servant).encode()
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["servant.ics"], "no temporary file is left"


def test_rewriting_the_file_replaces_it_whole_and_keeps_its_permissions(servant, people, tmp_path) -> None:
    target = tmp_path / "servant.ics"
    target.write_bytes(OLD.encode())
    target.chmod(0o644)
    before = target.stat().st_ino
    assert ok(servant("export", "ics", "-o", str(target), "--quiet")) == ""
    assert target.read_text().startswith("BEGIN:VCALENDAR")
    assert target.stat().st_ino != before, "a new file renamed into place, not the old one rewritten"
    assert target.stat().st_mode & 0o777 == 0o644


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(servant, people, tmp_path, monkeypatch) -> None:
    target = tmp_path / "servant.ics"
    target.write_bytes(OLD.encode())

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = servant("export", "ics", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {target}: No space left on device; the file was left as it was\n"
    assert target.read_bytes() == OLD.encode()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".servant.ics")] == []


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing/servant.ics", "the folder {tmp}/missing does not exist"),
        ("missing/", "the folder {tmp}/missing/ does not exist; give a file name such as {tmp}/missing/servant.ics"),
        (".", "{tmp} is a folder; give a file name in it, such as {tmp}/servant.ics"),
    ],
)
def test_an_output_path_that_cannot_be_a_file_is_refused_before_anything_is_read(
    servant, people, tmp_path, monkeypatch, where: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    target = str(tmp_path / where) if where != "." else str(tmp_path)
    target += "/" if where.endswith("/") else ""
    before = dump(tmp_path / "servant.db")
    result = servant("export", "ics", "-o", target)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --output: {message.format(tmp=tmp_path)}\n"
    assert dump(tmp_path / "servant.db") == before


def test_a_symlinked_output_replaces_the_file_it_points_to_and_stays_a_link(servant, people, tmp_path) -> None:
    real = tmp_path / "synced" / "servant.ics"
    real.parent.mkdir()
    real.write_bytes(OLD.encode())
    link = tmp_path / "servant.ics"
    link.symlink_to(real)
    ok(servant("export", "ics", "-o", str(link), "-q"))
    assert link.is_symlink()
    assert real.read_text().startswith("BEGIN:VCALENDAR")


def test_a_pipe_given_as_output_is_written_to_not_replaced(tmp_path, people) -> None:
    # `-o /dev/stdout` or a named pipe: renaming a file over it would replace the node.
    fifo = tmp_path / "calendar.pipe"
    os.mkfifo(fifo)
    process = subprocess.Popen([sys.executable, "-m", "servant_cli", "export", "ics", "-o", str(fifo), "-q"])
    with open(fifo, "rb") as reader:
        data = reader.read()
    assert process.wait(timeout=30) == 0
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert len(events(data.decode())) == 6
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_the_database_itself_is_never_an_output(servant, people, db_path) -> None:
    before = dump(db_path)
    for command in (("ics",), ("csv",), ("vcard",)):
        result = servant("export", *command, "-o", str(db_path))
        assert result.exit_code == 2
        assert result.stderr == f"Error: --output: {db_path} is the database itself; choose another file name\n"
    assert dump(db_path) == before


def test_a_file_the_export_did_not_write_is_not_replaced(servant, people, tmp_path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    result = servant("export", "ics", "-o", str(notes))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: --output: {notes} exists and is not a file servant wrote; it was left as it was "
        "(remove it first, or choose another name)\n"
    )
    assert notes.read_text() == "my notes"
    # Another program's calendar, address book or spreadsheet is not servant's either.
    for name, text in (
        ("google.ics", "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"),
        ("contacts.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//macOS 14.5//EN\r\n"),
        ("people.csv", "First Name,Last Name\r\nAda,Lovelace\r\n"),
    ):
        other = tmp_path / name
        other.write_bytes(text.encode())
        command = {"ics": "ics", "vcf": "vcard", "csv": "csv"}[name.rsplit(".", 1)[1]]
        assert servant("export", command, "-o", str(other)).exit_code == 1
        assert other.read_bytes() == text.encode()
    ok(servant("export", "vcard", "-o", str(tmp_path / "mine.vcf"), "-q"))
    ok(servant("export", "vcard", "-o", str(tmp_path / "mine.vcf"), "-q"))
    ok(servant("export", "csv", "-o", str(tmp_path / "mine.csv"), "-q"))
    ok(servant("export", "csv", "-o", str(tmp_path / "mine.csv"), "-q"))
    empty = tmp_path / "empty.ics"
    empty.touch()
    ok(servant("export", "ics", "-o", str(empty), "-q"))
    assert empty.read_text().startswith("BEGIN:VCALENDAR")


def test_a_command_that_changes_nothing_leaves_the_export_byte_identical(servant, people) -> None:
    ok(servant("edit", "Ada", "--company", "Analytical Engines"))
    before = export(servant)
    assert ok(servant("edit", "Ada", "--company", "Analytical Engines")).startswith("No change to Ada Lovelace")
    assert ok(servant("date", "Ada", "birthday", "1815-12-10")) == (
        "No change to Ada Lovelace's Birthday: 10 December 1815\n"
    )
    assert export(servant) == before


def test_a_new_feb29_rule_or_default_lead_is_a_new_version_of_every_event(
    servant, people, write_config, db_path
) -> None:
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE occasion SET updated = '2025-01-01T00:00:00Z'")
        conn.execute("UPDATE person SET updated = '2025-01-01T00:00:00Z'")
    conn.close()
    before = by_summary(export(servant))
    write_config('feb29 = "mar1"\n')
    after = by_summary(export(servant))
    for summary, event in after.items():
        assert str(event["UID"]) == str(before[summary]["UID"])
        assert int(event["SEQUENCE"]) == int(before[summary]["SEQUENCE"]) + 1
        assert event.decoded("DTSTAMP") > before[summary].decoded("DTSTAMP")
    again = export(servant)
    assert export(servant) == again, "the same settings again change nothing"
    write_config('feb29 = "mar1"\nlead_days = 3\n')
    assert int(by_summary(export(servant))["Leap Day — Birthday"]["SEQUENCE"]) == 2


def test_years_that_pass_the_year_9999_are_refused(servant, people) -> None:
    result = servant("export", "ics", "--years", "30", "--from", "9988-12-31")
    assert result.exit_code == 2
    assert result.stderr == "Error: --years: 30 years from 9988-12-31 go past the year 9999\n"


# -- one calendar object per event (servant publish) ------------------------------------------


def test_each_calendar_object_holds_the_event_the_export_writes_byte_for_byte(servant, people) -> None:
    from servant_cli.ical import calendar_objects
    from servant_cli.store import Store

    store = Store.open(Path(os.environ["SERVANT_DB"]))
    try:
        rows = store.all_occasions()
        export = Export(db_id=store.meta("db_id") or "", today=date.fromisoformat(FROM))
        text, _ = calendar(rows, export)
        objects = list(calendar_objects(rows, export))
    finally:
        store.close()
    assert len(objects) == 6
    for found in objects:
        assert found.text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:") and found.text.endswith("\r\n")
        assert "X-WR-CALNAME" not in found.text
        event = found.text[found.text.index("BEGIN:VEVENT") : found.text.index("END:VEVENT") + len("END:VEVENT")]
        assert f"\r\n{event}\r\n" in text, "the same event as in the file, byte for byte"
        assert f"\r\nUID:{found.uid}\r\n" in event
        assert str(events(found.text)[0]["SUMMARY"]) == found.summary
