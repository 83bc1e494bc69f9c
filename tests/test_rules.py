"""Custom dates that are yearly rules: "2nd Sunday of May", "last Monday of May",
"Easter+49". Typed with ``servant add`` and ``servant date``, placed on their day of each
year by ``upcoming``, ``digest``, ``show`` and ``log``, and written by every export:
``.ics`` (an RRULE, or the days counted from Easter), servant's CSV and JSON (exactly,
and read back), vCard (left out, with a note), and ``publish``.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from davservers import Account, events
from helpers import dump, ok

#: (typed, in words, stored form, --from, its day in the window after it)
RULES = [
    ("2nd Sunday of May", "2nd Sunday of May", "2SU/5", "2026-05-01", "2026-05-10"),
    ("second sunday in may", "2nd Sunday of May", "2SU/5", "2027-05-01", "2027-05-09"),
    ("last Monday of May", "last Monday of May", "-1MO/5", "2026-05-01", "2026-05-25"),
    ("4th Thursday of November", "4th Thursday of November", "4TH/11", "2026-11-01", "2026-11-26"),
    ("first Friday of December", "1st Friday of December", "1FR/12", "2026-11-30", "2026-12-04"),
    ("Easter", "Easter", "easter", "2026-03-30", "2026-04-05"),
    ("Easter-2", "2 days before Easter", "easter-2", "2026-03-30", "2026-04-03"),
    ("Easter+49", "49 days after Easter", "easter+49", "2026-05-01", "2026-05-24"),
    ("easter + 49 days", "49 days after Easter", "easter+49", "2027-05-01", "2027-05-16"),
]


def stored_rules(path: Path) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT label, rule, year, yearly FROM occasion WHERE rule IS NOT NULL ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize(("typed", "words", "stored", "start", "day"), RULES)
def test_a_rule_is_stored_said_in_words_and_comes_up_on_its_day(
    servant, db_path, typed, words, stored, start, day
) -> None:
    ok(servant("add", "Ada"))
    said = ok(servant("date", "Ada", "custom", typed, "--label", "Feast"))
    assert said == f"Added Ada's Feast: {words}\n"
    assert stored_rules(db_path) == [("Feast", stored, None, 1)]
    items = json.loads(ok(servant("upcoming", "--from", start, "--days", "30", "--json")))
    assert [(item["date"], item["label"], item["years"]) for item in items] == [(day, "Feast", None)]
    when = date.fromisoformat(day)
    assert items[0]["days_until"] == (when - date.fromisoformat(start)).days


def test_mothers_day_moves_with_the_year_in_upcoming(servant) -> None:
    ok(servant("add", "Mum", "--date", "Mother's Day=2nd Sunday of May"))
    items = json.loads(ok(servant("upcoming", "--from", "2026-01-01", "--days", "730", "--json")))
    assert [item["date"] for item in items] == ["2026-05-10", "2027-05-09"]
    lines = ok(servant("upcoming", "--from", "2026-05-04", "--days", "7")).splitlines()
    assert lines == ["in 6 days  Sun 10 May 2026  Mum  Mother's Day"]


def test_add_echoes_the_rule_and_show_gives_it_in_words_with_its_next_day(servant) -> None:
    said = ok(servant("add", "Ada", "--birthday", "1990-03-01", "--date", "Thanksgiving=4th Thursday of November"))
    assert said == "Added Ada (#1)\n  Birthday: 1 March 1990\n  Thanksgiving: 4th Thursday of November\n"
    shown = ok(servant("show", "Ada", "--from", "2026-11-01"))
    assert "Thanksgiving  4th Thursday of November  Thu 26 Nov 2026, in 25 days" in shown
    profile = json.loads(ok(servant("show", "Ada", "--json", "--from", "2026-11-01")))
    thanksgiving = profile["dates"][1]
    assert (thanksgiving["date"], thanksgiving["rule"], thanksgiving["next"], thanksgiving["years"]) == (
        None,
        "4th Thursday of November",
        "2026-11-26",
        None,
    )
    assert profile["dates"][0]["rule"] is None


def test_the_digest_acts_on_a_rule_date_in_its_lead_window(servant) -> None:
    ok(servant("add", "Mum", "--date", "Mother's Day=2nd Sunday of May"))
    ok(servant("date", "Mum", "custom", "--label", "Mother's Day", "--plan", "flowers"))
    text = ok(servant("digest", "--from", "2026-05-05"))
    assert "- Order flowers for Mum — Mother's Day, Sun 10 May, in 5 days" in text
    assert ok(servant("digest", "--from", "2026-05-11")) == ""


def test_a_gesture_counts_for_the_occurrence_of_the_rule_it_was_near(servant) -> None:
    ok(servant("add", "Mum", "--date", "Mother's Day=2nd Sunday of May"))
    said = ok(servant("log", "Mum", "flowers", "tulips", "--on", "2026-05-07"))
    assert "Counts as done for Mum's Mother's Day, Sun 10 May" in said
    items = json.loads(ok(servant("upcoming", "--from", "2026-05-08", "--days", "3", "--json")))
    assert [(item["date"], item["handled"]) for item in items] == [("2026-05-10", True)]
    # A belated call --for it counts for the day just gone (11 May 2025), not the next one.
    said = ok(servant("log", "Mum", "call", "--for", "Mother's Day", "--on", "2025-05-13"))
    assert "Counts as done for Mum's Mother's Day, Sun 11 May" in said


def test_a_rule_replaces_a_fixed_date_and_back_keeping_the_id(servant, db_path) -> None:
    ok(servant("add", "Ada", "--date", "Feast=2015-05-10"))
    said = ok(servant("date", "Ada", "custom", "2nd Sunday of May", "--label", "Feast"))
    assert said == "Changed Ada's Feast: 10 May 2015 → 2nd Sunday of May\n"
    assert stored_rules(db_path) == [("Feast", "2SU/5", None, 1)]
    assert ok(servant("date", "Ada", "custom", "2nd Sunday of May", "--label", "Feast")) == (
        "No change to Ada's Feast: 2nd Sunday of May\n"
    )
    said = ok(servant("edit", "Ada", "--date", "Feast=May 12"))
    assert said == "Updated Ada (#1)\n  Feast: 12 May (was 2nd Sunday of May)\n"
    assert stored_rules(db_path) == []
    profile = json.loads(ok(servant("show", "Ada", "--json", "--from", "2026-01-01")))
    assert [(d["id"], d["date"], d["rule"]) for d in profile["dates"]] == [(1, "--05-12", None)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("date", "Ada", "birthday", "2nd Sunday of May"),
            "Error: DATE: '2nd Sunday of May' is a yearly rule, and only a custom date can be one"
            " (--date LABEL=RULE); a birthday needs its day\n",
        ),
        (
            ("add", "Bob", "--client-since", "Easter"),
            "Error: --client-since: 'Easter' is a yearly rule, and only a custom date can be one"
            " (--date LABEL=RULE); a client since needs its day\n",
        ),
        (
            ("date", "Ada", "custom", "5th Sunday of May", "--label", "Feast"),
            "Error: DATE: '5th Sunday of May': only some years have a 5th Sunday of May; use 1st to 4th, or last\n",
        ),
        (
            ("date", "Ada", "custom", "Easter+100", "--label", "Feast"),
            "Error: DATE: 'Easter+100': a day counted from Easter must be within 70 days of it,"
            " e.g. Easter-2 or Easter+49\n",
        ),
        (
            ("date", "Ada", "custom", "2nd Sunday of Smarch", "--label", "Feast"),
            "Error: DATE: '2nd Sunday of Smarch': 'Smarch' is not a month; use \"2nd Sunday of May\","
            ' "last Monday of May", "Easter", "Easter-2", "Easter+49"\n',
        ),
        (
            ("date", "Ada", "custom", "2nd of May-ish", "--label", "Feast"),
            "Error: DATE: '2nd of May-ish' is not a date; use 1985-03-14, --03-14, 03-14, \"March 14\","
            ' "14 Mar 1985", 03/14/1985\n',
        ),
        (
            ("date", "Ada", "custom", "Easter", "--label", "Feast", "--once"),
            "Error: --once: a rule comes round every year; give a one-off date its day, e.g. 2026-05-10\n",
        ),
    ],
)
def test_a_rule_that_cannot_be_kept_is_refused_and_nothing_is_written(servant, db_path, args, message) -> None:
    ok(servant("add", "Ada"))
    before = dump(db_path)
    result = servant(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert dump(db_path) == before


# -- calendars ------------------------------------------------------------------------------


def calendar_days(text: str, start: date, end: date) -> set[tuple[str, date]]:
    calendar = icalendar.Calendar.from_ical(text)
    shown = recurring_ical_events.of(calendar).between(start, end + timedelta(days=1))
    return {(str(event["SUMMARY"]), event.decoded("DTSTART")) for event in shown}


def upcoming_days(servant, start: str, days: int) -> set[tuple[str, date]]:
    items = json.loads(ok(servant("upcoming", "--from", start, "--days", str(days), "--json")))
    return {(f"{item['person']} — {item['label']}", date.fromisoformat(item["date"])) for item in items}


@pytest.fixture
def feasts(servant) -> None:
    ok(
        servant(
            "add",
            "Mum",
            "--date",
            "Mother's Day=2nd Sunday of May",
            "--date",
            "Memorial=last Monday of May",
            "--date",
            "Thanksgiving=4th Thursday of November",
            "--date",
            "Good Friday=Easter-2",
            "--date",
            "Whit Sunday=Easter+49",
            "--birthday",
            "1960-02-29",
        )
    )


def test_export_ics_writes_the_rrule_and_expands_to_the_days_upcoming_shows_for_ten_years(servant, feasts) -> None:
    text = ok(servant("export", "ics", "--from", "2026-11-22"))
    events = {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}
    assert events["Mum — Mother's Day"]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=2SU;BYMONTH=5"
    assert "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU" in text.replace("\r\n ", "")
    assert "FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO" in text.replace("\r\n ", "")
    assert "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH" in text.replace("\r\n ", "")
    # A day counted from Easter has no RRULE: its days are listed.
    assert "RRULE" not in events["Mum — Whit Sunday"]
    assert events["Mum — Whit Sunday"].decoded("DTSTART") == date(2000, 6, 11)
    start = date(2026, 11, 22)
    end = start + timedelta(days=3660)
    days = calendar_days(text, start, end)
    assert days == upcoming_days(servant, "2026-11-22", 3660)
    assert ("Mum — Mother's Day", date(2027, 5, 9)) in days
    assert ("Mum — Good Friday", date(2027, 3, 26)) in days
    assert ("Mum — Whit Sunday", date(2036, 6, 1)) in days
    # Two exports of the same data are the same bytes.
    assert ok(servant("export", "ics", "--from", "2027-06-01")) == text


def test_export_ics_years_gives_a_dated_event_for_each_occurrence_of_a_rule(servant, feasts) -> None:
    text = ok(servant("export", "ics", "--from", "2026-01-01", "--years", "2"))
    days = calendar_days(text, date(2026, 1, 1), date(2027, 12, 31))
    # (A birthday's event is titled with the age here: "Mum turns 67".)
    assert {day for day in days if "turns" not in day[0]} == {
        day for day in upcoming_days(servant, "2026-01-01", 729) if "Birthday" not in day[0]
    }
    assert ("Mum — Good Friday", date(2026, 4, 3)) in days
    assert ("Mum — Whit Sunday", date(2026, 5, 24)) in days
    assert "RDATE" not in text and "BYDAY" not in text


def test_publish_puts_rule_dates_on_the_calendar_on_their_days(
    servant, feasts, radicale, monkeypatch: pytest.MonkeyPatch
) -> None:
    account: Account = radicale.account()
    for name, value in account.env().items():
        monkeypatch.setenv(name, value)
    said = ok(servant("publish"))
    assert said.endswith(": 6 added, 0 changed, 0 removed, 0 unchanged\n")
    calendar = icalendar.Calendar()
    for _, event in events(account.objects()):
        calendar.add_component(event)
    start = date(2026, 11, 22)
    end = start + timedelta(days=3660)
    shown = recurring_ical_events.of(calendar).between(start, end + timedelta(days=1))
    days = {(str(event["SUMMARY"]), event.decoded("DTSTART")) for event in shown}
    assert days == upcoming_days(servant, "2026-11-22", 3660)
    assert ("Mum — Thanksgiving", date(2027, 11, 25)) in days
    # Moving a rule changes that one object.
    ok(servant("date", "Mum", "custom", "3rd Sunday of May", "--label", "Mother's Day"))
    assert ok(servant("publish")).endswith(": 0 added, 1 changed, 0 removed, 5 unchanged\n")


# -- files ----------------------------------------------------------------------------------


def test_servant_csv_writes_the_rule_and_reads_it_back_exactly(servant, feasts, tmp_path) -> None:
    ok(servant("date", "Mum", "custom", "--label", "Whit Sunday", "--plan", "card", "--lead", "3"))
    text = ok(servant("export", "csv"))
    assert (
        "\"Mother's Day=2SU/5; Memorial=-1MO/5; Thanksgiving=4TH/11; Good Friday=easter-2;"
        ' Whit Sunday=easter+49 lead 3 plan card"'
    ) in text
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    other = tmp_path / "other.db"
    ok(servant("import", str(path), "-q", env={"SERVANT_DB": str(other)}))
    assert ok(servant("export", "csv", env={"SERVANT_DB": str(other)})) == text
    upcoming = ["upcoming", "--from", "2026-01-01", "--days", "365", "--json"]
    assert ok(servant(*upcoming, env={"SERVANT_DB": str(other)})) == ok(servant(*upcoming))
    # Back into the database it came from: nothing changes.
    assert "0 added, 0 updated, 1 unchanged" in ok(servant("import", str(path)))


def test_servant_csv_refuses_a_rule_for_a_birthday_and_reads_one_in_words(servant, tmp_path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,birthday,dates\nAnn,2SU/5,\nBob,,Feast=easter+49 plan card\n", encoding="utf-8")
    result = servant("import", str(path))
    assert result.exit_code == 0
    assert "skipped Ann: birthday '2SU/5' is a yearly rule; only a custom date can be one (line 2)" in result.stderr
    items = json.loads(ok(servant("upcoming", "--from", "2026-05-20", "--days", "7", "--json")))
    assert [(item["person"], item["date"], item["label"]) for item in items] == [("Bob", "2026-05-24", "Feast")]


def test_servant_json_writes_the_rule_and_reads_it_back_exactly(servant, feasts, tmp_path) -> None:
    text = ok(servant("export", "json"))
    dates = json.loads(text)["people"][0]["dates"]
    assert {"kind": "custom", "label": "Mother's Day", "rule": "2SU/5"} in dates
    assert {"kind": "custom", "label": "Whit Sunday", "rule": "easter+49"} in dates
    path = tmp_path / "all.json"
    path.write_text(text, encoding="utf-8")
    other = tmp_path / "other.db"
    ok(servant("import", str(path), "-q", env={"SERVANT_DB": str(other)}))
    assert ok(servant("export", "json", env={"SERVANT_DB": str(other)})) == text


def test_servant_json_skips_a_person_with_a_rule_it_cannot_keep(servant, tmp_path) -> None:
    path = tmp_path / "x.json"
    people = [
        {"id": 1, "name": "Ann", "dates": [{"kind": "birthday", "rule": "2SU/5"}]},
        {"id": 2, "name": "Bob", "dates": [{"kind": "custom", "label": "Feast", "rule": "2SU/5", "once": True}]},
        {"id": 3, "name": "Cy", "dates": [{"kind": "custom", "label": "Feast", "rule": "5SU/5"}]},
        {"id": 4, "name": "Di", "dates": [{"kind": "custom", "label": "Feast", "rule": "-1MO/5"}]},
    ]
    path.write_text(json.dumps({"format": "servant", "version": 1, "people": people}), encoding="utf-8")
    result = servant("import", str(path))
    assert result.exit_code == 0
    assert "skipped Ann: birthday rule '2SU/5' is a yearly rule; only a custom date can be one" in result.stderr
    assert "skipped Bob: the custom date '2SU/5' is a yearly rule; it cannot be one-off" in result.stderr
    assert "skipped Cy: the custom rule '5SU/5' is not a rule; use e.g. 2SU/5, -1MO/5 or easter+49" in result.stderr
    assert "1 added" in result.stdout
    items = json.loads(ok(servant("upcoming", "--from", "2026-05-20", "--days", "7", "--json")))
    assert [(item["person"], item["date"]) for item in items] == [("Di", "2026-05-25")]


def test_vcard_leaves_a_rule_date_out_and_says_so(servant, feasts) -> None:
    note = (
        "Note: 5 dates that are yearly rules (Mum's Mother's Day, …) are not in the vCards: a vCard holds"
        " days only; 'servant export csv' or 'json' keeps them\n"
    )
    card = ok(servant("export", "vcard"), note)
    assert "BDAY:1960-02-29" in card
    assert "X-ABDATE" not in card and "Mother" not in card


def test_a_rule_changed_in_the_file_is_taken_and_one_edited_here_is_kept_in_a_conflict(servant, tmp_path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,dates\nAnn,Feast=2SU/5\n", encoding="utf-8")
    ok(servant("import", str(path), "-q"))
    path.write_text("name,dates\nAnn,Feast=3SU/5\n", encoding="utf-8")
    said = ok(servant("import", str(path)))
    assert "1 updated" in said
    assert ok(servant("show", "Ann", "--json", "--from", "2026-01-01")).count('"3rd Sunday of May"') == 1
    # Changed here, then again in the file: servant's own is kept, and the report says both in words.
    ok(servant("date", "Ann", "custom", "last Monday of May", "--label", "Feast"))
    path.write_text("name,dates\nAnn,Feast=easter+49\n", encoding="utf-8")
    said = ok(servant("import", str(path)))
    assert "  kept your Feast for Ann; the file now says 49 days after Easter\n" in said
    said = ok(servant("import", str(path), "--prefer-file"))
    assert "  took the file's Feast for Ann: 49 days after Easter (yours was last Monday of May)\n" in said
    items = json.loads(ok(servant("upcoming", "--from", "2026-05-20", "--days", "7", "--json")))
    assert [(item["person"], item["date"]) for item in items] == [("Ann", "2026-05-24")]


def test_a_rule_servant_does_not_know_in_the_file_is_one_clear_error_until_set_again(servant, db_path) -> None:
    import sqlite3

    ok(servant("add", "Mum", "--date", "Mother's Day=2nd Sunday of May"))
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE occasion SET rule = '9XX/5'")
    conn.commit()
    conn.close()
    result = servant("upcoming", "--from", "2026-05-01")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: a stored date or season has the rule '9XX/5', which this servant does not know;"
        " set that date again with 'servant date', or remove the season and add it again\n"
    )
    said = ok(servant("date", "Mum", "custom", "2nd Sunday of May", "--label", "Mother's Day"))
    assert said == "Changed Mum's Mother's Day: the unknown rule '9XX/5' → 2nd Sunday of May\n"
    assert "Sun 10 May 2026" in ok(servant("upcoming", "--from", "2026-05-01"))


def test_upcoming_filters_rule_dates_by_tag_and_kind_like_any_other(servant) -> None:
    ok(servant("add", "Mum", "--date", "Mother's Day=2nd Sunday of May", "--tag", "family"))
    ok(servant("add", "Ines", "--date", "Feast=2nd Sunday of May", "--birthday", "1990-05-10", "--tag", "client"))
    window = ["--from", "2026-05-01", "--days", "30", "--json"]

    def shown(*args: str) -> list[tuple[str, str, str]]:
        items = json.loads(ok(servant("upcoming", *window, *args)))
        return [(item["person"], item["label"], item["date"]) for item in items]

    assert shown("--tag", "client") == [("Ines", "Birthday", "2026-05-10"), ("Ines", "Feast", "2026-05-10")]
    assert shown("--kind", "custom") == [("Ines", "Feast", "2026-05-10"), ("Mum", "Mother's Day", "2026-05-10")]
    assert shown("--tag", "family", "--kind", "birthday") == []
