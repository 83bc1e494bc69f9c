"""``servant import``: records from an address book, matched and written in one transaction,
with what each import brought remembered, so that a later one keeps the user's edits; for
a folder of vCards, who is in it, and who has left it since."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from servant_cli.errors import BadFile
from servant_cli.importers import ImportedPerson, ImportedRelation, Parsed, Progress
from servant_cli.importers.common import shown
from servant_cli.importers.matching import ADDED, UNCHANGED, UPDATED, ImportResult, PeopleIndex, PersonReport
from servant_cli.importers.membership import (
    KEPT,
    LEFT,
    MEMBER,
    REMOVED,
    Left,
    Member,
    folder_source,
    other_folders,
    own_things,
    tags_to_take_off,
)
from servant_cli.importers.reconcile import (
    FAMILY,
    Remembered,
    new_occasion,
    new_relations,
    reconcile,
    record_fields,
    remember_new,
    stored_fields,
)
from servant_cli.importers.vdir import no_cards, read_folder
from servant_cli.models import FamilyNote, Occasion, Person, many_records, merge_tags, name_order, new_record
from servant_cli.services.family import add_relation, settle_relations
from servant_cli.store import Store
from servant_cli.store.people import NewRows
from servant_cli.store.rows import now_stamp

#: Every stored person is read at once when the records number at least 1/_READ_ALL_SHARE of them.
_READ_ALL_SHARE = 4


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
        #: The people this import adds, written together before a matched one is read.
        self.new = NewRows()
        #: The people this import's records are, with the record (a folder's members).
        self.reached: dict[int, ImportedPerson] = {}
        self.left: tuple[Left, ...] = ()
        #: The relations to add once every record is written, and the records' UIDs.
        self.relations: list[tuple[int, list[ImportedRelation]]] = []
        self.uids: dict[str, int] = {}
        self.new_ids: list[int] = []
        self.family: list[FamilyNote] = []
        #: The first record of this import with each source id, and the ids several share.
        self.ids: dict[str, ImportedPerson] = {}
        self.shared: set[str] = set()
        self.notes: list[str] = []
        #: Every stored person and their key dates, read in two queries when most of
        #: them are likely to be matched (``read_all``); each is taken once.
        self.stored: dict[int, Person] | None = None
        self.stored_dates: dict[int, list[Occasion]] = {}

    def read_all(self, records: int) -> None:
        """Read every stored person and their dates at once, rather than a query or two
        for each record matched, when the records are a fair share of them (a few
        records against a large book are read a person at a time)."""
        if records * _READ_ALL_SHARE >= len(self.index.stored_ids):
            self.stored = {person.id: person for person in self.store.people()}
            self.stored_dates = self.store.occasions_of_people(self.stored)

    def matched(self, person_id: int) -> tuple[Person | None, list[Occasion]]:
        """A matched person and their dates, as stored: read with ``read_all`` (a person
        is matched once an import: nothing else of the import changes them before),
        else now."""
        person = self.stored.pop(person_id, None) if self.stored is not None else None
        if person is None:
            return self.store.get_person(person_id), self.store.occasions_of(person_id)
        return person, self.stored_dates.pop(person_id, [])

    def result(self) -> ImportResult:
        return ImportResult(
            self.added,
            self.updated,
            self.unchanged,
            tuple(self.skipped),
            tuple(self.people),
            self.left,
            tuple(self.family),
            tuple(self.notes),
        )


class FolderSeen(NamedTuple):
    """A folder of vCards as this import found it."""

    #: Resolved and absolute.
    path: Path
    #: The names of the .vcf files in it, read or not.
    files: Collection[str]


class FolderImport(NamedTuple):
    """A folder of vCards imported: the folder as found, its cards as read, what was done."""

    folder: FolderSeen
    parsed: Parsed
    result: ImportResult


def read_contacts(
    path: Path, knows: Callable[[Path], bool], progress: Progress | None = None
) -> tuple[FolderSeen, Parsed]:
    """A folder of vCards as read; one with no .vcf file is refused, unless servant knows
    people from it (``knows`` its resolved path: then they have all left it)."""
    folder = read_folder(path, progress=progress)
    if not folder.files and not knows(folder.path):
        raise BadFile(no_cards(folder.path))
    return FolderSeen(folder.path, folder.files), folder.parsed


def import_folder(
    store: Store, path: Path, *, dry_run: bool = False, prune: bool = False, progress: Progress | None = None
) -> FolderImport:
    """``servant import DIR``: a folder of vCards read and imported, in one transaction."""
    folder, parsed = read_contacts(path, lambda resolved: knows_folder(store, resolved), progress)
    result = import_people(store, parsed.people, source=parsed.format, dry_run=dry_run, folder=folder, prune=prune)
    return FolderImport(folder, parsed, result)


def import_people(
    store: Store,
    records: Iterable[ImportedPerson],
    *,
    source: str,
    tags: Sequence[str] = (),
    dry_run: bool = False,
    prefer_file: bool = False,
    folder: FolderSeen | None = None,
    prune: bool = False,
) -> ImportResult:
    """Add or update people from an address book of kind ``source`` (its format), all in
    one transaction (``importers.matching`` says who each record is, and
    ``importers.reconcile`` what it changes).

    ``folder``: the records are a folder's cards; who they are is remembered, and who has
    left the folder since its last import is reported, and with ``prune`` removed or
    untied from it (``importers.membership``). ``dry_run`` does all of it and rolls back:
    its summary is the real one.
    """
    records = list(records)
    with many_records(), store.transaction(keep=not dry_run):
        run = _Run(store, source, tags, prefer_file)
        run.shared = _shared_ids(records)
        run.read_all(len(records))
        for record in records:
            person_id = _import_one(run, _own_id(run, record))
            if person_id is not None:
                run.reached[person_id] = record
                if record.uid:
                    run.uids.setdefault(record.uid, person_id)
        store.write_new(run.new)
        _family(run)
        store.remember_import(source, run.remember)
        if folder is not None:
            run.left = _members(run, folder, prune)
    return run.result()


def _shared_ids(records: Sequence[ImportedPerson]) -> set[str]:
    """The source ids more than one record of the file has."""
    seen: set[str] = set()
    shared: set[str] = set()
    for record in records:
        if record.uid:
            (shared if record.uid in seen else seen).add(record.uid)
    return shared


def _own_id(run: _Run, record: ImportedPerson) -> ImportedPerson:
    """The record, without its source id when another record of the file has it too: two
    cards with one UID are two people (an exporter's fault), each matched by email or
    name, or added, whatever their order in the file; each after the first is said."""
    if not record.uid or record.uid not in run.shared:
        return record
    first = run.ids.setdefault(record.uid, record)
    if first is not record:
        where = f" ({record.where})" if record.where else ""
        run.notes.append(f"{record.name} has the id {shown(record.uid)} of {first.name} too: kept as two people{where}")
    return record._replace(uid=None)


def _import_one(run: _Run, record: ImportedPerson, known: int | None = None) -> int | None:
    """Match and write one record; the id of the person it is (None: skipped). ``known``:
    the person it is, when the file says (servant's JSON, back in its own database)."""
    found = run.index.match(record, run.reached) if known is None else known
    if isinstance(found, str):
        run.skipped.append((record.name, f"{found} ({record.where})" if record.file else found))
        return None
    if found is None:
        return _add(run, record)
    store = run.store
    store.write_new(run.new)  # the people added so far, before one is read or changed
    person, dates = run.matched(found)
    assert person is not None
    memory = run.memory.pop(person.id, {})  # a person is matched once an import
    change = reconcile(person, dates, record, memory, extra_tags=run.tags, prefer_file=run.prefer_file)
    _remember(run, person.id, change.remember)
    relations, remembered = new_relations(record.relations, memory.get(FAMILY))
    if remembered is not None:
        _remember(run, person.id, {FAMILY: remembered})
    if relations:
        run.relations.append((person.id, relations))
    if record.uid and run.index.uid_of(person.id) is None:
        store.set_source_uid(person.id, record.uid)
    if change.changes:
        name = change.fields.get("name", person.name)
        run.people.append(PersonReport(person.id, name, UPDATED if change.writes else UNCHANGED, tuple(change.changes)))
    if not change.writes:
        run.unchanged += 1
    else:
        store.update_person(person.id, tags=change.tags, occasions=change.dates, **change.fields)
        run.index.add(person.id, record)
        run.updated += 1
    if change.parts is not None:  # after the name it belongs to
        store.set_name_parts(person.id, change.parts)
    return person.id


def _add(run: _Run, record: ImportedPerson) -> int:
    fields = record_fields(record)
    dates = [new_occasion(d) for d in record.dates]
    tags = merge_tags((), (*record.tags, *run.tags))
    person_id = run.store.add_imported(run.new, stored_fields(record, fields), tags, dates, run.stamp, record.uid)
    run.index.add(person_id, record)
    run.remember += remember_new(person_id, fields, record)
    run.people.append(new_record(PersonReport, (person_id, record.name, ADDED, ())))
    run.added += 1
    run.new_ids.append(person_id)
    if record.relations:
        run.relations.append((person_id, list(record.relations)))
    return person_id


def _family(run: _Run) -> None:
    """The records' relations, once every record is written (a card may name one further
    on): each linked to the person it finds, or kept as text; then the relations kept as
    text before that name someone this import added become links."""
    store = run.store
    uids = {**run.index.by_uid, **run.uids}
    for person_id, relations in run.relations:
        holder = store.get_person(person_id)
        assert holder is not None
        for relation in relations:
            note = add_relation(store, holder, relation.label, relation.name, uid=relation.uid, uids=uids)
            if note is not None:
                run.family.append(note)
    if not run.new_ids or not store.relations_waiting():
        return  # no relation kept as text can name a newcomer: no person read back
    newcomers = [p for p in map(store.get_person, run.new_ids) if p is not None]
    run.family += settle_relations(store, newcomers)


def _remember(run: _Run, person_id: int, fields: dict[str, Remembered]) -> None:
    for field, remembered in fields.items():
        run.remember.append((person_id, field, remembered.value, remembered.kept))


def knows_folder(store: Store, path: Path) -> bool:
    """Whether an import of this folder (resolved) left people that servant remembers from it."""
    return any(field == MEMBER for _, field, _, _ in store.import_memory(folder_source(path)))


def _members(run: _Run, folder: FolderSeen, prune: bool) -> tuple[Left, ...]:
    """Remember who the folder's cards are; the people who have left it since, settled
    with ``prune``, by name."""
    store = run.store
    source = folder_source(folder.path)
    # Kept as text: a member whose card says what it said last time is not parsed again.
    members = {person_id: value for person_id, field, value, _ in store.import_memory(source) if field == MEMBER}
    rows = []
    for person_id, record in run.reached.items():
        said = members.get(person_id)
        text = Member(record.file, record.uid, tuple(run.tags)).text()
        if said is not None and said != text:
            text = Member(record.file, record.uid, merge_tags(Member.of(said).tags, run.tags)).text()
        if said != text:
            rows.append((person_id, MEMBER, text, False))
    store.remember_import(source, rows)
    files = frozenset(folder.files)
    left = []
    for person_id, said in members.items():
        if person_id not in run.reached and (member := Member.of(said)).file not in files:
            person = run.store.get_person(person_id)
            if person is not None:  # None: removed behind servant's back, its memory left
                left.append(_leave(run, source, person, member, prune))
    return tuple(sorted(left, key=lambda who: (name_order(who.name), who.id)))


def _leave(run: _Run, source: str, person: Person, member: Member, prune: bool) -> Left:
    """One person no longer in the folder: what servant holds of its own for them, and,
    with ``prune``, removed or untied from the folder."""
    store = run.store
    person_id = person.id
    brought = store.import_rows_of(person_id)
    own = own_things(person, store.occasions_of(person_id), store.removal_counts(person_id), brought)
    left = Left(person_id, person.name, member, LEFT, own, other_folders(source, brought))
    if left.removable:
        if prune:
            store.remove_person(person_id)
        return left._replace(result=REMOVED) if prune else left
    left = left._replace(untagged=tags_to_take_off(person, member, source, brought))
    if not prune:
        return left
    if left.untagged:
        store.update_person(person_id, remove_tags=left.untagged)
    store.forget_import(source, person_id)
    return left._replace(result=KEPT)
