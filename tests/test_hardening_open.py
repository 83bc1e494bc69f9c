"""Opening a database, and what restore and backup may write over.

- Every command, ``restore`` included, refuses a file that is not servant's (another
  program's SQLite file, a newer servant's, a schema holding anything servant's steps did
  not create) with the same words, and leaves it byte for byte as it was.
- ``export -o`` never writes over the database's ``-wal``, ``-shm`` or ``-journal``.
- A backup or restore killed part-way leaves temporary files; the next one removes them,
  and nothing else.
- A database in a read-only folder, or on a full disk, is still read.

A read-only folder and a full disk are made for real, not imitated: the tests run as root,
who may write into any folder whatever its mode, so ``servant`` runs in a mount namespace
of its own (``unshare --user --map-root-user --mount``, allowed here to any user) where
the test's folder is bind-mounted read-only, or a 400 KB tmpfs is mounted and filled.
The mounts vanish with the process; nothing outside tmp_path is touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import dump, ok
from servant_cli.store import Store
from servant_cli.store import schema as schemas

TRIGGER = "CREATE TRIGGER wipe AFTER INSERT ON gesture BEGIN DELETE FROM person; END"


def refused(result, code: int, message: str) -> None:
    """One ``Error:`` line, exactly ``message``, the exit code, no traceback."""
    assert result.exit_code == code, result.stdout + result.stderr
    assert result.stderr == f"Error: {message}\n"
    assert "Traceback" not in result.stdout


def execute(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def files(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` and its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.fixture
def people(database_from) -> Path:
    return database_from(
        ("add", "Ada Lovelace", "--birthday", "1815-12-10", "--tag", "client"),
        ("add", "Bob Ng", "--birthday", "Feb 29"),
    )


@pytest.fixture
def backup_file(servant, people, tmp_path) -> Path:
    copy = tmp_path / "backups" / "demo.db"
    copy.parent.mkdir()
    ok(servant("backup", "-q", str(copy)))
    return copy


# -- what every command refuses, restore included --------------------------------------


def _other_program(path: Path) -> str:
    execute(
        path, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)", "INSERT INTO moz_places VALUES (1, 'x')"
    )
    return f"{path} is a SQLite database but not servant's; it was left untouched"


def _newer(path: Path) -> str:
    Store.open(path).close()
    execute(path, "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('servant', 'm010_x', 'x')")
    return (
        f"{path} was written by a newer version of servant (schema step 'm010_x'); "
        "upgrade servant to use it. The file was left untouched"
    )


def _unknown_step(path: Path) -> str:
    Store.open(path).close()
    execute(path, "UPDATE _sqlite_migrations SET name = 'm007_someones_own' WHERE name = 'm007_nickname'")
    return (
        f"{path} was written by a newer version of servant (schema step 'm007_someones_own'); "
        "upgrade servant to use it. The file was left untouched"
    )


def _trigger(path: Path) -> str:
    Store.open(path).close()
    execute(path, TRIGGER)
    return f"{path} holds a trigger 'wipe' that servant did not create; it was left untouched"


def _not_sqlite(path: Path) -> str:
    path.write_text("name,birthday\nAda,1815-12-10\n", encoding="utf-8")
    return f"{path} is not a servant database (not SQLite); it was left untouched"


def _named_pipe(path: Path) -> str:
    os.mkfifo(path)  # read, it would wait for a writer for ever
    return f"{path} is not a regular file (a pipe or a device); give a database file"


TARGETS = [_other_program, _newer, _unknown_step, _trigger, _not_sqlite, _named_pipe]


@pytest.mark.parametrize("make", TARGETS, ids=lambda make: make.__name__.strip("_"))
def test_restore_refuses_a_target_every_command_refuses_and_leaves_it_byte_identical(
    servant, backup_file, tmp_path, make
) -> None:
    target = tmp_path / "other" / "places.sqlite"
    target.parent.mkdir()
    message = make(target)
    before = files(target.parent)
    # The same words as any other command.
    refused(servant("--db", str(target), "list"), 1, message)
    refused(servant("--db", str(target), "restore", str(backup_file)), 1, message)  # not even asked
    refused(servant("--db", str(target), "restore", "--yes", str(backup_file)), 1, message)
    assert files(target.parent) == before


# -- a backup whose schema is not servant's -------------------------------------------


def test_a_backup_with_a_trigger_is_refused_and_the_address_book_survives(
    servant, backup_file, db_path, tmp_path
) -> None:
    execute(backup_file, TRIGGER)
    offered = backup_file.read_bytes()
    before = dump(db_path)
    refused(
        servant("restore", "--yes", str(backup_file)),
        1,
        f"{backup_file} holds a trigger 'wipe' that servant did not create; nothing was changed",
    )
    assert backup_file.read_bytes() == offered
    assert dump(db_path) == before
    assert not [name for name in os.listdir(tmp_path) if "before-restore" in name or name.endswith(".tmp")]
    ok(servant("log", "Ada", "call", "--on", "2026-11-20"))
    assert ok(servant("list")) == "#1  Ada Lovelace  client\n#2  Bob Ng\n"


BAD_VALUES = {
    "a day no month has": ("UPDATE occasion SET month = 2, day = 31 WHERE id = 1", "occasion #1's day is '2-31'"),
    "29 February of a plain year": (
        "UPDATE occasion SET year = 2001 WHERE id = 2",
        "occasion #2's day is '2-29'",
    ),
    "a year that is text": ("UPDATE occasion SET year = 'abc' WHERE id = 1", "occasion #1's year is 'abc'"),
    "a lead of years": (
        "UPDATE occasion SET lead_days = 99999999999 WHERE id = 1",
        "occasion #1's lead_days is 99999999999",
    ),
    "a name of bytes": ("UPDATE person SET name = X'4164' WHERE id = 1", "person #1's name is bytes"),
    "keep-in-touch as text": ("UPDATE person SET every_days = 'x' WHERE id = 1", "person #1's every_days is 'x'"),
    "tags not a list": ("UPDATE person SET tags = '{{{' WHERE id = 1", "person #1's tags is '{{{'"),
    "a gesture's day": (
        "INSERT INTO gesture (person_id, on_date, kind, created) VALUES (1, 'garbage', 'call', '2026')",
        "gesture #1's on_date is 'garbage'",
    ),
}


@pytest.mark.parametrize("change", BAD_VALUES, ids=list(BAD_VALUES))
def test_a_backup_holding_a_value_servant_cannot_read_is_refused(servant, backup_file, db_path, change) -> None:
    statement, problem = BAD_VALUES[change]
    execute(backup_file, statement)
    before = dump(db_path)
    refused(
        servant("restore", "--yes", str(backup_file)),
        1,
        f"{backup_file} holds a value servant cannot read: {problem}; nothing was changed",
    )
    assert dump(db_path) == before


SCHEMA_CHANGES = {
    "trigger": (TRIGGER, "holds a trigger 'wipe' that servant did not create"),
    "view": ("CREATE VIEW everyone AS SELECT * FROM person", "holds a view 'everyone' that servant did not create"),
    "table": ("CREATE TABLE notes (body TEXT)", "holds a table 'notes' that servant did not create"),
    "index": (
        "CREATE INDEX person_email ON person(email)",
        "holds an index 'person_email' that servant did not create",
    ),
    "column": ("ALTER TABLE gesture ADD COLUMN secret TEXT", "has the table 'gesture' changed from what servant made"),
    "missing index": ("DROP INDEX occasion_md", "lacks the index 'occasion_md' that servant made"),
    "check taken out": (
        (
            "PRAGMA writable_schema = ON",
            "UPDATE sqlite_master SET sql = replace(sql, 'CHECK (month BETWEEN 1 AND 12)', '') WHERE name = 'occasion'",
        ),
        "has the table 'occasion' changed from what servant made",
    ),
    "another program's migrations": (
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('othertool', 'm001_x', '2026')",
        "records a change 'm001_x' of 'othertool' that servant did not make",
    ),
}


@pytest.mark.parametrize("change", SCHEMA_CHANGES, ids=list(SCHEMA_CHANGES))
def test_every_command_refuses_a_schema_servant_did_not_make(servant, people, db_path, tmp_path, change) -> None:
    statement, problem = SCHEMA_CHANGES[change]
    execute(db_path, *([statement] if isinstance(statement, str) else statement))
    before = files(tmp_path)
    for command in (("upcoming",), ("list",), ("log", "Ada", "call"), ("backup", str(tmp_path / "b.db"))):
        refused(servant(*command), 1, f"{db_path} {problem}; it was left untouched")
    copy = tmp_path / "elsewhere.db"
    shutil.copyfile(db_path, copy)
    refused(servant("restore", "-y", str(copy)), 1, f"{copy} {problem}; nothing was changed")
    copy.unlink()
    assert files(tmp_path) == before


def test_a_schema_worded_apart_is_the_same_schema_but_a_trigger_is_not(servant, people, db_path) -> None:
    # A dump read back with other spacing and quoting (or an older SQLite's wording of
    # ALTER TABLE) is still the schema servant made; what was added to it is named.
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(replace(sql, ' ', '  '), 'idea', '\"idea\"') WHERE name = 'idea'"
    )
    conn.commit()
    conn.close()
    execute(db_path, TRIGGER)
    refused(servant("list"), 1, f"{db_path} holds a trigger 'wipe' that servant did not create; it was left untouched")
    execute(db_path, "DROP TRIGGER wipe")
    assert ok(servant("list")) == "#1  Ada Lovelace  client\n#2  Bob Ng\n"


def test_an_older_database_with_a_trigger_is_refused_before_it_is_upgraded(servant, db_path) -> None:
    fixture = Path(__file__).parent / "data" / "schema-v8.sql"
    conn = sqlite3.connect(db_path)
    conn.executescript(fixture.read_text(encoding="utf-8"))
    conn.close()
    execute(db_path, TRIGGER)
    before = db_path.read_bytes()
    refused(servant("list"), 1, f"{db_path} holds a trigger 'wipe' that servant did not create; it was left untouched")
    assert db_path.read_bytes() == before
    execute(db_path, "DROP TRIGGER wipe")
    ok(servant("list"))  # and upgraded to this version's schema on the way
    conn = sqlite3.connect(db_path)
    steps = [name for (name,) in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    conn.close()
    assert steps == list(schemas.KNOWN_MIGRATIONS)


def test_the_stored_schema_is_what_the_steps_build() -> None:
    built = sorted(schemas.schema_objects(schemas._built(schemas.SCHEMA_VERSION)))
    assert built == list(schemas.CURRENT_SCHEMA), "store/schema.py CURRENT_SCHEMA must be:\n" + "".join(
        f"    {row!r},\n" for row in built
    )


# -- export over the database's own files ----------------------------------------------


@pytest.mark.parametrize("side", ["-wal", "-shm", "-journal"])
def test_export_never_writes_over_the_databases_side_files(servant, people, db_path, side) -> None:
    before = dump(db_path)
    target = Path(f"{db_path}{side}")
    refused(
        servant("export", "csv", "-o", str(target)),
        2,
        f"--output: {target} is the database itself; choose another file name",
    )
    refused(
        servant("backup", "--force", str(target)),
        2,
        f"{target} is the database itself; give another file name for the backup",
    )
    # (In this process the refused command's connection may still hold a -wal and -shm.)
    assert not target.exists() or b"name,birthday" not in target.read_bytes()
    assert dump(db_path) == before
    assert ok(servant("list")) == "#1  Ada Lovelace  client\n#2  Bob Ng\n"


# -- what a killed backup or restore left ----------------------------------------------

KILLED = """
import os, signal, sqlite3, sys
from pathlib import Path
from servant_cli.store import backup

target, source = Path(sys.argv[1]), sys.argv[2]
with backup._temporary_beside(target) as temporary:
    conn = sqlite3.connect(temporary)
    sqlite3.connect(source).backup(conn)
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("CREATE TABLE half_done (x)")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def killed_part_way(target: Path, source: Path) -> list[str]:
    """Run a process that starts writing a temporary copy for ``target`` as backup and
    restore do, and is killed with SIGKILL part-way; the files it left."""
    before = set(os.listdir(target.parent))
    done = subprocess.run([sys.executable, "-c", KILLED, str(target), str(source)], capture_output=True, timeout=30)
    assert done.returncode == -signal.SIGKILL, done.stderr
    left = sorted(set(os.listdir(target.parent)) - before)
    assert len(left) == 3 and all(name.startswith(f".{target.name}.") for name in left), left
    return left


def someone_elses(folder: Path, name: str) -> list[str]:
    """Files that look alike but servant did not leave for ``name``: each must survive."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    made = {
        f".{name}.1234.tmp": b"SQLite format 3\x00 a user's",  # no servant- mark
        f".{name}.servant-notes.tmp": b"notes",
        f".{name}.servant-{pid}-mine.tmp": b"not SQLite: a user's file",
        f".other.db.servant-{pid}-abcd1234.tmp": b"",  # another target's
        f".{name}.servant-1-abcd1234.tmp": b"",  # process 1 still runs
        f"{name}.servant-{pid}-abcd1234.tmp": b"",  # not hidden
        f".{name}.servant-{pid}-note.tmp.raw": b"a user's text",  # a raw twin that is not SQLite
        f".{name}.servant-{pid}-note.tmp-wal": b"a user's text",  # a -wal beside no copy
    }
    for file, data in made.items():
        (folder / file).write_bytes(data)
    return sorted(made)


def test_backup_removes_what_a_killed_backup_left_and_nothing_else(servant, people, db_path, tmp_path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    target = folder / "nightly.db"
    killed_part_way(target, db_path)
    kept = someone_elses(folder, target.name)
    ok(servant("backup", "-q", str(target)))
    assert sorted(os.listdir(folder)) == sorted([*kept, "nightly.db"])


def test_restore_removes_what_a_killed_restore_left_and_nothing_else(servant, people, db_path, tmp_path) -> None:
    copy = tmp_path / "b.db"
    ok(servant("backup", "-q", str(copy)))
    left = killed_part_way(db_path, copy)
    kept = someone_elses(tmp_path, db_path.name)
    ok(servant("restore", "-y", str(copy)))
    names = os.listdir(tmp_path)
    assert not set(left) & set(names)
    assert set(kept) <= set(names)
    assert ok(servant("list")) == "#1  Ada Lovelace  client\n#2  Bob Ng\n"


# -- a read-only folder, a full disk ------------------------------------------------


def servant_in(mount: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run servant in a mount namespace of its own after the shell commands ``mount``."""
    command = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-ec", f'{mount}\nexec "$@"', "sh"]
    return subprocess.run(
        [*command, sys.executable, "-m", "servant_cli", *args], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def read_only(people, db_path, tmp_path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "readonly"
    folder.mkdir()
    database = folder / "servant.db"
    db_path.rename(database)
    env = {**os.environ, "SERVANT_DB": str(database)}
    return database, env


def ro(folder: Path) -> str:
    return f"mount --bind '{folder}' '{folder}'\nmount -o remount,bind,ro '{folder}'"


def test_reading_commands_work_in_a_read_only_folder(read_only, tmp_path) -> None:
    database, env = read_only
    before = files(database.parent)
    mount = ro(database.parent)
    shown = servant_in(mount, env, "upcoming", "--from", "2026-11-22", "--days", "30")
    assert (shown.returncode, shown.stderr) == (0, "")
    assert shown.stdout == "in 18 days  Thu 10 Dec 2026  Ada Lovelace  Birthday — turns 211\n"
    listed = servant_in(mount, env, "list")
    assert (listed.returncode, listed.stdout, listed.stderr) == (0, "#1  Ada Lovelace  client\n#2  Bob Ng\n", "")
    profile = servant_in(mount, env, "show", "Bob", "--from", "2026-11-22")
    assert (profile.returncode, profile.stderr) == (0, "") and profile.stdout.startswith("Bob Ng (#2)\n")
    exported = servant_in(mount, env, "export", "csv", "-o", str(tmp_path / "people.csv"))
    assert (exported.returncode, exported.stderr) == (0, "")
    assert (tmp_path / "people.csv").read_text(encoding="utf-8").startswith("name,birthday,")
    # The first calendar export records the settings it was made with: not here, and
    # not needed to write the calendar.
    calendar = servant_in(mount, env, "export", "ics", "-o", str(tmp_path / "dates.ics"))
    assert (calendar.returncode, calendar.stdout, calendar.stderr) == (
        0,
        f"Wrote 2 events for 2 people to {tmp_path / 'dates.ics'}\n",
        "",
    )
    found = servant_in(mount, env, "find", "Ada")
    assert (found.returncode, found.stdout, found.stderr) == (0, "#1  Ada Lovelace  name\n", "")
    copy = tmp_path / "b.db"
    backed = servant_in(mount, env, "backup", str(copy))
    assert backed.returncode == 0
    assert backed.stdout.startswith(f"Backed up 2 people to {copy} (")
    assert backed.stderr == (
        f"Note: the backup is complete, but the database could not record it (the folder {database.parent} "
        "is read-only).\n"
    )
    assert files(database.parent) == before


def test_writing_commands_in_a_read_only_folder_say_so(read_only, tmp_path) -> None:
    database, env = read_only
    before = files(database.parent)
    mount = ro(database.parent)
    cannot = f"Error: the folder {database.parent} is read-only: servant can read {database} but not change it\n"
    for args in (
        ("add", "Carl"),
        ("log", "Ada", "call"),
        ("rm", "Bob", "--yes"),
        ("date", "Bob", "anniversary", "Jun 1"),
    ):
        done = servant_in(mount, env, *args)
        assert (done.returncode, done.stdout, done.stderr) == (1, "", cannot), args
    copy = tmp_path / "b.db"
    shutil.copyfile(database, copy)
    restored = servant_in(mount, env, "restore", "-y", str(copy))
    assert (restored.returncode, restored.stdout) == (1, "")
    assert restored.stderr == (
        f"Error: the folder {database.parent} is read-only (Read-only file system); nothing was changed\n"
    )
    assert files(database.parent) == before


def test_a_full_disk_still_lets_servant_read_and_says_why_it_cannot_write(people, db_path, tmp_path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    database = disk / "servant.db"
    env = {**os.environ, "SERVANT_DB": str(database)}
    # A disk filled up after the database was written there, with no -shm yet: SQLite
    # cannot make one, and a plain read fails with "disk I/O error".
    mount = (
        f"mount -t tmpfs -o size=400k tmpfs '{disk}'\ncp '{db_path}' '{database}'\n"
        f"dd if=/dev/zero of='{disk}/filler' bs=4k 2>/dev/null || true"
    )
    shown = servant_in(mount, env, "upcoming", "--from", "2026-11-22", "--days", "30")
    assert (shown.returncode, shown.stderr) == (0, "")
    assert shown.stdout == "in 18 days  Thu 10 Dec 2026  Ada Lovelace  Birthday — turns 211\n"
    added = servant_in(mount, env, "add", "Carl")
    assert (added.returncode, added.stdout) == (1, "")
    assert added.stderr == f"Error: the disk holding {disk} is full: servant can read {database} but not change it\n"
