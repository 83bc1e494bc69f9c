"""What servant remembers between the dates: a logged gesture, gift ideas, who is overdue."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from servant_cli.agenda import BY_THEMSELVES, Lapsed, Near
from servant_cli.dates import format_day
from servant_cli.models import Gesture, Idea, Occasion, Person, Season, name_order
from servant_cli.render.terminal import show_table, to_json, write
from servant_cli.text import clean, plural


def logged(
    gesture: Gesture,
    who: Person,
    occasion: Occasion | None,
    for_date: date | None,
    idea: Idea | None,
    near: Sequence[Near] = (),
    for_none: bool = False,
    season: Season | None = None,
) -> str:
    """ "Logged card #3 for Maria Okafor, Tue 1 Dec 2026: …", then what it counts as done for
    (every gesture but a note says it: a date of theirs, or a season), and the idea it gave."""
    said = f"Logged {gesture_phrase(gesture, who)}"
    if season is not None and for_date is not None:
        said += f"\n  It ticks {clean(who.name)} off {clean(season.name)!r} ({format_day(for_date)})."
    else:
        said += "\n  " + counts_line(gesture, who, occasion, for_date, near, for_none)
    if idea is not None:
        said += f"\n  Gift idea #{idea.id} is given now."
    return said


def gesture_phrase(gesture: Gesture, who: Person) -> str:
    """ "card #3 for Maria Okafor, Tue 1 Dec 2026: tulips ($25)"."""
    said = f"{clean(gesture.kind)} #{gesture.id} for {clean(who.name)}, {format_day(gesture.on)}"
    if gesture.what:
        said += f": {clean(gesture.what)}"
    if gesture.cost:
        said += f" ({clean(gesture.cost)})"
    return said


def cheaper_line(gesture: Gesture, dearer: Gesture, who: Person, occasion: Occasion) -> str:
    """ "last year's flowers for Maria Okafor's Birthday cost $45; this one costs $30."
    (``dearer`` counted for an earlier occurrence of ``occasion`` than ``gesture``)."""
    year = dearer.for_date.year if dearer.for_date else dearer.on.year
    this_year = gesture.for_date.year if gesture.for_date else gesture.on.year
    whose = "last year's" if year == this_year - 1 else f"the {year}"
    return (
        f"{whose} {clean(dearer.kind)} for {clean(who.name)}'s {clean(occasion.title)} cost"
        f" {clean(dearer.cost or '')}; this one costs {clean(gesture.cost or '')}."
    )


def forgot_gesture(
    gesture: Gesture,
    who: Person,
    occasion: Occasion | None,
    ideas: Sequence[Idea],
    season: tuple[str, date] | None = None,
) -> str:
    """What forgetting a gesture undid: the date (or season) it counted for, the ideas it gave."""
    said = f"Forgot {gesture_phrase(gesture, who)}"
    if season is not None:
        said += f"\n  {clean(who.name)} is not ticked off {clean(season[0])!r} ({format_day(season[1])}) any more"
    elif occasion is not None and gesture.for_date is not None:
        undone = _occurrence(occasion, gesture.for_date, gesture.on)
        said += f"\n  It no longer counts as done for {clean(who.name)}'s {undone}"
    for idea in ideas:
        said += f"\n  Gift idea #{idea.id} is not given any more: {clean(idea.text)}"
    return said


def idea_phrase(idea: Idea, who: Person) -> str:
    """ "gift idea #2 for Emma Smith: a puzzle (given Sun 29 Nov 2026)"."""
    given = f" (given {format_day(idea.used)})" if idea.used else ""
    return f"gift idea #{idea.id} for {clean(who.name)}: {clean(idea.text)}{given}"


def gesture_dict(
    gesture: Gesture, titles: Mapping[int, str], seasons: Mapping[int, tuple[str, date]] = {}
) -> dict[str, object]:
    """A gesture as ``show --json`` and ``gestures --json`` give it; ``for`` is the title of
    the date it counts as done for (or the name of the season it ticked someone off,
    ``seasons``: by gesture id, with that season's day)."""
    if gesture.id in seasons:
        season, day = seasons[gesture.id]
        gesture = gesture._replace(for_date=day)
    return {
        "id": gesture.id,
        "date": gesture.on.isoformat(),
        "kind": gesture.kind,
        "what": gesture.what,
        "cost": gesture.cost,
        "for": season if gesture.id in seasons else titles.get(gesture.occasion_id) if gesture.occasion_id else None,
        "for_date": gesture.for_date.isoformat() if gesture.for_date else None,
    }


def gesture_rows(
    gestures: Sequence[Gesture],
    names: Mapping[int, str],
    titles: Mapping[int, str],
    seasons: Mapping[int, tuple[str, date]] = {},
) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for g in gestures:
        what = clean(g.what) + (f" ({clean(g.cost)})" if g.cost else "")
        counts = ""
        if g.id in seasons:
            counts = f"for {clean(seasons[g.id][0])}, {format_day(seasons[g.id][1])}"
        elif g.occasion_id is not None and g.occasion_id in titles and g.for_date is not None:
            counts = f"for {clean(titles[g.occasion_id])}, {format_day(g.for_date)}"
        rows.append(
            (f"#{g.id}", format_day(g.on), clean(names.get(g.person_id, "?")), clean(g.kind), what.strip(), counts)
        )
    return rows


def show_gestures(
    gestures: Sequence[Gesture],
    names: Mapping[int, str],
    titles: Mapping[int, str],
    who: Person | None = None,
    seasons: Mapping[int, tuple[str, date]] = {},
) -> None:
    """``servant gestures``: newest first, each with its id and the date it counts as done for."""
    if not gestures:
        whose = f" for {clean(who.name)}" if who else ""
        write(f"No gestures{whose} yet; log one with: servant log PERSON KIND [WHAT]")
        return
    headings = ("ID", "Date", "Who", "Kind", "What", "Counts as done")
    show_table(gesture_rows(gestures, names, titles, seasons), headings, "Gestures, newest first")


def gestures_json(
    gestures: Sequence[Gesture],
    names: Mapping[int, str],
    titles: Mapping[int, str],
    seasons: Mapping[int, tuple[str, date]] = {},
) -> str:
    """``servant gestures --json``: one object per gesture, newest first."""
    items = [
        {**gesture_dict(g, titles, seasons), "person": names.get(g.person_id), "person_id": g.person_id}
        for g in gestures
    ]
    return to_json(items).rstrip("\n")


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
    if for_none:
        return "Counts as done for no date (--for none)"
    if gesture.kind == "note":
        return "Counts as done for no date (a note never does)"
    if not near:
        return "Counts as done for no date: none of their dates is within its reminder time"
    fitting = [item for item in near if item.fits]
    if len(fitting) > 1:
        both = " and ".join(_occurrence(item.occasion, item.date, gesture.on) for item in fitting)
        return f"Counts as done for no date: {both} {'both' if len(fitting) == 2 else 'all'} fit; --for says which"
    if gesture.kind in BY_THEMSELVES:
        planned = "; ".join(
            f"{_occurrence(item.occasion, item.date, gesture.on)} is planned as {_a(item.occasion.plan or '')}"
            for item in near
        )
        return f"Counts as done for no date: {planned} (--for counts it anyway)"
    dates = " or ".join(_occurrence(item.occasion, item.date, gesture.on) for item in near)
    return f"Counts as done for no date: {_counts(gesture.kind)} for {dates} only with --for"


def _a(kind: str) -> str:
    """ "a card", "flowers", "a message"."""
    return kind if kind == "flowers" else f"a {kind}"


def _occurrence(occasion: Occasion, when: date, on: date) -> str:
    """ "Birthday, Thu 3 Dec": the year only when it is not the gesture's."""
    day = format_day(when)
    return f"{clean(occasion.title)}, {day.rsplit(' ', 1)[0] if when.year == on.year else day}"


def _counts(kind: str) -> str:
    """ "a call counts", "flowers count"."""
    return f"{_a(kind)} {'count' if kind == 'flowers' else 'counts'}"


def show_ideas(ideas: Sequence[Idea], names: Mapping[int, str], who: Person | None = None) -> None:
    """Gift ideas by person name, then in the order they were had; given ones say when."""
    if not ideas:
        whose = f" for {clean(who.name)}" if who else ""
        write(f"No gift ideas{whose} yet; add one with: servant idea PERSON TEXT")
        return
    rows = []
    for item in sorted(ideas, key=lambda i: (name_order(names.get(i.person_id, "")), i.id)):
        given = f" (given {format_day(item.used)})" if item.used else ""
        rows.append((f"#{item.id}", clean(names.get(item.person_id, "?")), clean(item.text) + given))
    show_table(rows, ("ID", "Who", "Idea"), "Gift ideas")


def show_overdue(found: Sequence[Lapsed]) -> None:
    """Whom to get in touch with, most overdue first."""
    if not found:
        write("No one is overdue: everyone with a keep-in-touch time has heard from you in time.")
        return
    rows = []
    for item in found:
        since = f"last {format_day(item.last)}" if item.last else "no gesture yet"
        every = f"every {plural(item.person.every_days or 0, 'day')}"
        rows.append((clean(item.person.name), every, since, f"{plural(item.days_overdue, 'day')} overdue"))
    show_table(rows, ("Who", "Keep in touch", "Last gesture", "Overdue"), "Keep in touch, most overdue first")


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
