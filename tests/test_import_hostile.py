"""``servant import`` of hostile and huge files, and of records an exporter got wrong:
one bad record is skipped and named, the rest imports, and an import costs memory and
time in proportion to the file (figures in ``benchmarks/hostile.py``; nothing is timed
here)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import dump, ok, people

DATA = Path(__file__).parent / "data" / "import"
#: The limits the README gives: characters of a property servant reads, of a card.
MAX_PROPERTY = 100_000
MAX_CARD = 10_000_000


def card(*lines: str) -> str:
    return "".join(f"{line}\r\n" for line in ("BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def summary(result) -> str:
    return ok(result, result.stderr).splitlines()[0]


# -- bounded memory and time -----------------------------------------------------------


def test_a_property_over_the_limit_skips_its_card_naming_it_and_the_rest_imports(servant, tmp_path) -> None:
    note = "x" * MAX_PROPERTY
    path = write(tmp_path, "big.vcf", card("FN:Nora Note", f"NOTE:{note}", "BDAY:1980-01-02") + card("FN:Bob"))
    result = servant("import", str(path), "-q")
    assert ok(result, result.stderr) == "Imported big.vcf (vCard): 1 added, 0 updated, 0 unchanged, 1 skipped\n"
    assert result.stderr == (
        f"Note: skipped Nora Note: NOTE is {MAX_PROPERTY + 5:,} characters long; servant reads a property "
        f"of at most {MAX_PROPERTY:,} (card 1 at line 1)\n"
    )
    assert list(people(servant)) == ["Bob"]


def test_a_card_over_the_limit_is_skipped_even_when_what_makes_it_big_is_not_read(servant, tmp_path) -> None:
    """A photo servant never reads counts too; the card is named, not read."""
    photo = "\r\n ".join(["A" * 74] * (MAX_CARD // 76 + 1))
    path = write(tmp_path, "photo.vcf", card("FN:Pia Photo", f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}") + card("FN:Bob"))
    result = servant("import", str(path), "-q")
    assert summary(result) == "Imported photo.vcf (vCard): 1 added, 0 updated, 0 unchanged, 1 skipped"
    assert re.fullmatch(
        rf"Note: skipped Pia Photo: the card is [0-9,]+ characters long; servant reads cards of at most "
        rf"{MAX_CARD:,} \(card 1 at line 1\)\n",
        result.stderr,
    )
    assert list(people(servant)) == ["Bob"]


@pytest.mark.parametrize(
    "encoding",
    ["ENCODING=QUOTED-PRINTABLE", "encoding=quoted-printable", "QUOTED-PRINTABLE"],
    ids=["upper", "lower", "bare"],
)
def test_a_quoted_printable_note_of_many_soft_line_breaks_imports_whole(servant, tmp_path, encoding) -> None:
    """vCard 2.1 writes a long value as lines that end in "=" (soft line breaks)."""
    words = [f"Caf=C3=A9 {n}" for n in range(4000)]  # "Café 0", "Café 1", ...
    value = "=\r\n".join(words)
    text = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Quinn\r\n"
    text += f"NOTE;CHARSET=UTF-8;{encoding}:{value}\r\nBDAY:1990-05-06\r\nEND:VCARD\r\n"
    path = write(tmp_path, "qp.vcf", text)
    assert (
        summary(servant("import", str(path))) == "Imported qp.vcf (vCard): 1 added, 0 updated, 0 unchanged, 0 skipped"
    )
    quinn = people(servant)["Quinn"]
    assert quinn["notes"] == "".join(f"Café {n}" for n in range(4000))
    assert [d["date"] for d in quinn["dates"]] == ["1990-05-06"]


# -- one bad record never stops an import ----------------------------------------------


@pytest.mark.parametrize(
    ("property_", "why"),
    [
        ("FN;ENCODING=QUOTED-PRINTABLE;CHARSET=unicode_escape:Ada \\u0041", "CHARSET 'unicode_escape'"),
        ("FN;ENCODING=QUOTED-PRINTABLE;CHARSET=unicode_escape:\\ud83d", "CHARSET 'unicode_escape'"),
        ("FN;ENCODING=QUOTED-PRINTABLE;CHARSET=utf-7:+2D0-", "decodes to a lone surrogate"),
        ("FN;ENCODING=QUOTED-PRINTABLE;CHARSET=rot13:Nqn", "CHARSET 'rot13'"),
    ],
    ids=["unicode_escape", "unicode_escape-surrogate", "utf-7-surrogate", "rot13"],
)
def test_a_charset_that_is_no_text_encoding_skips_the_card_and_the_rest_imports(
    servant, tmp_path, property_, why
) -> None:
    good = "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Z=FCri Z=FCrcher"
    text = "".join(f"BEGIN:VCARD\r\nVERSION:2.1\r\n{line}\r\nEND:VCARD\r\n" for line in (property_, good, "FN:Bob"))
    result = servant("import", str(write(tmp_path, "cs.vcf", text)), "-q")
    assert summary(result) == "Imported cs.vcf (vCard): 2 added, 0 updated, 0 unchanged, 1 skipped"
    assert result.stderr.startswith("Note: skipped card 1 at line 1: FN ")
    assert why in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert sorted(people(servant)) == ["Bob", "Züri Zürcher"]


def test_a_linkedin_connection_made_in_year_0000_is_skipped_and_the_rest_imports(servant, tmp_path) -> None:
    rows = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ada,Lovelace,https://www.linkedin.com/in/ada,,Engines,CTO,12 Mar 0000\n"
        "Bob,Stone,https://www.linkedin.com/in/bob,,Stone,CEO,12 Mar 2021\n"
    )
    result = servant("import", str(write(tmp_path, "Connections.csv", rows)), "-q")
    assert summary(result) == "Imported Connections.csv (LinkedIn CSV): 1 added, 0 updated, 0 unchanged, 1 skipped"
    assert result.stderr == (
        "Note: skipped Ada Lovelace: Connected On '12 Mar 0000' is not a date: there is no year 0 (line 2)\n"
    )
    assert list(people(servant)) == ["Bob Stone"]


def test_numbers_of_thousands_of_digits_skip_their_record_in_a_short_line(servant, tmp_path) -> None:
    huge = "9" * 5000
    rows = f"name,birthday,every_days\nAda,,{huge}\nCy,1990-01-01 lead {huge},\nBob,1985-03-14 lead 7,30\n"
    result = servant("import", str(write(tmp_path, "people.csv", rows)), "-q")
    assert summary(result) == "Imported people.csv (servant CSV): 1 added, 0 updated, 0 unchanged, 2 skipped"
    shown = "'" + "9" * 40 + "…'"
    assert result.stderr == (
        f"Note: skipped Ada: every_days {shown} is not a whole number from 1 to 3660 (line 2)\n"
        f"Note: skipped Cy: birthday lead {shown} is not a whole number from 0 to 365 (line 3)\n"
    )
    assert all(len(line) < 130 for line in result.stderr.splitlines())
    assert list(people(servant)) == ["Bob"]


def test_two_cards_with_one_uid_are_two_people_and_a_reimport_changes_nothing(servant, db_path) -> None:
    path = DATA / "same-uid.vcf"
    note = "Note: Carl Jones has the id 'dup-1' of Alice Smith too: kept as two people (card 2 at line 10)\n"
    first = servant("import", str(path))
    assert ok(first, note) == (
        "Imported same-uid.vcf (vCard): 2 added, 0 updated, 0 unchanged, 0 skipped\n"
        "  added Alice Smith (#1)\n"
        "  added Carl Jones (#2)\n"
    )
    found = people(servant)
    assert {name: [d["date"] for d in who["dates"]] for name, who in found.items()} == {
        "Alice Smith": ["1980-04-01"],
        "Carl Jones": ["1975-09-12"],
    }
    before = dump(db_path)
    for _ in range(2):
        again = servant("import", str(path), "--json")
        assert json.loads(ok(again, note))["counts"]["unchanged"] == 2
        assert json.loads(again.stdout)["notes"] == [note.removeprefix("Note: ").strip()]
    assert dump(db_path) == before


def test_two_cards_with_one_uid_come_back_to_the_same_people_in_any_order(servant, db_path, tmp_path) -> None:
    path = DATA / "same-uid.vcf"
    ok(
        servant("import", str(path)),
        "Note: Carl Jones has the id 'dup-1' of Alice Smith too: kept as two people (card 2 at line 10)\n",
    )
    ok(servant("log", "Alice", "gift", "a scarf", "--on", "2026-03-30", "--for", "birthday"))
    before = dump(db_path)
    alice, carl = path.read_text(encoding="utf-8").split("END:VCARD\n")[:2]
    swapped = tmp_path / "swapped.vcf"
    swapped.write_text(carl + "END:VCARD\n" + alice + "END:VCARD\n", encoding="utf-8")
    result = servant("import", str(swapped))
    assert ok(result, result.stderr).startswith("Imported swapped.vcf (vCard): 0 added, 0 updated, 2 unchanged")
    assert (
        result.stderr
        == "Note: Alice Smith has the id 'dup-1' of Carl Jones too: kept as two people (card 2 at line 10)\n"
    )
    assert dump(db_path) == before
    assert [g["person"] for g in json.loads(ok(servant("gestures", "--json")))] == ["Alice Smith"]


FIXTURES = sorted([*DATA.iterdir(), *(DATA.parent / "family").iterdir()])


@pytest.mark.parametrize("path", FIXTURES, ids=[path.name for path in FIXTURES])
def test_every_fixture_imported_three_times_changes_nothing_after_the_first(servant, db_path, path: Path) -> None:
    """A re-import of an unchanged file reports only "unchanged" and leaves every
    calendar SEQUENCE (and every row) as it was."""
    first = servant("import", str(path), "-q")
    ok(first, first.stderr)

    def sequences() -> list[str]:
        export = servant("export", "ics")
        return re.findall(r"^(?:UID|SEQUENCE):.*$", export.stdout, re.M) if export.exit_code == 0 else []

    after_first, rows = sequences(), dump(db_path)
    for _ in range(2):
        again = servant("import", str(path), "-q")
        assert re.fullmatch(
            r"Imported .*: 0 added, 0 updated, [1-9][0-9]* unchanged, [0-9]+ skipped\n", ok(again, again.stderr)
        )
        assert "Note: Carl" in again.stderr or "dup-1" not in path.read_text(encoding="utf-8")
    assert sequences() == after_first
    assert dump(db_path) == rows


# -- a year 1604 -----------------------------------------------------------------------


def test_a_birthday_in_1604_is_a_year_unless_apple_says_it_is_none(servant, tmp_path) -> None:
    cards = (
        card("FN:Galileo", "BDAY:1604-02-15")
        + card("PRODID:-//Apple Inc.//macOS 14.4.1//EN", "FN:Ana Apple", "BDAY:1604-06-20")
        + card("FN:Omar Omit", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-07-01")
    )
    ok(servant("import", str(write(tmp_path, "old.vcf", cards)), "-q"))
    found = people(servant)
    assert {name: [d["date"] for d in who["dates"]] for name, who in found.items()} == {
        "Galileo": ["1604-02-15"],
        "Ana Apple": ["--06-20"],
        "Omar Omit": ["--07-01"],
    }


def test_a_1604_birthday_keeps_its_year_through_servants_own_vcard(servant, tmp_path) -> None:
    ok(servant("add", "Kepler Junior", "--birthday", "1604-12-27", "--date", "Baptism=1604-12-30"))
    exported = tmp_path / "out.vcf"
    ok(servant("export", "vcard", "-o", str(exported)), servant("export", "vcard", "-o", str(exported)).stderr)
    other = tmp_path / "other.db"
    ok(servant("--db", str(other), "import", str(exported), "-q"))
    [back] = json.loads(ok(servant("--db", str(other), "list", "--json")))
    shown = json.loads(ok(servant("--db", str(other), "show", f"#{back['id']}", "--json")))
    assert sorted(d["date"] for d in shown["dates"]) == ["1604-12-27", "1604-12-30"]


def test_a_csv_field_over_the_limit_skips_its_record_and_the_rest_imports(servant, tmp_path) -> None:
    rows = f'name,notes,company\nNora,"{"n" * (MAX_PROPERTY + 1)}",\nBob,Likes tea,Stone & Co\n'
    result = servant("import", str(write(tmp_path, "people.csv", rows)), "-q")
    assert summary(result) == "Imported people.csv (servant CSV): 1 added, 0 updated, 0 unchanged, 1 skipped"
    assert result.stderr == (
        f"Note: skipped Nora: the note is {MAX_PROPERTY + 1:,} characters long; servant reads at most "
        f"{MAX_PROPERTY:,} (line 2)\n"
    )
    assert list(people(servant)) == ["Bob"]
