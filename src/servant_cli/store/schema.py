"""The schema: servant's migration steps, and what a file's recorded steps say about it.

Each step is a module-level function, applied in order by ``sqlite_utils.Migrations``
inside one transaction and recorded by name in ``_sqlite_migrations``. Append new steps
to ``STEPS``; never edit one that has shipped (every past schema is a test fixture).

Reading which steps a file has, and refusing a file from a newer servant or another
program, needs only the standard ``sqlite3`` module, so opening an up-to-date database
never imports sqlite-utils.

A file's schema must be exactly what the steps it records create: a trigger or a view
added by someone else (``DELETE FROM person`` on every new gesture) would run inside
servant's own writes. ``schema_problem`` compares ``sqlite_master`` with what the steps
build. For this version's schema the answer is ``CURRENT_SCHEMA``, stored here (a
test checks it against the steps), so the check on every open is one small query and a
comparison of some twenty tuples, with nothing imported. An older file (about to be
upgraded, which imports sqlite-utils anyway) or one that differs is compared with the
schema its steps build in an in-memory database, made once per process and version.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from servant_cli.errors import DatabaseError
from servant_cli.models import name_key
from servant_cli.store.m010_family import m010_family
from servant_cli.store.m011_name_parts import m011_name_parts
from servant_cli.store.m012_rules import m012_rules
from servant_cli.store.m013_seasons import m013_seasons
from servant_cli.store.m014_tag_index import m014_tag_index
from servant_cli.store.m015_gesture_for_date import m015_gesture_for_date
from servant_cli.store.m016_import_memory import m016_import_memory

if TYPE_CHECKING:
    import sqlite_utils

MIGRATION_SET = "servant"


def m001_people_and_occasions(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE person (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            company TEXT,
            email TEXT,
            phone TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            notes TEXT,
            every_days INTEGER,
            related_id INTEGER REFERENCES person(id) ON DELETE SET NULL,
            relation TEXT,
            source_uid TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE occasion (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
            day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
            year INTEGER,
            md INTEGER NOT NULL,
            yearly INTEGER NOT NULL DEFAULT 1,
            lead_days INTEGER,
            plan TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX occasion_md ON occasion(md)")
    db.execute("CREATE INDEX occasion_person ON occasion(person_id)")
    db.execute("CREATE UNIQUE INDEX occasion_unique ON occasion(person_id, kind, label COLLATE NOCASE)")
    db.execute("CREATE INDEX person_name ON person(name COLLATE NOCASE)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    import secrets

    db.table("meta").insert_all(
        [
            {"key": "schema_version", "value": "1"},
            {"key": "db_id", "value": secrets.token_hex(8)},
        ]
    )


def m002_ids_never_reused(db: sqlite_utils.Database) -> None:
    # Without AUTOINCREMENT SQLite hands the highest deleted id to the next row: a
    # new key date would take a removed one's id, and so its calendar UID, and a
    # calendar would read it as an old version of the removed event. Needs
    # foreign_keys off (Store._prepare): dropping person would cascade otherwise.
    if db.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise sqlite3.DatabaseError("m002 must run with foreign keys off, or dropping person deletes every date")
    for table in ("person", "occasion"):
        _rebuild(db, table, "id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY AUTOINCREMENT,")
    db.table("meta").upsert({"key": "schema_version", "value": "2"}, pk="key")


def m003_covering_index_and_name_key(db: sqlite_utils.Database) -> None:
    # The upcoming query reads a month-day range: an index holding every column it
    # selects means it never visits the occasion table (half its time at 10k people).
    db.execute("DROP INDEX occasion_md")
    db.execute(
        "CREATE INDEX occasion_md ON occasion(md, person_id, id, kind, month, day, year, label,"
        " yearly, lead_days, plan, updated, sequence)"
    )
    # Names are looked up by their case-folded form, which SQLite cannot compute
    # ("Weiß" is "weiss", "ÅSA" is "åsa"): kept in a column of its own, indexed.
    db.execute("ALTER TABLE person ADD COLUMN name_key TEXT NOT NULL DEFAULT ''")
    rows = db.execute("SELECT id, name FROM person").fetchall()
    db.conn.executemany("UPDATE person SET name_key = ? WHERE id = ?", [(name_key(n), i) for i, n in rows])
    db.execute("DROP INDEX person_name")
    db.execute("CREATE INDEX person_name_key ON person(name_key)")
    db.table("meta").upsert({"key": "schema_version", "value": "3"}, pk="key")


def m004_person_sequence(db: sqlite_utils.Database) -> None:
    # A calendar event shows the person's name, notes and tags as well as the date:
    # its SEQUENCE is the occasion's plus the person's, so a rename also updates it.
    db.execute("ALTER TABLE person ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0")
    db.table("meta").upsert({"key": "schema_version", "value": "4"}, pk="key")


def m005_position_connected_on_source_uid_index(db: sqlite_utils.Database) -> None:
    # Address books hold a job title and LinkedIn a connection date; an import
    # matches people on the source's UID first, so that lookup is indexed.
    db.execute("ALTER TABLE person ADD COLUMN position TEXT")
    db.execute("ALTER TABLE person ADD COLUMN connected_on TEXT")
    db.execute("CREATE INDEX person_source_uid ON person(source_uid)")
    db.table("meta").upsert({"key": "schema_version", "value": "5"}, pk="key")


def m006_gestures_and_ideas(db: sqlite_utils.Database) -> None:
    # What was done for whom (a call, a card, a gift …), and gift ideas to come.
    db.execute(
        """
        CREATE TABLE gesture (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            on_date TEXT NOT NULL,
            kind TEXT NOT NULL,
            what TEXT,
            cost TEXT,
            occasion_id INTEGER REFERENCES occasion(id) ON DELETE SET NULL,
            for_date TEXT,
            created TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX gesture_person ON gesture(person_id, on_date)")
    db.execute(
        """
        CREATE TABLE idea (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            created TEXT NOT NULL,
            used TEXT,
            gesture_id INTEGER REFERENCES gesture(id) ON DELETE SET NULL
        )
        """
    )
    db.execute("CREATE INDEX idea_person ON idea(person_id)")
    db.execute("CREATE INDEX person_related ON person(related_id)")
    db.table("meta").upsert({"key": "schema_version", "value": "6"}, pk="key")


def m007_nickname(db: sqlite_utils.Database) -> None:
    # What people call someone ("Bob" for Robert): imported from address books, edited
    # by hand, and one of the words a person is found by.
    db.execute("ALTER TABLE person ADD COLUMN nickname TEXT")
    db.table("meta").upsert({"key": "schema_version", "value": "7"}, pk="key")


def m008_import_fields(db: sqlite_utils.Database) -> None:
    # What each import last brought for each field of each person, by the file's format
    # (vcard, google, linkedin, csv): a re-import changes a field only where the file
    # changed it since, so an edit made in servant survives. Tags and each key date are
    # fields too ("tags", "birthday", "custom:shop opening"); the value is text as
    # importers.reconcile writes it. ``kept`` is 1 when servant's own value was kept
    # over this one in a conflict (so --prefer-file can still take it). WITHOUT ROWID:
    # the key is stored once, not in the table and again in its index (a first import
    # of 10,000 cards writes some 50,000 rows).
    db.execute(
        """
        CREATE TABLE import_field (
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            kept INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (person_id, source, field)
        ) WITHOUT ROWID
        """
    )
    db.table("meta").upsert({"key": "schema_version", "value": "8"}, pk="key")


def m009_published(db: sqlite_utils.Database) -> None:
    # What ``servant publish`` put on a CalDAV server, per calendar (its URL) and event
    # (its UID): the object's href, the ETag the server gave (null when it gave none),
    # the SHA-256 of the body sent, and the event's title for reports once the date is
    # gone. A row is written only after the server confirmed the write. No reference to
    # occasion: a removed date's row must stay until its event is deleted.
    db.execute(
        """
        CREATE TABLE published (
            calendar TEXT NOT NULL,
            uid TEXT NOT NULL,
            href TEXT NOT NULL,
            etag TEXT,
            hash TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            published TEXT NOT NULL,
            PRIMARY KEY (calendar, uid)
        )
        """
    )
    db.table("meta").upsert({"key": "schema_version", "value": "9"}, pk="key")


def _rebuild(db: sqlite_utils.Database, table: str, old: str, new: str) -> None:
    """Recreate ``table`` with ``old`` replaced by ``new`` in its definition, keeping rows and indexes.

    SQLite's ALTER TABLE cannot change a column's definition; this is its documented
    twelve-step way round, run inside the migration's transaction.
    """
    create = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
    temporary = f"{table}_rebuilt"
    # After one rebuild SQLite keeps the definition as CREATE TABLE "person" (quoted).
    renamed, found = re.subn(rf'^CREATE TABLE\s+"?{table}"?\s*\(', f"CREATE TABLE {temporary} (", create, count=1)
    if old not in create or not found:
        raise sqlite3.DatabaseError(f"unexpected definition of table {table}")
    indexes = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", [table]
    ).fetchall()
    count = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    db.execute(renamed.replace(old, new, 1))
    db.execute(f"INSERT INTO {temporary} SELECT * FROM {table}")
    if db.execute(f"SELECT count(*) FROM {temporary}").fetchone()[0] != count:
        raise sqlite3.DatabaseError(f"rebuilding table {table} lost rows")
    db.execute(f"DROP TABLE {table}")
    db.execute(f"ALTER TABLE {temporary} RENAME TO {table}")
    for (sql,) in indexes:
        db.execute(sql)


Step = Callable[["sqlite_utils.Database"], None]

#: Every step this version knows, in the order they are applied.
STEPS: tuple[Step, ...] = (
    m001_people_and_occasions,
    m002_ids_never_reused,
    m003_covering_index_and_name_key,
    m004_person_sequence,
    m005_position_connected_on_source_uid_index,
    m006_gestures_and_ideas,
    m007_nickname,
    m008_import_fields,
    m009_published,
    m010_family,
    m011_name_parts,
    m012_rules,
    m013_seasons,
    m014_tag_index,
    m015_gesture_for_date,
    m016_import_memory,
)
#: Their names, as ``_sqlite_migrations`` records them.
KNOWN_MIGRATIONS = tuple(step.__name__ for step in STEPS)
SCHEMA_VERSION = len(KNOWN_MIGRATIONS)


def migrations() -> sqlite_utils.Migrations:
    """``STEPS`` as a sqlite-utils ``Migrations`` set (imported only when a step must run)."""
    from sqlite_utils import Migrations

    found = Migrations(MIGRATION_SET)
    for step in STEPS:
        found()(step)
    return found


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """servant's schema steps recorded in the file, in order (none for a new or foreign file)."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone()
    if not exists:
        return []
    rows = conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", (MIGRATION_SET,))
    return [name for (name,) in rows]


def refuse_newer(applied: list[str], path: Path, to_do: str) -> None:
    """Refuse a database written by a newer servant: it has steps this version does not know."""
    unknown = [name for name in applied if name not in KNOWN_MIGRATIONS]
    if unknown:
        raise DatabaseError(
            f"{path} was written by a newer version of servant (schema step {unknown[0]!r}); upgrade servant to {to_do}"
        )


#: Tables SQLite adds itself to any database (``ANALYZE``'s statistics): left out.
_SQLITE_OWN = frozenset({"sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"})
_PUNCTUATION = tuple((spaced, mark) for mark in "()," for spaced in (f" {mark}", f"{mark} "))

#: One object of a schema: type, name, table, its ``CREATE`` statement as ``normal_sql`` gives it.
SchemaObject = tuple[str, str, str, str]


def normal_sql(sql: str | None) -> str:
    """A ``CREATE`` statement with spacing and quotes of plain names set aside: SQLite
    keeps the text as written, quotes a renamed table's name, and ``ALTER TABLE ... ADD``
    appends to it, so the same schema may be worded apart."""
    if sql is None:  # an index SQLite makes for a PRIMARY KEY or UNIQUE constraint
        return ""
    # String methods, not regular expressions: this runs on every open (a tenth of the time).
    text = " ".join(sql.split())
    for spaced, bare in _PUNCTUATION:
        text = text.replace(spaced, bare)
    return text.replace('"', "")


def schema_objects(conn: sqlite3.Connection) -> list[SchemaObject]:
    """Every table, index, trigger and view in the file, in the order they were made."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").fetchall()
    return [(kind, name, table, normal_sql(sql)) for kind, name, table, sql in rows if name not in _SQLITE_OWN]


def schema_problem(conn: sqlite3.Connection, version: int) -> str | None:
    """What in the file is not what servant's first ``version`` steps create, in words
    ("holds a trigger 'wipe' that servant did not create"), or None when all of it is."""
    found = schema_objects(conn)
    if version == SCHEMA_VERSION and sorted(found) == list(CURRENT_SCHEMA):
        return None
    built = _built(version)
    expected = {(kind, name): (table, sql) for kind, name, table, sql in schema_objects(built)}
    for kind, name, table, sql in found:
        if (kind, name) not in expected:
            return f"holds {_article(kind)} {kind} {name!r} that servant did not create"
        if expected[(kind, name)] != (table, sql) and _shape(conn, kind, name) != _shape(built, kind, name):
            return f"has the {kind} {name!r} changed from what servant made"
    present = {(kind, name) for kind, name, _, _ in found}
    for kind, name in expected:
        if (kind, name) not in present:
            return f"lacks the {kind} {name!r} that servant made"
    return None


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def _shape(conn: sqlite3.Connection, kind: str, name: str) -> object:
    """What a table or an index is, as SQLite reads its definition (not as it is worded)."""
    quoted = '"' + name.replace('"', '""') + '"'
    if kind == "table":
        listed = [tuple(row[1:]) for row in conn.execute(f"PRAGMA index_list({quoted})")]
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
        return (
            conn.execute(f"PRAGMA table_xinfo({quoted})").fetchall(),
            conn.execute(f"PRAGMA foreign_key_list({quoted})").fetchall(),
            sorted(listed),
            _checks(sql or ""),
        )
    if kind == "index":
        return conn.execute(f"PRAGMA index_xinfo({quoted})").fetchall()
    return None  # a trigger or a view: its words are all it is


def _checks(sql: str) -> list[str]:
    """The CHECK constraints of a CREATE TABLE, each its expression with the spaces and
    quotes left out (PRAGMA table_xinfo does not tell them: a file whose checks were
    taken out would let any value in)."""
    found = []
    text = sql.replace('"', "").replace("`", "")
    for start in (m.end() for m in re.finditer(r"\bCHECK\s*\(", text, re.IGNORECASE)):
        depth, end = 1, start
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        found.append("".join(text[start : end - 1].split()).casefold())
    return sorted(found)


@functools.cache
def _built(version: int) -> sqlite3.Connection:
    """An in-memory database with servant's first ``version`` steps applied (one per process)."""
    import sqlite_utils

    conn = sqlite3.connect(":memory:", check_same_thread=False)
    stop = KNOWN_MIGRATIONS[version] if version < SCHEMA_VERSION else None
    migrations().apply(sqlite_utils.Database(conn, execute_plugins=False), stop_before=stop)
    conn.commit()
    return conn


#: ``schema_objects`` of a database with every step applied, sorted (tests/test_hardening_open.py
#: checks it against the steps; when a step is appended, paste what that test prints).
CURRENT_SCHEMA: tuple[SchemaObject, ...] = (
    (
        "index",
        "family_other",
        "family",
        "CREATE INDEX family_other ON family(other_id,relation)",
    ),
    (
        "index",
        "gesture_for_date",
        "gesture",
        "CREATE INDEX gesture_for_date ON gesture(for_date)WHERE for_date IS NOT NULL",
    ),
    (
        "index",
        "gesture_person",
        "gesture",
        "CREATE INDEX gesture_person ON gesture(person_id,on_date)",
    ),
    (
        "index",
        "idea_person",
        "idea",
        "CREATE INDEX idea_person ON idea(person_id)",
    ),
    (
        "index",
        "idx__sqlite_migrations_migration_set_name",
        "_sqlite_migrations",
        "CREATE UNIQUE INDEX idx__sqlite_migrations_migration_set_name ON _sqlite_migrations(migration_set,name)",
    ),
    (
        "index",
        "occasion_lead_days",
        "occasion",
        "CREATE INDEX occasion_lead_days ON occasion(lead_days)WHERE lead_days IS NOT NULL",
    ),
    (
        "index",
        "occasion_md",
        "occasion",
        (
            "CREATE INDEX occasion_md ON occasion(md,person_id,id,kind,month,day,year,label,yearly,lead"
            "_days,plan,updated,sequence,rule)"
        ),
    ),
    (
        "index",
        "occasion_person",
        "occasion",
        "CREATE INDEX occasion_person ON occasion(person_id)",
    ),
    (
        "index",
        "occasion_rule",
        "occasion",
        "CREATE INDEX occasion_rule ON occasion(rule)WHERE rule IS NOT NULL",
    ),
    (
        "index",
        "occasion_unique",
        "occasion",
        "CREATE UNIQUE INDEX occasion_unique ON occasion(person_id,kind,label COLLATE NOCASE)",
    ),
    (
        "index",
        "person_every_days",
        "person",
        "CREATE INDEX person_every_days ON person(every_days)WHERE every_days IS NOT NULL",
    ),
    (
        "index",
        "person_name_key",
        "person",
        "CREATE INDEX person_name_key ON person(name_key)",
    ),
    (
        "index",
        "person_source_uid",
        "person",
        "CREATE INDEX person_source_uid ON person(source_uid)",
    ),
    (
        "index",
        "person_tag_person",
        "person_tag",
        "CREATE INDEX person_tag_person ON person_tag(person_id)",
    ),
    (
        "index",
        "relation_text_unique",
        "relation_text",
        "CREATE UNIQUE INDEX relation_text_unique ON relation_text(person_id,kind,name_key)",
    ),
    (
        "index",
        "season_done_season",
        "season_done",
        "CREATE INDEX season_done_season ON season_done(season_id,for_date)",
    ),
    (
        "index",
        "season_name_key",
        "season",
        "CREATE UNIQUE INDEX season_name_key ON season(name_key)",
    ),
    (
        "index",
        "sqlite_autoindex_meta_1",
        "meta",
        "",
    ),
    (
        "index",
        "sqlite_autoindex_published_1",
        "published",
        "",
    ),
    (
        "table",
        "_sqlite_migrations",
        "_sqlite_migrations",
        "CREATE TABLE _sqlite_migrations(id INTEGER PRIMARY KEY,migration_set TEXT,name TEXT,applied_at TEXT)",
    ),
    (
        "table",
        "family",
        "family",
        (
            "CREATE TABLE family(person_id INTEGER NOT NULL REFERENCES person(id)ON DELETE CASCADE,rela"
            "tion TEXT NOT NULL CHECK(relation IN('child','spouse')),other_id INTEGER NOT NULL REFERENC"
            "ES person(id)ON DELETE CASCADE,PRIMARY KEY(person_id,relation,other_id),CHECK(person_id <>"
            " other_id))WITHOUT ROWID"
        ),
    ),
    (
        "table",
        "gesture",
        "gesture",
        (
            "CREATE TABLE gesture(id INTEGER PRIMARY KEY AUTOINCREMENT,person_id INTEGER NOT NULL REFER"
            "ENCES person(id)ON DELETE CASCADE,on_date TEXT NOT NULL,kind TEXT NOT NULL,what TEXT,cost "
            "TEXT,occasion_id INTEGER REFERENCES occasion(id)ON DELETE SET NULL,for_date TEXT,created T"
            "EXT NOT NULL)"
        ),
    ),
    (
        "table",
        "idea",
        "idea",
        (
            "CREATE TABLE idea(id INTEGER PRIMARY KEY AUTOINCREMENT,person_id INTEGER NOT NULL REFERENC"
            "ES person(id)ON DELETE CASCADE,text TEXT NOT NULL,created TEXT NOT NULL,used TEXT,gesture_"
            "id INTEGER REFERENCES gesture(id)ON DELETE SET NULL)"
        ),
    ),
    (
        "table",
        "import_memory",
        "import_memory",
        (
            "CREATE TABLE import_memory(person_id INTEGER NOT NULL REFERENCES person(id)ON DELETE CASCA"
            "DE,source TEXT NOT NULL,fields TEXT NOT NULL,PRIMARY KEY(person_id,source))WITHOUT ROWID"
        ),
    ),
    (
        "table",
        "meta",
        "meta",
        "CREATE TABLE meta(key TEXT PRIMARY KEY,value TEXT NOT NULL)",
    ),
    (
        "table",
        "occasion",
        "occasion",
        (
            "CREATE TABLE occasion(id INTEGER PRIMARY KEY AUTOINCREMENT,person_id INTEGER NOT NULL REFE"
            "RENCES person(id)ON DELETE CASCADE,kind TEXT NOT NULL,label TEXT NOT NULL DEFAULT '',month"
            " INTEGER NOT NULL CHECK(month BETWEEN 1 AND 12),day INTEGER NOT NULL CHECK(day BETWEEN 1 A"
            "ND 31),year INTEGER,md INTEGER NOT NULL,yearly INTEGER NOT NULL DEFAULT 1,lead_days INTEGE"
            "R,plan TEXT,created TEXT NOT NULL,updated TEXT NOT NULL,sequence INTEGER NOT NULL DEFAULT "
            "0,rule TEXT)"
        ),
    ),
    (
        "table",
        "person",
        "person",
        (
            "CREATE TABLE person(id INTEGER PRIMARY KEY AUTOINCREMENT,name TEXT NOT NULL,company TEXT,e"
            "mail TEXT,phone TEXT,tags TEXT NOT NULL DEFAULT '[]',notes TEXT,every_days INTEGER,source_"
            "uid TEXT,created TEXT NOT NULL,updated TEXT NOT NULL,name_key TEXT NOT NULL DEFAULT '',seq"
            "uence INTEGER NOT NULL DEFAULT 0,position TEXT,connected_on TEXT,nickname TEXT,name_parts "
            "TEXT)"
        ),
    ),
    (
        "table",
        "person_tag",
        "person_tag",
        (
            "CREATE TABLE person_tag(tag_key TEXT NOT NULL,person_id INTEGER NOT NULL REFERENCES person"
            "(id)ON DELETE CASCADE ON UPDATE CASCADE,PRIMARY KEY(tag_key,person_id))WITHOUT ROWID"
        ),
    ),
    (
        "table",
        "published",
        "published",
        (
            "CREATE TABLE published(calendar TEXT NOT NULL,uid TEXT NOT NULL,href TEXT NOT NULL,etag TE"
            "XT,hash TEXT NOT NULL,summary TEXT NOT NULL DEFAULT '',published TEXT NOT NULL,PRIMARY KEY"
            "(calendar,uid))"
        ),
    ),
    (
        "table",
        "relation_text",
        "relation_text",
        (
            "CREATE TABLE relation_text(id INTEGER PRIMARY KEY,person_id INTEGER NOT NULL REFERENCES pe"
            "rson(id)ON DELETE CASCADE,kind TEXT NOT NULL,label TEXT NOT NULL,name TEXT NOT NULL,name_k"
            "ey TEXT NOT NULL)"
        ),
    ),
    (
        "table",
        "season",
        "season",
        (
            "CREATE TABLE season(id INTEGER PRIMARY KEY AUTOINCREMENT,name TEXT NOT NULL,name_key TEXT "
            "NOT NULL,month INTEGER NOT NULL CHECK(month BETWEEN 1 AND 12),day INTEGER NOT NULL CHECK(d"
            "ay BETWEEN 1 AND 31),rule TEXT,tags TEXT NOT NULL DEFAULT '[]',plan TEXT,lead_days INTEGER"
            ",created TEXT NOT NULL,updated TEXT NOT NULL,sequence INTEGER NOT NULL DEFAULT 0,shown TEX"
            "T)"
        ),
    ),
    (
        "table",
        "season_done",
        "season_done",
        (
            "CREATE TABLE season_done(gesture_id INTEGER PRIMARY KEY REFERENCES gesture(id)ON DELETE CA"
            "SCADE,season_id INTEGER NOT NULL REFERENCES season(id)ON DELETE CASCADE,for_date TEXT NOT "
            "NULL)"
        ),
    ),
    (
        "table",
        "sqlite_sequence",
        "sqlite_sequence",
        "CREATE TABLE sqlite_sequence(name,seq)",
    ),
)


def refuse_foreign(conn: sqlite3.Connection, path: Path, *, left: str, to_do: str) -> list[str]:
    """The checks every opening of a file makes before anything is written: refuse a file
    from a newer servant (``to_do`` ends that message), another program's SQLite file, and
    a schema holding anything servant's steps did not create (``left`` ends those: what
    became of the file). Returns the steps the file records (none for a blank file)."""
    applied = applied_migrations(conn)
    refuse_newer(applied, path, to_do)
    if not applied:
        if conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None:
            raise DatabaseError(f"{path} is a SQLite database but not servant's; {left}")
        return applied
    problem = schema_problem(conn, len(applied))
    if problem:
        raise DatabaseError(f"{path} {problem}; {left}")
    other = conn.execute(
        "SELECT migration_set, name FROM _sqlite_migrations WHERE migration_set IS NOT ? LIMIT 1", (MIGRATION_SET,)
    ).fetchone()
    if other is not None:
        change, owner = str(other[1])[:40], str(other[0])[:40]
        raise DatabaseError(f"{path} records a change {change!r} of {owner!r} that servant did not make; {left}")
    return applied


def count_people(conn: sqlite3.Connection) -> int:
    """How many people a servant database holds."""
    count: int = conn.execute("SELECT count(*) FROM person").fetchone()[0]
    return count
