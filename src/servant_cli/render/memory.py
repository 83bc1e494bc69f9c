"""What servant remembers between the dates: a logged gesture, gift ideas, who is overdue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from servant_cli.agenda import Lapsed
from servant_cli.dates import format_day
from servant_cli.models import Gesture, Idea, Occasion, Person
from servant_cli.render.terminal import aligned, to_json
from servant_cli.text import clean, plural


def logged(gesture: Gesture, who: Person, occasion: Occasion | None, for_date: date | None, idea: Idea | None) -> str:
    """ "Logged card for Maria Okafor, Thu 3 Dec 2026: …", with what it was for and the idea it used."""
    said = f"Logged {gesture.kind} for {clean(who.name)}, {format_day(gesture.on)}"
    if gesture.what:
        said += f": {clean(gesture.what)}"
    if gesture.cost:
        said += f" ({gesture.cost})"
    if occasion is not None and for_date is not None:
        said += f"\n  For: {clean(occasion.title)}, {format_day(for_date)}"
    if idea is not None:
        said += f"\n  Gift idea #{idea.id} is given now."
    return said


def ideas_list(ideas: Sequence[Idea], names: Mapping[int, str], who: Person | None = None) -> str:
    """Gift ideas by person name, then in the order they were had; given ones say when."""
    if not ideas:
        whose = f" for {clean(who.name)}" if who else ""
        return f"No gift ideas{whose} yet; add one with: servant idea PERSON TEXT"
    rows = []
    for item in sorted(ideas, key=lambda i: (names.get(i.person_id, "").casefold(), i.id)):
        given = f" (given {format_day(item.used)})" if item.used else ""
        rows.append((f"#{item.id}", clean(names.get(item.person_id, "?")), clean(item.text) + given))
    return aligned(rows).rstrip("\n")


def overdue_list(found: Sequence[Lapsed]) -> str:
    """Whom to get in touch with, most overdue first, as aligned lines."""
    if not found:
        return "No one is overdue: everyone with a keep-in-touch time has heard from you in time."
    rows = []
    for item in found:
        since = f"last {format_day(item.last)}" if item.last else "no gesture yet"
        every = f"every {plural(item.person.every_days or 0, 'day')}"
        rows.append((clean(item.person.name), every, since, f"{plural(item.days_overdue, 'day')} overdue"))
    return aligned(rows).rstrip("\n")


def overdue_json(found: Sequence[Lapsed]) -> str:
    """``servant overdue --json``: one object per person."""
    items = [
        {
            "person": item.person.name,
            "person_id": item.person.id,
            "every_days": item.person.every_days,
            "last": item.last.isoformat() if item.last else None,
            "days_overdue": item.days_overdue,
        }
        for item in found
    ]
    return to_json(items).rstrip("\n")
