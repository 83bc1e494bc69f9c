"""Who an imported record is, and what it changes: the rules, without SQL.

A record is matched to a stored person by the source's UID, then by email (any case),
then by exact name (any case, any alphabet); no match adds a person. A match is updated
only where the file says something new: a field it has, a tag or a date the person
lacks, a date that moved. A date without a year on the same day as a stored one keeps
the stored year. So importing the same file twice changes nothing, and nothing is ever
duplicated. A name that matches several people is skipped, not guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from servant_cli.importers import ImportedDate, ImportedPerson
from servant_cli.models import Occasion, name_key
from servant_cli.store.rows import NewOccasion


class ImportResult(NamedTuple):
    """What an import did (or, dry, would do)."""

    added: int
    updated: int
    unchanged: int
    #: (who, why) for each record that was not imported.
    skipped: tuple[tuple[str, str], ...] = ()


class PeopleIndex:
    """Every stored person by source UID, email and name key, read once per import and
    kept up to date as people are added, so matching costs no query per record."""

    def __init__(self, people: Iterable[tuple[int, str | None, str | None, str]]) -> None:
        self.by_uid: dict[str, int] = {}
        self.uids: dict[int, str] = {}
        self.by_email: dict[str, set[int]] = {}
        self.by_name: dict[str, set[int]] = {}
        for person_id, uid, email, key in people:
            self._put(person_id, uid, email, key)

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

    def match(self, record: ImportedPerson) -> int | str | None:
        """The id of the person this record is, None for a new person, or why it is skipped."""
        if record.uid and record.uid in self.by_uid:
            return self.by_uid[record.uid]
        by_email = self.by_email.get(record.email.casefold(), set()) if record.email else set()
        by_name = self.by_name.get(name_key(record.name), set())
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


def record_fields(record: ImportedPerson) -> dict[str, Any]:
    """The person fields a record gives (None where the file says nothing)."""
    return {
        "company": record.company,
        "email": record.email,
        "phone": record.phone,
        "notes": record.notes,
        "position": record.position,
        "connected_on": record.connected_on.isoformat() if record.connected_on else None,
        "every_days": record.every_days,
    }


def new_occasion(found: ImportedDate, keep_year: int | None = None) -> NewOccasion:
    """An imported date as a date to store (``keep_year`` when the file has none)."""
    return NewOccasion(
        found.kind,
        found.month,
        found.day,
        found.year if found.year is not None else keep_year,
        found.label if found.kind == "custom" else "",
        # An address book has no one-off dates: only servant's own CSV says so (with a year).
        yearly=None if found.yearly or found.year is None else False,
        lead_days=found.lead_days,
        plan=found.plan,
    )


def changed_dates(stored: Sequence[Occasion], imported: Iterable[ImportedDate]) -> list[NewOccasion]:
    """The imported dates that are new, or say something other than the stored ones."""
    by_key = {(o.kind, o.label.casefold()): o for o in stored}
    changed = []
    for found in imported:
        label = found.label.casefold() if found.kind == "custom" else ""
        old = by_key.get((found.kind, label))
        if old is None:
            changed.append(new_occasion(found))
            continue
        same_day = (old.month, old.day) == (found.month, found.day)
        if (
            same_day
            and found.year in (None, old.year)
            and (found.yearly or not old.yearly)
            and found.lead_days in (None, old.lead_days)
            and found.plan in (None, old.plan)
        ):
            continue
        changed.append(new_occasion(found, keep_year=old.year if same_day else None))
    return changed
