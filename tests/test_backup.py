"""``servant backup`` and ``servant restore``: a copy to keep, and the way back.

Real SQLite files under tmp_path; the copy taken while another process writes is
taken against a real writer process.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from helpers import dump, ok
from servant_cli.errors import DatabaseError
from servant_cli.store import KNOWN_MIGRATIONS, Store
from servant_cli.store import backup as backups

DATA = Path(__file__).parent / "data"


def refused(result, code: int, message: str) -> None:
    """One ``Error:`` line that starts with ``message``, the exit code, no traceback."""
    assert result.exit_code == code, result.stdout + result.stderr
    assert result.stderr.startswith(f"Error: {message}"), result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stdout + result.stderr


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [name for (name,) in conn.execute("SELECT name FROM person ORDER BY id")]
    finally:
        conn.close()


def pragma(path: Path, name: str) -> object:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def damage(path: Path) -> None:
    """Make two indexes point at each other's pages: SQLite still opens the file, and
    ``PRAGMA integrity_check`` finds rows missing from an index."""
    conn = sqlite3.connect(path)
    try:
        roots = dict(conn.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'index'"))
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET rootpage = ? WHERE name = 'occasion_person'", (roots["person_name_key"],)
        )
        conn.execute(
            "UPDATE sqlite_master SET rootpage = ? WHERE name = 'person_name_key'", (roots["occasion_person"],)
        )
        conn.commit()
    finally:
        conn.close()
    assert pragma(path, "integrity_check") != "ok"


@pytest.fixture
def people(database_from) -> None:
    database_from(
        ("add", "Ada Lovelace", "--birthday", "1815-12-10", "--tag", "client", "--note", "Likes maths"),
        ("add", "Bob Ng", "--birthday", "Feb 29", "--date", "Shop opening=2016-11-29"),
    )


# -- backup ----------------------------------------------------------------------------


def test_backup_writes_a_private_self_contained_copy_and_says_where(servant, people, db_path, tmp_path) -> None:
    copy = tmp_path / "backups" / "servant-backup.db"
    copy.parent.mkdir()
    out = ok(servant("backup", str(copy)))
    size = round(copy.stat().st_size / 1024)
    assert out == f"Backed up 2 people to {copy} ({size} KB)\n"
    assert mode(copy) == 0o600
    # Every row, but the record of this backup, which the database got after the copy.
    recorded = [("meta", "last_backup"), ("meta", "last_backup_file")]
    assert dump(copy) == [row for row in dump(db_path) if row[:2] not in recorded]
    assert len(dump(db_path)) == len(dump(copy)) + 2
    assert pragma(copy, "integrity_check") == "ok"
    # One file, in rollback-journal mode: nothing left beside it, readable as it is.
    assert listing(copy.parent) == ["servant-backup.db"]
    assert pragma(copy, "journal_mode") == "delete"
    # And servant opens it as any database.
    listed = ok(servant("--db", str(copy), "list"))
    assert listed == ok(servant("list"))


def test_backup_quiet_prints_nothing_for_cron(servant, people, tmp_path) -> None:
    assert ok(servant("backup", "-q", str(tmp_path / "b.db"))) == ""
    assert names(tmp_path / "b.db") == ["Ada Lovelace", "Bob Ng"]


def test_backup_replaces_an_existing_file_only_with_force(servant, people, tmp_path) -> None:
    target = tmp_path / "b.db"
    target.write_text("last week's notes", encoding="utf-8")
    target.chmod(0o644)
    refused(servant("backup", str(target)), 1, f"{target} exists; add --force to replace it (it was left as it was)")
    assert target.read_text(encoding="utf-8") == "last week's notes"
    assert not [name for name in listing(tmp_path) if name.endswith(".tmp")]
    assert ok(servant("backup", "--force", str(target))).startswith("Backed up 2 people to ")
    assert names(target) == ["Ada Lovelace", "Bob Ng"]
    assert mode(target) == 0o600


@pytest.mark.parametrize("force", [["--force"], []], ids=["force", "no-force"])
@pytest.mark.parametrize("target", ["servant.db", "link.db", "servant.db-wal", "servant.db-shm"])
def test_backup_never_writes_over_the_live_database(servant, people, db_path, tmp_path, target: str, force) -> None:
    (tmp_path / "link.db").symlink_to(db_path)
    before = db_path.read_bytes()
    shown = db_path if target == "link.db" else tmp_path / target  # a link is followed to its file
    refused(
        servant("backup", *force, str(tmp_path / target)),
        2,
        f"{shown} is the database itself; give another file name for the backup",
    )
    assert db_path.read_bytes() == before
    assert names(db_path) == ["Ada Lovelace", "Bob Ng"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda t: str(t), "{t} is a folder; give a file name in it, such as {t}/servant-backup.db"),
        (lambda t: str(t / "missing") + "/", "the folder {t}/missing/ does not exist; create it first"),
        (lambda t: str(t / "missing" / "b.db"), "the folder {t}/missing does not exist; create it first"),
        (lambda t: "", "FILE is empty; give the backup file's name"),
    ],
    ids=["folder", "missing-folder-slash", "missing-folder", "empty"],
)
def test_backup_to_a_folder_or_nowhere_is_refused_before_the_database_is_read(
    servant, people, db_path, tmp_path, make, message: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    before = dump(db_path)
    refused(servant("backup", make(folder)), 2, message.format(t=folder))
    assert listing(folder) == []
    assert dump(db_path) == before


def test_backup_without_a_database_says_so_and_creates_none(servant, tmp_path) -> None:
    default = tmp_path / "home" / ".local" / "share" / "servant" / "servant.db"
    refused(
        servant("backup", str(tmp_path / "b.db"), env={"SERVANT_DB": ""}),
        1,
        f"there is no database at {default} yet; nothing to back up",
    )
    assert not default.exists()
    missing = tmp_path / "typo.db"
    refused(servant("--db", str(missing), "backup", str(tmp_path / "b.db")), 1, f"there is no database at {missing}")
    assert not missing.exists()
    assert not (tmp_path / "b.db").exists()


def test_a_damaged_database_never_replaces_the_last_good_backup(servant, people, db_path, tmp_path) -> None:
    good = tmp_path / "nightly.db"
    ok(servant("backup", str(good)))
    kept = good.read_bytes()
    damage(db_path)
    result = servant("backup", "--force", str(good))
    refused(result, 1, f"the database {db_path} is damaged (SQLite integrity check: ")
    assert f"; {good} was left as it was" in result.stderr
    assert good.read_bytes() == kept
    assert not [name for name in listing(tmp_path) if name.endswith(".tmp")]


BUSY_NOTE = "Note: the backup is complete, but the database could not record it (database is locked).\n"


def test_backup_does_not_wait_for_nor_include_a_write_in_progress(servant, people, db_path, tmp_path) -> None:
    writer = sqlite3.connect(db_path)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE person SET name = 'half-way' WHERE id = 1")
    try:
        started = time.monotonic()
        # The copy is taken; the database, busy, is not told of it.
        ok(servant("backup", str(tmp_path / "b.db")), BUSY_NOTE)
        assert time.monotonic() - started < 5
    finally:
        writer.rollback()
        writer.close()
    assert names(tmp_path / "b.db") == ["Ada Lovelace", "Bob Ng"]


WRITER = """
import sys, time
from pathlib import Path
from servant_cli.store import NewOccasion, Store

db, started, stop = map(Path, sys.argv[1:4])
store = Store.open(db)
n = 0
while not stop.exists() and n < 100000:
    n += 1
    time.sleep(0.001)  # a busy writer, not one that never lets go of the lock
    # One person and their two dates: one transaction.
    store.add_person(f"Writer {n:05d}", occasions=[NewOccasion("birthday", 1, 1 + n % 28),
                                                   NewOccasion("client-since", 2, 1 + n % 28, 2020)])
    if n == 20:
        started.touch()
store.close()
print(n)
"""


def test_backup_taken_while_another_process_writes_is_one_consistent_moment(servant, people, db_path, tmp_path) -> None:
    started, stop = tmp_path / "started", tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(started), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not started.exists():
            assert writer.poll() is None, writer.communicate()
            assert time.monotonic() < deadline, "the writer never started"
            time.sleep(0.01)
        counts = []
        for number in range(6):
            copy = tmp_path / f"b{number}.db"
            result = servant("backup", str(copy))
            # The backup never waits for the writer; recording it in the database may
            # find the writer holding the lock for longer than it waits, and says so.
            assert result.exit_code == 0, result.stderr
            assert result.stdout.startswith("Backed up ")
            assert result.stderr in ("", BUSY_NOTE)
            conn = sqlite3.connect(copy)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                ids = [row[0] for row in conn.execute("SELECT id FROM person ORDER BY id")]
                # Every person is there with both their dates, or not at all.
                half = conn.execute(
                    "SELECT count(*) FROM person p WHERE (SELECT count(*) FROM occasion o WHERE o.person_id = p.id)"
                    " != (CASE WHEN p.name LIKE 'Writer %' THEN 2 ELSE p.id END)"
                ).fetchone()[0]
            finally:
                conn.close()
            assert half == 0
            assert ids == list(range(1, len(ids) + 1))
            counts.append(len(ids))
            time.sleep(0.02)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=30)
    assert (writer.returncode, err) == (0, "")
    written = int(out)
    assert counts == sorted(counts)
    assert len(set(counts)) > 1, f"the backups did not overlap the writes: {counts}"
    assert counts[0] >= 2 + 20
    assert counts[-1] < 2 + written
    assert len(names(db_path)) == 2 + written


# -- restore ---------------------------------------------------------------------------


def test_restore_puts_the_backup_back_and_keeps_the_current_database_aside(servant, people, db_path, tmp_path) -> None:
    copy = tmp_path / "b.db"
    ok(servant("backup", str(copy)))
    copy_bytes = copy.read_bytes()
    ok(servant("add", "Carl Later", "--birthday", "2001-01-01"))
    ok(servant("edit", "Ada", "--name", "Ada King"))
    current = dump(db_path)
    out = ok(servant("restore", "--yes", str(copy)))
    [kept] = [path for path in tmp_path.iterdir() if ".before-restore-" in path.name]
    assert out == (f"Restored 2 people from {copy} to {db_path}\n  The database it replaced is kept as {kept}\n")
    assert kept.name.startswith("servant.db.before-restore-")
    assert datetime.strptime(kept.name.removeprefix("servant.db.before-restore-"), "%Y%m%d-%H%M%S")
    assert mode(kept) == 0o600 and mode(db_path) == 0o600
    assert dump(kept) == current
    assert dump(db_path) == dump(copy)
    assert names(db_path) == ["Ada Lovelace", "Bob Ng"]
    # The backup was only read, and nothing was left beside it.
    assert copy.read_bytes() == copy_bytes
    assert not Path(f"{copy}-wal").exists() and not Path(f"{copy}-shm").exists()
    # What was kept aside opens too: the way back from the way back.
    assert "Carl Later" in ok(servant("--db", str(kept), "list"))


def test_restore_asks_first_and_no_changes_nothing(servant, people, db_path, tmp_path) -> None:
    copy = tmp_path / "b.db"
    ok(servant("backup", str(copy)))
    ok(servant("add", "Carl Later"))
    before = dump(db_path)
    result = servant("restore", str(copy), input="n\n")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"Replace {db_path} (3 people) with {copy} (2 people)? ")
    assert result.stderr == "Error: aborted, nothing was changed\n"
    assert dump(db_path) == before
    assert not [path for path in tmp_path.iterdir() if ".before-restore-" in path.name]
    answered = servant("restore", str(copy), input="y\n")
    assert answered.exit_code == 0
    assert "Restored 2 people" in answered.stdout


def test_restore_when_there_is_no_database_yet_creates_it_private(servant, people, tmp_path) -> None:
    copy = tmp_path / "b.db"
    ok(servant("backup", str(copy)))
    fresh = tmp_path / "new-machine" / "data" / "servant.db"
    out = ok(servant("--db", str(fresh), "restore", "-y", str(copy)))
    assert out == f"Restored 2 people from {copy} to {fresh}\n"
    assert mode(fresh) == 0o600 and mode(fresh.parent) == 0o700
    assert listing(fresh.parent) == ["servant.db"]
    assert ok(servant("--db", str(fresh), "list")).startswith("#1  Ada Lovelace  client\n#2  Bob Ng")


def test_restore_of_a_copy_that_others_could_read_is_private_again(servant, people, db_path, tmp_path) -> None:
    copy = tmp_path / "b.db"
    ok(servant("backup", str(copy)))
    copy.chmod(0o644)  # copied around with cp, say
    db_path.unlink()
    ok(servant("restore", "-y", str(copy)))
    assert mode(db_path) == 0o600
    assert mode(copy) == 0o644


def test_restore_of_an_older_schema_says_it_is_upgraded_on_next_open(servant, people, db_path, tmp_path) -> None:
    old = tmp_path / "v1.db"
    conn = sqlite3.connect(old)
    conn.executescript((DATA / "schema-v1.sql").read_text(encoding="utf-8"))
    conn.close()
    out = ok(servant("restore", "-y", str(old)))
    assert out.endswith(
        f"  It was written by an earlier servant (schema 1 of {len(KNOWN_MIGRATIONS)}); "
        "servant upgrades it the next time it opens it\n"
    )
    assert ok(servant("list")) == (
        "#1  Ada Lovelace  Analytical Engines  Client, vip\n#2  Bob Ng                            family\n"
    )
    conn = sqlite3.connect(db_path)
    steps = [name for (name,) in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    conn.close()
    assert tuple(steps) == KNOWN_MIGRATIONS


def _missing(path: Path) -> str:
    return f"{path} does not exist"


def _folder(path: Path) -> str:
    path.mkdir()
    return f"{path} is a folder; give the backup file in it"


def _text(path: Path) -> str:
    path.write_text("name,birthday\nAda,1815-12-10\n", encoding="utf-8")
    return f"{path} is not a servant database (not SQLite); nothing was changed"


def _empty(path: Path) -> str:
    path.touch()
    return f"{path} is not a servant database (not SQLite); nothing was changed"


def _other_sqlite(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    return f"{path} is a SQLite database but not servant's; nothing was changed"


def _other_app_migrations(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set, name, applied_at)")
    conn.execute("INSERT INTO _sqlite_migrations VALUES (1, 'llm', 'm001_initial', 'x')")
    conn.commit()
    conn.close()
    return f"{path} is a SQLite database but not servant's; nothing was changed"


def _newer(path: Path) -> str:
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('servant', 'm999_x', 'x')")
    conn.commit()
    conn.close()
    return (
        f"{path} was written by a newer version of servant (schema step 'm999_x'); "
        "upgrade servant to restore it. Nothing was changed"
    )


def _damaged(path: Path) -> str:
    store = Store.open(path)
    store.add_person("Zed")
    store.close()
    damage(path)
    return f"{path} is damaged (SQLite integrity check: "


def _broken_reference(path: Path) -> str:
    store = Store.open(path)
    store.conn.execute("PRAGMA foreign_keys = OFF")
    store.conn.execute(
        "INSERT INTO occasion (person_id, kind, month, day, md, created, updated)"
        " VALUES (99, 'birthday', 1, 1, 101, 'x', 'x')"
    )
    store.conn.commit()
    store.close()
    return f"{path} has a broken reference in table occasion; nothing was changed"


def _truncated(path: Path) -> str:
    store = Store.open(path)
    for number in range(50):
        store.add_person(f"Person {number}")
    store.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return f"{path} cannot be read as a servant database (database disk image is malformed); nothing was changed"


@pytest.mark.parametrize(
    "make",
    [
        _missing,
        _folder,
        _text,
        _empty,
        _other_sqlite,
        _other_app_migrations,
        _newer,
        _damaged,
        _broken_reference,
        _truncated,
    ],
)
def test_restore_refuses_what_is_not_a_usable_servant_database_and_changes_nothing(
    servant, people, db_path, tmp_path, make
) -> None:
    source = tmp_path / "offered" / "file.db"
    source.parent.mkdir()
    message = make(source)
    offered = listing(source.parent), source.read_bytes() if source.is_file() else None
    live = db_path.read_bytes(), listing(tmp_path)
    result = servant("restore", "--yes", str(source))
    refused(result, 2 if make is _folder else 1, message)
    assert (listing(source.parent), source.read_bytes() if source.is_file() else None) == offered
    assert (db_path.read_bytes(), listing(tmp_path)) == live


def test_restore_of_the_database_onto_itself_is_refused(servant, people, db_path) -> None:
    before = db_path.read_bytes()
    refused(servant("restore", "-y", str(db_path)), 2, f"{db_path} is the database itself; give a backup file")
    assert db_path.read_bytes() == before


def test_restore_onto_a_folder_is_refused(servant, people, tmp_path) -> None:
    copy = tmp_path / "b.db"
    ok(servant("backup", str(copy)))
    folder = tmp_path / "folder.db"
    folder.mkdir()
    refused(servant("--db", str(folder), "restore", "-y", str(copy)), 1, f"{folder} is a folder, not a database file")
    assert listing(folder) == []


def test_restore_reads_writes_still_in_the_source_wal(servant, people, tmp_path) -> None:
    # FILE may be another servant's database that a process still has open: its newest
    # writes are in FILE-wal, not yet in FILE.
    other = tmp_path / "other.db"
    holder = Store.open(other)
    holder.add_person("Only In The WAL")
    try:
        assert Path(f"{other}-wal").stat().st_size > 0
        ok(servant("restore", "-y", str(other)))
    finally:
        holder.close()
    assert ok(servant("list")) == "#1  Only In The WAL\n"


def test_restore_keeps_aside_what_was_still_in_the_live_wal(servant, people, db_path, tmp_path) -> None:
    copy = tmp_path / "b.db"
    ok(servant("backup", str(copy)))
    # A process that stopped without a checkpoint: its last write is only in servant.db-wal.
    holder = Store.open(db_path)
    holder.add_person("Last Write")
    holder.conn.execute("PRAGMA wal_autocheckpoint = 0")
    assert Path(f"{db_path}-wal").stat().st_size > 0
    try:
        ok(servant("restore", "-y", str(copy)))
        # The open connection sees the restored database, not a mix.
        assert [p.name for p in holder.people()] == ["Ada Lovelace", "Bob Ng"]
        assert holder.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        holder.close()
    [kept] = [path for path in tmp_path.iterdir() if ".before-restore-" in path.name]
    assert names(kept) == ["Ada Lovelace", "Bob Ng", "Last Write"]
    assert names(db_path) == ["Ada Lovelace", "Bob Ng"]
    assert pragma(db_path, "integrity_check") == "ok"


def test_restore_while_another_program_holds_a_write_lock_gives_up_and_changes_nothing(
    servant, people, db_path, tmp_path, monkeypatch
) -> None:
    copy = tmp_path / "b.db"
    ok(servant("backup", str(copy)))
    ok(servant("add", "Carl Later"))
    monkeypatch.setattr(backups, "BUSY_TIMEOUT_SECONDS", 0.2)
    holder = sqlite3.connect(db_path)
    holder.execute("BEGIN IMMEDIATE")  # an open sqlite3 shell, mid-write
    try:
        result = servant("restore", "-y", str(copy))
    finally:
        holder.rollback()
        holder.close()
    refused(result, 1, f"{db_path} is in use by another program (locked for over 0.2 s); nothing was changed")
    assert names(db_path) == ["Ada Lovelace", "Bob Ng", "Carl Later"]
    assert not [path for path in tmp_path.iterdir() if ".before-restore-" in path.name or path.name.endswith(".tmp")]


def test_restore_over_a_live_file_sqlite_cannot_read_keeps_it_and_its_side_files(servant, people, tmp_path) -> None:
    copy = tmp_path / "b.db"
    ok(servant("backup", str(copy)))
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    Path(f"{broken}-wal").write_bytes(b"stale frames")
    out = ok(servant("--db", str(broken), "restore", "-y", str(copy)))
    [kept] = [p for p in tmp_path.iterdir() if p.name.startswith("broken.db.before-restore-") and "-wal" not in p.name]
    assert out.endswith(f"kept as {kept}\n")
    assert kept.read_bytes() == b"SQLite format 3\x00" + b"\xff" * 200
    assert Path(f"{kept}-wal").read_bytes() == b"stale frames"
    assert mode(kept) == mode(Path(f"{kept}-wal")) == 0o600
    assert not Path(f"{broken}-wal").exists()
    assert names(broken) == ["Ada Lovelace", "Bob Ng"]


def test_two_restores_in_the_same_second_keep_both_old_databases(servant, people, db_path, tmp_path) -> None:
    copy = tmp_path / "b.db"
    ok(servant("backup", str(copy)))
    moment = datetime(2026, 11, 28, 9, 30, 5)
    ok(servant("add", "Carl"))
    first = backups.restore(copy, db_path, now=moment)
    ok(servant("add", "Dora"))
    second = backups.restore(copy, db_path, now=moment)
    assert first.kept == tmp_path / "servant.db.before-restore-20261128-093005"
    assert second.kept == tmp_path / "servant.db.before-restore-20261128-093005-2"
    assert names(first.kept) == ["Ada Lovelace", "Bob Ng", "Carl"]
    assert names(second.kept) == ["Ada Lovelace", "Bob Ng", "Dora"]


def test_check_restorable_reports_people_and_schema_steps(servant, people, tmp_path) -> None:
    copy = tmp_path / "b.db"
    ok(servant("backup", str(copy)))
    assert backups.check_restorable(copy) == backups.Checked(copy, 2, len(KNOWN_MIGRATIONS))
    with pytest.raises(DatabaseError, match="not SQLite"):
        backups.check_restorable(DATA / "schema-v1.sql")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_folder, "is a folder, not a database file"),
        (_text, "is not a servant database (not SQLite); it was left untouched"),
        (_other_sqlite, "is a SQLite database but not servant's; it was left untouched"),
        (_newer, "was written by a newer version of servant"),
    ],
    ids=["folder", "text", "other-sqlite", "newer"],
)
def test_backup_of_a_database_servant_cannot_use_writes_nothing_and_leaves_it_untouched(
    servant, tmp_path, make, message: str
) -> None:
    database = tmp_path / "other.db"
    make(database)
    before = listing(database) if database.is_dir() else database.read_bytes()
    target = tmp_path / "b.db"
    refused(servant("--db", str(database), "backup", str(target)), 1, f"{database} {message}")
    assert (listing(database) if database.is_dir() else database.read_bytes()) == before
    assert not target.exists()
    assert not [name for name in listing(tmp_path) if name.endswith(".tmp")]
