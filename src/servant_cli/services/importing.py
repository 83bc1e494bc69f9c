"""``servant import``: records from an address book, matched and written in one transaction,
with what each import brought remembered, so that a later one keeps the user's edits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from servant_cli.importers import ImportedPerson
from servant_cli.importers.matching import ADDED, UNCHANGED, UPDATED, ImportResult, PeopleIndex, PersonReport
from servant_cli.importers.reconcile import Remembered, new_occasion, reconcile, record_fields, remember_new
from servant_cli.models import merge_tags
from servant_cli.store import Store
from servant_cli.store.rows import now_stamp


class _Run:
    """One import as it goes: the counts, the report, and what to remember."""

    def __init__(self, store: Store, source: str, tags: Sequence[str], prefer_file: bool) -> None:
        self.store = store
        self.tags = tags
        self.prefer_file = prefer_file
        self.added = self.updated = self.unchanged = 0
        self.skipped: list[tuple[str, str]] = []
        self.people: list[PersonReport] = []
        self.stamp = now_stamp()
        self.memory: dict[int, dict[str, Remembered]] = {}
        names = {}
        for person_id, field, value, kept in store.import_memory(source):
            fields = self.memory.get(person_id)
            if fields is None:
                fields = self.memory[person_id] = {}
            fields[field] = Remembered(value, kept)
            if field == "name":
                names[person_id] = value
        self.index = PeopleIndex(store.match_keys(), names)
        self.remember: list[tuple[int, str, str, bool]] = []

    def result(self) -> ImportResult:
        return ImportResult(self.added, self.updated, self.unchanged, tuple(self.skipped), tuple(self.people))


def import_people(
    store: Store,
    records: Iterable[ImportedPerson],
    *,
    source: str,
    tags: Sequence[str] = (),
    dry_run: bool = False,
    prefer_file: bool = False,
) -> ImportResult:
    """Add or update people from an address book of kind ``source`` (its format), all in
    one transaction (``importers.matching`` says who each record is, and
    ``importers.reconcile`` what it changes).

    ``dry_run`` does all of it and rolls back: its summary is the real one.
    """
    with store.transaction(keep=not dry_run):
        run = _Run(store, source, tags, prefer_file)
        for record in records:
            _import_one(run, record)
        store.remember_import(source, run.remember)
    return run.result()


def _import_one(run: _Run, record: ImportedPerson) -> None:
    found = run.index.match(record)
    if isinstance(found, str):
        run.skipped.append((record.name, found))
        return
    if found is None:
        _add(run, record)
        return
    store = run.store
    person = store.get_person(found)
    assert person is not None
    memory = run.memory.setdefault(person.id, {})
    change = reconcile(
        person, store.occasions_of(person.id), record, memory, extra_tags=run.tags, prefer_file=run.prefer_file
    )
    _remember(run, person.id, change.remember)
    if record.uid and run.index.uid_of(person.id) is None:
        store.set_source_uid(person.id, record.uid)
    if change.changes:
        name = change.fields.get("name", person.name)
        run.people.append(PersonReport(person.id, name, UPDATED if change.writes else UNCHANGED, tuple(change.changes)))
    if not change.writes:
        run.unchanged += 1
        return
    store.update_person(person.id, tags=change.tags, occasions=change.dates, **change.fields)
    run.index.add(person.id, record)
    run.updated += 1


def _add(run: _Run, record: ImportedPerson) -> None:
    fields = record_fields(record)
    dates = [new_occasion(d) for d in record.dates]
    tags = merge_tags((), (*record.tags, *run.tags))
    person_id = run.store.add_imported(fields, tags, dates, run.stamp, record.uid)
    run.index.add(person_id, record)
    remembered = run.memory[person_id] = remember_new(fields, record)
    run.remember += [(person_id, field, value, kept) for field, (value, kept) in remembered.items()]
    run.people.append(PersonReport(person_id, record.name, ADDED))
    run.added += 1


def _remember(run: _Run, person_id: int, fields: dict[str, Remembered]) -> None:
    memory = run.memory.setdefault(person_id, {})
    for field, remembered in fields.items():
        memory[field] = remembered
        run.remember.append((person_id, field, remembered.value, remembered.kept))
