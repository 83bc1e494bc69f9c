"""Google Contacts CSV, as contacts.google.com exports it ("Google CSV").

Today's export is UTF-8 with a BOM, one row per contact, with the header::

    First Name,Middle Name,Last Name,Phonetic First Name,…,Name Prefix,Name Suffix,
    Nickname,File As,Organization Name,Organization Title,Organization Department,
    Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,…,
    Phone 1 - Label,Phone 1 - Value,…,Event 1 - Label,Event 1 - Value,…

A cell with several values joins them with `` ::: `` (``* myContacts ::: Clients``,
two numbers under one label). The older export (``Name,Given Name,Additional Name,
Family Name,…,Group Membership,…,Organization 1 - Name,…,Event 1 - Type``) is read too.

- The name is Google's display name: prefix, first, middle, last, suffix; else
  Nickname, File As, or the organisation (a company's row). The parts are kept as
  the structured name (``ImportedPerson.name_parts``), for a vCard's N.
- ``Birthday`` is ``1979-07-04`` or ``--08-02`` (no year).
- ``Event N - Label`` "Anniversary" is an anniversary, any other label a custom date
  (Google's own "Other" included).
- ``Labels`` become tags, without Google's system groups (``* myContacts``,
  ``* starred``); ``* friends``-style groups lose their star.
- ``Relation N - Label`` / ``Value`` (Spouse, Child, Mother, …) are the family, linked
  or kept as text on import (``services.family``).
- The first e-mail and phone; ``Notes`` with its new lines; ``Nickname`` (unless the
  row is named by it).
"""

from __future__ import annotations

from servant_cli.errors import BadFile
from servant_cli.importers import ImportedDate, ImportedPerson, ImportedRelation, Parsed, Progress, Skipped
from servant_cli.importers.common import (
    ACCEPTED,
    RecordProblem,
    Row,
    Ticker,
    csv_rows,
    dated,
    one_line,
    parse_when,
    person,
    shown,
    skipped,
)

#: Google's own groups: every contact is in myContacts, starred is a flag, not a tag.
_SYSTEM_LABELS = {"mycontacts", "starred", "other contacts", "all contacts"}
_SEPARATOR = " ::: "
_NAME_PARTS = (
    ("Name Prefix", "Name Prefix"),
    ("First Name", "Given Name"),
    ("Middle Name", "Additional Name"),
    ("Last Name", "Family Name"),
    ("Name Suffix", "Name Suffix"),
)


def read_google(text: str, progress: Progress | None = None) -> Parsed:
    """Every row of a Google Contacts CSV as a record, or a reason it was skipped."""
    rows = csv_rows(text)
    _, header = rows[0] if rows else (0, [])
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        columns.setdefault(title.strip(), index)
    if not ({"First Name", "Given Name", "Name"} & columns.keys()) or not (_GOOGLE_COLUMNS & columns.keys()):
        raise BadFile(
            f"not a Google Contacts CSV: its header ({shown(','.join(header), 60)}) lacks "
            f"'First Name' and 'Labels'; {ACCEPTED}"
        )
    tick = Ticker(progress, len(rows) - 1)
    people: list[ImportedPerson] = []
    skips: list[Skipped] = []
    for done, (line, cells) in enumerate(rows[1:], 1):
        row = Row(columns, cells)
        where = f"line {line}"
        name = ""
        try:
            name = _name(row)
            people.append(
                person(
                    name,
                    where,
                    no_name="First Name, Last Name, Nickname and Organization Name are empty",
                    email=_first(row, "E-mail"),
                    phone=_first(row, "Phone"),
                    company=row["Organization Name"] or row["Organization 1 - Name"],
                    position=row["Organization Title"] or row["Organization 1 - Title"],
                    notes=row["Notes"],
                    tags=_tags(row["Labels"] or row["Group Membership"]),
                    nickname=row["Nickname"],
                    dates=_dates(row),
                    relations=_relations(row),
                    name_parts=_parts(row),
                )
            )
        except RecordProblem as problem:
            skips.append(skipped(name, where, str(problem)))
        tick(done)
    tick.end()
    return Parsed("google", people, skips)


#: Columns only Google's exports have, today's and the older one's.
_GOOGLE_COLUMNS = {"Labels", "Group Membership", "E-mail 1 - Value", "Organization Name", "Organization 1 - Name"}


def _name(row: Row) -> str:
    parts = [one_line(row[new] or row[old]) for new, old in _NAME_PARTS]
    full = " ".join(part for part in parts if part)
    for fallback in ("Name", "Nickname", "File As", "Organization Name", "Organization 1 - Name"):
        full = full or one_line(row[fallback])
    return full


def _parts(row: Row) -> list[str]:
    """The name's parts as N orders them: family, given, additional, prefix, suffix."""
    prefix, given, additional, family, suffix = (row[new] or row[old] for new, old in _NAME_PARTS)
    return [family, given, additional, prefix, suffix]


def _first(row: Row, what: str) -> str | None:
    """The first e-mail (or phone): a cell may hold several, joined by " ::: "."""
    for values in row.numbered(what, "Value"):
        for value in values.split(_SEPARATOR):
            if value.strip():
                return value
    return None


def _dates(row: Row) -> list[ImportedDate]:
    dates: list[ImportedDate] = []
    if row["Birthday"].strip():
        year, month, day = parse_when("Birthday", row["Birthday"])
        dates.append(ImportedDate("birthday", month, day, year))
    labels_in = row.numbered("Event", "Label") or row.numbered("Event", "Type")
    for number, values in enumerate(row.numbered("Event", "Value"), 1):
        labels = (labels_in[number - 1] if number <= len(labels_in) else "").split(_SEPARATOR)
        for index, value in enumerate(values.split(_SEPARATOR)):
            if value.strip():
                label = labels[index] if index < len(labels) else labels[0]
                when = parse_when(f"Event {number} - Value", value)
                dates.append(dated(label.strip().removeprefix("* "), when))
    return dates


def _relations(row: Row) -> list[ImportedRelation]:
    """``Relation N - Label`` / ``Relation N - Value`` (the older export: ``- Type``):
    the person named is the contact's spouse, child, mother …; several names in a cell
    share its label."""
    labels = row.numbered("Relation", "Label") or row.numbered("Relation", "Type")
    found = []
    for number, values in enumerate(row.numbered("Relation", "Value"), 1):
        label = (labels[number - 1] if number <= len(labels) else "").split(_SEPARATOR)[0]
        for value in values.split(_SEPARATOR):
            found.append(ImportedRelation(label.strip().removeprefix("* "), value))
    return found


def _tags(labels: str) -> list[str]:
    tags = []
    for label in labels.split(_SEPARATOR):
        text = label.strip()
        if text.startswith("*"):
            text = text[1:].strip()
            if text.casefold() in _SYSTEM_LABELS:
                continue
        tags.append(text)
    return tags
