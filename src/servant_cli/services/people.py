"""Adding and changing people: ``servant add`` (with the family it names, and the
relations kept as text that name them) and ``servant edit``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from servant_cli.dates import PartialDate
from servant_cli.errors import BadInput, ServantError
from servant_cli.models import FamilyNote, Occasion, Person
from servant_cli.services.family import FamilyChange, FamilyPlan, apply_family, plan_family, settle_relations
from servant_cli.store import NewOccasion, Store
from servant_cli.text import clean, fold


class Added(NamedTuple):
    """What ``servant add`` stored: the person, and the relations kept as text elsewhere
    that now link to them."""

    person: Person
    settled: list[FamilyNote]


def add_person(
    store: Store,
    name: str,
    *,
    tags: Sequence[str] = (),
    occasions: Sequence[NewOccasion] = (),
    fields: dict[str, Any],
    family: FamilyPlan | None = None,
) -> Added:
    """Store a new person with their dates and family in one transaction; relations kept
    as text that name them become links."""
    with store.transaction():
        person = store.add_person(name, tags=tags, occasions=occasions, **fields)
        if family is not None:
            apply_family(store, person.id, family)
        settled = settle_relations(store, [person])
    found = store.get_person(person.id)
    assert found is not None
    return Added(found, settled)


class Change(NamedTuple):
    """What ``servant edit`` was asked to change, every value checked already."""

    fields: dict[str, Any]
    occasions: Sequence[NewOccasion] = ()
    #: Kinds or custom labels of dates to remove, as typed.
    drop: Sequence[str] = ()
    add_tags: Sequence[str] = ()
    remove_tags: Sequence[str] = ()
    #: Parents to add ('' unlinks them) and a spouse to set ('' unlinks).
    family: FamilyChange = FamilyChange()
    #: Store yearless dates without a year even where the stored date has one.
    no_year: bool = False
    #: A new name someone else already bears is wanted all the same.
    namesake: bool = False


class Edited(NamedTuple):
    """What an edit did."""

    before: Person
    after: Person
    #: The person fields that were given (the relation's included).
    fields: dict[str, Any]
    occasions: Sequence[NewOccasion]
    #: The stored dates the new ones replace, by (kind, folded label).
    replaced: dict[tuple[str, str], Occasion]
    dropped: list[Occasion]
    retagged: bool
    #: Others who bear the new name.
    namesakes: list[Person]
    #: Tags asked to be removed that the person did not have (folded).
    missing_tags: list[str]


def edit_person(store: Store, query: str, change: Change) -> Edited:
    """Find the person ``query`` names and apply ``change`` in one transaction."""
    who = store.find_person(query)
    fields = dict(change.fields)
    plan = plan_family(store, who, change.family) if change.family else None
    existing = store.occasions_of(who.id)
    occasions = keep_years(existing, change.occasions, no_year=change.no_year)
    dropping = _dropped(who, existing, change.drop, occasions)
    retagged = bool(change.add_tags or change.remove_tags)
    if not (fields or change.occasions or dropping or retagged or plan):
        raise BadInput("nothing to change; see 'servant edit --help' for what can be changed")
    namesakes = [p for p in store.people_named(fields["name"])[0] if p.id != who.id] if "name" in fields else []
    if namesakes and not change.namesake:
        there = ", ".join(f"#{p.id}" for p in namesakes)
        raise ServantError(
            f"{clean(fields['name'])} is already in servant ({there}); add --new to give {clean(who.name)}"
            " the same name all the same"
        )
    # Tags are added and removed inside the store's transaction: two edits at once both count.
    with store.transaction():
        after = store.update_person(
            who.id,
            occasions=occasions,
            drop=[o.id for o in dropping],
            add_tags=change.add_tags,
            remove_tags=change.remove_tags,
            **fields,
        )
        if plan is not None:
            apply_family(store, who.id, plan)
        if plan is not None or "name" in fields:
            if "name" in fields:  # relations kept as text may name them now
                settle_relations(store, [after])
            after = store.get_person(who.id) or after
    had = {fold(tag) for tag in who.tags}
    missing = [tag for tag in change.remove_tags if fold(tag) not in had]
    replaced = {_key(o.kind, o.label): o for o in existing}
    changed = [new for new in occasions if not _same_date(replaced.get(_key(new.kind, new.label)), new)]
    return Edited(who, after, fields, changed, replaced, dropping, retagged, namesakes, missing)


def _key(kind: str, label: str) -> tuple[str, str]:
    """Which of a person's dates a kind and label name (a label names custom dates only)."""
    return kind, label.casefold() if kind == "custom" else ""


def _same_date(stored: Occasion | None, new: NewOccasion) -> bool:
    return stored is not None and (stored.month, stored.day, stored.year, stored.rule) == (
        new.month,
        new.day,
        new.year,
        new.rule,
    )


def keep_years(existing: Sequence[Occasion], given: Sequence[NewOccasion], *, no_year: bool) -> list[NewOccasion]:
    """``given``, a yearless date taking the year of the stored date it replaces when
    both fall on the same day: "Dec 9" typed to set a plan must not erase 1952.
    ``no_year`` drops it: the one way to store a date without its year on purpose.
    A yearless date on another day is refused (servant cannot tell whether the year
    still holds), and a custom date keeps its label as stored, whatever the case typed."""
    stored = {_key(o.kind, o.label): o for o in existing}
    kept = []
    for new in given:
        old = stored.get(_key(new.kind, new.label))
        if old is not None:
            new = new._replace(label=old.label)
        if new.year is None and new.rule is None and not no_year and old is not None and old.year is not None:
            if (old.month, old.day) != (new.month, new.day):
                moved = PartialDate(new.month, new.day, old.year)
                raise BadInput(
                    f"{clean(old.title)} is stored as {PartialDate(old.month, old.day, old.year)}; give the new"
                    f" date with its year, e.g. {moved.iso()}, or add --no-year to store it without one"
                )
            new = new._replace(year=old.year)
        kept.append(new)
    return kept


class DateSet(NamedTuple):
    """What ``servant date`` did: the date as stored now, and as it was (None: new)."""

    stored: Occasion
    previous: Occasion | None


def set_date(
    store: Store,
    who: Person,
    new: NewOccasion | None,
    kind: str,
    label: str,
    *,
    no_year: bool = False,
    **settings: Any,
) -> DateSet:
    """Set one of ``who``'s dates: ``new`` (its year kept as ``keep_years`` says), or,
    without one, the stored date with new ``settings`` (lead_days, plan, yearly)."""
    existing = store.occasions_of(who.id)
    if new is None:
        key = _key(kind, label)
        current = next((o for o in existing if _key(o.kind, o.label) == key), None)
        if current is None:
            title = label if kind == "custom" else kind
            raise BadInput(f"{clean(who.name)} has no {clean(title)} date yet; give its DATE to add one")
        year = None if no_year else current.year
        new = NewOccasion(kind, current.month, current.day, year, label=current.label, rule=current.rule)
    else:
        new = keep_years(existing, [new], no_year=no_year)[0]
    stored, previous = store.set_occasion(who.id, new._replace(**settings))
    return DateSet(stored, previous)


def _dropped(
    who: Person, existing: Sequence[Occasion], drop: Sequence[str], setting: Sequence[NewOccasion]
) -> list[Occasion]:
    """The stored dates that ``--drop`` names; one also given a new date is refused."""
    dropping: list[Occasion] = []
    for item in drop:
        wanted = item.strip().casefold()
        matches = [o for o in existing if o.kind == wanted or (o.kind == "custom" and o.label.casefold() == wanted)]
        if not matches:
            have = ", ".join(o.kind if o.kind != "custom" else o.label for o in existing) or "none"
            raise BadInput(f"--drop: {clean(who.name)} has no {item!r} date (has: {clean(have)})")
        dropping.extend(o for o in matches if o not in dropping)
    given = {(new.kind, new.label.casefold()) for new in setting}
    for occasion in dropping:
        if (occasion.kind, occasion.label.casefold()) in given:
            raise BadInput(f"--drop: {clean(occasion.title)} is also given a new date; choose one")
    return dropping
