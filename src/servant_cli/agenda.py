"""Pure: from stored occasions to what is coming up, and how to say it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import NamedTuple, Protocol

from servant_cli.dates import next_occurrence, occurrence_in, occurrences_between, ordinal, stored_rule, years_on
from servant_cli.models import KINDS, Gesture, KeyDate, Occasion, Past, Person, Upcoming, name_order
from servant_cli.text import plural

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
    return occurring(rows, today, today + timedelta(days=days), today, feb29)


def occurring(
    rows: Iterable[tuple[Person, Occasion]], start: date, end: date, today: date, feb29: str = "feb28"
) -> list[Upcoming]:
    """Every occurrence from ``start`` to ``end``, by date, then name, then kind (then the
    date's id), its days counted from ``today``: a part of ``upcoming``'s list, the same
    items in the same order."""
    found: list[Upcoming] = []
    keys: list[tuple] = []
    # Each person's place by name and each kind's, worked out once, not once an item.
    names: dict[int, tuple[str, str, int]] = {}
    kinds: dict[tuple[str, str], tuple[int, str]] = {}
    # In a span within one year, a yearly date (not Feb 29) falls on its month-day of
    # that year, if at all: one date object a month-day.
    one_year = start.year == end.year
    days: dict[tuple[int, int], date | None] = {}
    new = tuple.__new__
    whens: Sequence[date]
    for person, occasion in rows:
        month, day = occasion.month, occasion.day
        if occasion.yearly and one_year and not occasion.rule and (month != 2 or day != 29):
            when = days.get((month, day), start)
            if when is start:
                when = days[(month, day)] = date(start.year, month, day)
                if not start <= when <= end:
                    when = days[(month, day)] = None
            whens = () if when is None or (occasion.year or 0) > start.year else (when,)
        else:
            whens = occurrence_days(occasion, start, end, feb29)
        if not whens:
            continue
        name = names.get(person.id)
        if name is None:
            name = names[person.id] = (*name_order(person.name), person.id)
        kind = kinds.get((occasion.kind, occasion.label))
        if kind is None:
            kind = kinds[(occasion.kind, occasion.label)] = _sort_kind(occasion)
        for when in whens:
            years = when.year - occasion.year if occasion.yearly and occasion.year is not None else None
            found.append(new(Upcoming, (when, (when - today).days, person, occasion, years, None, None, ())))
            keys.append((when, *name, *kind, occasion.id))
    # By date, then name (then the person's id), then kind, then the date's id: two dates
    # of one person whose labels differ only in the case of a letter SQLite does not fold
    # ("fête", "FÊTE") come in the same order whatever order the rows came in. One flat
    # tuple a key: compared without a tuple inside it (1 ms of 13,000 items).
    order = sorted(range(len(found)), key=keys.__getitem__)
    return [found[i] for i in order]


class Dated(Protocol):
    """What places a key date on its days: an ``Occasion``, or a group of them alike."""

    @property
    def month(self) -> int: ...
    @property
    def day(self) -> int: ...
    @property
    def year(self) -> int | None: ...
    @property
    def yearly(self) -> bool: ...
    @property
    def rule(self) -> str | None: ...


def occurrence_days(dated: Dated, start: date, end: date, feb29: str = "feb28") -> Sequence[date]:
    """The days from ``start`` to ``end`` a key date falls on: a rule's days, a yearly
    date's (not before its year), a one-off date's own day."""
    if dated.rule:
        return stored_rule(dated.rule).between(start, end)
    if dated.yearly:
        return occurrences_between(dated.month, dated.day, start, end, feb29, since=dated.year)
    if dated.year is not None:
        once = date(dated.year, dated.month, dated.day)
        return (once,) if start <= once <= end else ()
    return ()


def falls_on(day: date, dated: Dated, feb29: str = "feb28") -> bool:
    """Whether a key date falls on ``day``: ``occurrence_days`` for one day, with
    ``occurring``'s shortcut for a plain yearly date (its month-day, from its year on)."""
    if dated.yearly and not dated.rule and (dated.month, dated.day) != (2, 29):
        return (dated.month, dated.day) == (day.month, day.day) and (dated.year or 0) <= day.year
    return day in occurrence_days(dated, day, day, feb29)


def with_gestures(items: Iterable[Upcoming], gestures: dict[int, list[Gesture]], today: date) -> list[Upcoming]:
    """Mark each occurrence that a gesture was counted for, and give each its person's last one.

    ``gestures`` holds each person's gestures, newest first. Whether a gesture counts for
    an occurrence was decided when it was logged (``counted_for``) and recorded on it:
    the link is trusted here, nothing is guessed from its kind or its day.
    """
    if not gestures:  # no one of these has a gesture: nothing to mark
        return list(items)
    marked = []
    for item in items:
        done = [g for g in gestures.get(item.person.id, ()) if g.on <= today]
        if not done:  # most people: nothing to mark, and _replace costs a microsecond a row
            marked.append(item)
            continue
        handled = next((g for g in done if g.occasion_id == item.occasion.id and g.for_date == item.date), None)
        marked.append(item._replace(handled=handled, last=done[0]))
    return marked


#: The gestures that can count for a date without ``--for``: those made for an occasion.
#: A call, a message or a visit is as often about something else (an invoice, a
#: meeting), even in the week of a birthday planned as a call, so it counts only when
#: the user says what it was for; a note never counts.
BY_THEMSELVES = ("card", "gift", "flowers")


class Near(NamedTuple):
    """An occurrence whose lead window a gesture's day falls in."""

    occasion: Occasion
    date: date
    #: The gesture counts for it without ``--for``: a card, a gift or flowers, and the one
    #: planned for it when it has a plan.
    fits: bool


def near_dates(
    occasions: Iterable[Occasion], kind: str, on: date, default_lead: int, feb29: str = "feb28"
) -> list[Near]:
    """The occurrences whose lead window ``on`` falls in: from ``lead`` days before the
    day (at most 364, so last year's gift never counts for this year's day) to the day."""
    found = []
    for occasion in occasions:
        lead = min(default_lead if occasion.lead_days is None else occasion.lead_days, 364)
        end = on + timedelta(days=lead)
        if occasion.rule:
            whens = stored_rule(occasion.rule).between(on, end)
        elif occasion.yearly:
            whens = occurrences_between(occasion.month, occasion.day, on, end, feb29, since=occasion.year)
        elif occasion.year is not None:
            once = date(occasion.year, occasion.month, occasion.day)
            whens = [once] if on <= once <= end else []
        else:
            whens = []
        if whens:
            fits = kind in BY_THEMSELVES and occasion.plan in (None, kind)
            found.append(Near(occasion, whens[0], fits))
    found.sort(key=lambda near: (near.date, _sort_kind(near.occasion)))
    return found


def counted_for(near: Sequence[Near]) -> Near | None:
    """The occurrence a gesture logged without ``--for`` counts for: the one near date it
    fits, when there is exactly one. Two that fit (a card in the week of a birthday and of
    a client anniversary) is a question only the user can answer."""
    fitting = [item for item in near if item.fits]
    return fitting[0] if len(fitting) == 1 else None


def judged(
    gestures: Iterable[Gesture],
    occasions: Mapping[int, Sequence[Occasion]],
    decided_from: int | None,
    default_lead: int,
    feb29: str = "feb28",
) -> list[Gesture]:
    """Gestures with the link they count by.

    A gesture logged by this version carries the link decided when it was logged (none,
    when it counted for nothing). One logged by an earlier version (an id below
    ``decided_from``, or every one when nothing was logged since) without ``--for`` was
    never decided: it is judged here by the rule ``log`` applies now (``counted_for``).
    """
    return list(judging(gestures, occasions, decided_from, default_lead, feb29))


def judging(
    gestures: Iterable[Gesture],
    occasions: Mapping[int, Sequence[Occasion]],
    decided_from: int | None,
    default_lead: int,
    feb29: str = "feb28",
) -> Iterator[Gesture]:
    """``judged``, one gesture at a time as they come."""
    for gesture in gestures:
        if _undecided(gesture, decided_from):
            dates = occasions.get(gesture.person_id, ())
            chosen = counted_for(near_dates(dates, gesture.kind, gesture.on, default_lead, feb29))
            if chosen is not None:
                gesture = gesture._replace(occasion_id=chosen.occasion.id, for_date=chosen.date)
        yield gesture


def _undecided(gesture: Gesture, decided_from: int | None) -> bool:
    return (
        gesture.occasion_id is None
        and gesture.for_date is None
        and gesture.kind != "note"
        and (decided_from is None or gesture.id < decided_from)
    )


def undecided_people(gestures: Iterable[Gesture], decided_from: int | None) -> set[int]:
    """The people some of whose ``gestures`` an earlier version logged without deciding."""
    return {gesture.person_id for gesture in gestures if _undecided(gesture, decided_from)}


def handled_occurrence(occasion: Occasion, on: date, feb29: str = "feb28") -> date:
    """The occurrence a gesture on ``on`` for ``occasion`` is for: the nearer of the last
    one and the next one (a belated card counts for the birthday it missed, never for
    next year's; an early one for the coming day)."""
    if occasion.rule:
        rule = stored_rule(occasion.rule)
        coming = rule.next_from(on)
        last = rule.occurrence(on.year) if rule.occurrence(on.year) < on else rule.occurrence(on.year - 1)
        return last if coming != on and (on - last) < (coming - on) else coming
    if not occasion.yearly and occasion.year is not None:
        return date(occasion.year, occasion.month, occasion.day)
    coming = next_occurrence(occasion.month, occasion.day, on, feb29)
    if coming == on:
        return coming
    this_year = occurrence_in(on.year, occasion.month, occasion.day, feb29)
    last = this_year if this_year < on else occurrence_in(on.year - 1, occasion.month, occasion.day, feb29)
    return last if (on - last) < (coming - on) else coming


def done_phrase(gesture: Gesture) -> str:
    """How a gesture that took care of an occasion is named: "done: card (sorry)"."""
    what = f" ({gesture.what})" if gesture.what else ""
    return f"done: {gesture.kind}{what}"


def notes_of(item: Upcoming) -> list[str]:
    """What else to say on an upcoming row: the family link, "done", the last gesture."""
    notes = []
    if item.person.family:
        notes.append(item.person.family)
    if item.handled is not None:
        notes.append(done_phrase(item.handled))
    elif item.last is not None:
        notes.append(f"last: {item.last}")
    return notes


class Lapsed(NamedTuple):
    """Someone whose keep-in-touch time ran out: since their last gesture (or, with
    none, since they were added) more than ``every_days`` days went by."""

    person: Person
    last: date | None
    days_overdue: int


def lapsed(people: Iterable[tuple[Person, date | None]], today: date) -> list[Lapsed]:
    """Those of ``people`` (each with the day of their last gesture) who are overdue, most first."""
    found = []
    for person, last in people:
        if not person.every_days:
            continue
        since = last or (_local_day(person.created) if person.created else today)
        overdue = (today - since).days - person.every_days
        if overdue > 0:
            found.append(Lapsed(person, last, overdue))
    found.sort(key=lambda item: (-item.days_overdue, name_order(item.person.name), item.person.id))
    return found


def _local_day(stamp: str) -> date:
    """The local date of a stored UTC timestamp ("2026-11-23T00:37:00Z" is the 22nd in Samoa)."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().date()
    except ValueError:
        return date.fromisoformat(stamp[:10])


def by_day_of_year(row: tuple[Person, Occasion]) -> tuple:
    """Sort key for occasions as a calendar lists them: by month and day, then name, then kind."""
    person, occasion = row
    return (occasion.month, occasion.day, name_order(person.name), person.id, _sort_kind(occasion), occasion.id)


def _sort_kind(occasion: Occasion) -> tuple[int, str]:
    return kind_order(occasion.kind, occasion.label)


def kind_order(kind: str, label: str) -> tuple[int, str]:
    """How the dates of one person on one day are ordered: by kind, then label."""
    return _KIND_ORDER.get(kind, len(KINDS)), label.casefold() if label else ""


def years_phrase(occasion: Occasion, years: int | None) -> str | None:
    """The years in words: "turns 41", "10th wedding anniversary", "client for 3 years"."""
    if years is None or years < 1:
        return None
    if occasion.kind == "birthday":
        return f"turns {years}"
    if occasion.kind == "anniversary":
        return f"{ordinal(years)} wedding anniversary"
    if occasion.kind == "work-anniversary":
        return f"{plural(years, 'year')} at work"
    if occasion.kind == "client-since":
        return f"client for {plural(years, 'year')}"
    return plural(years, "year")


def describe(occasion: Occasion, years: int | None) -> str:
    """What an occurrence is, in words: "Birthday — turns 41", "10th wedding anniversary"."""
    phrase = years_phrase(occasion, years)
    if phrase is None:
        return occasion.title
    if occasion.kind in ("birthday", "custom"):
        return f"{occasion.title} — {phrase}"
    return phrase[0].upper() + phrase[1:]


def as_dict(item: Upcoming) -> dict[str, object]:
    """One upcoming item as `upcoming --json` and `--csv` give it (the README lists the keys)."""
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
        "family": item.person.family,
        "handled": item.handled is not None,
        "last_gesture": _gesture_dict(item.last),
    }


def _gesture_dict(gesture: Gesture | None) -> dict[str, object] | None:
    if gesture is None:
        return None
    return {"date": gesture.on.isoformat(), "kind": gesture.kind, "what": gesture.what}


def key_dates(occasions: Iterable[Occasion], today: date, feb29: str = "feb28") -> list[KeyDate]:
    """Each of a person's key dates with its next occurrence, in kind order."""
    found = []
    for occasion in sorted(occasions, key=_sort_kind):
        when: date | None
        if occasion.rule:
            when, years = stored_rule(occasion.rule).next_from(today), None
        elif occasion.yearly:
            next_day = next_occurrence(occasion.month, occasion.day, today, feb29)
            if occasion.year is not None and next_day.year < occasion.year:
                next_day = next_occurrence(occasion.month, occasion.day, date(occasion.year, 1, 1), feb29)
            when, years = next_day, years_on(occasion.year, next_day)
        else:
            once = date(occasion.year, occasion.month, occasion.day) if occasion.year else None
            when = once if once and once >= today else None
            years = None
        found.append(KeyDate(occasion, when, years))
    return found


# -- what was done in earlier years ------------------------------------------------------


def history_of(gestures: Iterable[Gesture], before: date) -> tuple[Past, ...]:
    """What ``gestures`` (those counted for one occasion) did for its occurrences before
    ``before``, by the year of the occurrence they counted for, newest year first; the
    occurrence on ``before`` itself is not history (it shows as done)."""
    years: dict[int, list[Gesture]] = {}
    for gesture in gestures:
        if gesture.for_date is not None and gesture.for_date < before:
            years.setdefault(gesture.for_date.year, []).append(gesture)
    return tuple(
        Past(year, tuple(sorted(years[year], key=lambda g: (g.on, g.id)))) for year in sorted(years, reverse=True)
    )


def past_gesture_phrase(gesture: Gesture) -> str:
    """ "flowers — peonies ($45)", "card"."""
    said = gesture.kind + (f" — {gesture.what}" if gesture.what else "")
    return said + (f" ({gesture.cost})" if gesture.cost else "")


def history_phrase(history: Iterable[Past]) -> str:
    """ "2025: flowers — peonies ($45) · 2024: card, call"; "" for no history."""
    return " · ".join(
        f"{past.year}: " + ", ".join(past_gesture_phrase(gesture) for gesture in past.gestures) for past in history
    )


def history_dicts(history: Iterable[Past]) -> list[dict[str, object]]:
    """History as ``upcoming --json`` and ``show --json`` give it, newest year first."""
    return [
        {
            "year": past.year,
            "gestures": [
                {"kind": g.kind, "what": g.what, "cost": g.cost, "on": g.on.isoformat()} for g in past.gestures
            ],
        }
        for past in history
    ]
