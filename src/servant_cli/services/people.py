"""Changing people: the family link two people share, and ``servant edit``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from servant_cli.errors import BadInput
from servant_cli.models import Occasion, Person
from servant_cli.store import NewOccasion, Store
from servant_cli.text import clean


def relation_fields(store: Store, who: Person | None, relation: str, other: str) -> dict[str, Any]:
    """The fields that link ``who`` to the person named ``other`` ('' unlinks)."""
    if not other.strip():
        return {"related_id": None, "relation": None}
    found = store.find_person(other)
    if who is not None and found.id == who.id:
        raise BadInput(f"--{relation}-of: {clean(who.name)} cannot be their own {relation}")
    if who is not None and found.related_id == who.id and relation == "child" and found.relation == "child":
        raise BadInput(f"--child-of: {clean(found.name)} is {clean(who.name)}'s child already")
    return {"related_id": found.id, "relation": relation}


class Change(NamedTuple):
    """What ``servant edit`` was asked to change, every value checked already."""

    fields: dict[str, Any]
    occasions: Sequence[NewOccasion] = ()
    #: Kinds or custom labels of dates to remove, as typed.
    drop: Sequence[str] = ()
    add_tags: Sequence[str] = ()
    remove_tags: Sequence[str] = ()
    #: ("child" | "spouse", PERSON) for a new family link.
    relation: tuple[str, str] | None = None


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
    if change.relation is not None:
        fields.update(relation_fields(store, who, *change.relation))
    existing = store.occasions_of(who.id)
    dropping = _dropped(who, existing, change.drop, change.occasions)
    retagged = bool(change.add_tags or change.remove_tags)
    if not (fields or change.occasions or dropping or retagged):
        raise BadInput("nothing to change; see 'servant edit --help' for what can be changed")
    namesakes = [p for p in store.people_named(fields["name"])[0] if p.id != who.id] if "name" in fields else []
    # Tags are added and removed inside the store's transaction: two edits at once both count.
    after = store.update_person(
        who.id,
        occasions=change.occasions,
        drop=[o.id for o in dropping],
        add_tags=change.add_tags,
        remove_tags=change.remove_tags,
        **fields,
    )
    had = {tag.casefold() for tag in who.tags}
    missing = sorted({tag.casefold() for tag in change.remove_tags} - had)
    replaced = {(o.kind, o.label.casefold()): o for o in existing}
    return Edited(who, after, fields, change.occasions, replaced, dropping, retagged, namesakes, missing)


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
