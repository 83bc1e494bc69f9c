"""The things servant remembers, as plain dataclasses returned by the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: Occasion kinds, in the order they are listed for a person.
KINDS = ("birthday", "anniversary", "work-anniversary", "client-since", "custom")

#: What a user can plan to do for an occasion.
PLANS = ("call", "card", "gift", "flowers", "message")

KIND_LABELS = {
    "birthday": "Birthday",
    "anniversary": "Wedding anniversary",
    "work-anniversary": "Work anniversary",
    "client-since": "Client since",
}


@dataclass(slots=True)
class Person:
    id: int
    name: str
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    tags: tuple[str, ...] = ()
    notes: str | None = None
    every_days: int | None = None
    created: str | None = None


@dataclass(slots=True)
class Occasion:
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


@dataclass(slots=True)
class Upcoming:
    """One occurrence of an occasion on a given date."""

    date: date
    days_until: int
    person: Person
    occasion: Occasion
    years: int | None = field(default=None)

    @property
    def label(self) -> str:
        return self.occasion.title


@dataclass(slots=True)
class KeyDate:
    """A stored key date with its next occurrence (None for a one-off date that passed)."""

    occasion: Occasion
    next: date | None
    years: int | None
