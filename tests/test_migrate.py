"""The schema: what migrating a blank database builds, and what opening refuses to touch."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from helpers import dump
from servant_cli.errors import DatabaseError
from servant_cli.store import KNOWN_MIGRATIONS, MIGRATION_SET, SCHEMA_VERSION, NewOccasion, Store
from servant_cli.store import migrations as _migrations

DATA = Path(__file__).parent / "data"
SCHEMA_V1 = DATA / "schema-v1.sql"

EXPECTED_COLUMNS = {
    "person": [
        "id",
        "name",
        "company",
        "email",
        "phone",
        "tags",
        "notes",
        "every_days",
        "source_uid",
        "created",
        "updated",
        "name_key",
        "sequence",
        "position",
        "connected_on",
        "nickname",
        "name_parts",
    ],
    "gesture": ["id", "person_id", "on_date", "kind", "what", "cost", "occasion_id", "for_date", "created"],
    "idea": ["id", "person_id", "text", "created", "used", "gesture_id"],
    "occasion": [
        "id",
        "person_id",
        "kind",
        "label",
        "month",
        "day",
        "year",
        "md",
        "yearly",
        "lead_days",
        "plan",
        "created",
        "updated",
        "sequence",
        "rule",
    ],
    "meta": ["key", "value"],
    "import_memory": ["person_id", "source", "fields"],
    "published": ["calendar", "uid", "href", "etag", "hash", "summary", "published"],
    "family": ["person_id", "relation", "other_id"],
    "relation_text": ["id", "person_id", "kind", "label", "name", "name_key"],
    "season": [
        "id",
        "name",
        "name_key",
        "month",
        "day",
        "rule",
        "tags",
        "plan",
        "lead_days",
        "created",
        "updated",
        "sequence",
        "shown",
    ],
    "season_done": ["gesture_id", "season_id", "for_date"],
    "person_tag": ["tag_key", "person_id"],
    "_sqlite_migrations": ["id", "migration_set", "name", "applied_at"],
}

# index name -> (table, unique, indexed columns in order)
EXPECTED_INDEXES = {
    "occasion_md": (
        "occasion",
        False,
        [
            "md",
            "person_id",
            "id",
            "kind",
            "month",
            "day",
            "year",
            "label",
            "yearly",
            "lead_days",
            "plan",
            "updated",
            "sequence",
            "rule",
        ],
    ),
    "occasion_person": ("occasion", False, ["person_id"]),
    "occasion_rule": ("occasion", False, ["rule"]),
    "occasion_unique": ("occasion", True, ["person_id", "kind", "label"]),
    "person_name_key": ("person", False, ["name_key"]),
    "person_source_uid": ("person", False, ["source_uid"]),
    "family_other": ("family", False, ["other_id", "relation"]),
    "relation_text_unique": ("relation_text", True, ["person_id", "kind", "name_key"]),
    "gesture_person": ("gesture", False, ["person_id", "on_date"]),
    "idea_person": ("idea", False, ["person_id"]),
    "season_name_key": ("season", True, ["name_key"]),
    "season_done_season": ("season_done", False, ["season_id", "for_date"]),
    "person_tag_person": ("person_tag", False, ["person_id"]),
    "occasion_lead_days": ("occasion", False, ["lead_days"]),
    "person_every_days": ("person", False, ["every_days"]),
}


def open_and_close(path: Path) -> None:
    Store.open(path).close()


def sql(path: Path, *statements: str) -> list[tuple]:
    """Run statements through plain sqlite3 (not servant's code); the last one's rows."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            rows: list[tuple] = []
            for statement in statements:
                rows = conn.execute(statement).fetchall()
        return rows
    finally:
        conn.close()


def schema(path: Path) -> set[tuple[str, str, str]]:
    """Every table and index as (type, name, SQL with whitespace collapsed)."""
    rows = sql(path, "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    return {(kind, name, " ".join(text.split())) for kind, name, text in rows}


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    """A file's bytes, its mtime and the folder's listing (no -wal/-journal left behind)."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def build_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(SCHEMA_V1.read_text(encoding="utf-8"))
    finally:
        conn.close()


# -- a blank database ------------------------------------------------------------


@pytest.mark.parametrize("table", sorted(EXPECTED_COLUMNS))
def test_blank_database_migrates_to_every_table_with_its_columns(db_path: Path, table: str) -> None:
    open_and_close(db_path)
    assert [row[1] for row in sql(db_path, f'PRAGMA table_info("{table}")')] == EXPECTED_COLUMNS[table]


def test_blank_database_has_no_tables_beyond_the_schema(db_path: Path) -> None:
    open_and_close(db_path)
    names = {name for kind, name, _ in schema(db_path) if kind == "table"}
    # sqlite_sequence is SQLite's own record of the highest id each AUTOINCREMENT table used.
    assert names == {*EXPECTED_COLUMNS, "sqlite_sequence"}


@pytest.mark.parametrize("index", sorted(EXPECTED_INDEXES))
def test_blank_database_has_the_indexes_queries_rely_on(db_path: Path, index: str) -> None:
    open_and_close(db_path)
    table, unique, indexed = EXPECTED_INDEXES[index]
    listed = {row[1]: bool(row[2]) for row in sql(db_path, f"PRAGMA index_list({table})")}
    assert listed.get(index) is unique
    assert [row[2] for row in sql(db_path, f"PRAGMA index_info({index})")] == indexed


def test_blank_database_meta_has_schema_version_and_a_random_db_id(db_path: Path) -> None:
    store = Store.open(db_path)
    assert store.meta("schema_version") == str(SCHEMA_VERSION) == "16"
    assert re.fullmatch(r"[0-9a-f]{16}", store.meta("db_id") or "")
    assert store.meta("no such key") is None
    store.close()


def test_two_blank_databases_get_different_db_ids(tmp_path: Path) -> None:
    first, second = Store.open(tmp_path / "a.db"), Store.open(tmp_path / "b.db")
    assert first.meta("db_id") != second.meta("db_id")
    first.close()
    second.close()


def test_blank_database_records_every_known_migration_in_order(db_path: Path) -> None:
    open_and_close(db_path)
    rows = sql(db_path, "SELECT migration_set, name FROM _sqlite_migrations ORDER BY rowid")
    assert rows == [(MIGRATION_SET, name) for name in KNOWN_MIGRATIONS]


def test_migration_steps_are_numbered_in_order_and_all_registered() -> None:
    # A blank database has every step pending, in the order they are numbered: a step
    # left out of the sqlite-utils set, or out of order, would fail here.
    steps = _migrations().pending(sqlite_utils.Database(memory=True))
    assert tuple(step.name for step in steps) == KNOWN_MIGRATIONS
    assert [name[:5] for name in KNOWN_MIGRATIONS] == [f"m{n:03d}_" for n in range(1, len(KNOWN_MIGRATIONS) + 1)]
    assert len(set(KNOWN_MIGRATIONS)) == len(KNOWN_MIGRATIONS)


def test_reopening_an_up_to_date_database_applies_nothing_and_keeps_db_id(db_path: Path) -> None:
    store = Store.open(db_path)
    db_id = store.meta("db_id")
    store.add_person("Ada")
    store.close()
    before = dump(db_path)
    open_and_close(db_path)
    store = Store.open(db_path)
    assert store.meta("db_id") == db_id
    store.close()
    assert dump(db_path) == before


# -- files servant must not touch ----------------------------------------------------


def test_database_from_a_newer_servant_is_refused_and_left_byte_for_byte(db_path: Path) -> None:
    store = Store.open(db_path)
    store.add_person("Ada")
    store.close()
    sql(
        db_path,
        f"INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        f" VALUES ('{MIGRATION_SET}', 'm999_from_the_future', '2030-01-01 00:00:00+00:00')",
    )
    before = snapshot(db_path)
    with pytest.raises(DatabaseError) as refused:
        Store.open(db_path)
    message = str(refused.value)
    assert "newer version" in message
    assert str(db_path) in message
    assert "m999_from_the_future" in message
    assert snapshot(db_path) == before


def test_newer_database_is_refused_even_when_it_lacks_a_step_this_version_has(db_path: Path) -> None:
    # A newer servant may have rewritten history differently; any unknown step means "too new".
    sql(
        db_path,
        "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set, name, applied_at)",
        f"INSERT INTO _sqlite_migrations VALUES (1, '{MIGRATION_SET}', 'm042_other', 'x')",
    )
    before = snapshot(db_path)
    with pytest.raises(DatabaseError, match="newer version"):
        Store.open(db_path)
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    "statements",
    [
        ["CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO notes VALUES (1, 'keep me')"],
        # Another sqlite-utils app's migrations table (llm has one): not servant's either.
        [
            "CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set, name, applied_at)",
            "INSERT INTO _sqlite_migrations VALUES (1, 'llm', 'm001_initial', 'x')",
            "CREATE TABLE logs (id INTEGER PRIMARY KEY)",
        ],
    ],
    ids=["plain-table", "other-app-migrations"],
)
def test_sqlite_file_of_another_program_is_refused_and_untouched(db_path: Path, statements: list[str]) -> None:
    sql(db_path, *statements)
    before = snapshot(db_path)
    with pytest.raises(DatabaseError, match="not servant's") as refused:
        Store.open(db_path)
    assert "untouched" in str(refused.value)
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    "content",
    [b"name,birthday\nAda,1815-12-10\n", b"\x89PNG\r\n\x1a\n" + bytes(64), b"x", b"SQLite format 2\x00" + bytes(100)],
    ids=["csv", "png", "one-byte", "almost-sqlite"],
)
def test_file_that_is_not_sqlite_is_refused_and_untouched(db_path: Path, content: bytes) -> None:
    db_path.write_bytes(content)
    before = snapshot(db_path)
    with pytest.raises(DatabaseError, match="not SQLite") as refused:
        Store.open(db_path)
    assert str(db_path) in str(refused.value)
    assert snapshot(db_path) == before


def test_folder_path_is_refused_and_nothing_is_created_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with pytest.raises(DatabaseError, match="is a folder"):
        Store.open(folder)
    assert list(folder.iterdir()) == []


def test_path_under_a_file_is_refused_with_a_database_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(DatabaseError, match="cannot open"):
        Store.open(tmp_path / "notes.txt" / "servant.db")
    assert (tmp_path / "notes.txt").read_text() == "mine"


# -- the v1 fixture: a database from this release, for future migrations to upgrade ------


def test_v1_fixture_is_a_servant_database_at_schema_v1() -> None:
    text = SCHEMA_V1.read_text(encoding="utf-8")
    assert "'m001_people_and_occasions'" in text
    assert "INSERT INTO meta VALUES('schema_version','1');" in text


def test_database_from_v1_fixture_opens_and_reads_its_people_back(db_path: Path) -> None:
    build_v1(db_path)
    store = Store.open(db_path)
    assert [(p.name, p.tags) for p in store.people()] == [
        ("Ada Lovelace", ("Client", "vip")),
        ("Bob Ng", ("family",)),
    ]
    ada = store.find_person("ada")
    assert (ada.company, ada.email) == ("Analytical Engines", "ada@example.com")
    bob = store.find_person("Bob Ng")
    assert (bob.notes, bob.every_days) == ("Likes jazz", 30)
    assert [(o.kind, o.label, o.month, o.day, o.year) for o in store.occasions_of(bob.id)] == [
        ("birthday", "", 2, 29, 1988),
        ("custom", "Name day", 6, 21, None),
    ]
    assert store.meta("db_id") == "16996d5d1692d893"
    store.close()


def test_database_from_v1_fixture_ends_with_the_schema_a_blank_database_gets(tmp_path: Path) -> None:
    # m002 rebuilds person and occasion: v1 must end with the schema a new user gets.
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    build_v1(old)
    open_and_close(old)
    open_and_close(new)
    assert schema(old) == schema(new)
    names = sql(old, "SELECT name FROM _sqlite_migrations ORDER BY rowid")
    assert tuple(name for (name,) in names) == KNOWN_MIGRATIONS


def test_database_from_v1_fixture_stays_usable(db_path: Path) -> None:
    build_v1(db_path)
    store = Store.open(db_path)
    # A dump rebuilds the file in rollback-journal mode; servant puts it back in WAL.
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    ada = store.find_person("Ada Lovelace")
    stored, previous = store.set_occasion(ada.id, NewOccasion("birthday", 12, 11, 1815))
    assert previous is not None
    assert (stored.id, stored.day, stored.sequence, stored.lead_days, stored.plan) == (previous.id, 11, 1, 14, "card")
    carl = store.add_person("Carl", tags=["client"])
    assert [p.name for p in store.people(tags=["CLIENT"])] == ["Ada Lovelace", "Carl"]
    store.remove_person(store.find_person("Bob").id)
    assert store.conn.execute("SELECT count(*) FROM occasion WHERE person_id = 2").fetchone()[0] == 0
    store.close()
    store = Store.open(db_path)
    assert [p.name for p in store.people()] == ["Ada Lovelace", "Carl"]
    assert store.get_person(carl.id) == carl
    store.close()


def _ids_after_removing_the_newest(store: Store) -> tuple[int, int, int, int]:
    """Remove the newest person and add another: (old person id, new, old occasion id, new)."""
    newest = max(store.people(), key=lambda person: person.id)
    old_occasion = max(o.id for o in store.occasions_of(newest.id))
    store.remove_person(newest.id)
    added = store.add_person("Newcomer", occasions=[NewOccasion("birthday", 1, 2, 1990)])
    return newest.id, added.id, old_occasion, store.occasions_of(added.id)[0].id


def test_ids_of_removed_people_and_dates_are_never_handed_out_again(db_path: Path) -> None:
    # A new date must not take a removed one's id: the id is part of its calendar UID.
    store = Store.open(db_path)
    store.add_person("Ada", occasions=[NewOccasion("birthday", 12, 10, 1815)])
    store.add_person("Bob", occasions=[NewOccasion("birthday", 3, 4, 1980), NewOccasion("client-since", 5, 6, 2019)])
    old_person, new_person, old_occasion, new_occasion = _ids_after_removing_the_newest(store)
    assert (new_person, new_occasion) == (old_person + 1, old_occasion + 1)
    ada = store.find_person("Ada")
    dropped = store.occasions_of(ada.id)[0].id
    store.update_person(ada.id, drop=[dropped])
    again, _ = store.set_occasion(ada.id, NewOccasion("birthday", 12, 10, 1815))
    assert again.id > new_occasion
    store.close()


def test_v1_database_upgrades_keeping_every_row_and_id_and_stops_reusing_ids(db_path: Path) -> None:
    build_v1(db_path)
    before = sql(db_path, "SELECT id, person_id, kind, label, month, day, year, lead_days, plan FROM occasion")
    people_before = sql(db_path, "SELECT id, name, tags FROM person ORDER BY id")
    store = Store.open(db_path)
    assert store.meta("schema_version") == str(SCHEMA_VERSION)
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    after = store.conn.execute(
        "SELECT id, person_id, kind, label, month, day, year, lead_days, plan FROM occasion"
    ).fetchall()
    assert sorted(after) == sorted(before)
    assert store.conn.execute("SELECT id, name, tags FROM person ORDER BY id").fetchall() == people_before
    old_person, new_person, old_occasion, new_occasion = _ids_after_removing_the_newest(store)
    assert new_person > old_person
    assert new_occasion > old_occasion
    store.close()


def test_v1_database_gains_the_covering_index_and_name_keys(db_path: Path) -> None:
    build_v1(db_path)
    # The released v1 indexed the month-day key alone.
    assert [row[2] for row in sql(db_path, "PRAGMA index_info(occasion_md)")] == ["md"]
    store = Store.open(db_path)
    assert [row[2] for row in store.conn.execute("PRAGMA index_info(occasion_md)")] == EXPECTED_INDEXES["occasion_md"][
        2
    ]
    assert store.conn.execute("SELECT name, name_key FROM person ORDER BY id").fetchall() == [
        ("Ada Lovelace", "ada lovelace"),
        ("Bob Ng", "bob ng"),
    ]
    assert store.find_person("BOB").name == "Bob Ng"
    store.close()


def test_m002_refuses_to_run_with_foreign_keys_on_rather_than_lose_every_date(db_path: Path) -> None:
    # Dropping person with foreign keys on would cascade through every occasion.
    build_v1(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.DatabaseError, match="m002 must run with foreign keys off"):
        _migrations().apply(sqlite_utils.Database(conn))
    assert conn.execute("SELECT count(*) FROM occasion").fetchone()[0] == 4
    conn.close()


def test_a_database_with_a_broken_reference_is_not_upgraded_and_left_untouched(db_path: Path) -> None:
    build_v1(db_path)
    sql(db_path, "PRAGMA foreign_keys = OFF", "DELETE FROM person WHERE name = 'Bob Ng'")
    before = snapshot(db_path)
    with pytest.raises(DatabaseError, match="has a broken reference in table occasion, so it was not upgraded"):
        Store.open(db_path)
    assert snapshot(db_path) == before


def test_editing_a_person_raises_their_sequence_and_only_a_real_change_does(db_path: Path) -> None:
    # An exported event shows the person's name and tags: the calendar needs a higher
    # SEQUENCE to take a rename, so the person keeps a count of their own changes.
    store = Store.open(db_path)
    ada = store.add_person("Ada", occasions=[NewOccasion("birthday", 12, 10, 1815)])
    assert ada.sequence == 0
    renamed = store.update_person(ada.id, name="Ada Lovelace")
    assert (renamed.sequence, renamed.name) == (1, "Ada Lovelace")
    tagged = store.update_person(ada.id, tags=["vip"])
    assert tagged.sequence == 2
    assert store.update_person(ada.id).sequence == 2
    store.close()
