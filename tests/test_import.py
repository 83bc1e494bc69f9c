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

from helpers import dump, ok

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


def people(servant) -> dict[str, dict]:
    """Everyone as `servant show --json` has them, by name."""
    found = {}
    for person in json.loads(ok(servant("list", "--json"))):
        found[person["name"]] = json.loads(ok(servant("show", f"#{person['id']}", "--json", "--from", "2026-11-22")))
    return found


def dates(profile: dict) -> dict[str, str]:
    return {key["label"]: key["date"] for key in profile["dates"]}


@pytest.fixture
def apple(tmp_path: Path) -> Path:
    return write(tmp_path, "contacts.vcf", APPLE)


def test_a_vcard_file_adds_people_with_their_dates_tags_and_details(servant, apple) -> None:
    result = servant("import", str(apple))
    assert ok(result) == "Imported contacts.vcf (vCard): 2 added, 0 updated, 0 unchanged, 0 skipped\n"
    assert result.stderr == ""
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
    result = servant("import", str(write(tmp_path, "phone.vcf", cards)))
    assert ok(result) == "Imported phone.vcf (vCard): 0 added, 2 updated, 0 unchanged, 0 skipped\n"
    found = people(servant)
    assert sorted(found) == ["Ada Lovelace", "grace hopper"]
    assert dates(found["Ada Lovelace"]) == {"Birthday": "1815-12-10"}
    assert found["grace hopper"]["tags"] == ["navy"]


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
    )
    assert dump(db_path) == before
    assert ok(servant("import", str(apple))) == (
        "Imported contacts.vcf (vCard): 1 added, 1 updated, 0 unchanged, 0 skipped\n"
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
    assert ok(result, stderr=skipped) == "Imported contacts.vcf (vCard): 1 added, 0 updated, 0 unchanged, 1 skipped\n"
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


def test_a_missing_file_or_a_folder_is_one_error(servant, tmp_path) -> None:
    result = servant("import", str(tmp_path / "nowhere.vcf"))
    assert (result.exit_code, result.stderr) == (1, f"Error: {tmp_path / 'nowhere.vcf'} does not exist\n")
    result = servant("import", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path} is a folder; give the exported file in it (.vcf or .csv)\n"


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
    assert ok(result) == "Imported Connections.csv (LinkedIn CSV): 1 added, 0 updated, 0 unchanged, 0 skipped\n"
    result = servant("import", str(write(tmp_path, "contacts.csv", GOOGLE)))
    assert ok(result) == "Imported contacts.csv (Google Contacts CSV): 1 added, 0 updated, 0 unchanged, 0 skipped\n"
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
    assert ok(servant("--db", str(other), "import", str(out))) == (
        "Imported people.csv (servant CSV): 3 added, 0 updated, 0 unchanged, 0 skipped\n"
    )
    assert rows_without_ids(other) == rows_without_ids(db_path)
    again = ok(servant("--db", str(other), "import", str(out)))
    assert again == "Imported people.csv (servant CSV): 0 added, 0 updated, 3 unchanged, 0 skipped\n"


def test_export_vcard_is_read_back_with_every_name_and_date(servant, apple, tmp_path) -> None:
    ok(servant("import", str(apple)))
    out = tmp_path / "people.vcf"
    ok(servant("export", "vcard", "-o", str(out), "-q"))
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
    assert (
        ok(servant("import", str(path))) == "Imported family.vcf (vCard): 4 added, 0 updated, 0 unchanged, 0 skipped\n"
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
    assert ok(result) == "Imported doe.csv (servant CSV): 0 added, 2 updated, 0 unchanged, 0 skipped\n"
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
    result = servant("--db", str(rebuilt), "import", str(renamed))
    assert ok(result) == "Imported renamed.vcf (vCard): 0 added, 1 updated, 1 unchanged, 0 skipped\n"
    names = [p["name"] for p in json.loads(ok(servant("--db", str(rebuilt), "list", "--json")))]
    assert names == ["Ada Lovelace", "Robert Stone"]
