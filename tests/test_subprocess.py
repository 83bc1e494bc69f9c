"""The installed ``servant`` console script, run as a user runs it: a real process.

Kept to a few tests (each process costs ~0.15 s). What only a real process shows: the
entry point, exit codes and stderr as the shell sees them, a reader that goes away
early (``| head -1``), and the Rich table on a real (pseudo-)terminal.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import termios
from pathlib import Path

import pytest

from helpers import check_upcoming_table

SERVANT = shutil.which("servant")
# Variables of the test run that a user's shell would not have. PYTHONUNBUFFERED in
# particular hides a broken pipe: an unbuffered partial write is silently dropped.
NOT_INHERITED = ("PYTHONWARNINGS", "PYTHONUNBUFFERED", "NO_COLOR", "FORCE_COLOR", "SERVANT_DEBUG", "COLUMNS", "LINES")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of a user whose database and config live under tmp_path."""
    assert SERVANT, "the servant console script is installed: pip install -e ."
    values = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    values.update(SERVANT_DB=str(tmp_path / "servant.db"), SERVANT_CONFIG_DIR=str(tmp_path / "config"))
    return values


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SERVANT, *args], env=env, capture_output=True, text=True, timeout=30)


def test_add_then_upcoming_prints_plain_lines(env) -> None:
    added = run(env, "add", "Ada Lovelace", "--birthday", "1985-12-10", "--date", "Shop opening=2016-11-29")
    assert (added.returncode, added.stderr) == (0, "")
    assert added.stdout == "Added Ada Lovelace (#1)\n  Birthday: 10 December 1985\n  Shop opening: 29 November 2016\n"
    shown = run(env, "upcoming", "--from", "2026-11-28", "--days", "14")
    assert (shown.returncode, shown.stderr) == (0, "")
    assert shown.stdout == (
        "Tomorrow    Sun 29 Nov 2026  Ada Lovelace  Shop opening — 10 years\n"
        "in 12 days  Thu 10 Dec 2026  Ada Lovelace  Birthday — turns 41\n"
    )


def test_bad_date_exits_2_with_one_line_and_no_traceback(env) -> None:
    result = run(env, "add", "Typo", "--birthday", "2023-02-29")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: --birthday: '2023-02-29' is not a date: 2023 is not a leap year; "
        'use 1985-03-14, --03-14, 03-14, "March 14", "14 Mar 1985", 03/14/1985\n'
    )


def test_version(env) -> None:
    result = run(env, "--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, "servant 0.1.0\n", "")


def test_debug_switch_shows_the_traceback_of_an_error(env) -> None:
    assert run(env, "add", "Ada").returncode == 0
    quiet = run(env, "show", "Nobody")
    assert (quiet.returncode, quiet.stderr) == (1, "Error: no one called 'Nobody'; see 'servant list'\n")
    loud = run({**env, "SERVANT_DEBUG": "1"}, "show", "Nobody")
    assert loud.returncode == 1
    assert loud.stderr.startswith("Traceback (most recent call last):\n")
    assert loud.stderr.endswith("servant_cli.errors.NotFound: no one called 'Nobody'; see 'servant list'\n")


def test_reader_that_stops_early_gets_no_traceback(env, servant) -> None:
    # 300 yearly dates over ten years: ~180 kB, far more than a pipe holds.
    dates = [f"--date=Day {n}=2000-{n % 12 + 1:02d}-{n % 28 + 1:02d}" for n in range(300)]
    assert servant("add", "Many", *dates, env={"SERVANT_DB": env["SERVANT_DB"]}).exit_code == 0
    process = subprocess.Popen(
        [SERVANT, "upcoming", "--from", "2026-01-01", "--days", "3660"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = process.stdout.readline()  # like `servant upcoming ... | head -1`
    process.stdout.close()
    errors = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=30) == 1  # the pipe really broke: it could not write everything
    assert re.fullmatch(rb"Today +Thu 1 Jan 2026 +Many  Day 0 \xe2\x80\x94 26 years\n", first), first
    assert errors == b""


def _read_all(fd: int) -> bytes:
    """Everything a pseudo-terminal's reader sees until the writer closes it."""
    out = b""
    while select.select([fd], [], [], 30)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        out += chunk
    return out


def test_on_a_terminal_upcoming_is_a_table_with_today_highlighted(env) -> None:
    for person in (("Bob Byte", "--birthday", "Nov 28"), ("Ada Lovelace", "--birthday", "1985-12-10")):
        assert run(env, "add", *person).returncode == 0
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    process = subprocess.Popen(
        [SERVANT, "upcoming", "--from", "2026-11-28", "--days", "14"],
        env={**env, "TERM": "xterm-256color"},
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    try:
        screen = _read_all(leader).decode()
    finally:
        os.close(leader)
    assert process.wait(timeout=30) == 0
    plain = check_upcoming_table(screen, "Bob Byte", later="in 12 days")
    assert plain[0].strip() == "Coming up: the next 14 days"
    assert "Ada Lovelace" in next(line for line in plain if "in 12 days" in line)


def test_output_that_cannot_be_written_is_one_error_line(env) -> None:
    assert run(env, "add", "Ada").returncode == 0
    with open("/dev/full", "w") as full:
        result = subprocess.run([SERVANT, "list"], env=env, stdout=full, stderr=subprocess.PIPE, text=True, timeout=30)
    assert (result.returncode, result.stderr) == (
        1,
        "Error: cannot write the output: No space left on device; any change was saved\n",
    )
