"""Output written as it is made, and numbers of thousands of digits refused in one line.

Memory itself is measured by ``benchmarks/scale.py``; these tests pin what a user sees:
the same bytes as before for the streamed outputs, a person's latest gestures with the
count of the earlier ones, and the one-line refusals.
"""

from __future__ import annotations

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
