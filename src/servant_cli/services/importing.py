"""``servant import``: records from an address book, matched and written in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from servant_cli.importers import ImportedPerson
from servant_cli.importers.matching import (
    ImportResult,
    PeopleIndex,
    changed_dates,
    new_occasion,
    record_fields,
)
from servant_cli.models import merge_tags
from servant_cli.store import Store
from servant_cli.store.rows import now_stamp


class _Count:
    def __init__(self) -> None:
        self.added = self.updated = self.unchanged = 0
        self.skipped: list[tuple[str, str]] = []
        self.stamp = now_stamp()


def import_people(
    store: Store, records: Iterable[ImportedPerson], *, tags: Sequence[str] = (), dry_run: bool = False
) -> ImportResult:
    """Add or update people from an address book, all in one transaction
    (``importers.matching`` says who each record is).

    ``dry_run`` does all of it and rolls back: its summary is the real one.
    """
    count = _Count()
    with store.transaction(keep=not dry_run):
        index = PeopleIndex(store.match_keys())
        for record in records:
            _import_one(store, record, tags, index, count)
    return ImportResult(count.added, count.updated, count.unchanged, tuple(count.skipped))


def _import_one(store: Store, record: ImportedPerson, tags: Sequence[str], index: PeopleIndex, count: _Count) -> None:
    found = index.match(record)
    if isinstance(found, str):
        count.skipped.append((record.name, found))
        return
    all_tags = merge_tags((), (*record.tags, *tags))
    if found is None:
        fields = {**record_fields(record), "name": record.name}
        dates = [new_occasion(d) for d in record.dates]
        index.add(store.add_imported(fields, all_tags, dates, count.stamp, record.uid), record)
        count.added += 1
        return
    person = store.get_person(found)
    assert person is not None
    fields = {
        key: value
        for key, value in record_fields(record).items()
        if value is not None and value != getattr(person, key)
    }
    if record.name != person.name:
        fields["name"] = record.name
    merged_tags = merge_tags(person.tags, all_tags)
    dates = changed_dates(store.occasions_of(person.id), record.dates)
    if record.uid and index.uid_of(person.id) is None:
        store.set_source_uid(person.id, record.uid)
    if not fields and merged_tags == person.tags and not dates:
        count.unchanged += 1
        return
    store.update_person(person.id, tags=merged_tags if merged_tags != person.tags else None, occasions=dates, **fields)
    index.add(person.id, record)
    count.updated += 1
