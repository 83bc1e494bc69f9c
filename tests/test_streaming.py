"""Output written as it is made, and numbers of thousands of digits refused in one line.

Memory itself is measured by ``benchmarks/scale.py``; these tests pin what a user sees:
the same bytes as before for the streamed outputs, a person's latest gestures with the
count of the earlier ones, and the one-line refusals.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import dump, ok

HUGE = "9" * 5000


def refused(result, code: int = 2) -> str:
    """The one ``Error:`` line of a refused command, short, without a traceback."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr, result.stderr
    assert len(result.stderr) < 160, result.stderr
    assert result.stdout == ""
    return result.stderr


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["upcoming", "--days", HUGE], "Error: --days: 99999999999999999999… (5,000 digits) is out of range", 2),
        (["upcoming", "--days", "-" + HUGE], "Error: --days: -9999999999999999999… (5,000 digits) is out of", 2),
        (["digest", "--days", HUGE], "Error: --days: 99999999999999999999… (5,000 digits) is out of range", 2),
        (["export", "ics", "--years", HUGE], "Error: --years: 99999999999999999999… (5,000 digits) is out of", 2),
        (["date", "Ada", "birthday", "Mar 1", "--lead", HUGE], "Error: --lead: 99999999999999999999… (5,000", 2),
        (["add", "Bob", "--every", HUGE], "Error: --every: 99999999999999999999… (5,000 digits) is out of", 2),
        (["edit", "Ada", "--every", HUGE], "Error: --every: 99999999999999999999… (5,000 digits) is out of", 2),
        (["show", "#" + HUGE], "Error: there is no person #999999999999999999999999999999999999999…;", 1),
        (["gestures", "#" + HUGE], "Error: there is no person #999999999999999999999999999999999999999…;", 1),
        (["show", HUGE], "Error: no one called '9999999999999999999999999999999999999999…'", 1),
        (["log", "Ada", "gift", "scarf", "--idea", HUGE], "Error: --idea: '99999999999999999999999999999999", 2),
        (["forget", "gesture", HUGE, "--yes"], "Error: ID: '9999999999999999999999999999999999999999…' is not", 2),
    ],
)
def test_a_number_of_thousands_of_digits_is_refused_in_one_short_line(
    servant, db_path: Path, args: list[str], message: str, code: int
) -> None:
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-12-10"))
    before = dump(db_path)
    assert refused(servant(*args), code).startswith(message)
    assert dump(db_path) == before


def test_a_short_number_is_still_quoted_whole(servant) -> None:
    said = refused(servant("upcoming", "--days", "1" + "0" * 30))
    assert said == f"Error: --days: {10**30} is out of range; use 0 to 3660\n"
    assert refused(servant("log", "Ada", "gift", "--idea", "x")).startswith("Error: --idea: 'x' is not an id")


# -- show: the latest gestures, and how many earlier ones --------------------------------

FROM = "2026-11-22"


def log_calls(servant, count: int) -> None:
    """``count`` calls to Ada, one a day back from the day before FROM (ids 1..count, oldest last)."""
    from datetime import date, timedelta

    for n in range(count):
        day = date.fromisoformat(FROM) - timedelta(days=1 + n)
        ok(servant("log", "Ada", "call", f"call {n + 1}", "--on", day.isoformat()))


def test_show_lists_the_latest_20_gestures_and_counts_the_earlier_ones(servant) -> None:
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-12-10"))
    log_calls(servant, 23)
    shown = ok(servant("show", "Ada", "--from", FROM))
    listed = shown.split("  Gestures, newest first\n", 1)[1].splitlines()
    assert listed[0] == "  #1   Sat 21 Nov 2026  call  call 1"
    assert listed[19] == "  #20  Mon 2 Nov 2026   call  call 20"
    assert listed[20:] == ["  … and 3 earlier gestures; --all shows them"]

    every = ok(servant("show", "Ada", "--all", "--from", FROM))
    listed = every.split("  Gestures, newest first\n", 1)[1].splitlines()
    assert len(listed) == 23 and listed[-1] == "  #23  Fri 30 Oct 2026  call  call 23"
    assert every.startswith(shown.split("  Gestures, newest first\n", 1)[0])

    data = json.loads(ok(servant("show", "Ada", "--json", "--from", FROM)))
    assert [g["id"] for g in data["gestures"]] == list(range(1, 24))


def test_show_says_one_earlier_gesture_in_the_singular(servant) -> None:
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-12-10"))
    log_calls(servant, 21)
    assert ok(servant("show", "Ada", "--from", FROM)).endswith(
        "  #20  Mon 2 Nov 2026   call  call 20\n  … and 1 earlier gesture; --all shows it\n"
    )
