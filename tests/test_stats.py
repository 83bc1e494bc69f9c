"""servant stats: what was done and spent in a year, by month, kind and person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import ANSI, dump, ok

GESTURES = (
    ("Maria", "gift", "Tea set", "2026-03-10", "$45.50"),
    ("Maria", "card", "Birthday card", "2026-12-01", "$5"),
    ("Grace", "flowers", "Peonies", "2026-11-28", "60 €"),
    ("Lena", "gift", "Vase", "2026-11-20", "EUR 30"),
    ("Hana", "gift", "Book", "2026-02-27", "about 20"),
    ("Sofia", "card", "", "2026-07-04", "1.200,50"),
    ("Tom", "call", "", "2026-11-25", ""),
    ("Grace", "call", "", "2025-12-30", "$99"),  # another year
)


@pytest.fixture
def logged(servant) -> None:
    for name in ("Maria Okafor", "Grace Kim", "Lena Moreau", "Hana Sato", "Sofia Reyes", "Tom Becker", "Jonas Berg"):
        ok(servant("add", name))
    for who, kind, what, on, cost in GESTURES:
        args = ["log", who, kind, *([what] if what else []), "--on", on, "--for", "none"]
        ok(servant(*args, *(["--cost", cost] if cost else [])))
    ok(servant("log", "Jonas", "note", "Moved to Oslo", "--on", "2026-05-01"))  # a note is no gesture


STATS_2026 = """\
2026: 7 gestures for 6 people; spent $50.50, €90, 1,200.50 (no currency); 1 unpriced

By month
Jan  0
Feb  1  ########                  1 unpriced
Mar  1  ########                  $45.50
Apr  0
May  0
Jun  0
Jul  1  ########                  1,200.50 (no currency)
Aug  0
Sep  0
Oct  0
Nov  3  ########################  €90
Dec  1  ########                  $5

By kind of gesture
gift     3  ########################  $45.50, €30, 1 unpriced
card     2  ################          $5, 1,200.50 (no currency)
call     1  ########
flowers  1  ########                  €60

Most attention
Maria Okafor  2  ########################
Grace Kim     1  ############
Hana Sato     1  ############
Lena Moreau   1  ############
Sofia Reyes   1  ############

Least attention
Jonas Berg   0
Grace Kim    1  ############
Hana Sato    1  ############
Lena Moreau  1  ############
Sofia Reyes  1  ############

Spending per person
Maria Okafor  $50.50                  ########################
Grace Kim     €60                     ########################
Lena Moreau   €30                     ############
Sofia Reyes   1,200.50 (no currency)  ########################
Hana Sato     1 unpriced
"""


def test_the_year_in_plain_text(servant, logged) -> None:
    assert ok(servant("stats", "--from", "2026-12-02")) == STATS_2026
    assert ok(servant("stats", "--year", "2026", "--from", "2027-06-01")) == STATS_2026


def test_json_keeps_currencies_apart_and_counts_the_unpriced(servant, logged) -> None:
    data = json.loads(ok(servant("stats", "--year", "2026", "--json")))
    assert (data["year"], data["gestures"], data["people"], data["unpriced"]) == (2026, 7, 6, 1)
    assert data["spent"] == [
        {"currency": "$", "amount": 50.5, "text": "$50.50"},
        {"currency": "EUR", "amount": 90, "text": "€90"},
        {"currency": "", "amount": 1200.5, "text": "1,200.50 (no currency)"},
    ]
    assert [m["gestures"] for m in data["months"]] == [0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 3, 1]
    assert data["kinds"][0] == {
        "kind": "gift",
        "gestures": 3,
        "spent": [
            {"currency": "$", "amount": 45.5, "text": "$45.50"},
            {"currency": "EUR", "amount": 30, "text": "€30"},
        ],
        "unpriced": 1,
    }
    assert data["most"][0] == {"person": "Maria Okafor", "person_id": 1, "gestures": 2}
    assert data["least"][0] == {"person": "Jonas Berg", "person_id": 7, "gestures": 0}
    hana = next(p for p in data["per_person"] if p["person"] == "Hana Sato")
    assert (hana["spent"], hana["unpriced"]) == ([], 1)
    earlier = json.loads(ok(servant("stats", "--year", "2025", "--json")))
    assert (earlier["gestures"], earlier["spent"]) == (1, [{"currency": "$", "amount": 99, "text": "$99"}])


@pytest.mark.parametrize(
    ("cost", "spent"),
    [
        ("$60", "$60"),
        ("60 €", "€60"),
        ("€60", "€60"),
        ("eur 60", "€60"),
        ("1,200.50", "1,200.50 (no currency)"),
        ("1.200,50 kr", "1,200.50 kr"),
        ("45,90 CHF", "45.90 CHF"),
        ("£20", "£20"),
    ],
)
def test_a_cost_is_read_as_typed(servant, cost: str, spent: str) -> None:
    ok(servant("add", "Ada"))
    ok(servant("log", "Ada", "gift", "--on", "2026-04-01", "--cost", cost))
    data = json.loads(ok(servant("stats", "--year", "2026", "--json")))
    assert ([entry["text"] for entry in data["spent"]], data["unpriced"]) == ([spent], 0)


@pytest.mark.parametrize("cost", ["about 20", "20-30", "$20 USD", "1,20,000", "1.2.3"])
def test_a_cost_that_cannot_be_read_is_unpriced(servant, cost: str) -> None:
    ok(servant("add", "Ada"))
    ok(servant("log", "Ada", "gift", "--on", "2026-04-01", "--cost", cost))
    data = json.loads(ok(servant("stats", "--year", "2026", "--json")))
    assert (data["spent"], data["unpriced"]) == ([], 1)


def test_on_a_terminal_the_bars_are_blocks_in_tables(servant, logged) -> None:
    out = ok(servant("stats", "--from", "2026-12-02", env={"FORCE_COLOR": "1", "COLUMNS": "100"}))
    assert "\x1b[" in out
    plain = ANSI.sub("", out)
    assert "Nov  3  ████████████████████████  €90" in plain
    assert "call     1  ████████ " in plain
    assert "#" not in plain
    for env in ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, {"TERM": "dumb", "FORCE_COLOR": "1"}):
        assert ok(servant("stats", "--from", "2026-12-02", env=env)) == STATS_2026


def test_nothing_logged_is_a_calm_line(servant) -> None:
    ok(servant("add", "Ada"))
    ok(servant("log", "Ada", "note", "Likes tea", "--on", "2026-04-01"))
    expected = "Nothing logged in 2026; 'servant log' remembers what you do (notes are not counted).\n"
    assert ok(servant("stats", "--from", "2026-12-02")) == expected
    ok(servant("rm", "Ada", "--yes"))
    assert ok(servant("stats", "--year", "2026")) == expected
    assert json.loads(ok(servant("stats", "--year", "2026", "--json")))["gestures"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "999"], "Error: --year: 999 is out of range; use 1000 to 9998\n"),
        (["--year", "2026.5"], "Error: --year: '2026.5' is not a whole number; use 1000 to 9998\n"),
        (["--from", "yesterday"], None),
    ],
)
def test_bad_input_is_one_line(servant, logged, db_path: Path, args, message) -> None:
    before = dump(db_path)
    result = servant("stats", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert result.stderr == message if message else result.stderr.startswith("Error: --from: ")
    assert dump(db_path) == before
