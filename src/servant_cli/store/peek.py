"""A look at a database for shell completion: names and tags, read without opening it as
a ``Store``.

A shell asks on every Tab, so this must be quick, and it must never change anything:
no database is created (SQLite's ``mode=rw`` opens only a file that exists), none is
migrated or switched to WAL, nothing is written (``query_only``), and a lock held by a
writer is waited on briefly, not for the store's 30 seconds. The connection is
read-write all the same, so that closing it removes the WAL files as any servant
command does (a read-only connection leaves them behind). Whatever goes wrong (no
file, another program's file, a damaged one) is an exception for the caller, which
offers nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from servant_cli.store.rows import prepare
from servant_cli.text import fold

#: How long completion waits for a writer's lock (seconds).
PEEK_TIMEOUT = 0.2


@contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    uri = f"{Path(path).absolute().as_uri()}?mode=rw"
    with closing(sqlite3.connect(uri, uri=True, timeout=PEEK_TIMEOUT)) as conn:
        conn.execute("PRAGMA query_only = ON")
        prepare(conn)  # names and tags offered cleaned, as every command reads them
        yield conn


def names_starting(path: Path, prefix: str) -> list[str]:
    """The names that start with ``prefix`` (case and accents aside, as PERSON matches:
    ``ilk`` finds İlkay, ``emi`` Émile), each once, in the name index's order. The folded
    name is not stored, so every name is read: 10,000 names cost a few milliseconds."""
    start = fold(prefix)
    with _reading(path) as conn:
        rows = conn.execute("SELECT name FROM person ORDER BY name_key, id").fetchall()
    return list(dict.fromkeys(name for (name,) in rows if fold(name).startswith(start)))


def tags_starting(path: Path, prefix: str) -> list[str]:
    """The tags in use that start with ``prefix`` (case and accents aside, as ``--tag``
    matches: ``ist`` finds İstanbul), each once whatever its case."""
    start = fold(prefix)
    seen: dict[str, str] = {}
    with _reading(path) as conn:
        for (tag,) in conn.execute("SELECT DISTINCT j.value FROM person, json_each(person.tags) j"):
            if isinstance(tag, str) and fold(tag).startswith(start):
                seen.setdefault(fold(tag), tag)
    return sorted(seen.values(), key=str.casefold)
