"""The things servant remembers, as immutable records returned by the store.

They are ``NamedTuple``s rather than dataclasses: defining one costs a fifth of a
dataclass at import, and every ``servant upcoming`` pays for the imports (see README,
Speed).
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import NamedTuple

#: Occasion kinds, in the order they are listed for a person.
KINDS = ("birthday", "anniversary", "work-anniversary", "client-since", "custom")

#: What a user can plan to do for an occasion, and how it is said.
PLAN_WORDS = {
    "call": "Call",
    "card": "Post a card",
    "gift": "Give a gift",
    "flowers": "Send flowers",
    "message": "Send a message",
}

KIND_LABELS = {
    "birthday": "Birthday",
    "anniversary": "Wedding anniversary",
    "work-anniversary": "Work anniversary",
    "client-since": "Client since",
}


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


class Upcoming(NamedTuple):
    """One occurrence of an occasion on a given date."""

    date: date
    days_until: int
    person: Person
    occasion: Occasion
    years: int | None = None

    @property
    def label(self) -> str:
        return self.occasion.title


class KeyDate(NamedTuple):
    """A stored key date with its next occurrence (None for a one-off date that passed)."""

    occasion: Occasion
    next: date | None
    years: int | None
