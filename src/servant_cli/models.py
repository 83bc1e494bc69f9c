"""The things servant remembers, as immutable records returned by the store.

They are ``NamedTuple``s rather than dataclasses: defining one costs a fifth of a
dataclass at import, and every ``servant upcoming`` pays for the imports (see README,
Speed).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from servant_cli.text import fold


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
    #: Family: this person is the ``relation`` ("child", "spouse") of person ``related_id``.
    related_id: int | None = None
    relation: str | None = None
    related_name: str | None = None
    #: The id the person came with from an address book (vCard UID, LinkedIn URL).
    source_uid: str | None = None
    #: What people call them ("Bob" for Robert).
    nickname: str | None = None

    @property
    def family(self) -> str | None:
        """ "Alice Smith's child", for the rows where this person's dates show up."""
        if self.related_id is None or not self.relation or not self.related_name:
            return None
        return f"{self.related_name}'s {self.relation}"


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

    @property
    def label(self) -> str:
        return self.occasion.title


class KeyDate(NamedTuple):
    """A stored key date with its next occurrence (None for a one-off date that passed)."""

    occasion: Occasion
    next: date | None
    years: int | None
