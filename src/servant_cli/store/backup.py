"""Copies of the database that can be trusted: ``servant backup`` and ``servant restore``.

Both go through SQLite's online backup API (``sqlite3.Connection.backup``), never a
plain file copy: the database is in WAL mode, so its newest writes may still be in
``servant.db-wal``, and a ``cp`` taken while cron writes can catch half a transaction.
The backup API copies every page inside one read transaction, so the copy is the
database as it was at one instant, whatever other processes write meanwhile (in WAL
mode they are not even slowed down).

A copy is written to a temporary file in the target's folder, checked with
``PRAGMA integrity_check``, switched to rollback-journal mode (one self-contained
file, no ``-wal``/``-shm`` beside it), made private (0600), synced to disk and only
then renamed over the target: an interrupted backup leaves the old file whole. A
failed integrity check leaves the target as it was, so a nightly ``--force`` can
never replace the last good backup with a damaged one.

``restore`` checks the file first, without writing to it or beside it: SQLite, passes
the integrity check, holds servant's migration records (a database from an older
servant is upgraded on its next open; one from a newer servant is refused) and nothing
in its schema that those steps did not create (``schema.schema_problem``). The database
it is to replace must be one any command would open (``check_live``): another
program's file, a newer servant's or a foreign schema is refused with the same words
and left untouched; only a damaged servant database may be restored over. Then the
file is copied beside the live database (as above), the live database is copied aside
as ``servant.db.before-restore-YYYYMMDD-HHMMSS`` (through the backup API, so what is
still in its ``-wal`` is kept), and the copy is loaded into the live database, again
through the backup API: one write transaction, under SQLite's own locks. That is the
one way to replace a WAL database that other processes may have open: renaming a file
over it would leave its ``-wal`` and ``-shm`` (named after the path, not the file) to
be replayed into the new file by a process that still had the old one open. Only a
live file SQLite cannot read at all (damaged, not SQLite) is renamed over, after its
side files were kept aside and removed.

Temporary files are named after their target and the process writing them
(``.servant.db.servant-<pid>-<random>.tmp``), so that what a run killed part-way left
is recognised and removed by the next backup or restore to that target
(``remove_leftovers``), and nothing else is.

A backup that was written is recorded in the database's ``meta`` table (when, in UTC,
and to which file), for ``servant info``; the copy itself was taken just before, so it
holds the record of the backup before it.

Plain ``sqlite3`` only: no sqlite-utils, nothing heavy at import.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from servant_cli.errors import BadInput, DatabaseError, NotFound, ServantError
from servant_cli.files import SQLITE_SIDE_FILES, is_the_database
from servant_cli.store.connection import (
    BUSY_TIMEOUT_SECONDS,
    SQLITE_HEADER,
    Connection,
    check_file,
    check_servant_file,
    file_header,
    read_only_uri,
)
from servant_cli.store.rows import now_stamp
from servant_cli.store.schema import count_people, refuse_foreign
from servant_cli.text import plural

#: Files SQLite may keep beside a database; they belong to it.
SIDECARS = SQLITE_SIDE_FILES


class Copied(NamedTuple):
    """A backup that was written."""

    path: Path
    people: int
    size: int


class Checked(NamedTuple):
    """What a file offered to ``restore`` holds."""

    path: Path
    people: int
    #: How many of this version's schema steps it has (fewer: upgraded on next open).
    steps: int


class LastBackup(NamedTuple):
    """The last backup recorded in a database."""

    #: When it was taken, UTC (``2026-11-22T09:30:00Z``).
    at: str
    #: The file it was written to.
    file: str


#: How long recording a backup waits for another writer.
RECORD_TIMEOUT_SECONDS = 2.0
#: The meta keys the last backup is recorded under.
LAST_BACKUP_AT = "last_backup"
LAST_BACKUP_FILE = "last_backup_file"


class Restored(NamedTuple):
    """A restore that was done."""

    database: Path
    source: Checked
    #: Where the database that was replaced now is (None when there was none).
    kept: Path | None


# -- backup ------------------------------------------------------------------------


def backup(source: sqlite3.Connection, database: Path, target: Path | str, *, force: bool = False) -> Copied:
    """Copy the open database ``source`` (the file ``database``) to ``target``.

    ``target`` must not be the database itself (nor one of its ``-wal``/``-shm`` files);
    an existing ``target`` is replaced only with ``force``.
    """
    target = check_target(target, force)
    if is_the_database(target, database):
        raise BadInput(f"{target} is the database itself; give another file name for the backup")
    remove_leftovers(target)
    with _temporary_beside(target) as temporary:
        _copy(source, temporary, what=f"the database {database}", keep=target)
        people = _count_people(temporary)
        _publish(temporary, target)
    return Copied(target, people, target.stat().st_size)


def record(store: Connection, copied: Copied) -> str | None:
    """Record ``copied`` as the database's last backup; or why the database could not
    record it (a read-only file, say: the backup itself is good all the same)."""
    if store.read_only:
        return store.read_only
    # The copy did not wait for a writer, nor does its record, for long (a nightly backup
    # must not hang on an import): a database still busy after that is not told of it.
    store.conn.execute(f"PRAGMA busy_timeout = {int(RECORD_TIMEOUT_SECONDS * 1000)}")
    try:
        with store.transaction():
            store.conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [(LAST_BACKUP_AT, now_stamp()), (LAST_BACKUP_FILE, str(copied.path.absolute()))],
            )
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        store.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    return None


def last_backup(store: Connection) -> LastBackup | None:
    """The last backup recorded in the database, if any."""
    at, file = store.meta(LAST_BACKUP_AT), store.meta(LAST_BACKUP_FILE)
    return LastBackup(at, file) if at and file else None


def check_target(path: Path | str, force: bool = False) -> Path:
    """The file a backup goes to, checked before the database is opened."""
    text = str(path)
    if not text.strip():
        raise BadInput("FILE is empty; give the backup file's name, e.g. ~/backups/servant.db")
    path = Path(path).expanduser()
    if path.is_symlink():
        path = Path(os.path.realpath(path))  # the file it points to is replaced; the link stays
    if path.is_dir() or text.endswith(("/", os.sep)):
        if not path.is_dir():
            raise BadInput(f"the folder {text} does not exist; create it first")
        raise BadInput(f"{text} is a folder; give a file name in it, such as {path / 'servant-backup.db'}")
    if not path.parent.is_dir():
        raise BadInput(f"the folder {path.parent} does not exist; create it first")
    if path.exists():
        if not path.is_file():
            raise BadInput(f"{path} is not a regular file; give a file name for the backup")
        if not force:
            raise ServantError(f"{path} exists; add --force to replace it (it was left as it was)")
    return path


# -- restore -----------------------------------------------------------------------


def expand(file: str) -> Path:
    """A FILE argument as a path (``~`` is the home folder); empty is refused."""
    if not file.strip():
        raise BadInput("FILE is empty; give the backup file's name")
    return Path(file).expanduser()


def check_restorable(path: Path) -> Checked:
    """Check that ``path`` is a servant database this version can use; write nothing.

    Raises ``DatabaseError`` (or ``NotFound``/``BadInput``) with a message that says why not.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise BadInput(f"{path} is a folder; give the backup file in it")
    try:
        header = file_header(path)
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if header is None:
        raise NotFound(f"{path} does not exist")
    if header != SQLITE_HEADER:
        raise DatabaseError(f"{path} is not a servant database (not SQLite); nothing was changed")
    try:
        with _read_only(path) as conn:
            applied = refuse_foreign(conn, path, left="nothing was changed", to_do="restore it. Nothing was changed")
            if not applied:
                raise DatabaseError(f"{path} is a SQLite database but not servant's; nothing was changed")
            problem = _integrity_problem(conn)
            if problem:
                raise DatabaseError(f"{path} is damaged (SQLite integrity check: {problem}); nothing was changed")
            broken = conn.execute("PRAGMA foreign_key_check").fetchone()
            if broken:
                raise DatabaseError(f"{path} has a broken reference in table {broken[0]}; nothing was changed")
            unreadable = value_problem(conn)
            if unreadable:
                raise DatabaseError(f"{path} {unreadable}; nothing was changed")
            people = count_people(conn)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path} cannot be read as a servant database ({exc}); nothing was changed") from exc
    return Checked(path, people, len(applied))


#: What each column must hold for servant to read it (SQLite keeps any value in any
#: column): (table, column, the condition a bad value meets). A day must be one: a date
#: without a year is tried in 2000, a leap year.
_VALUE_RULES = (
    ("person", "name", "typeof(name) != 'text' OR trim(name) = ''"),
    ("person", "tags", "NOT json_valid(tags) OR json_type(tags) != 'array'"),
    ("person", "every_days", "every_days IS NOT NULL AND (typeof(every_days) != 'integer' OR every_days < 0)"),
    ("person", "name_parts", "name_parts IS NOT NULL AND NOT json_valid(name_parts)"),
    ("occasion", "year", "year IS NOT NULL AND (typeof(year) != 'integer' OR year NOT BETWEEN 1 AND 9999)"),
    (
        "occasion",
        "day",
        "typeof(month) != 'integer' OR typeof(day) != 'integer'"
        # date() takes 2000-02-31 as it is; a modifier makes it a real day (2000-03-02).
        " OR date(printf('%04d-%02d-%02d', coalesce(year, 2000), month, day), '+0 days')"
        " IS NOT printf('%04d-%02d-%02d', coalesce(year, 2000), month, day)",
    ),
    (
        "occasion",
        "lead_days",
        "lead_days IS NOT NULL AND (typeof(lead_days) != 'integer' OR lead_days NOT BETWEEN 0 AND 365)",
    ),
    ("gesture", "on_date", "date(on_date, '+0 days') IS NOT on_date"),
    ("gesture", "for_date", "for_date IS NOT NULL AND date(for_date, '+0 days') IS NOT for_date"),
    ("idea", "used", "used IS NOT NULL AND date(used, '+0 days') IS NOT used"),
)


def value_problem(conn: sqlite3.Connection) -> str | None:
    """The first stored value servant could not read, in words ("holds a value servant
    cannot read: occasion #3's day is 2-31"); None when every one can be. A backup is
    checked whole before it replaces the database: another program may have written it,
    and its schema being servant's says nothing of its values."""
    for table, column, bad in _VALUE_RULES:
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if column not in columns:
            continue  # an older schema: the step that adds it will
        found = conn.execute(f"SELECT id, {column} FROM {table} WHERE {bad} LIMIT 1").fetchone()
        if found is not None:
            value = found[1]
            if table == "occasion" and column == "day":
                month, day = conn.execute("SELECT month, day FROM occasion WHERE id = ?", (found[0],)).fetchone()
                value = f"{month}-{day}"
            shown = repr(value)[:40] if not isinstance(value, bytes) else "bytes"
            return f"holds a value servant cannot read: {table} #{found[0]}'s {column} is {shown}"
    decided = conn.execute("SELECT value FROM meta WHERE key = 'gestures_decided_from'").fetchone()
    if decided is not None and not str(decided[0]).isdigit():
        return f"holds a value servant cannot read: meta's gestures_decided_from is {repr(decided[0])[:40]}"
    return None


def restore(source: Path, database: Path, *, now: datetime | None = None) -> Restored:
    """Put the servant database ``source`` in the place of ``database``, keeping the old one aside.

    ``source`` is checked first (``check_restorable``) and is only ever read. Its checked
    copy is loaded into the live database in one transaction, so a process using it
    meanwhile sees the old database or the restored one, never a mix.
    """
    checked = check_restorable(source)
    database = Path(database).expanduser()
    check_live(database)
    if is_the_database(checked.path, database):
        raise BadInput(f"{checked.path} is the database itself; give a backup file")
    if not database.parent.is_dir():
        try:
            database.parent.mkdir(mode=0o700, parents=True)
        except OSError as exc:
            raise DatabaseError(f"cannot create {database.parent}: {exc.strerror or exc}") from exc
    remove_leftovers(database)
    with _temporary_beside(database) as temporary:
        with _read_only(checked.path) as conn:
            _copy(conn, temporary, what=str(checked.path), keep=database)
        if not database.exists():
            _publish(temporary, database)
            return Restored(database, checked, None)
        kept = _keep_aside(database, now or datetime.now())
        try:
            loaded = _load_into(temporary, database)
        except BaseException:
            for path in (kept, *(_sidecar(kept, suffix) for suffix in SIDECARS)):
                path.unlink(missing_ok=True)  # the live database was left as it was
            raise
        if not loaded:
            _replace_unreadable(temporary, database)
    return Restored(database, checked, kept)


def check_live(database: Path) -> None:
    """Refuse to restore over what every command refuses to open (a folder, a file that is
    not SQLite, another program's database, a newer servant's, a schema servant did not
    make), with the same words; write nothing. A servant database SQLite cannot read
    (damaged) may be restored over: that is what a backup is for, and it is kept aside."""
    if not check_file(database) or database.stat().st_size == 0:  # none, or empty: nothing to lose
        return
    # Without a -shm no process has the file open: its schema is read from the file
    # itself (immutable), so that nothing is made beside it.
    uri = read_only_uri(database, ignore_wal=not _sidecar(database, "-shm").exists())
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)) as conn:
            check_servant_file(conn, database)
    except sqlite3.OperationalError as exc:
        raise DatabaseError(f"cannot read {database}: {exc}; nothing was changed") from exc
    except sqlite3.DatabaseError:  # damaged: restored over, after it is kept aside
        return


def describe(database: Path) -> str:
    """What the database at ``database`` holds, in words, for a question before it is replaced."""
    if not database.exists():
        return "no database yet"
    try:
        with _read_only(database) as conn:
            count = count_people(conn)
    except sqlite3.Error:
        return "cannot be read"
    return people(count)


def people(count: int) -> str:
    """ "1 person", "3 people"."""
    return plural(count, "person", "people")


def _keep_aside(database: Path, now: datetime) -> Path:
    """Copy the live database to a dated name beside it; return that name.

    Through the backup API, so the copy holds what is still in the ``-wal`` too. A file
    SQLite cannot read (damaged, not SQLite at all) is copied as it is, with its side files.
    """
    stamp = now.strftime("%Y%m%d-%H%M%S")
    kept = database.with_name(f"{database.name}.before-restore-{stamp}")
    number = 2
    while kept.exists():
        kept = database.with_name(f"{database.name}.before-restore-{stamp}-{number}")
        number += 1
    with _temporary_beside(database) as temporary:
        # Raw copies of the side files first: opening a file it cannot read, SQLite may
        # still delete its -wal, which then belongs with the file kept aside.
        sides = {suffix: temporary.with_name(f"{temporary.name}.raw{suffix}") for suffix in SIDECARS}
        try:
            for suffix, raw in sides.items():
                if _sidecar(database, suffix).exists():
                    _copy_files(_sidecar(database, suffix), raw)
            try:
                live = sqlite3.connect(database, timeout=BUSY_TIMEOUT_SECONDS)
                try:
                    dest = sqlite3.connect(temporary)
                    try:
                        live.backup(dest)
                        dest.execute("PRAGMA journal_mode = DELETE").fetchone()
                    finally:
                        dest.close()
                finally:
                    live.close()
            except sqlite3.OperationalError as exc:
                raise DatabaseError(f"cannot read {database} to keep it aside: {exc}; nothing was changed") from exc
            except sqlite3.DatabaseError:  # not a database, or damaged: kept as it is
                _copy_files(database, temporary)
                for suffix, raw in sides.items():
                    if raw.exists():
                        os.replace(raw, _sidecar(kept, suffix))
            _publish(temporary, kept)
        finally:
            for raw in sides.values():
                raw.unlink(missing_ok=True)
    return kept


def _load_into(copy: Path, database: Path) -> bool:
    """Load the database file ``copy`` into the live ``database`` in one write transaction.

    SQLite does the replacing, -wal and -shm included, under its own locks: a servant
    command running meanwhile waits (busy timeout) and then sees the restored data.
    False when the live file is one SQLite cannot write to (damaged, not SQLite): it is
    left as it was.
    """
    try:
        live = sqlite3.connect(database, timeout=min(1.0, BUSY_TIMEOUT_SECONDS))
    except sqlite3.Error:
        return False
    try:
        try:
            page_size, mode = (live.execute(f"PRAGMA {name}").fetchone()[0] for name in ("page_size", "journal_mode"))
        except sqlite3.OperationalError as exc:  # locked, unreadable: not a reason to rename over it
            raise DatabaseError(f"cannot restore into {database}: {exc}; it was left as it was") from exc
        except sqlite3.DatabaseError:  # not a database, or damaged
            return False
        source = sqlite3.connect(copy)
        try:
            if mode == "wal" and source.execute("PRAGMA page_size").fetchone()[0] != page_size:
                # A WAL database cannot change its page size, so the copy takes the live one's.
                source.execute(f"PRAGMA page_size = {int(page_size)}")
                source.execute("VACUUM")
            source.backup(live, progress=_give_up_after(BUSY_TIMEOUT_SECONDS, database))
        except sqlite3.OperationalError as exc:
            raise DatabaseError(f"cannot restore into {database}: {exc}; it was left as it was") from exc
        except sqlite3.DatabaseError:
            return False
        finally:
            source.close()
    finally:
        live.close()
    return True


def _give_up_after(seconds: float, database: Path) -> Callable[[int, int, int], None]:
    """A backup progress callback that stops waiting for a lock after ``seconds``.

    Python's ``backup`` retries a busy destination for ever; a program holding a write
    lock on the database (an open ``sqlite3`` shell) would hang the restore.
    """
    deadline = time.monotonic() + seconds

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise DatabaseError(
                f"{database} is in use by another program (locked for over {seconds:g} s); "
                "nothing was changed, try again when it is done"
            )

    return progress


def _replace_unreadable(copy: Path, database: Path) -> None:
    """Rename ``copy`` over a live file SQLite cannot read (already kept aside, side files too).

    Its side files go first: a ``-wal`` left beside the restored file would be replayed
    into it. No servant can be using a file SQLite cannot read, so nothing races this.
    """
    try:
        for suffix in SIDECARS:
            _sidecar(database, suffix).unlink(missing_ok=True)
    except OSError as exc:
        raise DatabaseError(f"cannot replace {database}: {exc.strerror or exc}") from exc
    _publish(copy, database)


def _copy_files(source: Path, target: Path) -> None:
    import shutil

    try:
        shutil.copyfile(source, target)
        os.chmod(target, 0o600)
    except OSError as exc:
        raise DatabaseError(f"cannot keep {source} aside: {exc.strerror or exc}; nothing was changed") from exc


# -- shared ------------------------------------------------------------------------


def _copy(source: sqlite3.Connection, temporary: Path, *, what: str, keep: Path) -> None:
    """Copy ``source`` into the empty file ``temporary``, check it and make it self-contained."""
    try:
        dest = sqlite3.connect(temporary)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot write {temporary}: {exc}") from exc
    try:
        # All pages in one step, so one read transaction: a consistent snapshot.
        source.backup(dest)
        problem = _integrity_problem(dest)
        if problem:
            raise DatabaseError(f"{what} is damaged (SQLite integrity check: {problem}); {keep} was left as it was")
        # Rollback-journal mode: the copy is one file, readable without writing beside it.
        dest.execute("PRAGMA journal_mode = DELETE").fetchone()
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot copy {what}: {exc}; {keep} was left as it was") from exc
    finally:
        dest.close()


def _publish(temporary: Path, target: Path) -> None:
    """Make ``temporary`` private and durable, then rename it over ``target``."""
    try:
        os.chmod(temporary, 0o600)
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        _sync_folder(target.parent)
    except OSError as exc:
        raise ServantError(f"cannot write {target}: {exc.strerror or exc}; it was left as it was") from exc


@contextlib.contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    """An empty private file in ``target``'s folder (so the final rename is atomic), removed
    with its SQLite sidecars unless it was renamed into place.

    Its name says whose it is: ``.servant.db.servant-<pid>-<random>.tmp`` for the target
    ``servant.db`` and the process ``pid``. A run killed part-way (``kill -9``, a power
    cut) cannot remove it; the next backup or restore to the same target does
    (``remove_leftovers``), once that process is gone.
    """
    try:
        prefix = f".{target.name}.servant-{os.getpid()}-"
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".tmp")
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            message = f"the folder {target.parent} is read-only ({exc.strerror}); nothing was changed"
            raise ServantError(message) from exc
        raise ServantError(f"cannot write in {target.parent}: {exc.strerror or exc}") from exc
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        for path in (temporary, *(_sidecar(temporary, suffix) for suffix in SIDECARS)):
            path.unlink(missing_ok=True)


def remove_leftovers(target: Path) -> list[Path]:
    """Remove what a backup or restore to ``target`` killed part-way left beside it: its
    temporary copies (named by ``_temporary_beside``), their ``-wal``/``-shm``/``-journal``
    and the raw side files kept aside. Only files of that exact form, made by a process
    that no longer runs; a copy's own file must be SQLite's or empty. Returns them."""
    import re

    pattern = re.compile(rf"\.{re.escape(target.name)}\.servant-(\d+)-[a-z0-9_]+\.tmp(\.raw)?(-wal|-shm|-journal)?")
    removed: list[Path] = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    matches = {name: found for name in names if (found := pattern.fullmatch(name)) and not _running(int(found[1]))}
    # A copy (``.tmp``, or its raw twin ``.tmp.raw``) goes when it is SQLite's or empty;
    # a -wal, -shm or -journal only beside a copy that goes (a user's file of that
    # name alone, whatever it holds, stays).
    copies = {name for name, found in matches.items() if not found[3] and _empty_or_sqlite(target.parent / name)}
    for name, found in matches.items():
        if name in copies or (found[3] and name.removesuffix(found[3]) in copies):
            path = target.parent / name
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs (this one does)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: it runs
        return True
    return True


def _empty_or_sqlite(path: Path) -> bool:
    try:
        if not path.is_file() or path.is_symlink():
            return False
        return file_header(path) in (b"", SQLITE_HEADER)
    except OSError:
        return False


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot write to ``path`` nor leave files beside it.

    SQLite opening a WAL-mode file read-only still creates ``-wal`` and ``-shm`` beside
    it (and cannot remove them). When there is no ``-wal``, every page is in the file
    itself, so it is opened ``immutable`` (no locks, no side files); when there is one,
    it holds writes the file lacks and must be read through.
    """
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        yield conn
    finally:
        conn.close()


def _integrity_problem(conn: sqlite3.Connection) -> str | None:
    """The first problem ``PRAGMA integrity_check`` finds, or None."""
    first = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
    return None if first == "ok" else str(first)


def _count_people(path: Path) -> int:
    with _read_only(path) as conn:
        return count_people(conn)


def _sidecar(database: Path, suffix: str) -> Path:
    return database.with_name(database.name + suffix)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a crash right after cannot undo it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
