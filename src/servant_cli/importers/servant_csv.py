"""servant's own CSV: what ``servant export csv`` writes and ``servant import`` reads
back without losing anything. A spreadsheet opens it; a person can write one by hand.

The header, in this order (a hand-made file may leave columns out, in any order; a
column servant does not know is refused, so that a misspelt "birtday" is not lost)::

    name,birthday,anniversary,work_anniversary,client_since,dates,email,phone,
    company,position,tags,notes,every_days,connected_on,uid,nickname,child_of,spouse_of,
    relations

One row per person. ``name`` is required; every other cell may be empty.

- ``birthday``, ``anniversary``, ``work_anniversary``, ``client_since``: a date,
  ``1985-03-14`` or ``--03-14`` (no year), then its options, if any, separated by
  spaces: ``once`` (a one-off date, not yearly; it needs a year), ``lead DAYS``
  (remind that many days ahead, 0 to 365), ``plan WHAT`` (call, card, gift, flowers,
  message). E.g. ``--03-14 lead 10 plan card``.
- ``dates``: the custom dates, ``LABEL=DATE OPTIONS`` separated by ``;``, e.g.
  ``Shop opening=2015-06-01; Launch party=2026-12-24 once lead 10 plan card``. In a
  label, ``;`` is written ``\\;`` and ``\\`` is written ``\\\\``; a label may hold
  ``=`` (the last ``=`` of an entry starts its date).
- ``tags``: separated by ``;`` (a tag may hold a comma), escaped as labels are:
  ``Clients; VIP, gold``.
- ``notes``: any text, new lines included (the CSV quotes it).
- ``every_days``: the keep-in-touch cadence in days; ``connected_on``: an ISO day.
- ``child_of``, ``spouse_of``: the names of their parents (one or two) and spouse in
  servant, separated and escaped as tags are; ``relations``: the relations kept as text
  (their person is not in servant), ``LABEL=NAME`` separated by ``;``, e.g.
  ``spouse=Frank O'Brien; brother=Tom``. Imported, each becomes a link when the name
  finds one person (as a PERSON argument does), or is kept as text.
- ``uid``: the id the person came with from an address book (a vCard UID, a LinkedIn
  URL), so that a database rebuilt from this file still knows them when that address
  book is imported again.

A cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``,
``-``, ``@``, a tab or CR, as ``--03-14`` does) is written with a leading ``'``, the
way ``servant upcoming --csv`` writes it; reading takes that ``'`` off again, and a
value that itself starts with quotes before such a character gets one more, so the
round trip is exact.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

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
    parse_iso_day,
    parse_when,
    person,
    rule_date,
    shown,
    skipped,
)
from servant_cli.models import PLANS
from servant_cli.text import AFTER_SEMICOLON, CsvWriter, guard_after_semicolons

if TYPE_CHECKING:
    from servant_cli.models import Kin, Occasion, Person

HEADER = (
    "name",
    "birthday",
    "anniversary",
    "work_anniversary",
    "client_since",
    "dates",
    "email",
    "phone",
    "company",
    "position",
    "tags",
    "notes",
    "every_days",
    "connected_on",
    "uid",
    "nickname",
    "child_of",
    "spouse_of",
    "relations",
)
#: The column of each kind that has one.
KIND_COLUMNS = {
    "birthday": "birthday",
    "anniversary": "anniversary",
    "work-anniversary": "work_anniversary",
    "client-since": "client_since",
}
MAX_LEAD_DAYS = 365
MAX_EVERY_DAYS = 3660
#: A cell a spreadsheet would run, possibly behind quotes servant added before.
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
#: The characters ``_FORMULA`` can start with.
_FORMULA_START = frozenset("'=+-@\t\r")
#: The ``'`` that ``guard_after_semicolons`` put after a ``;``.
_GUARDED_AFTER_SEMICOLON = re.compile(AFTER_SEMICOLON.replace(";", ";'", 1))
_ENTRY_SEPARATOR = re.compile(r"(?<!\\)((?:\\\\)*);")
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


# -- writing -------------------------------------------------------------------------


def write_csv(
    people: Iterable[tuple[Person, Sequence[Occasion]]], *, family: Mapping[int, Sequence[Kin]] | None = None
) -> str:
    """The CSV text for these people, their dates and ``family`` (each person's, as
    ``Store.kin_of_people`` gives it), header first."""
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(HEADER)
    for who, occasions in people:
        row = {
            "name": who.name,
            "email": who.email,
            "phone": who.phone,
            "company": who.company,
            "position": who.position,
            "tags": "; ".join(escape(tag) for tag in who.tags),
            "notes": who.notes,
            "every_days": who.every_days,
            "connected_on": who.connected_on,
            "uid": who.source_uid,
            "nickname": who.nickname,
        }
        custom = []
        for occasion in occasions:
            column = KIND_COLUMNS.get(occasion.kind)
            if column is None:
                custom.append(f"{escape(occasion.label)}={date_cell(occasion)}")
            elif not row.get(column):
                row[column] = date_cell(occasion)
        row["dates"] = "; ".join(custom)
        row.update(family_cells((family or {}).get(who.id, ())))
        writer.writerow([protect("" if row.get(column) is None else str(row[column])) for column in HEADER])
    return out.getvalue()


def family_cells(kin: Sequence[Kin]) -> dict[str, str]:
    """``child_of`` and ``spouse_of``: the names of the people linked; ``relations``: those
    kept as text, ``LABEL=NAME`` as custom dates are written."""
    parents = [one.name for one in kin if one.person_id is not None and one.relation == "parent"]
    spouses = [one.name for one in kin if one.person_id is not None and one.relation == "spouse"]
    texts = [f"{escape(one.relation)}={escape(one.name)}" for one in kin if one.person_id is None]
    return {
        "child_of": "; ".join(escape(name) for name in parents),
        "spouse_of": "; ".join(escape(name) for name in spouses),
        "relations": "; ".join(texts),
    }


def date_cell(occasion: Occasion | ImportedDate) -> str:
    """``1985-03-14``, ``--03-14`` or a rule (``2SU/5``), then ``once``, ``lead N``,
    ``plan WHAT`` as set."""
    if occasion.rule is not None:
        text = occasion.rule
    elif occasion.year is None:
        text = f"--{occasion.month:02d}-{occasion.day:02d}"
    else:
        text = f"{occasion.year:04d}-{occasion.month:02d}-{occasion.day:02d}"
    if not occasion.yearly:
        text += " once"
    if occasion.lead_days is not None:
        text += f" lead {occasion.lead_days}"
    if occasion.plan:
        text += f" plan {occasion.plan}"
    return text


def escape(text: str) -> str:
    """A label or tag inside a ``;``-separated cell."""
    return text.replace("\\", "\\\\").replace(";", "\\;")


def protect(cell: str) -> str:
    """Neutralise a formula as ``text.csv_safe`` does, in a way ``unprotect`` undoes: a
    ``'`` before a leading formula (after any quotes already there) and after each ``;``
    a formula follows (``text.guard_after_semicolons``; quotes there are skipped too)."""
    if not cell or (cell[0] not in _FORMULA_START and ";" not in cell):
        return cell  # most cells: empty, or nothing a formula could start with
    if _FORMULA.match(cell):
        cell = "'" + cell
    return guard_after_semicolons(cell)


def unprotect(cell: str) -> str:
    if cell.startswith("'") and _FORMULA.match(cell[1:]):
        cell = cell[1:]
    return _GUARDED_AFTER_SEMICOLON.sub(";", cell) if ";'" in cell else cell


# -- reading -------------------------------------------------------------------------


def read_csv(text: str, progress: Progress | None = None) -> Parsed:
    """Every row of servant's CSV as a record, or a reason it was skipped."""
    rows = csv_rows(text)
    if not rows:
        raise BadFile(f"the file has no header row; {ACCEPTED}")
    header_line, header = rows[0]
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        key = re.sub(r"[\s-]+", "_", title.strip().casefold())
        if key not in HEADER:
            raise BadFile(
                f"line {header_line}: unknown column {shown(title.strip())}; servant's CSV has the columns "
                f"{', '.join(HEADER)} (or give --format for another kind of file)"
            )
        if key in columns:
            raise BadFile(f"line {header_line}: the column {key!r} is there twice")
        columns[key] = index
    if "name" not in columns:
        raise BadFile(f"line {header_line}: servant's CSV needs a 'name' column; it has {', '.join(columns)}")
    tick = Ticker(progress, len(rows) - 1)
    people: list[ImportedPerson] = []
    skips: list[Skipped] = []
    for done, (line, cells) in enumerate(rows[1:], 1):
        row = Row(columns, [unprotect(cell) for cell in cells])
        where = f"line {line}"
        name = one_line(row["name"])
        try:
            people.append(_person(row, name, where))
        except RecordProblem as problem:
            skips.append(skipped(name, where, str(problem)))
        tick(done)
    tick.end()
    return Parsed("csv", people, skips)


def _person(row: Row, name: str, where: str) -> ImportedPerson:
    dates = []
    for kind, column in KIND_COLUMNS.items():
        if row[column].strip():
            dates.append(read_date(column, row[column], kind=kind))
    for entry in split_list(row["dates"]):
        label, sep, cell = entry.rpartition("=")
        if not sep:
            raise RecordProblem(f"dates {shown(entry)} needs the form LABEL=DATE, e.g. 'Shop opening=2015-06-01'")
        dates.append(read_date(f"dates {unescape(label).strip() or '(no label)'}", cell, label=unescape(label)))
    every = row["every_days"].strip()
    connected = row["connected_on"].strip()
    return person(
        name,
        where,
        no_name="the name cell is empty",
        email=row["email"],
        phone=row["phone"],
        company=row["company"],
        position=row["position"],
        notes=row["notes"],
        tags=[unescape(tag) for tag in split_list(row["tags"])],
        dates=dates,
        connected_on=parse_iso_day("connected_on", connected) if connected else None,
        every_days=_count("every_days", every, 1, MAX_EVERY_DAYS) if every else None,
        uid=one_line(row["uid"]) or None,
        nickname=row["nickname"],
        relations=_relations(row),
    )


def _relations(row: Row) -> list[ImportedRelation]:
    found = [ImportedRelation("parent", unescape(name)) for name in split_list(row["child_of"])]
    found += [ImportedRelation("spouse", unescape(name)) for name in split_list(row["spouse_of"])]
    for entry in split_list(row["relations"]):
        label, sep, name = entry.partition("=")
        if not sep or not name.strip():
            raise RecordProblem(f"relations {shown(entry)} needs the form LABEL=NAME, e.g. 'brother=Tom Smith'")
        found.append(ImportedRelation(unescape(label).strip(), unescape(name)))
    return found


def read_date(field: str, cell: str, *, kind: str | None = None, label: str = "") -> ImportedDate:
    """A date cell: the date, then ``once``, ``lead N``, ``plan WHAT`` in any order."""
    words = cell.split()
    ruled = rule_date(field, words[0], kind or "custom", label) if words else None
    when = (None, 1, 1) if ruled is not None else parse_when(field, words[0] if words else "")
    options: dict[str, object] = {}
    rest = words[1:]
    while rest:
        word = rest.pop(0).casefold()
        if word in ("once", "yearly"):
            options["yearly"] = word == "yearly"
        elif word == "lead" and rest:
            options["lead_days"] = _count(f"{field} lead", rest.pop(0), 0, MAX_LEAD_DAYS)
        elif word == "plan" and rest and rest[0].casefold() in PLANS:
            options["plan"] = rest.pop(0).casefold()
        else:
            plans = "|".join(PLANS)
            raise RecordProblem(f"{field} {shown(cell)}: {word!r} is not an option; use once, lead DAYS, plan {plans}")
    if options.get("yearly") is False and when[0] is None:
        raise RecordProblem(f"{field} {shown(cell)}: a one-off date needs a year")
    if ruled is not None:
        found = ruled
    else:
        found = ImportedDate(kind, when[1], when[2], when[0]) if kind else dated(label, when)
    return found._replace(**options)  # type: ignore[arg-type]


def _count(field: str, text: str, low: int, high: int) -> int:
    # At most 9 digits: int() of thousands of them is refused by Python, and slow.
    if not re.fullmatch(r"[0-9]{1,9}", text) or not low <= int(text) <= high:
        raise RecordProblem(f"{field} {shown(text)} is not a whole number from {low} to {high}")
    return int(text)


def split_list(cell: str) -> list[str]:
    """The entries of a ``;``-separated cell, still escaped; empty ones dropped."""
    entries = []
    start = 0
    for found in _ENTRY_SEPARATOR.finditer(cell):
        entries.append(cell[start : found.end(1)])
        start = found.end()
    entries.append(cell[start:])
    return [entry.strip() for entry in entries if entry.strip()]


def unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)
