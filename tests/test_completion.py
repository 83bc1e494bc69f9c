"""Shell completion, run as a shell runs it: the ``servant`` console script with
``_SERVANT_COMPLETE`` set and the line in the variables each shell passes. Names and
tags come from the database; nothing is ever printed but candidates."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

SERVANT = shutil.which("servant")
NOT_INHERITED = ("PYTHONWARNINGS", "SERVANT_DEBUG", "NO_COLOR", "FORCE_COLOR")
PEOPLE = (
    ("add", "Ada Lovelace", "--tag", "client"),
    ("add", "Ada Stone", "--tag", "vip client"),
    ("add", "Alan Turing", "--tag", "Team"),
    ("add", "Margaret O'Brien"),
)


@pytest.fixture
def people(database_from) -> Path:
    return database_from(*PEOPLE)


def complete(*words: str, shell: str = "bash", **extra: str) -> subprocess.CompletedProcess[str]:
    """What ``servant`` offers for the last of ``words`` (the word under the cursor)."""
    assert SERVANT, "the servant console script is installed: pip install -e ."
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env["_SERVANT_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        # As bash's side of Typer's script passes them: the words as typed, joined by IFS (a newline).
        env.update(COMP_WORDS="\n".join(["servant", *words]), COMP_CWORD=str(len(words)))
    else:
        env.update(_TYPER_COMPLETE_ARGS=" ".join(["servant", *words]), _TYPER_COMPLETE_FISH_ACTION="get-args")
    env.update(extra)
    return subprocess.run([SERVANT], env=env, capture_output=True, text=True, timeout=30)


def offered(*words: str, **extra: str) -> list[str]:
    result = complete(*words, **extra)
    assert (result.returncode, result.stderr) == (0, "")
    return result.stdout.splitlines()


@pytest.mark.parametrize(
    ("words", "candidates"),
    [
        (("show", "Ad"), ["Ada\\ Lovelace", "Ada\\ Stone"]),  # one word each on bash's line
        (("show", "ada"), ["ada\\ Lovelace", "ada\\ Stone"]),  # case aside; what was typed stays
        (("show", "Ada\\ L"), ["Ada\\ Lovelace"]),  # typed on past an escaped space
        (("show", '"Ada L'), ["Ada Lovelace"]),  # in quotes: the shell closes them
        (("log", "Marg"), ["Margaret\\ O\\'Brien"]),
        (("add", "Zoe", "--child-of", "Al"), ["Alan\\ Turing"]),
    ],
)
def test_bash_is_offered_the_names_that_start_with_the_word(people, words, candidates: list[str]) -> None:
    assert [line for line in offered(*words) if line] == candidates
    # Reading the database left nothing beside it.
    assert sorted(path.name for path in people.parent.iterdir() if path.name.startswith("servant.db")) == ["servant.db"]


def test_a_tag_is_offered_the_tags_in_use(people) -> None:
    assert offered("list", "--tag", "") == ["client", "Team", "vip\\ client"]
    assert offered("find", "x", "--tag", "t") == ["team"]
    assert offered("edit", "Ada", "--untag", "V") == ["Vip\\ client"]


def test_a_tag_or_name_in_another_alphabet_is_offered_whichever_letters_are_typed(database_from) -> None:
    database_from(("add", "İlkay Işık", "--tag", "İstanbul"), ("add", "Lena Größe", "--tag", "Größe"))
    assert offered("list", "--tag", "ist") == ["istanbul"]
    assert offered("list", "--tag", "gro") == ["große"]
    assert offered("show", "ilk") == ["ilkay\\ Işık"]


def test_zsh_and_fish_are_offered_names_as_they_are(people) -> None:
    zsh = complete("show", "Ada", shell="zsh")
    assert (zsh.returncode, zsh.stderr) == (0, "")
    assert zsh.stdout == '_arguments \'*: :(("Ada Lovelace"\n"Ada Stone"))\'\n'
    fish = complete("show", "Ma", shell="fish")
    assert (fish.returncode, fish.stdout, fish.stderr) == (0, "Margaret O'Brien\n", "")


def test_the_database_given_on_the_line_is_the_one_read(people, tmp_path) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(people).backup(target := sqlite3.connect(other))
    target.execute("UPDATE person SET name = 'Ada Other', name_key = 'ada other' WHERE name = 'Ada Stone'")
    target.commit()
    target.close()
    assert offered("--db", str(other), "show", "Ada") == ["Ada\\ Lovelace", "Ada\\ Other"]


@pytest.mark.parametrize("trouble", ["missing", "folder", "not sqlite", "damaged", "locked", "bad config"])
def test_a_database_that_cannot_be_read_offers_nothing_and_says_nothing(
    people, tmp_path, write_config, trouble: str
) -> None:
    db = people
    assert offered("show", "Ad") == ["Ada\\ Lovelace", "Ada\\ Stone"]
    extra = {}
    holder = None
    if trouble == "missing":
        db = tmp_path / "nowhere" / "servant.db"
    elif trouble == "folder":
        db = tmp_path
    elif trouble == "not sqlite":
        db.write_text("Ada Lovelace\n")
    elif trouble == "damaged":
        size = db.stat().st_size
        with db.open("r+b") as handle:
            handle.seek(4096)  # every page but the first, which holds the schema
            handle.write(b"\xff" * (size - 4096))
    elif trouble == "locked":
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
    else:
        write_config("date_order = [")
    extra["SERVANT_DB"] = str(db)
    try:
        result = complete("show", "Ad", **extra)
    finally:
        if holder is not None:
            holder.close()
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "", "")
    assert not (tmp_path / "nowhere").exists()  # no database is made


def test_the_command_its_options_and_its_people_are_each_completed(people) -> None:
    # main() builds only the command on the line; before one is typed, every command.
    assert offered("sh") == ["show"]
    assert {"add", "show", "find", "upcoming", "export", "restore"} <= set(offered(""))
    assert "--json" in offered("find", "Ada", "--")
    assert offered("show", "Ad") == ["Ada\\ Lovelace", "Ada\\ Stone"]
    assert offered("show", "Zed") == [""]  # no one: an empty line, which bash reads as nothing
