"""How servant's records are stored: the column lists every query selects, the rows
they make, and the records a write takes.

``prepare`` is the one place where stored text becomes Python values: every text value
of every query, whatever its table and column, is read through ``text.stored_bytes``,
so a control character another program wrote into the file cannot reach a terminal
from a column a renderer forgot to clean (tags, stored as JSON, are cleaned after
parsing: ``tags_of``). Tags are matched through ``person_tag``, which holds each
person's tags in the form ``text.fold`` gives them (``tag_keys``, ``tag_filter``).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from servant_cli.models import Gesture, Occasion, Person
from servant_cli.text import fold, stored, stored_bytes

PERSON_FIELDS = (
    "name",
    "company",
    "email",
    "phone",
    "notes",
    "every_days",
    "position",
    "connected_on",
    "nickname",
    "name_parts",
)
PERSON_COLS = (
    "p.id, p.name, p.company, p.email, p.phone, p.tags, p.notes, p.every_days, p.created, p.updated, p.sequence,"
    " p.position, p.connected_on, p.source_uid, p.nickname, "
)
#: Whose child and spouse a person is, links and relations kept as text, as ``Person.kin``
#: (JSON pairs, NULL when none); the family table's two indexes answer each part, and
#: three index probes first spare most people (who have no family) the whole query. In a
#: book where no one has family (both tables empty, as in most books of customers) not
#: even those run: the first test reads no person's column, so SQLite answers it once a
#: statement (4 ms of a month of 100,000 people), in the statement's own snapshot.
KIN_COL = """CASE WHEN (SELECT EXISTS (SELECT 1 FROM family) OR EXISTS (SELECT 1 FROM relation_text))
    AND (EXISTS (SELECT 1 FROM family f WHERE f.person_id = p.id)
    OR EXISTS (SELECT 1 FROM family f WHERE f.other_id = p.id AND f.relation = 'spouse')
    OR EXISTS (SELECT 1 FROM relation_text t WHERE t.person_id = p.id))
  THEN NULLIF((SELECT json_group_array(json_array(k.side, k.name)) FROM (
    SELECT 'parent' AS side, o.name AS name, o.name_key AS key FROM family f JOIN person o ON o.id = f.other_id
      WHERE f.person_id = p.id AND f.relation = 'child'
    UNION ALL SELECT 'spouse', o.name, o.name_key FROM family f JOIN person o ON o.id = f.other_id
      WHERE f.person_id = p.id AND f.relation = 'spouse'
    UNION ALL SELECT 'spouse', o.name, o.name_key FROM family f JOIN person o ON o.id = f.person_id
      WHERE f.other_id = p.id AND f.relation = 'spouse'
    UNION ALL SELECT t.kind, t.name, t.name_key FROM relation_text t
      WHERE t.person_id = p.id AND t.kind IN ('parent', 'spouse')
    ORDER BY 1, 3) k), '[]') END"""
PERSON_COLS += KIN_COL + ", p.name_parts"
#: How many columns ``PERSON_COLS`` selects (a join's occasion columns start there).
PERSON_WIDTH = len(Person._fields)
OCC_COLS = (
    "o.id, o.person_id, o.kind, o.month, o.day, o.year, o.label, o.yearly, o.lead_days, o.plan, o.updated, o.sequence,"
    " o.rule"
)
#: What a listing of who and which date shows (``upcoming``): the person's id, name,
#: tags and family, and the occasion but its ``updated`` and ``sequence``. Fewer columns
#: spare SQLite and ``stored_bytes`` the text no one prints; the tags, kind and label,
#: a few values shared by many rows, are read as bytes and each decoded once
#: (``tags_of_bytes``, ``text_of_bytes``).
LIGHT_COLS = (
    f"p.id, p.name, CAST(p.tags AS BLOB), {KIN_COL}, o.id, CAST(o.kind AS BLOB), o.month, o.day, o.year,"
    " CAST(o.label AS BLOB), o.yearly, o.lead_days, o.plan, o.rule"
)


def prepare(conn: sqlite3.Connection) -> None:
    """Make ``conn`` read every text value through ``text.stored_bytes``."""
    conn.text_factory = stored_bytes


def _null(value: None) -> None:
    return value


if sys.version_info < (3, 12):
    # Python 3.11's sqlite3 binds a None only after asking its protocol class for an
    # adapter, which raises and clears an AttributeError each time: half a microsecond a
    # None, a tenth of the cost of writing an imported person. An adapter registered
    # for None is found before that question. It is the module's, for every connection
    # of the process, and gives None back: NULL is bound as before. 3.12 asks without
    # raising, and is faster without it.
    sqlite3.register_adapter(type(None), _null)


def now_stamp() -> str:
    """A UTC timestamp for created/updated columns."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class NewOccasion(NamedTuple):
    """A key date to store for a person (the store assigns id and timestamps)."""

    kind: str
    month: int
    day: int
    year: int | None = None
    label: str = ""
    #: None keeps a replaced date's setting (a new one is yearly).
    yearly: bool | None = True
    lead_days: int | None = None
    plan: str | None = None
    #: A yearly rule's stored form (``dates.Rule.text``); month and day are then its
    #: earliest day (``Rule.earliest``) and year is None.
    rule: str | None = None


class NewPerson(NamedTuple):
    """A person to store in bulk (import, benchmarks), with their key dates."""

    name: str
    tags: tuple[str, ...] = ()
    occasions: tuple[NewOccasion, ...] = ()
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None
    every_days: int | None = None


_TAGS: dict[str, tuple[str, ...]] = {}


def tags_of(raw: str | None) -> tuple[str, ...]:
    """Tags from their JSON column; most people share a few tag sets, so parse each once."""
    if not raw or raw == "[]":
        return ()
    tags = _TAGS.get(raw)
    if tags is None:
        tags = _TAGS[raw] = _parse_tags(raw)
    return tags


def _parse_tags(raw: str) -> tuple[str, ...]:
    """The tags of a JSON array; JSON's \\u escapes can carry what ``stored_bytes`` took
    out of the text, so each is cleaned again. Anything but an array of strings (another
    program's value) is shown as it is, one tag, rather than stopping the command."""
    try:
        found = json.loads(raw)
    except ValueError:
        found = None
    if not isinstance(found, list) or not all(isinstance(tag, str) for tag in found):
        return (stored(raw),)
    return tuple(stored(tag) for tag in found)


_new = tuple.__new__  # a record made from a tuple of the right length: no Python-level __new__


def person_of(row: Sequence[Any]) -> Person:
    """A Person from the columns of ``PERSON_COLS``, in that order (positional: this is a hot path)."""
    person: Person = _new(Person, (*row[0:5], tags_of(row[5]), *row[6:PERSON_WIDTH]))
    return person


def occasion_of(row: Sequence[Any], at: int = 0) -> Occasion:
    """An Occasion from the columns of ``OCC_COLS``, in that order, starting at ``at``."""
    occasion: Occasion = _new(Occasion, (*row[at : at + 7], bool(row[at + 7]), *row[at + 8 : at + 13]))
    return occasion


#: What ``servant list`` shows of a person: id, name, company and tags (as bytes, read
#: through ``tags_of_bytes``: most people share a few tag sets, each decoded once).
LIST_COLS = "p.id, p.name, p.company, CAST(p.tags AS BLOB)"
#: The order of ``models.name_order`` for a printable ASCII name (its lower case, then
#: the id); the names that are not are put in their places in Python (``Store.people``).
BY_NAME = "ORDER BY lower(p.name), p.id"

_TAG_BYTES: dict[bytes, tuple[str, ...]] = {}


def tags_of_bytes(raw: bytes | None) -> tuple[str, ...]:
    """``tags_of`` for the column read as bytes (``stored_bytes`` applied once a tag set)."""
    if raw is None:
        return ()
    tags = _TAG_BYTES.get(raw)
    if tags is None:
        tags = _TAG_BYTES[raw] = tags_of(stored_bytes(raw))
    return tags


def list_person_of(row: Sequence[Any]) -> Person:
    """A Person from the columns of ``LIST_COLS``: the fields it does not read are None."""
    unread = (None, None, None, None, 0, None, None, None, None, None, None)  # notes to name_parts
    person: Person = _new(Person, (row[0], row[1], row[2], None, None, tags_of_bytes(row[3]), *unread))
    return person


def light_records(rows: Iterable[Sequence[Any]]) -> list[tuple[Person, Occasion]]:
    """A Person and an Occasion from each row of ``LIGHT_COLS``, one Person a person: the
    fields those columns do not hold are None (``updated``), or 0 (``sequence``).

    One loop that calls no helper of its own a row (a month of a 100,000-person book is
    13,000 rows): the columns are unpacked by name, the few kinds and labels decoded once.
    """
    people: dict[int, Person] = {}
    found: list[tuple[Person, Occasion]] = []
    new, texts, append = tuple.__new__, _TEXTS, found.append
    for pid, name, tags, kin, oid, kind, month, day, year, label, yearly, lead, plan, rule in rows:
        person = people.get(pid)
        if person is None:
            # notes to nickname unread
            unread = (None, None, None, None, 0, None, None, None, None)
            person = people[pid] = new(Person, (pid, name, None, None, None, tags_of_bytes(tags), *unread, kin, None))
        # Compared with None: an empty label, the usual one, is found too.
        known, said = texts.get(kind), texts.get(label)
        kind = text_of_bytes(kind) if known is None else known
        label = text_of_bytes(label) if said is None else said
        occasion = (oid, pid, kind, month, day, year, label, bool(yearly), lead, plan, None, 0, rule)
        append((person, new(Occasion, occasion)))
    return found


_TEXTS: dict[bytes, str] = {}


def text_of_bytes(raw: bytes) -> str:
    """``stored_bytes`` for a column read as bytes whose few values repeat (a kind, a
    label): each decoded once. Past 10,000 values, those are decoded each time."""
    text = _TEXTS.get(raw)
    if text is None:
        text = stored_bytes(raw)
        if len(_TEXTS) < 10_000:
            _TEXTS[raw] = text
    return text


GESTURE_COLS = "g.id, g.person_id, g.on_date, g.kind, g.what, g.cost, g.occasion_id, g.for_date"


def gesture_of(row: Sequence[Any]) -> Gesture:
    """A Gesture from the columns of ``GESTURE_COLS``, in that order."""
    return Gesture._make(
        (row[0], row[1], date.fromisoformat(row[2]), *row[3:7], date.fromisoformat(row[7]) if row[7] else None)
    )


#: The columns of a new occasion's row, in the order ``occasion_row`` gives them.
OCCASION_COLUMNS = (
    "person_id",
    "kind",
    "label",
    "month",
    "day",
    "year",
    "md",
    "yearly",
    "lead_days",
    "plan",
    "rule",
    "created",
    "updated",
    "sequence",
)


def occasion_row(person_id: int, new: NewOccasion, stamp: str) -> tuple[Any, ...]:
    """A new occasion's row: the values of ``OCCASION_COLUMNS``."""
    return (
        person_id,
        new.kind,
        new.label if new.kind == "custom" else "",
        new.month,
        new.day,
        new.year,
        new.month * 100 + new.day,
        int(new.yearly is not False),
        new.lead_days,
        new.plan,
        new.rule,
        stamp,
        stamp,
        0,
    )


def occasion_record(person_id: int, new: NewOccasion, stamp: str) -> dict[str, Any]:
    """A new occasion's row by column, to change before it is written."""
    return dict(zip(OCCASION_COLUMNS, occasion_row(person_id, new, stamp), strict=True))


class Leads(NamedTuple):
    """Which key dates of a window to read besides its days: by lead time and by id."""

    #: A lead time of at least this many days (None: any).
    at_least: int | None = None
    #: A lead time under this many days (None: any).
    under: int | None = None
    #: The lead time of a date without one of its own; None: such a date has no lead
    #: time here, and passes neither bound.
    default: int | None = None
    #: Only these key dates (ids; None: all), and not these.
    only: tuple[int, ...] | None = None
    leaving: tuple[int, ...] = ()

    def sql(self) -> tuple[list[str], list[Any]]:
        """The conditions on ``o`` and their parameters."""
        conditions: list[str] = []
        params: list[Any] = []
        lead = "o.lead_days" if self.default is None else "coalesce(o.lead_days, ?)"
        for bound, operator in ((self.at_least, ">="), (self.under, "<")):
            if bound is not None:
                conditions.append(f"{lead} {operator} ?")
                params += [bound] if self.default is None else [self.default, bound]
        if self.only is not None:
            conditions.append("o.id IN (SELECT value FROM json_each(?))")
            params.append(ids_json(self.only))
        if self.leaving:
            conditions.append("o.id NOT IN (SELECT value FROM json_each(?))")
            params.append(ids_json(self.leaving))
        return conditions, params


class DateGroup(NamedTuple):
    """Key dates alike in what places them on their days and in their own lead time,
    counted (``Store.date_groups``)."""

    month: int
    day: int
    year: int | None
    yearly: bool
    rule: str | None
    lead_days: int | None
    #: How many key dates are alike so.
    dates: int


#: A key date as ``Store.date_keys`` reads it: id, person's id and name, kind, label,
#: month, day, year, yearly, rule.
DateKey = tuple[int, int, str, str, str, int, int, int | None, int, str | None]


def ids_json(ids: Iterable[int]) -> str:
    """Person ids as a JSON array, for ``IN (SELECT value FROM json_each(?))``: one
    parameter however many people a list holds."""
    return json.dumps(sorted(set(ids)))


def tag_keys(tags: Iterable[str]) -> list[str]:
    """The keys ``person_tag`` holds for these tags: each tag's ``text.fold``, once."""
    return list(dict.fromkeys(fold(tag) for tag in tags))


def tag_filter(tags: Sequence[str], person: str = "p.id") -> tuple[str, list[str]]:
    """SQL matching people (whose id is the column ``person``) who carry any of ``tags``,
    case and accents aside (``text.fold``: "istanbul" finds "İstanbul"), read from
    ``person_tag``: SQLite starts from the people who carry them, however many others
    there are."""
    if not tags:
        return "", []
    keys = tag_keys(tags)
    marks = ", ".join("?" for _ in keys)
    return f"{person} IN (SELECT person_id FROM person_tag WHERE tag_key IN ({marks}))", keys
