"""What a matched record changes, field by field, given what the last import brought.

servant remembers, for each person and each kind of file (vcard, google, linkedin,
csv), the value each field had in the last file of that kind that gave it, and
whether servant's own value was kept over it in a conflict (the store's
``import_memory``). A field is one of the person's (name, nickname, company, ...),
their tags, or one of their key dates (``birthday``, ``custom:shop opening``).

For each field a record gives, three values meet: servant's, the file's, and the
remembered one:

- the file's is servant's: nothing changes;
- the file's is the remembered one: the file has not changed it since, so servant's
  value is the user's own edit and stays, silently;
- servant's is the remembered one (or servant has none): only the file changed it, so
  the file's is taken;
- both changed: a conflict. Servant's value is kept and the conflict reported, or,
  with ``prefer_file``, the file's is taken. A conflict kept earlier is taken by
  ``prefer_file`` too, as long as the file still says the same;
- nothing remembered (a person added by hand, or imported before servant remembered)
  and the two differ: servant cannot tell an edit from an earlier import, so it is a
  conflict too: kept, and said, never lost.

The file's value is remembered every time, so each conflict is reported once. The
structured name (``name_parts``: vCard N, Google's name columns) goes with the name:
it is taken while the name is the file's. A field the file leaves empty changes
nothing and is not remembered (an import never erases); an email in another case is
the same email; a date without a year on the day of a stored one is the same date
(the stored year stays). Tags only grow: a tag the file gives is added unless the user
removed it since the file last gave it. Relations (family) grow the same way
(``new_relations``).

This module decides; it never touches the database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from servant_cli.dates import parse_rule, stored_day
from servant_cli.importers import ImportedDate, ImportedPerson, ImportedRelation
from servant_cli.models import KIND_LABELS, NameParts, Occasion, Person, merge_tags, new_record
from servant_cli.store.rows import NewOccasion
from servant_cli.text import fold, json_text, plural

#: The person fields a record may give, and how each is named to a user.
FIELDS = {
    "name": "name",
    "nickname": "nickname",
    "company": "company",
    "position": "position",
    "email": "email",
    "phone": "phone",
    "notes": "notes",
    "connected_on": "connected on",
    "every_days": "keep in touch",
}

#: What became of a field: a value where servant had none, a value replaced, servant's
#: value kept in a conflict, the file's taken in one.
ADDED, CHANGED, KEPT, TAKEN = "added", "changed", "kept", "taken"


class Remembered(NamedTuple):
    """What the last import of a kind of file brought for a field."""

    value: str
    #: Servant's own value was kept over this one in a conflict.
    kept: bool = False


class DateValue(NamedTuple):
    """A key date as a report shows it: "14 March 1985 (plan: card)"; ``text`` for scripts."""

    month: int
    day: int
    year: int | None = None
    yearly: bool = True
    lead_days: int | None = None
    plan: str | None = None
    rule: str | None = None

    def text(self) -> str:
        """``1985-03-14``, ``--03-14`` or a rule (``2SU/5``), with servant CSV's options:
        ``--03-14 lead 10 plan card``."""
        return date_text(self.month, self.day, self.year, self.yearly, self.lead_days, self.plan, self.rule)

    def __str__(self) -> str:
        extras = [f"plan: {self.plan}"] if self.plan else []
        if self.lead_days is not None:
            extras.append(f"remind {plural(self.lead_days, 'day')} ahead")
        if not self.yearly:
            extras.append("one-off")
        shown = str(stored_day(self.month, self.day, self.year, self.rule))
        return f"{shown} ({', '.join(extras)})" if extras else shown


class FieldChange(NamedTuple):
    """One field of one person that an import changed, or found in conflict."""

    field: str  # as remembered: "phone", "tags", "birthday", "custom:shop opening"
    label: str  # as said: "phone", "tags", "birthday", "Shop opening"
    was: Any  # servant's value before (None: none); a tuple of tags; a DateValue
    now: Any  # servant's value after
    file: Any  # the file's value
    outcome: str  # ADDED, CHANGED, KEPT or TAKEN


class Reconciled:
    """What one record does to a stored person."""

    def __init__(self) -> None:
        #: Person fields to set.
        self.fields: dict[str, Any] = {}
        #: The person's tags from now on (None: as they are).
        self.tags: tuple[str, ...] | None = None
        #: Key dates to add or replace.
        self.dates: list[NewOccasion] = []
        self.changes: list[FieldChange] = []
        #: The fields to remember (only those that differ from what is remembered).
        self.remember: dict[str, Remembered] = {}
        #: The structured name to store with the name (None: as it is); no change of
        #: the person's own (``_parts``).
        self.parts: str | None = None

    @property
    def writes(self) -> bool:
        """Whether the person or their dates change."""
        return bool(self.fields or self.tags is not None or self.dates)


def record_fields(record: ImportedPerson) -> dict[str, Any]:
    """The person fields a record gives (None where the file says nothing)."""
    return {
        "name": record.name,
        "nickname": record.nickname,
        "company": record.company,
        "position": record.position,
        "email": record.email,
        "phone": record.phone,
        "notes": record.notes,
        "connected_on": record.connected_on.isoformat() if record.connected_on else None,
        "every_days": record.every_days,
    }


def stored_fields(record: ImportedPerson, fields: dict[str, Any]) -> dict[str, Any]:
    """The person fields to store for a record that adds a person: ``fields`` (its
    ``record_fields``) and the structured name, kept with the name it came with
    (``models.NameParts.text``)."""
    if record.name_parts is None:
        return fields
    return {**fields, "name_parts": record.name_parts.text(record.name)}


#: The field a structured name is changed as (it is not remembered: it goes with the name).
NAME_PARTS = "name_parts"


def parts_text(parts: NameParts | None) -> str | None:
    """A structured name as a report shows it, as N writes it: "van der Berg;Anna;Maria"."""
    return ";".join(parts).rstrip(";") if parts is not None else None


def date_field(kind: str, label: str) -> str:
    """The field a key date is remembered as: its kind, or ``custom:`` and its label folded."""
    return f"custom:{label.casefold()}" if kind == "custom" else kind


def date_text(
    month: int,
    day: int,
    year: int | None,
    yearly: bool = True,
    lead_days: int | None = None,
    plan: str | None = None,
    rule: str | None = None,
) -> str:
    """A date as remembered and as JSON shows it (see ``DateValue.text``); on every
    imported date, so it builds the text directly. A rule date is its rule's stored form."""
    if rule is not None:
        text = rule
    else:
        text = f"{year:04d}-{month:02d}-{day:02d}" if year is not None else f"--{month:02d}-{day:02d}"
    if yearly and lead_days is None and not plan:
        return text
    if not yearly:
        text += " once"
    if lead_days is not None:
        text += f" lead {lead_days}"
    return f"{text} plan {plan}" if plan else text


def imported_value(found: ImportedDate) -> DateValue:
    return DateValue(found.month, found.day, found.year, found.yearly, found.lead_days, found.plan, found.rule)


def stored_value(occasion: Occasion) -> DateValue:
    return DateValue(
        occasion.month, occasion.day, occasion.year, occasion.yearly, occasion.lead_days, occasion.plan, occasion.rule
    )


def _date_of(text: str) -> ImportedDate:
    """A remembered date back (what ``DateValue.text`` wrote); kind and label do not matter here."""
    words = text.split()
    day = words[0]
    rule = None if day.startswith("--") or day[:4].isdigit() else parse_rule(day)
    if rule is not None:
        year, (month, day_of_month) = None, rule.earliest()
    else:
        year = None if day.startswith("--") else int(day[:4])
        month, day_of_month = int(day[-5:-3]), int(day[-2:])
    options = dict(zip(words[1::2], words[2::2], strict=False))
    return ImportedDate(
        "custom",
        month,
        day_of_month,
        year,
        rule=rule.text() if rule is not None else None,
        yearly="once" not in words,
        lead_days=int(options["lead"]) if "lead" in options else None,
        plan=options.get("plan"),
    )


def agrees(stored: Occasion | None, found: ImportedDate) -> bool:
    """Whether the file's date says nothing other than the stored one: the same day, no
    other year (none keeps the stored one), and no other setting."""
    return (
        stored is not None
        and (stored.month, stored.day, stored.rule) == (found.month, found.day, found.rule)
        and found.year in (None, stored.year)
        and (found.yearly or not stored.yearly)
        and found.lead_days in (None, stored.lead_days)
        and found.plan in (None, stored.plan)
    )


def new_occasion(found: ImportedDate, keep_year: int | None = None) -> NewOccasion:
    """An imported date as a date to store (``keep_year`` when the file has none; a rule
    has no year, and is always yearly)."""
    kind, month, day, year, label, yearly, lead_days, plan, rule = found
    if rule is not None:
        keep_year = None
    return new_record(
        NewOccasion,
        (
            kind,
            month,
            day,
            year if year is not None else keep_year,
            label if kind == "custom" else "",
            # An address book has no one-off dates: only servant's own CSV says so (with a year).
            True if rule is not None else None if yearly or year is None else False,
            lead_days,
            plan,
            rule,
        ),
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _tags_text(tags: Sequence[str]) -> str:
    return json_text(list(tags))


def remember_new(person_id: int, fields: Mapping[str, Any], record: ImportedPerson) -> list[tuple[int, str, str, bool]]:
    """What to remember of a record that added person ``person_id``: every field it gives
    (``fields``: its ``record_fields``), as the rows ``remember_import`` takes (none kept)."""
    found = [(person_id, field, str(value), False) for field, value in fields.items() if value is not None]
    if record.tags:
        found.append((person_id, "tags", _tags_text(record.tags), False))
    for date in record.dates:
        text = date_text(date.month, date.day, date.year, date.yearly, date.lead_days, date.plan, date.rule)
        found.append((person_id, date_field(date.kind, date.label), text, False))
    if record.relations:
        found.append((person_id, FAMILY, relations_text(record.relations), False))
    return found


#: The field a record's relations are remembered as.
FAMILY = "family"


def relations_text(relations: Sequence[ImportedRelation]) -> str:
    """A record's relations as remembered: sorted [label, name] pairs."""
    return json_text(sorted([r.label.casefold(), r.uid or r.name] for r in relations))


def new_relations(
    relations: Sequence[ImportedRelation], base: Remembered | None
) -> tuple[list[ImportedRelation], Remembered | None]:
    """The relations to add to a matched person, and what to remember (None: as it is).

    Relations only grow, as tags do: those the file did not give last time are added
    (linked or kept as text), so a link the user undid stays undone while the file says
    what it said, and an unchanged file adds nothing."""
    if not relations:
        return [], None
    text = relations_text(relations)
    if base is not None and base.value == text:
        return [], None
    before = {(label, name) for label, name in json.loads(base.value)} if base is not None else set()
    return [r for r in relations if (r.label.casefold(), r.uid or r.name) not in before], Remembered(text)


def _outcome(
    base: Remembered | None, prefer: bool, *, servant_empty: bool, file_as_before: bool, servant_as_before: bool
) -> str | None:
    """The rule of the module's docstring for a field where the file and servant differ,
    given whether each is what the file brought last time: None when servant's value
    stays without a word (the user's own edit)."""
    if base is None:
        if servant_empty:
            return ADDED
    elif file_as_before:
        return TAKEN if prefer and base.kept else None
    elif servant_as_before:
        return CHANGED
    return TAKEN if prefer else KEPT


def reconcile(
    person: Person,
    occasions: Sequence[Occasion],
    record: ImportedPerson,
    memory: Mapping[str, Remembered],
    *,
    extra_tags: Sequence[str] = (),
    prefer_file: bool = False,
) -> Reconciled:
    """What ``record`` changes of ``person`` (and their ``occasions``), given what the
    last file of its kind brought (``memory``); ``extra_tags`` (``import --tag``) are
    added whatever the file says."""
    out = Reconciled()
    for field, value in record_fields(record).items():
        if value is not None:
            _field(out, field, getattr(person, field), value, memory.get(field), prefer_file)
    _tags(out, person.tags, record.tags, memory.get("tags"), extra_tags)
    by_field = {date_field(o.kind, o.label): o for o in occasions}
    for found in record.dates:
        field = date_field(found.kind, found.label)
        _date(out, field, by_field.get(field), found, memory.get(field), prefer_file)
    _parts(out, person, record)
    return out


def _field(out: Reconciled, field: str, mine: Any, theirs: Any, base: Remembered | None, prefer: bool) -> None:
    text = str(theirs)
    mine_text = _text(mine)
    if mine_text == text or (field == "email" and mine_text and mine_text.casefold() == text.casefold()):
        _remember(out, field, text, base, kept=False)
        return
    outcome = _outcome(
        base,
        prefer,
        servant_empty=mine is None,
        file_as_before=base is not None and base.value == text,
        servant_as_before=base is not None and base.value == mine_text,
    )
    if outcome is None:
        return  # the file gives what it gave last time: remembered already
    _remember(out, field, text, base, kept=outcome == KEPT)
    taken = outcome != KEPT
    if taken:
        out.fields[field] = theirs
    out.changes.append(FieldChange(field, FIELDS[field], mine, theirs if taken else mine, theirs, outcome))


def _parts(out: Reconciled, person: Person, record: ImportedPerson) -> None:
    """The structured name the file gives is taken when the person's name is (or now
    becomes) the one it came with: it belongs to that name. A name servant keeps over
    the file's keeps its own (or none), and a file without one erases nothing. It is
    stored without a word and without a new version of the person: only a vCard export
    shows it, and a database upgraded to keep it would otherwise report, and republish,
    everyone once."""
    if record.name_parts is None or out.fields.get("name", person.name) != record.name:
        return
    text = record.name_parts.text(record.name)
    if text != person.name_parts:
        out.parts = text


def _date(
    out: Reconciled, field: str, stored: Occasion | None, found: ImportedDate, base: Remembered | None, prefer: bool
) -> None:
    text = imported_value(found).text()
    if agrees(stored, found):
        _remember(out, field, text, base, kept=False)
        return
    outcome = _outcome(
        base,
        prefer,
        servant_empty=stored is None,
        file_as_before=base is not None and base.value == text,
        servant_as_before=base is not None and agrees(stored, _date_of(base.value)),
    )
    if outcome is None:
        return
    _remember(out, field, text, base, kept=outcome == KEPT)
    was = stored_value(stored) if stored is not None else None
    now = was
    if outcome != KEPT:
        same_day = stored is not None and (stored.month, stored.day) == (found.month, found.day)
        new = new_occasion(found, keep_year=stored.year if stored is not None and same_day else None)
        out.dates.append(new)
        now = _stored_after(new, stored)
    label = KIND_LABELS.get(found.kind, found.label).lower() if found.kind != "custom" else found.label
    out.changes.append(FieldChange(field, label, was, now, imported_value(found), outcome))


def _stored_after(new: NewOccasion, old: Occasion | None) -> DateValue:
    """The date as the store keeps it once ``new`` is set (unset settings keep the old ones)."""
    return DateValue(
        new.month,
        new.day,
        new.year,
        new.yearly if new.yearly is not None else (old.yearly if old is not None else True),
        new.lead_days if new.lead_days is not None else (old.lead_days if old is not None else None),
        new.plan if new.plan is not None else (old.plan if old is not None else None),
        new.rule,
    )


def _tags(
    out: Reconciled, mine: tuple[str, ...], theirs: tuple[str, ...], base: Remembered | None, extra: Sequence[str]
) -> None:
    """Tags only grow: the file's tags that it did not give last time, and that the
    person lacks, are added (a tag the user removed stays removed)."""
    if not theirs and not extra:
        return
    given_before = {fold(tag) for tag in json.loads(base.value)} if base is not None else set()
    new = merge_tags(mine, [*(tag for tag in theirs if fold(tag) not in given_before), *extra])
    if theirs:
        text = _tags_text(theirs)
        if base is None or base.value != text:
            out.remember["tags"] = Remembered(text)
    if new != mine:
        out.tags = new
        out.changes.append(FieldChange("tags", "tags", mine, new, theirs, ADDED if not mine else CHANGED))


def _remember(out: Reconciled, field: str, text: str, base: Remembered | None, *, kept: bool) -> None:
    if base is None or base != (text, kept):
        out.remember[field] = Remembered(text, kept)
