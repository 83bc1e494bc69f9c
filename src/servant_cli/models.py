"""The things servant remembers, as immutable records returned by the store.

They are ``NamedTuple``s rather than dataclasses: defining one costs a fifth of a
dataclass at import, and every ``servant upcoming`` pays for the imports (see README,
Speed).
"""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from servant_cli.text import fold, json_text


class Kind(StrEnum):
    """The kinds of key date, in the order they are listed for a person."""

    birthday = "birthday"
    anniversary = "anniversary"
    work_anniversary = "work-anniversary"
    client_since = "client-since"
    custom = "custom"


KINDS = tuple(kind.value for kind in Kind)


class Plan(StrEnum):
    """What a user can plan to do for an occasion."""

    call = "call"
    card = "card"
    gift = "gift"
    flowers = "flowers"
    message = "message"


class GestureKind(StrEnum):
    """What a user can log having done for someone: a gesture that can be planned, a
    visit, or a note (a note is a memory, not a contact)."""

    call = "call"
    card = "card"
    gift = "gift"
    flowers = "flowers"
    message = "message"
    visit = "visit"
    note = "note"


class PlanWords(NamedTuple):
    """How a planned gesture is said."""

    #: On its own: a calendar event's note ("Post a card.").
    alone: str
    #: Before the person's name: the digest's Act now ("Post a card to Maria Okafor").
    to_whom: str


#: How each plan is said.
PLANS: dict[str, PlanWords] = {
    Plan.call: PlanWords("Call", "Call"),
    Plan.card: PlanWords("Post a card", "Post a card to"),
    Plan.gift: PlanWords("Give a gift", "Get a gift for"),
    Plan.flowers: PlanWords("Send flowers", "Order flowers for"),
    Plan.message: PlanWords("Send a message", "Send a message to"),
}

KIND_LABELS = {
    "birthday": "Birthday",
    "anniversary": "Wedding anniversary",
    "work-anniversary": "Work anniversary",
    "client-since": "Client since",
}


def name_key(name: str) -> str:
    """The form a name is looked up by: any case, any alphabet, composed accents."""
    return unicodedata.normalize("NFC", name).casefold()


def merge_tags(stored: Sequence[str], more: Iterable[str]) -> tuple[str, ...]:
    """``stored`` tags, then each of ``more`` that is not there already (case and accents
    aside, as ``text.fold`` compares: "istanbul" is there when "İstanbul" is)."""
    tags = list(stored)
    seen = {fold(tag) for tag in tags}
    for tag in more:
        if fold(tag) not in seen:
            tags.append(tag)
            seen.add(fold(tag))
    return tuple(tags)


#: ``tuple.__new__``: a NamedTuple made from all its values, in order, without the
#: ``__new__`` each NamedTuple class has, a Python function that fills in the defaults
#: and then calls this (it costs more than the rest of making some records). For records
#: made by the ten thousand. Give every field, in order: nothing checks their number.
new_record = tuple.__new__


@contextmanager
def many_records() -> Iterator[None]:
    """Python's cycle collector paused while many records are made at once. Records are
    tuples of text and numbers, which make no cycles; but a full collection walks every
    object made so far, and one comes each time they grow by a quarter: at 100,000
    people, a third of what ``servant list`` took."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def name_order(name: str) -> tuple[str, str]:
    """How names sort: case and accents aside, so "Åsa" comes between "adam" and "Bob"."""
    folded = name.casefold()
    if name.isascii():
        return folded, folded
    plain = "".join(char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char))
    return plain, folded


class Person(NamedTuple):
    id: int
    name: str
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    every_days: int | None = None
    created: str | None = None
    #: When the person's own fields last changed, and how many times they have.
    updated: str | None = None
    sequence: int = 0
    #: Job title, and the day of a LinkedIn connection (ISO), as imported.
    position: str | None = None
    connected_on: str | None = None
    #: The id the person came with from an address book (vCard UID, LinkedIn URL).
    source_uid: str | None = None
    #: What people call them ("Bob" for Robert).
    nickname: str | None = None

    #: Whose child and spouse they are, as JSON pairs [["parent", NAME], ["spouse", NAME]]
    #: (links and relations kept as text alike), for ``family``; None when none.
    kin: str | None = None
    #: The structured name an import brought (vCard N, Google's First/Middle/Last Name …),
    #: as ``NameParts.text`` gives it: the parts and the name they came with.
    name_parts: str | None = None

    @property
    def family(self) -> str | None:
        """ "Alice and Bob Smith's child", for the rows where this person's dates show up."""
        if not self.kin:
            return None
        import json

        pairs = json.loads(self.kin)
        return family_phrase(
            [name for side, name in pairs if side == "parent"], [name for side, name in pairs if side == "spouse"]
        )

    @property
    def parts(self) -> NameParts | None:
        """The structured name an import brought, while the name is still the one it came
        with; None otherwise (a name typed into servant, or changed since)."""
        return NameParts.of(self.name_parts, self.name)


class NameParts(NamedTuple):
    """A name's parts as vCard's N has them (RFC 6350 6.2.2); a part with several
    values (two given names the address book kept apart) holds them joined by ","."""

    family: str = ""
    given: str = ""
    additional: str = ""
    prefix: str = ""
    suffix: str = ""

    def text(self, name: str) -> str:
        """As stored: the five parts and the name they came with, as JSON."""
        return json_text([*self, name])

    @classmethod
    def of(cls, text: str | None, name: str) -> NameParts | None:
        """The parts stored in ``text`` when they came with ``name``; else None."""
        if not text:
            return None
        import json

        *parts, spelt = json.loads(text)
        return cls(*parts) if spelt == name else None


def family_phrase(parents: Sequence[str], spouses: Sequence[str]) -> str | None:
    """ "Alice and Bob Smith's child; Carol Jones's spouse": whose child, then whose spouse."""
    parts = []
    if parents:
        parts.append(f"{_joined(parents)}'s child")
    if spouses:
        parts.append(f"{_joined(spouses)}'s spouse")
    return "; ".join(parts) or None


def _joined(names: Sequence[str]) -> str:
    """ "Alice and Bob Smith" when two names share their last word, else "Alice Smith and Bob Jones"."""
    if len(names) == 1:
        return names[0]
    first, _, family = names[0].rpartition(" ")
    if len(names) == 2 and first and names[1].endswith(" " + family) and " " in names[1]:
        return f"{first} and {names[1]}"
    return f"{', '.join(names[:-1])} and {names[-1]}"


#: What a relation's label says the named person is, where servant links people: a
#: spouse (both ways), a child of this person, or a parent of this person. Any other
#: label (sibling, friend, assistant …) is kept as text.
RELATION_WORDS = {
    **dict.fromkeys(("spouse", "wife", "husband", "partner", "domestic partner"), "spouse"),
    **dict.fromkeys(("child", "son", "daughter"), "child"),
    **dict.fromkeys(("parent", "mother", "father", "mom", "mum", "dad"), "parent"),
}
#: The kinds of family link: this person is the ``child`` or the ``spouse`` of another.
LINKS = ("child", "spouse")


def relation_kind(label: str) -> str:
    """What a label links as ("spouse", "child", "parent"), else the label folded."""
    folded = " ".join(label.casefold().split())
    return RELATION_WORDS.get(folded, folded)


class Kin(NamedTuple):
    """Someone in a person's family, from that person's side.

    ``relation`` is what the other is to them: "parent", "child" or "spouse" for a link
    between two people in servant (``person_id`` set); for a relation kept as text
    (``person_id`` None: no one in servant is that person yet), the label as the address
    book gave it ("spouse", "mother", "brother").
    """

    relation: str
    name: str
    person_id: int | None = None
    #: The other's address book id (a link), for a vCard RELATED value.
    source_uid: str | None = None


class FamilyNote(NamedTuple):
    """A relation an import or ``servant add`` linked, or kept as text: ``other`` is
    ``person``'s ``label`` (as given: "spouse", "mother")."""

    person_id: int
    person: str
    label: str
    other: str
    #: The person linked; None: kept as text (no one in servant is ``other`` yet).
    other_id: int | None = None


class Occasion(NamedTuple):
    id: int
    person_id: int
    kind: str
    month: int
    day: int
    year: int | None = None
    label: str = ""
    yearly: bool = True
    lead_days: int | None = None
    plan: str | None = None
    updated: str | None = None
    sequence: int = 0
    #: A yearly rule's stored form (``dates.Rule.text``: ``2SU/5``, ``easter+49``) for a
    #: custom date that is one; month and day then hold the earliest day it can fall on.
    rule: str | None = None

    @property
    def title(self) -> str:
        """What the occasion is called: "Birthday", or a custom date's own label."""
        return KIND_LABELS.get(self.kind) or self.label or "Custom date"


class Gesture(NamedTuple):
    """Something done for a person: a call, a card, a gift, … or a note to remember."""

    id: int
    person_id: int
    on: date
    kind: str
    what: str | None = None
    cost: str | None = None
    #: The occasion it was for, and the day of that occurrence (``log --for``).
    occasion_id: int | None = None
    for_date: date | None = None

    def __str__(self) -> str:
        """ "gift — purple bathrobe, May 2024" """
        from servant_cli.dates import MONTH_NAMES

        what = f" — {self.what}" if self.what else ""
        return f"{self.kind}{what}, {MONTH_NAMES[self.on.month][:3]} {self.on.year}"


class Idea(NamedTuple):
    """A gift idea for a person; ``used`` is the day it was given."""

    id: int
    person_id: int
    text: str
    created: str
    used: date | None = None


class Past(NamedTuple):
    """What was done for an occasion in one earlier year: the gestures counted for its
    occurrence that year, oldest first."""

    year: int
    gestures: tuple[Gesture, ...]


class Upcoming(NamedTuple):
    """One occurrence of an occasion on a given date."""

    date: date
    days_until: int
    person: Person
    occasion: Occasion
    years: int | None = None
    #: The gesture that took care of this occurrence, and the person's latest one.
    handled: Gesture | None = None
    last: Gesture | None = None
    #: What was done for the same occasion in earlier years, newest year first (filled
    #: only where it is shown: ``upcoming --json``, the digest's Act now).
    history: tuple[Past, ...] = ()

    @property
    def label(self) -> str:
        return self.occasion.title


class KeyDate(NamedTuple):
    """A stored key date with its next occurrence (None for a one-off date that passed)."""

    occasion: Occasion
    next: date | None
    years: int | None


class Season(NamedTuple):
    """One occasion for a whole group: everyone with one of ``tags`` (everyone when none),
    on a yearly day (``month``/``day``, or a yearly ``rule`` when there is one)."""

    id: int
    name: str
    month: int
    day: int
    tags: tuple[str, ...] = ()
    plan: str | None = None
    lead_days: int | None = None
    rule: str | None = None
    updated: str | None = None
    sequence: int = 0
    created: str | None = None


class Checklist(NamedTuple):
    """One occurrence of a season: who is done (and by which gesture), who is left."""

    season: Season
    #: The day of the occurrence, and how many days from today it is (negative: past).
    day: date
    days_until: int
    #: Everyone the season is for now, by name; those ticked off, with their gesture.
    people: tuple[Person, ...]
    done: Mapping[int, Gesture]

    @property
    def left(self) -> tuple[Person, ...]:
        """The people not ticked off yet, by name."""
        return tuple(person for person in self.people if person.id not in self.done)
