"""What every reader shares: opening and decoding the file, telling its format, cleaning
text, reading dates, and turning one source record into an ``ImportedPerson`` or a
``Skipped``.

A reader raises ``BadFile`` for the file and ``RecordProblem`` for one record: the
first stops the import before anything is written, the second skips that record
with its reason and goes on, so one bad birthday among 500 cards costs one card.
"""

from __future__ import annotations

import calendar
import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from servant_cli.dates import MONTH_NAMES
from servant_cli.errors import BadFile, DateError
from servant_cli.importers import FORMATS, ImportedDate, ImportedPerson, ImportedRelation, Progress, Skipped
from servant_cli.models import RELATION_WORDS, NameParts, new_record
from servant_cli.text import BIDI_CONTROL, MAX_TEXT, TERMINAL_CONTROL, TEXT_CONTROL

#: Said at the end of every "cannot read this file" message.
ACCEPTED = (
    "servant imports vCard (.vcf), a Google Contacts CSV, LinkedIn's Connections.csv "
    "and servant's own CSV or JSON (--format vcard|google|linkedin|csv|json)"
)
#: How many bytes of a file are enough to tell its format (LinkedIn's notes are ~400).
HEAD_BYTES = 8192
#: The most characters a field servant reads may have (a note, a company), in any
#: format: a record with a longer one is skipped (README, "Limits of an import").
MAX_FIELD = 100_000

_BREAKS = re.compile(r"\r\n|[\r\n\t\v\f\x85\u2028\u2029]")
# Control characters, and the bidi controls that reorder a terminal line (U+202E …),
# which `servant add` refuses too.

_FULL = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})(\d{2})(\d{2})")
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})|--(\d{1,2})-(\d{1,2})")
_TIME = re.compile(
    r"T(?:[01]\d|2[0-4])(?::?[0-5]\d(?::?(?:[0-5]\d|60)(?:[.,]\d+)?)?)?(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?",
    re.IGNORECASE,
)
#: A name that reads as a person's #ID ("#12").
_ID = re.compile(r"#[0-9]+")
#: The days of each month, February's in a common year.
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?|---(\d{2})")

#: A label that names one of servant's kinds is that kind (Apple's "Anniversary",
#: Google's "Anniversary", servant's own "Work anniversary" in a vCard it wrote).
_LABEL_KINDS = {
    "birthday": "birthday",
    "anniversary": "anniversary",
    "wedding anniversary": "anniversary",
    "work anniversary": "work-anniversary",
    "work-anniversary": "work-anniversary",
    "client since": "client-since",
    "client-since": "client-since",
}
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")


class RecordProblem(Exception):
    """One record cannot be imported; the message says why, naming the value."""


# -- the file ------------------------------------------------------------------------


def open_text(path: Path, fmt: str | None) -> tuple[str, str]:
    """The file's text and its format (``fmt`` when given, else guessed)."""
    if fmt is not None and fmt not in FORMATS:
        raise BadFile(f"unknown format {fmt!r}; {ACCEPTED}")
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise BadFile(f"{path} is a folder, not a file; {ACCEPTED}") from None
    except FileNotFoundError:
        raise BadFile(f"{path}: no such file") from None
    except OSError as exc:
        raise BadFile(f"cannot read {path}: {exc.strerror or exc}") from None
    text = decode(data, path)
    if not text.strip():
        raise BadFile(f"{path} is empty: there is nothing to import; {ACCEPTED}")
    return text, fmt or guess_format(path, text[:HEAD_BYTES])


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without a BOM), or UTF-16 with its BOM; anything else is refused.

    Guessing a legacy encoding risks importing "MÃ¼ller" without a word; saying which
    byte on which line is not UTF-8 lets the user re-save the file once.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise BadFile(f"{path} starts like UTF-16 text but is not; {ACCEPTED}") from None
    if b"\x00" in data:
        raise BadFile(f"{path} is a binary file, not an address book; {ACCEPTED}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadFile(
            f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02X} on line {line}); "
            "save it as UTF-8 and import it again"
        ) from None


def guess_format(path: Path, text: str) -> str:
    """The format of a file, from the start of its text (a few KiB) and then its extension.

    The content decides first, because exports are often renamed (``contacts.txt``)
    and every CSV ends in ``.csv``: a vCard starts with ``BEGIN:VCARD``, LinkedIn's
    file with its ``Notes:`` lines or its header, Google's header has columns no
    other has, and servant's starts with ``name``. Raises ``BadFile`` when it cannot
    tell, naming the formats and ``--format``.
    """
    start = text.lstrip()
    if start[:11].upper() == "BEGIN:VCARD":
        return "vcard"
    if start.startswith("{"):
        return "json"  # the reader says whether it is servant's
    rows = [line for line in start.splitlines()[:10] if line.strip()]
    if rows and rows[0].strip().rstrip(",").casefold() == "notes:":
        return "linkedin"
    for line in rows[:5]:
        cells = {cell.strip().strip('"').casefold() for cell in line.split(",")}
        if {"first name", "last name", "connected on"} <= cells:
            return "linkedin"
        if cells & _GOOGLE_ONLY:
            return "google"
        if "name" in cells:
            return "csv"
    if path.suffix.casefold() in (".vcf", ".vcard"):
        return "vcard"  # the reader says what is wrong with it
    first = rows[0] if rows else ""
    raise BadFile(f"cannot tell what kind of file {path.name} is (it starts {shown(first)}); {ACCEPTED}")


#: Header names only a Google Contacts CSV has (today's export, then the older one).
_GOOGLE_ONLY = {
    "labels",
    "organization name",
    "organization title",
    "e-mail 1 - value",
    "phone 1 - value",
    "phonetic first name",
    "file as",
    "given name",
    "family name",
    "group membership",
    "organization 1 - name",
}


def csv_rows(text: str) -> list[tuple[int, list[str]]]:
    """Every non-blank row with the line it starts on; a broken CSV is a ``BadFile``."""
    # A cell of more than 128 KiB (csv's default limit) must not stop an import: its
    # record is skipped (``person``), and the memory the cell takes is the file's own.
    csv.field_size_limit(max(csv.field_size_limit(), (1 << 31) - 1))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise BadFile(
                f"line {end + 1}: a quoted cell is never closed, so the file looks cut short; {ACCEPTED}"
            ) from None
        raise BadFile(f"line {reader.line_num}: not a well-formed CSV ({exc}); {ACCEPTED}") from None
    if len(rows) > 1 and not text.endswith(("\n", "\r")) and len(rows[-1][1]) < len(rows[0][1]):
        # Every export ends its last row with a line break and gives it every column:
        # a last row without either is a file cut short (a copy stopped half way).
        raise BadFile(
            f"line {rows[-1][0]}: the last row stops after {len(rows[-1][1])} of {len(rows[0][1])} columns "
            f"with no line end, so the file looks cut short; {ACCEPTED}"
        )
    return rows


class Row:
    """One row, its cells by column title; a column the file lacks reads as empty."""

    __slots__ = ("cells", "columns")

    def __init__(self, columns: dict[str, int], cells: list[str]) -> None:
        self.columns = columns
        self.cells = cells

    def __getitem__(self, title: str) -> str:
        index = self.columns.get(title)
        return self.cells[index] if index is not None and index < len(self.cells) else ""

    def numbered(self, what: str, part: str) -> list[str]:
        """The cells of "E-mail 1 - Value", "E-mail 2 - Value", … in order."""
        found = []
        number = 1
        while (title := f"{what} {number} - {part}") in self.columns:
            found.append(self[title])
            number += 1
        return found


class Ticker:
    """Calls ``progress`` a few hundred times at most, however many records there are:
    a progress bar redrawn 10,000 times would cost more than the import."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.step = max(1, total // 200)

    def __call__(self, done: int) -> None:
        if self.progress is not None and (done % self.step == 0 or done == self.total):
            self.progress(done, self.total)

    def end(self) -> None:
        if self.progress is not None and self.total == 0:
            self.progress(0, 0)


# -- text ----------------------------------------------------------------------------


def one_line(value: str | None) -> str:
    """A one-line field: line breaks and tabs become spaces, other control characters go."""
    if not value:
        return ""
    if value.isascii() and value.isprintable():  # most fields: nothing to take out or compose
        return value.strip()
    text = TERMINAL_CONTROL.sub("", _BREAKS.sub(" ", value))  # no tab or LF is left
    return unicodedata.normalize("NFC", text).strip()


def lines(value: str | None) -> str:
    """Notes: new lines kept (CR LF, CR and the Unicode line and paragraph separators
    become LF), other control characters go."""
    if not value:
        return ""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = BIDI_CONTROL.sub("", TEXT_CONTROL.sub("", value))
    return unicodedata.normalize("NFC", text).strip()


def shown(value: str, limit: int = 40) -> str:
    """A value quoted for a message: control characters escaped, long text cut."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def apple_label(label: str) -> str:
    """Apple's built-in labels in plain words: ``_$!<Other>!$_`` → "Other",
    ``_$!<HomePage>!$_`` → "Home page"; any other label as it is."""
    found = _APPLE_LABEL.fullmatch(label.strip())
    if not found:
        return label
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", found[1]).split()
    return " ".join([words[0], *(word.lower() for word in words[1:])]) if words else ""


def dated(label: str, when: tuple[int | None, int, int]) -> ImportedDate:
    """A date under a label: a label that names a kind ("Anniversary") is that kind,
    any other is a custom date with that label ("Other" when there is none)."""
    kind, text = _labelled(label)
    year, month, day = when
    return ImportedDate(kind, month, day, year, text if kind == "custom" else "")


@functools.lru_cache(maxsize=4096)
def _labelled(label: str) -> tuple[str, str]:
    """A date's label as ``dated`` reads it: (kind, label in plain words). The cards of
    one address book share a few labels."""
    text = one_line(apple_label(label)) or "Other"
    return _LABEL_KINDS.get(text.casefold(), "custom"), text


def rule_date(field: str, text: str, kind: str, label: str) -> ImportedDate | None:
    """A custom date that is a yearly rule, as servant's CSV and JSON write it (its stored
    form: ``2SU/5``, ``-1MO/5``, ``easter+49``; words are read too); None when ``text``
    is no rule. A rule on another kind of date, or one out of range, is a RecordProblem."""
    from servant_cli.dates import parse_rule

    try:
        rule = parse_rule(text)
    except DateError as exc:
        raise RecordProblem(f"{field} {shown(text)}: {exc.message}") from None
    if rule is None:
        return None
    if kind != "custom":
        raise RecordProblem(f"{field} {shown(text)} is a yearly rule; only a custom date can be one")
    month, day = rule.earliest()
    return ImportedDate("custom", month, day, None, one_line(label) or "Other", rule=rule.text())


# -- dates ---------------------------------------------------------------------------


def parse_when(field: str, raw: str) -> tuple[int | None, int, int]:
    """(year or None, month, day) from an address book's date: ``1990-04-05``,
    ``19900405``, ``--04-05``, ``--0405``, or any of them with a time
    (``1990-04-05T00:00:00Z``: the date as written, no time zone arithmetic).

    A date that does not exist raises ``RecordProblem`` naming the field and value.
    """
    text = raw.strip()
    if len(text) == 10 and text[4] == "-" == text[7]:
        # 1990-04-05, the usual date: a day of the calendar, read in C. The rest of this
        # shape (0000 for no year, a day that does not exist, digits other than ASCII's)
        # is read by the patterns below, which make its message.
        try:
            found = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return found.year, found.month, found.day
    year, month, day = _written_when(field, raw, text)
    why = no_such_day(year, month, day)
    if why:
        raise RecordProblem(f"{field} {shown(raw)} is not a date: {why}")
    return year, month, day


def _written_when(field: str, raw: str, text: str) -> tuple[int | None, int, int]:
    """``parse_when``'s numbers from any form it reads (``text``: ``raw`` stripped), not yet checked."""
    at = text.upper().find("T")
    if at >= 0:
        if not _TIME.fullmatch(text[at:]):
            raise RecordProblem(f"{field} {shown(raw)} is not a date")
        text = text[:at]
    if found := _FULL.fullmatch(text):
        years, months, days, *basic = found.groups()
        if years is None:  # 19900405
            years, months, days = basic
        # Year 0000 does not exist: a file that writes it can only mean "no year".
        year: int | None = int(years) or None
        month, day = int(months), int(days)
    elif found := _NO_YEAR.fullmatch(text):
        months, days, *dashed = found.groups()
        if months is None:  # --4-5
            months, days = dashed
        year, month, day = None, int(months), int(days)
    elif found := _PARTIAL.fullmatch(text):
        missing = "day" if found[2] else "month" if found[3] else "month or day"
        raise RecordProblem(f"{field} {shown(raw)} has no {missing}, so it is not an occasion")
    else:
        raise RecordProblem(f"{field} {shown(raw)} is not a date; use 1985-03-14 or --03-14")
    return year, month, day


def no_such_day(year: int | None, month: int, day: int) -> str | None:
    """Why these numbers are not a day of the calendar, or None when they are."""
    if year is not None and not 1 <= year <= 9999:
        return f"there is no year {year}"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if year is not None and month == 2 and day == 29 and not calendar.isleap(year):
        return f"{year} is not a leap year"
    if not 1 <= day <= (29 if month == 2 and (year is None or calendar.isleap(year)) else _DAYS[month]):
        return f"{MONTH_NAMES[month]} has no day {day}"
    return None


def parse_iso_day(field: str, raw: str) -> date:
    """A whole day, ``2021-03-12``."""
    year, month, day = parse_when(field, raw)
    if year is None:
        raise RecordProblem(f"{field} {shown(raw)} needs a year")
    return date(year, month, day)


# -- records -------------------------------------------------------------------------


def person(
    name: str,
    where: str,
    *,
    no_name: str,
    uid: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    company: str | None = None,
    position: str | None = None,
    notes: str | None = None,
    tags: Iterable[str] = (),
    dates: Iterable[ImportedDate] = (),
    connected_on: date | None = None,
    every_days: int | None = None,
    nickname: str | None = None,
    file: str = "",
    relations: Iterable[ImportedRelation] = (),
    name_parts: Iterable[str | None] = (),
) -> ImportedPerson:
    """One clean record. ``name`` must already be one_line(); ``no_name`` says where a
    name was looked for, for the message when there is none."""
    if not name:
        raise RecordProblem(f"has no name ({no_name})")
    if len(name) > MAX_TEXT:
        raise RecordProblem(f"the name is longer than {MAX_TEXT} characters ({len(name)})")
    if name[0] == "#" and _ID.fullmatch(name):
        raise RecordProblem(f"the name {name!r} reads as a person's #ID, so it cannot be a name")
    tags = tuple(tags)
    fields = (notes, company, position, email, phone, nickname, uid, *tags)
    if max(map(len, filter(None, fields)), default=0) > MAX_FIELD:  # the usual record: one pass in C
        _too_long(fields)
    line = one_line
    return new_record(
        ImportedPerson,
        (
            name,
            line(uid) or None,
            line(email) or None,
            line(phone) or None,
            line(company) or None,
            line(position) or None,
            lines(notes) or None,
            clean_tags(tags) if tags else (),
            first_of_each(dates),
            connected_on,
            where,
            every_days,
            _nickname(nickname, name),
            file,
            clean_relations(relations) if relations else (),
            _name_parts(name_parts) if name_parts else None,
        ),
    )


#: What ``person`` calls each of its fields, in the order it checks them (tags last).
_FIELD_NAMES = ("note", "company", "job title", "email", "phone", "nickname", "id")


def _too_long(fields: tuple[str | None, ...]) -> None:
    """Raise ``RecordProblem`` for the first of ``person``'s fields over ``MAX_FIELD``."""
    for at, value in enumerate(fields):
        if value is not None and len(value) > MAX_FIELD:
            field = _FIELD_NAMES[at] if at < len(_FIELD_NAMES) else "tag"
            raise RecordProblem(f"the {field} is {len(value):,} characters long; servant reads at most {MAX_FIELD:,}")


def _name_parts(parts: Iterable[str | None]) -> NameParts | None:
    """A name's parts (family, given, additional, prefix, suffix) as one-line text; None
    when all are empty."""
    values = tuple(map(one_line, parts))
    found = new_record(NameParts, values) if len(values) == len(NameParts._fields) else NameParts(*values)
    if max(map(len, found)) > MAX_TEXT:
        longest = next(len(part) for part in found if len(part) > MAX_TEXT)
        raise RecordProblem(f"a part of the name is longer than {MAX_TEXT} characters ({longest})")
    return found if any(found) else None


def _nickname(nickname: str | None, name: str) -> str | None:
    """A nickname, unless it is the name itself (a record named only by its nickname)."""
    text = one_line(nickname)
    return text if text and text != name else None


#: The other relations address books name themselves (Google, Apple, RFC 6350), said in
#: lower case as servant says spouse and child; a label of the user's own stays as typed.
_OTHER_RELATIONS = frozenset(
    {"brother", "sister", "sibling", "friend", "relative", "kin", "manager", "assistant", "referred by"}
    | {"colleague", "co-worker", "acquaintance", "neighbor", "neighbour", "emergency", "contact"}
)


def clean_relations(relations: Iterable[ImportedRelation]) -> tuple[ImportedRelation, ...]:
    """Each relation once (the same label and name, any case), names over 200
    characters and empty ones dropped; Apple's ``_$!<Spouse>!$_`` label is "spouse"."""
    kept: dict[tuple[str, str], ImportedRelation] = {}
    for relation in relations:
        name = one_line(relation.name)
        label = one_line(relation.label)
        if label.startswith("_$!<") and label.endswith(">!$_"):
            label = label[4:-4]
        label = label or "relative"
        if label.casefold() in RELATION_WORDS or label.casefold() in _OTHER_RELATIONS:
            label = label.casefold()
        if name and len(name) <= MAX_TEXT and len(label) <= MAX_TEXT:
            uid = one_line(relation.uid) or None
            kept.setdefault((label.casefold(), name.casefold()), ImportedRelation(label, name, uid))
    return tuple(kept.values())


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Each tag once, whatever its case, in the order given; empty ones dropped."""
    kept: dict[str, str] = {}
    for tag in tags:
        text = one_line(tag)
        if text:
            kept.setdefault(text.casefold(), text)
    return tuple(kept.values())


def first_of_each(dates: Iterable[ImportedDate]) -> tuple[ImportedDate, ...]:
    """The first date of each kind (of each label, for custom dates): a card with two
    birthdays has one, the one its author put first."""
    dates = tuple(dates)
    if len(dates) < 2:
        return dates
    kept: dict[tuple[str, str], ImportedDate] = {}
    for found in dates:
        kept.setdefault((found.kind, found.label.casefold()), found)
    return tuple(kept.values())


def skipped(name: str, where: str, reason: str) -> Skipped:
    """A ``Skipped`` naming the person when there is a name, and where the record is."""
    if not name:
        return Skipped(where, reason)
    who = name if len(name) <= 60 else name[:60] + "…"
    return Skipped(who, f"{reason} ({where})" if where else reason)
