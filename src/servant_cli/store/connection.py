"""Opening a database file: the checks before anything is written, the connection, the
migrations that bring it up to date, and the write transaction every change runs in."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from servant_cli.errors import DatabaseError, NotFound
from servant_cli.store.schema import KNOWN_MIGRATIONS, applied_migrations, migrations, refuse_newer

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_SECONDS = 30.0
SQLITE_HEADER = b"SQLite format 3\x00"


def _casefold(text: Any) -> Any:
    """SQL ``casefold(x)``: Python's full Unicode case folding (SQLite's ``lower`` is ASCII only)."""
    return text.casefold() if isinstance(text, str) else text


def file_header(path: Path) -> bytes | None:
    """The first bytes of ``path``, as many as SQLite's header (None when there is no file)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return None


def _check_file(path: Path) -> bool:
    """Refuse what is not a database file; return True when the file exists."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file; give a file path with --db or SERVANT_DB")
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


class Connection:
    """One open servant database: the connection, its transactions, its meta values."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._db: sqlite_utils.Database | None = None
        conn.create_function("casefold", 1, _casefold, deterministic=True)

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Self:
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
        applied = applied_migrations(self.conn)
        refuse_newer(applied, self.path, "use it. The file was left untouched")
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
                migrations().apply(self.db)
                broken = self.conn.execute("PRAGMA foreign_key_check").fetchone()
                if broken:
                    raise sqlite3.DatabaseError(f"the upgrade broke a reference in table {broken[0]}")
        self.conn.execute("PRAGMA foreign_keys = ON")

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
    def transaction(self, *, keep: bool = True) -> Iterator[None]:
        """One write transaction; taken at once (IMMEDIATE) so it waits, then never fails, on a lock.

        Inside another one it is part of that one. ``keep=False`` does all of it and rolls
        it back (an import's dry run: its summary is the real one).
        """
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
        return row[0] if row else None

    def schema_version(self) -> int:
        """How many of servant's schema steps the file has (all of them once it is open)."""
        return len(applied_migrations(self.conn))

    # -- people ------------------------------------------------------------------
