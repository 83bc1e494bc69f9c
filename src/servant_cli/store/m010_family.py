"""Schema step 10: family as links between people and relations kept as text.

Up to schema 9 a person had one family link (``person.related_id`` + ``relation``), so a
child could not have two parents. ``family`` holds one row per link: ``person_id`` is
the ``child`` or the ``spouse`` of ``other_id`` (a spouse link is stored once, the lower
id first, and read both ways). ``relation_text`` keeps a relation an address book gave
whose person is not in servant ("Frank O'Brien", her spouse), until that person comes.

The old columns are dropped: ``person`` is rebuilt (SQLite cannot drop a column that
references another table), keeping every row, id and index, and the AUTOINCREMENT
counter, so no id is handed out twice.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

#: person as it is from schema 10 on: as before, without related_id and relation.
_PERSON = """
CREATE TABLE person_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    company TEXT,
    email TEXT,
    phone TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    notes TEXT,
    every_days INTEGER,
    source_uid TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    name_key TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL DEFAULT 0,
    position TEXT,
    connected_on TEXT,
    nickname TEXT
)
"""
_KEPT = (
    "id, name, company, email, phone, tags, notes, every_days, source_uid, created, updated, name_key, sequence,"
    " position, connected_on, nickname"
)


def m010_family(db: sqlite_utils.Database) -> None:
    if db.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise sqlite3.DatabaseError("m010 must run with foreign keys off, or rebuilding person deletes every date")
    db.execute(
        """
        CREATE TABLE family (
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            relation TEXT NOT NULL CHECK (relation IN ('child', 'spouse')),
            other_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            PRIMARY KEY (person_id, relation, other_id),
            CHECK (person_id <> other_id)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX family_other ON family(other_id, relation)")
    db.execute(
        """
        CREATE TABLE relation_text (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE UNIQUE INDEX relation_text_unique ON relation_text(person_id, kind, name_key)")
    db.execute(
        "INSERT INTO family (person_id, relation, other_id)"
        " SELECT CASE WHEN relation = 'spouse' THEN min(id, related_id) ELSE id END, relation,"
        " CASE WHEN relation = 'spouse' THEN max(id, related_id) ELSE related_id END"
        " FROM person WHERE related_id IS NOT NULL AND relation IN ('child', 'spouse') AND related_id <> id"
        " AND related_id IN (SELECT id FROM person) ORDER BY id"
        " ON CONFLICT DO NOTHING"
    )
    _rebuild_person(db)
    db.table("meta").upsert({"key": "schema_version", "value": "10"}, pk="key")


def _rebuild_person(db: sqlite_utils.Database) -> None:
    """person without its old family columns, by SQLite's twelve-step way round."""
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'person' AND sql IS NOT NULL"
    ).fetchall()
    counter = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'person'").fetchone()
    count = db.execute("SELECT count(*) FROM person").fetchone()[0]
    db.execute(_PERSON)
    db.execute(f"INSERT INTO person_rebuilt ({_KEPT}) SELECT {_KEPT} FROM person")
    if db.execute("SELECT count(*) FROM person_rebuilt").fetchone()[0] != count:
        raise sqlite3.DatabaseError("rebuilding table person lost rows")
    db.execute("DROP TABLE person")
    db.execute("ALTER TABLE person_rebuilt RENAME TO person")
    if counter is not None:  # the highest id ever given, deleted or not
        highest = db.execute("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'person'").fetchone()[0]
        db.execute("DELETE FROM sqlite_sequence WHERE name = 'person'")
        db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('person', ?)", [max(highest, counter[0])])
    for name, sql in indexes:
        if name != "person_related":
            db.execute(sql)
