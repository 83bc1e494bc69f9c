"""Shell completion: the names and tags a shell is offered, and which command the line
being completed runs (``cli.main`` builds only that one, as for a run).

Typer runs completion when ``_SERVANT_COMPLETE`` is set (``servant --install-completion``
writes the shell's side). Bash passes the words of the line in ``COMP_WORDS`` (joined by
newlines, as typed, quotes and backslashes included) and the word under the cursor in
``COMP_CWORD``; zsh, fish and PowerShell pass the line in ``_TYPER_COMPLETE_ARGS``.

What is offered:

- for PERSON, the names that start with what is typed, case aside; for a tag, the tags in
  use. A candidate keeps the characters typed and goes on with the stored name ("ada" +
  "a Lovelace"): Typer offers only candidates that start with what was typed.
- Bash puts a candidate on the line as it is, so it is escaped there ("Ada\\ Lovelace"),
  unless the word was begun with a quote (the shell closes it). For a word typed with a
  backslash (``Ada\\ L``), ``prepare_bash`` hands Typer the word as typed, so that the
  escaped candidates still start with it.
- Nothing is ever printed but candidates: no database is created or changed, and a
  missing, locked or damaged one, or a bad config file, offers nothing (``store.peek``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import typer

#: What bash reads as more than a letter in a word not in quotes, escaped.
_BASH_ESCAPES = str.maketrans({char: "\\" + char for char in " \t\n!\"#$&'()*;<>?[\\]^`{|}~"})


def _bash_escaped(text: str) -> str:
    """``text`` as one word for bash (most names need only their spaces escaped)."""
    if text.replace(" ", "").isalnum():
        return text.replace(" ", "\\ ")
    return text.translate(_BASH_ESCAPES)


def _split(line: str) -> list[str]:
    """A line's words as the shell means them; an unfinished last word as far as it goes."""
    import shlex

    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        words.extend(lexer)
    except ValueError:  # an open quote or a trailing backslash: keep what was read
        words.append(lexer.token)
    return words


def words_before_cursor() -> list[str] | None:
    """The complete words of the line being completed, after ``servant`` (None: no line)."""
    if "COMP_WORDS" in os.environ:
        try:
            cword = int(os.environ.get("COMP_CWORD", ""))
        except ValueError:
            return None
        return _split(os.environ["COMP_WORDS"])[1:cword]
    line = os.environ.get("_TYPER_COMPLETE_ARGS")
    if line is None:
        return None
    words = _split(line)[1:]
    if "_TYPER_COMPLETE_WORD_TO_COMPLETE" in os.environ:  # PowerShell
        return words[:-1] if os.environ["_TYPER_COMPLETE_WORD_TO_COMPLETE"] else words
    return words if line.endswith(" ") else words[:-1]


#: The word under the cursor as typed in bash, when ``prepare_bash`` changed what Typer sees.
_typed_in_bash: str | None = None


def _bash_word() -> str | None:
    """The word under the cursor as typed in bash (None: not bash, or not known)."""
    if not os.environ.get("_SERVANT_COMPLETE", "").endswith("_bash"):
        return None
    if _typed_in_bash is not None:
        return _typed_in_bash
    words = os.environ.get("COMP_WORDS", "").split("\n")
    try:
        cword = int(os.environ.get("COMP_CWORD", ""))
    except ValueError:
        return None
    return words[cword] if 0 <= cword < len(words) else ""


def prepare_bash() -> None:
    """Let Typer see the word under the cursor as typed when it holds a backslash."""
    import shlex

    global _typed_in_bash
    word = _bash_word()
    if word and "\\" in word and word[0] not in "'\"-":
        words = os.environ["COMP_WORDS"].split("\n")
        words[int(os.environ["COMP_CWORD"])] = shlex.quote(word)
        os.environ["COMP_WORDS"] = "\n".join(words)
        _typed_in_bash = word


def _offer(incomplete: str, values: Callable[[str], list[str]]) -> list[str]:
    """The candidates for ``incomplete`` among ``values(start)``, written for the shell;
    what was typed is kept, and compared as ``--tag`` and PERSON compare (``text.fold``)."""
    from servant_cli.text import fold

    word = _bash_word()
    escape = word is not None and not word.startswith(("'", '"'))
    typed = re.sub(r"\\(.)", r"\1", incomplete) if escape else incomplete
    start, length = fold(typed), len(typed)
    offered = []
    for value in values(typed):
        if length and fold(value[:length]) != start:
            continue  # a folded form of another length ("Weiß" for "weis")
        rest = value[length:]
        offered.append(incomplete + (_bash_escaped(rest) if escape else rest))
    return offered


def _database(ctx: typer.Context) -> Path:
    """The database the line names (``--db``, when typed before the command), or the usual one."""
    from servant_cli.config import db_location, load_settings

    option = ctx.find_root().params.get("db")
    path, _ = db_location(option, load_settings())
    return path


def complete_person(ctx: typer.Context, incomplete: str) -> list[str]:
    """PERSON: the names in the database that start with what is typed."""
    from servant_cli.store.peek import names_starting

    return _quietly(lambda: _offer(incomplete, lambda start: names_starting(_database(ctx), start)))


def complete_tag(ctx: typer.Context, incomplete: str) -> list[str]:
    """--tag: the tags in use that start with what is typed."""
    from servant_cli.store.peek import tags_starting

    return _quietly(lambda: _offer(incomplete, lambda start: tags_starting(_database(ctx), start)))


def _quietly(offer: Callable[[], list[str]]) -> list[str]:
    """What ``offer`` gives, or nothing when it fails: an error printed by completion would
    land on the user's command line (with ``SERVANT_DEBUG=1``, the traceback)."""
    try:
        return offer()
    except Exception:
        if os.environ.get("SERVANT_DEBUG") == "1":
            raise
        return []
