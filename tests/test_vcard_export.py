"""``servant export vcard``: what other address books read (vobject, khard), and back into servant exactly."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
import vobject

from helpers import ok


@pytest.fixture
def book(servant) -> None:
    ok(
        servant(
            "add",
            "Frank Delgado Jr.",
            "--birthday",
            "--12-25",
            "--anniversary",
            "2001-06-01",
            "--note",
            "Likes tea; not coffee",
        )
    )
    ok(servant("date", "Frank", "custom", "2027-01-02", "--label", "Opening; phase 1, Lisbon", "--once"))
    ok(servant("date", "Frank", "work-anniversary", "2026-09-01", "--once"))
    ok(servant("add", "Ellen M. Thompson", "--birthday", "1980-03-14", "--tag", "client"))
    ok(servant("add", "Smith, John", "--client-since", "--04-01"))
    ok(servant("add", "Dr. Ana María López García"))
    ok(servant("add", "山田 太郎", "--birthday", "1975-05-05"))
    ok(servant("add", "Portland Rose Society", "--company", "Portland Rose Society"))


def without_uid(text: str) -> list[dict[str, str]]:
    return [{k: v for k, v in row.items() if k != "uid"} for row in csv.DictReader(io.StringIO(text))]


def cards(text: str) -> dict[str, vobject.base.Component]:
    return {card.fn.value: card for card in vobject.readComponents(text)}


@pytest.mark.parametrize("version", ["3", "4"])
def test_each_version_reads_back_into_a_fresh_database_exactly_one_off_dates_too(
    servant, book, tmp_path, version
) -> None:
    path = tmp_path / "people.vcf"
    ok(servant("export", "vcard", "--version", version, "-o", str(path), "-q"))
    assert f"VERSION:{version}.0\r\n" in path.read_bytes().decode()
    other = str(tmp_path / "other.db")
    ok(servant("--db", other, "import", str(path), "-q"))
    # servant's CSV holds every date with its year and one-off mark: the two must agree
    # (but for the UID, which the copy has from the cards).
    assert without_uid(ok(servant("--db", other, "export", "csv"))) == without_uid(ok(servant("export", "csv")))
    trip = [line for line in ok(servant("--db", other, "show", "Frank")).splitlines() if "Lisbon" in line]
    assert trip and "(one-off)" in trip[0]


def test_version_3_is_apples_form_and_the_default(servant, book, tmp_path) -> None:
    text = ok(servant("export", "vcard"))
    assert "VERSION:3.0" in text.splitlines()
    frank = cards(text)["Frank Delgado Jr."]
    assert frank.bday.value == "1604-12-25" and frank.bday.params["X-APPLE-OMIT-YEAR"] == ["1604"]
    dates = {
        label.value: date for label, date in zip(frank.contents["x-ablabel"], frank.contents["x-abdate"], strict=True)
    }
    assert dates["_$!<Anniversary>!$_"].value == "2001-06-01"
    assert dates["Work anniversary"].params["X-SERVANT-ONCE"] == ["TRUE"]
    assert "ANNIVERSARY" not in text.replace("X-ABDATE", "")  # not a 3.0 property
    assert cards(text)["Portland Rose Society"].contents["x-abshowas"][0].value == "COMPANY"
    path = tmp_path / "apple.vcf"
    ok(servant("export", "vcard", "-o", str(path), "-q"))
    ok(servant("--db", str(tmp_path / "other.db"), "import", str(path), "-q"))
    shown = ok(servant("--db", str(tmp_path / "other.db"), "show", "Frank", "--json"))
    birthday = next(d for d in json.loads(shown)["dates"] if d["kind"] == "birthday")
    assert birthday["date"] == "--12-25", "Apple's 1604 is no year"


def test_version_4_writes_rfc_6350_partial_dates_and_kind_org(servant, book) -> None:
    text = ok(servant("export", "vcard", "--version", "4"))
    found = cards(text)
    assert found["Frank Delgado Jr."].bday.value == "--1225"
    assert found["Portland Rose Society"].kind.value == "org"
    assert str(found["Portland Rose Society"].n.value).strip() == ""


@pytest.mark.parametrize("version", ["3", "4"])
def test_names_are_split_as_meant(servant, book, version) -> None:
    found = cards(ok(servant("export", "vcard", "--version", version)))

    def n(name: str) -> tuple[str, str, str, str, str]:
        value = found[name].n.value
        return value.family, value.given, value.additional, value.prefix, value.suffix

    assert n("Frank Delgado Jr.") == ("Delgado", "Frank", "", "", "Jr.")
    assert n("Ellen M. Thompson") == ("Thompson", "Ellen", "M.", "", "")
    assert n("Smith, John") == ("Smith", "John", "", "", "")
    assert n("Dr. Ana María López García")[1:4:2] == ("Ana", "Dr.")
    assert n("山田 太郎")[:2] == ("山田", "太郎")


def test_fn_and_note_keep_a_semicolon_unescaped_and_rev_is_the_last_change(servant, book, db_path) -> None:
    text = ok(servant("export", "vcard"))
    assert "NOTE:Likes tea; not coffee" in text.splitlines()
    assert "\\;" not in "".join(line for line in text.splitlines() if line.startswith(("FN", "NOTE")))
    assert cards(text)["Frank Delgado Jr."].note.value == "Likes tea; not coffee"
    import sqlite3

    updated = sqlite3.connect(db_path).execute("SELECT max(updated) FROM occasion WHERE person_id = 1").fetchone()[0]
    assert cards(text)["Frank Delgado Jr."].rev.value == updated.replace("-", "").replace(":", "")


@pytest.mark.parametrize("version", ["3", "4"])
def test_split_writes_one_card_a_file_that_khard_reads(servant, book, tmp_path, version) -> None:
    folder = tmp_path / "cards"
    said = ok(servant("export", "vcard", "--version", version, "--split", str(folder)))
    assert said == f"Wrote 6 people to {folder}, one .vcf file each\n"
    files = sorted(path.name for path in folder.iterdir())
    assert len(files) == 6 and "Frank-Delgado-Jr-1.vcf" in files
    for path in folder.iterdir():
        assert len(list(vobject.readComponents(path.read_text(encoding="utf-8")))) == 1
    ok(servant("export", "vcard", "--version", version, "--split", str(folder), "-q"))  # its own files: replaced
    config = tmp_path / "khard.conf"
    config.write_text(f"[addressbooks]\n[[servant]]\npath = {folder}\n", encoding="utf-8")
    khard = [sys.executable, "-m", "khard", "-c", str(config)]
    listed = subprocess.run([*khard, "list", "--parsable"], capture_output=True, text=True, check=True).stdout
    assert len(listed.splitlines()) == 6
    born = subprocess.run([*khard, "birthdays", "--parsable"], capture_output=True, text=True, check=True).stdout
    assert "Ellen" in born and "1980" in born
    if version == "4":
        assert "12.25\tFrank Delgado" in born, "a birthday without a year is read as one"
    # And a folder of cards is what servant reads back.
    ok(servant("--db", str(tmp_path / "other.db"), "import", str(folder), "-q"))


def test_split_never_replaces_a_file_servant_did_not_write(servant, book, tmp_path) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    mine = folder / "Frank-Delgado-Jr-1.vcf"
    mine.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mine\r\nEND:VCARD\r\n", encoding="utf-8")
    result = servant("export", "vcard", "--split", str(folder))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: --split: {mine} exists and is not a file servant wrote; it was left as it was "
        "(remove it first, or choose another name); nothing was written\n"
    )
    assert "FN:Mine" in mine.read_text(encoding="utf-8")
    assert sorted(path.name for path in folder.iterdir()) == [mine.name]


def test_split_again_after_a_rename_leaves_one_card_for_the_person(servant, book, tmp_path) -> None:
    folder = tmp_path / "cards"
    ok(servant("export", "vcard", "--split", str(folder)))
    before = sorted(path.name for path in folder.iterdir())
    assert "Frank-Delgado-Jr-1.vcf" in before
    ok(servant("edit", "Frank Delgado", "--name", "Frank Delgado Senior"))
    assert ok(servant("export", "vcard", "--split", str(folder))).endswith(
        "one .vcf file each; removed 1 card of renamed people\n"
    )
    after = sorted(path.name for path in folder.iterdir())
    assert after == sorted(
        [*(name for name in before if name != "Frank-Delgado-Jr-1.vcf"), "Frank-Delgado-Senior-1.vcf"]
    )
    fresh = ("--db", str(tmp_path / "fresh.db"))
    ok(servant(*fresh, "import", str(folder), "-q"))
    names = [person["name"] for person in json.loads(ok(servant(*fresh, "list", "--json")))]
    assert names.count("Frank Delgado Senior") == 1 and "Frank Delgado Jr." not in names


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--version", "2"), "Error: --version: '2' is not a vCard version servant writes; give 3 or 4\n"),
        (("--split", "x", "-o", "y.vcf"), "Error: --split writes a folder and --output a file; give one of them\n"),
    ],
)
def test_bad_vcard_options_are_one_line_and_exit_2(servant, book, args, said) -> None:
    result = servant("export", "vcard", *args)
    assert (result.exit_code, result.stderr) == (2, said)
