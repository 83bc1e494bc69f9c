"""``servant stats``: what was done and spent in a year, and for whom.

Costs are kept as typed ("$60", "60 €", "1,200.50", "EUR 45"); ``parse_cost`` reads the
amount and the currency out of one. Amounts are added up per currency only, never
across currencies (there is no rate to use); a cost that cannot be read is counted as
unpriced. The result is one dict, the shape ``stats --json`` prints, which
``render/stats.py`` draws.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from servant_cli.models import Gesture, Person, name_order
from servant_cli.money import money, parse_cost
from servant_cli.store import Store

#: How many people the most and least attention list.
PEOPLE_SHOWN = 5


class _Tally:
    """Gestures and spending of one group (a month, a kind, a person, the year)."""

    def __init__(self) -> None:
        self.gestures = 0
        self.spent: dict[str, Decimal] = {}
        self.unpriced = 0

    def add(self, cost: tuple[str, Decimal] | None, unpriced: bool) -> None:
        """Count a gesture with its cost read (``parse_cost``), or none that could be read."""
        self.gestures += 1
        if unpriced:
            self.unpriced += 1
        elif cost is not None:
            currency, amount = cost
            self.spent[currency] = self.spent.get(currency, Decimal(0)) + amount

    def as_dict(self) -> dict[str, Any]:
        # By currency, amounts without one last: amounts are never compared across currencies.
        spent = sorted(self.spent.items(), key=lambda item: (not item[0], item[0]))
        return {
            "gestures": self.gestures,
            "spent": [
                {"currency": currency, "amount": amount, "text": money(currency, amount)} for currency, amount in spent
            ],
            "unpriced": self.unpriced,
        }


def year_stats(store: Store, year: int) -> dict[str, Any]:
    """What was done and spent in ``year``, by month, by kind and by person (notes aside).

    ``least`` lists the people with the fewest gestures, none included, so that someone
    forgotten all year shows up; ``per_person`` lists those with a priced gesture.
    """
    gestures = store.gestures_between(date(year, 1, 1), date(year, 12, 31))
    people = store.people()
    return summarise(year, gestures, people)


def summarise(year: int, gestures: Iterable[Gesture], people: list[Person]) -> dict[str, Any]:
    """``year_stats`` from the gestures of the year and everyone."""
    total, months = _Tally(), [_Tally() for _ in range(12)]
    kinds: dict[str, _Tally] = {}
    by_person: dict[int, _Tally] = {}
    costs: dict[str, tuple[str, Decimal] | None] = {}  # each way of writing a cost read once
    for gesture in gestures:
        cost = None
        if gesture.cost:
            if gesture.cost not in costs:
                costs[gesture.cost] = parse_cost(gesture.cost)
            cost = costs[gesture.cost]
        unpriced = bool(gesture.cost) and cost is None
        for tally in (
            total,
            months[gesture.on.month - 1],
            kinds.setdefault(gesture.kind, _Tally()),
            by_person.setdefault(gesture.person_id, _Tally()),
        ):
            tally.add(cost, unpriced)
    counts = Counter({person.id: by_person[person.id].gestures if person.id in by_person else 0 for person in people})
    ordered = sorted(people, key=lambda person: (name_order(person.name), person.id))
    most = sorted((p for p in ordered if counts[p.id]), key=lambda p: -counts[p.id])[:PEOPLE_SHOWN]
    least = sorted(ordered, key=lambda p: counts[p.id])[:PEOPLE_SHOWN] if total.gestures else []
    return {
        "year": year,
        **total.as_dict(),
        "people": len(by_person),
        "months": [{"month": number, **tally.as_dict()} for number, tally in enumerate(months, 1)],
        "kinds": [
            {"kind": kind, **tally.as_dict()}
            for kind, tally in sorted(kinds.items(), key=lambda item: (-item[1].gestures, item[0]))
        ],
        "most": [_person(person, counts[person.id]) for person in most],
        "least": [_person(person, counts[person.id]) for person in least],
        "per_person": [
            {"person": person.name, "person_id": person.id, **by_person[person.id].as_dict()}
            for person in ordered
            if person.id in by_person and (by_person[person.id].spent or by_person[person.id].unpriced)
        ],
    }


def _person(person: Person, gestures: int) -> dict[str, Any]:
    return {"person": person.name, "person_id": person.id, "gestures": gestures}
