"""Seasons: one occasion for everyone with a tag ("Holiday cards" to every client).

A season is on a yearly day (``season_day``: the one place that says which day it is
in a given year, so that a yearly rule can take the place of the fixed day); its
people are whoever carries one of its tags when it is read; who is done is the
gestures logged for that occurrence (``servant log … --for SEASON``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from servant_cli import dates
from servant_cli.config import Settings
from servant_cli.errors import BadInput, DateError
from servant_cli.models import Checklist, Gesture, Person, Season
from servant_cli.store import Store
from servant_cli.text import fold


def season_day(season: Season, year: int, feb29: str = "feb28") -> date:
    """The day ``season`` falls on in ``year``: its yearly rule's day when it has one,
    else its month and day (29 February by the ``feb29`` rule in other years)."""
    if season.rule:
        return dates.stored_rule(season.rule).occurrence(year)
    return dates.occurrence_in(year, season.month, season.day, feb29)


def next_day(season: Season, today: date, feb29: str = "feb28") -> date:
    """The first day on or after ``today`` that the season falls on."""
    this_year = season_day(season, today.year, feb29)
    return this_year if this_year >= today else season_day(season, today.year + 1, feb29)


def current_day(season: Season, today: date, feb29: str = "feb28") -> date:
    """The occurrence that is the season's "now": the nearer of the last one and the next
    (as ``log --for`` counts a belated card for the day it missed, an early one for the
    day to come)."""
    coming = next_day(season, today, feb29)
    if coming == today:
        return coming
    this_year = season_day(season, today.year, feb29)
    last = this_year if this_year < today else season_day(season, today.year - 1, feb29)
    return last if (today - last) < (coming - today) else coming


def parse_on(text: str, date_order: str) -> tuple[int, int, str | None]:
    """``--on``: a yearly day ("Dec 1", "12-01"), or a yearly rule ("2nd Sunday of May",
    "Easter-2"); the month and day (a rule's earliest, as a rule date stores them) and the
    rule's stored form (``Rule.text``; None for a fixed day)."""
    rule = dates.parse_rule(text)
    if rule is not None:
        month, day = rule.earliest()
        return month, day, rule.text()
    try:
        parsed = dates.parse_date(text, date_order)
    except DateError as exc:
        raise DateError(f"--on: {exc.message}") from exc
    if parsed.year is not None:
        raise BadInput(
            f"--on: {text.strip()!r} has a year, but a season comes every year;"
            f" give the day alone, e.g. {dates.MONTH_NAMES[parsed.month][:3]} {parsed.day}"
        )
    return parsed.month, parsed.day, None


def members(store: Store, season: Season) -> list[Person]:
    """Everyone the season is for now: those with one of its tags (everyone without tags)."""
    return store.people(season.tags)


def checklist(store: Store, season: Season, today: date, settings: Settings, day: date | None = None) -> Checklist:
    """Who is done and who is left for the season's occurrence on ``day`` (its current
    one, ``current_day``, when not given)."""
    when = current_day(season, today, settings.feb29) if day is None else day
    people = members(store, season)
    ids = {person.id for person in people}
    done = {pid: gesture for pid, gesture in store.season_done(season.id, when).items() if pid in ids}
    return Checklist(season, when, (when - today).days, tuple(people), done)


def due_seasons(store: Store, today: date, settings: Settings, tags: Sequence[str] = ()) -> list[Checklist]:
    """The seasons whose lead time has begun, whose day is not past and that have someone
    left to do, soonest first; with ``tags``, only those for one of them. A season all
    done (or for no one yet) is nothing to do: a digest of it alone says nothing."""
    wanted = {fold(tag) for tag in tags}
    found = []
    for season in store.seasons():
        if wanted and not wanted & {fold(tag) for tag in season.tags}:
            continue
        day = next_day(season, today, settings.feb29)
        lead = settings.lead_days if season.lead_days is None else season.lead_days
        if (day - today).days <= lead:
            found_one = checklist(store, season, today, settings, day)
            if found_one.left:
                found.append(found_one)
    found.sort(key=lambda item: (item.day, fold(item.season.name)))
    return found


def log_season(
    store: Store,
    season: Season,
    people: Sequence[Person],
    kind: str,
    what: str | None,
    on: date,
    settings: Settings,
    *,
    cost: str | None = None,
    idea_id: int | None = None,
) -> tuple[date, list[Gesture]]:
    """Log ``kind`` for each of ``people`` on ``on``, ticking them off the season's
    occurrence nearest ``on``; the day of that occurrence, and the gestures."""
    when = current_day(season, on, settings.feb29)
    return when, store.log_for_season(
        season.id, when, [p.id for p in people], on, kind, what, cost=cost, idea_id=idea_id
    )
