"""The order `list` and `upcoming` print people in: case and accents aside
(``models.name_order``), namesakes by id, whichever way the rows are read and sorted,
and the JSON text they print, byte for byte what ``json.dumps(indent=2)`` writes."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from helpers import ok
from servant_cli.store import NewOccasion, NewPerson, Store

#: Added in this order (ids 1 to 10), every one with a birthday on Dec 31 and a work
#: anniversary on Jan 1, so that `upcoming` over New Year reads them in two spans.
NAMES = ("zoe", "Émile", "Adam", "Åsa", "emile", "adam", "Bob", "ada", "Zed", "Ωmega")
#: ``name_order``: "ada", the two Adams by id, "Åsa" as "asa", "Bob", "emile" before
#: "Émile" (equal but for the accent), "Zed", "zoe", then the Greek letter.
BY_NAME = ("ada", "Adam", "adam", "Åsa", "Bob", "emile", "Émile", "Zed", "zoe", "Ωmega")


@pytest.fixture
def book(db_path: Path) -> Path:
    store = Store.open(db_path)
    dates = (NewOccasion("birthday", 12, 31, 1990), NewOccasion("work-anniversary", 1, 1, 2020))
    store.add_people(
        NewPerson(name, occasions=dates, company="Acme" if n % 2 else None) for n, name in enumerate(NAMES)
    )
    store.close()
    return db_path


def names_listed(text: str) -> list[str]:
    return [line.split("  ")[1].strip() for line in text.splitlines()]


def test_list_orders_names_case_and_accents_aside_and_namesakes_by_id(servant, book) -> None:
    assert names_listed(ok(servant("list"))) == list(BY_NAME)
    assert [person["name"] for person in json.loads(ok(servant("list", "--json")))] == list(BY_NAME)


def test_list_keeps_that_order_when_another_program_wrote_the_names(servant, book) -> None:
    # A stale lookup key, and a name with a tab and one with a control character in it:
    # none of them is printable ASCII with its own lower case as key, so each is placed
    # among the others by the name it is shown with.
    with sqlite3.connect(book) as conn:
        conn.execute("UPDATE person SET name_key = 'zzz' WHERE name = 'Bob'")
        conn.execute("UPDATE person SET name = 'Al\tpha', name_key = 'al\tpha' WHERE name = 'zoe'")
        conn.execute("UPDATE person SET name = 'Ze\x01d' WHERE name = 'Zed'")
    conn.close()
    expected = ["ada", "Adam", "adam", "Al pha", "Åsa", "Bob", "emile", "Émile", "Ze\ufffdd", "Ωmega"]
    assert names_listed(ok(servant("list"))) == expected


def test_upcoming_orders_namesakes_and_accents_alike_on_both_sides_of_new_year(servant, book) -> None:
    rows = [
        re.split(r"\s{2,}", line)
        for line in ok(servant("upcoming", "--from", "2026-12-30", "--days", "3")).splitlines()
    ]
    assert [row[0] for row in rows] == ["Tomorrow"] * 10 + ["in 2 days"] * 10
    assert [row[2] for row in rows] == [*BY_NAME, *BY_NAME]
    assert {row[3] for row in rows} == {"Birthday — turns 36", "7 years at work"}
    items = json.loads(ok(servant("upcoming", "--from", "2026-12-30", "--days", "3", "--json")))
    assert [(item["date"], item["person"]) for item in items] == [
        *(("2026-12-31", name) for name in BY_NAME),
        *(("2027-01-01", name) for name in BY_NAME),
    ]


def test_json_is_the_text_json_dumps_writes_with_an_indent(servant, db_path) -> None:
    store = Store.open(db_path)
    tricky = ('50%s off "deal"', "100%% \\ sure", "Zoë 🎂 ٣", "")
    store.add_people(
        [
            NewPerson(tricky[0], tags=("a%sb", "%", "Ünï"), company=tricky[1], notes="line\nbreak", every_days=30),
            NewPerson(tricky[2], company=tricky[3], occasions=(NewOccasion("birthday", 12, 31, 1990),)),
        ]
    )
    store.close()
    for args in (("list", "--json"), ("upcoming", "--from", "2026-12-30", "--days", "3", "--json")):
        text = ok(servant(*args))
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
