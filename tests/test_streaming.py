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
from servant_cli.render import terminal

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


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["add", "Q", "--birthday", HUGE + "-01-01"], "Error: --birthday: '9999999999999999999999999999999999999999…'"),
        (["upcoming", "--from", HUGE + "-01-01"], "Error: --from: '9999999999999999999999999999999999999999…'"),
        (["log", "Ada", "card", "--on", HUGE + "-01-01"], "Error: --on: '9999999999999999999999999999999999999999…'"),
        (["export", "vcard", "--version", HUGE], "Error: --version: '99999999999999999999' is not a vCard"),
        (["season", "add", "S", "--on", HUGE + "th Sunday of May"], "Error: --on: '" + "9" * 40 + "…' is not a date"),
        (["season", "add", "S", "--on", "Easter+" + HUGE], "Error: --on: 'Easter+" + "9" * 33 + "…' is not a date"),
        (["calendar", HUGE], "Error: MONTH: '" + "9" * 40 + "' is not a month"),
    ],
)
def test_a_date_or_version_of_thousands_of_digits_is_quoted_short(servant, args: list[str], said: str) -> None:
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-12-10"))
    result = servant(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(said) and len(result.stderr) < 250 and result.stderr.count("\n") == 1


@pytest.mark.parametrize("args", [["upcoming", "--from", "0001-01-01"], ["digest", "--from", "0001-01-02"]])
def test_a_day_too_far_off_for_from_or_on_is_refused(servant, args: list[str]) -> None:
    result = servant(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: --from: {args[-1]!r} is too far back; use a date from 1000-01-01\n"


@pytest.mark.parametrize("args", [["upcoming", "--kind", HUGE], ["import", "x.vcf", "--format", HUGE]])
def test_a_choice_of_thousands_of_characters_is_quoted_short(servant, args: list[str]) -> None:
    result = servant(*args)
    option = args[-2]
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"Error: Invalid value for '{option}': '{'9' * 40}…' is not one of ")
    assert len(result.stderr) < 250 and result.stderr.count("\n") == 1


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


# -- output written as it is made: the same text as whole -----------------------------------


@pytest.fixture
def crowd(db_path: Path) -> int:
    """2,500 people with a birthday each, spread over the year (more rows than the aligned
    lines keep in memory), the longest name on one of the last days of the window."""
    from servant_cli.store import NewOccasion, NewPerson, Store

    people = [
        NewPerson(f"Person {n:04d}", occasions=(NewOccasion("birthday", 1 + n % 12, 1 + n % 28, 1980),))
        for n in range(2_499)
    ]
    people.append(NewPerson("Bartholomew Maximilian Longname", occasions=(NewOccasion("birthday", 11, 19, 1990),)))
    store = Store.open(db_path)
    store.add_people(people)
    store.close()
    return len(people)


@pytest.fixture(params=["held", "spooled"])
def spool(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The aligned rows held in memory, or (past 1,000 of them) waiting in a temporary file."""
    if request.param == "spooled":
        monkeypatch.setattr(terminal, "SPOOL_ROWS", 1_000)
    return str(request.param)


def test_aligned_lines_of_thousands_of_rows_line_up_as_one_table(servant, crowd: int, spool: str) -> None:
    lines = ok(servant("upcoming", "--days", "365", "--from", FROM)).splitlines()
    items = json.loads(ok(servant("upcoming", "--days", "365", "--json", "--from", FROM)))
    assert len(lines) == len(items) == crowd
    # The widest name comes among the last, past the rows held in memory.
    assert "Bartholomew Maximilian Longname" in [item["person"] for item in items[-100:]]
    who = {line.index(item["person"]) for line, item in zip(lines, items, strict=True)}
    what = {
        len(line) - len(line[line.index(item["person"]) + len(item["person"]) :].lstrip())
        for line, item in zip(lines, items, strict=True)
    }
    assert len(who) == 1 and len(what) == 1, (who, what)
    assert lines[0].endswith("Birthday — turns 46") and "  Person " in lines[0]


def test_rows_waiting_in_the_spool_come_back_as_they_went_in(monkeypatch: pytest.MonkeyPatch) -> None:
    # Cells holding what the spool's lines are cut at (a line end, a NUL, its \x01 mark)
    # come back whole: each such row waits as JSON.
    rows = [(f"n{n}", "a\nb" if n % 3 == 0 else "a\0b" if n % 3 == 1 else "\x01c", "x") for n in range(9)]
    held = [line for line, _ in terminal.Aligned((row, "") for row in rows).lines()]
    monkeypatch.setattr(terminal, "SPOOL_ROWS", 2)
    spooled = terminal.Aligned((row, f"style {n}") for n, row in enumerate(rows))
    assert list(spooled.lines()) == [(line, f"style {n}") for n, line in enumerate(held)]
    assert held[0] == "n0  a\nb  x\n" and held[1] == "n1  a\0b  x\n"


def test_long_rows_wait_in_the_spool_before_the_count_of_rows_is_reached(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [(f"n{n}", "long " * 400, "x") for n in range(1_200)]
    held = [line for line, _ in terminal.Aligned((row, "") for row in rows).lines()]
    monkeypatch.setattr(terminal, "SPOOL_CHARS", 100_000)
    spooled = terminal.Aligned((row, "") for row in rows)
    # About 100,000 characters kept (a batch of 512 rows at most past the bound), the rest in the file.
    assert len(spooled._held) == 512 and spooled._file is not None
    assert [line for line, _ in spooled.lines()] == held


def test_json_is_formatted_as_json_itself_formats_it(servant, crowd: int) -> None:
    ok(servant("log", "Longname", "gift", "a hat", "--on", "2026-11-01"))
    text = ok(servant("upcoming", "--days", "365", "--json", "--from", FROM))
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    gestures = [item["last_gesture"] for item in json.loads(text) if item["person"].endswith("Longname")]
    assert gestures == [{"date": "2026-11-01", "kind": "gift", "what": "a hat"}]
    assert ok(servant("upcoming", "--days", "0", "--json", "--from", "2026-11-21")) == "[]\n"
    profile = ok(servant("show", "Longname", "--json", "--from", FROM))
    assert profile == json.dumps(json.loads(profile), ensure_ascii=False, indent=2) + "\n"


def test_the_calendar_file_is_the_calendar_printed_with_each_persons_own_ideas(servant, crowd: int, tmp_path) -> None:
    ok(servant("idea", "Longname", "a hat"))
    ok(servant("idea", "Person 0000", "a scarf"))
    printed = servant("export", "ics", "--from", FROM).stdout_bytes
    target = tmp_path / "out.ics"
    said = ok(servant("export", "ics", "-o", str(target), "--from", FROM))
    assert said == f"Wrote {crowd} events for {crowd} people to {target}\n"
    assert target.read_bytes() == printed
    events = printed.decode().split("BEGIN:VEVENT")[1:]
    assert len(events) == crowd
    with_ideas = {event.split("SUMMARY:")[1].split("\r\n")[0]: event for event in events if "Gift ideas" in event}
    assert sorted(with_ideas) == ["Bartholomew Maximilian Longname — Birthday", "Person 0000 — Birthday"]
    assert "Gift ideas: a hat" in with_ideas["Bartholomew Maximilian Longname — Birthday"]
    assert "Gift ideas: a scarf" in with_ideas["Person 0000 — Birthday"]
    yearly = ok(servant("export", "ics", "--years", "2", "--from", FROM))
    assert yearly.count("BEGIN:VEVENT") == 2 * crowd and yearly.count("Gift ideas: a hat") == 2
