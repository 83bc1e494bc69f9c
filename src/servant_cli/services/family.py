"""Family: links set by hand (``--child-of``, ``--spouse-of``), relations an address book
gives (linked when the name finds one person, else kept as text), and relations kept as
text that become links when their person is added or imported.

A relation names someone by the label the file gave: the named person is the holder's
spouse, child, mother, … (``models.relation_kind``). A name finds a person as a PERSON
argument does (``Store.find_person``: the exact name, a unique start of one, the words
of a name or nickname, case and accents aside), but never by ``#ID``; no one, or more
than one, and the relation is kept as text. A child has two parents at most: a third
is kept as text too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from servant_cli.errors import BadInput, ServantError
from servant_cli.models import FamilyNote, Person, relation_kind
from servant_cli.store import Store
from servant_cli.store.search import name_words
from servant_cli.text import clean, fold

#: The most parents a child is linked to.
MAX_PARENTS = 2


def person_named(store: Store, name: str) -> Person | None:
    """The one person ``name`` finds, as a PERSON argument does (not by ``#ID``), or None."""
    text = name.strip()
    if not text or text.startswith("#"):
        return None
    try:
        return store.find_person(text)
    except ServantError:
        return None


def _link(store: Store, holder: int, kind: str, other: int) -> bool | None:
    """Link ``other`` as ``holder``'s ``kind`` (spouse, child, parent): True when made,
    False when they were linked so already, None when it cannot be (a third parent, a
    child who is the parent's parent, someone their own relation)."""
    if holder == other:
        return None
    if kind == "spouse":
        return store.link_family(holder, "spouse", other)
    child, parent = (other, holder) if kind == "child" else (holder, other)
    parents = store.parents_of(child)
    if parent in parents:
        return False
    if len(parents) >= MAX_PARENTS or child in store.parents_of(parent):
        return None
    return store.link_family(child, "child", parent)


def add_relation(
    store: Store, holder: Person, label: str, name: str, *, uid: str | None = None, uids: Mapping[str, int] = {}
) -> FamilyNote | None:
    """One relation an address book gives ``holder``: a link when it finds one person
    (by ``uid`` among ``uids`` first), else kept as text; None when it was there already."""
    kind = relation_kind(label)
    if kind in ("spouse", "child", "parent"):
        other_id = uids.get(uid) if uid else None
        other = store.get_person(other_id) if other_id is not None else None
        if other is None and uid is None:
            other = person_named(store, name)
        if other is not None:
            made = _link(store, holder.id, kind, other.id)
            if made is not None:
                return FamilyNote(holder.id, holder.name, label, other.name, other.id) if made else None
    if store.keep_relation(holder.id, label, name):
        return FamilyNote(holder.id, holder.name, label, name)
    return None


def settle_relations(store: Store, newcomers: Sequence[Person]) -> list[FamilyNote]:
    """Relations kept as text that name one of ``newcomers`` (just added or imported),
    and find them, become links."""
    if not newcomers:
        return []
    names = [(fold(p.name), set(name_words(p.name)) | set(name_words(p.nickname or ""))) for p in newcomers]
    ids = {p.id for p in newcomers}
    #: A relation a vCard gave by the other card's UID (``urn:uuid:…``) is kept under it.
    by_uid = {p.source_uid: p for p in newcomers if p.source_uid}
    notes = []
    for text_id, holder_id, label, name in store.relations_waiting():
        other = by_uid.get(name)
        if other is None:
            words = set(name_words(name))
            if not any(full.startswith(fold(name)) or words & known for full, known in names):
                continue  # cannot name any of them: no lookup
            other = person_named(store, name)
        if other is None or other.id not in ids or other.id == holder_id:
            continue
        made = _link(store, holder_id, relation_kind(label), other.id)
        if made is None:
            continue
        store.forget_relation(text_id)
        holder = store.get_person(holder_id)
        if made and holder is not None:
            notes.append(FamilyNote(holder_id, holder.name, label, other.name, other.id))
    return notes


# -- set by hand ------------------------------------------------------------------------------


class FamilyChange(NamedTuple):
    """``--child-of`` (each value; '' unlinks the parents) and ``--spouse-of`` ('' unlinks)."""

    child_of: Sequence[str] = ()
    spouse_of: str | None = None

    def __bool__(self) -> bool:
        return bool(self.child_of) or self.spouse_of is not None


class FamilyPlan(NamedTuple):
    """A ``FamilyChange`` with every person found and every rule checked."""

    clear_parents: bool
    parents: tuple[Person, ...]
    clear_spouse: bool
    spouse: Person | None


def plan_family(store: Store, who: Person | None, change: FamilyChange) -> FamilyPlan:
    """Find the people ``change`` names and check it, before anything is written."""
    clear_parents = any(not value.strip() for value in change.child_of)
    parents: list[Person] = []
    for value in change.child_of:
        if value.strip():
            found = store.find_person(value)
            if who is not None and found.id == who.id:
                raise BadInput(f"--child-of: {clean(who.name)} cannot be their own child")
            if who is not None and who.id in store.parents_of(found.id):
                raise BadInput(f"--child-of: {clean(found.name)} is {clean(who.name)}'s child already")
            if found.id not in {p.id for p in parents}:
                parents.append(found)
    kept = [] if clear_parents or who is None else store.parents_of(who.id)
    total = len(set(kept) | {p.id for p in parents})
    if total > MAX_PARENTS:
        raise BadInput(
            f"--child-of: a child has {MAX_PARENTS} parents at most here"
            + (f"; {clean(who.name)} has {len(kept)} already (--child-of '' unlinks them)" if who and kept else "")
        )
    spouse = None
    if change.spouse_of and change.spouse_of.strip():
        spouse = store.find_person(change.spouse_of)
        if who is not None and spouse.id == who.id:
            raise BadInput(f"--spouse-of: {clean(who.name)} cannot be their own spouse")
        taken = [other for other in store.spouses_of(spouse.id) if who is None or other != who.id]
        if taken:
            partner = store.get_person(taken[0])
            shown = clean(partner.name) if partner else f"#{taken[0]}"
            raise BadInput(
                f"--spouse-of: {clean(spouse.name)} is {shown}'s spouse already;"
                f" unlink them first: servant edit '#{spouse.id}' --spouse-of ''"
            )
    return FamilyPlan(clear_parents, tuple(parents), change.spouse_of is not None, spouse)


def apply_family(store: Store, person_id: int, plan: FamilyPlan) -> None:
    """Write a checked plan (inside the caller's transaction): a spouse given replaces the
    spouse the person had; parents given are added to theirs."""
    if plan.clear_parents:
        store.unlink_family(person_id, "child")
    for parent in plan.parents:
        store.link_family(person_id, "child", parent.id)
    if plan.clear_spouse and (plan.spouse is None or plan.spouse.id not in store.spouses_of(person_id)):
        store.unlink_family(person_id, "spouse")
    if plan.spouse is not None:
        store.link_family(person_id, "spouse", plan.spouse.id)
