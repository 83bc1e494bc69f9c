"""Seasons through the command line: one occasion for everyone with a tag.

``servant season add/list/show/rm``, ticking people off with ``log --for SEASON`` and
``log --season S KIND --all-left``, the digest's line and people left, and the season
as one calendar event (export ics, publish). Every date is fixed (``--from``, ``--on``).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

import test_mail
from davservers import events
from helpers import dump, ok
from test_mail import html_part, mailed, parse, rows, words

#: The SMTP server and its settings, as test_mail starts them.
start_server = test_mail.start_server
smtp_env = test_mail.smtp_env

FROM = "2026-11-20"
CLIENTS = (
    ("add", "Ada Lovelace", "--tag", "client", "--phone", "+1 555 0100", "--email", "ada@example.com"),
    ("add", "Bob Stone", "--tag", "client", "--note", "12 Main St, Springfield"),
    ("add", "Cy Twombly", "--tag", "friend", "--birthday", "1928-04-25"),
    ("add", "Di Prince", "--tag", "Client"),
    ("season", "add", "Holiday cards", "--on", "Dec 1", "--tag", "client", "--plan", "card", "--lead", "21"),
)


@pytest.fixture
def clients(database_from) -> Path:
    return database_from(*CLIENTS)


def log_for(servant, who: str, on: str = "2026-11-18") -> str:
    return ok(servant("log", who, "card", "--for", "holiday cards", "--on", on))


# -- add, list, show, rm ------------------------------------------------------------------


def test_a_season_is_added_listed_shown_and_removed(servant, clients) -> None:
    assert ok(servant("season", "add", "New Year call", "--on", "01-02", "--plan", "call")) == (
        "Added the season 'New Year call': Jan 2, for everyone (4 people), plan call\n"
    )
    assert ok(servant("season", "list", "--from", FROM)) == (
        "Holiday cards  Dec 1  tag client  plan card  lead 21  Tue 1 Dec 2026: 0 done, 3 to go\n"
        "New Year call  Jan 2  everyone    plan call           Sat 2 Jan 2027: 0 done, 4 to go\n"
    )
    assert ok(servant("season", "show", "holiday", "--from", FROM)) == (
        "Holiday cards — Tue 1 Dec 2026 (in 11 days)\n"
        "For tag client; post a card, reminded 21 days ahead\n"
        "0 done, 3 to go (3 people)\n"
        "\n"
        "Left\n"
        "  Ada Lovelace — +1 555 0100 · ada@example.com\n"
        "  Bob Stone — 12 Main St, Springfield\n"
        "  Di Prince\n"
    )
    assert ok(servant("season", "rm", "New Year call", "--yes")) == "Removed the season 'New Year call'\n"
    assert ok(servant("season", "list", "--from", FROM)).startswith("Holiday cards ")
    assert ok(servant("season", "rm", "Holiday cards", "--yes")) == "Removed the season 'Holiday cards'\n"
    assert ok(servant("season", "list")) == (
        "No seasons yet; add one with: servant season add NAME --on DATE --tag TAG\n"
    )


def test_season_show_json_says_who_is_done_and_who_is_left_with_how_to_reach_them(servant, clients) -> None:
    log_for(servant, "Bob")
    shown = json.loads(ok(servant("season", "show", "Holiday cards", "--json", "--from", FROM)))
    assert shown == {
        "id": 1,
        "name": "Holiday cards",
        "on": "--12-01",
        "rule": None,
        "tags": ["client"],
        "plan": "card",
        "lead_days": 21,
        "date": "2026-12-01",
        "days_until": 11,
        "people": 3,
        "done": [
            {
                "person_id": 2,
                "person": "Bob Stone",
                "gesture": {"id": 1, "kind": "card", "what": None, "on": "2026-11-18"},
            }
        ],
        "left": [
            {
                "person_id": 1,
                "person": "Ada Lovelace",
                "phone": "+1 555 0100",
                "email": "ada@example.com",
                "note": None,
            },
            {"person_id": 4, "person": "Di Prince", "phone": None, "email": None, "note": None},
        ],
    }
    listed = json.loads(ok(servant("season", "list", "--json", "--from", FROM)))
    assert [(s["name"], s["date"], s["people"], s["done"]) for s in listed] == [("Holiday cards", "2026-12-01", 3, 1)]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("season", "show", "Holliday cards"),
            1,
            "there is no season 'Holliday cards'; did you mean 'Holiday cards'? See 'servant season list'",
        ),
        (("season", "rm", "Easter", "--yes"), 1, "there is no season 'Easter'; see 'servant season list'"),
        (
            ("season", "add", "HOLIDAY  cards", "--on", "Dec 2"),
            2,
            "NAME: there is a season 'Holiday cards' already; pick another name, or remove it first",
        ),
        (
            ("season", "add", "Cards", "--on", "2026-12-01"),
            2,
            "--on: '2026-12-01' has a year, but a season comes every year; give the day alone, e.g. Dec 1",
        ),
        (("season", "add", "Cards", "--on", "Dec 41"), 2, "--on: 'Dec 41' is not a date: December has no day 41"),
        (
            ("season", "add", "Cards", "--on", "Dec 1", "--tag", "clinet"),
            1,
            "--tag: no one has the tag 'clinet'; tags in use: client, friend",
        ),
        (("season", "add", "Cards", "--on", "Dec 1", "--lead", "400"), 2, "--lead: 400 is out of range; use 0 to 365"),
        (("season", "add", " ", "--on", "Dec 1"), 2, "NAME: a season needs a name (it was empty)"),
        (
            ("log", "Cy", "card", "--for", "Holiday cards"),
            2,
            "--for: Cy Twombly is not in the season 'Holiday cards' (for tag client);"
            " tag them first ('servant edit … --tag'), or leave --for out",
        ),
        (
            ("log", "Ada", "card", "--for", "Holliday cards"),
            2,
            "--for: Ada Lovelace has no key dates; leave --for out, or give --for none; or a season: 'Holiday cards'",
        ),
        (
            ("log", "Cy", "card", "--for", "Holliday cards"),
            2,
            "--for: Cy Twombly has no 'Holliday cards' date (has: birthday); give one of those, or none;"
            " or a season: 'Holiday cards'",
        ),
        (
            ("log", "--season", "Holiday cards", "card"),
            2,
            "--season and --all-left go together: servant log --season 'Holiday cards' card --all-left",
        ),
        (
            ("log", "--season", "Holliday", "card", "--all-left", "--yes"),
            1,
            "there is no season 'Holliday'; did you mean 'Holiday cards'? See 'servant season list'",
        ),
        (
            ("log", "--season", "Holiday", "cake", "--all-left", "--yes"),
            2,
            "Invalid value for 'KIND': 'cake' is not one of 'call', 'card', 'gift', 'flowers', 'message', 'visit',"
            " 'note' (see 'servant log --help')",
        ),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(servant, clients, args, code, message) -> None:
    before = dump(clients)
    result = servant(*args)
    assert (result.exit_code, result.stdout) == (code, "")
    assert result.stderr.startswith(f"Error: {message}"), result.stderr
    assert result.stderr.count("\n") == 1
    assert dump(clients) == before


def test_removing_a_season_asks_and_piped_without_yes_removes_nothing(servant, clients) -> None:
    before = dump(clients)
    result = servant("season", "rm", "Holiday cards")
    assert (result.exit_code, result.stderr) == (1, "Error: aborted, nothing was changed\n")
    assert dump(clients) == before
    assert ok(servant("season", "rm", "Holiday cards", input="y\n")).endswith("Removed the season 'Holiday cards'\n")


# -- ticking people off -------------------------------------------------------------------


def test_log_for_a_season_ticks_the_person_off_and_forget_takes_it_back(servant, clients) -> None:
    assert log_for(servant, "Ada") == (
        "Logged card #1 for Ada Lovelace, Wed 18 Nov 2026\n"
        "  It ticks Ada Lovelace off 'Holiday cards' (Tue 1 Dec 2026).\n"
    )
    shown = ok(servant("season", "show", "Holiday cards", "--from", FROM))
    assert "1 done, 2 to go (3 people)\n\nDone\n  Ada Lovelace — card, Wed 18 Nov 2026\n\nLeft\n" in shown
    assert "Ada Lovelace —" not in shown.split("Left\n")[1]
    assert ok(servant("gestures")) == "#1  Wed 18 Nov 2026  Ada Lovelace  card  for Holiday cards, Tue 1 Dec 2026\n"
    (listed,) = json.loads(ok(servant("gestures", "--json")))
    assert (listed["for"], listed["for_date"]) == ("Holiday cards", "2026-12-01")
    assert ok(servant("forget", "gesture", "1", "--yes")) == (
        "Forgot card #1 for Ada Lovelace, Wed 18 Nov 2026\n"
        "  Ada Lovelace is not ticked off 'Holiday cards' (Tue 1 Dec 2026) any more\n"
    )
    assert "0 done, 3 to go" in ok(servant("season", "show", "Holiday cards", "--from", FROM))


def test_all_left_logs_the_gesture_for_everyone_still_left_in_one_go(servant, clients) -> None:
    log_for(servant, "Bob")
    # Piped without --yes it asks, and no answer is no.
    before = dump(clients)
    result = servant("log", "--season", "Holiday cards", "card", "--all-left", "--on", "2026-11-19")
    assert result.exit_code == 1
    assert result.stderr == "Error: aborted, nothing was changed\n"
    assert dump(clients) == before
    out = ok(
        servant("log", "--season", "holiday", "card", "Snow globe card", "--all-left", "--on", "2026-11-19", "--yes")
    )
    assert out == (
        "Logged card for 2 people in 'Holiday cards' (Tue 1 Dec 2026):\n"
        "  card #2 for Ada Lovelace, Thu 19 Nov 2026: Snow globe card\n"
        "  card #3 for Di Prince, Thu 19 Nov 2026: Snow globe card\n"
    )
    assert "all 3 done (3 people)" in ok(servant("season", "show", "Holiday cards", "--from", FROM))
    result = servant("log", "--season", "Holiday cards", "card", "--all-left", "--on", "2026-11-20", "--yes")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --all-left: no one is left in 'Holiday cards' for Tue 1 Dec 2026 (all 3 are done)\n",
    )
    # Asked on a terminal (an answer on the input), yes logs it.
    ok(servant("add", "Eve Adams", "--tag", "client"))
    out = ok(servant("log", "--season", "Holiday cards", "card", "--all-left", "--on", "2026-11-20", input="y\n"))
    assert out == (
        "Log card for the 1 person left in 'Holiday cards'? [y/N]: y\n"
        "Logged card for 1 person in 'Holiday cards' (Tue 1 Dec 2026):\n"
        "  card #4 for Eve Adams, Fri 20 Nov 2026\n"
    )


def test_people_join_and_leave_a_season_with_its_tag(servant, clients) -> None:
    log_for(servant, "Bob")
    ok(servant("edit", "Cy", "--tag", "CLIENT"))
    # The start of a season's name is enough; Cy's birthday is not what a card --for it counts for.
    assert "It ticks Cy Twombly off 'Holiday cards'" in ok(
        servant("log", "Cy", "card", "--for", "holi", "--on", "2026-11-18")
    )
    assert "2 done, 2 to go (4 people)" in ok(servant("season", "show", "Holiday cards", "--from", FROM))
    ok(servant("forget", "gesture", "2", "--yes"))
    assert "1 done, 3 to go (4 people)" in ok(servant("season", "show", "Holiday cards", "--from", FROM))
    ok(servant("edit", "Bob", "--untag", "client"))
    shown = ok(servant("season", "show", "Holiday cards", "--from", FROM))
    assert "0 done, 3 to go (3 people)" in shown
    assert "Bob" not in shown
    # Tagged again, Bob is back, still done.
    ok(servant("edit", "Bob", "--tag", "client"))
    assert "1 done, 3 to go (4 people)" in ok(servant("season", "show", "Holiday cards", "--from", FROM))


def test_a_card_for_last_season_counts_for_the_day_it_missed_not_next_year(servant, clients) -> None:
    log_for(servant, "Ada", on="2025-12-05")
    shown = ok(servant("season", "show", "Holiday cards", "--from", "2025-12-06"))
    assert shown.startswith("Holiday cards — Mon 1 Dec 2025 (5 days ago)\n")
    assert "1 done, 2 to go" in shown
    # In the next year's lead time, the checklist is next year's.
    assert "0 done, 3 to go" in ok(servant("season", "show", "Holiday cards", "--from", "2026-11-20"))


# -- the digest ---------------------------------------------------------------------------


def test_the_digest_says_how_far_along_a_season_is_and_who_is_left(servant, clients) -> None:
    log_for(servant, "Bob")
    out = ok(servant("digest", "--from", FROM))
    assert out == (
        "servant digest for Fri 20 Nov 2026\n"
        "\n"
        "Holiday cards: post a card to 3 clients — Tue 1 Dec, in 11 days; 1 done,\n"
        "  2 to go\n"
        "- Ada Lovelace\n"
        "  +1 555 0100 · ada@example.com\n"
        "- Di Prince\n"
    )
    # Before its lead time, and with --kind (a season is no kind of date), it is not there.
    assert ok(servant("digest", "--from", "2026-11-09")) == ""
    assert ok(servant("digest", "--from", FROM, "--kind", "birthday")) == ""
    assert ok(servant("digest", "--from", FROM, "--tag", "friend")) == ""
    assert "Holiday cards" in ok(servant("digest", "--from", FROM, "--tag", "CLIENT"))
    # Everyone done: nothing left to do, so a digest of it alone says nothing (cron sends no mail).
    ok(servant("log", "--season", "Holiday cards", "card", "--all-left", "--on", "2026-11-19", "--yes"))
    assert ok(servant("digest", "--from", "2026-12-01")) == ""
    assert "all 3 done" in ok(servant("season", "list", "--from", "2026-12-01"))


def test_the_digest_names_a_group_it_cannot_make_plural_by_its_tag(servant, database_from) -> None:
    database_from(
        ("add", "Ann", "--tag", "family"),
        ("add", "Ben", "--tag", "VIP"),
        ("season", "add", "Mother's Day", "--on", "May 10", "--tag", "family", "--lead", "7"),
        ("season", "add", "Gifts", "--on", "May 12", "--tag", "family", "--tag", "VIP", "--plan", "gift"),
    )
    out = ok(servant("digest", "--from", "2026-05-05"))
    assert out == (
        "servant digest for Tue 5 May 2026\n"
        "\n"
        "Mother's Day: get ready for 1 person tagged family —\n"
        "  Sun 10 May, in 5 days; 0 done, 1 to go\n"
        "- Ann\n"
        "\n"
        "Gifts: get a gift for 2 people tagged family or VIP —\n"
        "  Tue 12 May, in 7 days; 0 done, 2 to go\n"
        "- Ann\n"
        "- Ben\n"
    )


def test_the_mailed_digest_has_a_table_per_season(servant, clients, start_server, smtp_env) -> None:
    log_for(servant, "Bob")
    message = mailed(servant, start_server, smtp_env, "--from", FROM)
    assert message["Subject"] == "servant: 1 season under way"
    page = parse(html_part(message))
    assert [words(h2) for h2 in page.iter("h2")] == [
        "Holiday cards: post a card to 3 clients — Tue 1 Dec, in 11 days; 1 done, 2 to go"
    ]
    (table,) = page.findall(".//table")
    assert [words(th) for th in table.findall("thead/tr/th")] == ["When", "Who", "What", "How to reach"]
    assert rows(table) == [
        ["Tue 1 Dec in 11 days", "Ada Lovelace", "Post a card Holiday cards", "+1 555 0100 ada@ example .com"],
        ["Tue 1 Dec in 11 days", "Di Prince", "Post a card Holiday cards", ""],
    ]


# -- calendars ----------------------------------------------------------------------------


def exported(servant, *args: str) -> dict[str, icalendar.Event]:
    result = servant("export", "ics", "--from", FROM, *args)
    assert result.exit_code == 0, result.stderr
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes.decode())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def db_id(path: Path) -> str:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'db_id'").fetchone()[0]
    finally:
        conn.close()


def test_a_season_is_one_yearly_event_naming_its_people(servant, clients) -> None:
    uid = f"season-1@{db_id(clients)}.servant"
    events = exported(servant)
    assert sorted(events) == sorted([uid, f"occasion-1@{db_id(clients)}.servant"])
    event = events[uid]
    assert str(event["SUMMARY"]) == "Holiday cards"
    assert str(event["DESCRIPTION"]) == (
        "Plan: Post a card\nFor: everyone tagged client\n3 people: Ada Lovelace, Bob Stone, Di Prince"
    )
    assert [str(c) for c in event["CATEGORIES"].cats] == ["client"]
    assert str(event["RRULE"].to_ical().decode()) == "FREQ=YEARLY"
    (alarm,) = event.walk("VALARM")
    assert str(alarm["DESCRIPTION"]) == "In 21 days: Holiday cards. Post a card."
    calendar = icalendar.Calendar.from_ical(servant("export", "ics", "--from", FROM).stdout_bytes.decode())
    season_days = [
        e["DTSTART"].dt
        for e in recurring_ical_events.of(calendar).between(date(2027, 1, 1), date(2029, 1, 1))
        if str(e["UID"]) == uid
    ]
    assert season_days == [date(2027, 12, 1), date(2028, 12, 1)]
    # Exported again: the same bytes. Someone joins: a new version (SEQUENCE up), their name in it.
    first = servant("export", "ics", "--from", FROM).stdout_bytes
    assert servant("export", "ics", "--from", FROM).stdout_bytes == first
    ok(servant("edit", "Cy", "--tag", "client"))
    again = exported(servant)[uid]
    assert int(again["SEQUENCE"]) == int(event["SEQUENCE"]) + 1
    assert "Cy Twombly" in str(again["DESCRIPTION"])
    # --kind leaves seasons out; --tag keeps those of the tag.
    assert uid not in exported(servant, "--kind", "birthday")
    assert uid not in exported(servant, "--tag", "friend")


def test_a_database_of_seasons_only_exports_a_calendar(servant, database_from) -> None:
    path = database_from(
        ("add", "Ann", "--tag", "team"), ("season", "add", "Team lunch", "--on", "Jun 30", "--tag", "team")
    )
    assert list(exported(servant)) == [f"season-1@{db_id(path)}.servant"]


def test_publish_sends_one_event_per_season_and_updates_it_when_its_people_change(
    servant, clients, radicale, monkeypatch
) -> None:
    account = radicale.account()
    for name, value in account.env().items():
        monkeypatch.setenv(name, value)
    ok(servant("season", "add", "New Year call", "--on", "Jan 2", "--tag", "friend", "--plan", "call"))
    out = ok(servant("publish"))
    assert "3 added, 0 changed, 0 removed, 0 unchanged" in out
    mine = exported(servant)
    seasons = {name: event for name, event in events(account.objects()) if name.startswith("season-")}
    assert sorted(seasons) == [f"season-1@{db_id(clients)}.servant.ics", f"season-2@{db_id(clients)}.servant.ics"]
    for name, event in seasons.items():
        expected = mine[name.removesuffix(".ics")]
        for prop in ("UID", "SEQUENCE", "DTSTART", "RRULE", "SUMMARY", "DESCRIPTION", "CATEGORIES"):
            assert event[prop].to_ical() == expected[prop].to_ical(), f"{name}: {prop}"
    assert "0 added, 0 changed, 0 removed, 3 unchanged" in ok(servant("publish"))
    # Someone joins the holiday cards: that one event changes (Cy's own birthday too: his tags show there).
    ok(servant("edit", "Cy", "--tag", "client"))
    assert "0 added, 2 changed, 0 removed, 1 unchanged" in ok(servant("publish"))
    (holiday,) = [e for n, e in events(account.objects()) if n.startswith("season-1@")]
    assert "Cy Twombly" in str(holiday["DESCRIPTION"]) and int(holiday["SEQUENCE"]) == 1
    # A season removed: its event goes.
    ok(servant("season", "rm", "New Year call", "--yes"))
    assert "0 added, 0 changed, 1 removed, 2 unchanged" in ok(servant("publish"))
    assert not [n for n in account.objects() if n.startswith("season-2@")]


def test_the_json_export_holds_the_seasons_and_who_was_ticked_off_and_import_brings_them_back(
    servant, clients, tmp_path
) -> None:
    log_for(servant, "Bob")
    ok(servant("season", "add", "Gone", "--on", "Jun 1"))
    ok(servant("season", "add", "New Year call", "--on", "Jan 2", "--plan", "call"))
    ok(servant("season", "rm", "Gone", "--yes"))
    exported_json = ok(servant("export", "json"))
    document = json.loads(exported_json)
    assert document["seasons"] == [
        {"id": 1, "name": "Holiday cards", "on": "--12-01", "tags": ["client"], "plan": "card", "lead_days": 21},
        {"id": 3, "name": "New Year call", "on": "--01-02", "plan": "call"},
    ]
    (bob,) = [p for p in document["people"] if p["name"] == "Bob Stone"]
    assert bob["gestures"] == [
        {"id": 1, "on": "2026-11-18", "kind": "card", "for": {"season": "Holiday cards", "day": "2026-12-01"}}
    ]
    path = tmp_path / "all.json"
    path.write_text(exported_json, encoding="utf-8")
    other = tmp_path / "other.db"
    ok(servant("--db", str(other), "import", str(path), "-q"))
    assert ok(servant("--db", str(other), "export", "json")) == exported_json
    shown = ok(servant("--db", str(other), "season", "show", "Holiday cards", "--from", FROM))
    assert "1 done, 2 to go (3 people)\n\nDone\n  Bob Stone — card, Wed 18 Nov 2026\n" in shown

    # Into the database it came from: no season, gesture or tick more.
    def kept(rows: list[tuple]) -> list[tuple]:
        return [row for row in rows if row[0] in ("season", "season_done", "gesture")]

    before = kept(dump(clients))
    assert " 0 added, 0 updated," in ok(servant("import", str(path)))
    assert kept(dump(clients)) == before


def test_a_json_file_with_a_season_it_gets_wrong_is_refused_whole(servant, clients, tmp_path) -> None:
    document = json.loads(ok(servant("export", "json")))
    document["seasons"][0]["on"] = "2026-12-01"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = dump(clients)
    result = servant("import", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and 'season 1: its "on" has a year' in result.stderr
    assert dump(clients) == before


def test_a_season_on_a_yearly_rule_moves_with_the_year_everywhere(servant, tmp_path) -> None:
    ok(servant("add", "Ann Lee", "--tag", "client"))
    said = ok(servant("season", "add", "Mother's Day", "--on", "2nd Sunday of May", "--tag", "client", "--lead", "10"))
    assert said.startswith('Added the season "Mother\'s Day": 2nd Sunday of May, for tag client (1 person)')
    shown = json.loads(ok(servant("season", "show", "Mother", "--json", "--from", "2027-05-01")))
    assert (shown["on"], shown["rule"], shown["date"]) == (None, "2nd Sunday of May", "2027-05-09")
    assert "Mother's Day: get ready for 1 client — Sun 9 May, in 8 days" in ok(
        servant("digest", "--from", "2027-05-01")
    )
    text = ok(servant("export", "ics"))
    assert "RRULE:FREQ=YEARLY;BYMONTH=5;BYDAY=2SU\n" in text
    calendar = icalendar.Calendar.from_ical(text)
    days = [
        o.start
        for o in recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2029, 1, 1))
        if str(o["SUMMARY"]) == "Mother's Day"
    ]
    assert days == [date(2026, 5, 10), date(2027, 5, 9), date(2028, 5, 14)]
    exported = tmp_path / "all.json"
    ok(servant("export", "json", "-o", str(exported)))
    assert json.loads(exported.read_text(encoding="utf-8"))["seasons"][0]["rule"] == "2SU/5"
    fresh = ("--db", str(tmp_path / "fresh.db"))
    ok(servant(*fresh, "import", str(exported)))
    again = tmp_path / "again.json"
    ok(servant(*fresh, "export", "json", "-o", str(again)))
    assert again.read_bytes() == exported.read_bytes()


def test_a_season_on_29_february_is_exported_in_any_year(servant) -> None:
    ok(servant("add", "Bob", "--birthday", "1980-12-10"))
    ok(servant("season", "add", "Leap", "--on", "Feb 29"))
    calendar = icalendar.Calendar.from_ical(ok(servant("export", "ics")))
    days = [
        o.start
        for o in recurring_ical_events.of(calendar).between(date(2027, 1, 1), date(2029, 1, 1))
        if str(o["SUMMARY"]) == "Leap"
    ]
    assert days == [date(2027, 2, 28), date(2028, 2, 29)]
