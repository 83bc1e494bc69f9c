"""``servant import DIR``: a folder of .vcf files, one contact a file (a vdir, as vdirsyncer
keeps a CardDAV address book), through the command line.

What a user sees: one import of the whole folder (one summary, one transaction, one dry
run), files read in the order of their names and the ones that are not cards left out,
a bad card or file skipped and named, and the people whose file has gone from the folder
reported, then, with ``--prune``, removed or untied from it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from davservers import contacts_config, vdirsyncer
from helpers import dump, ok, people, temp_trigger


def card(name: str, uid: str | None = None, *extra: str) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", *([f"UID:{uid}"] if uid else []), f"FN:{name}", *extra, "END:VCARD"]
    return "\r\n".join(lines) + "\r\n"


ADA = card("Ada Lovelace", "ada-1", "BDAY:1815-12-10", "EMAIL:ada@example.com", "CATEGORIES:Maths")
BOB = card("Bob Stone", "bob-2", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-06-20")
CY = card("Cy Young", "cy-3", "BDAY:1867-03-29", "item1.X-ABDATE:1890-05-05", "item1.X-ABLabel:First pitch")


def put(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The test's HOME (conftest points HOME there): folders under it are shown as ~/…"""
    return tmp_path / "home"


@pytest.fixture
def family(home: Path) -> Path:
    """~/.contacts/family as vdirsyncer leaves it: a card a file, named by UID, and its displayname."""
    folder = home / ".contacts" / "family"
    put(folder, "ada-1.vcf", ADA)
    put(folder, "bob-2.vcf", BOB)
    put(folder, "cy-3.vcf", CY)
    put(folder, "displayname", "Family\n")
    return folder


def names(servant) -> list[str]:
    return [person["name"] for person in json.loads(ok(servant("list", "--json")))]


# -- reading a folder ------------------------------------------------------------------------


def test_a_folder_of_cards_is_one_import_of_every_card_in_the_order_of_the_file_names(servant, family) -> None:
    put(family, "0-zoe.VCF", card("Zoe Quinn", "zoe-0"))  # any case of .vcf
    assert ok(servant("import", str(family))) == (
        "Imported ~/.contacts/family (vCard folder): 4 added, 0 updated, 0 unchanged, 0 skipped\n"
        "  added Zoe Quinn (#1)\n"
        "  added Ada Lovelace (#2)\n"
        "  added Bob Stone (#3)\n"
        "  added Cy Young (#4)\n"
    )
    found = people(servant)
    assert found["Ada Lovelace"]["email"] == "ada@example.com"
    assert found["Ada Lovelace"]["tags"] == ["Maths"]
    assert {key["label"]: key["date"] for key in found["Cy Young"]["dates"]} == {
        "Birthday": "1867-03-29",
        "First pitch": "1890-05-05",
    }
    assert {key["label"]: key["date"] for key in found["Bob Stone"]["dates"]} == {"Birthday": "--06-20"}


def test_only_vcf_files_are_read_not_temporary_hidden_or_nested_ones(servant, family) -> None:
    put(family, "dan-4.vcfk3j9x2a1", card("Dan Half Written", "dan-4"))  # vdirsyncer 0.20+ writes here, then renames
    put(family, "eve-5.vcf.tmp", card("Eve Temporary", "eve-5"))
    put(family, ".fay-6.vcf", card("Fay Hidden", "fay-6"))
    put(family, "notes.txt", "not a card")
    put(family / "old", "gus-7.vcf", card("Gus Nested", "gus-7"))
    (family / "folder.vcf").mkdir()
    result = servant("import", str(family))
    assert ok(result).splitlines()[0] == (
        "Imported ~/.contacts/family (vCard folder): 3 added, 0 updated, 0 unchanged, 0 skipped"
    )
    assert names(servant) == ["Ada Lovelace", "Bob Stone", "Cy Young"]


def test_a_card_with_a_large_photo_is_read_whole(servant, family) -> None:
    photo = "PHOTO;ENCODING=b;TYPE=JPEG:" + "QUJD" * 50_000  # 200 KB, folded as exporters do
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    put(family, "dee-4.vcf", card("Dee Photo", "dee-4", folded, "BDAY:1970-01-02"))
    assert ok(servant("import", str(family), "-q")) == (
        "Imported ~/.contacts/family (vCard folder): 4 added, 0 updated, 0 unchanged, 0 skipped\n"
    )
    dates = people(servant)["Dee Photo"]["dates"]
    assert [(key["label"], key["date"]) for key in dates] == [("Birthday", "1970-01-02")]


def test_importing_the_same_folder_again_changes_nothing(servant, family, db_path) -> None:
    ok(servant("import", str(family), "--tag", "family"))
    before = dump(db_path)
    assert ok(servant("import", str(family), "--tag", "family")) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 3 unchanged, 0 skipped\n"
    )
    assert dump(db_path) == before


def test_a_changed_card_updates_and_an_edit_made_here_stays(servant, family) -> None:
    ok(servant("import", str(family)))
    ok(servant("edit", "Ada", "--email", "ada@engines.example"))
    put(family, "ada-1.vcf", ADA.replace("BDAY:1815-12-10", "BDAY:1815-12-11"))
    assert ok(servant("import", str(family))) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 1 updated, 2 unchanged, 0 skipped\n"
        "  changed birthday for Ada Lovelace: 11 December 1815 (was 10 December 1815)\n"
    )
    ada = people(servant)["Ada Lovelace"]
    assert ada["email"] == "ada@engines.example"


def test_a_bad_card_or_file_is_skipped_and_named_by_its_file_and_the_rest_imports(servant, family) -> None:
    put(family, "bob-2.vcf", BOB.replace("1604-06-20", "1604-13-45"))
    put(family, "broken.vcf", "this is not a card\n")
    put(family, "empty.vcf", "")
    put(family, "latin1.vcf", card("Zoë", "zoe").encode("latin-1"))
    put(family, "cut.vcf", ADA.replace("END:VCARD\r\n", ""))
    result = servant("import", str(family))
    assert ok(
        result,
        stderr=(
            "Note: skipped Bob Stone: BDAY '1604-13-45' is not a date: there is no month 13 (bob-2.vcf)\n"
            "Note: skipped broken.vcf: not a vCard file: line 1 is 'this is not a card', not BEGIN:VCARD\n"
            "Note: skipped cut.vcf: card 1 (BEGIN:VCARD on line 1) has no END:VCARD: the file looks cut short\n"
            "Note: skipped empty.vcf: the file is empty\n"
            "Note: skipped latin1.vcf: the file is not UTF-8 text (byte 0xEB on line 4); "
            "save it as UTF-8 and import it again\n"
        ),
    ) == (
        "Imported ~/.contacts/family (vCard folder): 2 added, 0 updated, 0 unchanged, 5 skipped\n"
        "  added Ada Lovelace (#1)\n"
        "  added Cy Young (#2)\n"
    )


def test_a_card_that_matches_two_people_is_skipped_naming_its_file(servant, family) -> None:
    ok(servant("add", "Bob Stone", "--tag", "one"))
    ok(
        servant("add", "Bob Stone", "--new", "--tag", "two"),
        stderr="Note: there was already someone called Bob Stone (#1).\n",
    )
    put(family, "bob-2.vcf", card("Bob Stone"))
    result = servant("import", str(family))
    assert ok(
        result, stderr="Note: skipped Bob Stone: 2 people are called this (#1, #2); update them by hand (bob-2.vcf)\n"
    ).splitlines()[0] == ("Imported ~/.contacts/family (vCard folder): 2 added, 0 updated, 0 unchanged, 1 skipped")


def test_a_file_of_several_cards_gives_them_all_each_named_by_file_and_card(servant, family) -> None:
    put(family, "export.vcf", card("Dee Dee", "dee") + card("Eli Bad", "eli", "BDAY:1990-02-30"))
    result = servant("import", str(family))
    assert ok(
        result,
        stderr="Note: skipped Eli Bad: BDAY '1990-02-30' is not a date: February has no day 30"
        " (export.vcf, card 2 at line 6)\n",
    ).splitlines()[0] == ("Imported ~/.contacts/family (vCard folder): 4 added, 0 updated, 0 unchanged, 1 skipped")
    assert "Dee Dee" in names(servant)


def test_a_dry_run_of_a_folder_writes_nothing(servant, family, db_path) -> None:
    ok(servant("add", "Someone Else"))
    before = dump(db_path)
    result = servant("import", str(family), "--dry-run")
    assert ok(result).splitlines()[0] == (
        "Dry run, nothing was written. ~/.contacts/family (vCard folder) would give: 3 added, 0 updated, "
        "0 unchanged, 0 skipped"
    )
    assert dump(db_path) == before


def test_a_folder_with_no_card_is_refused_naming_the_address_books_in_it(servant, home, family, db_path) -> None:
    put(home / ".contacts" / "work", "x.vcf", card("Wes Work", "wes"))
    result = servant("import", str(home / ".contacts"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: ~/.contacts holds no .vcf files, but its folders family, work do: "
        "import each of them (servant import ~/.contacts/family)\n"
    )
    assert not db_path.exists()


def test_a_format_other_than_vcard_for_a_folder_is_refused(servant, family, db_path) -> None:
    result = servant("import", str(family), "--format", "csv")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: a folder is read as .vcf files, one contact a file; --format csv is for a file\n"
    assert not db_path.exists()


def test_prune_is_refused_for_a_single_file(servant, tmp_path, db_path) -> None:
    path = put(tmp_path, "contacts.vcf", ADA)
    result = servant("import", str(path), "--prune")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: --prune is for a folder of .vcf files, where servant can tell who left; {path} is a file\n"
    )
    assert not db_path.exists()


def test_one_transaction_a_failure_at_the_end_leaves_nothing_of_the_folder(
    servant, family, db_path, monkeypatch
) -> None:
    ok(servant("add", "Someone Else"))
    before = dump(db_path)
    temp_trigger(  # the last write of a folder's import: who is in it
        monkeypatch,
        db_path,
        "CREATE TEMP TRIGGER fail_at_the_end BEFORE INSERT ON main.import_memory WHEN NEW.source LIKE 'vdir:%'"
        " BEGIN SELECT RAISE(ABORT, 'the disk went away'); END",
    )
    result = servant("import", str(family))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "Error: the database could not be used: the disk went away; nothing was changed\n"
    assert dump(db_path) == before


# -- who has left the folder -----------------------------------------------------------------


@pytest.fixture
def imported(servant, family) -> Path:
    ok(servant("import", str(family), "--tag", "family"))
    return family


def test_a_contact_whose_file_is_gone_is_reported_at_each_import_and_kept(servant, imported, db_path) -> None:
    (imported / "ada-1.vcf").unlink()
    (imported / "bob-2.vcf").unlink()
    before = dump(db_path)
    report = (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
        "2 contacts no longer in ~/.contacts/family; with --prune servant would:\n"
        "  remove Ada Lovelace (#1)\n"
        "  remove Bob Stone (#2)\n"
    )
    assert ok(servant("import", str(imported))) == report
    assert dump(db_path) == before
    assert ok(servant("import", str(imported))) == report, "said again until pruned"
    assert ok(servant("import", str(imported), "-q")) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
        "2 contacts no longer in ~/.contacts/family; with --prune servant would:\n"
    )


def test_prune_removes_whom_servant_holds_nothing_of_its_own_for(servant, imported) -> None:
    (imported / "ada-1.vcf").unlink()
    (imported / "cy-3.vcf").unlink()
    assert ok(servant("import", str(imported), "--prune")) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
        "2 contacts no longer in ~/.contacts/family: 2 removed, 0 kept\n"
        "  removed Ada Lovelace (#1)\n"
        "  removed Cy Young (#3)\n"
    )
    assert names(servant) == ["Bob Stone"], "their imported dates, tags and email were not their own"
    assert ok(servant("import", str(imported), "--prune")) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
    )


@pytest.mark.parametrize(
    ("command", "has"),
    [
        (["log", "Ada", "card", "--on", "2026-01-02"], "has 1 gesture"),
        (["idea", "Ada", "a slide rule"], "has 1 gift idea"),
        (["date", "Ada", "anniversary", "1835-07-08"], "has 1 date set in servant"),
        (["date", "Ada", "birthday", "--plan", "card"], "has 1 date set in servant"),
        (["date", "Ada", "birthday", "1815-12-11"], "has 1 date set in servant"),
        (["edit", "Ada", "--every", "90"], "has a keep-in-touch time"),
        (["edit", "Ada", "--note", "Met at the Royal Society"], "has notes written in servant"),
        (["add", "Byron", "--child-of", "Ada"], "has 1 family link"),
    ],
    ids=["gesture", "idea", "date-added", "plan", "date-changed", "every", "note", "family"],
)
def test_prune_keeps_whom_servant_holds_something_of_its_own_for_and_unties_them(
    servant, imported, command, has
) -> None:
    ok(servant(*command))
    (imported / "ada-1.vcf").unlink()
    assert ok(servant("import", str(imported), "--prune", "--dry-run")) == (
        "Dry run, nothing was written. ~/.contacts/family (vCard folder) would give: "
        "0 added, 0 updated, 2 unchanged, 0 skipped\n"
        "1 contact no longer in ~/.contacts/family: 0 to remove, 1 to keep\n"
        f"  would keep Ada Lovelace (#1): {has}; would take tag family off\n"
    )
    assert people(servant)["Ada Lovelace"]["tags"] == ["Maths", "family"], "a dry run"
    assert ok(servant("import", str(imported), "--prune")) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 2 unchanged, 0 skipped\n"
        "1 contact no longer in ~/.contacts/family: 0 removed, 1 kept\n"
        f"  kept Ada Lovelace (#1): {has}; took tag family off\n"
    )
    ada = people(servant)["Ada Lovelace"]
    assert ada["tags"] == ["Maths"], "the card's own categories stay; the folder's --tag goes"
    assert ada["email"] == "ada@example.com"
    assert ok(servant("import", str(imported), "--prune")) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 2 unchanged, 0 skipped\n"
    ), "untied from the folder: not said again"


def test_a_kept_contact_whose_card_comes_back_is_in_the_folder_again(servant, imported) -> None:
    ok(servant("log", "Ada", "call", "--on", "2026-01-02"))
    (imported / "ada-1.vcf").unlink()
    ok(servant("import", str(imported), "--prune"))
    put(imported, "ada-1.vcf", ADA)
    assert ok(servant("import", str(imported), "--tag", "family")) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 1 updated, 2 unchanged, 0 skipped\n"
        "  changed tags for Ada Lovelace: Maths, family (was Maths)\n"
    )
    (imported / "ada-1.vcf").unlink()
    assert "1 contact no longer in ~/.contacts/family" in ok(servant("import", str(imported)))


def test_a_card_that_cannot_be_read_this_time_or_moved_to_another_file_has_not_left(servant, imported) -> None:
    put(imported, "ada-1.vcf", ADA.replace("1815-12-10", "1815-13-10"))  # still there, unreadable today
    (imported / "bob-2.vcf").rename(imported / "robert.vcf")  # the same card (UID) in another file
    result = servant("import", str(imported), "--prune")
    assert ok(result, stderr=result.stderr) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 2 unchanged, 1 skipped\n"
    )
    assert result.stderr.startswith("Note: skipped Ada Lovelace: BDAY '1815-13-10' is not a date")
    assert names(servant) == ["Ada Lovelace", "Bob Stone", "Cy Young"]
    (imported / "robert.vcf").unlink()
    assert "  remove Bob Stone (#2)\n" in ok(servant("import", str(imported)), stderr=result.stderr)


def test_a_contact_still_in_another_folder_is_kept_with_that_folders_tag(servant, imported, home) -> None:
    work = home / ".contacts" / "work"
    put(work, "ada.vcf", ADA)
    ok(servant("import", str(work), "--tag", "work"))
    (imported / "ada-1.vcf").unlink()
    assert ok(servant("import", str(imported), "--prune")).splitlines()[1:] == [
        "1 contact no longer in ~/.contacts/family: 0 removed, 1 kept",
        "  kept Ada Lovelace (#1): is still in ~/.contacts/work; took tag family off",
    ]
    assert people(servant)["Ada Lovelace"]["tags"] == ["Maths", "work"]


def test_a_folder_is_known_by_its_real_path_however_it_is_named(servant, imported, tmp_path) -> None:
    link = tmp_path / "fam"
    link.symlink_to(imported)
    (imported / "bob-2.vcf").unlink()
    assert ok(servant("import", f"{link}/")).splitlines()[1:] == [
        "1 contact no longer in ~/.contacts/family; with --prune servant would:",
        "  remove Bob Stone (#2)",
    ]


def test_a_folder_emptied_since_its_last_import_is_read_and_everyone_in_it_has_left(servant, imported) -> None:
    for path in imported.glob("*.vcf"):
        path.unlink()
    assert ok(servant("import", str(imported), "--prune")) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 0 unchanged, 0 skipped\n"
        "3 contacts no longer in ~/.contacts/family: 3 removed, 0 kept\n"
        "  removed Ada Lovelace (#1)\n"
        "  removed Bob Stone (#2)\n"
        "  removed Cy Young (#3)\n"
    )
    assert names(servant) == []


def test_a_person_removed_here_is_not_said_to_have_left(servant, imported) -> None:
    ok(servant("rm", "Bob", "--yes"))
    (imported / "bob-2.vcf").unlink()
    assert ok(servant("import", str(imported))) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 2 unchanged, 0 skipped\n"
    )


def test_json_names_the_folder_and_everyone_who_left_it(servant, imported) -> None:
    ok(servant("idea", "Ada", "a slide rule"))
    (imported / "ada-1.vcf").unlink()
    (imported / "bob-2.vcf").unlink()
    found = json.loads(ok(servant("import", str(imported), "--prune", "--json")))
    assert found["file"] is None
    assert found["folder"] == str(imported)
    assert found["counts"] == {"added": 0, "updated": 0, "unchanged": 1, "skipped": 0, "conflicts": 0, "left": 2}
    assert found["left"] == [
        {
            "id": 1,
            "name": "Ada Lovelace",
            "file": "ada-1.vcf",
            "uid": "ada-1",
            "result": "kept",
            "removable": False,
            "has": ["1 gift idea"],
            "still_in": [],
            "untagged": ["family"],
        },
        {
            "id": 2,
            "name": "Bob Stone",
            "file": "bob-2.vcf",
            "uid": "bob-2",
            "result": "removed",
            "removable": True,
            "has": [],
            "still_in": [],
            "untagged": [],
        },
    ]


# -- from a CardDAV server, through vdirsyncer -------------------------------------------------


def test_a_contact_on_a_carddav_server_reaches_servant_through_vdirsyncer(servant, radicale, tmp_path, home) -> None:
    """The README's way: vdirsyncer (the real one) keeps an address book of the session's
    Radicale as a folder, and servant imports the folder; a change and a deletion on the
    server follow the same way."""
    account = radicale.account()
    book = account.make_addressbook("family")
    account.put_card(f"{book}ada-1.vcf", ADA)
    account.put_card(f"{book}bob-2.vcf", BOB)
    contacts = home / ".contacts"
    config = contacts_config(tmp_path, contacts, account)
    said = vdirsyncer(tmp_path, config, "discover", answers="y\n")
    assert "family" in said
    vdirsyncer(tmp_path, config, "sync")
    assert ok(servant("import", str(contacts / "family"))) == (
        "Imported ~/.contacts/family (vCard folder): 2 added, 0 updated, 0 unchanged, 0 skipped\n"
        "  added Ada Lovelace (#1)\n"
        "  added Bob Stone (#2)\n"
    )
    shown = ok(servant("show", "Ada", "--from", "2026-11-22"))
    assert "ada@example.com" in shown
    assert "Birthday  10 December 1815" in shown

    account.put_card(f"{book}ada-1.vcf", ADA.replace("EMAIL:ada@example.com", "EMAIL:ada@engines.example"))
    vdirsyncer(tmp_path, config, "sync")
    assert ok(servant("import", str(contacts / "family"))) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 1 updated, 1 unchanged, 0 skipped\n"
        "  changed email for Ada Lovelace: ada@engines.example (was ada@example.com)\n"
    )
    assert "ada@engines.example" in ok(servant("show", "Ada", "--from", "2026-11-22"))

    account.delete(f"{book}ada-1.vcf")
    vdirsyncer(tmp_path, config, "sync")
    assert ok(servant("import", str(contacts / "family"), "--prune")) == (
        "Imported ~/.contacts/family (vCard folder): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
        "1 contact no longer in ~/.contacts/family: 1 removed, 0 kept\n"
        "  removed Ada Lovelace (#1)\n"
    )
    assert names(servant) == ["Bob Stone"]
