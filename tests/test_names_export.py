"""The structured name an import brings (vCard N, Google's and LinkedIn's name columns)
is kept with the name it came with and written back as the vCard's N; a name typed or
changed in servant is read by nameparser (tests/test_vcard_export.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import vobject

from helpers import ok

ANNA = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:anna-1\r\nN:van der Berg;Anna;Maria;Dr.;PhD\r\n"
    "FN:Anna van der Berg\r\nBDAY:1980-03-14\r\nEND:VCARD\r\n"
)
GOOGLE = (
    "First Name,Middle Name,Last Name,Name Prefix,Name Suffix,Labels,E-mail 1 - Value\n"
    "Maria,Luisa,Pérez García,Dr.,MD,* myContacts,maria@example.com\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def n_of(text: str, name: str) -> tuple[object, ...]:
    """The N of the card named ``name``, read with vobject: (family, given, additional, prefix, suffix)."""
    [card] = [card for card in vobject.readComponents(text) if card.fn.value == name]
    n = card.n.value
    return n.family, n.given, n.additional, n.prefix, n.suffix


@pytest.mark.parametrize("version", ["3", "4"])
def test_a_cards_n_is_written_back_as_it_came(servant, tmp_path, version) -> None:
    ok(servant("import", str(write(tmp_path, "anna.vcf", ANNA)), "-q"))
    text = ok(servant("export", "vcard", "--version", version))
    # nameparser would read "Anna van der Berg" as Anna, family "van der Berg", and nothing more.
    assert n_of(text, "Anna van der Berg") == ("van der Berg", "Anna", "Maria", "Dr.", "PhD")
    assert "\nN:van der Berg;Anna;Maria;Dr.;PhD\n" in text


def test_a_part_with_several_values_keeps_them_apart(servant, tmp_path) -> None:
    card = ANNA.replace("N:van der Berg;Anna;Maria;Dr.;PhD", "N:van der Berg;Anna;Maria,Luisa;;")
    ok(servant("import", str(write(tmp_path, "anna.vcf", card)), "-q"))
    text = ok(servant("export", "vcard", "--version", "4"))
    assert n_of(text, "Anna van der Berg") == ("van der Berg", "Anna", ["Maria", "Luisa"], "", "")


def test_google_name_columns_are_the_cards_n(servant, tmp_path) -> None:
    ok(servant("import", str(write(tmp_path, "google.csv", GOOGLE)), "-q"))
    text = ok(servant("export", "vcard"))
    # nameparser: given Maria, additional "Luisa Pérez", family "García".
    assert n_of(text, "Dr. Maria Luisa Pérez García MD") == ("Pérez García", "Maria", "Luisa", "Dr.", "MD")


def test_googles_older_name_columns_too(servant, tmp_path) -> None:
    older = (
        "Name,Given Name,Additional Name,Family Name,Name Prefix,Name Suffix,Group Membership\n"
        "Maria Pérez García,Maria,,Pérez García,,,* myContacts\n"
    )
    ok(servant("import", str(write(tmp_path, "google.csv", older)), "--format", "google", "-q"))
    assert n_of(ok(servant("export", "vcard")), "Maria Pérez García") == ("Pérez García", "Maria", "", "", "")


def test_linkedin_first_and_last_name_are_the_cards_n(servant, tmp_path) -> None:
    connections = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Mary Ann,de la Cruz,https://www.linkedin.com/in/maryann,,Acme,CTO,12 Mar 2021\n"
    )
    ok(servant("import", str(write(tmp_path, "Connections.csv", connections)), "-q"))
    # nameparser: given Mary, additional Ann.
    assert n_of(ok(servant("export", "vcard")), "Mary Ann de la Cruz") == ("de la Cruz", "Mary Ann", "", "", "")


def test_a_name_changed_in_servant_is_read_by_nameparser_again(servant, tmp_path) -> None:
    anna = write(tmp_path, "anna.vcf", ANNA)
    ok(servant("import", str(anna), "-q"))
    assert n_of(ok(servant("export", "vcard")), "Anna van der Berg")[2:] == ("Maria", "Dr.", "PhD")
    ok(servant("edit", "Anna van der Berg", "--name", "Anna Berg"))
    assert n_of(ok(servant("export", "vcard")), "Anna Berg") == ("Berg", "Anna", "", "", "")
    # The same file again: the name stays the user's, and so does its reading.
    assert " 0 updated, 1 unchanged," in ok(servant("import", str(anna)))
    assert n_of(ok(servant("export", "vcard")), "Anna Berg") == ("Berg", "Anna", "", "", "")
    assert "name_parts" not in ok(servant("export", "json"))


def test_a_name_the_user_keeps_over_the_files_keeps_its_own_reading(servant, tmp_path) -> None:
    ok(servant("import", str(write(tmp_path, "anna.vcf", ANNA)), "-q"))
    ok(servant("edit", "Anna van der Berg", "--name", "Anna Berg"))
    renamed = ANNA.replace("N:van der Berg;Anna;Maria;Dr.;PhD", "N:van den Berg;Anna;Sofie;;").replace(
        "FN:Anna van der Berg", "FN:Anna van den Berg"
    )
    said = ok(servant("import", str(write(tmp_path, "anna.vcf", renamed))))
    assert "kept your name for Anna Berg; the file now says Anna van den Berg" in said
    assert n_of(ok(servant("export", "vcard")), "Anna Berg") == ("Berg", "Anna", "", "", "")
    # Taking the file's name takes its parts with it.
    ok(servant("import", str(write(tmp_path, "anna.vcf", renamed)), "--prefer-file", "-q"))
    assert n_of(ok(servant("export", "vcard")), "Anna van den Berg") == ("van den Berg", "Anna", "Sofie", "", "")


def test_reimporting_the_same_file_changes_nothing(servant, tmp_path, db_path) -> None:
    anna = write(tmp_path, "anna.vcf", ANNA)
    google = write(tmp_path, "google.csv", GOOGLE)
    ok(servant("import", str(anna), "-q"))
    ok(servant("import", str(google), "-q"))
    before = db_path.read_bytes()
    assert ok(servant("import", str(anna))).startswith("Imported anna.vcf (vCard): 0 added, 0 updated, 1 unchanged")
    assert " 0 added, 0 updated, 1 unchanged" in ok(servant("import", str(google)))
    assert db_path.read_bytes() == before
    assert n_of(ok(servant("export", "vcard")), "Anna van der Berg") == ("van der Berg", "Anna", "Maria", "Dr.", "PhD")


def test_a_file_that_changes_only_n_changes_the_card_not_the_calendar(servant, tmp_path) -> None:
    ok(servant("import", str(write(tmp_path, "anna.vcf", ANNA)), "-q"))
    ok(servant("date", "Anna", "birthday", "1980-05-04"))
    calendar = ok(servant("export", "ics"))
    changed = ANNA.replace("N:van der Berg;Anna;Maria;Dr.;PhD", "N:van der Berg;Anna;;Prof.;")
    # Only a vCard shows N: no new version of her events (a database upgraded to keep
    # parts would otherwise report and republish everyone once).
    assert ok(servant("import", str(write(tmp_path, "anna.vcf", changed)))) == (
        "Imported anna.vcf (vCard): 0 added, 0 updated, 1 unchanged, 0 skipped\n"
    )
    assert n_of(ok(servant("export", "vcard")), "Anna van der Berg") == ("van der Berg", "Anna", "", "Prof.", "")
    assert ok(servant("export", "ics")) == calendar


def test_a_new_name_from_the_file_brings_its_own_parts(servant, tmp_path) -> None:
    ok(servant("import", str(write(tmp_path, "anna.vcf", ANNA)), "-q"))
    married = ANNA.replace("N:van der Berg;Anna;Maria;Dr.;PhD", "N:de Vries;Anna;Maria;Dr.;PhD").replace(
        "FN:Anna van der Berg", "FN:Anna de Vries"
    )
    ok(servant("import", str(write(tmp_path, "anna.vcf", married)), "-q"))
    assert n_of(ok(servant("export", "vcard")), "Anna de Vries") == ("de Vries", "Anna", "Maria", "Dr.", "PhD")
    # A file without N afterwards erases nothing: the parts still spell the name.
    plain = married.replace("N:de Vries;Anna;Maria;Dr.;PhD\r\n", "")
    ok(servant("import", str(write(tmp_path, "anna.vcf", plain)), "-q"))
    assert n_of(ok(servant("export", "vcard")), "Anna de Vries") == ("de Vries", "Anna", "Maria", "Dr.", "PhD")


def test_servants_json_carries_the_parts_and_reads_them_back(servant, tmp_path) -> None:
    ok(servant("import", str(write(tmp_path, "anna.vcf", ANNA)), "-q"))
    exported = ok(servant("export", "json"))
    [anna] = json.loads(exported)["people"]
    assert anna["name_parts"] == {
        "family": "van der Berg",
        "given": "Anna",
        "additional": "Maria",
        "prefix": "Dr.",
        "suffix": "PhD",
    }
    other = str(tmp_path / "other.db")
    ok(servant("--db", other, "import", str(write(tmp_path, "all.json", exported)), "-q"))
    assert ok(servant("--db", other, "export", "json")) == exported
    text = ok(servant("--db", other, "export", "vcard"))
    assert n_of(text, "Anna van der Berg") == ("van der Berg", "Anna", "Maria", "Dr.", "PhD")


def test_json_name_parts_that_are_not_an_object_skip_the_person(servant, tmp_path) -> None:
    document = {
        "format": "servant",
        "version": 1,
        "people": [
            {"id": 1, "name": "Anna", "name_parts": "Berg"},
            {"id": 2, "name": "Bob", "name_parts": {"family": "Stone", "middle": "J"}},
            {"id": 3, "name": "Cleo", "name_parts": {"family": "Ode", "given": "Cleo"}},
        ],
    }
    result = servant("import", str(write(tmp_path, "all.json", json.dumps(document))))
    skipped = (
        'Note: skipped Anna: "name_parts" is not an object (person 1)\n'
        "Note: skipped Bob: \"name_parts\" has 'middle', which is not one of family, given, additional, prefix,"
        " suffix (person 2)\n"
    )
    assert ok(result, stderr=skipped).startswith("Imported all.json (servant JSON): 1 added")
    assert n_of(ok(servant("export", "vcard")), "Cleo") == ("Ode", "Cleo", "", "", "")


def test_a_name_typed_into_servant_still_goes_through_nameparser(servant, tmp_path) -> None:
    ok(servant("import", str(write(tmp_path, "anna.vcf", ANNA)), "-q"))
    ok(servant("add", "Dr. Maria Luisa Pérez García MD"))
    assert n_of(ok(servant("export", "vcard")), "Anna van der Berg") == ("van der Berg", "Anna", "Maria", "Dr.", "PhD")
    assert n_of(ok(servant("export", "vcard")), "Dr. Maria Luisa Pérez García MD") == (
        "García",
        "Maria",
        "Luisa Pérez",
        "Dr.",
        "MD",
    )


def test_a_part_of_the_name_over_200_characters_skips_the_card(servant, tmp_path) -> None:
    long = ANNA.replace("N:van der Berg;Anna;", f"N:{'b' * 201};Anna;")
    result = servant("import", str(write(tmp_path, "anna.vcf", long + ANNA.replace("anna-1", "anna-2"))))
    skipped = (
        "Note: skipped Anna van der Berg: a part of the name is longer than 200 characters (201) (card 1 at line 1)\n"
    )
    assert ok(result, stderr=skipped).startswith(
        "Imported anna.vcf (vCard): 1 added, 0 updated, 0 unchanged, 1 skipped"
    )
