"""Every earlier schema version, kept as a fixture database, upgrades to the current one.

``tests/data/schema-vN.sql`` is a servant database at schema N: the first N migration
steps applied to a blank database, a few people and dates written as that version
wrote them, dumped with ``iterdump()``. When a migration step is appended, the schema
before it needs its fixture (the first test says so), so every version a user may
still have stays covered.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from servant_cli.errors import DatabaseError
from servant_cli.store import KNOWN_MIGRATIONS, MIGRATION_SET, Store, name_key
from servant_cli.store import migrations as _migrations

DATA = Path(__file__).parent / "data"


def fixture(version: int) -> Path:
    return DATA / f"schema-v{version}.sql"


#: Every earlier schema version must have its fixture; the current one may have one too.
EARLIER = range(1, len(KNOWN_MIGRATIONS))
VERSIONS = [version for version in range(1, len(KNOWN_MIGRATIONS) + 1) if fixture(version).exists()]


def build(version: int, path: Path) -> Path:
    conn = sqlite3.connect(path)
    try:
        conn.executescript(fixture(version).read_text(encoding="utf-8"))
    finally:
        conn.close()
    return path


def migrated_blank(steps: int, path: Path) -> Path:
    """A blank database with the first ``steps`` migration steps of this version applied."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")  # as Store runs them (m002 rebuilds tables)
    stop = KNOWN_MIGRATIONS[steps] if steps < len(KNOWN_MIGRATIONS) else None
    _migrations().apply(sqlite_utils.Database(conn), stop_before=stop)
    conn.commit()
    conn.close()
    return path


def query(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def schema(path: Path) -> set[tuple[str, str, str]]:
    """Every table and index as (type, name, SQL with whitespace collapsed and quotes dropped)."""
    rows = query(path, "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    return {(kind, name, " ".join(text.replace('"', "").split())) for kind, name, text in rows}


def rows_by_id(path: Path, table: str) -> dict[int, dict[str, object]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return {row["id"]: dict(row) for row in conn.execute(f"SELECT * FROM {table}")}
    finally:
        conn.close()


def snapshot(path: Path) -> tuple[bytes, list[str]]:
    return path.read_bytes(), sorted(os.listdir(path.parent))


def test_there_is_a_fixture_for_every_earlier_schema_version() -> None:
    missing = [version for version in EARLIER if not fixture(version).exists()]
    assert not missing, f"add tests/data/schema-v{missing[0]}.sql, the schema before the newest migration step"


@pytest.mark.parametrize("version", VERSIONS)
def test_fixture_has_the_schema_its_migration_steps_build(tmp_path: Path, version: int) -> None:
    # Also guards "appended, never edited": editing an applied step changes what it builds.
    built = build(version, tmp_path / "fixture.db")
    blank = migrated_blank(version, tmp_path / "blank.db")
    assert schema(built) == schema(blank)
    steps = "SELECT migration_set, name FROM _sqlite_migrations ORDER BY rowid"
    assert query(built, steps) == query(blank, steps) == [(MIGRATION_SET, n) for n in KNOWN_MIGRATIONS[:version]]


@pytest.mark.parametrize("version", VERSIONS)
def test_upgrade_keeps_every_row_and_id_and_fills_the_new_columns(tmp_path: Path, version: int) -> None:
    path = build(version, tmp_path / "old.db")
    people, dates = rows_by_id(path, "person"), rows_by_id(path, "occasion")
    db_id = query(path, "SELECT value FROM meta WHERE key = 'db_id'")
    family = query(path, "SELECT person_id, relation, other_id FROM family") if version >= 10 else []
    assert people and dates

    store = Store.open(path)
    assert store.meta("schema_version") == str(len(KNOWN_MIGRATIONS))
    highest = max(people)
    added = store.add_person("Newcomer")
    store.close()

    after_people, after_dates = rows_by_id(path, "person"), rows_by_id(path, "occasion")
    assert after_people.pop(added.id)["name"] == "Newcomer"
    assert added.id > highest, "an id is never handed out twice"
    assert set(after_people) == set(people)
    assert set(after_dates) == set(dates)
    # Up to schema 9 a family link was two columns of person; from 10 on it is a row of family.
    links = {(i, row["relation"], row["related_id"]) for i, row in people.items() if row.get("related_id")}
    spouse_first = [(min(i, o), r, max(i, o)) if r == "spouse" else (i, r, o) for i, r, o in links]
    assert set(query(path, "SELECT person_id, relation, other_id FROM family")) == {*spouse_first, *family}
    for person_id, before in people.items():
        after = after_people[person_id]
        before = {key: value for key, value in before.items() if key not in ("related_id", "relation")}
        assert {key: after[key] for key in before} == before
        assert after["name_key"] == name_key(before["name"])
        assert after["sequence"] == before.get("sequence", 0)
        assert (after["position"], after["connected_on"]) == (before.get("position"), before.get("connected_on"))
    for occasion_id, before in dates.items():
        after = after_dates[occasion_id]
        # A date stored before rules (m012) is on a fixed day; a rule stays the rule.
        assert after.pop("rule", None) == before.pop("rule", None)
        assert after == before
    assert query(path, "SELECT value FROM meta WHERE key = 'db_id'") == db_id
    assert query(path, "PRAGMA integrity_check") == [("ok",)]
    assert query(path, "PRAGMA foreign_key_check") == []


@pytest.mark.parametrize("version", VERSIONS)
def test_upgraded_fixture_ends_with_the_schema_a_new_database_gets(tmp_path: Path, version: int) -> None:
    old = build(version, tmp_path / "old.db")
    Store.open(old).close()
    assert query(old, "PRAGMA foreign_key_check") == []
    new = tmp_path / "new.db"
    Store.open(new).close()
    assert schema(old) == schema(new)
    steps = query(old, "SELECT name FROM _sqlite_migrations ORDER BY rowid")
    assert tuple(name for (name,) in steps) == KNOWN_MIGRATIONS


@pytest.mark.parametrize("version", VERSIONS)
def test_upgraded_fixture_is_read_back_whole_through_the_cli(servant, tmp_path: Path, version: int) -> None:
    path = build(version, tmp_path / "old.db")
    expected = [(person_id, row["name"]) for person_id, row in sorted(rows_by_id(path, "person").items())]
    result = servant("--db", str(path), "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert sorted((p["id"], p["name"]) for p in json.loads(result.stdout)) == expected
    # Names are found in any case and alphabet once name_key exists (m003), however old the file.
    last_id, last_name = expected[-1]
    shown = servant("--db", str(path), "show", last_name.upper().replace("SS", "ß"), "--json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout)["id"] == last_id


@pytest.mark.parametrize("version", VERSIONS)
def test_fixture_marked_by_a_newer_servant_is_refused_and_left_byte_for_byte(
    servant, tmp_path: Path, version: int
) -> None:
    path = build(version, tmp_path / "newer.db")
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        (MIGRATION_SET, "m999_from_the_future", "2031-01-01 00:00:00+00:00"),
    )
    conn.commit()
    conn.close()
    before = snapshot(path)
    with pytest.raises(DatabaseError, match="newer version of servant"):
        Store.open(path)
    for args in (["list"], ["add", "Someone"], ["upcoming", "--from", "2026-11-28"]):
        result = servant("--db", str(path), *args)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {path} was written by a newer version of servant (schema step 'm999_from_the_future'); "
            "upgrade servant to use it. The file was left untouched\n"
        )
    assert snapshot(path) == before


def remembered(path: Path) -> set[tuple[int, str, str, str, bool]]:
    """What the imports remembered, as the store reads it: (person, source, field, value, kept)."""
    store = Store.open(path)
    try:
        sources = [source for (source,) in store.conn.execute("SELECT DISTINCT source FROM import_memory")]
        return {(p, source, f, v, kept) for source in sources for p, f, v, kept in store.import_memory(source)}
    finally:
        store.close()


@pytest.mark.parametrize("version", [version for version in VERSIONS if version >= 8])
def test_upgrade_keeps_everything_the_imports_remembered(tmp_path: Path, version: int) -> None:
    # Step 16 moves import_field's rows (one a field) into import_memory (one a person and source).
    path = build(version, tmp_path / "old.db")
    before = query(path, "SELECT person_id, source, field, value, kept FROM import_field")
    assert before or version < 15
    assert remembered(path) == {(p, source, f, v, bool(kept)) for p, source, f, v, kept in before}
    assert query(path, "SELECT name FROM sqlite_master WHERE name = 'import_field'") == []


def test_a_conflict_remembered_before_the_upgrade_is_not_reported_again(servant, tmp_path: Path) -> None:
    path = build(15, tmp_path / "old.db")
    folder = tmp_path / "card"
    folder.mkdir()
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:aiko-1\r\nFN:Aiko Tanaka\r\nTEL:503.555.0202\r\nEND:VCARD\r\n"
    (folder / "aiko.vcf").write_text(card, encoding="utf-8")

    again = servant("--db", str(path), "import", str(folder))
    assert again.exit_code == 0, again.stderr
    assert again.stdout == f"Imported {folder} (vCard folder): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
    assert json.loads(servant("--db", str(path), "show", "Aiko", "--json").stdout)["phone"] == "503-555-9999"

    taken = servant("--db", str(path), "import", str(folder), "--prefer-file")
    assert taken.exit_code == 0, taken.stderr
    assert json.loads(servant("--db", str(path), "show", "Aiko", "--json").stdout)["phone"] == "503.555.0202"
