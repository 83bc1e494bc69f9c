"""The digest as a call sheet: how to reach each person, and the command that marks a line
done, which must do so when pasted into a real POSIX shell.

A pasted command runs as ``sh -c`` runs it, with ``servant`` a shell function that starts
this checkout's CLI (``python -m servant_cli``) against the test's own database; ``--on``
is added to log it on the digest's day rather than the real one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ANSI, ok
from test_digest import DIGEST_28_NOV, PEOPLE, PLANS


@pytest.fixture
def people(database_from) -> None:
    database_from(*(("add", *args) for args in PEOPLE), *(("date", *args) for args in PLANS))


def commands(digest: str) -> list[str]:
    """The commands an Act now section offers, as a user copies them (the indent left out)."""
    return [line.strip() for line in digest.splitlines() if line.startswith("  servant ")]


def paste(command: str, on: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as a POSIX shell reads it, logged ``on`` that day."""
    script = f'servant() {{ "{sys.executable}" -m servant_cli "$@"; }}\n{command} --on {on}\n'
    return subprocess.run(
        ["sh", "-c", script], cwd=cwd, env=env or dict(os.environ), capture_output=True, text=True, timeout=60
    )


def test_each_pasted_command_marks_its_line_done(servant, people, tmp_path: Path) -> None:
    found = commands(DIGEST_28_NOV)
    assert found == [
        "servant log 'Grace Hopper' call --for anniversary",
        "servant log 'Linus Berg' call --for 'Shop opening'",
        "servant log 'Linus Berg' call --for client-since",
        "servant log 'Grace Hopper' flowers --for birthday",
    ]
    for command in found:
        done = paste(command, "2026-11-28", tmp_path)
        assert done.returncode == 0, done.stderr
        assert "Counts as done for" in done.stdout
    # Nothing is left to act on; what is in the week says it is done.
    assert ok(servant("digest", "--from", "2026-11-28")) == (
        "servant digest for Sat 28 Nov 2026\n"
        "\n"
        "Today\n"
        "- Bob Byte — Birthday; plan: call\n"
        "  555-0100\n"
        "\n"
        "Coming up this week\n"
        "- Grace Hopper — 96th wedding anniversary, Sun 29 Nov, tomorrow · done:\n"
        "  call\n"
        "- Linus Berg — Shop opening (10 years), Sun 29 Nov, tomorrow · done:\n"
        "  call\n"
        "- Alan Turing — 6 years at work, Mon 30 Nov, in 2 days\n"
        "- Linus Berg — Client for 7 years, Tue 1 Dec, in 3 days · done: call\n"
    )


def test_two_people_of_the_same_name_are_named_by_id(servant, tmp_path: Path) -> None:
    ok(servant("add", "Sam Lee", "--birthday", "1980-12-01", "--phone", "555-0101"))
    ok(
        servant("add", "Sam Lee", "--birthday", "1990-12-02", "--email", "sam@lee.example", "--new"),
        stderr="Note: there was already someone called Sam Lee (#1).\n",
    )
    ok(servant("add", "Sam Leeds", "--birthday", "1970-12-03"))
    digest = ok(servant("digest", "--from", "2026-11-28"))
    assert digest == (
        "servant digest for Sat 28 Nov 2026\n"
        "\n"
        "Act now\n"
        "- Get ready for Sam Lee — Birthday (turns 46), Tue 1 Dec, in 3 days\n"
        "  555-0101\n"
        "  servant log '#1' call --for birthday\n"
        "- Get ready for Sam Lee — Birthday (turns 36), Wed 2 Dec, in 4 days\n"
        "  sam@lee.example\n"
        "  servant log '#2' call --for birthday\n"
        "- Get ready for Sam Leeds — Birthday (turns 56), Thu 3 Dec, in 5 days\n"
        "  servant log 'Sam Leeds' call --for birthday\n"
    )
    done = paste(commands(digest)[1], "2026-11-28", tmp_path)
    assert done.returncode == 0, done.stderr
    after = ok(servant("digest", "--from", "2026-11-28"))
    assert "servant log '#1' call --for birthday" in after
    assert "servant log '#2'" not in after
    assert "- Sam Lee — Birthday (turns 36), Wed 2 Dec, in 4 days · done: call\n" in after


def test_a_name_and_a_label_the_shell_would_read_are_quoted(servant, tmp_path: Path) -> None:
    name = 'Dan O\'Brien; $(touch pwned) `touch pwned` * "&"'
    label = "-Dan's $HOME party"
    ok(servant("add", name, "--birthday", "1980-12-01", "--date", f"{label}=2015-11-30"))
    ok(servant("date", name, "custom", "2015-11-30", "--label", label, "--plan", "card"))
    found = commands(ok(servant("digest", "--from", "2026-11-28")))
    assert found == [
        "servant log 'Dan O'\"'\"'Brien; $(touch pwned) `touch pwned` * \"&\"' card --for='-Dan'\"'\"'s $HOME party'",
        "servant log 'Dan O'\"'\"'Brien; $(touch pwned) `touch pwned` * \"&\"' call --for birthday",
    ]
    for command in found:
        done = paste(command, "2026-11-28", tmp_path)
        assert done.returncode == 0, done.stderr
    assert not (tmp_path / "pwned").exists()
    after = ok(servant("digest", "--from", "2026-11-28"))
    assert "Act now" not in after
    assert after.count("done:") == 2


def test_a_name_that_starts_with_a_dash_is_named_by_id(servant, tmp_path: Path) -> None:
    ok(servant("add", "--birthday", "1980-12-01", "--", "-Bo"))
    [command] = commands(ok(servant("digest", "--from", "2026-11-28")))
    assert command == "servant log '#1' call --for birthday"
    assert paste(command, "2026-11-28", tmp_path).returncode == 0
    assert "done: call" in ok(servant("digest", "--from", "2026-11-28"))


def test_a_date_more_than_half_a_year_ahead_is_left_to_logs_own_choice(servant, tmp_path: Path) -> None:
    # log --for counts for the nearer of the last and the next day: on 28 Nov, the last
    # 1 Aug. A gift in the lead window counts for the next one without --for.
    ok(servant("add", "Far Gift", "--birthday", "1980-08-01"))
    ok(servant("date", "Far Gift", "birthday", "1980-08-01", "--plan", "gift", "--lead", "300"))
    ok(servant("add", "Far Call", "--birthday", "1980-08-02"))
    ok(servant("date", "Far Call", "birthday", "1980-08-02", "--plan", "call", "--lead", "300"))
    digest = ok(servant("digest", "--from", "2026-11-28"))
    # A call counts only with --for, and --for would count for last August: no command.
    assert digest == (
        "servant digest for Sat 28 Nov 2026\n"
        "\n"
        "Act now\n"
        "- Get a gift for Far Gift — Birthday (turns 47),\n"
        "  Sun 1 Aug 2027, in 246 days\n"
        "  servant log 'Far Gift' gift\n"
        "- Call Far Call — Birthday (turns 47), Mon 2 Aug 2027, in 247 days\n"
    )
    assert paste("servant log 'Far Gift' gift", "2026-11-28", tmp_path).returncode == 0
    assert "Far Gift" not in ok(servant("digest", "--from", "2026-11-28"))


def test_with_db_the_command_names_the_database(servant, tmp_path: Path) -> None:
    db = tmp_path / "other place" / "servant.db"
    db.parent.mkdir()
    ok(servant("--db", str(db), "add", "Ida", "--birthday", "1980-12-01"))
    [command] = commands(ok(servant("--db", str(db), "digest", "--from", "2026-11-28")))
    assert command == f"servant --db '{db}' log Ida call --for birthday"
    env = {**os.environ, "SERVANT_DB": str(tmp_path / "not this one.db")}
    done = paste(command, "2026-11-28", tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert "done: call" in ok(servant("--db", str(db), "digest", "--from", "2026-11-28"))


def test_keep_in_touch_says_how_to_reach_them(servant) -> None:
    ok(servant("add", "Kim Park", "--every", "30", "--phone", "+44 20 7946 0958", "--note", "Call after 5pm"))
    ok(servant("log", "Kim Park", "call", "--on", "2026-09-01"))
    assert ok(servant("digest", "--from", "2026-11-28")) == (
        "servant digest for Sat 28 Nov 2026\n"
        "\n"
        "Keep in touch\n"
        "- Kim Park — every 30 days; last: Tue 1 Sep (58 days overdue)\n"
        "  +44 20 7946 0958 · Call after 5pm\n"
    )


def test_a_long_reach_line_is_wrapped_but_keeps_the_number_whole(servant) -> None:
    note = "Prefers a call in the late afternoon, never on Mondays; ask about the new shop"
    ok(servant("add", "Lee Ann", "--birthday", "Nov 28", "--phone", "+1 212 555 0123", "--note", note))
    ok(servant("edit", "Lee Ann", "--email", "lee.ann.longaddress@example.org"))
    assert ok(servant("digest", "--from", "2026-11-28")) == (
        "servant digest for Sat 28 Nov 2026\n"
        "\n"
        "Today\n"
        "- Lee Ann — Birthday\n"
        "  +1 212 555 0123 · lee.ann.longaddress@example.org · Prefers a call in\n"
        "  the late afternoon, never on Mondays; ask about the new shop\n"
    )


def test_on_a_terminal_the_call_sheet_is_under_each_line(servant, people) -> None:
    out = ok(servant("digest", "--from", "2026-11-28", env={"FORCE_COLOR": "1", "COLUMNS": "120"}))
    lines = [ANSI.sub("", line) for line in out.splitlines()]
    at = lines.index("• Order flowers for Grace Hopper — Birthday (turns 120), Wed 9 Dec, in 11 days")
    assert lines[at + 1 : at + 3] == [
        "  +1 212 555 0199 · grace@navy.example · Allergic to lilies",
        "  servant log 'Grace Hopper' flowers --for birthday",
    ]
    assert lines[lines.index("• Bob Byte — Birthday; plan: call") + 1] == "  555-0100"


def test_on_a_narrow_terminal_the_command_is_never_broken(servant, people) -> None:
    out = ok(servant("digest", "--from", "2026-11-28", env={"FORCE_COLOR": "1", "COLUMNS": "40"}))
    lines = [ANSI.sub("", line) for line in out.splitlines()]
    assert "  servant log 'Grace Hopper' flowers --for birthday" in lines
