"""servant's JSON export and its import: everything a database holds, out and back.

Into an empty database the file is taken whole, and people and gestures keep their ids,
so exporting again gives the same file byte for byte. Into a database with people in it,
the people go through the ordinary import (``services.importing``: matched, and only
what the file changed since is taken), then what they lack of the file's family links,
gestures and gift ideas is added; so importing a file into the database it came from
changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple, cast

from servant_cli.importers import ImportedPerson, Parsed
from servant_cli.importers.matching import ADDED, ImportResult, PersonReport
from servant_cli.importers.reconcile import new_occasion, record_fields, remember_new, stored_fields
from servant_cli.importers.servant_json import FileGesture, FilePerson, FileSeason, Idea, write_json
from servant_cli.models import Season, merge_tags, name_key
from servant_cli.services.importing import _import_one, _Run
from servant_cli.store import Store
from servant_cli.store.imports import GestureRow
from servant_cli.store.rows import now_stamp

SOURCE = "json"


def export_everything(store: Store) -> str:
    """The whole database as servant's JSON (``importers.servant_json``)."""
    people = store.people_with_occasions()
    ideas = [Idea(*row) for row in store.all_ideas()]
    gestures = store.gestures_of(None)
    ticked = store.seasons_of_gestures(g.id for g in gestures)
    return write_json(people, gestures, ideas, store.kin_of_people(), store.seasons(), ticked)


def import_everything(
    store: Store, parsed: Parsed, *, tags: Sequence[str] = (), dry_run: bool = False, prefer_file: bool = False
) -> ImportResult:
    """``servant import FILE.json``, in one transaction (rolled back on a dry run)."""
    extra = cast(Sequence[FilePerson], parsed.extra)
    with store.transaction(keep=not dry_run):
        empty = store.contents().people == 0
        # Seasons first: the gestures that ticked people off name them.
        for season in cast(Sequence[FileSeason], parsed.seasons):
            store.import_season(
                Season(
                    season.key,
                    season.name,
                    season.month,
                    season.day,
                    season.tags,
                    season.plan,
                    season.lead_days,
                    season.rule,
                ),
                keep_id=empty,
            )
        if empty:
            return _into_empty(store, parsed.people, extra, tags)
        return _into_existing(store, parsed.people, extra, tags, prefer_file)


def _into_empty(
    store: Store, records: Sequence[ImportedPerson], extra: Sequence[FilePerson], tags: Sequence[str]
) -> ImportResult:
    stamp = now_stamp()
    ids: dict[int, int] = {}
    remember = []
    reports = []
    for record, more in zip(records, extra, strict=True):
        fields = record_fields(record)
        dates = [new_occasion(found) for found in record.dates]
        person_id = store.add_whole(
            more.key, stored_fields(record, fields), merge_tags(record.tags, tags), dates, stamp, record.uid
        )
        ids[more.key] = person_id
        remember += remember_new(person_id, fields, record)
        reports.append(PersonReport(person_id, record.name, ADDED))
    store.remember_import(SOURCE, remember)
    notes = _memories(store, records, extra, ids, keep_ids=True)
    return ImportResult(len(reports), 0, 0, people=tuple(reports), notes=tuple(notes))


def _into_existing(
    store: Store,
    records: Sequence[ImportedPerson],
    extra: Sequence[FilePerson],
    tags: Sequence[str],
    prefer_file: bool,
) -> ImportResult:
    run = _Run(store, SOURCE, tags, prefer_file)
    ids: dict[int, int] = {}
    kept_records, kept_extra = [], []
    for record, more in zip(records, extra, strict=True):
        # The file's id is the person's own when the name agrees: the file came from here.
        # The people added so far are written first: one of them may have that id.
        store.write_new(run.new)
        same = store.get_person(more.key)
        found = same.id if same is not None and name_key(same.name) == name_key(record.name) else None
        person_id = _import_one(run, record, found)
        if person_id is not None:
            ids[more.key] = person_id
            kept_records.append(record)
            kept_extra.append(more)
    store.write_new(run.new)
    store.remember_import(SOURCE, run.remember)
    result = run.result()
    notes = _memories(store, kept_records, kept_extra, ids, keep_ids=False)
    return result._replace(notes=(*result.notes, *notes))


def _memories(
    store: Store,
    records: Sequence[ImportedPerson],
    extra: Sequence[FilePerson],
    ids: Mapping[int, int],
    *,
    keep_ids: bool,
) -> list[str]:
    """Family links, gestures and gift ideas of the people imported (``ids``: file key →
    person id); a note for each link that could not be kept (the person is imported all
    the same, so it is no skipped record)."""
    notes: list[str] = []
    gestures: dict[int, int] = {}
    added: list[int] = []
    for record, more in zip(records, extra, strict=True):
        person_id = ids[more.key]
        notes += [f"{record.name}: {why}" for why in set_family(store, person_id, more, ids)]
        if not more.gestures:
            continue
        stored = None if keep_ids else stored_gestures(store, person_id)
        wanted = [_wanted(store, person_id, gesture) for gesture in more.gestures]
        for gesture, (row, ticks), found in zip(more.gestures, wanted, _matches(wanted, stored), strict=True):
            if found is None:  # a new one; in an empty database (stored None) with the file's id
                found = store.add_gesture(gesture.key if stored is None else None, person_id, row, now_stamp())
                added.append(found)
            gestures[gesture.key] = found
            if ticks is not None:
                store.tick_season(found, *ticks)
    if added:
        store.decided_from_now(min(added))
    have: dict[int, list[str]] = {}
    for _, person_id, text, *_ in store.all_ideas():
        have.setdefault(person_id, []).append(text)
    for more in extra:
        _ideas(store, ids[more.key], more, gestures, have.setdefault(ids[more.key], []))
    return notes


def set_family(store: Store, person_id: int, more: FilePerson, ids: Mapping[int, int]) -> list[str]:
    """The person's family links and relations kept as text as the file gives them, each
    added once; why any link could not be kept (a third parent, a second spouse)."""
    why = []
    for relation, key in more.family:
        other = ids.get(key)
        if other is None or other == person_id:
            why.append(f"family: the {relation} link names #{key}, who is not among the people imported")
            continue
        have = store.parents_of(person_id) if relation == "child" else store.spouses_of(person_id)
        if other in have:
            continue
        if len(have) >= (2 if relation == "child" else 1):
            kept = " and ".join(f"#{one}" for one in have)
            why.append(f"family: kept {relation} of {kept}; the file's {relation} of #{other} was not taken")
            continue
        if relation == "spouse" and store.spouses_of(other):
            why.append(f"family: #{other} has another spouse; the file's spouse link was not taken")
            continue
        store.link_family(person_id, relation, other)
    for label, name in more.relations:
        store.keep_relation(person_id, label, name)
    return why


#: A season and the day of it a gesture ticked someone off (season id, day).
Ticked = tuple[int, date]


class StoredGesture(NamedTuple):
    """A stored gesture as a file's is matched with it."""

    #: As ``_wanted`` makes a file's.
    row: GestureRow
    id: int
    ticks: Ticked | None


def _wanted(store: Store, person_id: int, gesture: FileGesture) -> tuple[GestureRow, Ticked | None]:
    """A file's gesture as it is stored and matched: its row (on, kind, what, cost,
    occasion id, for date) and the season and day the file says it ticked the person off."""
    occasion_id = None
    if gesture.occasion is not None:
        kind, label = gesture.occasion
        for occasion in store.occasions_of(person_id):
            if occasion.kind == kind and occasion.label.casefold() == label.casefold():
                occasion_id = occasion.id
    row: GestureRow = (
        gesture.on.isoformat(),
        gesture.kind,
        gesture.what,
        gesture.cost,
        occasion_id,
        gesture.for_date.isoformat() if gesture.for_date and occasion_id is not None else None,
    )
    season = store.season_named(gesture.season) if gesture.season else None
    ticks = (season.id, gesture.for_date) if season is not None and gesture.for_date is not None else None
    return row, ticks


def _matches(
    wanted: Sequence[tuple[GestureRow, Ticked | None]], stored: Sequence[StoredGesture] | None
) -> list[int | None]:
    """The stored gesture each of the file's (``_wanted``) is, or None for a new one.

    Gestures alike (the same gift logged twice on a day) are told apart by the season
    each ticked off: first every file's gesture takes a stored one alike that ticked the
    same off (or none, as it did); then the rest, in the file's order, take one alike
    that ticked none off, or any alike when the file's ticked none. A gesture ticks one
    season off at most, so one that ticked another off is not the file's.
    """
    found: list[int | None] = [None] * len(wanted)
    left = list(stored or ())
    for same in (True, False):
        for at, (row, ticks) in enumerate(wanted):
            if found[at] is not None:
                continue
            for place, one in enumerate(left):
                if one.row == row and (one.ticks == ticks if same else ticks is None or one.ticks is None):
                    found[at] = left.pop(place).id
                    break
    return found


def stored_gestures(store: Store, person_id: int) -> list[StoredGesture]:
    """A person's gestures, to find the file's among them."""
    found = store.gestures_of(person_id)
    ticked = store.seasons_of_gestures(g.id for g in found) if found else {}
    return [
        StoredGesture(
            (g.on.isoformat(), g.kind, g.what, g.cost, g.occasion_id, g.for_date.isoformat() if g.for_date else None),
            g.id,
            ticked.get(g.id),
        )
        for g in found
    ]


def _ideas(store: Store, person_id: int, more: FilePerson, gestures: Mapping[int, int], have: list[str]) -> None:
    """The file's gift ideas the person does not have yet (``have``: the texts of those
    they have; an idea noted twice is there twice)."""
    for idea in more.ideas:
        if idea.text in have:
            have.remove(idea.text)
            continue
        gift = gestures.get(idea.gift) if idea.gift is not None else None
        store.add_idea_whole(
            person_id, idea.text, idea.noted or now_stamp(), idea.given.isoformat() if idea.given else None, gift
        )
