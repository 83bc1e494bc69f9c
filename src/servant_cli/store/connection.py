"""Opening a database file: the checks before anything is written, the connection, the
migrations that bring it up to date, and the write transaction every change runs in.

A database that cannot be written (its folder or the file is read-only, a read-only
mount, a full disk) is still read: it is opened read-only, and a write is refused with
one line that says why. A WAL database needs its ``-shm`` file to be read, which a
read-only folder or a full disk cannot give; when there is no ``-wal`` holding recent
writes (servant removes it on close), every page is in the file itself, so it is
opened ``immutable`` (SQLite then takes no locks and needs no side file).
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from servant_cli.errors import DatabaseError, NotFound
from servant_cli.store.rows import prepare
from servant_cli.store.schema import KNOWN_MIGRATIONS, applied_migrations, migrations, refuse_foreign

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_SECONDS = 30.0
SQLITE_HEADER = b"SQLite format 3\x00"


def file_header(path: Path) -> bytes | None:
    """The first bytes of ``path``, as many as SQLite's header (None when there is no file)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return None


def check_file(path: Path) -> bool:
    """Refuse what is not a database file (a folder, a pipe or a device, a file that is not
    SQLite), in the words every command uses; return True when the file exists."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file; give a file path with --db or SERVANT_DB")
    if path.exists() and not path.is_file():
        # A named pipe would hang every command on its first read; a device is no database.
        raise DatabaseError(f"{path} is not a regular file (a pipe or a device); give a database file")
    try:
        header = file_header(path)
    except OSError as exc:
        raise DatabaseError(f"cannot open {path}: {exc.strerror or exc}") from exc
    if header is None:
        return False
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


#: A disk with less room than this left is full for SQLite: it cannot make the ``-shm``.
FULL_DISK_BYTES = 1 << 20


def read_only_uri(path: Path, *, empty_wal_is_none: bool = False, ignore_wal: bool = False) -> str:
    """The URI that opens ``path`` read-only, leaving no file beside it when it can.

    Without a ``-wal`` every page is in the file itself, so it is opened ``immutable``;
    a ``-wal`` holds writes the file lacks and must be read through (SQLite then needs
    the ``-shm`` as well). ``empty_wal_is_none``: a ``-wal`` of no bytes holds nothing
    (what a failed opening on a full disk leaves), where no one else can be writing.
    ``ignore_wal``: read the file alone whatever is beside it.
    """
    from urllib.parse import quote

    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        wal = os.stat(f"{path}-wal").st_size
    except OSError:
        wal = None
    if wal is None or (wal == 0 and empty_wal_is_none) or ignore_wal:
        uri += "&immutable=1"
    return uri


def _why_read_only(path: Path) -> str | None:
    """Why the database at ``path`` cannot be written, or None when it can.

    ``os.access`` answers for a read-only mount too, also for root (who is let write
    into a folder whatever its mode, so a folder's mode alone does not make it read-only).
    """
    folder = path.parent
    if not os.access(folder, os.W_OK):
        return f"the folder {folder} is read-only"
    if not os.access(path, os.W_OK):
        return f"{path} is read-only"
    return None


def _disk_full(path: Path) -> bool:
    try:
        room = os.statvfs(path.parent)
    except OSError:
        return False
    return room.f_bavail * room.f_frsize < FULL_DISK_BYTES


class _DiskFull(Exception):
    """Opening failed for want of room on the disk (raised only when it is full)."""


def _failed_for_room(exc: sqlite3.DatabaseError) -> bool:
    """An error SQLite gives when it cannot grow a file: an I/O error (the ``-shm``) or full."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    return code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL)


def check_servant_file(conn: sqlite3.Connection, path: Path) -> list[str]:
    """Refuse what every command refuses (a newer servant's file, another program's, a
    schema servant did not make), leaving it untouched; the steps the file records."""
    return refuse_foreign(conn, path, left="it was left untouched", to_do="use it. The file was left untouched")


#: The database's id as servant makes it (``secrets.token_hex(8)``).
_DB_ID = re.compile(r"[0-9a-f]{16}")


@functools.lru_cache(maxsize=256)
def insert_sql(table: str, columns: tuple[str, ...], rows: int = 1, then: str = "") -> str:
    """``INSERT INTO table (columns) VALUES (?, …)`` for a table and columns of servant's
    own, with ``rows`` rows of values and ``then`` after them, made once for each."""
    row = f"({', '.join('?' * len(columns))})"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * rows)}{then}"


#: The most rows one statement of ``insert_rows`` writes: its text (a hundred rows of
#: values) stays short enough to prepare once and keep in the connection's cache.
ROWS_AT_ONCE = 100


def insert_rows(
    conn: sqlite3.Connection,
    table: str,
    columns: tuple[str, ...],
    rows: Iterable[Sequence[Any]],
    *,
    then: str = "",
) -> None:
    """Insert ``rows`` (values of ``columns``), in their order, up to ``ROWS_AT_ONCE`` in
    one INSERT with that many rows of values. ``executemany`` runs its statement once a
    row, and SQLite updates an AUTOINCREMENT table's sequence at the end of every run:
    this writes the same rows with a third less work. ``then``: what follows the values
    (an ``ON CONFLICT`` clause). A row that fails fails its statement whole: call it in a
    transaction."""
    at_once = min(ROWS_AT_ONCE, max(1, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns)))
    left = iter(rows)
    while part := list(islice(left, at_once)):
        conn.execute(insert_sql(table, columns, len(part), then), [*chain.from_iterable(part)])


class Connection:
    """One open servant database: the connection, its transactions, its meta values."""

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only: str | None = None) -> None:
        self.conn = conn
        self.path = path
        #: Why the database cannot be written (it was opened read-only), or None.
        self.read_only = read_only
        self._db: sqlite_utils.Database | None = None
        # Every text read cleaned (``rows.prepare``).
        prepare(conn)

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Self:
        """Open (migrating as needed) the database at ``path``; create it unless ``create`` is False."""
        path = Path(path)
        existed = check_file(path)
        if not existed:
            if not create:
                raise NotFound(f"there is no database at {path}")
            _create_file(path)
        read_only = _why_read_only(path)
        try:
            return cls._opened(path, read_only)
        except _DiskFull:
            # Even a read needs the -shm, which a full disk cannot hold: read without it.
            return cls._opened(path, f"the disk holding {path.parent} is full")

    @classmethod
    def _opened(cls, path: Path, read_only: str | None) -> Self:
        try:
            if read_only:
                uri = read_only_uri(path, empty_wal_is_none=True)
                conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
            else:
                conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open {path}: {exc}") from exc
        store = cls(conn, path, read_only)
        try:
            store._prepare()
        except sqlite3.DatabaseError as exc:
            conn.close()
            if not read_only and _failed_for_room(exc) and _disk_full(path):
                raise _DiskFull() from exc
            raise DatabaseError(f"cannot use {path}: {exc}") from exc
        except BaseException:
            conn.close()
            raise
        return store

    def _prepare(self) -> None:
        applied = check_servant_file(self.conn, self.path)
        pending = len(applied) < len(KNOWN_MIGRATIONS)
        if self.read_only and pending:
            what = "is empty" if not applied else "needs an upgrade to this servant's schema"
            raise DatabaseError(f"{self.path} {what}, but {self.read_only}; it was left untouched")
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
        if not self.read_only and self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.conn.execute("PRAGMA journal_mode = WAL")
        if pending:
            # Off while tables are rebuilt (a pragma that cannot change inside a
            # transaction); every reference is checked before the migration commits.
            self.conn.execute("PRAGMA foreign_keys = OFF")
            with self.transaction():
                migrations().apply(self.db)
                broken = self.conn.execute("PRAGMA foreign_key_check").fetchone()
                if broken:
                    raise sqlite3.DatabaseError(f"the upgrade broke a reference in table {broken[0]}")
        self.conn.execute("PRAGMA foreign_keys = ON")

    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils wrapper around the same connection, made on first use."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._db

    def _insert(self, table: str, record: Mapping[str, Any]) -> int:
        """A new row of ``table`` (a name of servant's own, never a user's); its id."""
        cursor = self.conn.execute(insert_sql(table, tuple(record)), list(record.values()))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _update(self, table: str, row_id: int, changes: Mapping[str, Any]) -> None:
        """Set ``changes`` on the row ``row_id`` of ``table`` (a name of servant's own).
        Plain SQL: sqlite-utils, which the migrations use, takes 100 ms to import where
        numpy is installed, more than the rest of an ``add`` or an ``edit``."""
        settings = ", ".join(f"{column} = ?" for column in changes)
        self.conn.execute(f"UPDATE {table} SET {settings} WHERE id = ?", [*changes.values(), row_id])

    @contextmanager
    def transaction(self, *, keep: bool = True) -> Iterator[None]:
        """One write transaction; taken at once (IMMEDIATE) so it waits, then never fails, on a lock.

        Inside another one it is part of that one. ``keep=False`` does all of it and rolls
        it back (an import's dry run: its summary is the real one).
        """
        if self.read_only:
            raise DatabaseError(f"{self.read_only}: servant can read {self.path} but not change it")
        if self.conn.in_transaction:
            if not keep:
                raise RuntimeError("a transaction that is not kept cannot be part of another")
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.rollback()
            raise
        if keep:
            self.conn.commit()
        else:
            self.conn.rollback()

    def close(self) -> None:
        self.conn.close()

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        value: str | None = row[0] if row else None
        if key == "db_id" and value is not None and not _DB_ID.fullmatch(value):
            # It goes into every exported UID and file name: one servant made, or none.
            raise DatabaseError(
                f"{self.path} has a database id servant did not make ({value[:40]!r}); it was left as it was"
            )
        return value

    def schema_version(self) -> int:
        """How many of servant's schema steps the file has (all of them once it is open)."""
        return len(applied_migrations(self.conn))

    # -- people ------------------------------------------------------------------
