"""Family through the command line: relations from Google, Apple and vCard 4 files become
links between people or are kept as text until their person comes; a child has two
parents; servant's CSV and vCard write the family back, and reading them into a fresh
database gives the same family.

Fixtures in tests/data/family: a Google Contacts CSV with Relation columns, an Apple
vCard 3.0 with itemN.X-ABRELATEDNAMES, a vCard 4 with RELATED by urn:uuid and as text.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import icalendar
import vobject

from helpers import dump, ok

DATA = Path(__file__).parent / "data" / "family"
GOOGLE = DATA / "google-relations.csv"
APPLE = DATA / "apple-related-names.vcf"
RELATED = DATA / "related-v4.vcf"
HANA = DATA / "hana-v4.vcf"
FROM = "2026-11-26"


def family(servant, who: str, *db: str) -> list[tuple[str, str, bool]]:
    """``show --json``'s family of ``who``: (relation, name, linked)."""
    data = json.loads(ok(servant(*db, "show", who, "--json", "--from", FROM)))
    return [(kin["relation"], kin["name"], kin["id"] is not None) for kin in data["family"]]


def everyones_family(servant, *db: str) -> dict[str, list[tuple[str, str, bool]]]:
    people = json.loads(ok(servant(*db, "list", "--json")))
    return {person["name"]: family(servant, f"#{person['id']}", *db) for person in people}


def test_google_relations_become_links_and_the_rest_is_kept_as_text_and_said(servant) -> None:
    assert ok(servant("import", str(GOOGLE))) == (
        "Imported google-relations.csv (Google Contacts CSV): 4 added, 0 updated, 0 unchanged, 0 skipped\n"
        "  added Alice Smith (#1)\n"
        "  added Bob Smith (#2)\n"
        "  added Emma Smith (#3)\n"
        "  added Ann O'Brien (#4)\n"
        "  linked Bob Smith as Alice Smith's spouse\n"
        "  linked Emma Smith as Alice Smith's child\n"
        "  linked Emma Smith as Bob Smith's child\n"
        "  kept Ann O'Brien's spouse Frank O'Brien as text: no one in servant is Frank O'Brien"
        " (a link once they are added)\n"
        "  kept Ann O'Brien's brother Tom O'Brien as text\n"
    )
    assert family(servant, "Emma") == [("parent", "Alice Smith", True), ("parent", "Bob Smith", True)]
    assert family(servant, "Alice") == [("spouse", "Bob Smith", True), ("child", "Emma Smith", True)]
    assert family(servant, "Bob") == [("spouse", "Alice Smith", True), ("child", "Emma Smith", True)]
    assert family(servant, "Ann") == [("spouse", "Frank O'Brien", False), ("brother", "Tom O'Brien", False)]
    shown = ok(servant("show", "Ann", "--from", FROM))
    assert "  Relations  Frank O'Brien (spouse), Tom O'Brien (brother), not in servant\n" in shown
    found = json.loads(ok(servant("find", "frank", "--json")))
    assert [(p["name"], p["matches"]) for p in found] == [
        ("Ann O'Brien", [{"field": "family", "text": "Frank O'Brien (spouse)"}])
    ]


def test_a_child_with_two_parents_names_both_wherever_the_family_shows(servant) -> None:
    ok(servant("import", str(GOOGLE)))
    lines = ok(servant("upcoming", "--from", FROM, "--days", "10")).splitlines()
    assert lines[0].endswith("Emma Smith   Birthday — turns 7 · Alice and Bob Smith's child")
    assert lines[3].endswith("Ann O'Brien  Birthday — turns 51 · Frank O'Brien's spouse")
    items = json.loads(ok(servant("upcoming", "--from", FROM, "--json")))
    assert [item["family"] for item in items][:3] == [
        "Alice and Bob Smith's child",
        "Bob Smith's spouse",
        "Alice Smith's spouse",
    ]
    digest = ok(servant("digest", "--from", FROM)).replace("\n  ", " ")
    assert "Emma Smith — Birthday (turns 7), Mon 30 Nov, in 4 days · Alice and Bob Smith's child" in digest
    calendar = icalendar.Calendar.from_ical(servant("export", "ics").stdout_bytes)
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert "Emma Smith — Birthday · Alice and Bob Smith's child" in summaries


def test_reimporting_an_unchanged_file_changes_nothing(servant, db_path: Path) -> None:
    ok(servant("import", str(GOOGLE)))
    before = dump(db_path)
    assert ok(servant("import", str(GOOGLE))) == (
        "Imported google-relations.csv (Google Contacts CSV): 0 added, 0 updated, 4 unchanged, 0 skipped\n"
    )
    assert dump(db_path) == before
    assert sorted(row[1:] for row in before if row[0] == "family") == [
        (1, "spouse", 2),
        (3, "child", 1),
        (3, "child", 2),
    ]
    assert [row[3:6] for row in before if row[0] == "relation_text"] == [
        ("spouse", "spouse", "Frank O'Brien"),
        ("brother", "brother", "Tom O'Brien"),
    ]


def test_a_link_undone_by_hand_stays_undone_when_the_same_file_comes_again(servant) -> None:
    ok(servant("import", str(GOOGLE)))
    assert "  Family: (none) (was Alice and Bob Smith's child)\n" in ok(servant("edit", "Emma", "--child-of", ""))
    assert "Imported google-relations.csv (Google Contacts CSV): 0 added, 0 updated, 4 unchanged" in ok(
        servant("import", str(GOOGLE))
    )
    assert family(servant, "Emma") == []


def test_a_relation_kept_as_text_becomes_a_link_when_its_person_is_added(servant) -> None:
    ok(servant("import", str(GOOGLE)))
    assert ok(servant("add", "Frank O'Brien")) == "Added Frank O'Brien (#5)\n  Family: Ann O'Brien's spouse\n"
    assert family(servant, "Ann") == [("spouse", "Frank O'Brien", True), ("brother", "Tom O'Brien", False)]
    shown = ok(servant("show", "Ann", "--from", FROM))
    assert "  Spouse     Frank O'Brien (#5)\n  Relations  Tom O'Brien (brother), not in servant\n" in shown


def test_apple_related_names_link_and_a_parent_added_later_is_said(servant) -> None:
    assert ok(servant("import", str(APPLE))).endswith(
        "  linked Maria Okafor as John Okafor's spouse\n"
        "  linked Chidi Okafor as John Okafor's child\n"
        "  kept John Okafor's mother Grace Okafor as text: no one in servant is Grace Okafor"
        " (a link once they are added)\n"
        "  kept John Okafor's friend Sam Jones as text\n"
    )
    assert family(servant, "Chidi") == [("parent", "John Okafor", True)]
    assert ok(servant("add", "Grace Okafor")) == "Added Grace Okafor (#4)\n  Linked as John Okafor's mother\n"
    assert family(servant, "John") == [
        ("parent", "Grace Okafor", True),
        ("spouse", "Maria Okafor", True),
        ("child", "Chidi Okafor", True),
        ("friend", "Sam Jones", False),
    ]


def test_vcard4_related_by_uid_links_and_a_child_imported_later_gets_both_parents(servant) -> None:
    ok(servant("import", str(RELATED)))
    assert family(servant, "Kenji") == [("spouse", "Yuki Sato", True), ("child", "Hana Sato", False)]
    assert family(servant, "Yuki") == [
        ("spouse", "Kenji Sato", True),
        ("child", "Hana Sato", False),
        ("sibling", "Aoi Tanaka", False),
    ]
    assert ok(servant("import", str(HANA))).endswith(
        "  linked Hana Sato as Kenji Sato's child\n  linked Hana Sato as Yuki Sato's child\n"
    )
    assert family(servant, "Hana") == [("parent", "Kenji Sato", True), ("parent", "Yuki Sato", True)]
    assert "Hana Sato  Birthday — turns 8 · Kenji and Yuki Sato's child" in ok(
        servant("upcoming", "--from", FROM, "--days", "10")
    )


def test_add_takes_two_parents_and_edit_a_second_one(servant) -> None:
    ok(servant("add", "Alice Smith"))
    ok(servant("add", "Bob Smith"))
    ok(servant("add", "Carl Jones"))
    assert ok(servant("add", "Emma Smith", "--child-of", "Alice", "--child-of", "Bob", "--spouse-of", "Carl")) == (
        "Added Emma Smith (#4)\n  Family: Alice and Bob Smith's child; Carl Jones's spouse\n"
    )
    ok(servant("add", "Liam Smith", "--child-of", "Alice"))
    assert ok(servant("edit", "Liam", "--child-of", "Carl")) == (
        "Updated Liam Smith (#5)\n  Family: Alice Smith and Carl Jones's child (was Alice Smith's child)\n"
    )
    assert family(servant, "Alice") == [("child", "Emma Smith", True), ("child", "Liam Smith", True)]


def _cards(text: str) -> dict[str, vobject.base.Component]:
    return {str(card.fn.value): card for card in vobject.readComponents(text)}


def test_vcard_export_writes_the_family_and_a_fresh_database_gets_it_back(servant, tmp_path: Path) -> None:
    ok(servant("import", str(GOOGLE)))
    ok(servant("import", str(RELATED)))
    out = tmp_path / "everyone.vcf"
    ok(servant("export", "vcard", "--version", "4", "-o", str(out)))
    cards = _cards(out.read_text(encoding="utf-8"))
    related = {
        name: sorted(
            (line.params["TYPE"][0], line.params.get("VALUE", ["uri"])[0], line.value)
            for line in card.contents.get("related", [])
        )
        for name, card in cards.items()
    }
    uid = {name: str(card.uid.value) for name, card in cards.items()}
    assert related["Emma Smith"] == sorted([("parent", "uri", uid["Alice Smith"]), ("parent", "uri", uid["Bob Smith"])])
    assert related["Ann O'Brien"] == [("brother", "text", "Tom O'Brien"), ("spouse", "text", "Frank O'Brien")]
    assert related["Kenji Sato"] == [("child", "text", "Hana Sato"), ("spouse", "uri", uid["Yuki Sato"])]

    fresh = ("--db", str(tmp_path / "fresh.db"))
    ok(servant(*fresh, "import", str(out)))
    assert everyones_family(servant, *fresh) == everyones_family(servant)
    lines = ok(servant(*fresh, "upcoming", "--from", FROM, "--days", "10"))
    assert "Emma Smith   Birthday — turns 7 · Alice and Bob Smith's child" in lines


def test_a_vcard_3_export_writes_the_family_as_apple_does_and_a_fresh_database_gets_it_back(
    servant, tmp_path: Path
) -> None:
    ok(servant("import", str(GOOGLE)))
    ok(servant("import", str(RELATED)))
    out = tmp_path / "everyone.vcf"
    ok(servant("export", "vcard", "-o", str(out)))  # 3.0, the default
    cards = _cards(out.read_text(encoding="utf-8"))
    related = {}
    for name, card in cards.items():
        labels = {line.group: line.value for line in card.contents.get("x-ablabel", [])}
        related[name] = sorted((labels[line.group], line.value) for line in card.contents.get("x-abrelatednames", []))
    assert related["Emma Smith"] == [("_$!<Parent>!$_", "Alice Smith"), ("_$!<Parent>!$_", "Bob Smith")]
    assert related["Ann O'Brien"] == [("_$!<Brother>!$_", "Tom O'Brien"), ("_$!<Spouse>!$_", "Frank O'Brien")]
    assert "related" not in cards["Kenji Sato"].contents

    fresh = ("--db", str(tmp_path / "fresh.db"))
    ok(servant(*fresh, "import", str(out)))
    assert everyones_family(servant, *fresh) == everyones_family(servant)


def test_csv_export_writes_the_family_and_a_fresh_database_gets_it_back(servant, tmp_path: Path) -> None:
    ok(servant("import", str(GOOGLE)))
    ok(servant("import", str(APPLE)))
    out = tmp_path / "everyone.csv"
    ok(servant("export", "csv", "-o", str(out)))
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}
    assert (rows["Emma Smith"]["child_of"], rows["Emma Smith"]["spouse_of"]) == ("Alice Smith; Bob Smith", "")
    assert rows["Alice Smith"]["spouse_of"] == "Bob Smith"
    assert rows["Ann O'Brien"]["relations"] == "spouse=Frank O'Brien; brother=Tom O'Brien"
    assert rows["John Okafor"]["relations"] == "mother=Grace Okafor; friend=Sam Jones"

    fresh = ("--db", str(tmp_path / "fresh.db"))
    ok(servant(*fresh, "import", str(out)))
    assert everyones_family(servant, *fresh) == everyones_family(servant)
    before = dump(tmp_path / "fresh.db")
    assert "0 added, 0 updated, 7 unchanged" in ok(servant(*fresh, "import", str(out)))
    assert dump(tmp_path / "fresh.db") == before


def test_a_bad_relations_cell_skips_its_row_with_the_reason(servant, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,relations\nAnn,Frank O'Brien\nBea,brother=Tom\n", encoding="utf-8")
    assert ok(
        servant("import", str(path)),
        stderr=(
            'Note: skipped Ann: relations "Frank O\'Brien" needs the form LABEL=NAME,'
            " e.g. 'brother=Tom Smith' (line 2)\n"
        ),
    ) == (
        "Imported people.csv (servant CSV): 1 added, 0 updated, 0 unchanged, 1 skipped\n"
        "  added Bea (#1)\n  kept Bea's brother Tom as text\n"
    )
    assert family(servant, "Bea") == [("brother", "Tom", False)]


def test_links_made_before_schema_10_are_kept_both_ways(servant, tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "v9.db"
    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent / "data" / "schema-v9.sql").read_text(encoding="utf-8"))
    conn.close()
    db = ("--db", str(path))
    assert family(servant, "Aiko", *db) == [("spouse", "Ben Ode", True), ("child", "Lucía Pérez", True)]
    assert family(servant, "Ben", *db) == [("spouse", "Aiko Tanaka", True)]
    assert family(servant, "Lucía", *db) == [("parent", "Aiko Tanaka", True)]
    assert ok(servant(*db, "edit", "Lucía", "--child-of", "Ben")) == (
        "Updated Lucía Pérez (#4)\n  Family: Aiko Tanaka and Ben Ode's child (was Aiko Tanaka's child)\n"
    )


def test_a_dry_run_says_what_it_would_link_and_json_lists_every_relation(servant, db_path: Path) -> None:
    ok(servant("add", "Frank O'Brien"))
    before = dump(db_path)
    said = ok(servant("import", str(GOOGLE), "--dry-run"))
    assert (
        "  would link Frank O'Brien as Ann O'Brien's spouse\n  would keep Ann O'Brien's brother Tom O'Brien as text\n"
        in said
    )
    assert dump(db_path) == before
    data = json.loads(ok(servant("import", str(GOOGLE), "--json")))
    assert [(f["person"], f["relation"], f["name"], f["linked"]) for f in data["family"]] == [
        ("Alice Smith", "spouse", "Bob Smith", True),
        ("Alice Smith", "child", "Emma Smith", True),
        ("Bob Smith", "child", "Emma Smith", True),
        ("Ann O'Brien", "spouse", "Frank O'Brien", True),
        ("Ann O'Brien", "brother", "Tom O'Brien", False),
    ]
    assert data["family"][3]["linked_id"] == 1


def test_a_new_spouse_replaces_the_old_link_both_ways_and_says_so(servant) -> None:
    ok(servant("import", str(GOOGLE)))
    ok(servant("add", "Carl Jones"))
    assert ok(servant("edit", "Alice", "--spouse-of", "Carl")) == (
        "Updated Alice Smith (#1)\n  Family: Carl Jones's spouse (was Bob Smith's spouse)\n"
    )
    assert family(servant, "Bob") == [("child", "Emma Smith", True)]
    assert family(servant, "Carl") == [("spouse", "Alice Smith", True)]
    result = servant("edit", "Emma", "--spouse-of", "Carl")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --spouse-of: Carl Jones is Alice Smith's spouse already; unlink them first:"
        " servant edit '#5' --spouse-of ''\n",
    )


def test_the_json_export_keeps_both_parents_spouses_and_relations_kept_as_text(servant, tmp_path: Path) -> None:
    ok(servant("import", str(GOOGLE)))
    ok(servant("import", str(APPLE)))
    ok(servant("import", str(RELATED)))
    first = tmp_path / "first.json"
    ok(servant("export", "json", "-o", str(first)))
    people = {person["name"]: person for person in json.loads(first.read_text(encoding="utf-8"))["people"]}
    ids = {name: person["id"] for name, person in people.items()}
    assert people["Emma Smith"]["family"] == [
        {"relation": "child", "of": ids["Alice Smith"]},
        {"relation": "child", "of": ids["Bob Smith"]},
    ]
    assert {"relation": "spouse", "name": "Frank O'Brien"} in people["Ann O'Brien"]["relations"]

    fresh = ("--db", str(tmp_path / "fresh.db"))
    ok(servant(*fresh, "import", str(first)))
    assert everyones_family(servant, *fresh) == everyones_family(servant)
    second = tmp_path / "second.json"
    ok(servant(*fresh, "export", "json", "-o", str(second)))
    assert second.read_bytes() == first.read_bytes()
    before = dump(tmp_path / "fresh.db")
    ok(servant(*fresh, "import", str(first)))
    assert dump(tmp_path / "fresh.db") == before


def test_a_relation_given_by_uid_becomes_a_link_when_that_card_comes(servant, tmp_path: Path) -> None:
    parent = tmp_path / "parent.vcf"
    parent.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:11111111-2222-3333-4444-555555555555\r\nFN:Dora Field\r\n"
        "RELATED;TYPE=child:urn:uuid:99999999-2222-3333-4444-555555555555\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    child = tmp_path / "child.vcf"
    child.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:99999999-2222-3333-4444-555555555555\r\nFN:Zed Field\r\n"
        "BDAY:20191201\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    ok(servant("import", str(parent), "-q"))
    assert family(servant, "Dora") == [("child", "urn:uuid:99999999-2222-3333-4444-555555555555", False)]
    ok(servant("import", str(child), "-q"))
    assert family(servant, "Dora") == [("child", "Zed Field", True)]
    assert family(servant, "Zed") == [("parent", "Dora Field", True)]


def test_a_spouse_kept_as_text_is_named_in_upcoming_when_no_one_has_a_link(servant, tmp_path: Path) -> None:
    # The family is looked for only in a book where someone has some: a relation kept as
    # text is family too.
    card = tmp_path / "ann.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann O'Brien\r\nBDAY:--1205\r\n"
        "RELATED;TYPE=spouse;VALUE=text:Frank O'Brien\r\nEND:VCARD\r\n"
    )
    ok(servant("import", str(card)))
    assert ok(servant("upcoming", "--from", "2026-12-01")) == (
        "in 4 days  Sat 5 Dec 2026  Ann O'Brien  Birthday · Frank O'Brien's spouse\n"
    )
    ok(servant("add", "Ben Ode", "--birthday", "12-06"))
    listed = json.loads(ok(servant("upcoming", "--from", "2026-12-01", "--json")))
    assert [(item["person"], item["family"]) for item in listed] == [
        ("Ann O'Brien", "Frank O'Brien's spouse"),
        ("Ben Ode", None),
    ]
