"""Address books in and out: vCard, Google Contacts CSV, LinkedIn Connections.csv and
servant's own CSV read into plain records; servant's CSV and vCard 4 written back.

This package knows file formats and nothing else: it never opens the database. A
reader turns a file into ``ImportedPerson`` records (and ``Skipped`` ones, each with
a reason a user can act on); the store decides who they are and what changes. So the
readers can be tested on fixture files alone, and the store on records alone.

What every reader promises:

- text is NFC-normalised and stripped; one-line fields lose control characters
  (a line break becomes a space); notes keep their new lines;
- a record without a name, with a name (or a part of it: vCard N, Google's Last Name)
  over 200 characters or with a date that does not exist (``BDAY:1990-13-45``, Feb 29
  of 2023) is skipped with a reason naming the value, and the rest of the file is read;
- a record with a field of more than ``common.MAX_FIELD`` characters, a vCard over the
  limits of ``cardlines`` (a card, a property), a vCard 2.1 ``CHARSET`` that is no text
  encoding, or a number with more digits than its range allows is skipped the same way;
  memory and time stay in proportion to the file's size;
- of two dates of the same kind (a custom date: the same label) the first is kept;
- a file that cannot be read as its format (cut short, binary, empty, not UTF-8,
  another format) raises ``BadFile`` with one line saying what is wrong, where, and
  which formats are accepted. No traceback ever reaches the user.

This module imports nothing heavy: ``vobject`` and the readers are imported by the
function that needs them, so ``servant upcoming`` never pays for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from servant_cli.models import Kin, NameParts, Occasion, Person


class Format(StrEnum):
    """The address book files servant reads (``--format``)."""

    vcard = "vcard"
    csv = "csv"
    google = "google"
    linkedin = "linkedin"
    json = "json"


#: How each format is named to a user.
FORMATS: dict[str, str] = {
    Format.vcard: "vCard",
    Format.csv: "servant CSV",
    Format.google: "Google Contacts CSV",
    Format.linkedin: "LinkedIn CSV",
    Format.json: "servant JSON",
}


class ImportedDate(NamedTuple):
    """A key date as a file gives it."""

    kind: str  # "birthday" | "anniversary" | "work-anniversary" | "client-since" | "custom"
    month: int
    day: int
    #: None when the source has no year (--MMDD, Apple's 1604, Google's --08-02).
    year: int | None = None
    #: Only for kind "custom" (an Apple X-ABLabel, a Google "Event 1 - Label").
    label: str = ""
    #: servant's own CSV can say a date is one-off; lead days and plan come from it alone.
    yearly: bool = True
    lead_days: int | None = None
    plan: str | None = None
    #: A yearly rule's stored form (servant's own CSV and JSON: ``2SU/5``, ``easter+49``),
    #: for a custom date; month and day are then its earliest day and year is None.
    rule: str | None = None


class ImportedRelation(NamedTuple):
    """A relation as a file gives it: ``name`` is the person's ``label`` ("Spouse",
    "Mother", "brother"); ``uid`` when the file names them by a card's UID (vCard 4
    ``RELATED:urn:uuid:…``), and then ``name`` is that UID until they are found."""

    label: str
    name: str
    uid: str | None = None


class ImportedPerson(NamedTuple):
    """A person as a file gives them, cleaned but not yet matched to anyone stored."""

    name: str
    #: The source's own id: vCard UID, LinkedIn profile URL; None if it has none.
    uid: str | None = None
    email: str | None = None  # the first one
    phone: str | None = None  # the first one
    company: str | None = None
    position: str | None = None  # job title (vCard TITLE, LinkedIn Position)
    notes: str | None = None  # may hold new lines
    tags: tuple[str, ...] = ()
    dates: tuple[ImportedDate, ...] = ()
    connected_on: date | None = None  # LinkedIn "Connected On"
    #: Where in the file, for messages: "card 12", "line 40".
    where: str = ""
    #: Keep-in-touch cadence in days: only servant's own CSV has it.
    every_days: int | None = None
    #: What people call them (vCard NICKNAME, Google's Nickname).
    nickname: str | None = None
    #: The file of a folder (a vdir) the record came from; "" for a single file.
    file: str = ""
    #: Family and other relations (Google's Relation N, vCard RELATED, Apple's X-ABRELATEDNAMES).
    relations: tuple[ImportedRelation, ...] = ()
    #: The name's parts as the file gives them (vCard N, Google's First/Middle/Last
    #: Name, LinkedIn's First/Last Name); None when it gives none.
    name_parts: NameParts | None = None


class Skipped(NamedTuple):
    """A record that was not read, and why."""

    who: str  # the person's name if known, else where in the file
    reason: str  # one line, naming the value: "BDAY '1990-13-45' is not a date"


class Parsed(NamedTuple):
    """What a file holds: its format, the people read, the records skipped."""

    format: str  # "vcard" | "google" | "linkedin" | "csv" | "json"
    people: list[ImportedPerson]
    skipped: list[Skipped]
    #: servant's JSON: what the file holds beyond each record (family, gestures, ideas),
    #: one ``servant_json.FilePerson`` per record, in the same order.
    extra: tuple[object, ...] = ()
    #: servant's JSON: the seasons the file holds (``servant_json.FileSeason``).
    seasons: tuple[object, ...] = ()


Progress = Callable[[int, int], None]


def read(path: Path, fmt: str | None = None, progress: Progress | None = None) -> Parsed:
    """Read an address book file into records; ``fmt`` None guesses it.

    ``progress(done, total)`` is called as records are read (``total`` is counted
    first, cheaply), at most a few hundred times whatever the file's size, and once
    at the end with ``done == total``.
    """
    from servant_cli.importers.common import open_text
    from servant_cli.models import many_records

    text, guessed = open_text(path, fmt)
    with many_records():
        return _records(text, fmt or guessed, progress)


def _records(text: str, fmt: str, progress: Progress | None) -> Parsed:
    """The records of a file's ``text`` in format ``fmt``."""
    if fmt == "vcard":
        from servant_cli.importers.vcard import read_vcards

        return read_vcards(text, progress)
    if fmt == "google":
        from servant_cli.importers.google import read_google

        return read_google(text, progress)
    if fmt == "linkedin":
        from servant_cli.importers.linkedin import read_linkedin

        return read_linkedin(text, progress)
    if fmt == "json":
        from servant_cli.importers.servant_json import read_json

        return read_json(text, progress)
    from servant_cli.importers.servant_csv import read_csv

    return read_csv(text, progress)


def write_csv(
    people: Iterable[tuple[Person, Sequence[Occasion]]], *, family: Mapping[int, Sequence[Kin]] | None = None
) -> str:
    """servant's own CSV: every person and date, and their family (``family``: each
    person's, ``Store.kin_of_people``), so that importing it back loses only gestures
    and gift ideas.

    The columns and the syntax of a date cell are in ``servant_cli.importers.servant_csv``.
    """
    from servant_cli.importers.servant_csv import write_csv as write

    return write(people, family=family)


def write_vcards(
    people: Iterable[tuple[Person, Sequence[Occasion]]],
    *,
    db_id: str | None = None,
    family: Mapping[int, Sequence[Kin]] | None = None,
    version: int = 4,
) -> str:
    """vCard 4.0, or 3.0 in Apple's form, that other address books read (see
    ``servant_cli.importers.vcard``).

    ``db_id`` (the database's random id) makes a stable UID for each person, so that a
    card sent back and forth is matched again; without it a card has no UID. ``family``
    (each person's, ``Store.kin_of_people``) is written as RELATED.
    """
    from servant_cli.importers.vcard import write_vcards as write

    return write(people, db_id=db_id, family=family, version=version)
