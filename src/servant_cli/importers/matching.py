"""Who an imported record is, and what an import did: the rules, without SQL.

A record is matched to a stored person by the source's UID, then by email (any case),
then by exact name (any case, any alphabet), or by the name the last file of its kind
gave them (so a person renamed in servant is still found); no match adds a person.
What a match changes is ``importers.reconcile``'s: only what the file changed since it
was last imported, never an edit made in servant. So importing the same file twice
changes nothing, and nothing is ever duplicated. A name that matches several people is
skipped, not guessed.

One person is one record of a file: a person an earlier record of the same import
reached is not matched again, and a record with the source id of an earlier record (an
exporter that gives two cards one UID) is another person, matched without that id.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import NamedTuple

from servant_cli.importers import ImportedPerson
from servant_cli.importers.membership import Left
from servant_cli.importers.reconcile import KEPT, TAKEN, FieldChange
from servant_cli.models import FamilyNote, name_key

#: What an import did to a person.
ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"


class PersonReport(NamedTuple):
    """One person an import added, or whose fields it changed or found in conflict."""

    id: int
    name: str
    result: str  # ADDED, UPDATED or UNCHANGED (a conflict kept changes nothing)
    changes: tuple[FieldChange, ...] = ()


class ImportResult(NamedTuple):
    """What an import did (or, dry, would do)."""

    added: int
    updated: int
    unchanged: int
    #: (who, why) for each record that was not imported.
    skipped: tuple[tuple[str, str], ...] = ()
    #: The people added, changed or in conflict, in the file's order.
    people: tuple[PersonReport, ...] = ()
    #: A folder's import: the people no longer in it, by name (``importers.membership``).
    left: tuple[Left, ...] = ()
    #: The relations linked or kept as text (``services.family``).
    family: tuple[FamilyNote, ...] = ()
    #: What the user should know that is neither a change nor a skip (an id two records share).
    notes: tuple[str, ...] = ()

    @property
    def conflicts(self) -> int:
        """Fields changed both in servant and in the file since the last import."""
        return sum(change.outcome in (KEPT, TAKEN) for person in self.people for change in person.changes)


class PeopleIndex:
    """Every stored person by source UID, email and name key, read once per import and
    kept up to date as people are added, so matching costs no query per record."""

    def __init__(
        self, people: Iterable[tuple[int, str | None, str | None, str]], also_named: Mapping[int, str] | None = None
    ) -> None:
        """``also_named``: the name the last file of this kind gave a person, by id."""
        self.by_uid: dict[str, int] = {}
        self.uids: dict[int, str] = {}
        self.by_email: dict[str, set[int]] = {}
        self.by_name: dict[str, set[int]] = {}
        #: The people stored when the index was made.
        self.stored_ids: set[int] = set()
        for person_id, uid, email, key in people:
            self._put(person_id, uid, email, key)
            self.stored_ids.add(person_id)
        for person_id, name in (also_named or {}).items():
            if person_id in self.stored_ids:  # not one removed behind servant's back
                self.by_name.setdefault(name_key(name), set()).add(person_id)

    def _put(self, person_id: int, uid: str | None, email: str | None, key: str) -> None:
        if uid:
            self.by_uid.setdefault(uid, person_id)
            self.uids.setdefault(person_id, uid)
        if email:
            self.by_email.setdefault(email.casefold(), set()).add(person_id)
        self.by_name.setdefault(key, set()).add(person_id)

    def add(self, person_id: int, record: ImportedPerson) -> None:
        """A person this import added: found again by UID only. Two cards of one file
        that share a name or an email are two people (a family's shared address), not
        one card read twice."""
        if record.uid:
            self.by_uid.setdefault(record.uid, person_id)
            self.uids.setdefault(person_id, record.uid)

    def uid_of(self, person_id: int) -> str | None:
        return self.uids.get(person_id)

    def match(self, record: ImportedPerson, taken: Collection[int] = ()) -> int | str | None:
        """The id of the person this record is, None for a new person, or why it is
        skipped; never one of ``taken`` (the people earlier records of the file are)."""
        if record.uid and record.uid in self.by_uid and self.by_uid[record.uid] not in taken:
            return self.by_uid[record.uid]
        emails = self.by_email.get(record.email.casefold(), ()) if record.email and self.by_email else ()
        names = self.by_name.get(name_key(record.name), ()) if self.by_name else ()  # none: a new database
        if not emails and not names:
            return None  # no one has the email or the name (every record of a first import)
        by_email = {i for i in emails if i not in taken}
        by_name = {i for i in names if i not in taken}
        if len(by_email) == 1:
            return next(iter(by_email))
        if len(by_email) > 1 and len(by_email & by_name) == 1:
            return next(iter(by_email & by_name))  # a shared address: the name tells them apart
        if len(by_name) == 1:
            return next(iter(by_name))
        if len(by_name) > 1:
            ids = ", ".join(f"#{i}" for i in sorted(by_name))
            return f"{len(by_name)} people are called this ({ids}); update them by hand"
        return None
