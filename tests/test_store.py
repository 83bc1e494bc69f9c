"""The store on a real SQLite file: people, key dates, lookups and the upcoming window."""

from __future__ import annotations

import re
import sqlite3
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from helpers import dump
from servant_cli.errors import Ambiguous, BadInput, NotFound
from servant_cli.models import Person
from servant_cli.store import BUSY_TIMEOUT_SECONDS, NewOccasion, NewPerson, Store


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    store = Store.open(db_path)
    yield store
    store.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names(people: list[Person]) -> list[str]:
    return [person.name for person in people]


def count(store: Store, table: str) -> int:
    return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# -- the file and the connection ------------------------------------------------------


def test_new_database_file_and_its_folder_are_private_to_their_owner(tmp_path: Path) -> None:
    path = tmp_path / "new" / "servant.db"
    store = Store.open(path)
    store.add_person("Ada")
    # SQLite gives the WAL files the database's own mode: they hold the same personal data.
    for name in ("servant.db", "servant.db-wal", "servant.db-shm"):
        assert mode(path.parent / name) == 0o600, name
    assert mode(path.parent) == 0o700
    store.close()


def test_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    Store.open(folder / "servant.db").close()
    assert mode(folder) == 0o755
    assert mode(folder / "servant.db") == 0o600


@pytest.mark.parametrize("reopened", [False, True], ids=["created", "reopened"])
def test_connection_uses_wal_foreign_keys_and_a_busy_timeout(db_path: Path, reopened: bool) -> None:
    if reopened:
        Store.open(db_path).close()
    store = Store.open(db_path)
    pragma = {name: store.conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("journal_mode", "foreign_keys")}
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1}
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == int(BUSY_TIMEOUT_SECONDS * 1000) >= 5000
    store.close()


def test_database_in_rollback_journal_mode_is_put_back_in_wal(db_path: Path) -> None:
    # What a restored backup or a copy made by another tool looks like.
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    conn.close()
    store = Store.open(db_path)
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


# -- people ----------------------------------------------------------------------------


def test_add_person_stores_every_field_and_reads_it_back(store: Store) -> None:
    ada = store.add_person(
        "Ada Lovelace",
        tags=["client", "VIP"],
        company="Analytical Engines",
        email="ada@example.com",
        phone="+44 20 7946 0000",
        notes="Prefers letters",
        every_days=90,
    )
    assert ada == store.get_person(ada.id)
    assert (ada.name, ada.company, ada.email, ada.phone, ada.notes, ada.every_days) == (
        "Ada Lovelace",
        "Analytical Engines",
        "ada@example.com",
        "+44 20 7946 0000",
        "Prefers letters",
        90,
    )
    assert ada.tags == ("client", "VIP")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ada.created or "")


def test_add_person_without_optional_fields_stores_none_and_no_tags(store: Store) -> None:
    bob = store.add_person("Bob")
    assert (bob.company, bob.email, bob.phone, bob.notes, bob.every_days, bob.tags) == (None,) * 5 + ((),)
    assert store.occasions_of(bob.id) == []


def test_a_field_left_out_is_stored_as_sql_null(store: Store, db_path: Path) -> None:
    # Another program reading the file (sqlite3, a backup tool) sees NULL, not a text or 0,
    # for every field servant writes as None, by add_person and by an import alike.
    store.add_person("Bob", occasions=[NewOccasion("birthday", 4, 5)])
    store.add_people([NewPerson("Cleo", occasions=(NewOccasion("custom", 6, 1, label="Gala"),))])
    conn = sqlite3.connect(db_path)
    try:
        people = conn.execute(
            "SELECT name, typeof(company), typeof(email), typeof(every_days), typeof(source_uid), typeof(nickname)"
            " FROM person ORDER BY id"
        ).fetchall()
        dates = conn.execute(
            "SELECT typeof(year), typeof(lead_days), typeof(plan), typeof(rule) FROM occasion"
        ).fetchall()
    finally:
        conn.close()
    assert people == [("Bob", *["null"] * 5), ("Cleo", *["null"] * 5)]
    assert dates == [("null",) * 4] * 2


def test_add_person_stores_their_dates_with_them(store: Store) -> None:
    ada = store.add_person(
        "Ada",
        occasions=[NewOccasion("birthday", 12, 10, 1815, lead_days=14, plan="card"), NewOccasion("custom", 6, 1)],
    )
    assert [(o.kind, o.month, o.day, o.year, o.lead_days, o.plan, o.sequence) for o in store.occasions_of(ada.id)] == [
        ("birthday", 12, 10, 1815, 14, "card", 0),
        ("custom", 6, 1, None, None, None, 0),
    ]


def test_add_person_with_an_impossible_date_writes_nothing(store: Store, db_path: Path) -> None:
    before = dump(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        store.add_person("Ada", occasions=[NewOccasion("birthday", 13, 1)])
    assert dump(db_path) == before


def test_get_person_of_unknown_id_is_none(store: Store) -> None:
    assert store.get_person(42) is None


def test_people_are_listed_by_name_ignoring_case(store: Store) -> None:
    for name in ("carl", "Bob", "ada", "Ada"):
        store.add_person(name)
    listed = store.people()
    # Same name in two cases: the older entry first.
    assert names(listed) == ["ada", "Ada", "Bob", "carl"]
    assert len(store.people()) == 4


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (["client"], ["Ada", "Carl"]),
        (["CLIENT"], ["Ada", "Carl"]),
        (["family", "vip"], ["Bob", "Carl"]),
        (["ärzte"], ["Dora"]),
        (["ÄRZTE"], ["Dora"]),
        (["nobody"], []),
        ([], ["Ada", "Bob", "Carl", "Dora", "Eve"]),
    ],
)
def test_people_filtered_by_any_tag_ignoring_case(store: Store, wanted: list[str], expected: list[str]) -> None:
    store.add_person("Carl", tags=["Client", "VIP"])
    store.add_person("Ada", tags=["client"])
    store.add_person("Bob", tags=["Family"])
    store.add_person("Dora", tags=["Ärzte"])
    store.add_person("Eve")
    assert names(store.people(tags=wanted)) == expected


def test_a_tag_matches_whole_tags_only(store: Store) -> None:
    store.add_person("Ada", tags=["clients"])
    store.add_person("Bob", tags=["ex-client"])
    assert store.people(tags=["client"]) == []


def test_add_people_stores_everyone_with_their_dates(store: Store) -> None:
    added = store.add_people(
        [
            NewPerson("Ada", tags=("client",), occasions=(NewOccasion("birthday", 12, 10, 1815),), company="AE"),
            NewPerson("Bob", occasions=(NewOccasion("anniversary", 6, 1), NewOccasion("custom", 7, 4, label="Boat"))),
            NewPerson("Carl", every_days=30),
        ]
    )
    assert added == 3
    ada, bob, carl = store.people()
    assert (ada.tags, ada.company, carl.every_days) == (("client",), "AE", 30)
    assert [(o.kind, o.month, o.day, o.year) for o in store.occasions_of(ada.id)] == [("birthday", 12, 10, 1815)]
    assert [(o.kind, o.label) for o in store.occasions_of(bob.id)] == [("anniversary", ""), ("custom", "Boat")]
    assert store.occasions_of(carl.id) == []


def test_add_people_with_one_bad_row_writes_nobody(store: Store, db_path: Path) -> None:
    store.add_person("Zoe")
    before = dump(db_path)
    twice = (NewOccasion("birthday", 1, 2), NewOccasion("birthday", 3, 4))
    with pytest.raises(sqlite3.IntegrityError):
        store.add_people([NewPerson("Ada"), NewPerson("Bob", occasions=twice)])
    assert dump(db_path) == before


@pytest.mark.parametrize("limit", [999, 40], ids=["usual", "few-parameters"])
def test_add_people_in_bulk_keeps_everyone_in_order_with_their_own_dates(store: Store, limit: int) -> None:
    # Rows are written many to a statement; an SQLite built with a low limit on
    # parameters (40: two people's rows at most) gets more, shorter statements.
    store.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    store.add_person("Zoe")
    people = [
        NewPerson(
            f"P{n}",
            tags=(f"t{n}",),
            occasions=tuple(NewOccasion("custom", 1 + n % 12, 1, label=f"L{k}") for k in range(n % 3)),
        )
        for n in range(2_345)
    ]
    assert store.add_people(people) == 2_345
    stored = store.conn.execute("SELECT id, name FROM person ORDER BY id").fetchall()
    assert stored == [(1, "Zoe"), *[(n + 2, f"P{n}") for n in range(2_345)]]
    dates = store.conn.execute("SELECT person_id, month, label FROM occasion ORDER BY id").fetchall()
    assert dates == [(n + 2, 1 + n % 12, f"L{k}") for n in range(2_345) for k in range(n % 3)]
    assert store.conn.execute("SELECT tag_key, person_id FROM person_tag ORDER BY person_id").fetchall() == [
        (f"t{n}", n + 2) for n in range(2_345)
    ]


def test_add_people_of_nobody_adds_nothing(store: Store) -> None:
    assert store.add_people([]) == 0
    assert len(store.people()) == 0


# -- key dates -------------------------------------------------------------------------


def test_set_occasion_adds_a_date_then_replaces_it_keeping_its_id(store: Store) -> None:
    ada = store.add_person("Ada")
    first, replaced = store.set_occasion(ada.id, NewOccasion("birthday", 12, 10, 1815))
    assert replaced is None
    assert (first.kind, first.month, first.day, first.year, first.sequence) == ("birthday", 12, 10, 1815, 0)

    second, replaced = store.set_occasion(ada.id, NewOccasion("birthday", 12, 11))
    assert replaced == first
    # Same id: the calendar UID stays; higher sequence: calendars apply the change.
    assert (second.id, second.month, second.day, second.year, second.sequence) == (first.id, 12, 11, None, 1)

    third, replaced = store.set_occasion(ada.id, NewOccasion("birthday", 1, 5, 1816))
    assert replaced == second
    assert (third.id, third.sequence) == (first.id, 2)
    assert store.occasions_of(ada.id) == [third]


def test_set_occasion_of_another_kind_adds_a_second_date(store: Store) -> None:
    ada = store.add_person("Ada")
    birthday, _ = store.set_occasion(ada.id, NewOccasion("birthday", 12, 10))
    wedding, replaced = store.set_occasion(ada.id, NewOccasion("anniversary", 7, 8, 1835))
    assert replaced is None
    assert wedding.id != birthday.id
    assert store.occasions_of(ada.id) == [birthday, wedding]


def test_set_occasion_keeps_lead_days_and_plan_when_not_given(store: Store) -> None:
    ada = store.add_person("Ada")
    store.set_occasion(ada.id, NewOccasion("birthday", 12, 10, lead_days=14, plan="gift"))
    kept, _ = store.set_occasion(ada.id, NewOccasion("birthday", 12, 11))
    assert (kept.day, kept.lead_days, kept.plan) == (11, 14, "gift")
    changed, _ = store.set_occasion(ada.id, NewOccasion("birthday", 12, 11, lead_days=0, plan="call"))
    assert (changed.lead_days, changed.plan) == (0, "call")


def test_set_occasion_can_make_a_date_one_off(store: Store) -> None:
    ada = store.add_person("Ada")
    store.set_occasion(ada.id, NewOccasion("custom", 5, 1, 2027, label="Launch"))
    once, _ = store.set_occasion(ada.id, NewOccasion("custom", 5, 2, 2027, label="Launch", yearly=False))
    assert (once.yearly, once.day, once.sequence) == (False, 2, 1)


def test_custom_dates_are_told_apart_by_label_ignoring_case(store: Store) -> None:
    ada = store.add_person("Ada")
    name_day, _ = store.set_occasion(ada.id, NewOccasion("custom", 6, 21, label="Name day"))
    boat, replaced = store.set_occasion(ada.id, NewOccasion("custom", 8, 1, label="Boat"))
    assert replaced is None
    moved, replaced = store.set_occasion(ada.id, NewOccasion("custom", 6, 22, label="name DAY"))
    assert replaced == name_day
    assert (moved.id, moved.day, moved.label, moved.sequence) == (name_day.id, 22, "name DAY", 1)
    assert [(o.label, o.day) for o in store.occasions_of(ada.id)] == [("name DAY", 22), ("Boat", 1)]
    assert boat in store.occasions_of(ada.id)


def test_label_of_a_standard_kind_is_dropped(store: Store) -> None:
    # Otherwise "birthday" with a stray label would make a second birthday.
    ada = store.add_person("Ada")
    first, _ = store.set_occasion(ada.id, NewOccasion("birthday", 12, 10, label="Big day"))
    second, replaced = store.set_occasion(ada.id, NewOccasion("birthday", 12, 11, label="Other"))
    assert (first.label, second.label, replaced) == ("", "", first)


def test_occasions_of_one_person_only(store: Store) -> None:
    ada = store.add_person("Ada", occasions=[NewOccasion("birthday", 1, 1)])
    store.add_person("Bob", occasions=[NewOccasion("birthday", 2, 2)])
    assert [(o.person_id, o.month) for o in store.occasions_of(ada.id)] == [(ada.id, 1)]


# -- changing and removing -------------------------------------------------------------


def test_update_person_changes_fields_tags_and_dates_together(store: Store) -> None:
    ada = store.add_person(
        "Ada",
        tags=["client"],
        email="old@example.com",
        company="AE",
        occasions=[NewOccasion("birthday", 12, 10), NewOccasion("client-since", 3, 1, 2019)],
    )
    birthday, client_since = store.occasions_of(ada.id)
    updated = store.update_person(
        ada.id,
        name="Ada Lovelace",
        email="ada@example.com",
        tags=["family"],
        drop=[client_since.id],
        occasions=[NewOccasion("work-anniversary", 9, 1, 2020)],
    )
    assert (updated.id, updated.name, updated.email, updated.company, updated.tags) == (
        ada.id,
        "Ada Lovelace",
        "ada@example.com",
        "AE",
        ("family",),
    )
    assert updated == store.get_person(ada.id)
    kept, added = store.occasions_of(ada.id)
    assert (kept, added.kind, added.year) == (birthday, "work-anniversary", 2020)


def test_update_person_with_empty_tags_clears_them_and_none_keeps_them(store: Store) -> None:
    ada = store.add_person("Ada", tags=["client"])
    assert store.update_person(ada.id, notes="hi").tags == ("client",)
    assert store.update_person(ada.id, tags=[]).tags == ()


def test_update_person_that_fails_half_way_changes_nothing(store: Store, db_path: Path) -> None:
    ada = store.add_person("Ada", occasions=[NewOccasion("birthday", 12, 10)])
    before = dump(db_path)
    (birthday,) = store.occasions_of(ada.id)
    with pytest.raises(sqlite3.IntegrityError):
        store.update_person(ada.id, name="Ada L", drop=[birthday.id], occasions=[NewOccasion("custom", 2, 30 + 2)])
    assert dump(db_path) == before


def test_update_person_cannot_drop_someone_elses_date(store: Store) -> None:
    ada = store.add_person("Ada")
    bob = store.add_person("Bob", occasions=[NewOccasion("birthday", 2, 2)])
    (bobs,) = store.occasions_of(bob.id)
    store.update_person(ada.id, drop=[bobs.id])
    assert store.occasions_of(bob.id) == [bobs]


def test_update_person_of_unknown_id_is_not_found(store: Store, db_path: Path) -> None:
    before = dump(db_path)
    with pytest.raises(NotFound, match="#42"):
        store.update_person(42, name="Ghost", occasions=[NewOccasion("birthday", 1, 1)])
    assert dump(db_path) == before


def test_remove_person_removes_their_dates_and_nobody_else(store: Store) -> None:
    ada = store.add_person("Ada", occasions=[NewOccasion("birthday", 12, 10), NewOccasion("anniversary", 1, 1)])
    bob = store.add_person("Bob", occasions=[NewOccasion("birthday", 2, 2)])
    store.remove_person(ada.id)
    assert store.get_person(ada.id) is None
    assert store.occasions_of(ada.id) == []
    assert count(store, "occasion") == 1
    assert names(store.people()) == ["Bob"]
    assert len(store.occasions_of(bob.id)) == 1


# -- finding a person ------------------------------------------------------------------

CROWD = ("Ann", "Anna Smith", "Annabel", "Bob", "bobby", "50% Off", "50 Percent", "A_B Ltd", "AxB Ltd", "Åsa Berg")


@pytest.fixture
def crowd(store: Store) -> Store:
    store.add_people(NewPerson(name) for name in CROWD)
    return store


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Ann", "Ann"),  # exact name wins over the longer names it starts
        ("ann", "Ann"),
        ("ANN", "Ann"),
        ("anna s", "Anna Smith"),  # unique prefix
        ("annab", "Annabel"),
        ("bob", "Bob"),
        ("BOBB", "bobby"),
        ("  bob  ", "Bob"),
        ("50%", "50% Off"),  # % is a character, not a wildcard
        ("50 p", "50 Percent"),
        ("a_b", "A_B Ltd"),  # _ too
        ("axb", "AxB Ltd"),
        ("åsa", "Åsa Berg"),
        ("ÅSA BERG", "Åsa Berg"),
    ],
)
def test_find_person_by_name_or_unique_prefix(crowd: Store, query: str, found: str) -> None:
    assert crowd.find_person(query).name == found


def test_find_person_by_id(crowd: Store) -> None:
    bob = crowd.find_person("Bob")
    assert crowd.find_person(f"#{bob.id}") == bob


@pytest.mark.parametrize("query", ["#99", "#0", "Zed", "#abc", "Ann Smith"])
def test_find_person_of_no_one_is_not_found(crowd: Store, query: str) -> None:
    with pytest.raises(NotFound) as missing:
        crowd.find_person(query)
    assert query in str(missing.value)
    assert "servant list" in str(missing.value)


@pytest.mark.parametrize("query", ["", "   "])
def test_find_person_of_nothing_is_bad_input(crowd: Store, query: str) -> None:
    with pytest.raises(BadInput, match="#ID"):
        crowd.find_person(query)


def test_ambiguous_prefix_lists_the_candidates_with_their_ids(crowd: Store) -> None:
    smith, annabel = crowd.find_person("Anna Smith"), crowd.find_person("Annabel")
    with pytest.raises(Ambiguous) as ambiguous:
        crowd.find_person("anna")
    message = str(ambiguous.value)
    assert f"#{smith.id} Anna Smith" in message
    assert f"#{annabel.id} Annabel" in message
    assert "2 people" in message
    assert "Ann," not in message


def test_two_people_with_the_same_name_are_ambiguous(store: Store) -> None:
    first, second = store.add_person("Sam"), store.add_person("sam")
    with pytest.raises(Ambiguous) as ambiguous:
        store.find_person("Sam")
    assert f"#{first.id} Sam, #{second.id} sam" in str(ambiguous.value)
    assert store.find_person(f"#{second.id}") == second


def test_ambiguous_prefix_shows_ten_candidates_and_counts_the_rest(store: Store) -> None:
    store.add_people(NewPerson(f"Client {number:02d}") for number in range(13))
    with pytest.raises(Ambiguous) as ambiguous:
        store.find_person("client")
    message = str(ambiguous.value)
    assert "13 people" in message
    assert "Client 09" in message
    assert "Client 10" not in message
    assert "and 3 more" in message


# -- the upcoming window ---------------------------------------------------------------

# One person per key date, named after it.
DATES = ("01-05", "01-19", "01-20", "02-28", "02-29", "03-01", "06-15", "12-19", "12-20", "12-31")


@pytest.fixture
def calendar(store: Store) -> Store:
    store.add_people(
        NewPerson(
            f"d{key}",
            tags=("Client",) if key < "06" else ("family",),
            occasions=(NewOccasion("birthday" if key < "03" else "anniversary", int(key[:2]), int(key[3:])),),
        )
        for key in DATES
    )
    return store


def in_window(store: Store, start: str, end: str, **filters: list[str]) -> list[str]:
    found = store.occasions_between(date.fromisoformat(start), date.fromisoformat(end), **filters)
    return sorted(person.name[1:] for person, _ in found)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-06-01", "2026-06-30", ["06-15"]),
        ("2026-06-16", "2026-06-30", []),
        ("2026-12-20", "2027-01-19", ["01-05", "01-19", "12-20", "12-31"]),  # over New Year
        ("2026-12-31", "2027-01-05", ["01-05", "12-31"]),
        # A Feb 29 row comes back where it may fall: on Feb 28 or Mar 1 of a common year.
        ("2027-02-28", "2027-03-01", ["02-28", "02-29", "03-01"]),
        ("2027-02-20", "2027-02-28", ["02-28", "02-29"]),
        ("2027-03-01", "2027-03-05", ["02-29", "03-01"]),
        ("2027-02-27", "2027-02-27", []),
        ("2026-12-20", "2027-02-28", ["01-05", "01-19", "01-20", "02-28", "02-29", "12-20", "12-31"]),
        ("2028-02-29", "2028-02-29", ["02-29"]),
        ("2026-01-20", "2026-01-20", ["01-20"]),
        ("2026-01-01", "2026-12-31", list(DATES)),
        ("2026-03-01", "2027-02-28", list(DATES)),  # 364 days over New Year
        ("2026-01-01", "2027-01-01", list(DATES)),  # 365 days
        ("2026-06-01", "2028-06-01", list(DATES)),
    ],
)
def test_occasions_between_reads_the_month_day_window(calendar: Store, start: str, end: str, expected: list) -> None:
    assert in_window(calendar, start, end) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kinds": ["birthday"]}, ["01-05", "01-19", "01-20", "02-28", "02-29"]),
        ({"kinds": ["anniversary"]}, ["12-20", "12-31"]),
        ({"kinds": ["birthday", "anniversary"]}, ["01-05", "01-19", "01-20", "02-28", "02-29", "12-20", "12-31"]),
        ({"kinds": ["custom"]}, []),
        ({"tags": ["client"]}, ["01-05", "01-19", "01-20", "02-28", "02-29"]),
        ({"tags": ["FAMILY"]}, ["12-20", "12-31"]),
        ({"tags": ["client"], "kinds": ["anniversary"]}, []),
        ({"tags": ["family", "client"], "kinds": ["anniversary"]}, ["12-20", "12-31"]),
    ],
)
def test_occasions_between_filters_by_kind_and_tag(calendar: Store, filters: dict, expected: list) -> None:
    assert in_window(calendar, "2026-12-20", "2027-02-28", **filters) == expected


def test_occasions_between_returns_the_person_and_the_whole_occasion(store: Store) -> None:
    ada = store.add_person("Ada", tags=["client"], email="ada@example.com")
    stored, _ = store.set_occasion(ada.id, NewOccasion("custom", 12, 10, 1815, label="Day", lead_days=3, plan="card"))
    store.set_occasion(ada.id, NewOccasion("birthday", 12, 11))
    found = store.occasions_between(date(2026, 12, 1), date(2026, 12, 10))
    assert found == [(ada, stored)]


# -- transactions and other connections ------------------------------------------------


def test_exception_inside_a_transaction_leaves_nothing_written(store: Store, db_path: Path) -> None:
    ada = store.add_person("Ada", occasions=[NewOccasion("birthday", 12, 10)])
    before = dump(db_path)
    with pytest.raises(RuntimeError), store.transaction():
        store.add_person("Bob", occasions=[NewOccasion("birthday", 1, 1)])
        store.set_occasion(ada.id, NewOccasion("birthday", 12, 11))
        store.update_person(ada.id, name="Ada L", tags=["x"])
        store.add_people([NewPerson("Carl")])
        raise RuntimeError("interrupted")
    assert dump(db_path) == before
    # The store is still usable afterwards.
    assert store.add_person("Dora").name == "Dora"
    assert names(store.people()) == ["Ada", "Dora"]


def test_a_write_in_one_store_is_seen_by_another_on_the_same_file(db_path: Path) -> None:
    first, second = Store.open(db_path), Store.open(db_path)
    ada = first.add_person("Ada")
    assert second.find_person("ada") == ada
    occasion, _ = second.set_occasion(ada.id, NewOccasion("birthday", 12, 10))
    assert first.occasions_of(ada.id) == [occasion]
    first.close()
    second.close()


def test_a_reader_does_not_wait_for_nor_see_an_unfinished_write(db_path: Path) -> None:
    writer, reader = Store.open(db_path), Store.open(db_path)
    writer.add_person("Ada")
    reader.conn.execute("PRAGMA busy_timeout = 0")  # fail at once rather than wait
    with writer.transaction():
        writer.add_person("Bob")
        assert names(reader.people()) == ["Ada"]
    assert names(reader.people()) == ["Ada", "Bob"]
    writer.close()
    reader.close()


def test_an_empty_file_made_by_someone_else_becomes_a_database_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "touched.db"
    path.touch(mode=0o644)
    Store.open(path).close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_open_without_create_refuses_a_missing_file_and_makes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "servant.db"
    with pytest.raises(NotFound, match="there is no database at"):
        Store.open(path, create=False)
    assert not path.parent.exists()


def test_people_are_listed_in_name_order_whatever_the_case_or_alphabet(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    for name in ("zoe", "Åsa", "adam", "Émile", "Bob"):
        store.add_person(name)
    assert [p.name for p in store.people()] == ["adam", "Åsa", "Bob", "Émile", "zoe"]
    store.close()


@pytest.mark.parametrize("query", ["Weiß", "weiss", "WEISS", "weiß", "Wei"])
def test_a_name_whose_folded_form_is_plain_ascii_is_found_every_way(tmp_path: Path, query: str) -> None:
    # "ß" folds to "ss": the lookup compares folded forms, whatever the alphabet.
    store = Store.open(tmp_path / "s.db")
    weiss = store.add_person("Anna Weiß")
    store.add_person("Weiß")
    found = store.find_person(query) if query != "Wei" else None
    exact, starting = store.people_named(query)
    if query == "Wei":
        assert [p.name for p in starting] == ["Weiß"]
        assert exact == []
    else:
        assert found is not None and found.name == "Weiß"
    assert store.find_person("anna weiss") == weiss
    store.close()
