"""A terminal whose encoding is not UTF-8 (ISO-8859-1, ASCII): what it cannot carry is
replaced, never an error. servant's own em dash becomes ``-``, a letter of a name
``?``; JSON stays whole, in ASCII escapes.

The console script runs as a subprocess with ``PYTHONIOENCODING``, which sets the
encoding of its standard streams as an ISO-8859-1 locale does (such a locale is rarely
installed; the encoding is what matters).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from helpers import ANSI, ok

FROM = "2026-11-20"


def run(*args: str, encoding: str, **extra: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, **extra}
    return subprocess.run([sys.executable, "-m", "servant_cli", *args], env=env, capture_output=True, timeout=60)


@pytest.fixture
def turkish(servant) -> None:
    ok(servant("add", "İlkay Işık", "--tag", "İstanbul", "--birthday", "1990-11-22", "--note", "Çay — şeker"))
    ok(servant("log", "ilkay", "card", "Doğum günü", "--on", "2026-11-19"))


def shown(result: subprocess.CompletedProcess[bytes], encoding: str) -> str:
    """The output of a command that must succeed, in the stream's own encoding, without
    Rich's colour codes."""
    assert result.returncode == 0, result.stderr.decode(encoding, "replace")
    assert result.stderr == b""
    return ANSI.sub("", result.stdout.decode(encoding))


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize("color", [{}, {"FORCE_COLOR": "1", "COLUMNS": "120"}], ids=["plain", "force-color"])
def test_show_and_upcoming_are_written_whatever_the_terminal_can_carry(turkish, encoding: str, color: dict) -> None:
    show = shown(run("show", "ilkay", "--from", FROM, encoding=encoding, **color), encoding)
    assert "?lkay I??k (#1)" in show
    assert ("Çay - ?eker" if encoding == "latin-1" else "?ay - ?eker") in show
    assert "in 2 days - turns 36" in show
    upcoming = shown(run("upcoming", "--from", FROM, encoding=encoding, **color), encoding)
    assert "?lkay I??k" in upcoming and "Birthday - turns 36" in upcoming


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["gestures"],
        ["find", "istanbul"],
        ["digest", "--from", FROM, "--always"],
        ["edit", "ilkay", "--company", "Çiçek"],
        ["log", "ilkay", "call", "—"],
    ],
    ids=" ".join,
)
def test_every_command_is_written_on_an_iso_8859_1_terminal(turkish, args: list[str]) -> None:
    assert "?lkay I??k" in shown(run(*args, encoding="latin-1"), "latin-1")


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_json_stays_whole_in_ascii_escapes(turkish, encoding: str) -> None:
    for args in (["upcoming", "--from", FROM, "--json"], ["show", "ilkay", "--json"], ["list", "--json"]):
        out = shown(run(*args, encoding=encoding), encoding)
        assert out.isascii()
        utf8 = shown(run(*args, encoding="utf-8"), "utf-8")
        assert json.loads(out) == json.loads(utf8)
    [item] = json.loads(shown(run("upcoming", "--from", FROM, "--json", encoding=encoding), encoding))
    assert (item["person"], item["description"]) == ("İlkay Işık", "Birthday — turns 36")


def test_csv_on_an_iso_8859_1_terminal(turkish) -> None:
    out = shown(run("upcoming", "--from", FROM, "--csv", encoding="latin-1"), "latin-1")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["person"], row["description"], row["tags"]) == ("?lkay I??k", "Birthday - turns 36", "?stanbul")


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_an_error_naming_a_person_is_one_line_on_stderr(servant, encoding: str) -> None:
    ok(servant("add", "Işık Bir"))
    ok(servant("add", "Işık İki"))
    result = run("show", "ışık", encoding=encoding)
    assert result.returncode == 1 and result.stdout == b""
    assert result.stderr.decode(encoding) == (
        "Error: '???k' matches 2 people: #1 I??k Bir, #2 I??k ?ki; use more of the name or #ID\n"
    )
