"""The only module that speaks SQL.

``Store`` wraps one SQLite connection. The schema is built by ``sqlite_utils.Migrations``
steps (appended, never edited), and each write method runs in one ``BEGIN IMMEDIATE``
transaction, so a cron run and an interactive command queue on the busy timeout instead
of failing half-way, and a failed write leaves nothing behind.

Start-up speed matters (``servant upcoming`` runs in every new shell for some users),
and importing sqlite-utils costs more than the rest of servant together. So opening a
database that is already up to date uses only the standard ``sqlite3`` module; the
sqlite-utils ``Database`` wrapper is created the first time a migration or a write
needs it. Reads are plain SQL on the same connection.

Safety on open: a folder, a file that is not SQLite, a SQLite file that is not
servant's, and a database written by a newer servant (it has migrations this version
does not know) are refused before anything is written to them.

Names and tags match without regard to case in any alphabet ("åsa" finds "Åsa", "weiss"
finds "Weiß"): SQLite's own ``LIKE`` and ``lower()`` fold ASCII letters only, so names
are looked up by an indexed ``name_key`` column (see ``name_key``) and tag filters call
``casefold`` (Python's ``str.casefold``, registered on the
connection) instead.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from servant_cli.errors import Ambiguous, BadInput, DatabaseError, NotFound
from servant_cli.models import Gesture, Idea, Occasion, Person, name_order

if TYPE_CHECKING:
    import sqlite_utils

    from servant_cli.importers import ImportedDate, ImportedPerson

MIGRATION_SET = "servant"
BUSY_TIMEOUT_SECONDS = 30.0
SQLITE_HEADER = b"SQLite format 3\x00"

PERSON_FIELDS = (
    "name",
    "company",
    "email",
    "phone",
    "notes",
    "every_days",
    "position",
    "connected_on",
    "related_id",
    "relation",
)
_PERSON_COLS = (
    "p.id, p.name, p.company, p.email, p.phone, p.tags, p.notes, p.every_days, p.created, p.updated, p.sequence,"
    " p.position, p.connected_on, p.related_id, p.relation,"
    " (SELECT r.name FROM person r WHERE r.id = p.related_id), p.source_uid"
)
_OCC_COLS = (
    "o.id, o.person_id, o.kind, o.month, o.day, o.year, o.label, o.yearly, o.lead_days, o.plan, o.updated, o.sequence"
)


def _migrations() -> sqlite_utils.Migrations:
    """The schema, as ordered steps. Append new steps; never edit an applied one."""
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)

    @migrations()
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

        db["meta"].insert_all(
            [
                {"key": "schema_version", "value": "1"},
                {"key": "db_id", "value": secrets.token_hex(8)},
            ]
        )

    @migrations()
    def m002_ids_never_reused(db: sqlite_utils.Database) -> None:
        # Without AUTOINCREMENT SQLite hands the highest deleted id to the next row: a
        # new key date would take a removed one's id, and so its calendar UID, and a
        # calendar would read it as an old version of the removed event. Needs
        # foreign_keys off (Store._prepare): dropping person would cascade otherwise.
        if db.execute("PRAGMA foreign_keys").fetchone()[0]:
            raise sqlite3.DatabaseError("m002 must run with foreign keys off, or dropping person deletes every date")
        for table in ("person", "occasion"):
            _rebuild(db, table, "id INTEGER PRIMARY KEY,", "id INTEGER PRIMARY KEY AUTOINCREMENT,")
        db["meta"].upsert({"key": "schema_version", "value": "2"}, pk="key")

    @migrations()
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
        db["meta"].upsert({"key": "schema_version", "value": "3"}, pk="key")

    @migrations()
    def m004_person_sequence(db: sqlite_utils.Database) -> None:
        # A calendar event shows the person's name, notes and tags as well as the date:
        # its SEQUENCE is the occasion's plus the person's, so a rename also updates it.
        db.execute("ALTER TABLE person ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0")
        db["meta"].upsert({"key": "schema_version", "value": "4"}, pk="key")

    @migrations()
    def m005_position_connected_on_source_uid_index(db: sqlite_utils.Database) -> None:
        # Address books hold a job title and LinkedIn a connection date; an import
        # matches people on the source's UID first, so that lookup is indexed.
        db.execute("ALTER TABLE person ADD COLUMN position TEXT")
        db.execute("ALTER TABLE person ADD COLUMN connected_on TEXT")
        db.execute("CREATE INDEX person_source_uid ON person(source_uid)")
        db["meta"].upsert({"key": "schema_version", "value": "5"}, pk="key")

    @migrations()
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
        db["meta"].upsert({"key": "schema_version", "value": "6"}, pk="key")

    return migrations


def name_key(name: str) -> str:
    """The form a name is looked up by: any case, any alphabet, composed accents."""
    return unicodedata.normalize("NFC", name).casefold()


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


#: Names of every migration this version knows, in order. Kept as a literal so that
#: opening an up-to-date database needs no sqlite-utils import; a test checks that it
#: matches ``_migrations()``.
KNOWN_MIGRATIONS = (
    "m001_people_and_occasions",
    "m002_ids_never_reused",
    "m003_covering_index_and_name_key",
    "m004_person_sequence",
    "m005_position_connected_on_source_uid_index",
    "m006_gestures_and_ideas",
)
SCHEMA_VERSION = len(KNOWN_MIGRATIONS)


def now_stamp() -> str:
    """A UTC timestamp for created/updated columns."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class NewOccasion(NamedTuple):
    """A key date to store for a person (the store assigns id and timestamps)."""

    kind: str
    month: int
    day: int
    year: int | None = None
    label: str = ""
    #: None keeps a replaced date's setting (a new one is yearly).
    yearly: bool | None = True
    lead_days: int | None = None
    plan: str | None = None


class NewPerson(NamedTuple):
    """A person to store in bulk (import, benchmarks), with their key dates."""

    name: str
    tags: tuple[str, ...] = ()
    occasions: tuple[NewOccasion, ...] = ()
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None
    every_days: int | None = None


_TAGS: dict[str, tuple[str, ...]] = {}


def _tags(raw: str | None) -> tuple[str, ...]:
    """Tags from their JSON column; most people share a few tag sets, so parse each once."""
    if not raw or raw == "[]":
        return ()
    tags = _TAGS.get(raw)
    if tags is None:
        tags = _TAGS[raw] = tuple(json.loads(raw))
    return tags


def _person(row: Sequence[Any]) -> Person:
    """A Person from the columns of ``_PERSON_COLS``, in that order (positional: this is a hot path)."""
    return Person(*row[0:5], _tags(row[5]), *row[6:17])


def _occasion(row: Sequence[Any], at: int = 0) -> Occasion:
    """An Occasion from the columns of ``_OCC_COLS``, in that order, starting at ``at``."""
    return Occasion(*row[at : at + 7], bool(row[at + 7]), *row[at + 8 : at + 12])


_GESTURE_COLS = "g.id, g.person_id, g.on_date, g.kind, g.what, g.cost, g.occasion_id, g.for_date"


def _gesture(row: Sequence[Any]) -> Gesture:
    return Gesture(
        row[0], row[1], date.fromisoformat(row[2]), *row[3:7], date.fromisoformat(row[7]) if row[7] else None
    )


def _casefold(text: Any) -> Any:
    """SQL ``casefold(x)``: Python's full Unicode case folding (SQLite's ``lower`` is ASCII only)."""
    return text.casefold() if isinstance(text, str) else text


def _check_file(path: Path) -> bool:
    """Refuse what is not a database file; return True when the file exists."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file; give a file path with --db or SERVANT_DB")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise DatabaseError(f"cannot open {path}: {exc.strerror or exc}") from exc
    if header and header != SQLITE_HEADER:
        raise DatabaseError(f"{path} is not a servant database (not SQLite); it was left untouched")
    return True


def _create_file(path: Path) -> None:
    """Create the database file (and its folder) readable by its owner only."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseError(f"cannot create {path}: {exc.strerror or exc}") from exc
    os.close(fd)


class Store:
    """servant's data: people and their occasions in one SQLite file."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._db: sqlite_utils.Database | None = None
        conn.create_function("casefold", 1, _casefold, deterministic=True)

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Store:
        """Open (migrating as needed) the database at ``path``; create it unless ``create`` is False."""
        path = Path(path)
        existed = _check_file(path)
        if not existed:
            if not create:
                raise NotFound(f"there is no database at {path}")
            _create_file(path)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open {path}: {exc}") from exc
        store = cls(conn, path)
        try:
            store._prepare()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise DatabaseError(f"cannot use {path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        return store

    def _prepare(self) -> None:
        applied = self._applied_migrations()
        unknown = [name for name in applied if name not in KNOWN_MIGRATIONS]
        if unknown:
            raise DatabaseError(
                f"{self.path} was written by a newer version of servant (schema step {unknown[0]!r}); "
                "upgrade servant to use it. The file was left untouched"
            )
        if not applied and self._has_tables():
            raise DatabaseError(f"{self.path} is a SQLite database but not servant's; it was left untouched")
        pending = len(applied) < len(KNOWN_MIGRATIONS)
        if pending and applied:
            broken = self.conn.execute("PRAGMA foreign_key_check").fetchone()
            if broken:
                raise DatabaseError(
                    f"{self.path} has a broken reference in table {broken[0]}, so it was not upgraded; "
                    "it was left untouched"
                )
        if not applied:
            # A new database: the file may have been made empty by someone else (touch).
            try:
                os.chmod(self.path, 0o600)
            except OSError as exc:
                raise DatabaseError(f"cannot make {self.path} private (mode 0600): {exc.strerror}") from exc
        # Checked on every open, not only at creation: a database rebuilt from a dump or
        # copied by a backup tool comes back in rollback-journal mode, where a cron run and
        # an interactive command block each other. Only a read when it is WAL already.
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.conn.execute("PRAGMA journal_mode = WAL")
        if pending:
            # Off while tables are rebuilt (a pragma that cannot change inside a
            # transaction); every reference is checked before the migration commits.
            self.conn.execute("PRAGMA foreign_keys = OFF")
            with self.transaction():
                _migrations().apply(self.db)
                broken = self.conn.execute("PRAGMA foreign_key_check").fetchone()
                if broken:
                    raise sqlite3.DatabaseError(f"the upgrade broke a reference in table {broken[0]}")
        self.conn.execute("PRAGMA foreign_keys = ON")

    def _applied_migrations(self) -> list[str]:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
        ).fetchone()
        if not exists:
            return []
        rows = self.conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", (MIGRATION_SET,)
        )
        return [row[0] for row in rows]

    def _has_tables(self) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None

    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils wrapper around the same connection, made on first use."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; taken at once (IMMEDIATE) so it waits, then never fails, on a lock."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- people ------------------------------------------------------------------

    def add_person(
        self,
        name: str,
        *,
        tags: Iterable[str] = (),
        occasions: Iterable[NewOccasion] = (),
        **fields: Any,
    ) -> Person:
        """Store a person and their key dates in one transaction."""
        stamp = now_stamp()
        record = {key: fields.get(key) for key in PERSON_FIELDS if key != "name"}
        record.update(name=name, name_key=name_key(name), tags=json.dumps(list(tags)), created=stamp, updated=stamp)
        with self.transaction():
            person_id = self.db["person"].insert(record).last_pk
            for occasion in occasions:
                self.set_occasion(person_id, occasion)
        person = self.get_person(person_id)
        assert person is not None
        return person

    def add_people(self, people: Iterable[NewPerson]) -> int:
        """Store many people and their key dates in one transaction; returns how many."""
        stamp = now_stamp()
        count = 0
        with self.transaction():
            occasion_rows = []
            for new in people:
                fields = {key: getattr(new, key) for key in PERSON_FIELDS if hasattr(new, key)}
                person_id = self._insert_person(fields, new.tags, stamp)
                count += 1
                occasion_rows += [_occasion_record(person_id, occasion, stamp) for occasion in new.occasions]
            self._insert_occasions(occasion_rows)
        return count

    def _insert_person(self, fields: dict[str, Any], tags: Iterable[str], stamp: str, uid: str | None = None) -> int:
        """One INSERT through the plain connection: the bulk path (imports, benchmarks)."""
        record = {key: fields.get(key) for key in PERSON_FIELDS}
        record.update(
            name_key=name_key(record["name"]), tags=json.dumps(list(tags)), source_uid=uid, created=stamp, updated=stamp
        )
        columns = ", ".join(record)
        marks = ", ".join("?" for _ in record)
        cursor = self.conn.execute(f"INSERT INTO person ({columns}) VALUES ({marks})", list(record.values()))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _insert_occasions(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            columns = ", ".join(rows[0])
            marks = ", ".join("?" for _ in rows[0])
            self.conn.executemany(
                f"INSERT INTO occasion ({columns}) VALUES ({marks})", [list(r.values()) for r in rows]
            )

    def update_person(
        self,
        person_id: int,
        *,
        tags: Iterable[str] | None = None,
        occasions: Iterable[NewOccasion] = (),
        drop: Iterable[int] = (),
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
        **fields: Any,
    ) -> Person:
        """Change some of a person's fields and key dates in one transaction.

        ``drop`` lists occasion ids to remove; ``occasions`` are set (added or replaced).
        ``tags`` replaces the tags; ``add_tags`` and ``remove_tags`` change the tags the
        person has when the transaction starts, so two edits at once both count.
        """
        changes = {key: value for key, value in fields.items() if key in PERSON_FIELDS}
        if "name" in changes:
            changes["name_key"] = name_key(changes["name"])
        with self.transaction():
            current = self.get_person(person_id)
            if current is None:
                raise NotFound(f"there is no person #{person_id}; see 'servant list'")
            if add_tags or remove_tags:
                removed = {tag.casefold() for tag in remove_tags}
                tags = _union([tag for tag in current.tags if tag.casefold() not in removed], add_tags)
            if tags is not None:
                changes["tags"] = json.dumps(list(tags))
            # A value the person has already is no change (and must not raise the sequence).
            changes = {
                key: value
                for key, value in changes.items()
                if key not in PERSON_FIELDS or value != getattr(current, key)
            }
            if tags is not None and tuple(tags) == current.tags:
                changes.pop("tags", None)
            if "name" not in changes:
                changes.pop("name_key", None)
            for occasion_id in drop:
                self.conn.execute("DELETE FROM occasion WHERE id = ? AND person_id = ?", (occasion_id, person_id))
            if changes:
                changes["updated"] = now_stamp()
                self.db["person"].update(person_id, changes)
                self.conn.execute("UPDATE person SET sequence = sequence + 1 WHERE id = ?", (person_id,))
                if "name" in changes:
                    self._touch_family(person_id, changes["updated"])
            for occasion in occasions:
                self.set_occasion(person_id, occasion)
        person = self.get_person(person_id)
        assert person is not None
        return person

    def remove_person(self, person_id: int) -> None:
        """Delete a person; their occasions, gestures and ideas go with them (ON DELETE
        CASCADE), and their family loses the link to them."""
        with self.transaction():
            self._touch_family(person_id, now_stamp())
            self.conn.execute("DELETE FROM person WHERE id = ?", (person_id,))

    def removal_counts(self, person_id: int) -> dict[str, int]:
        """What goes with a person: key dates, gestures, gift ideas, and family links."""
        counts = {}
        for what, sql in (
            ("key date", "SELECT count(*) FROM occasion WHERE person_id = ?"),
            ("gesture", "SELECT count(*) FROM gesture WHERE person_id = ?"),
            ("gift idea", "SELECT count(*) FROM idea WHERE person_id = ?"),
            ("family link", "SELECT count(*) FROM person WHERE related_id = ?"),
        ):
            counts[what] = self.conn.execute(sql, (person_id,)).fetchone()[0]
        return counts

    def _touch_family(self, person_id: int, stamp: str) -> None:
        """The people linked to this one show their name in their events: a new version of those too."""
        self.conn.execute(
            "UPDATE person SET updated = ?, sequence = sequence + 1 WHERE related_id = ?", (stamp, person_id)
        )

    def get_person(self, person_id: int) -> Person | None:
        row = self.conn.execute(f"SELECT {_PERSON_COLS} FROM person p WHERE p.id = ?", (person_id,)).fetchone()
        return _person(row) if row else None

    def people_named(self, query: str) -> tuple[list[Person], list[Person]]:
        """People whose name is ``query`` exactly, and those whose name starts with it (any case)."""
        key = name_key(query)
        # A prefix is a range of the indexed name_key: from the key up to the key followed
        # by the last code point (SQLite compares UTF-8 bytes, which keeps code point order).
        rows = self.conn.execute(
            f"SELECT {_PERSON_COLS} FROM person p WHERE p.name_key >= ? AND p.name_key < ?", (key, key + "\U0010ffff")
        ).fetchall()
        people = sorted((_person(row) for row in rows), key=lambda person: (name_order(person.name), person.id))
        exact = [person for person in people if name_key(person.name) == key]
        return exact, people

    def find_person(self, query: str) -> Person:
        """The one person ``query`` names: ``#ID``, an exact name, or a unique prefix."""
        text = query.strip()  # people_named folds it (name_key), accents and case alike
        if not text:
            raise BadInput("no person given; use a name, the start of one, or #ID")
        if re.fullmatch(r"#[0-9]+", text):
            number = int(text[1:])
            person = self.get_person(number) if number < 2**63 else None  # SQLite's largest id
            if person is None:
                raise NotFound(f"there is no person {text}; see 'servant list'")
            return person
        exact, starting = self.people_named(text)
        candidates = exact or starting
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise NotFound(f"no one called {text!r}; see 'servant list'")
        shown = ", ".join(f"#{p.id} {p.name}" for p in candidates[:10])
        more = f" and {len(candidates) - 10} more" if len(candidates) > 10 else ""
        raise Ambiguous(f"{text!r} matches {len(candidates)} people: {shown}{more}; use more of the name or #ID")

    def people(self, tags: Sequence[str] = ()) -> list[Person]:
        """Everyone, by name; with ``tags``, those carrying any of them."""
        where, params = _tag_filter(tags)
        sql = f"SELECT {_PERSON_COLS} FROM person p"
        if where:
            sql += f" WHERE {where}"
        # Sorted here, not by SQLite, whose NOCASE put "Åsa" and "Émile" after "zoe".
        found = [_person(row) for row in self.conn.execute(sql, params)]
        found.sort(key=lambda person: (name_order(person.name), person.id))
        return found

    def tags_in_use(self) -> list[str]:
        """Every tag someone carries, each once whatever its case."""
        seen: dict[str, str] = {}
        for (tag,) in self.conn.execute("SELECT DISTINCT j.value FROM person, json_each(person.tags) j"):
            seen.setdefault(tag.casefold(), tag)
        return sorted(seen.values(), key=str.casefold)

    def export_version(self, settings: str) -> tuple[int, str]:
        """How many times the settings an export depends on have changed, and when last.

        An exported event's RRULE (Feb 29 rule) and alarm (default lead time) follow the
        config, not only the stored dates: when they change, every event must carry a
        higher SEQUENCE and a newer DTSTAMP, or a calendar keeps the old version. The
        first export records the settings and counts nothing.
        """
        last = self.meta("export_settings")
        generation = int(self.meta("export_generation") or 0)
        changed = self.meta("export_changed") or ""
        if last != settings:
            if last is not None:
                generation, changed = generation + 1, now_stamp()
            with self.transaction():
                self.conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [
                        ("export_settings", settings),
                        ("export_generation", str(generation)),
                        ("export_changed", changed),
                    ],
                )
        return generation, changed

    def people_with_occasions(self, tags: Sequence[str] = ()) -> list[tuple[Person, list[Occasion]]]:
        """Everyone (with any of ``tags``), by name, each with their key dates in id order."""
        people = self.people(tags)
        dates: dict[int, list[Occasion]] = {person.id: [] for person in people}
        for row in self.conn.execute(f"SELECT {_OCC_COLS} FROM occasion o ORDER BY o.id"):
            occasion = _occasion(row)
            if occasion.person_id in dates:
                dates[occasion.person_id].append(occasion)
        return [(person, dates[person.id]) for person in people]

    def count_people(self) -> int:
        return self.conn.execute("SELECT count(*) FROM person").fetchone()[0]

    # -- occasions ---------------------------------------------------------------

    def set_occasion(self, person_id: int, new: NewOccasion) -> tuple[Occasion, Occasion | None]:
        """Add a key date, or replace the person's date of that kind (and label).

        Replacing keeps the occasion's id, so calendar UIDs stay stable, and raises
        its sequence number. Returns the stored occasion and the one it replaced.
        """
        label = (new.label if new.kind == "custom" else "").casefold()
        with self.transaction():
            rows = self.conn.execute(
                f"SELECT {_OCC_COLS} FROM occasion o WHERE o.person_id = ? AND o.kind = ?", (person_id, new.kind)
            )
            # Labels compare in Python: SQLite's NOCASE folds ASCII letters only ("Über" ≠ "über").
            previous = next((found for found in map(_occasion, rows) if found.label.casefold() == label), None)
            record = _occasion_record(person_id, new, now_stamp())
            if previous is not None:
                del record["created"]
                record["sequence"] = previous.sequence + 1
                if new.lead_days is None:
                    record["lead_days"] = previous.lead_days
                if new.plan is None:
                    record["plan"] = previous.plan
                if new.yearly is None:
                    record["yearly"] = int(previous.yearly)
            if not record["yearly"] and new.year is None:
                example = f"{2028 if (new.month, new.day) == (2, 29) else 2026}-{new.month:02d}-{new.day:02d}"
                raise BadInput(
                    f"a one-off date needs a year, e.g. {example} (or make it yearly: servant date … --yearly)"
                )
            if previous is not None and all(
                record[key] == (int(previous.yearly) if key == "yearly" else getattr(previous, key))
                for key in ("month", "day", "year", "label", "yearly", "lead_days", "plan")
            ):
                # Nothing new: no write, so the calendar's SEQUENCE and DTSTAMP stay put.
                return previous, previous
            if previous is None:
                occasion_id = self.db["occasion"].insert(record).last_pk
            else:
                self.db["occasion"].update(previous.id, record)
                occasion_id = previous.id
            stored = self.conn.execute(f"SELECT {_OCC_COLS} FROM occasion o WHERE o.id = ?", (occasion_id,)).fetchone()
        return _occasion(stored), previous

    def occasions_of(self, person_id: int) -> list[Occasion]:
        rows = self.conn.execute(
            f"SELECT {_OCC_COLS} FROM occasion o WHERE o.person_id = ? ORDER BY o.id", (person_id,)
        )
        return [_occasion(row) for row in rows]

    def all_occasions(self, *, tags: Sequence[str] = (), kinds: Sequence[str] = ()) -> list[tuple[Person, Occasion]]:
        """Every occasion with its person (of these tags and kinds, when given)."""
        return self.occasions_between(date.min, date.max, tags=tags, kinds=kinds)

    def max_lead_days(self) -> int | None:
        """The longest lead time set on any occasion (None when none has one of its own)."""
        return self.conn.execute("SELECT max(lead_days) FROM occasion").fetchone()[0]

    def occasions_between(
        self,
        start: date,
        end: date,
        *,
        tags: Sequence[str] = (),
        kinds: Sequence[str] = (),
    ) -> list[tuple[Person, Occasion]]:
        """People and occasions whose month-day falls from ``start`` to ``end``.

        The month-day key (``md`` = month * 100 + day) is indexed, so this reads only
        the rows in the window, wrapping over New Year; Feb 29 rows are always
        included because their day moves in non-leap years. Callers still place each
        occasion on its exact day (``agenda.upcoming``).
        """
        conditions: list[str] = []
        params: list[Any] = []
        if (end - start).days < 365:
            first, last = start.month * 100 + start.day, end.month * 100 + end.day
            if start.year == end.year:
                conditions.append("(o.md BETWEEN ? AND ? OR o.md = 229)")
                params += [first, last]
            else:
                conditions.append("(o.md >= ? OR o.md <= ? OR o.md = 229)")
                params += [first, last]
        if kinds:
            conditions.append(f"o.kind IN ({', '.join('?' for _ in kinds)})")
            params += list(kinds)
        where, tag_params = _tag_filter(tags)
        if where:
            conditions.append(where)
            params += tag_params
        sql = f"SELECT {_PERSON_COLS}, {_OCC_COLS} FROM occasion o JOIN person p ON p.id = o.person_id"
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        people: dict[int, Person] = {}
        found = []
        for row in self.conn.execute(sql, params):
            person = people.get(row[0])
            if person is None:
                person = people[row[0]] = _person(row)
            found.append((person, _occasion(row, 17)))
        return found

    # -- family, gestures, ideas ---------------------------------------------------

    def family_of(self, person_id: int) -> list[Person]:
        """The people whose family link points at this person (their children, spouse)."""
        rows = self.conn.execute(f"SELECT {_PERSON_COLS} FROM person p WHERE p.related_id = ?", (person_id,))
        return sorted((_person(row) for row in rows), key=lambda p: (name_order(p.name), p.id))

    def log_gesture(
        self,
        person_id: int,
        on: date,
        kind: str,
        what: str | None = None,
        *,
        cost: str | None = None,
        occasion_id: int | None = None,
        for_date: date | None = None,
        idea_id: int | None = None,
    ) -> Gesture:
        """Record something done for a person; a gift from an idea marks the idea used."""
        stamp = now_stamp()
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO gesture (person_id, on_date, kind, what, cost, occasion_id, for_date, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    person_id,
                    on.isoformat(),
                    kind,
                    what,
                    cost,
                    occasion_id,
                    for_date.isoformat() if for_date else None,
                    stamp,
                ),
            )
            if idea_id is not None:
                given = self.conn.execute(
                    "UPDATE idea SET used = ?, gesture_id = ? WHERE id = ? AND used IS NULL",
                    (on.isoformat(), cursor.lastrowid, idea_id),
                )
                if given.rowcount != 1:  # another command gave it a moment ago
                    raise BadInput(f"--idea: #{idea_id} was given already; nothing was logged")
                self._touch(person_id, stamp)
        return Gesture(cursor.lastrowid or 0, person_id, on, kind, what, cost, occasion_id, for_date)

    def gestures_of(self, person_id: int) -> list[Gesture]:
        """A person's gestures, newest first."""
        rows = self.conn.execute(
            f"SELECT {_GESTURE_COLS} FROM gesture g WHERE g.person_id = ? ORDER BY g.on_date DESC, g.id DESC",
            (person_id,),
        )
        return [_gesture(row) for row in rows]

    def recent_gestures(self, person_ids: Iterable[int], since: date) -> dict[int, list[Gesture]]:
        """Each person's gestures (notes aside) from ``since`` on, newest first, and their
        latest one whenever it was: what ``upcoming`` needs to say "done" and "last: …"."""
        ids = _ids_json(person_ids)
        found: dict[int, list[Gesture]] = {}
        rows = self.conn.execute(
            f"SELECT {_GESTURE_COLS} FROM gesture g WHERE g.person_id IN (SELECT value FROM json_each(?))"
            " AND g.kind != 'note' AND (g.on_date >= ? OR g.id = (SELECT g2.id FROM gesture g2"
            " WHERE g2.person_id = g.person_id AND g2.kind != 'note' ORDER BY g2.on_date DESC, g2.id DESC LIMIT 1))"
            " ORDER BY g.on_date DESC, g.id DESC",
            (ids, since.isoformat()),
        )
        for row in rows:
            gesture = _gesture(row)
            found.setdefault(gesture.person_id, []).append(gesture)
        return found

    def last_gifts(self, person_ids: Iterable[int], until: date = date.max) -> dict[int, Gesture]:
        """Each of these people's latest gift up to ``until`` (the digest names it, so the
        next can top it)."""
        rows = self.conn.execute(
            f"SELECT {_GESTURE_COLS} FROM gesture g WHERE g.id IN (SELECT (SELECT g2.id FROM gesture g2"
            " WHERE g2.person_id = ids.value AND g2.kind = 'gift' AND g2.on_date <= ?"
            " ORDER BY g2.on_date DESC, g2.id DESC LIMIT 1) FROM json_each(?) ids)",
            (until.isoformat(), _ids_json(person_ids)),
        )
        return {gesture.person_id: gesture for gesture in map(_gesture, rows)}

    def add_idea(self, person_id: int, text: str) -> Idea:
        stamp = now_stamp()
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO idea (person_id, text, created) VALUES (?, ?, ?)", (person_id, text, stamp)
            )
            self._touch(person_id, stamp)  # an exported event lists the ideas
        return Idea(cursor.lastrowid or 0, person_id, text, stamp)

    def ideas(self, person_id: int | None = None, *, used: bool = False) -> list[Idea]:
        """Gift ideas, oldest first; only those not given yet unless ``used``."""
        sql = "SELECT id, person_id, text, created, used FROM idea"
        conditions, params = [], []
        if person_id is not None:
            conditions.append("person_id = ?")
            params.append(person_id)
        if not used:
            conditions.append("used IS NULL")
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        rows = self.conn.execute(sql + " ORDER BY id", params)
        return [Idea(i, p, text, c, date.fromisoformat(u) if u else None) for i, p, text, c, u in rows]

    def get_idea(self, idea_id: int) -> Idea | None:
        if not 0 < idea_id < 2**63:
            return None
        row = self.conn.execute(
            "SELECT id, person_id, text, created, used FROM idea WHERE id = ?", (idea_id,)
        ).fetchone()
        if row is None:
            return None
        return Idea(*row[:4], date.fromisoformat(row[4]) if row[4] else None)

    def ideas_by_person(self, person_ids: Iterable[int]) -> dict[int, list[Idea]]:
        """Unused ideas of each of these people."""
        found: dict[int, list[Idea]] = {}
        rows = self.conn.execute(
            "SELECT id, person_id, text, created FROM idea WHERE used IS NULL"
            " AND person_id IN (SELECT value FROM json_each(?)) ORDER BY id",
            (_ids_json(person_ids),),
        )
        for row in rows:
            found.setdefault(row[1], []).append(Idea(*row))
        return found

    def keep_in_touch(self, tags: Sequence[str] = ()) -> list[tuple[Person, date | None]]:
        """Everyone with a keep-in-touch cadence (and any of ``tags``), with the day of their
        last gesture (notes aside)."""
        where, params = _tag_filter(tags)
        rows = self.conn.execute(
            f"SELECT {_PERSON_COLS}, (SELECT max(g.on_date) FROM gesture g WHERE g.person_id = p.id"
            " AND g.kind != 'note') FROM person p WHERE p.every_days IS NOT NULL" + (f" AND {where}" if where else ""),
            params,
        )
        return [(_person(row), date.fromisoformat(row[-1]) if row[-1] else None) for row in rows]

    def _touch(self, person_id: int, stamp: str) -> None:
        """The person changed as a calendar sees them: a new DTSTAMP and SEQUENCE."""
        self.conn.execute("UPDATE person SET updated = ?, sequence = sequence + 1 WHERE id = ?", (stamp, person_id))

    # -- import ------------------------------------------------------------------

    def import_people(
        self,
        records: Iterable[ImportedPerson],
        *,
        tags: Sequence[str] = (),
        dry_run: bool = False,
    ) -> ImportResult:
        """Add or update people from an address book, all in one transaction.

        A record is matched to a stored person by the source's UID, then by email (any
        case), then by exact name (any case, any alphabet); no match adds a person.
        A match is updated only where the file says something new: a field it has,
        a tag or a date the person lacks, a date that moved. A date without a year on
        the same day as a stored one keeps the stored year. So importing the same file
        twice changes nothing, and nothing is ever duplicated. A name that matches
        several people is skipped, not guessed.

        ``dry_run`` does all of it and rolls back: its summary is the real one.
        """
        result = _ImportCount()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            index = _PeopleIndex(self.conn)
            for record in records:
                self._import_one(record, tags, index, result)
        except BaseException:
            self.conn.rollback()
            raise
        if dry_run:
            self.conn.rollback()
        else:
            self.conn.commit()
        return ImportResult(result.added, result.updated, result.unchanged, tuple(result.skipped))

    def _import_one(
        self, record: ImportedPerson, tags: Sequence[str], index: _PeopleIndex, count: _ImportCount
    ) -> None:
        found = index.match(record)
        if isinstance(found, str):
            count.skipped.append((record.name, found))
            return
        all_tags = _union((), (*record.tags, *tags))
        if found is None:
            fields = {**_record_fields(record), "name": record.name}
            person_id = self._insert_person(fields, all_tags, count.stamp, record.uid)
            self._insert_occasions([_occasion_record(person_id, _new_occasion(d), count.stamp) for d in record.dates])
            index.add(person_id, record)
            count.added += 1
            return
        person = self.get_person(found)
        assert person is not None
        fields = {
            key: value
            for key, value in _record_fields(record).items()
            if value is not None and value != getattr(person, key)
        }
        if record.name != person.name:
            fields["name"] = record.name
        merged_tags = _union(person.tags, all_tags)
        dates = _changed_dates(self.occasions_of(person.id), record.dates)
        if record.uid and index.uid_of(person.id) is None:
            self.conn.execute("UPDATE person SET source_uid = ? WHERE id = ?", (record.uid, person.id))
        if not fields and merged_tags == person.tags and not dates:
            count.unchanged += 1
            return
        self.update_person(
            person.id, tags=merged_tags if merged_tags != person.tags else None, occasions=dates, **fields
        )
        index.add(person.id, record)
        count.updated += 1


def _occasion_record(person_id: int, new: NewOccasion, stamp: str) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "kind": new.kind,
        "label": new.label if new.kind == "custom" else "",
        "month": new.month,
        "day": new.day,
        "year": new.year,
        "md": new.month * 100 + new.day,
        "yearly": int(new.yearly is not False),
        "lead_days": new.lead_days,
        "plan": new.plan,
        "created": stamp,
        "updated": stamp,
        "sequence": 0,
    }


def _ids_json(ids: Iterable[int]) -> str:
    """Person ids as a JSON array, for ``IN (SELECT value FROM json_each(?))``: one
    parameter however many people a list holds."""
    return json.dumps(sorted(set(ids)))


def _tag_filter(tags: Sequence[str]) -> tuple[str, list[str]]:
    """SQL matching people who carry any of ``tags`` (case does not matter)."""
    if not tags:
        return "", []
    marks = ", ".join("?" for _ in tags)
    return (
        f"EXISTS (SELECT 1 FROM json_each(p.tags) WHERE casefold(json_each.value) IN ({marks}))",
        [tag.casefold() for tag in tags],
    )


class ImportResult(NamedTuple):
    """What an import did (or, dry, would do)."""

    added: int
    updated: int
    unchanged: int
    #: (who, why) for each record that was not imported.
    skipped: tuple[tuple[str, str], ...] = ()


class _ImportCount:
    def __init__(self) -> None:
        self.added = self.updated = self.unchanged = 0
        self.skipped: list[tuple[str, str]] = []
        self.stamp = now_stamp()


class _PeopleIndex:
    """Every stored person by source UID, email and name key, read once per import and
    kept up to date as people are added, so matching costs no query per record."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.by_uid: dict[str, int] = {}
        self.uids: dict[int, str] = {}
        self.by_email: dict[str, set[int]] = {}
        self.by_name: dict[str, set[int]] = {}
        for person_id, uid, email, key in conn.execute("SELECT id, source_uid, email, name_key FROM person"):
            self._put(person_id, uid, email, key)

    def _put(self, person_id: int, uid: str | None, email: str | None, key: str) -> None:
        if uid:
            self.by_uid.setdefault(uid, person_id)
            self.uids.setdefault(person_id, uid)
        if email:
            self.by_email.setdefault(email.casefold(), set()).add(person_id)
        self.by_name.setdefault(key, set()).add(person_id)

    def add(self, person_id: int, record: ImportedPerson) -> None:
        """A person this import added: found again by UID only. Two cards of one file
        that share a name or an email are two people (a family's shared address), not
        one card read twice."""
        if record.uid:
            self.by_uid.setdefault(record.uid, person_id)
            self.uids.setdefault(person_id, record.uid)

    def uid_of(self, person_id: int) -> str | None:
        return self.uids.get(person_id)

    def match(self, record: ImportedPerson) -> int | str | None:
        """The id of the person this record is, None for a new person, or why it is skipped."""
        if record.uid and record.uid in self.by_uid:
            return self.by_uid[record.uid]
        by_email = self.by_email.get(record.email.casefold(), set()) if record.email else set()
        by_name = self.by_name.get(name_key(record.name), set())
        if len(by_email) == 1:
            return next(iter(by_email))
        if len(by_email) > 1 and len(by_email & by_name) == 1:
            return next(iter(by_email & by_name))  # a shared address: the name tells them apart
        if len(by_name) == 1:
            return next(iter(by_name))
        if len(by_name) > 1:
            ids = ", ".join(f"#{i}" for i in sorted(by_name))
            return f"{len(by_name)} people are called this ({ids}); update them by hand"
        return None


def _record_fields(record: ImportedPerson) -> dict[str, Any]:
    return {
        "company": record.company,
        "email": record.email,
        "phone": record.phone,
        "notes": record.notes,
        "position": record.position,
        "connected_on": record.connected_on.isoformat() if record.connected_on else None,
        "every_days": record.every_days,
    }


def _union(stored: Sequence[str], more: Iterable[str]) -> tuple[str, ...]:
    """``stored`` tags, then each of ``more`` that is not there already (any case)."""
    tags = list(stored)
    seen = {tag.casefold() for tag in tags}
    for tag in more:
        if tag.casefold() not in seen:
            tags.append(tag)
            seen.add(tag.casefold())
    return tuple(tags)


def _new_occasion(found: ImportedDate, keep_year: int | None = None) -> NewOccasion:
    return NewOccasion(
        found.kind,
        found.month,
        found.day,
        found.year if found.year is not None else keep_year,
        found.label if found.kind == "custom" else "",
        # An address book has no one-off dates: only servant's own CSV says so (with a year).
        yearly=None if found.yearly or found.year is None else False,
        lead_days=found.lead_days,
        plan=found.plan,
    )


def _changed_dates(stored: Sequence[Occasion], imported: Iterable[ImportedDate]) -> list[NewOccasion]:
    """The imported dates that are new, or say something other than the stored ones."""
    by_key = {(o.kind, o.label.casefold()): o for o in stored}
    changed = []
    for found in imported:
        label = found.label.casefold() if found.kind == "custom" else ""
        old = by_key.get((found.kind, label))
        if old is None:
            changed.append(_new_occasion(found))
            continue
        same_day = (old.month, old.day) == (found.month, found.day)
        if (
            same_day
            and found.year in (None, old.year)
            and (found.yearly or not old.yearly)
            and found.lead_days in (None, old.lead_days)
            and found.plan in (None, old.plan)
        ):
            continue
        changed.append(_new_occasion(found, keep_year=old.year if same_day else None))
    return changed
