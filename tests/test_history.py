"""What was done for a date in earlier years: ``show``, the digest's Act now (plain and
HTML), ``upcoming --json``, and the note ``log`` gives when a gift or flowers cost less
than the last year's for the same date."""

from __future__ import annotations

import json
import sqlite3

import pytest

from helpers import ANSI, ok
from test_mail import html_part, mailed, parse, rows, smtp_env, start_server, words

__all__ = ["smtp_env", "start_server"]  # fixtures of test_mail, used here too

PEOPLE = (
    ("add", "Maria Okafor", "--birthday", "1980-05-10", "--phone", "555 0101"),
    ("date", "Maria", "birthday", "--plan", "flowers"),
    ("date", "Maria", "custom", "2015-06-01", "--label", "Shop opening"),
    ("add", "Tom Reyes", "--birthday", "1990-05-12"),
    # Two years of Maria's birthday, a gift for her shop's opening, and what counts for no date.
    ("log", "Maria", "card", "--on", "2024-05-08", "--for", "birthday"),
    ("log", "Maria", "flowers", "peonies", "--cost", "$45", "--on", "2025-05-08", "--for", "birthday"),
    ("log", "Maria", "call", "--on", "2025-05-10", "--for", "birthday"),
    ("log", "Maria", "gift", "a pen", "--on", "2025-06-01", "--for", "Shop opening"),
    ("log", "Maria", "message", "invoice", "--on", "2025-05-09", "--for", "none"),
    ("log", "Maria", "note", "likes peonies", "--on", "2025-05-01"),
)


@pytest.fixture
def history(database_from) -> None:
    database_from(*PEOPLE)


def test_show_puts_the_earlier_years_under_each_date(servant, history) -> None:
    shown = ok(servant("show", "Maria", "--from", "2026-05-05"))
    dates = shown.split("\n  Key dates\n")[1].split("\n\n")[0]
    assert dates.splitlines() == [
        "  Birthday      10 May 1980  Sun 10 May 2026, in 5 days — turns 46 (plan: flowers)",
        "    Last years: 2025: flowers — peonies ($45), call · 2024: card",
        "  Shop opening  1 June 2015  Mon 1 Jun 2026, in 27 days — 11 years",
        "    Last years: 2025: gift — a pen",
    ]


def test_show_counts_a_date_that_just_passed_as_history(servant, history) -> None:
    # The birthday of 2025 is behind on 11 May 2025: what was done for it is the last year's.
    shown = ok(servant("show", "Maria", "--from", "2025-05-11"))
    assert "    Last years: 2025: flowers — peonies ($45), call · 2024: card\n" in shown
    # Before it, only 2024's: this year's flowers show as a gesture, not as history.
    shown = ok(servant("show", "Maria", "--from", "2025-05-09"))
    assert "    Last years: 2024: card\n" in shown
    assert "2025: flowers" not in shown


def test_show_json_gives_each_date_its_history(servant, history) -> None:
    shown = json.loads(ok(servant("show", "Maria", "--json", "--from", "2026-05-05")))
    assert {item["label"]: item["history"] for item in shown["dates"]} == {
        "Birthday": [
            {
                "year": 2025,
                "gestures": [
                    {"kind": "flowers", "what": "peonies", "cost": "$45", "on": "2025-05-08"},
                    {"kind": "call", "what": None, "cost": None, "on": "2025-05-10"},
                ],
            },
            {"year": 2024, "gestures": [{"kind": "card", "what": None, "cost": None, "on": "2024-05-08"}]},
        ],
        "Shop opening": [
            {"year": 2025, "gestures": [{"kind": "gift", "what": "a pen", "cost": None, "on": "2025-06-01"}]}
        ],
    }


def test_upcoming_json_carries_the_history_newest_first_without_this_years(servant, history) -> None:
    # This year's card takes care of the birthday: it is "handled", not history.
    ok(servant("log", "Maria", "card", "--on", "2026-05-04", "--for", "birthday"))
    items = json.loads(ok(servant("upcoming", "--json", "--from", "2026-05-05", "--days", "40")))
    assert [(item["person"], item["label"], item["handled"], item["history"]) for item in items] == [
        (
            "Maria Okafor",
            "Birthday",
            True,
            [
                {
                    "year": 2025,
                    "gestures": [
                        {"kind": "flowers", "what": "peonies", "cost": "$45", "on": "2025-05-08"},
                        {"kind": "call", "what": None, "cost": None, "on": "2025-05-10"},
                    ],
                },
                {"year": 2024, "gestures": [{"kind": "card", "what": None, "cost": None, "on": "2024-05-08"}]},
            ],
        ),
        ("Tom Reyes", "Birthday", False, []),
        (
            "Maria Okafor",
            "Shop opening",
            False,
            [{"year": 2025, "gestures": [{"kind": "gift", "what": "a pen", "cost": None, "on": "2025-06-01"}]}],
        ),
    ]


def test_upcoming_json_a_window_of_two_years_gives_next_years_this_years_too(servant, history) -> None:
    ok(servant("log", "Maria", "flowers", "tulips", "--on", "2026-05-08", "--for", "birthday"))
    items = json.loads(ok(servant("upcoming", "--json", "--from", "2026-05-05", "--days", "400")))
    years = [[past["year"] for past in item["history"]] for item in items if item["label"] == "Birthday"]
    # Maria's, Tom's, then Maria's and Tom's of 2027.
    assert years == [[2025, 2024], [], [2026, 2025, 2024], []]


DIGEST_5_MAY = """\
servant digest for Tue 5 May 2026

Act now
- Order flowers for Maria Okafor — Birthday (turns 46),
  Sun 10 May, in 5 days · last gift: a pen (Jun 2025)
  Last years: 2025: flowers — peonies ($45), call · 2024: card
  555 0101
  servant log 'Maria Okafor' flowers --for birthday
- Get ready for Tom Reyes — Birthday (turns 36), Tue 12 May, in 7 days
  servant log 'Tom Reyes' call --for birthday
"""


def test_the_digest_says_under_act_now_what_was_done_in_earlier_years(servant, history) -> None:
    assert ok(servant("digest", "--from", "2026-05-05")) == DIGEST_5_MAY


def test_the_digest_names_the_latest_three_years(servant, history) -> None:
    for year in (2021, 2022, 2023):
        ok(servant("log", "Maria", "card", "--on", f"{year}-05-08", "--for", "birthday"))
    digest = ok(servant("digest", "--from", "2026-05-05"))
    assert "  Last years: 2025: flowers — peonies ($45), call · 2024: card · 2023:\n  card\n" in digest
    assert "2022" not in digest


def test_the_html_part_has_the_history_in_the_act_now_row(servant, history, start_server, smtp_env) -> None:
    message = mailed(servant, start_server, smtp_env, "--from", "2026-05-05")
    [act_now] = parse(html_part(message)).findall(".//table")
    assert rows(act_now)[0] == [
        "Sun 10 May in 5 days",
        "Maria Okafor",
        "Order flowers Birthday (turns 46) last gift: a pen (Jun 2025)"
        " Last years: 2025: flowers — peonies ($45), call · 2024: card",
        "555 0101",
    ]
    # Its own line in small print, as the notes are; Tom has none.
    spans = [words(span) for span in act_now.iter("span") if words(span).startswith("Last years")]
    assert spans == ["Last years: 2025: flowers — peonies ($45), call · 2024: card"]


# -- log: cheaper than last year -----------------------------------------------------------


def test_flowers_cheaper_than_last_years_for_the_same_date_say_so(servant, history) -> None:
    result = servant("log", "Maria", "flowers", "tulips", "--cost", "$30", "--on", "2026-05-08", "--for", "birthday")
    note = "Note: last year's flowers for Maria Okafor's Birthday cost $45; this one costs $30.\n"
    assert ok(result, note).startswith("Logged flowers #")


def test_a_gift_cheaper_than_one_two_years_ago_names_the_year(servant, database_from) -> None:
    database_from(
        ("add", "Maria Okafor", "--birthday", "1980-05-10"),
        ("log", "Maria", "gift", "a scarf", "--cost", "1.200,50 kr", "--on", "2024-05-08", "--for", "birthday"),
    )
    result = servant("log", "Maria", "gift", "a book", "--cost", "950 kr", "--on", "2026-05-08", "--for", "birthday")
    ok(result, "Note: the 2024 gift for Maria Okafor's Birthday cost 1.200,50 kr; this one costs 950 kr.\n")


@pytest.mark.parametrize(
    ("before", "now"),
    [("EUR 45", "30 €"), ("1,200.50", "950"), ("$60", "$ 59.99")],
)
def test_amounts_written_differently_are_compared(servant, database_from, before: str, now: str) -> None:
    database_from(
        ("add", "Maria Okafor", "--birthday", "1980-05-10"),
        ("log", "Maria", "flowers", "--cost", before, "--on", "2025-05-08", "--for", "birthday"),
    )
    result = servant("log", "Maria", "flowers", "--cost", now, "--on", "2026-05-08", "--for", "birthday")
    ok(result, f"Note: last year's flowers for Maria Okafor's Birthday cost {before}; this one costs {now}.\n")


def test_log_says_nothing_when_the_costs_cannot_be_compared(servant, history) -> None:
    def logged(*args: str) -> None:
        ok(servant("log", "Maria", *args, "--for", "birthday"))  # no note on stderr

    # Another currency, then no number, then dearer: nothing to say.
    logged("flowers", "--cost", "30 €", "--on", "2026-05-08")
    logged("flowers", "--cost", "thirty $ 5", "--on", "2026-05-08")
    logged("flowers", "--cost", "$50", "--on", "2026-05-08")
    # A card, and a gift whose kind was not given before, are never compared.
    logged("card", "--cost", "$3", "--on", "2026-05-08")
    logged("gift", "--cost", "$3", "--on", "2026-05-08")
    # The first year of a date has no last year.
    ok(servant("log", "Tom", "flowers", "--cost", "$3", "--on", "2026-05-10", "--for", "birthday"))
    # Nor does a gesture that counts for no date.
    ok(servant("log", "Maria", "flowers", "--cost", "$3", "--on", "2026-05-08", "--for", "none"))
    # And it does say it for the same kind, cheaper, in the same currency.
    result = servant("log", "Maria", "flowers", "--cost", "$44.50", "--on", "2026-05-08", "--for", "birthday")
    ok(result, "Note: last year's flowers for Maria Okafor's Birthday cost $45; this one costs $44.50.\n")


def test_a_gesture_an_earlier_version_logged_undecided_is_history_by_the_same_rule(servant, database_from) -> None:
    db = database_from(("add", "Tom Reyes", "--birthday", "1990-05-12"))
    # As servant wrote it before it decided what a gesture counts for: no link.
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO gesture (person_id, on_date, kind, what, created) VALUES (1, '2025-05-06', 'card', NULL, ?)",
            ("2025-05-06T09:00:00Z",),
        )
    conn.close()
    assert "    Last years: 2025: card\n" in ok(servant("show", "Tom", "--from", "2026-05-05"))
    [item] = json.loads(ok(servant("upcoming", "--json", "--from", "2026-05-05")))
    assert item["history"] == [
        {"year": 2025, "gestures": [{"kind": "card", "what": None, "cost": None, "on": "2025-05-06"}]}
    ]


def test_show_on_a_terminal_has_a_column_of_last_years(servant, history) -> None:
    out = ANSI.sub("", ok(servant("show", "Maria", "--from", "2026-05-05", env={"FORCE_COLOR": "1", "COLUMNS": "160"})))
    cells = [
        [cell.strip() for cell in line.strip("┃│").split(line[0])]
        for line in out.splitlines()
        if line and line[0] in "┃│"
    ]
    assert [row[0] for row in cells] == ["Occasion", "Birthday", "", "Shop opening"]
    # A year a line, in a column of its own.
    assert [row[-1] for row in cells] == [
        "Last years",
        "2025: flowers — peonies ($45), call",
        "2024: card",
        "2025: gift — a pen",
    ]
