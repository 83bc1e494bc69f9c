"""servant calendar: a month like cal with its occasions, a year of small months, JSON."""

from __future__ import annotations

import calendar
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ANSI, dump, ok

#: Control characters a terminal could take as commands (the line break aside).
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")

PEOPLE = (
    ("add", "Maria Okafor", "--birthday", "1981-12-03", "--client-since", "2019-12-28", "--tag", "client"),
    ("add", "Tom Becker", "--birthday", "1990-12-03", "--tag", "team"),
    ("add", "Hana Sato", "--birthday", "1988-02-29", "--tag", "client"),
    ("add", "Jonas Berg", "--birthday", "Dec 24", "--tag", "friend"),
    ("date", "Tom", "custom", "2026-12-18", "--label", "Launch party", "--once"),
)


@pytest.fixture
def people(servant) -> None:
    for args in PEOPLE:
        ok(servant(*args))
    ok(servant("log", "Maria", "card", "Birthday card", "--on", "2026-12-01"))


DECEMBER = """\
       December 2026
Mo  Tu  We  Th  Fr  Sa  Su
     1   2   3*  4   5   6
 7   8   9  10  11  12  13
14  15  16  17  18* 19  20
21  22  23  24* 25  26  27
28* 29  30  31

* a day with occasions; today is Tue 1 Dec 2026

Thu 3 Dec 2026   Maria Okafor  Birthday — turns 45 · done: card (Birthday card)
Thu 3 Dec 2026   Tom Becker    Birthday — turns 36
Fri 18 Dec 2026  Tom Becker    Launch party
Thu 24 Dec 2026  Jonas Berg    Birthday
Mon 28 Dec 2026  Maria Okafor  Client for 7 years
"""


def test_a_month_is_drawn_like_cal_with_its_occasions_marked_and_listed(servant, people) -> None:
    # No MONTH: the month of --from; piped, so plain text.
    assert ok(servant("calendar", "--from", "2026-12-01")) == DECEMBER
    assert ok(servant("calendar", "dec", "--from", "2026-12-01")) == DECEMBER
    assert ok(servant("calendar", "12", "--year", "2026", "--from", "2026-12-01")) == DECEMBER


def test_a_one_off_date_is_marked_in_its_own_year_only(servant, people) -> None:
    out = ok(servant("calendar", "December", "--year", "2027", "--from", "2026-12-01"))
    assert "Launch party" not in out
    assert "18* " not in out
    assert "today is" not in out  # today is not in December 2027
    assert out.splitlines()[-1] == "Tue 28 Dec 2027  Maria Okafor  Client for 8 years"


def test_feb_29_falls_on_feb_28_in_other_years(servant, people, write_config) -> None:
    out = ok(servant("calendar", "feb", "--year", "2027", "--from", "2026-12-01"))
    assert "22  23  24  25  26  27  28*" in out
    assert out.endswith("Sun 28 Feb 2027  Hana Sato  Birthday — turns 39\n")
    out = ok(servant("calendar", "feb", "--year", "2028", "--from", "2026-12-01"))
    assert "28  29*" in out
    write_config('feb29 = "mar1"\n')
    out = ok(servant("calendar", "3", "--year", "2027", "--from", "2026-12-01"))
    assert out.endswith("Mon 1 Mar 2027  Hana Sato  Birthday — turns 39\n")


def test_tag_narrows_the_occasions(servant, people) -> None:
    out = ok(servant("calendar", "--from", "2026-12-01", "--tag", "team"))
    assert " 3*" in out and "24*" not in out and "28*" not in out
    assert "Maria" not in out and "Jonas" not in out


YEAR_2027 = """\
                    2027: 5 occasions

          January                     February (1)
Mo  Tu  We  Th  Fr  Sa  Su    Mo  Tu  We  Th  Fr  Sa  Su
                 1   2   3     1   2   3   4   5   6   7
 4   5   6   7   8   9  10     8   9  10  11  12  13  14
11  12  13  14  15  16  17    15  16  17  18  19  20  21
18  19  20  21  22  23  24    22  23  24  25  26  27  28*
25  26  27  28  29  30  31
"""


def test_a_year_shows_twelve_small_months_with_their_counts(servant, people) -> None:
    out = ok(servant("calendar", "--year", "2027", "--from", "2026-12-01"))
    assert out.startswith(YEAR_2027)
    # Twelve months, two across, each named once; December holds four occasions.
    names = [word for line in out.splitlines() for word in line.split() if word.isalpha() and len(word) > 2]
    assert names == ["occasions", *list(calendar.month_name)[1:], "day", "with", "occasions"]
    assert "          November                    December (4)" in out
    assert "27  28* 29  30  31" in out
    assert out.endswith("* a day with occasions\n")
    assert "Launch party" not in out  # a year lists no occasions, its months count them


def test_json_gives_the_days_and_their_counts(servant, people) -> None:
    data = json.loads(ok(servant("calendar", "--json", "--from", "2026-12-01")))
    assert data["year"] == 2026 and data["month"] == 12 and data["today"] == "2026-12-01"
    assert data["occasions"] == 5
    assert data["days"] == [
        {"date": "2026-12-03", "occasions": 2},
        {"date": "2026-12-18", "occasions": 1},
        {"date": "2026-12-24", "occasions": 1},
        {"date": "2026-12-28", "occasions": 1},
    ]
    first = data["items"][0]
    assert (first["person"], first["days_until"], first["handled"]) == ("Maria Okafor", 2, True)
    year = json.loads(ok(servant("calendar", "--year", "2027", "--json", "--from", "2026-12-01")))
    assert year["month"] is None
    assert [m["occasions"] for m in year["months"]] == [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]
    assert year["occasions"] == 5


def test_on_a_terminal_busy_days_are_shaded_and_today_reversed(servant, people) -> None:
    out = ok(servant("calendar", "--from", "2026-12-03", env={"FORCE_COLOR": "1", "COLUMNS": "100"}))
    assert "\x1b[1;7m 3\x1b[0m" in out  # today, reversed (it holds two occasions too)
    assert "*" not in ANSI.sub("", out).split("occasions:")[0]  # shading, not marks
    plain = ANSI.sub("", out)
    assert "Mo Tu We Th Fr Sa Su" in plain
    assert "5 occasions in December 2026" in plain
    for env in ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, {"TERM": "dumb", "FORCE_COLOR": "1"}):
        assert ok(servant("calendar", "--from", "2026-12-01", env=env)) == DECEMBER


def test_an_empty_database_gets_the_grid_and_a_calm_line(servant) -> None:
    ok(servant("add", "Ada"))
    ok(servant("rm", "Ada", "--yes"))
    out = ok(servant("calendar", "--from", "2026-12-01"))
    assert out.endswith("\n\nNo occasions in December 2026.\n")
    out = ok(servant("calendar", "--year", "2026", "--from", "2026-12-01"))
    assert out.endswith("No occasions in 2026.\n")
    assert json.loads(ok(servant("calendar", "--json", "--from", "2026-12-01")))["days"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["13"], "Error: MONTH: '13' is not a month; use 1 to 12 or a name, e.g. 3, mar or March\n"),
        (["ju"], "Error: MONTH: 'ju' is not a month; use 1 to 12 or a name, e.g. 3, mar or March\n"),
        (["Juneteenth"], "Error: MONTH: 'Juneteenth' is not a month; use 1 to 12 or a name, e.g. 3, mar or March\n"),
        (["--year", "27"], "Error: --year: 27 is out of range; use 1000 to 9998\n"),
        (["--year", "next"], "Error: --year: 'next' is not a whole number; use 1000 to 9998\n"),
        (["--from", "2026-02-30"], None),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(servant, people, db_path: Path, args, message) -> None:
    before = dump(db_path)
    result = servant("calendar", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert result.stderr == message if message else result.stderr.startswith("Error: --from: ")
    assert dump(db_path) == before


@pytest.mark.parametrize(("columns", "across"), [("100", 3), ("66", 3), ("65", 2), ("43", 2), ("42", 1)])
def test_on_a_narrow_terminal_fewer_months_go_across(servant, people, columns: str, across: int) -> None:
    out = ANSI.sub("", ok(servant("calendar", "--year", "2027", env={"FORCE_COLOR": "1", "COLUMNS": columns})))
    headers = [line for line in out.splitlines() if line.startswith("Mo Tu")]
    assert len(headers) == 12 // across
    assert headers[0].count("Mo Tu We Th Fr Sa Su") == across
    assert max(len(line) for line in out.splitlines()) <= int(columns)


def test_hostile_text_in_the_database_reaches_no_terminal(servant, people, db_path: Path) -> None:
    ok(servant("log", "Tom", "gift", "--on", "2026-12-02", "--cost", "12 EUR"))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE person SET name = name || ?", ("\x1b]0;pwned\x07\x1b[2J\u202e[bold]X[/]",))
        conn.execute("UPDATE occasion SET label = label || ?", ("\x9b31m\r\u2028",))
        conn.execute("UPDATE gesture SET cost = cost || ?", ("\x1b[31m",))
    conn.close()
    for args in (
        ["calendar"],
        ["calendar", "--json"],
        ["stats", "--year", "2026"],
        ["stats", "--year", "2026", "--json"],
    ):
        for env in ({}, {"FORCE_COLOR": "1", "COLUMNS": "100"}):
            out = ANSI.sub("", ok(servant(*args, "--from", "2026-12-01", env=env)))
            assert not CONTROL.search(out), (args, env, out)
            assert "[bold]X[/]" in out or "--json" in args


def test_piped_from_the_console_script_it_is_plain(servant, people, db_path: Path) -> None:
    # A real pipe, as cron or `| less` gives it: no colour, the text of the golden test.
    env = {**os.environ, "SERVANT_DB": str(db_path)}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "servant_cli", "calendar", "--from", "2026-12-01"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert (done.stdout, done.stderr) == (DECEMBER, "")
