"""The only package that speaks SQL.

``Store`` wraps one SQLite connection. Its methods come in layers, one file each:

- ``schema``: the migration steps (appended, never edited) and what a file's recorded
  steps say about it (up to date, older, from a newer servant, not servant's);
- ``connection``: the checks before a file is opened, the connection, the migrations
  on open, and the ``BEGIN IMMEDIATE`` transaction every write runs in, so a cron run
  and an interactive command queue on the busy timeout instead of failing half-way,
  and a failed write leaves nothing behind;
- ``rows``: the column lists every query selects and the records they make;
- ``people``: people, their key dates and family links;
- ``search``: who a name means when the index cannot say (the words of names and
  nicknames, accents aside), the names nearly right, and what ``servant find`` matched;
- ``peek``: names and tags read for shell completion, without opening a ``Store``;
- ``memory``: gestures, gift ideas and keeping in touch;
- ``imports``: the rows an import writes (who a record is: ``importers.matching``);
- ``published``: what ``servant publish`` put on CalDAV servers, per calendar and event;
- ``seasons``: seasons (one occasion for everyone with a tag) and who was ticked off;
- ``backup``: copies of the database, and restoring one.

Start-up speed matters (``servant upcoming`` runs in every new shell for some users),
and importing sqlite-utils costs more than the rest of servant together. So opening a
database that is already up to date uses only the standard ``sqlite3`` module; the
sqlite-utils ``Database`` wrapper is created the first time a migration or a write
needs it. Reads are plain SQL on the same connection.

Names and tags match without regard to case in any alphabet ("åsa" finds "Åsa", "weiss"
finds "Weiß"): SQLite's own ``LIKE`` and ``lower()`` fold ASCII letters only, so names
are looked up by an indexed ``name_key`` column (``models.name_key``) and tags through
``person_tag``, which holds each person's tags folded (``text.fold``), kept by the store
on every write of tags (``rows.tag_filter``).
The index keeps accents; a lookup that must set them aside too ("lucia" for "Lucía")
reads the names it cannot find by the index and folds them (``text.fold``).

Every text value read, whatever its table and column, goes through ``text.stored_bytes``
(``rows.prepare`` makes it the connection's ``text_factory``): a control character
another program wrote into the file is U+FFFD before any code sees it.
"""

from servant_cli.models import name_key
from servant_cli.store.connection import BUSY_TIMEOUT_SECONDS, SQLITE_HEADER
from servant_cli.store.published import Published
from servant_cli.store.rows import DateGroup, DateKey, Leads, NewOccasion, NewPerson
from servant_cli.store.schema import KNOWN_MIGRATIONS, MIGRATION_SET, SCHEMA_VERSION, migrations
from servant_cli.store.seasons import SeasonStore

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "KNOWN_MIGRATIONS",
    "MIGRATION_SET",
    "SCHEMA_VERSION",
    "SQLITE_HEADER",
    "DateGroup",
    "DateKey",
    "Leads",
    "NewOccasion",
    "NewPerson",
    "Published",
    "Store",
    "migrations",
    "name_key",
]


class Store(SeasonStore):
    """servant's data: people, their occasions and what was done for them, in one SQLite file."""
