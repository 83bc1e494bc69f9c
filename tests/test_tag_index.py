"""``--tag`` reads the people who carry a tag from an index (``person_tag``, schema step
14) that the store keeps on every write of tags: what a user sees must be what the tags
say, case and accents aside (``text.fold``), after an add, an edit, an untag, an import
and a re-import that renames a tag, servant's JSON brought back under its ids, a removal,
an upgrade of an older file and the restore of an older backup.

Each test also checks the index itself against the tags stored (``index_follows_tags``),
the thing a stale index would get wrong for some later command.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from helpers import ok
from servant_cli.config import Settings
from servant_cli.services.digest import morning_digest
from servant_cli.store import NewPerson, Store
from servant_cli.text import fold

DATA = Path(__file__).parent / "data"
FROM = "2026-11-22"


def index_follows_tags(path: Path) -> None:
    """``person_tag`` holds each person's tags, folded, and nothing else."""
    conn = sqlite3.connect(path)
    try:
        stored = conn.execute("SELECT id, tags FROM person").fetchall()
        indexed = set(conn.execute("SELECT tag_key, person_id FROM person_tag"))
    finally:
        conn.close()
    assert indexed == {(fold(tag), person_id) for person_id, raw in stored for tag in json.loads(raw)}


def names(out: str) -> list[str]:
    """The names ``list --json`` printed."""
    return [person["name"] for person in json.loads(out)]


def from_fixture(version: int, path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript((DATA / f"schema-v{version}.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def test_a_tag_matches_through_fold_after_add_edit_and_untag(servant, db_path) -> None:
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-11-30", "--tag", "İstanbul", "--tag", "VIP"))
    ok(servant("add", "Bob Stone", "--birthday", "1990-11-25", "--tag", "team"))
    ok(servant("add", "Cem Yılmaz", "--birthday", "1973-04-02"))
    index_follows_tags(db_path)
    assert names(ok(servant("list", "--tag", "istanbul", "--json"))) == ["Ada Lovelace"]
    assert names(ok(servant("list", "--tag", "vıp", "--tag", "TEAM", "--json"))) == ["Ada Lovelace", "Bob Stone"]

    ok(servant("edit", "Cem", "--tag", "ISTANBUL"))  # the same tag as Ada's, in capitals
    ok(servant("edit", "Ada", "--untag", "vip"))
    ok(servant("edit", "Bob", "--tag", "Ünal"))
    index_follows_tags(db_path)
    assert names(ok(servant("list", "--tag", "İSTANBUL", "--json"))) == ["Ada Lovelace", "Cem Yılmaz"]
    assert names(ok(servant("list", "--tag", "vip", "--json"))) == []
    assert names(ok(servant("list", "--tag", "unal", "--json"))) == ["Bob Stone"]
    upcoming = ok(servant("upcoming", "--from", FROM, "--days", "30", "--tag", "Unal"))
    assert "Bob Stone" in upcoming and "Ada" not in upcoming
    for command in ("digest", "upcoming"):  # not "Nothing coming up": no one has the tag any more
        refused = servant(command, "--from", FROM, "--tag", "vip")
        assert (refused.exit_code, refused.stdout) == (1, "")
        assert refused.stderr == "Error: --tag: no one has the tag 'vip'; tags in use: İstanbul, team, Ünal\n"

    ok(servant("rm", "Cem", "--yes"))
    index_follows_tags(db_path)
    assert names(ok(servant("list", "--tag", "istanbul", "--json"))) == ["Ada Lovelace"]


VCARDS = """BEGIN:VCARD\r
VERSION:3.0\r
N:Lovelace;Ada;;;\r
FN:Ada Lovelace\r
BDAY:1815-11-30\r
CATEGORIES:Clients,Étoile\r
UID:ada-1\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
N:Stone;Bob;;;\r
FN:Bob Stone\r
BDAY:1990-11-25\r
CATEGORIES:Clients\r
UID:bob-2\r
END:VCARD\r
"""


def test_a_tag_matches_after_an_import_and_a_reimport_that_renames_it(servant, db_path, tmp_path) -> None:
    cards = tmp_path / "contacts.vcf"
    cards.write_text(VCARDS, encoding="utf-8", newline="")
    ok(servant("import", str(cards), "--tag", "Imported", "-q"))
    index_follows_tags(db_path)
    assert names(ok(servant("list", "--tag", "CLIENTS", "--json"))) == ["Ada Lovelace", "Bob Stone"]
    assert names(ok(servant("list", "--tag", "etoile", "--json"))) == ["Ada Lovelace"]
    assert names(ok(servant("list", "--tag", "imported", "--json"))) == ["Ada Lovelace", "Bob Stone"]

    # The address book renamed the group "Clients" to "Customers" for Ada: an import adds
    # what the file brings and keeps the tags she has, so she carries both until untagged.
    cards.write_text(
        VCARDS.replace("CATEGORIES:Clients,Étoile", "CATEGORIES:Customers,Étoile"), encoding="utf-8", newline=""
    )
    assert "changed tags for Ada Lovelace: Clients, Étoile, Imported, Customers" in ok(servant("import", str(cards)))
    index_follows_tags(db_path)
    assert names(ok(servant("list", "--tag", "CUSTOMERS", "--json"))) == ["Ada Lovelace"]
    ok(servant("edit", "Ada", "--untag", "clients"))
    index_follows_tags(db_path)
    assert names(ok(servant("list", "--tag", "clients", "--json"))) == ["Bob Stone"]
    assert names(ok(servant("list", "--tag", "ÉTOILE", "--tag", "customers", "--json"))) == ["Ada Lovelace"]


def test_servants_json_brought_back_under_its_ids_keeps_the_tags_found(servant, db_path, tmp_path) -> None:
    ok(servant("add", "Gone Soon"))
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-11-30", "--tag", "Straße"))
    ok(servant("add", "Bob Stone", "--tag", "VIP"))
    ok(servant("rm", "Gone", "--yes"))  # so the ids to keep (2, 3) are not those a new file hands out
    exported = tmp_path / "all.json"
    ok(servant("export", "json", "-o", str(exported), "-q"))
    copy = tmp_path / "copy.db"
    ok(servant("--db", str(copy), "import", str(exported), "-q"))
    index_follows_tags(copy)
    listed = json.loads(ok(servant("--db", str(copy), "list", "--tag", "strasse", "--tag", "vip", "--json")))
    assert [(person["id"], person["name"]) for person in listed] == [(2, "Ada Lovelace"), (3, "Bob Stone")]


def test_a_database_upgraded_from_v13_finds_its_tags(servant, tmp_path) -> None:
    path = from_fixture(13, tmp_path / "old.db")
    assert names(ok(servant("--db", str(path), "list", "--tag", "istanbul", "--json"))) == ["Ben Ode"]
    index_follows_tags(path)
    # "Clients" (Aiko) and "clients" (Lucía) are one tag; the season for it has them both.
    assert names(ok(servant("--db", str(path), "list", "--tag", "CLIENTS", "--json"))) == [
        "Aiko Tanaka",
        "Lucía Pérez",
    ]
    season = json.loads(ok(servant("--db", str(path), "season", "show", "Holiday cards", "--json", "--from", FROM)))
    assert sorted(person["person"] for person in season["left"]) == ["Aiko Tanaka", "Lucía Pérez"]


def test_a_restored_v13_backup_finds_its_tags(servant, db_path, tmp_path) -> None:
    ok(servant("add", "Someone Else", "--tag", "vip"))
    backup = from_fixture(13, tmp_path / "backup.db")
    ok(servant("restore", "--yes", str(backup)))
    assert names(ok(servant("list", "--tag", "VİP", "--json"))) == ["Ben Ode"]
    index_follows_tags(db_path)


def plans(path: Path, run) -> list[str]:
    """What SQLite plans for each query ``run(store)`` makes."""
    store = Store.open(path)
    queries: list[str] = []
    store.conn.set_trace_callback(queries.append)
    try:
        run(store)
    finally:
        store.conn.set_trace_callback(None)
    found = []
    for sql in queries:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            found += [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]
    store.close()
    return found


def test_the_digest_and_a_tag_read_indexes_not_every_date_or_person(servant, db_path) -> None:
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-11-30", "--tag", "vip", "--every", "30"))
    ok(servant("add", "Bob Stone", "--birthday", "1990-11-25"))
    ok(servant("date", "Bob", "custom", "2026-12-24", "--label", "Launch", "--lead", "21"))
    digest = lambda tags: lambda store: morning_digest(store, date(2026, 11, 22), 7, Settings(), tags=tags)  # noqa: E731
    steps = plans(db_path, digest([]))
    assert "SEARCH occasion USING COVERING INDEX occasion_lead_days (lead_days>?)" in steps
    assert "SEARCH p USING INDEX person_every_days (every_days>?)" in steps
    tagged = plans(db_path, digest(["VIP"]))
    assert "SEARCH person_tag USING PRIMARY KEY (tag_key=?)" in tagged
    for step in (*steps, *tagged):
        assert not (step.startswith("SCAN") and step.split()[1] in ("p", "o", "person", "occasion")), step


def test_an_unknown_tag_names_the_first_twelve_tags_in_use_and_counts_the_rest(servant, db_path) -> None:
    store = Store.open(db_path)
    store.add_people([NewPerson("Ada", tags=tuple(f"tag{n:02}" for n in range(30)))])
    store.close()
    for command in (["upcoming"], ["digest"], ["overdue"], ["export", "ics"]):
        refused = servant(*command, "--tag", "tga01")
        assert (refused.exit_code, refused.stdout) == (1, "")
        named = ", ".join(f"tag{n:02}" for n in range(12))
        assert refused.stderr == f"Error: --tag: no one has the tag 'tga01'; tags in use: {named} and 18 more\n"
