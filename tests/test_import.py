"""``servant import`` and ``servant export csv|vcard`` through the command line.

The readers of each format are tested on their own in ``test_importers.py``; here is
what a user sees: the summary, what is stored, that a repeat changes nothing, that a
newer file updates without duplicating, that a dry run writes nothing, and that data
leaves servant and comes back whole.
"""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ANSI, dump, ok, people
from servant_cli.store import Store

APPLE = """BEGIN:VCARD\r
VERSION:3.0\r
PRODID:-//Apple Inc.//macOS 14.5//EN\r
N:Lovelace;Ada;;;\r
FN:Ada Lovelace\r
ORG:Analytical Engines;\r
EMAIL;type=INTERNET;type=HOME;type=pref:ada@example.com\r
TEL;type=CELL;type=VOICE;type=pref:+44 20 7946 0001\r
BDAY:1815-12-10\r
item1.X-ABDATE;type=pref:1835-07-08\r
item1.X-ABLabel:_$!<Anniversary>!$_\r
CATEGORIES:Clients,VIP\r
UID:8B5C3F3E-1111-4C4B-9E00-ADA000000001\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
N:Stone;Bob;;;\r
FN:Bob Stone\r
BDAY;X-APPLE-OMIT-YEAR=1604:1604-06-20\r
item2.X-ABDATE:2015-06-01\r
item2.X-ABLabel:Shop opening\r
UID:8B5C3F3E-1111-4C4B-9E00-B0B000000002\r
END:VCARD\r
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def dates(profile: dict) -> dict[str, str]:
    return {key["label"]: key["date"] for key in profile["dates"]}


@pytest.fixture
def apple(tmp_path: Path) -> Path:
    return write(tmp_path, "contacts.vcf", APPLE)


def test_a_vcard_file_adds_people_with_their_dates_tags_and_details(servant, apple) -> None:
    result = servant("import", str(apple))
    assert ok(result) == (
        "Imported contacts.vcf (vCard): 2 added, 0 updated, 0 unchanged, 0 skipped\n"
        "  added Ada Lovelace (#1)\n"
        "  added Bob Stone (#2)\n"
    )
    found = people(servant)
    ada = found["Ada Lovelace"]
    assert ada["email"] == "ada@example.com"
    assert ada["company"] == "Analytical Engines"
    assert ada["tags"] == ["Clients", "VIP"]
    assert dates(ada) == {"Birthday": "1815-12-10", "Wedding anniversary": "1835-07-08"}
    assert dates(found["Bob Stone"]) == {"Birthday": "--06-20", "Shop opening": "2015-06-01"}


def test_importing_the_same_file_again_changes_nothing(servant, apple, db_path) -> None:
    ok(servant("import", str(apple)))
    before = dump(db_path)
    assert ok(servant("import", str(apple))) == (
        "Imported contacts.vcf (vCard): 0 added, 0 updated, 2 unchanged, 0 skipped\n"
    )
    assert dump(db_path) == before


def test_a_newer_file_updates_the_people_in_it_without_duplicating_anyone(servant, apple, tmp_path) -> None:
    ok(servant("import", str(apple)))
    newer = APPLE.replace("BDAY:1815-12-10", "BDAY:1815-12-11").replace("ada@example.com", "ada@engines.example")
    newer = newer.replace("FN:Bob Stone", "FN:Robert Stone")
    path = write(tmp_path, "contacts.vcf", newer)
    assert ok(servant("import", str(path))) == (
        "Imported contacts.vcf (vCard): 0 added, 2 updated, 0 unchanged, 0 skipped\n"
        "  changed email for Ada Lovelace: ada@engines.example (was ada@example.com)\n"
        "  changed birthday for Ada Lovelace: 11 December 1815 (was 10 December 1815)\n"
        "  changed name for Robert Stone: Robert Stone (was Bob Stone)\n"
    )
    found = people(servant)
    assert sorted(found) == ["Ada Lovelace", "Robert Stone"], "matched by UID, renamed, not added"
    assert found["Ada Lovelace"]["email"] == "ada@engines.example"
    assert dates(found["Ada Lovelace"])["Birthday"] == "1815-12-11"


def test_people_are_matched_by_email_then_by_name_when_there_is_no_uid(servant, tmp_path) -> None:
    ok(servant("add", "Ada King", "--email", "ADA@example.com"))
    ok(servant("add", "Grace Hopper", "--tag", "navy"))
    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\nBDAY:1815-12-10\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:grace hopper\r\nBDAY:1906-12-09\r\nEND:VCARD\r\n"
    )
    path = write(tmp_path, "phone.vcf", cards)
    # Names typed here differ from the file's: kept, and said (an email in another case is the same).
    assert ok(servant("import", str(path))) == (
        "Imported phone.vcf (vCard): 0 added, 2 updated, 0 unchanged, 0 skipped, 2 conflicts\n"
        "  kept your name for Ada King; the file now says Ada Lovelace\n"
        "  kept your name for Grace Hopper; the file now says grace hopper\n"
        "  added birthday for Ada King: 10 December 1815\n"
        "  added birthday for Grace Hopper: 9 December 1906\n"
    )
    found = people(servant)
    assert sorted(found) == ["Ada King", "Grace Hopper"]
    assert dates(found["Ada King"]) == {"Birthday": "1815-12-10"}
    assert found["Ada King"]["email"] == "ADA@example.com"
    assert found["Grace Hopper"]["tags"] == ["navy"]
    assert ok(servant("import", str(path), "--prefer-file")).splitlines() == [
        "Imported phone.vcf (vCard): 0 added, 2 updated, 0 unchanged, 0 skipped, 2 conflicts",
        "  took the file's name for Ada Lovelace: Ada Lovelace (yours was Ada King)",
        "  took the file's name for grace hopper: grace hopper (yours was Grace Hopper)",
    ]
    assert sorted(people(servant)) == ["Ada Lovelace", "grace hopper"]


def test_a_name_shared_by_two_people_is_skipped_not_guessed(servant, tmp_path, db_path) -> None:
    ok(servant("add", "Sam Park"))
    ok(servant("add", "Sam Park", "--new"), stderr="Note: there was already someone called Sam Park (#1).\n")
    before = dump(db_path)
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Park\r\nBDAY:1990-01-02\r\nEND:VCARD\r\n"
    result = servant("import", str(write(tmp_path, "sam.vcf", card)))
    skipped = "Note: skipped Sam Park: 2 people are called this (#1, #2); update them by hand\n"
    assert ok(result, stderr=skipped) == "Imported sam.vcf (vCard): 0 added, 0 updated, 0 unchanged, 1 skipped\n"
    assert result.stderr == ("Note: skipped Sam Park: 2 people are called this (#1, #2); update them by hand\n")
    assert dump(db_path) == before


def test_a_date_without_a_year_keeps_the_year_servant_has(servant, tmp_path) -> None:
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-12-10"))
    card = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nBDAY:--1210\r\nEND:VCARD\r\n"
    result = servant("import", str(write(tmp_path, "ada.vcf", card)))
    assert ok(result) == "Imported ada.vcf (vCard): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
    assert dates(people(servant)["Ada Lovelace"]) == {"Birthday": "1815-12-10"}


def test_dry_run_says_what_would_change_and_writes_nothing(servant, apple, db_path) -> None:
    ok(servant("add", "Ada Lovelace", "--birthday", "1815-12-10"))
    before = dump(db_path)
    result = servant("import", str(apple), "--dry-run")
    assert ok(result) == (
        "Dry run, nothing was written. contacts.vcf (vCard) would give: 1 added, 1 updated, 0 unchanged, 0 skipped\n"
        "  would add company for Ada Lovelace: Analytical Engines\n"
        "  would add email for Ada Lovelace: ada@example.com\n"
        "  would add phone for Ada Lovelace: +44 20 7946 0001\n"
        "  would add tags for Ada Lovelace: Clients, VIP\n"
        "  would add wedding anniversary for Ada Lovelace: 8 July 1835\n"
        "  would add Bob Stone\n"
    )
    assert dump(db_path) == before
    assert ok(servant("import", str(apple))) == (
        "Imported contacts.vcf (vCard): 1 added, 1 updated, 0 unchanged, 0 skipped\n"
        "  added company for Ada Lovelace: Analytical Engines\n"
        "  added email for Ada Lovelace: ada@example.com\n"
        "  added phone for Ada Lovelace: +44 20 7946 0001\n"
        "  added tags for Ada Lovelace: Clients, VIP\n"
        "  added wedding anniversary for Ada Lovelace: 8 July 1835\n"
        "  added Bob Stone (#2)\n"
    )


def test_tag_gives_everyone_in_the_file_a_tag(servant, apple) -> None:
    ok(servant("import", str(apple), "--tag", "from-phone"))
    found = people(servant)
    assert found["Ada Lovelace"]["tags"] == ["Clients", "VIP", "from-phone"]
    assert found["Bob Stone"]["tags"] == ["from-phone"]


def test_a_bad_record_is_skipped_with_a_warning_and_the_rest_imports(servant, tmp_path) -> None:
    cards = APPLE.replace("BDAY:1815-12-10", "BDAY:1990-13-45")
    result = servant("import", str(write(tmp_path, "contacts.vcf", cards)))
    skipped = "Note: skipped Ada Lovelace: BDAY '1990-13-45' is not a date: there is no month 13 (card 1 at line 1)\n"
    assert ok(result, stderr=skipped) == (
        "Imported contacts.vcf (vCard): 1 added, 0 updated, 0 unchanged, 1 skipped\n  added Bob Stone (#1)\n"
    )
    assert "Ada Lovelace" in result.stderr and "1990-13-45" in result.stderr
    assert result.stderr.startswith("Note: skipped Ada Lovelace: ")
    assert sorted(people(servant)) == ["Bob Stone"]


@pytest.mark.parametrize(
    "text",
    [
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nBDAY:1815-12-10\r\n",  # cut off: no END:VCARD
        "this is not an address book\n",
        "",
    ],
)
def test_a_file_that_cannot_be_read_is_one_error_and_creates_nothing(servant, tmp_path, db_path, text) -> None:
    result = servant("import", str(write(tmp_path, "broken.vcf", text)))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert not db_path.exists()


def test_a_missing_file_or_a_folder_without_cards_is_one_error(servant, tmp_path, db_path) -> None:
    result = servant("import", str(tmp_path / "nowhere.vcf"))
    assert (result.exit_code, result.stderr) == (1, f"Error: {tmp_path / 'nowhere.vcf'} does not exist\n")
    write(tmp_path, "notes.txt", "not a card")
    result = servant("import", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path} holds no .vcf files; give a folder of .vcf files (one contact a file) or an exported file\n"
    )
    assert not db_path.exists()


LINKEDIN = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Grace,Hopper,https://www.linkedin.com/in/gracehopper,grace@navy.example,US Navy,Rear Admiral,12 Mar 2021\n"
)
GOOGLE = (
    "\ufeffFirst Name,Middle Name,Last Name,Organization Name,Birthday,Notes,Labels,E-mail 1 - Label,"
    "E-mail 1 - Value,Event 1 - Label,Event 1 - Value\n"
    "Linus,,Berg,Berg & Sons,--08-02,Likes sailing,* myContacts ::: Clients,* Work,linus@berg.example,"
    "Anniversary,2001-05-19\n"
)


def test_linkedin_and_google_exports_are_recognised_without_format(servant, tmp_path) -> None:
    result = servant("import", str(write(tmp_path, "Connections.csv", LINKEDIN)))
    assert ok(result).splitlines()[0] == (
        "Imported Connections.csv (LinkedIn CSV): 1 added, 0 updated, 0 unchanged, 0 skipped"
    )
    result = servant("import", str(write(tmp_path, "contacts.csv", GOOGLE)))
    assert ok(result).splitlines()[0] == (
        "Imported contacts.csv (Google Contacts CSV): 1 added, 0 updated, 0 unchanged, 0 skipped"
    )
    found = people(servant)
    grace = found["Grace Hopper"]
    assert (grace["company"], grace["position"], grace["connected_on"]) == ("US Navy", "Rear Admiral", "2021-03-12")
    assert grace["tags"] == ["linkedin"]
    linus = found["Linus Berg"]
    assert linus["tags"] == ["Clients"]
    assert dates(linus) == {"Birthday": "--08-02", "Wedding anniversary": "2001-05-19"}


# -- export csv and vcard, and back --------------------------------------------------------


def rows_without_ids(path: Path) -> dict[str, list]:
    """What a person and their dates say, without ids, timestamps and change counts."""
    conn = sqlite3.connect(path)
    try:
        people = conn.execute(
            "SELECT id, name, company, email, phone, tags, notes, position, connected_on FROM person"
        ).fetchall()
        found = {}
        for person_id, *fields in people:
            occasions = conn.execute(
                "SELECT kind, label, month, day, year, yearly, lead_days, plan FROM occasion WHERE person_id = ?"
                " ORDER BY kind, label",
                (person_id,),
            ).fetchall()
            found[fields[0]] = [fields, occasions]
        return found
    finally:
        conn.close()


def test_export_csv_then_import_into_a_new_database_loses_nothing(servant, apple, tmp_path, db_path) -> None:
    ok(servant("import", str(apple)))
    ok(servant("add", "Zoë =SUM(A1)", "--note", 'line one\nline two, with; punctuation "quoted"', "--tag", "a, b"))
    ok(servant("date", "Zoë", "custom", "2026-12-24", "--label", "Launch party", "--once", "--lead", "10"))
    ok(servant("date", "Zoë", "birthday", "--03-03", "--plan", "card"))
    out = tmp_path / "people.csv"
    assert ok(servant("export", "csv", "-o", str(out))) == f"Wrote 3 people to {out}\n"
    other = tmp_path / "other.db"
    assert ok(servant("--db", str(other), "import", str(out), "--quiet")) == (
        "Imported people.csv (servant CSV): 3 added, 0 updated, 0 unchanged, 0 skipped\n"
    )
    assert rows_without_ids(other) == rows_without_ids(db_path)
    again = ok(servant("--db", str(other), "import", str(out)))
    assert again == "Imported people.csv (servant CSV): 0 added, 0 updated, 3 unchanged, 0 skipped\n"


def test_export_vcard_is_read_back_with_every_name_and_date(servant, apple, tmp_path) -> None:
    ok(servant("import", str(apple)))
    out = tmp_path / "people.vcf"
    ok(servant("export", "vcard", "--version", "4", "-o", str(out), "-q"))
    text = out.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 2
    assert "VERSION:4.0" in text
    assert "BDAY:--0620" in text, "a birthday without a year is written as --MMDD"
    other = tmp_path / "other.db"
    ok(servant("--db", str(other), "import", str(out)))
    original, copy = people(servant), people(lambda *a: servant("--db", str(other), *a))
    assert sorted(copy) == sorted(original)
    for name in original:
        assert dates(copy[name]) == dates(original[name])


# -- a real terminal: the progress bar ---------------------------------------------------------


def test_a_large_file_shows_a_progress_bar_on_a_terminal_and_none_when_piped(tmp_path) -> None:
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nBDAY:1980-01-{n % 28 + 1:02d}\r\nEND:VCARD\r\n"
        for n in range(600)
    )
    path = write(tmp_path, "many.vcf", cards)
    command = [sys.executable, "-m", "servant_cli", "import", str(path), "--dry-run"]
    env = {**os.environ, "COLUMNS": "100"}
    piped = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert piped.stderr == ""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    screen = b""
    while select.select([leader], [], [], 30)[0]:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    os.close(leader)
    assert process.wait(timeout=30) == 0
    assert b"Reading many.vcf" in screen
    assert process.stdout.read().decode().startswith("Dry run, nothing was written. many.vcf (vCard) would give: 600")


def test_two_people_of_one_file_who_share_a_name_or_an_address_stay_two(servant, tmp_path, db_path) -> None:
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\n{email}BDAY:{born}\r\nUID:{uid}\r\nEND:VCARD\r\n"
        for name, email, born, uid in (
            ("John Smith", "", "1970-01-10", "A1"),
            ("John Smith", "", "1985-06-20", "A2"),
            ("Jane Doe", "EMAIL:family@doe.example\r\n", "1980-02-02", "B1"),
            ("Richard Doe", "EMAIL:family@doe.example\r\n", "1978-09-09", "B2"),
        )
    )
    path = write(tmp_path, "family.vcf", cards)
    assert ok(servant("import", str(path), "-q")) == (
        "Imported family.vcf (vCard): 4 added, 0 updated, 0 unchanged, 0 skipped\n"
    )
    before = dump(db_path)
    assert (
        ok(servant("import", str(path))) == "Imported family.vcf (vCard): 0 added, 0 updated, 4 unchanged, 0 skipped\n"
    )
    assert dump(db_path) == before


def test_a_shared_address_is_told_apart_by_name(servant, tmp_path) -> None:
    ok(servant("add", "Jane Doe", "--email", "family@doe.example"))
    ok(servant("add", "Richard Doe", "--email", "family@doe.example"))
    rows = "name,birthday,email\nJane Doe,1980-02-02,family@doe.example\nRichard Doe,1978-09-09,family@doe.example\n"
    result = servant("import", str(write(tmp_path, "doe.csv", rows)))
    assert ok(result) == (
        "Imported doe.csv (servant CSV): 0 added, 2 updated, 0 unchanged, 0 skipped\n"
        "  added birthday for Jane Doe: 2 February 1980\n"
        "  added birthday for Richard Doe: 9 September 1978\n"
    )
    assert dates(people(servant)["Jane Doe"]) == {"Birthday": "1980-02-02"}


def test_a_csv_cut_short_is_refused(servant, tmp_path, db_path) -> None:
    text = "name,birthday,email\nAda Lovelace,1815-12-10,ada@example.com\nBob Sto"
    result = servant("import", str(write(tmp_path, "cut.csv", text)))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: line 3: the last row stops after 1 of 3 columns with no line end")
    assert not db_path.exists()


def test_a_dry_run_without_a_database_creates_none(servant, apple, db_path) -> None:
    result = servant("import", str(apple), "--dry-run")
    assert ok(result).startswith("Dry run, nothing was written. contacts.vcf (vCard) would give: 2 added")
    assert not db_path.exists()


def test_a_database_rebuilt_from_csv_still_knows_people_by_their_address_book_uid(servant, apple, tmp_path) -> None:
    ok(servant("import", str(apple)))
    out = tmp_path / "people.csv"
    ok(servant("export", "csv", "-o", str(out), "-q"))
    rebuilt = tmp_path / "rebuilt.db"
    ok(servant("--db", str(rebuilt), "import", str(out)))
    renamed = write(tmp_path, "renamed.vcf", APPLE.replace("FN:Bob Stone", "FN:Robert Stone"))
    # Matched by UID, not added; the rebuilt database has no memory of the vCard file, so
    # it cannot tell the new name from an edit made here: kept, and said.
    result = servant("--db", str(rebuilt), "import", str(renamed))
    assert ok(result) == (
        "Imported renamed.vcf (vCard): 0 added, 0 updated, 2 unchanged, 0 skipped, 1 conflict\n"
        "  kept your name for Bob Stone; the file now says Robert Stone\n"
    )
    result = servant("--db", str(rebuilt), "import", str(renamed), "--prefer-file", "-q")
    assert ok(result) == "Imported renamed.vcf (vCard): 0 added, 1 updated, 1 unchanged, 0 skipped, 1 conflict\n"
    names = [p["name"] for p in json.loads(ok(servant("--db", str(rebuilt), "list", "--json")))]
    assert names == ["Ada Lovelace", "Robert Stone"]


# -- re-import: what you edit in servant stays ----------------------------------------------

AIKO = (
    "First Name,Last Name,Nickname,Organization Name,Birthday,Labels,E-mail 1 - Value,Phone 1 - Value\n"
    "Aiko,Tanaka,Ai,Tanaka Design,1990-04-05,* myContacts ::: Clients,aiko@tanaka.example,503-555-0100\n"
)


@pytest.fixture
def aiko(servant, tmp_path: Path) -> Path:
    """A Google export with Aiko Tanaka, imported once."""
    path = write(tmp_path, "contacts.csv", AIKO)
    ok(servant("import", str(path)))
    return path


def test_a_field_edited_here_survives_importing_the_same_file_again(servant, aiko) -> None:
    ok(servant("edit", "Aiko", "--phone", "503-555-9999"))
    assert ok(servant("import", str(aiko))) == (
        "Imported contacts.csv (Google Contacts CSV): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
    )
    assert people(servant)["Aiko Tanaka"]["phone"] == "503-555-9999"


def test_a_field_changed_here_and_in_the_file_is_kept_and_named_as_a_conflict(servant, aiko, db_path) -> None:
    ok(servant("edit", "Aiko", "--phone", "503-555-9999"))
    newer = AIKO.replace("503-555-0100", "503.555.0103").replace("aiko@tanaka.example", "aiko@tanaka.design")
    write(aiko.parent, aiko.name, newer)
    before = dump(db_path)
    lines = [
        "  kept your phone for Aiko Tanaka; the file now says 503.555.0103",
        "  changed email for Aiko Tanaka: aiko@tanaka.design (was aiko@tanaka.example)",
    ]
    assert ok(servant("import", str(aiko), "--dry-run")).splitlines() == [
        "Dry run, nothing was written. contacts.csv (Google Contacts CSV) would give: "
        "0 added, 1 updated, 0 unchanged, 0 skipped, 1 conflict",
        *(line.replace("kept", "would keep").replace("changed", "would change") for line in lines),
    ]
    assert dump(db_path) == before, "a dry run remembers nothing either"
    assert ok(servant("import", str(aiko))).splitlines() == [
        "Imported contacts.csv (Google Contacts CSV): 0 added, 1 updated, 0 unchanged, 0 skipped, 1 conflict",
        *lines,
    ]
    aiko_now = people(servant)["Aiko Tanaka"]
    assert (aiko_now["phone"], aiko_now["email"]) == ("503-555-9999", "aiko@tanaka.design")
    # Said once: the same file again changes nothing and says nothing.
    assert ok(servant("import", str(aiko))) == (
        "Imported contacts.csv (Google Contacts CSV): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
    )
    # --prefer-file takes the file's side of the conflict kept earlier.
    assert ok(servant("import", str(aiko), "--prefer-file")).splitlines() == [
        "Imported contacts.csv (Google Contacts CSV): 0 added, 1 updated, 0 unchanged, 0 skipped, 1 conflict",
        "  took the file's phone for Aiko Tanaka: 503.555.0103 (yours was 503-555-9999)",
    ]
    assert people(servant)["Aiko Tanaka"]["phone"] == "503.555.0103"


def test_prefer_file_leaves_a_field_only_you_changed(servant, aiko) -> None:
    ok(servant("edit", "Aiko", "--phone", "503-555-9999", "--company", "Studio Tanaka"))
    write(aiko.parent, aiko.name, AIKO.replace("503-555-0100", "503.555.0103"))
    assert ok(servant("import", str(aiko), "--prefer-file")).splitlines() == [
        "Imported contacts.csv (Google Contacts CSV): 0 added, 1 updated, 0 unchanged, 0 skipped, 1 conflict",
        "  took the file's phone for Aiko Tanaka: 503.555.0103 (yours was 503-555-9999)",
    ]
    assert people(servant)["Aiko Tanaka"]["company"] == "Studio Tanaka", "the file did not change it"


def test_a_key_date_edited_here_survives_and_a_new_one_in_the_file_is_a_conflict(servant, apple) -> None:
    ok(servant("import", str(apple)))
    ok(servant("date", "Ada", "birthday", "1815-12-11"))
    assert ok(servant("import", str(apple), "-q")) == (
        "Imported contacts.vcf (vCard): 0 added, 0 updated, 2 unchanged, 0 skipped\n"
    )
    assert dates(people(servant)["Ada Lovelace"])["Birthday"] == "1815-12-11"
    newer = write(apple.parent, "newer.vcf", APPLE.replace("BDAY:1815-12-10", "BDAY:1815-12-12"))
    assert ok(servant("import", str(newer))).splitlines() == [
        "Imported newer.vcf (vCard): 0 added, 0 updated, 2 unchanged, 0 skipped, 1 conflict",
        "  kept your birthday for Ada Lovelace; the file now says 12 December 1815",
    ]
    assert dates(people(servant)["Ada Lovelace"])["Birthday"] == "1815-12-11"


def test_a_date_or_tag_removed_here_is_not_brought_back(servant, apple, db_path) -> None:
    ok(servant("import", str(apple)))
    ok(servant("edit", "Ada", "--drop", "anniversary", "--untag", "VIP"))
    before = dump(db_path)
    assert ok(servant("import", str(apple))) == (
        "Imported contacts.vcf (vCard): 0 added, 0 updated, 2 unchanged, 0 skipped\n"
    )
    assert dump(db_path) == before
    ada = people(servant)["Ada Lovelace"]
    assert (ada["tags"], dates(ada)) == (["Clients"], {"Birthday": "1815-12-10"})
    # A tag the file gives for the first time is added.
    newer = write(apple.parent, "newer.vcf", APPLE.replace("CATEGORIES:Clients,VIP", "CATEGORIES:Clients,VIP,Gold"))
    assert ok(servant("import", str(newer))).splitlines()[1:] == [
        "  changed tags for Ada Lovelace: Clients, Gold (was Clients)"
    ]


def test_a_person_renamed_here_is_still_found_by_the_name_the_file_gave(servant, tmp_path) -> None:
    path = write(tmp_path, "contacts.csv", "First Name,Last Name,Birthday,Labels\nLinus,Berg,--08-02,\n")
    ok(servant("import", str(path)))
    ok(servant("edit", "Linus", "--name", "Linus Berg-Holm"))
    assert ok(servant("import", str(path))) == (
        "Imported contacts.csv (Google Contacts CSV): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
    )
    assert sorted(people(servant)) == ["Linus Berg-Holm"]


def test_the_nickname_comes_from_the_file_and_an_edit_of_it_stays(servant, aiko) -> None:
    shown = ok(servant("show", "Aiko", "--from", "2026-11-22"))
    assert "  Nickname  Ai\n" in shown
    ok(servant("edit", "Aiko", "--nickname", "Aiko-chan"))
    ok(servant("import", str(aiko)))
    assert people(servant)["Aiko Tanaka"]["nickname"] == "Aiko-chan"


def test_json_says_every_person_and_field_and_quiet_only_the_counts(servant, aiko, tmp_path) -> None:
    ok(servant("edit", "Aiko", "--phone", "503-555-9999"))
    newer = AIKO.replace("503-555-0100", "503.555.0103").replace("Tanaka Design", "Tanaka Studio")
    newer += ",,,,,,,+1 555 0100\nLinus,Berg,,,--08-02,,,\n"
    write(aiko.parent, aiko.name, newer)
    result = servant("import", str(aiko), "--dry-run", "--json")
    assert json.loads(
        ok(
            result,
            stderr="Note: skipped line 3: has no name (First Name, Last Name, Nickname and "
            "Organization Name are empty)\n",
        )
    ) == {
        "file": "contacts.csv",
        "format": "google",
        "dry_run": True,
        "counts": {"added": 1, "updated": 1, "unchanged": 0, "skipped": 1, "conflicts": 1},
        "people": [
            {
                "id": 1,
                "name": "Aiko Tanaka",
                "result": "updated",
                "fields": [
                    {
                        "field": "company",
                        "label": "company",
                        "result": "changed",
                        "was": "Tanaka Design",
                        "now": "Tanaka Studio",
                        "file": "Tanaka Studio",
                    },
                    {
                        "field": "phone",
                        "label": "phone",
                        "result": "kept",
                        "was": "503-555-9999",
                        "now": "503-555-9999",
                        "file": "503.555.0103",
                    },
                ],
            },
            {"id": None, "name": "Linus Berg", "result": "added", "fields": []},
        ],
        "skipped": [
            {"who": "line 3", "why": "has no name (First Name, Last Name, Nickname and Organization Name are empty)"}
        ],
        "family": [],
        "notes": [],
    }
    result = servant("import", str(aiko), "--quiet")
    assert ok(result, stderr=result.stderr) == (
        "Imported contacts.csv (Google Contacts CSV): 1 added, 1 updated, 0 unchanged, 1 skipped, 1 conflict\n"
    )


def test_on_a_terminal_the_report_is_a_table_with_conflicts_first(servant, aiko) -> None:
    ok(servant("edit", "Aiko", "--phone", "503-555-9999"))
    newer = AIKO.replace("503-555-0100", "503.555.0103").replace("Tanaka Design", "Tanaka Studio")
    write(aiko.parent, aiko.name, newer + "Linus,Berg,,,--08-02,,,\n")
    screen = ok(servant("import", str(aiko), env={"FORCE_COLOR": "1", "COLUMNS": "120"}))
    assert "\x1b[33mkept yours" in screen, "a conflict stands out"
    lines = [ANSI.sub("", line) for line in screen.splitlines()]
    assert lines[0] == (
        "Imported contacts.csv (Google Contacts CSV): 1 added, 1 updated, 0 unchanged, 0 skipped, 1 conflict"
    )
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
    assert rows == [
        ["kept yours", "Aiko Tanaka", "phone", "503-555-9999", "the file now says 503.555.0103"],
        ["changed", "Aiko Tanaka", "company", "Tanaka Studio", "was Tanaka Design"],
        ["added", "Linus Berg (#2)", "", "", "new person"],
    ]


def test_a_long_report_stops_at_twenty_lines_a_list_and_says_how_many_more(servant, tmp_path) -> None:
    rows = "".join(f"Person,{n:02d},--01-{n:02d},\n" for n in range(1, 26))
    path = write(tmp_path, "contacts.csv", "First Name,Last Name,Birthday,Labels\n" + rows)
    lines = ok(servant("import", str(path))).splitlines()
    assert lines[0] == "Imported contacts.csv (Google Contacts CSV): 25 added, 0 updated, 0 unchanged, 0 skipped"
    assert lines[1:3] == ["  added Person 01 (#1)", "  added Person 02 (#2)"]
    assert lines[20:] == ["  added Person 20 (#20)", "  … and 5 more people added (--json lists them all)"]
    everyone = json.loads(ok(servant("import", str(path), "--json")))
    assert everyone["counts"]["unchanged"] == 25
    changed = path.read_text(encoding="utf-8").replace("--01-", "--02-")
    write(tmp_path, "contacts.csv", changed)
    lines = ok(servant("import", str(path), "--dry-run")).splitlines()
    assert len(lines) == 22
    assert lines[-1] == "  … and 5 more changes (--json lists them all)"
    assert len(json.loads(ok(servant("import", str(path), "--json", "--dry-run")))["people"]) == 25


def test_import_creates_the_database_at_a_path_given(servant, apple, tmp_path) -> None:
    new = tmp_path / "new" / "servant.db"
    ok(servant("--db", str(new), "import", str(apple)))
    assert new.stat().st_mode & 0o777 == 0o600
    assert new.parent.stat().st_mode & 0o777 == 0o700


# -- a database imported before servant remembered what each file brought ------------------

KENJI = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kenji Sato\r\nUID:kenji-sato-1\r\nEMAIL:kenji@sato.example\r\n"
    "TEL:503-555-0100\r\nORG:Sato Bikes\r\nBDAY:1980-04-05\r\nCATEGORIES:Clients\r\nEND:VCARD\r\n"
)


def test_an_older_database_keeps_what_differs_from_the_file_and_says_so_once(servant, tmp_path, db_path) -> None:
    # schema-v7.sql: Kenji Sato imported from this card, then his phone edited by hand.
    conn = sqlite3.connect(db_path)
    conn.executescript((Path(__file__).parent / "data" / "schema-v7.sql").read_text(encoding="utf-8"))
    conn.close()
    card = write(tmp_path, "kenji.vcf", KENJI)
    # servant cannot tell an edit from an earlier import: what differs is kept and said;
    # what is the same is remembered as the file's.
    assert ok(servant("import", str(card))).splitlines() == [
        "Imported kenji.vcf (vCard): 0 added, 0 updated, 1 unchanged, 0 skipped, 1 conflict",
        "  kept your phone for Kenji Sato; the file now says 503-555-0100",
    ]
    assert people(servant)["Kenji Sato"]["phone"] == "503-555-0199"
    assert (
        ok(servant("import", str(card))) == "Imported kenji.vcf (vCard): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
    )
    newer = write(tmp_path, "kenji.vcf", KENJI.replace("Sato Bikes", "Sato Cycles"))
    assert ok(servant("import", str(newer))).splitlines()[1:] == [
        "  changed company for Kenji Sato: Sato Cycles (was Sato Bikes)"
    ]
    ok(servant("import", str(newer), "--prefer-file", "-q"))
    assert people(servant)["Kenji Sato"]["phone"] == "503-555-0100"


def test_a_plan_changed_here_survives_reimport_of_servant_csv(servant, tmp_path) -> None:
    path = write(tmp_path, "people.csv", "name,birthday\nZoe,1990-03-03 lead 10 plan card\n")
    ok(servant("import", str(path)))
    ok(servant("date", "Zoe", "birthday", "1990-03-03", "--plan", "call"))
    ok(servant("import", str(path)))
    assert people(servant)["Zoe"]["dates"][0]["plan"] == "call"
    write(tmp_path, "people.csv", "name,birthday\nZoe,1990-03-03 lead 10 plan flowers\n")
    assert ok(servant("import", str(path))).splitlines()[1:] == [
        "  kept your birthday for Zoe; the file now says 3 March 1990 (plan: flowers, remind 10 days ahead)"
    ]


@pytest.mark.parametrize("given", [("--format", "google"), ()])
def test_a_google_file_cut_off_in_its_header_is_refused_and_creates_no_database(servant, tmp_path, given) -> None:
    google = Path(__file__).parent / "data" / "import" / "google-contacts.csv"
    header = google.read_text(encoding="utf-8").splitlines()[0]
    cut = tmp_path / "cut.csv"
    cut.write_text(header[:300], encoding="utf-8")
    target = tmp_path / "new" / "servant.db"
    result = servant("import", str(cut), *given, env={"SERVANT_DB": str(target)})
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {cut} holds no contacts; is the file cut off? Nothing was imported\n"
    assert not target.exists()


def card(name: str, *lines: str) -> str:
    return "".join(f"{line}\r\n" for line in ("BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", *lines, "END:VCARD"))


def test_people_an_import_adds_never_get_the_id_of_someone_removed(servant, tmp_path) -> None:
    # The new people of an import are written together; each still gets the id SQLite
    # would give it alone: one more than any the book has had, the removed one's too.
    for name in ("Ada", "Bob", "Cy"):
        ok(servant("add", name))
    ok(servant("rm", "Cy", "--yes"))
    path = write(tmp_path, "new.vcf", card("Dee Okafor") + card("Eve Tanaka"))
    assert ok(servant("import", str(path))) == (
        "Imported new.vcf (vCard): 2 added, 0 updated, 0 unchanged, 0 skipped\n"
        "  added Dee Okafor (#4)\n"
        "  added Eve Tanaka (#5)\n"
    )
    ok(servant("add", "Fay"))
    assert [person["id"] for person in json.loads(ok(servant("list", "--json")))] == [1, 2, 4, 5, 6]


def test_dates_are_numbered_in_the_order_of_the_file_when_new_and_known_people_mix(servant, tmp_path) -> None:
    ok(servant("import", str(write(tmp_path, "first.vcf", card("Ada Lovelace", "BDAY:1815-12-10")))))
    cards = (
        card("Bob Stone", "BDAY:1990-06-20")
        + card("Ada Lovelace", "BDAY:1815-12-10", "X-ANNIVERSARY:1835-07-08")
        + card("Cy Berg", "BDAY:1988-03-01")
    )
    ok(servant("import", str(write(tmp_path, "second.vcf", cards))))
    numbered = {
        (name, key["label"]): key["id"] for name, profile in people(servant).items() for key in profile["dates"]
    }
    assert numbered == {
        ("Ada Lovelace", "Birthday"): 1,
        ("Bob Stone", "Birthday"): 2,
        ("Ada Lovelace", "Wedding anniversary"): 3,
        ("Cy Berg", "Birthday"): 4,
    }


def test_a_large_file_is_written_whole_in_the_order_of_its_cards(servant, tmp_path) -> None:
    # New people are written a thousand at a time: every card of 2,345 gets its id and
    # its dates, and a known person among them is matched, wherever the thousands fall.
    ok(servant("add", "Known Person", "--birthday", "1970-01-01"))
    cards = [card(f"Person {n:04d}", f"BDAY:{1950 + n % 50}-{1 + n % 12:02d}-{1 + n % 28:02d}") for n in range(2345)]
    cards.insert(1500, card("Known Person", "BDAY:1970-01-01", "X-ANNIVERSARY:1999-09-09"))
    summary = ok(servant("import", str(write(tmp_path, "big.vcf", "".join(cards))))).splitlines()[0]
    assert summary == "Imported big.vcf (vCard): 2345 added, 1 updated, 0 unchanged, 0 skipped"
    listed = {person["name"]: person["id"] for person in json.loads(ok(servant("list", "--json")))}
    assert listed == {"Known Person": 1, **{f"Person {n:04d}": n + 2 for n in range(2345)}}
    rows = json.loads(ok(servant("upcoming", "--days", "366", "--json", "--from", "2026-01-01")))
    births = {row["person"]: row["date"][5:] for row in rows if row["kind"] == "birthday"}
    assert all(births[f"Person {n:04d}"] == f"{1 + n % 12:02d}-{1 + n % 28:02d}" for n in range(2345))
    assert [row["date"] for row in rows if row["person"] == "Known Person" and row["kind"] == "anniversary"] == [
        "2026-09-09"
    ]


@pytest.mark.parametrize("last", [2**63 - 2, 2**63 - 1])
def test_an_import_past_the_largest_id_says_the_database_is_full_and_writes_nothing(
    servant, tmp_path, db_path, last
) -> None:
    # The ids of new people are counted in Python; past SQLite's largest the import
    # stops as one person added alone does, with SQLite's own message.
    ok(servant("add", "Zed"))
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'person'", (last,))
    conn.close()
    before = dump(db_path)
    result = servant("import", str(write(tmp_path, "two.vcf", card("Ada") + card("Bob"))))
    assert result.exit_code == 1
    assert result.stderr == "Error: the database could not be used: database or disk is full; nothing was changed\n"
    assert dump(db_path) == before


def test_what_an_import_brought_is_remembered_a_field_at_a_time(db_path) -> None:
    store = Store.open(db_path)
    ada, bob = store.add_person("Ada Lovelace").id, store.add_person("Bob Stone").id
    with store.transaction():
        # Ada's rows are not together: both are remembered all the same.
        store.remember_import("vcard", [(ada, "name", "Ada", False), (bob, "name", "Bob", False)])
        store.remember_import("vcard", [(ada, "email", "ada@example.com", True), (bob, "company", "Acme", False)])
        store.remember_import(
            "vcard", [(ada, "phone", "1", False), (bob, "name", "Robert", True), (ada, "x", "2", False)]
        )
        store.remember_import("google", [(ada, "name", "Ada L.", False)])
    assert sorted(store.import_memory("vcard")) == [
        (ada, "email", "ada@example.com", True),
        (ada, "name", "Ada", False),
        (ada, "phone", "1", False),
        (ada, "x", "2", False),
        (bob, "company", "Acme", False),
        (bob, "name", "Robert", True),
    ]
    with store.transaction():
        store.forget_import("vcard", ada)
    assert sorted(store.import_rows_of(ada)) == [("google", "name", "Ada L.")]
    store.close()


def test_a_damaged_import_memory_is_as_if_nothing_had_been_remembered(servant, apple, db_path, tmp_path) -> None:
    ok(servant("import", str(apple)))
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE import_memory SET fields = 'not json' WHERE person_id = 1")
    # Without what the last file said, the file's new email meets servant's own: kept, and said.
    newer = write(tmp_path, "contacts.vcf", APPLE.replace("ada@example.com", "ada@engines.example"))
    assert ok(servant("import", str(newer))) == (
        "Imported contacts.vcf (vCard): 0 added, 0 updated, 2 unchanged, 0 skipped, 1 conflict\n"
        "  kept your email for Ada Lovelace; the file now says ada@engines.example\n"
    )
    assert ok(servant("import", str(newer), "--prefer-file")) == (
        "Imported contacts.vcf (vCard): 0 added, 1 updated, 1 unchanged, 0 skipped, 1 conflict\n"
        "  took the file's email for Ada Lovelace: ada@engines.example (yours was ada@example.com)\n"
    )
