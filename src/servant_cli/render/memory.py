"""What servant remembers between the dates: a logged gesture, gift ideas, who is overdue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from servant_cli.agenda import Lapsed, Near
from servant_cli.dates import format_day
from servant_cli.models import Gesture, Idea, Occasion, Person
from servant_cli.render.terminal import aligned, to_json
from servant_cli.text import clean, plural


def logged(
    gesture: Gesture,
    who: Person,
    occasion: Occasion | None,
    for_date: date | None,
    idea: Idea | None,
    near: Sequence[Near] = (),
    for_none: bool = False,
) -> str:
    """ "Logged card #3 for Maria Okafor, Tue 1 Dec 2026: …", then what it counts as done for
    (every gesture but a note says it), and the idea it gave."""
    said = f"Logged {gesture.kind} #{gesture.id} for {clean(who.name)}, {format_day(gesture.on)}"
    if gesture.what:
        said += f": {clean(gesture.what)}"
    if gesture.cost:
        said += f" ({clean(gesture.cost)})"
    if gesture.kind != "note":
        said += "\n  " + counts_line(gesture, who, occasion, for_date, near, for_none)
    if idea is not None:
        said += f"\n  Gift idea #{idea.id} is given now."
    return said


def counts_line(
    gesture: Gesture,
    who: Person,
    occasion: Occasion | None,
    for_date: date | None,
    near: Sequence[Near],
    for_none: bool,
) -> str:
    """What a logged gesture counts as done for, and, when it counts for nothing while a
    date is near, why: "Counts as done for no date: a call counts for Birthday, Thu 3 Dec
    only with --for"."""
    if occasion is not None and for_date is not None:
        return f"Counts as done for {clean(who.name)}'s {_occurrence(occasion, for_date, gesture.on)}"
    if for_none or not near:
        return "Counts as done for no date" + (" (--for none)" if for_none else "")
    fitting = [item for item in near if item.fits]
    if len(fitting) > 1:
        both = " and ".join(_occurrence(item.occasion, item.date, gesture.on) for item in fitting)
        return f"Counts as done for no date: {both} {'both' if len(fitting) == 2 else 'all'} fit; --for says which"
    dates = " or ".join(_occurrence(item.occasion, item.date, gesture.on) for item in near)
    return f"Counts as done for no date: {_a(gesture.kind)} counts for {dates} only with --for"


def _occurrence(occasion: Occasion, when: date, on: date) -> str:
    """ "Birthday, Thu 3 Dec": the year only when it is not the gesture's."""
    day = format_day(when)
    return f"{clean(occasion.title)}, {day.rsplit(' ', 1)[0] if when.year == on.year else day}"


def _a(kind: str) -> str:
    """ "a call", "flowers"."""
    return kind if kind == "flowers" else f"a {kind}"


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
