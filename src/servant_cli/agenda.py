"""Pure: from stored occasions to what is coming up, and how to say it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from servant_cli.dates import next_occurrence, occurrences_between, ordinal, years_on
from servant_cli.models import KINDS, KeyDate, Occasion, Person, Upcoming, name_order

_KIND_ORDER = {kind: index for index, kind in enumerate(KINDS)}


def upcoming(
    rows: Iterable[tuple[Person, Occasion]],
    today: date,
    days: int,
    feb29: str = "feb28",
) -> list[Upcoming]:
    """Every occurrence from ``today`` to ``today + days``, by date, then name, then kind.

    A yearly occasion with a year is not marked before it first happened; a one-off
    occasion is marked on its own date only.
    """
    end = today + timedelta(days=days)
    found: list[Upcoming] = []
    for person, occasion in rows:
        if occasion.yearly:
            whens = occurrences_between(occasion.month, occasion.day, today, end, feb29, since=occasion.year)
        elif occasion.year is not None:
            once = date(occasion.year, occasion.month, occasion.day)
            whens = [once] if today <= once <= end else []
        else:
            whens = []
        for when in whens:
            years = years_on(occasion.year, when) if occasion.yearly else None
            found.append(Upcoming(when, (when - today).days, person, occasion, years))
    # Sorting is stable: order by the minor keys first, then by date.
    found.sort(key=lambda item: _sort_kind(item.occasion))
    found.sort(key=lambda item: (name_order(item.person.name), item.person.id))
    found.sort(key=lambda item: item.date)
    return found


def by_day_of_year(row: tuple[Person, Occasion]) -> tuple:
    """Sort key for occasions as a calendar lists them: by month and day, then name, then kind."""
    person, occasion = row
    return (occasion.month, occasion.day, name_order(person.name), person.id, _sort_kind(occasion), occasion.id)


def _sort_kind(occasion: Occasion) -> tuple[int, str]:
    return _KIND_ORDER.get(occasion.kind, len(KINDS)), occasion.label.casefold() if occasion.label else ""


def years_phrase(occasion: Occasion, years: int | None) -> str | None:
    """The years in words: "turns 41", "10th wedding anniversary", "client for 3 years"."""
    if years is None or years < 1:
        return None
    plural = "s" if years != 1 else ""
    if occasion.kind == "birthday":
        return f"turns {years}"
    if occasion.kind == "anniversary":
        return f"{ordinal(years)} wedding anniversary"
    if occasion.kind == "work-anniversary":
        return f"{years} year{plural} at work"
    if occasion.kind == "client-since":
        return f"client for {years} year{plural}"
    return f"{years} year{plural}"


def describe(occasion: Occasion, years: int | None) -> str:
    """What an occurrence is, in words: "Birthday — turns 41", "10th wedding anniversary"."""
    phrase = years_phrase(occasion, years)
    if phrase is None:
        return occasion.title
    if occasion.kind in ("birthday", "custom"):
        return f"{occasion.title} — {phrase}"
    return phrase[0].upper() + phrase[1:]


def as_dict(item: Upcoming) -> dict[str, object]:
    """One upcoming item as the JSON/CSV contract in DESIGN.md has it."""
    return {
        "date": item.date.isoformat(),
        "days_until": item.days_until,
        "person": item.person.name,
        "person_id": item.person.id,
        "kind": item.occasion.kind,
        "label": item.occasion.title,
        "years": item.years if item.years is not None and item.years >= 1 else None,
        "description": describe(item.occasion, item.years),
        "tags": list(item.person.tags),
    }


def key_dates(occasions: Iterable[Occasion], today: date, feb29: str = "feb28") -> list[KeyDate]:
    """Each of a person's key dates with its next occurrence, in kind order."""
    found = []
    for occasion in sorted(occasions, key=_sort_kind):
        if occasion.yearly:
            when = next_occurrence(occasion.month, occasion.day, today, feb29)
            if occasion.year is not None and when.year < occasion.year:
                when = next_occurrence(occasion.month, occasion.day, date(occasion.year, 1, 1), feb29)
            years = years_on(occasion.year, when)
        else:
            once = date(occasion.year, occasion.month, occasion.day) if occasion.year else None
            when = once if once and once >= today else None
            years = None
        found.append(KeyDate(occasion, when, years))
    return found
