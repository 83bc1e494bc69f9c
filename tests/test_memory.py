"""Relationship memory through the command line: family, gestures, gift ideas, keeping in touch.

Every date is fixed (``--from``, ``--on``); where a rule counts from the day a person was
added, the test sets that day in the database, so nothing depends on the clock.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import date
from pathlib import Path

import icalendar
import pytest

from helpers import ANSI, dump, ok

FROM = "2026-11-26"


@pytest.fixture
def family(database_from) -> None:
    database_from(
        ("add", "Alice Smith", "--birthday", "1980-12-01", "--tag", "client"),
        ("add", "Emma Smith", "--birthday", "2019-11-30", "--child-of", "Alice"),
        ("add", "Bob Smith", "--anniversary", "2010-12-05", "--spouse-of", "Alice Smith"),
    )


def still_to_come(day: date, shown: str) -> str:
    """The note of ``servant log --on DAY`` while DAY is after today (by the real clock)."""
    if day <= date.today():
        return ""
    return f"Note: {shown} is still to come; until then it counts as the last contact with them.\n"


def set_created(db_path: Path, name: str, day: str) -> None:
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE person SET created = ? WHERE name = ?", (f"{day}T08:00:00Z", name))
    conn.close()


# -- family ----------------------------------------------------------------------------


def test_add_links_a_child_and_a_spouse_and_says_so(servant) -> None:
    ok(servant("add", "Alice Smith"))
    assert ok(servant("add", "Emma Smith", "--birthday", "2019-11-30", "--child-of", "Alice")) == (
        "Added Emma Smith (#2)\n  Birthday: 30 November 2019\n  Family: Alice Smith's child\n"
    )


def test_a_childs_birthday_names_the_parent_in_upcoming_digest_and_export(servant, family) -> None:
    lines = ok(servant("upcoming", "--from", FROM, "--days", "10")).splitlines()
    assert lines[0].split(maxsplit=6)[-1].endswith("Emma Smith   Birthday — turns 7 · Alice Smith's child")
    assert any(line.endswith("16th wedding anniversary · Alice Smith's spouse") for line in lines)
    items = json.loads(ok(servant("upcoming", "--from", FROM, "--json")))
    assert items[0]["family"] == "Alice Smith's child"
    digest = ok(servant("digest", "--from", FROM)).replace("\n  ", " ")
    assert "Emma Smith — Birthday (turns 7), Mon 30 Nov, in 4 days · Alice Smith's child" in digest
    calendar = icalendar.Calendar.from_ical(servant("export", "ics").stdout_bytes)
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert "Emma Smith — Birthday · Alice Smith's child" in summaries


def test_show_lists_the_family_both_ways(servant, family) -> None:
    alice = ok(servant("show", "Alice", "--from", FROM))
    assert "  Children  Emma Smith (#2)\n" in alice
    assert "  Spouse    Bob Smith (#3)\n" in alice
    assert "  Child of  Alice Smith (#1)\n" in ok(servant("show", "Emma", "--from", FROM))
    data = json.loads(ok(servant("show", "Alice", "--json", "--from", FROM)))
    assert data["family"] == [
        {"id": 3, "name": "Bob Smith", "relation": "spouse"},
        {"id": 2, "name": "Emma Smith", "relation": "child"},
    ]
    emma = json.loads(ok(servant("show", "Emma", "--json", "--from", FROM)))
    assert emma["family"] == [{"id": 1, "name": "Alice Smith", "relation": "parent"}]


def test_edit_adds_a_second_parent_and_removes_the_links(servant, family) -> None:
    ok(servant("add", "Carl Jones"))
    assert "  Family: Alice Smith and Carl Jones's child (was Alice Smith's child)\n" in ok(
        servant("edit", "Emma", "--child-of", "Carl")
    )
    assert "  Family: (none) (was Alice Smith and Carl Jones's child)\n" in ok(
        servant("edit", "Emma", "--child-of", "")
    )
    assert "Alice" not in ok(servant("show", "Emma", "--from", FROM))


# -- gestures -------------------------------------------------------------------------------


def test_log_records_a_gesture_and_show_has_them_newest_first(servant, family) -> None:
    assert ok(servant("log", "Alice", "call", "--on", "2026-10-02")) == (
        "Logged call #1 for Alice Smith, Fri 2 Oct 2026\n"
        "  Counts as done for no date: none of their dates is within its reminder time\n"
    )
    assert ok(servant("log", "Alice", "gift", "purple bathrobe", "--on", "2024-05-12", "--cost", "45.90")) == (
        "Logged gift #2 for Alice Smith, Sun 12 May 2024: purple bathrobe (45.90)\n"
        "  Counts as done for no date: none of their dates is within its reminder time\n"
    )
    ok(servant("log", "Alice", "note", "Moving house in spring", "--on", "2026-11-01"))
    shown = ok(servant("show", "Alice", "--from", FROM))
    assert shown.endswith(
        "  Gestures, newest first\n"
        "  #3  Sun 1 Nov 2026   note  Moving house in spring\n"
        "  #1  Fri 2 Oct 2026   call\n"
        "  #2  Sun 12 May 2024  gift  purple bathrobe (45.90)\n"
    )
    data = json.loads(ok(servant("show", "Alice", "--json", "--from", FROM)))
    assert [(g["date"], g["kind"], g["what"], g["cost"]) for g in data["gestures"]] == [
        ("2026-11-01", "note", "Moving house in spring", None),
        ("2026-10-02", "call", None, None),
        ("2024-05-12", "gift", "purple bathrobe", "45.90"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "Zed", "--child-of", "Nobody"), "no one called 'Nobody'"),
        (
            ("add", "Zed", "--child-of", "Alice", "--child-of", "Bob", "--child-of", "Emma"),
            "--child-of: a child has 2 parents at most here",
        ),
        (("edit", "Emma", "--spouse-of", "Bob"), "--spouse-of: Bob Smith is Alice Smith's spouse already"),
        (("edit", "Alice", "--spouse-of", "Alice"), "--spouse-of: Alice Smith cannot be their own spouse"),
        (("edit", "Alice", "--child-of", "Emma"), "--child-of: Emma Smith is Alice Smith's child already"),
        (("log", "Alice", "hug"), "'hug' is not one of 'call', 'card', 'gift', 'flowers', 'message', 'visit', 'note'"),
        (("log", "Alice", "card", "--on", "2026-02-30"), "--on: '2026-02-30' is not a date"),
        (("log", "Alice", "gift", "x", "--cost", "lots"), "--cost: 'lots' has no amount; give a number, with a"),
        (("log", "Alice", "gift", "x", "--cost", " € "), "--cost: ' € ' has no amount; give a number, with a"),
        (("log", "Alice", "gift", "x", "--cost", ""), "--cost: '' has no amount;"),
        (("log", "Alice", "card", "--for", "wedding"), "--for: Alice Smith has no 'wedding' date (has: birthday)"),
        (("log", "Nobody", "card"), "no one called 'Nobody'"),
        (("log", "Alice", "card", "--idea", "1"), "--idea is for a gift, not a card"),
    ],
)
def test_bad_family_links_and_gestures_are_one_error_and_change_nothing(
    servant, family, db_path, args: tuple[str, ...], message: str
) -> None:
    before = dump(db_path)
    result = servant(*args)
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr
    assert dump(db_path) == before


@pytest.mark.parametrize("cost", ["$60", "60 €", "1,200.50", "EUR 45", "45,90", "1.200,50 kr", "¥5000", "45"])
def test_a_cost_is_kept_and_shown_as_typed(servant, family, cost: str) -> None:
    said = ok(servant("log", "Alice", "gift", "a scarf", "--cost", f" {cost} ", "--on", "2026-05-02"))
    assert said.startswith(f"Logged gift #1 for Alice Smith, Sat 2 May 2026: a scarf ({cost})\n")
    assert f"  #1  Sat 2 May 2026  gift  a scarf ({cost})\n" in ok(servant("show", "Alice"))
    assert json.loads(ok(servant("gestures", "--json")))[0]["cost"] == cost
    assert json.loads(ok(servant("show", "Alice", "--json")))["gestures"][0]["cost"] == cost


def test_upcoming_shows_the_last_gesture(servant, family) -> None:
    ok(servant("log", "Bob", "gift", "purple bathrobe", "--on", "2024-05-12"))
    lines = ok(servant("upcoming", "--from", FROM, "--days", "10")).splitlines()
    bob = next(line for line in lines if "wedding anniversary" in line)
    assert bob.endswith("· Alice Smith's spouse · last: gift — purple bathrobe, May 2024")
    items = json.loads(ok(servant("upcoming", "--from", FROM, "--json")))
    last = next(item for item in items if item["person"] == "Bob Smith")["last_gesture"]
    assert last == {"date": "2024-05-12", "kind": "gift", "what": "purple bathrobe"}


def test_a_gift_like_an_earlier_one_warns_with_the_day_it_was_given(servant, family) -> None:
    ok(servant("log", "Alice", "gift", "Purple Bathrobe", "--on", "2024-05-12"))
    result = servant("log", "Alice", "gift", "purple  bathrobe", "--on", "2026-11-20")
    assert result.exit_code == 0
    assert result.stderr == "Note: you gave Alice Smith 'Purple Bathrobe' before, on Sun 12 May 2024.\n"
    assert servant("log", "Alice", "gift", "a scarf", "--on", "2026-11-21").stderr == ""


SAME_GIFT = ["a purple bathrobe", "Purple bath robe", "the purple bath-robe!", "Púrple  Bathrobe", "PURPLE BATHROBE."]
OTHER_GIFTS = ["purple scarf", "bathrobe", "a purple bathrobe belt", "blue bathrobe", "a purple"]


def test_the_same_gift_worded_a_little_differently_warns_and_another_gift_does_not(servant, family) -> None:
    ok(servant("log", "Alice", "gift", "purple bathrobe", "--on", "2024-05-12"))
    for number, again in enumerate(SAME_GIFT, start=2):
        result = servant("log", "Alice", "gift", again, "--on", "2026-11-20")
        assert result.exit_code == 0
        assert result.stderr == "Note: you gave Alice Smith 'purple bathrobe' before, on Sun 12 May 2024.\n", again
        ok(servant("forget", "gesture", str(number), "--yes"))
    for other in OTHER_GIFTS:
        assert servant("log", "Alice", "gift", other, "--on", "2026-11-21").stderr == "", other


def test_a_gift_worded_like_an_idea_gives_the_idea(servant, family) -> None:
    ok(servant("idea", "Alice", "Purple bathrobe"))
    ok(servant("idea", "Alice", "purple scarf"))
    said = ok(servant("log", "Alice", "gift", "a purple bath-robe", "--on", "2026-11-20"))
    assert said.endswith("  Gift idea #1 is given now.\n")
    assert ok(servant("ideas")) == "#2  Alice Smith  purple scarf\n"


# -- handled --------------------------------------------------------------------------------


def test_a_gesture_for_an_occasion_stops_the_digest_asking_and_upcoming_shows_it_done(servant, family) -> None:
    ok(servant("date", "Alice", "birthday", "1980-12-01", "--plan", "card", "--lead", "10"))
    assert "Post a card to Alice Smith — Birthday (turns 46)" in ok(servant("digest", "--from", FROM))
    said = ok(servant("log", "Alice", "card", "--for", "birthday", "--on", "2026-11-24"))
    assert said == (
        "Logged card #1 for Alice Smith, Tue 24 Nov 2026\n  Counts as done for Alice Smith's Birthday, Tue 1 Dec\n"
    )
    digest = ok(servant("digest", "--from", FROM)).replace("\n  ", " ")
    assert "Post a card to Alice" not in digest
    assert "Alice Smith — Birthday (turns 46), Tue 1 Dec, in 5 days · Bob Smith's spouse · done: card" in digest
    line = next(line for line in ok(servant("upcoming", "--from", FROM)).splitlines() if "Alice Smith  " in line)
    assert line.endswith("Birthday — turns 46 · Bob Smith's spouse · done: card")
    assert json.loads(ok(servant("upcoming", "--from", FROM, "--json")))[1]["handled"] is True


def test_a_card_within_the_lead_window_takes_care_of_the_date_and_a_call_or_note_does_not(servant, family) -> None:
    # Bob's anniversary is on Sat 5 Dec, with no plan; the lead is 7 days, so the window opens on 28 Nov.
    day = "2026-11-28"
    assert "Get ready for Bob Smith" in ok(servant("digest", "--from", day))
    assert ok(servant("log", "Bob", "note", "likes red wine", "--on", day)).endswith(
        "\n  Counts as done for no date (a note never does)\n"
    )
    assert "Get ready for Bob Smith" in ok(servant("digest", "--from", day)), "a note takes care of nothing"
    said = ok(servant("log", "Bob", "flowers", "--on", "2026-11-27"))
    assert said.endswith("\n  Counts as done for no date: none of their dates is within its reminder time\n"), (
        "a day before the window"
    )
    assert "Get ready for Bob Smith" in ok(servant("digest", "--from", day))
    said = ok(servant("log", "Bob", "call", "--on", day))
    assert said.endswith(
        "\n  Counts as done for no date: a call counts for Wedding anniversary, Sat 5 Dec only with --for\n"
    )
    assert "Get ready for Bob Smith" in ok(servant("digest", "--from", day)), "a call counts only with --for"
    said = ok(servant("log", "Bob", "card", "--on", day))
    assert said.endswith("\n  Counts as done for Bob Smith's Wedding anniversary, Sat 5 Dec\n")
    digest = ok(servant("digest", "--from", day)).replace("\n  ", " ")
    assert "Get ready for Bob Smith" not in digest
    assert "Bob Smith — 16th wedding anniversary, Sat 5 Dec, in 7 days · Alice Smith's spouse · done: card" in digest


def test_a_handled_date_is_asked_for_again_next_year(servant, family) -> None:
    ok(servant("log", "Alice", "card", "--for", "birthday", "--on", "2026-11-24"))
    assert "done: card" not in ok(servant("upcoming", "--from", "2027-11-26", "--days", "10"))


# -- what a gesture counts for ------------------------------------------------------------


@pytest.fixture
def maria(database_from) -> None:
    """Maria's client-since day (Sat 28 Nov) is planned as a card 10 days ahead; her
    birthday (Thu 3 Dec) has no plan and the default lead of 7 days (from 26 Nov)."""
    database_from(
        ("add", "Maria Okafor", "--birthday", "1981-12-03", "--client-since", "2019-11-28", "--tag", "client"),
        ("date", "Maria", "client-since", "2019-11-28", "--plan", "card", "--lead", "10"),
    )


def test_a_business_call_counts_for_no_date_and_log_says_so(servant, maria) -> None:
    said = ok(servant("log", "Maria", "call", "asked about invoice", "--on", "2026-11-25"))
    assert said == (
        "Logged call #1 for Maria Okafor, Wed 25 Nov 2026: asked about invoice\n"
        "  Counts as done for no date: a call counts for Client since, Sat 28 Nov only with --for\n"
    )
    digest = ok(servant("digest", "--from", "2026-11-25"))
    assert "Post a card to Maria Okafor — Client for 7 years" in digest
    assert "done:" not in digest
    assert "done:" not in ok(servant("upcoming", "--from", "2026-11-25"))
    assert " — for " not in ok(servant("show", "Maria", "--from", "2026-11-25"))


def test_a_call_for_a_date_counts_when_log_is_told_so(servant, maria) -> None:
    said = ok(servant("log", "Maria", "call", "--for", "client-since", "--on", "2026-11-25"))
    assert said.endswith("\n  Counts as done for Maria Okafor's Client since, Sat 28 Nov\n")
    assert "Maria Okafor — Client for 7 years, Sat 28 Nov, in 3 days · done: call" in ok(
        servant("digest", "--from", "2026-11-25")
    )


def test_the_planned_gesture_in_the_lead_window_counts_and_the_decision_stays(servant, maria) -> None:
    said = ok(servant("log", "Maria", "card", "--on", "2026-11-25"))
    assert said == (
        "Logged card #1 for Maria Okafor, Wed 25 Nov 2026\n"
        "  Counts as done for Maria Okafor's Client since, Sat 28 Nov\n"
    )
    digest = ok(servant("digest", "--from", "2026-11-25"))
    assert "Post a card to Maria" not in digest
    assert "Maria Okafor — Client for 7 years, Sat 28 Nov, in 3 days · done: card" in digest
    line = next(line for line in ok(servant("upcoming", "--from", "2026-11-25")).splitlines() if "Client" in line)
    assert line.endswith("Client for 7 years · done: card")
    assert "  #1  Wed 25 Nov 2026  card  — for Client since\n" in ok(servant("show", "Maria", "--from", "2026-11-25"))
    gesture = json.loads(ok(servant("show", "Maria", "--json")))["gestures"][0]
    assert (gesture["id"], gesture["for"], gesture["for_date"]) == (1, "Client since", "2026-11-28")
    # Decided when it was logged: a new plan does not undo what was counted.
    ok(servant("date", "Maria", "client-since", "2019-11-28", "--plan", "gift"))
    assert "done: card" in ok(servant("upcoming", "--from", "2026-11-25"))


def test_a_gesture_that_is_not_the_plan_counts_for_no_date(servant, maria) -> None:
    said = ok(servant("log", "Maria", "gift", "tea", "--on", "2026-11-25"))
    assert said.endswith(
        "\n  Counts as done for no date: Client since, Sat 28 Nov is planned as a card (--for counts it anyway)\n"
    )
    said = ok(servant("log", "Maria", "flowers", "--on", "2026-11-25"))
    assert said.endswith(
        "\n  Counts as done for no date: Client since, Sat 28 Nov is planned as a card (--for counts it anyway)\n"
    )
    assert "Post a card to Maria Okafor" in ok(servant("digest", "--from", "2026-11-25"))


def test_a_card_that_fits_two_dates_counts_for_neither_until_told(servant, maria) -> None:
    said = ok(servant("log", "Maria", "card", "--on", "2026-11-26"))
    assert said.endswith(
        "\n  Counts as done for no date: Client since, Sat 28 Nov and Birthday, Thu 3 Dec both fit; --for says which\n"
    )
    digest = ok(servant("digest", "--from", "2026-11-26"))
    assert "Post a card to Maria Okafor — Client for 7 years" in digest
    assert "Get ready for Maria Okafor — Birthday (turns 45)" in digest
    said = ok(servant("log", "Maria", "card", "--for", "birthday", "--on", "2026-11-26"))
    assert said.endswith("\n  Counts as done for Maria Okafor's Birthday, Thu 3 Dec\n")
    assert "Get ready for Maria" not in ok(servant("digest", "--from", "2026-11-26"))


def test_for_none_logs_without_counting(servant, maria) -> None:
    said = ok(servant("log", "Maria", "card", "for the team", "--for", "NONE", "--on", "2026-11-25"))
    assert said.endswith("\n  Counts as done for no date (--for none)\n")
    assert "Post a card to Maria Okafor" in ok(servant("digest", "--from", "2026-11-25"))
    assert ok(servant("log", "Maria", "note", "likes tea", "--for", "none", "--on", "2026-11-25")) == (
        "Logged note #2 for Maria Okafor, Wed 25 Nov 2026: likes tea\n  Counts as done for no date (--for none)\n"
    )


def test_for_a_person_without_dates_says_what_it_takes(servant) -> None:
    ok(servant("add", "Nadia"))
    result = servant("log", "Nadia", "card", "--for", "birthday")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --for: Nadia has no key dates; leave --for out, or give --for none\n",
    )
    assert ok(servant("log", "Nadia", "card", "--on", "2026-11-25")).endswith(
        "\n  Counts as done for no date: none of their dates is within its reminder time\n"
    )


def _log_as_before(db_path: Path, person_id: int, on: str, kind: str, what: str | None = None) -> None:
    """A gesture as servant wrote it before it decided what a gesture counts for: no link
    unless --for was given (and these were logged without it)."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO gesture (person_id, on_date, kind, what, created) VALUES (?, ?, ?, ?, ?)",
            (person_id, on, kind, what, f"{on}T09:00:00Z"),
        )
    conn.close()


def test_gestures_logged_by_an_earlier_version_count_by_the_same_rule(servant, maria, db_path) -> None:
    ok(servant("add", "Tom Becker", "--birthday", "1990-11-27"))
    _log_as_before(db_path, 1, "2026-11-24", "call", "asked about invoice")
    _log_as_before(db_path, 2, "2026-11-24", "card")
    upcoming = ok(servant("upcoming", "--from", "2026-11-25", "--days", "5")).splitlines()
    assert [line.rsplit("  ", 1)[-1] for line in upcoming] == [
        "Birthday — turns 36 · done: card",
        "Client for 7 years · last: call — asked about invoice, Nov 2026",
    ]
    assert "  #2  Tue 24 Nov 2026  card  — for Birthday\n" in ok(servant("show", "Tom", "--from", "2026-11-25"))
    # Once this version logged a gesture, the earlier ones are still judged the same, and
    # its own are taken as they were decided: this card was said to count for none.
    ok(servant("log", "Tom", "card", "--for", "none", "--on", "2026-11-25"))
    ok(servant("log", "Maria", "card", "--for", "none", "--on", "2026-11-25"))
    upcoming = ok(servant("upcoming", "--from", "2026-11-25", "--days", "5")).splitlines()
    assert [line.rsplit("  ", 1)[-1] for line in upcoming] == [
        "Birthday — turns 36 · done: card",
        "Client for 7 years · last: card, Nov 2026",
    ]


# -- correcting: gestures and forget ---------------------------------------------------------


def test_gestures_lists_everyones_newest_first_with_ids_and_what_each_counts_for(servant, family) -> None:
    assert ok(servant("gestures")) == "No gestures yet; log one with: servant log PERSON KIND [WHAT]\n"
    ok(servant("log", "Alice", "card", "--for", "birthday", "--on", "2026-11-24"))
    ok(servant("log", "Bob", "gift", "cufflinks", "--on", "2025-12-05", "--cost", "60"))
    ok(servant("log", "Alice", "note", "moving house", "--on", "2026-11-25"))
    assert ok(servant("gestures")) == (
        "#3  Wed 25 Nov 2026  Alice Smith  note  moving house\n"
        "#1  Tue 24 Nov 2026  Alice Smith  card                  for Birthday, Tue 1 Dec 2026\n"
        "#2  Fri 5 Dec 2025   Bob Smith    gift  cufflinks (60)  for Wedding anniversary, Fri 5 Dec 2025\n"
    )
    assert ok(servant("gestures", "Bob")) == (
        "#2  Fri 5 Dec 2025  Bob Smith  gift  cufflinks (60)  for Wedding anniversary, Fri 5 Dec 2025\n"
    )
    assert (
        ok(servant("gestures", "Emma"))
        == "No gestures for Emma Smith yet; log one with: servant log PERSON KIND [WHAT]\n"
    )
    assert json.loads(ok(servant("gestures", "--json")))[1:] == [
        {
            "id": 1,
            "date": "2026-11-24",
            "kind": "card",
            "what": None,
            "cost": None,
            "for": "Birthday",
            "for_date": "2026-12-01",
            "person": "Alice Smith",
            "person_id": 1,
        },
        {
            "id": 2,
            "date": "2025-12-05",
            "kind": "gift",
            "what": "cufflinks",
            "cost": "60",
            "for": "Wedding anniversary",
            "for_date": "2025-12-05",
            "person": "Bob Smith",
            "person_id": 3,
        },
    ]
    assert json.loads(ok(servant("gestures", "Emma", "--json"))) == []


def test_a_wrong_gift_is_forgotten_and_stops_counting_everywhere(servant, family, db_path) -> None:
    ok(servant("edit", "Bob", "--every", "30"))
    said = ok(servant("log", "Bob", "gift", "purple bathrobe", "--on", "2026-11-30"))
    assert said.endswith("\n  Counts as done for Bob Smith's Wedding anniversary, Sat 5 Dec\n")
    assert "done: gift (purple bathrobe)" in ok(servant("digest", "--from", "2026-12-01"))
    before = dump(db_path)
    refused = servant("forget", "gesture", "1", input="n\n")
    assert refused.exit_code == 1
    assert refused.stdout == "Forget gift #1 for Bob Smith, Mon 30 Nov 2026: purple bathrobe? [y/N]: n\n"
    assert refused.stderr == "Error: aborted, nothing was changed\n"
    assert dump(db_path) == before
    forgot = ok(servant("forget", "gesture", "#1", input="y\n"))
    assert forgot == (
        "Forget gift #1 for Bob Smith, Mon 30 Nov 2026: purple bathrobe? [y/N]: y\n"
        "Forgot gift #1 for Bob Smith, Mon 30 Nov 2026: purple bathrobe\n"
        "  It no longer counts as done for Bob Smith's Wedding anniversary, Sat 5 Dec\n"
    )
    digest = ok(servant("digest", "--from", "2026-12-01"))
    assert "Get ready for Bob Smith" in digest and "done:" not in digest
    assert "last: gift" not in ok(servant("upcoming", "--from", "2026-12-01"))
    assert "Bob Smith" in ok(servant("overdue", "--from", "2027-01-15")), "it no longer counts as a contact"
    again = servant("log", "Bob", "gift", "purple bathrobe", "--on", "2026-12-01")
    assert again.exit_code == 0 and again.stderr == "", "no 'you gave … before'"
    assert ok(servant("gestures", "Bob")).startswith("#2  ")


def test_forgetting_a_gift_from_an_idea_gives_the_idea_back(servant, family) -> None:
    ok(servant("idea", "Emma", "a puzzle with unicorns"))
    ok(servant("log", "Emma", "gift", "--idea", "1", "--on", "2026-11-29"))
    calendar = icalendar.Calendar.from_ical(servant("export", "ics").stdout_bytes)
    emma = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Emma"))
    assert "Gift ideas" not in str(emma.get("DESCRIPTION", ""))
    assert ok(servant("forget", "gesture", "1", "--yes")) == (
        "Forgot gift #1 for Emma Smith, Sun 29 Nov 2026: a puzzle with unicorns\n"
        "  It no longer counts as done for Emma Smith's Birthday, Mon 30 Nov\n"
        "  Gift idea #1 is not given any more: a puzzle with unicorns\n"
    )
    assert ok(servant("ideas", "Emma")) == "#1  Emma Smith  a puzzle with unicorns\n"
    assert json.loads(ok(servant("show", "Emma", "--json")))["ideas"] == [
        {"id": 1, "text": "a puzzle with unicorns", "used": None}
    ]
    again = icalendar.Calendar.from_ical(servant("export", "ics").stdout_bytes)
    emma_again = next(e for e in again.walk("VEVENT") if str(e["SUMMARY"]).startswith("Emma"))
    assert "Gift ideas: a puzzle with unicorns" in str(emma_again["DESCRIPTION"])
    assert int(emma_again["SEQUENCE"]) > int(emma["SEQUENCE"]), "a calendar takes the new notes"
    ok(servant("log", "Emma", "gift", "--idea", "1", "--on", "2026-11-30"))  # it can be given again


def test_an_idea_is_forgotten_after_asking(servant, family) -> None:
    ok(servant("idea", "Alice", "a scarf"))
    ok(servant("idea", "Alice", "tea"))
    result = servant("forget", "IDEA", "1", input="y\n")
    assert (
        ok(result)
        == "Forget gift idea #1 for Alice Smith: a scarf? [y/N]: y\nForgot gift idea #1 for Alice Smith: a scarf\n"
    )
    assert ok(servant("ideas")) == "#2  Alice Smith  tea\n"
    ok(servant("log", "Alice", "gift", "tea", "--on", "2026-11-20"))
    assert ok(servant("forget", "idea", "2", "-y")) == (
        "Forgot gift idea #2 for Alice Smith: tea (given Fri 20 Nov 2026)\n"
    )
    assert ok(servant("gestures", "Alice")).startswith("#1  Fri 20 Nov 2026  Alice Smith  gift  tea"), "the gift stays"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("forget", "gesture", "7", "--yes"), 1, "Error: there is no gesture #7; see 'servant gestures'\n"),
        (("forget", "idea", "7", "--yes"), 1, "Error: there is no gift idea #7; see 'servant ideas --all'\n"),
        (("forget", "idea", "99999999999999999999"), 2, "Error: ID: '99999999999999999999' is not an id;"),
        (("forget", "gesture", "seven"), 2, "Error: ID: 'seven' is not an id; give the number a listing shows"),
        (("forget", "gesture", "0"), 1, "Error: there is no gesture #0; see 'servant gestures'\n"),
        (("forget", "person", "1"), 2, "Error: Invalid value for 'gesture|idea': 'person' is not one of"),
        (("forget", "gesture", "1"), 1, "Error: aborted, nothing was changed\n"),
        (("gestures", "Nobody"), 1, "Error: no one called 'Nobody'"),
    ],
)
def test_forget_refuses_what_it_cannot_find_in_one_line_and_changes_nothing(
    servant, family, db_path, args: tuple[str, ...], code: int, message: str
) -> None:
    ok(servant("log", "Alice", "call", "--on", "2026-10-02"))
    before = dump(db_path)
    result = servant(*args)
    assert (result.exit_code, result.stderr.count("\n")) == (code, 1)
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stdout + result.stderr
    assert dump(db_path) == before


# -- gift ideas ----------------------------------------------------------------------------


def test_ideas_are_kept_listed_and_turned_into_a_gift(servant, family) -> None:
    assert (
        ok(servant("idea", "Emma", "a puzzle with unicorns")) == "Gift idea #1 for Emma Smith: a puzzle with unicorns\n"
    )
    ok(servant("idea", "Alice", "purple bathrobe"))
    assert ok(servant("ideas")) == "#2  Alice Smith  purple bathrobe\n#1  Emma Smith   a puzzle with unicorns\n"
    assert ok(servant("ideas", "Emma")) == "#1  Emma Smith  a puzzle with unicorns\n"
    said = ok(servant("log", "Emma", "gift", "--idea", "1", "--on", "2026-11-29"))
    assert said == (
        "Logged gift #1 for Emma Smith, Sun 29 Nov 2026: a puzzle with unicorns\n"
        "  Counts as done for Emma Smith's Birthday, Mon 30 Nov\n"
        "  Gift idea #1 is given now.\n"
    )
    assert ok(servant("ideas", "Emma")) == "No gift ideas for Emma Smith yet; add one with: servant idea PERSON TEXT\n"
    assert ok(servant("ideas", "Emma", "--all")) == "#1  Emma Smith  a puzzle with unicorns (given Sun 29 Nov 2026)\n"
    again = servant("log", "Emma", "gift", "--idea", "1")
    assert again.exit_code == 2 and again.stderr == "Error: --idea: #1 was given already, on Sun 29 Nov 2026\n"
    other = servant("log", "Emma", "gift", "--idea", "2")
    assert other.stderr == "Error: --idea: Emma Smith has no gift idea #2; see 'servant ideas'\n"


def test_logging_a_gift_that_was_an_idea_marks_the_idea_given(servant, family) -> None:
    ok(servant("idea", "Alice", "Purple bathrobe"))
    assert "Gift idea #1 is given now." in ok(servant("log", "Alice", "gift", "purple bathrobe", "--on", "2026-11-20"))
    assert ok(servant("ideas")).startswith("No gift ideas yet")


def test_the_digest_and_export_name_gift_ideas_and_the_last_gift(servant, family) -> None:
    ok(servant("idea", "Bob", "wine glasses"))
    ok(servant("log", "Bob", "gift", "cufflinks", "--on", "2025-12-05"))
    digest = ok(servant("digest", "--from", FROM, "--days", "10"))
    assert "· idea: wine glasses ·\n  last gift: cufflinks (Dec 2025)" in digest or (
        "idea: wine glasses · last gift: cufflinks (Dec 2025)" in digest.replace("\n  ", " ")
    )
    calendar = icalendar.Calendar.from_ical(servant("export", "ics").stdout_bytes)
    bob = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Bob"))
    assert "Gift ideas: wine glasses" in str(bob["DESCRIPTION"])
    data = json.loads(ok(servant("show", "Bob", "--json", "--from", FROM)))
    assert data["ideas"] == [{"id": 1, "text": "wine glasses", "used": None}]


# -- keep in touch ---------------------------------------------------------------------------


def test_overdue_lists_lapsed_cadences_most_overdue_first_and_a_gesture_resets_one(servant, family, db_path) -> None:
    ok(servant("edit", "Alice", "--every", "30"))
    ok(servant("add", "Carl Jones", "--every", "14"))
    set_created(db_path, "Carl Jones", "2026-09-01")
    set_created(db_path, "Alice Smith", "2026-01-01")
    ok(servant("log", "Alice", "call", "--on", "2026-10-02"))
    assert ok(servant("overdue", "--from", FROM)) == (
        "Carl Jones   every 14 days  no gesture yet       72 days overdue\n"
        "Alice Smith  every 30 days  last Fri 2 Oct 2026  25 days overdue\n"
    )
    ok(servant("log", "Alice", "message", "--on", "2026-11-20"))
    items = json.loads(ok(servant("overdue", "--from", FROM, "--json")))
    assert [(i["person"], i["days_overdue"], i["last"]) for i in items] == [("Carl Jones", 72, None)]
    ok(servant("log", "Carl", "note", "met at the fair", "--on", "2026-11-25"))
    assert "Carl Jones" in ok(servant("overdue", "--from", FROM)), "a note is not keeping in touch"
    ok(servant("log", "Carl", "visit", "--on", "2026-11-25"))
    assert ok(servant("overdue", "--from", FROM)) == (
        "No one is overdue: everyone with a keep-in-touch time has heard from you in time.\n"
    )


def test_the_digest_has_a_keep_in_touch_section(servant, family, db_path) -> None:
    ok(servant("add", "Carl Jones", "--every", "14"))
    set_created(db_path, "Carl Jones", "2026-09-01")
    digest = ok(servant("digest", "--from", FROM))
    assert digest.endswith("Keep in touch\n- Carl Jones — every 14 days; no gesture yet (72 days overdue)\n")
    result = servant("digest", "--from", FROM, "--mail-to", "x@example.com")
    assert result.exit_code == 1  # no SMTP server set: the point is that the digest was not empty


# -- fixes from review ------------------------------------------------------------------------


def test_four_tag_edits_at_once_all_count(servant, db_path) -> None:
    import subprocess
    import sys

    ok(servant("add", "Racer"))
    command = [sys.executable, "-m", "servant_cli", "--db", str(db_path), "edit", "Racer", "--tag"]
    runs = [subprocess.Popen([*command, tag], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for tag in "abcd"]
    assert all(run.wait(timeout=60) == 0 for run in runs)
    assert sorted(json.loads(ok(servant("show", "Racer", "--json")))["tags"]) == ["a", "b", "c", "d"]


def test_a_belated_gesture_counts_for_the_day_it_missed_not_next_years(servant) -> None:
    ok(servant("add", "Lou", "--birthday", "1990-11-20"))
    said = ok(
        servant("log", "Lou", "card", "sorry", "--on", "2026-12-25", "--for", "birthday"),
        stderr=still_to_come(date(2026, 12, 25), "Fri 25 Dec 2026"),
    )
    assert said.endswith("  Counts as done for Lou's Birthday, Fri 20 Nov\n")
    assert "Get ready for Lou" in ok(servant("digest", "--from", "2027-11-15"))
    early = ok(
        servant("log", "Lou", "card", "--on", "2027-09-01", "--for", "birthday"),
        stderr=still_to_come(date(2027, 9, 1), "Wed 1 Sep 2027"),
    )
    assert early.endswith("  Counts as done for Lou's Birthday, Sat 20 Nov\n")


def test_last_years_gift_does_not_take_care_of_this_year_even_with_a_long_lead(servant) -> None:
    ok(servant("add", "Gus", "--birthday", "1990-12-01"))
    ok(servant("date", "Gus", "birthday", "1990-12-01", "--lead", "365"))
    ok(servant("log", "Gus", "gift", "socks", "--on", "2025-12-01"))
    assert "done" not in ok(servant("upcoming", "--from", "2026-11-26"))


def test_a_note_is_for_no_date_and_two_custom_dates_need_a_label(servant, family) -> None:
    result = servant("log", "Alice", "note", "x", "--for", "birthday")
    assert result.exit_code == 2 and "a note takes care of no date" in result.stderr
    ok(servant("date", "Alice", "custom", "2015-06-01", "--label", "Shop opening"))
    ok(servant("date", "Alice", "custom", "2018-03-01", "--label", "Second shop"))
    result = servant("log", "Alice", "card", "--for", "custom")
    assert result.exit_code == 2 and "has several 'custom' dates; give its label" in result.stderr
    said = ok(servant("log", "Alice", "card", "--for", "second shop", "--on", "2026-02-20"))
    assert "Counts as done for Alice Smith's Second shop, Sun 1 Mar\n" in said


def test_a_gesture_still_to_come_is_logged_with_a_note_and_the_digest_keeps_to_its_day(servant, family) -> None:
    result = servant("log", "Bob", "gift", "a watch", "--on", "2999-01-01")
    assert result.exit_code == 0
    assert (
        result.stderr == "Note: Tue 1 Jan 2999 is still to come; until then it counts as the last contact with them.\n"
    )
    ok(servant("log", "Bob", "gift", "cufflinks", "--on", "2025-12-05"))
    digest = ok(servant("digest", "--from", "2026-11-28")).replace("\n  ", " ")
    assert "last gift: cufflinks (Dec 2025)" in digest


def test_rm_says_what_goes_with_a_person(servant, family) -> None:
    ok(servant("log", "Alice", "call", "--on", "2026-10-02"))
    ok(servant("idea", "Alice", "a scarf"))
    result = servant("rm", "Alice", input="n\n")
    assert "Remove Alice Smith (#1) and 1 key date, 1 gesture, 1 gift idea and 2 family links?" in result.stdout


def test_renaming_a_parent_is_a_new_version_of_the_childs_event(servant, family) -> None:
    def sequence(text: bytes) -> int:
        event = next(
            e for e in icalendar.Calendar.from_ical(text).walk("VEVENT") if str(e["SUMMARY"]).startswith("Emma")
        )
        return int(event["SEQUENCE"])

    before = sequence(servant("export", "ics").stdout_bytes)
    ok(servant("edit", "Alice", "--name", "Alicia Smith-Jones"))
    after = servant("export", "ics").stdout_bytes
    assert "Alicia Smith-Jones's child" in after.decode().replace("\r\n ", "")
    assert sequence(after) == before + 1


def test_add_with_a_parent_at_a_path_with_no_database_creates_none(servant, db_path) -> None:
    result = servant("add", "Emma", "--child-of", "Alice")
    assert result.exit_code == 1
    assert not db_path.exists()


def test_overdue_says_day_in_the_singular_and_gesture_kinds_take_any_case(servant, db_path) -> None:
    ok(servant("add", "Tim", "--every", "1"))
    set_created(db_path, "Tim", "2026-11-01")
    assert "every 1 day " in ok(servant("overdue", "--from", FROM))
    assert ok(servant("log", "Tim", "Gift", "a pen", "--on", "2026-11-20")).startswith("Logged gift #1 for Tim")


def test_the_keep_in_touch_section_follows_the_tag_filter(servant, family, db_path) -> None:
    ok(servant("add", "Carl Jones", "--every", "14", "--tag", "team"))
    ok(servant("edit", "Alice", "--every", "14"))
    set_created(db_path, "Carl Jones", "2026-09-01")
    set_created(db_path, "Alice Smith", "2026-09-01")
    digest = ok(servant("digest", "--from", FROM, "--tag", "team", "--always"))
    assert "Carl Jones — every 14 days" in digest and "Alice Smith — every" not in digest
    assert "Keep in touch" not in ok(servant("digest", "--from", FROM, "--kind", "birthday"))


# -- listings on a terminal -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "title", "headings", "typed"),
    [
        (["ideas", "--all"], "Gift ideas", ["ID", "Who", "Idea"], "[bold]silk[/] scarf"),
        (
            ["overdue", "--from", FROM],
            "Keep in touch, most overdue first",
            ["Who", "Keep in touch", "Last gesture", "Overdue"],
            "[i]Alice[/i] Smith",
        ),
        (
            ["gestures"],
            "Gestures, newest first",
            ["ID", "Date", "Who", "Kind", "What", "Counts as done"],
            "[red]about the shop[/]",
        ),
    ],
)
def test_listings_are_tables_on_a_terminal_and_aligned_lines_when_piped(
    servant, family, db_path, args: list[str], title: str, headings: list[str], typed: str
) -> None:
    ok(servant("idea", "Emma", "a puzzle with unicorns"))
    ok(servant("idea", "Alice", "[bold]silk[/] scarf"))
    ok(servant("log", "Emma", "gift", "--idea", "1", "--on", "2026-11-29"))
    ok(servant("log", "Alice", "call", "[red]about the shop[/]", "--on", "2026-10-02"))
    ok(servant("edit", "Alice", "--every", "30", "--name", "[i]Alice[/i] Smith"))
    set_created(db_path, "[i]Alice[/i] Smith", "2026-01-01")
    plain = ok(servant(*args))
    assert "\x1b" not in plain and "│" not in plain
    screen = ANSI.sub("", ok(servant(*args, env={"FORCE_COLOR": "1", "COLUMNS": "200"})))
    lines = screen.splitlines()
    assert lines[0].strip() == title
    assert [cell.strip() for cell in lines[2].strip("┃ ").split("┃")] == headings
    rows = [[cell.strip() for cell in line.strip("│ ").split("│")] for line in lines if line.startswith("│")]
    assert [[cell for cell in row if cell] for row in rows] == [re.split(r"  +", line) for line in plain.splitlines()]
    assert typed in screen, "Rich markup in stored text is shown as typed"


def test_a_gift_given_many_times_before_is_one_note_with_the_latest_day(servant, family) -> None:
    for day in ("2024-05-12", "2025-05-12", "2023-05-12"):
        assert servant("log", "Alice", "gift", "chocolates", "--on", day).exit_code == 0
    result = servant("log", "Alice", "gift", "Chocolates", "--on", "2026-05-12")
    assert result.exit_code == 0
    assert result.stderr == (
        "Note: you gave Alice Smith 'chocolates' before, on Mon 12 May 2025 (and 2 times before that).\n"
    )
