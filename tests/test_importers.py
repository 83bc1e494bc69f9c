"""Address book files in and out, with no CLI and no database.

The fixtures under ``tests/data/import/`` are hand-made to match real exports: Apple
Contacts (vCard 3.0), a vCard 4.0 file, Google Contacts' CSV (with its BOM and
today's header) and LinkedIn's Connections.csv (with its notes first). Each test says
what a user importing that file would get.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servant_cli.errors import BadFile
from servant_cli.importers import (
    FORMATS,
    ImportedDate,
    ImportedPerson,
    Skipped,
    read,
    write_csv,
    write_vcards,
)
from servant_cli.importers.common import apple_label, guess_format, lines, one_line
from servant_cli.importers.servant_csv import HEADER, read_csv
from servant_cli.importers.vcard import read_vcards
from servant_cli.models import KIND_LABELS, PLANS, NameParts, Occasion, Person

DATA = Path(__file__).parent / "data" / "import"


def birthday(month: int, day: int, year: int | None = None) -> ImportedDate:
    return ImportedDate("birthday", month, day, year)


def anniversary(month: int, day: int, year: int | None = None) -> ImportedDate:
    return ImportedDate("anniversary", month, day, year)


def custom(label: str, month: int, day: int, year: int | None = None) -> ImportedDate:
    return ImportedDate("custom", month, day, year, label)


def by_name(people: list[ImportedPerson]) -> dict[str, ImportedPerson]:
    return {person.name: person for person in people}


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"


# -- Apple Contacts ------------------------------------------------------------------


def test_apple_contacts_export() -> None:
    parsed = read(DATA / "apple-contacts.vcf")
    assert parsed.format == "vcard"
    assert parsed.skipped == []
    assert [p.name for p in parsed.people] == ["Ada Lovelace", "Bob Marsh", "Acme Florists", "Åsa Öberg"]
    ada, bob, acme, _ = parsed.people
    assert ada == ImportedPerson(
        name="Ada Lovelace",
        uid="5D1E7E3A-3F4C-4E0B-9D0B-7B1B2C3D4E5F",
        email="ada@analytical.example",  # the first of two
        phone="+44 20 7946 0958",
        company="Analytical Engines",  # ORG's first field; "Research" is a unit
        position="Chief Mathematician",
        notes="Met at the Babbage lecture, 1833.\nPrefers letters to e-mail; never call before noon.",
        tags=("Clients", "VIP"),
        dates=(birthday(12, 10, 1815), anniversary(7, 8, 1835), custom("Shop opening", 6, 1)),
        where="card 1 at line 1",
        name_parts=NameParts("Lovelace", "Ada"),
    )
    # X-APPLE-OMIT-YEAR=1604: no year. Apple's "Other" label in plain words.
    assert bob.dates == (birthday(3, 14), custom("Other", 11, 17), custom("Graduation", 5, 30, 2019))
    assert bob.phone == "07700 900123"  # a grouped TEL is a TEL
    assert (acme.company, acme.phone, acme.tags) == ("Acme Florists", "+1 (555) 010-0199", ("Suppliers",))
    assert acme.name_parts is None  # N:;;;; of a company's card


def test_apple_names_are_nfc_and_feb_29_without_a_year_is_kept() -> None:
    """The file spells "Åsa" with a combining ring (as macOS often does); 1604 is a leap
    year, and 1604 without X-APPLE-OMIT-YEAR is Apple's "no year" too."""
    asa = by_name(read(DATA / "apple-contacts.vcf").people)["Åsa Öberg"]
    assert asa.name == unicodedata.normalize("NFC", "Åsa Öberg")
    assert "\u030a" in (DATA / "apple-contacts.vcf").read_text(encoding="utf-8")
    assert asa.dates == (birthday(2, 29), anniversary(9, 21))


def test_vcard_nickname_is_the_first_of_the_list() -> None:
    cards = (
        card("FN:Robert Stone", "NICKNAME:Bob,Bobby")
        + card("FN:Ana Lima", "NICKNAME:", "NICKNAME:Ana\\, la grande")  # an empty one, an escaped comma
        + card("FN:Kim", "NICKNAME:Kim")  # the name itself
        + card("FN:Olu")
    )
    people = read_vcards(cards).people
    assert [(p.name, p.nickname) for p in people] == [
        ("Robert Stone", "Bob"),
        ("Ana Lima", "Ana, la grande"),
        ("Kim", None),
        ("Olu", None),
    ]


# -- vCard 4 -------------------------------------------------------------------------


def test_vcard_4_file() -> None:
    parsed = read(DATA / "contacts-v4.vcf")
    assert parsed.skipped == []
    people = by_name(parsed.people)
    kim = people["Kim Tanaka"]
    assert kim.dates == (birthday(3, 14), anniversary(6, 12, 2010))  # --0314, 20100612
    assert kim.phone == "+81-90-1234-5678"  # TEL;VALUE=uri:tel:…
    assert kim.tags == ("Clients", "Japan", "Tea")  # two CATEGORIES lines
    assert kim.uid == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert (kim.company, kim.position) == ("Tanaka Trading Co.", "Export manager")
    assert kim.notes == "Second line follows.\nThird: tea, not coffee."
    assert people["Olu Adeyemi"].dates == (birthday(4, 5, 1990), anniversary(9, 8, 2001))  # date-time, X-MS-
    # BDAY;VALUE=date:19850314 and X-EVOLUTION-ANNIVERSARY; the second BDAY is ignored.
    assert people["Ines Duarte"].dates == (birthday(3, 14, 1985), anniversary(12, 31, 1999))
    assert people["Tom Becker"].dates == (birthday(4, 5), anniversary(8, 22, 2015))  # --04-05, X-ANNIVERSARY
    # No FN: the name is N put together; BDAY;VALUE=text is not a date.
    assert people["Dr. Yui Nakamura"].dates == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1990-04-05", (4, 5, 1990)),
        ("19900405", (4, 5, 1990)),
        ("--0405", (4, 5, None)),
        ("--04-05", (4, 5, None)),
        ("1990-04-05T00:00:00Z", (4, 5, 1990)),
        ("19900405T000000Z", (4, 5, 1990)),
        ("1987-09-27T08:30:00-06:00", (9, 27, 1987)),
        ("1604-04-05", (4, 5, 1604)),  # a year: Apple's placeholder comes with its PRODID or X-APPLE-OMIT-YEAR
        ("0000-04-05", (4, 5, None)),
        ("0000-02-29", (2, 29, None)),
        (" 1990-04-05 ", (4, 5, 1990)),
        ("1990-4-5", (4, 5, 1990)),
        ("1990-04-5", (4, 5, 1990)),
        ("2024-02-29", (2, 29, 2024)),
        ("\uff11\uff19\uff19\uff10-\uff10\uff14-\uff10\uff15", (4, 5, 1990)),  # fullwidth digits
    ],
)
def test_bday_forms(tmp_path: Path, value: str, expected: tuple[int, int, int | None]) -> None:
    parsed = read(write(tmp_path, "c.vcf", card("FN:Ada", f"BDAY:{value}")))
    assert parsed.people[0].dates == (birthday(*expected),)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("1990-13-45", "BDAY '1990-13-45' is not a date: there is no month 13"),
        ("2023-02-29", "BDAY '2023-02-29' is not a date: 2023 is not a leap year"),
        ("1990-04-31", "BDAY '1990-04-31' is not a date: April has no day 31"),
        ("--1301", "BDAY '--1301' is not a date: there is no month 13"),
        ("1990-00-10", "BDAY '1990-00-10' is not a date: there is no month 0"),
        ("1990-04-00", "BDAY '1990-04-00' is not a date: April has no day 0"),
        ("1990/04/05", "BDAY '1990/04/05' is not a date; use 1985-03-14 or --03-14"),
        ("2021-W01-1", "BDAY '2021-W01-1' is not a date; use 1985-03-14 or --03-14"),  # an ISO week, no day of a month
        ("1990-04", "BDAY '1990-04' has no day, so it is not an occasion"),
        ("soon", "BDAY 'soon' is not a date"),
        ("1990-04-05T25", "BDAY '1990-04-05T25' is not a date"),
    ],
)
def test_a_bad_date_skips_the_record_naming_the_person_and_the_value(tmp_path: Path, value: str, why: str) -> None:
    text = card("FN:Ada", "BDAY:1985-03-14") + card("FN:Basil Bad", f"BDAY:{value}") + card("FN:Cy")
    parsed = read(write(tmp_path, "c.vcf", text))
    assert [p.name for p in parsed.people] == ["Ada", "Cy"]
    [skip] = parsed.skipped
    assert skip.who == "Basil Bad"
    assert why in skip.reason
    assert "card 2" in skip.reason


def test_cards_are_cut_at_their_first_and_last_lines_in_any_case_with_blank_lines_between(tmp_path: Path) -> None:
    text = (
        "begin:vcard\nVERSION:3.0\nFN:Ada\nBDAY:1985-03-14\nend:vcard\n\n"
        "BEGIN:VCARD  \nVERSION:3.0\nFN:Basil Bad\nBDAY:1990-13-45\nEND:VCARD\t\n \n"
        "Begin:VCard\nVERSION:3.0\nFN:Cy\nEnd:VCard\n"
    )
    parsed = read(write(tmp_path, "c.vcf", text))
    assert [(p.name, p.dates) for p in parsed.people] == [("Ada", (birthday(3, 14, 1985),)), ("Cy", ())]
    assert parsed.skipped == [
        Skipped("Basil Bad", "BDAY '1990-13-45' is not a date: there is no month 13 (card 2 at line 7)")
    ]


def test_one_bad_record_among_good_ones() -> None:
    parsed = read(DATA / "one-bad-record.vcf")
    assert [(p.name, p.dates) for p in parsed.people] == [
        ("Gina Good", (birthday(5, 17, 1980),)),
        ("Fred Fine", (birthday(10, 26),)),
    ]
    assert parsed.skipped == [
        Skipped("Basil Bad", "BDAY '1990-13-45' is not a date: there is no month 13 (card 2 at line 7)")
    ]


def test_apple_grouped_dates(tmp_path: Path) -> None:
    text = card(
        "FN:Ada",
        "item1.X-ABLabel:_$!<Anniversary>!$_",  # the label may come first
        "item1.X-ABDATE:2015-06-20",
        "item2.X-ABDATE;X-APPLE-OMIT-YEAR=1604;type=pref:1604-07-17",
        "item2.X-ABLabel:Name day",
        "item3.X-ABDATE:2019-01-02",
        "item3.X-ABLabel:Work anniversary",
        "item4.X-ABDATE:2020-02-03",
        "item4.X-ABLabel:_$!<Other>!$_",
        "item5.X-ABDATE:2021-03-04",
        "item5.X-ABLabel:Name day",  # a second "Name day": the first is kept
    )
    [ada] = read(write(tmp_path, "c.vcf", text)).people
    assert ada.dates == (
        anniversary(6, 20, 2015),
        custom("Name day", 7, 17),
        ImportedDate("work-anniversary", 1, 2, 2019),
        custom("Other", 2, 3, 2020),
    )


def test_apple_labels_in_words() -> None:
    assert apple_label("_$!<Anniversary>!$_") == "Anniversary"
    assert apple_label("_$!<HomePage>!$_") == "Home page"
    assert apple_label("Shop opening") == "Shop opening"


def test_unescaped_commas_are_kept(tmp_path: Path) -> None:
    """vobject would cut "Met in Lisbon, 2019" at the comma (py-vobject/vobject#55)."""
    text = card("FN:Smith, Anna", "NOTE:Met in Lisbon, 2019", "ORG:Mendes & Filhos, Lda;Sales", "TITLE:Owner, CEO")
    [anna] = read(write(tmp_path, "c.vcf", text)).people
    assert (anna.name, anna.notes, anna.company, anna.position) == (
        "Smith, Anna",
        "Met in Lisbon, 2019",
        "Mendes & Filhos, Lda",
        "Owner, CEO",
    )


def test_a_broken_photo_costs_nothing(tmp_path: Path) -> None:
    text = card("FN:Ada", "PHOTO;ENCODING=b;TYPE=JPEG:!!!not base64", "BDAY:1985-03-14")
    [ada] = read(write(tmp_path, "c.vcf", text)).people
    assert ada.dates == (birthday(3, 14, 1985),)


def test_vcard_2_1_quoted_printable(tmp_path: Path) -> None:
    text = card(
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=96berg;=C3=85sa;;;",
        "NOTE;ENCODING=QUOTED-PRINTABLE:line one=0D=0Aline=",
        " two",
        "BDAY:19800517",
        version="2.1",
    )
    [asa] = read(write(tmp_path, "c.vcf", text)).people
    assert (asa.name, asa.notes, asa.dates) == ("Åsa Öberg", "line one\nline two", (birthday(5, 17, 1980),))


def test_a_card_with_an_unreadable_line_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    text = card("FN:Ada", "this line has no colon") + card("FN:Bob")
    parsed = read(write(tmp_path, "c.vcf", text))
    assert [p.name for p in parsed.people] == ["Bob"]
    assert parsed.skipped == [
        Skipped("card 1 at line 1", "line 4 'this line has no colon' is not a vCard property (NAME:value)")
    ]


def test_text_is_cleaned(tmp_path: Path) -> None:
    text = card(
        "FN:  Ada\\nLove\u0007lace  ",
        "TITLE:Chief\\nEngineer\u0085and\u2028more",
        "NOTE:first\\nsecond\\n\\nthird\u0001",
        "CATEGORIES:Clients, ,clients,VIP",
        "N:;;;;",
    )
    [ada] = read(write(tmp_path, "c.vcf", text)).people
    assert (ada.name, ada.position, ada.notes, ada.tags) == (
        "Ada Lovelace",
        "Chief Engineer and more",
        "first\nsecond\n\nthird",
        ("Clients", "VIP"),
    )


@pytest.mark.parametrize(
    ("lines_", "who", "reason"),
    [
        (("N:;;;;",), "card 1 at line 1", "has no name (FN, N and ORG are empty)"),
        ((f"FN:{'A' * 201}",), "A" * 60 + "…", "the name is longer than 200 characters (201) (card 1 at line 1)"),
        (("FN:#42",), "#42", "the name '#42' reads as a person's #ID, so it cannot be a name (card 1 at line 1)"),
    ],
)
def test_names_that_cannot_be_used(tmp_path: Path, lines_: tuple[str, ...], who: str, reason: str) -> None:
    parsed = read(write(tmp_path, "c.vcf", card(*lines_)))
    assert parsed.people == []
    assert parsed.skipped == [Skipped(who, reason)]


def test_a_name_of_200_characters_is_fine(tmp_path: Path) -> None:
    [person] = read(write(tmp_path, "c.vcf", card(f"FN:{'é' * 200}"))).people
    assert len(person.name) == 200


# -- Google Contacts -----------------------------------------------------------------


def test_google_contacts_export() -> None:
    assert (DATA / "google-contacts.csv").read_bytes().startswith(b"\xef\xbb\xbfFirst Name,Middle Name,Last Name,")
    parsed = read(DATA / "google-contacts.csv")
    assert parsed.format == "google"
    people = by_name(parsed.people)
    assert list(people) == ["Carla Mendes", "Dan O'Neil", "Dr. Maria Luisa Pérez", "Acme Corp", "נועה כהן"]
    assert people["Carla Mendes"] == ImportedPerson(
        name="Carla Mendes",
        email="carla@mendes.example",
        phone="+351 912 345 678",
        company="Mendes & Filhos, Lda",
        position="Owner",
        notes="Bakery on Rua Augusta.\nLikes orchids, not roses.",
        tags=("Clients",),  # without * myContacts and * starred
        dates=(birthday(7, 4, 1979), anniversary(9, 17, 2005), custom("Shop opening", 4, 1)),
        where="line 2",
        name_parts=NameParts("Mendes", "Carla"),
    )
    assert people["Dr. Maria Luisa Pérez"].name_parts == NameParts("Pérez", "Maria", "Luisa", "Dr.")
    dan = people["Dan O'Neil"]
    assert (dan.email, dan.phone, dan.tags, dan.dates, dan.nickname) == (
        "dan@oneil.example",  # the first of "a ::: b"
        "+353 85 123 4567",
        ("Golf club",),
        (birthday(8, 2),),  # --08-02
        "Danny",
    )
    maria = people["Dr. Maria Luisa Pérez"]
    assert maria.tags == ("Clients", "VIP")
    assert maria.dates == (ImportedDate("client-since", 1, 15, 2018), custom("Other", 2, 29, 2020))
    assert people["Acme Corp"].company == "Acme Corp"  # a company's row is named by it
    assert people["נועה כהן"].tags == ("Friends 🎉",)
    assert parsed.skipped == [
        Skipped("line 10", "has no name (First Name, Last Name, Nickname and Organization Name are empty)")
    ]


def test_google_nickname_unless_the_row_is_named_by_it(tmp_path: Path) -> None:
    text = (
        "First Name,Last Name,Nickname,Labels\n"
        "Robert,Stone,  Bob ,\n"  # trimmed
        ",,Bobby,\n"  # named by the nickname alone: no nickname besides
    )
    people = read(write(tmp_path, "contacts.csv", text), "google").people
    assert [(p.name, p.nickname) for p in people] == [("Robert Stone", "Bob"), ("Bobby", None)]


def test_google_older_export_header(tmp_path: Path) -> None:
    text = (
        "Name,Given Name,Additional Name,Family Name,Birthday,Notes,Group Membership,"
        "E-mail 1 - Type,E-mail 1 - Value,Organization 1 - Name,Organization 1 - Title,Event 1 - Type,Event 1 - Value\n"
        "Ada Lovelace,Ada,,Lovelace,1815-12-10,,* My Contacts ::: Clients,* Home,ada@example.org,"
        "Analytical Engines,CTO,Anniversary,1835-07-08\n"
    )
    parsed = read(write(tmp_path, "old.csv", text))
    assert parsed.format == "google"
    [ada] = parsed.people
    assert (ada.name, ada.email, ada.company, ada.position, ada.tags, ada.dates) == (
        "Ada Lovelace",
        "ada@example.org",
        "Analytical Engines",
        "CTO",
        ("My Contacts", "Clients"),
        (birthday(12, 10, 1815), anniversary(7, 8, 1835)),
    )


def test_google_bad_birthday_skips_that_row(tmp_path: Path) -> None:
    text = "\ufeffFirst Name,Last Name,Birthday,Labels\nAda,Lovelace,1815-02-30,\nBob,Marsh,--03-14,\n"
    parsed = read(write(tmp_path, "g.csv", text))
    assert [p.name for p in parsed.people] == ["Bob Marsh"]
    assert parsed.skipped == [
        Skipped("Ada Lovelace", "Birthday '1815-02-30' is not a date: February has no day 30 (line 2)")
    ]


# -- LinkedIn ------------------------------------------------------------------------


def test_linkedin_connections_export() -> None:
    assert (DATA / "Connections.csv").read_text(encoding="utf-8").startswith("Notes:\n")
    parsed = read(DATA / "Connections.csv")
    assert parsed.format == "linkedin"
    people = by_name(parsed.people)
    assert people["Sam Ortiz"] == ImportedPerson(
        name="Sam Ortiz",
        uid="https://www.linkedin.com/in/sam-ortiz",
        email="sam.ortiz@example.com",
        company="Stripe, Inc.",
        position="Technical Recruiter",
        tags=("linkedin",),
        connected_on=date(2023, 1, 1),
        where="line 6",
        name_parts=NameParts("Ortiz", "Sam"),
    )
    assert people["Priya Shah"].email is None  # LinkedIn leaves most e-mails out
    jurgen = people["Jürgen Müller"]
    assert (jurgen.company, jurgen.position, jurgen.connected_on) == (
        "Müller, Schmidt & Co. KG",
        "Geschäftsführer | Speaker, Author",
        date(2024, 2, 29),
    )
    assert "Lena Vogt 🚀" in people
    assert parsed.skipped == [Skipped("line 8", "has no name (First Name and Last Name are empty)")]


def test_linkedin_bad_connection_date(tmp_path: Path) -> None:
    text = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nAda,L,u,,,,31 Feb 2021\n"
    parsed = read(write(tmp_path, "Connections.csv", text))
    assert parsed.skipped == [
        Skipped("Ada L", "Connected On '31 Feb 2021' is not a date: February has no day 31 (line 2)")
    ]


# -- the format, the file ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("apple-contacts.vcf", "vcard"),
        ("contacts-v4.vcf", "vcard"),
        ("google-contacts.csv", "google"),
        ("Connections.csv", "linkedin"),
    ],
)
def test_the_format_is_told_by_the_content(tmp_path: Path, name: str, fmt: str) -> None:
    head = (DATA / name).read_text(encoding="utf-8-sig")[:4096]
    assert guess_format(DATA / name, head) == fmt
    assert guess_format(Path("renamed.txt"), head) == fmt  # exports get renamed


def test_the_format_of_servant_csv_and_of_an_unknown_file() -> None:
    assert guess_format(Path("x.csv"), "name,birthday\nAda,1985-03-14\n") == "csv"
    assert guess_format(Path("x.vcf"), "garbage") == "vcard"  # the vCard reader will say what is wrong
    with pytest.raises(BadFile, match=r"cannot tell what kind of file x\.csv is .*--format"):
        guess_format(Path("x.csv"), "First Name,Last Name,Foo\n")
    assert set(FORMATS) == {"vcard", "csv", "google", "linkedin", "json"}


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (card("FN:Ada") + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nBDAY:19", None, "card 2 (BEGIN:VCARD on line 5)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "is a binary file, not an address book"),
        (b"", None, "is empty"),
        (b" \r\n\r\n", "vcard", "is empty"),
        ("FN:Ada\r\n".encode("utf-16-le") + b"\x00", "vcard", "binary"),
        (card("FN:M\u00fcller").encode("latin-1"), None, "is not UTF-8 text (byte 0xFC on line 3)"),
        ("name,birthday\nAda,1985-03-14\n", "vcard", "not a vCard file: line 1 is 'name,birthday'"),
        ("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "vcard", "not a vCard file"),
        (card("FN:Ada") + "trailing words\r\n", None, "line 5 ('trailing words') is outside any card"),
        (card("FN:Ada") + "\r\n  \r\nX\r\n" + card("FN:Bo"), None, "line 7 ('X') is outside any card, after card 1"),
        (card("FN:Ada") + "end:vcard\r\n", None, "line 5 ('end:vcard') is outside any card, after card 1"),
        ("BEG\u0130N:VCARD\r\nEND:VCARD\r\n", "vcard", "not a vCard file: line 1 is 'BEG\u0130N:VCARD'"),
        ("name,birthday\nAda,1985-03-14\n", "linkedin", "not LinkedIn's Connections.csv"),
        ("name,birthday\nAda,1985-03-14\n", "google", "not a Google Contacts CSV"),
        ("First Name,Last Name\nAda,L\n", "csv", "unknown column 'First Name'"),
        ("name,birtday\nAda,1985-03-14\n", None, "unknown column 'birtday'"),
        ('name,birthday\nAda,"1985-03-14\n', None, "line 2: a quoted cell is never closed"),
        ("email\nada@example.org\n", "csv", "needs a 'name' column"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_clear_error(
    tmp_path: Path, content: str | bytes, fmt: str | None, message: str
) -> None:
    path = write(tmp_path, "contacts.vcf" if fmt != "csv" else "contacts.csv", content)
    with pytest.raises(BadFile) as error:
        read(path, fmt)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_folder_or_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BadFile, match="is a folder"):
        read(tmp_path)
    with pytest.raises(BadFile, match="no such file"):
        read(tmp_path / "missing.vcf")


def test_utf16_with_a_bom_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "c.vcf", "\ufeff".encode("utf-16-le") + card("FN:Åsa").encode("utf-16-le"))
    assert [p.name for p in read(path).people] == ["Åsa"]


def test_progress_is_reported(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    read(DATA / "apple-contacts.vcf", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
    calls.clear()
    big = "".join(card(f"FN:Person {n}") for n in range(1000))
    read(write(tmp_path, "big.vcf", big), progress=lambda done, total: calls.append((done, total)))
    assert len(calls) <= 201
    assert calls[-1] == (1000, 1000)


def test_importing_the_package_imports_no_vobject() -> None:
    code = "import sys, servant_cli.importers; print('vobject' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# -- servant's own CSV ---------------------------------------------------------------

ADA = Person(
    1,
    "Ada Lovelace",
    company='=HYPERLINK("http://evil")',
    email="ada@example.org",
    phone="+44 20 7946 0958",
    tags=("Clients", "VIP; gold", "a, b"),
    notes='First line, "quoted"\nSecond; line',
    every_days=30,
    position="CTO",
    connected_on="2021-03-12",
    source_uid="urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
    nickname="Countess",
)
ADA_DATES = [
    Occasion(1, 1, "birthday", 3, 14, None, lead_days=10, plan="card"),
    Occasion(2, 1, "anniversary", 6, 12, 2010),
    Occasion(3, 1, "work-anniversary", 9, 1, 2019),
    Occasion(4, 1, "client-since", 1, 15, 2018, plan="call"),
    Occasion(5, 1, "custom", 6, 1, 2015, label="Shop opening"),
    Occasion(6, 1, "custom", 12, 24, 2026, label="Launch party", yearly=False, lead_days=0, plan="flowers"),
]


def test_servant_csv_columns_and_syntax() -> None:
    text = write_csv([(ADA, ADA_DATES), (Person(2, "Bob"), [])])
    assert text.splitlines()[0] == ",".join(HEADER)
    assert text == (
        "name,birthday,anniversary,work_anniversary,client_since,dates,email,phone,company,position,tags,notes,"
        "every_days,connected_on,uid,nickname,child_of,spouse_of,relations\n"
        "Ada Lovelace,'--03-14 lead 10 plan card,2010-06-12,2019-09-01,2018-01-15 plan call,"
        '"Shop opening=2015-06-01; Launch party=2026-12-24 once lead 0 plan flowers",ada@example.org,'
        '\'+44 20 7946 0958,"\'=HYPERLINK(""http://evil"")",CTO,"Clients; VIP\\; gold; a, b",'
        '"First line, ""quoted""\nSecond; line",30,2021-03-12,urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1,'
        "Countess,,,\n"
        "Bob,,,,,,,,,,,,,,,,,,\n"
    )


KIND_ORDER = ("birthday", "anniversary", "work-anniversary", "client-since", "custom")


def expected(person: Person, occasions: list[Occasion]) -> ImportedPerson:
    """What reading servant's CSV back must give for a stored person."""
    return ImportedPerson(
        name=person.name,
        uid=person.source_uid,
        email=person.email,
        phone=person.phone,
        company=person.company,
        position=person.position,
        notes=person.notes,
        tags=person.tags,
        dates=tuple(
            ImportedDate(o.kind, o.month, o.day, o.year, o.label, o.yearly, o.lead_days, o.plan)
            for o in sorted(
                occasions,
                key=lambda o: (KIND_ORDER.index(o.kind), o.id),
            )
        ),
        connected_on=date.fromisoformat(person.connected_on) if person.connected_on else None,
        every_days=person.every_days,
        nickname=person.nickname,
    )


def test_servant_csv_round_trip(tmp_path: Path) -> None:
    path = write(tmp_path, "people.csv", write_csv([(ADA, ADA_DATES)]))
    parsed = read(path)
    assert parsed.format == "csv"
    assert [p._replace(where="") for p in parsed.people] == [expected(ADA, ADA_DATES)]


def test_servant_csv_by_hand(tmp_path: Path) -> None:
    """A hand-made file: few columns, any order, headers in any case, options in any order."""
    text = 'Name,Birthday,Tags,Dates,Notes\nAda,1985-03-14 plan gift lead 3,clients,Shop opening=--06-01,"a\r\nb\rc"\n'
    [ada] = read(write(tmp_path, "mine.csv", text)).people
    assert ada.dates == (
        ImportedDate("birthday", 3, 14, 1985, lead_days=3, plan="gift"),
        ImportedDate("custom", 6, 1, None, "Shop opening"),
    )
    assert ada.tags == ("clients",)
    assert ada.notes == "a\nb\nc"


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("Ada,1985-13-01,", "birthday '1985-13-01' is not a date: there is no month 13"),
        ("Ada,--03-14 once,", "birthday '--03-14 once': a one-off date needs a year"),
        ("Ada,1985-03-14 soon,", "birthday '1985-03-14 soon': 'soon' is not an option"),
        ("Ada,1985-03-14 lead 400,", "birthday lead '400' is not a whole number from 0 to 365"),
        ("Ada,1985-03-14 plan party,", "'plan' is not an option; use once, lead DAYS, plan call|card|gift"),
        ("Ada,,Launch 2026-12-24", "dates 'Launch 2026-12-24' needs the form LABEL=DATE"),
    ],
)
def test_servant_csv_bad_cells_skip_the_row(tmp_path: Path, row: str, reason: str) -> None:
    parsed = read(write(tmp_path, "p.csv", f"name,birthday,dates\n{row}\nBob,,\n"))
    assert [p.name for p in parsed.people] == ["Bob"]
    [skip] = parsed.skipped
    assert skip.who == "Ada"
    assert reason in skip.reason


_AWKWARD = st.sampled_from(
    [",", ";", '"', "'", "=", "+", "-", "@", "\\", " ", "\n", "\t", "😀", "ש", "عربى", "é", "e\u0301", "\u200f", "🇵🇹"]
)
_TEXT = st.lists(st.one_of(_AWKWARD, st.characters(codec="utf-8")), max_size=20).map("".join)
_LINE = _TEXT.map(one_line)
_RESERVED = {label.casefold() for label in (*KIND_LABELS, *KIND_LABELS.values(), "anniversary", "other")}


@st.composite
def occasions(draw: st.DrawFn) -> list[Occasion]:
    found: list[Occasion] = []
    kinds = draw(st.lists(st.sampled_from(list(KIND_LABELS)), unique=True, max_size=4))
    labels = draw(
        st.lists(
            _LINE.filter(lambda t: t and t.casefold() not in _RESERVED),
            unique_by=str.casefold,
            max_size=3,
        )
    )
    for number, (kind, label) in enumerate([(k, "") for k in kinds] + [("custom", lab) for lab in labels], 1):
        day = draw(st.dates(min_value=date(1, 1, 1)))
        year = draw(st.one_of(st.none(), st.just(day.year)))
        found.append(
            Occasion(
                number,
                1,
                kind,
                day.month,
                day.day,
                year,
                label,
                yearly=year is None or draw(st.booleans()),
                lead_days=draw(st.one_of(st.none(), st.integers(0, 365))),
                plan=draw(st.one_of(st.none(), st.sampled_from(list(PLANS)))),
            )
        )
    return found


@st.composite
def people(draw: st.DrawFn) -> Person:
    optional = st.one_of(st.none(), _LINE.map(lambda t: t or None))
    return Person(
        1,
        draw(_LINE.filter(lambda t: t and not t.startswith("#"))),
        company=draw(optional),
        email=draw(optional),
        phone=draw(optional.filter(lambda t: not (t or "").casefold().startswith("tel:"))),
        tags=tuple(draw(st.lists(_LINE.filter(bool), unique_by=str.casefold, max_size=4))),
        notes=draw(st.one_of(st.none(), _TEXT.map(lines).map(lambda t: t or None))),
        every_days=draw(st.one_of(st.none(), st.integers(1, 3660))),
        position=draw(optional),
        connected_on=draw(st.one_of(st.none(), st.dates().map(date.isoformat))),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people(), occasions())
def test_servant_csv_round_trip_loses_nothing(person: Person, dates: list[Occasion]) -> None:
    parsed = read_csv(write_csv([(person, dates)]))
    assert parsed.skipped == []
    assert [p._replace(where="") for p in parsed.people] == [expected(person, dates)]


# -- vCard 4 out ---------------------------------------------------------------------


def test_write_vcards_is_vcard_4_that_reads_back() -> None:
    assert "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1" in write_vcards([(ADA, ADA_DATES)], db_id="x")
    ada_here = ADA._replace(source_uid=None)  # added in servant: a UID made from the database's id
    text = write_vcards([(ada_here, ADA_DATES)], db_id="0123abcd")
    physical = text.split("\r\n")
    assert physical[:3] == ["BEGIN:VCARD", "VERSION:4.0", "PRODID:-//servant//servant//EN"]
    assert text.endswith("END:VCARD\r\n")
    assert "BDAY:--0314" in physical
    assert "ANNIVERSARY:20100612" in physical
    # Apple keeps a custom date as a grouped X-ABDATE with its label on the next line.
    at = physical.index("item1.X-ABDATE:2019-09-01")
    assert physical[at + 1] == "item1.X-ABLABEL:Work anniversary"
    assert "item3.X-ABLABEL:Shop opening" in physical
    assert all(len(line.encode()) <= 75 for line in physical)
    [ada] = read_vcards(text).people
    assert ada.uid and ada.uid.startswith("urn:uuid:")
    assert write_vcards([(ada_here, ADA_DATES)], db_id="0123abcd") == text  # the same UID every time
    assert write_vcards([(ada_here, ADA_DATES)], db_id="another") != text
    assert ada.name_parts == NameParts("Lovelace", "Ada")  # nameparser's reading of the name
    assert ada._replace(uid=None, where="", name_parts=None) == ImportedPerson(
        name=ADA.name,
        email=ADA.email,
        phone=ADA.phone,
        company=ADA.company,
        position=ADA.position,
        notes=ADA.notes,
        tags=ADA.tags,
        nickname="Countess",
        dates=(
            birthday(3, 14),
            anniversary(6, 12, 2010),
            ImportedDate("work-anniversary", 9, 1, 2019),
            ImportedDate("client-since", 1, 15, 2018),
            custom("Shop opening", 6, 1, 2015),
            custom("Launch party", 12, 24, 2026)._replace(yearly=False),  # servant's X-SERVANT-ONCE mark
        ),
    )


def test_write_vcards_yearless_custom_date_in_apples_form() -> None:
    text = write_vcards([(Person(1, "Cher"), [Occasion(1, 1, "custom", 2, 29, None, "Name day")])])
    assert "item1.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-02-29\r\n" in text
    assert "N:;Cher;;;\r\n" in text
    assert "UID" not in text  # no database id given: no UID rather than one that could clash
    assert read_vcards(text).people[0].dates == (custom("Name day", 2, 29),)


def test_lines_are_folded_at_75_octets_between_characters() -> None:
    """vobject folds by characters below 75 of them: 73 characters with an emoji would be 76 octets."""
    name = "a" * 69 + "😀"
    note = "é" * 100 + "😀" * 10
    text = write_vcards([(Person(1, name, notes=note), [])])
    physical = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in physical)
    assert "FN:" + name not in physical
    [back] = read_vcards(text).people
    assert (back.name, back.notes) == (name, note)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people(), occasions())
def test_vcard_round_trip(person: Person, dates: list[Occasion]) -> None:
    text = write_vcards([(person, dates)])
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded by octets
    [back] = read_vcards(text).people
    want = expected(person, dates)
    # N is nameparser's reading of a name typed into servant (tests/test_vcard_export.py).
    assert back._replace(where="", dates=(), name_parts=None) == want._replace(
        connected_on=None, every_days=None, dates=()
    )
    # A vCard has no lead days or plans (a one-off date has servant's mark); the order of kinds may differ.
    order = lambda d: (KIND_ORDER.index(d.kind), d.label)  # noqa: E731
    assert sorted(back.dates, key=order) == sorted(
        (d._replace(yearly=d.yearly or d.year is None, lead_days=None, plan=None) for d in want.dates), key=order
    )


def test_a_day_is_refused_exactly_when_the_calendar_has_no_such_day() -> None:
    from servant_cli.importers.common import no_such_day

    for year in (None, 1900, 2000, 2023, 2024):
        for month in range(1, 13):
            for day in range(0, 33):
                try:
                    date(2000 if year is None else year, month, day)
                    exists = True
                except ValueError:
                    exists = False
                assert (no_such_day(year, month, day) is None) == exists, (year, month, day)


TWICE = [
    # A vCard 2.1 AGENT card inside another: its lines are not the outer card's.
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Ada Agent\r\nAGENT:\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nFN:Inner Person\r\n"
    "EMAIL:inner@example.com\r\nEND:VCARD\r\nEMAIL:ada@example.com\r\nBDAY:1990-04-05\r\nEND:VCARD\r\n",
    # A colon inside a quoted parameter value is not the end of the head.
    'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bea Quote\r\nEMAIL;TYPE="work:main":bea@example.com\r\nEND:VCARD\r\n',
    # Quoted-printable, on one line and with a soft line break; a folded line.
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Cy Printable\r\nNOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9 au lait\r\n"
    "END:VCARD\r\n",
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Cy Folded\r\nNOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9 =\r\nau lait\r\n"
    "TITLE:Head of\r\n  sales\r\nEND:VCARD\r\n",
    # Names in lower case, grouped.
    "BEGIN:VCARD\r\nversion:3.0\r\nfn:Dee Lower\r\nitem1.x-abdate:2001-02-03\r\nitem1.x-ablabel:Shop opening\r\n"
    "END:VCARD\r\n",
    # A property over the limit: the card is skipped, the next one read.
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve Long\r\nNOTE:" + "n" * 100_001 + "\r\nEND:VCARD\r\n",
]


def test_a_card_read_again_once_its_lines_are_known_reads_the_same() -> None:
    # The second of two like cards is read by the quick path for lines already seen.
    parsed = read_vcards("".join(card for card in TWICE for _ in range(2)))
    people = {person.name: person for person in parsed.people}
    assert [person.name for person in parsed.people] == [name for name in people for _ in range(2)]
    for first, again in zip(parsed.people[::2], parsed.people[1::2], strict=True):
        assert again._replace(where=first.where) == first
    assert people["Ada Agent"].email == "ada@example.com"
    assert people["Ada Agent"].dates == (birthday(4, 5, 1990),)
    assert people["Bea Quote"].email == "bea@example.com"
    assert people["Cy Printable"].notes == "café au lait"
    assert (people["Cy Folded"].notes, people["Cy Folded"].position) == ("café au lait", "Head of sales")
    assert people["Dee Lower"].dates == (ImportedDate("custom", 2, 3, 2001, "Shop opening"),)
    too_long = "NOTE is 100,006 characters long; servant reads a property of at most 100,000"
    assert parsed.skipped == [
        Skipped("Eve Long", f"{too_long} (card 11 at line 73)"),
        Skipped("Eve Long", f"{too_long} (card 12 at line 78)"),
    ]
