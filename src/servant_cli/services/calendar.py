"""Every occasion of the database as a calendar: one file (``servant export ics``), one
object per event (``servant publish``), or a folder of them (``export ics --vdir``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from servant_cli.agenda import by_day_of_year
from servant_cli.config import Settings
from servant_cli.models import Idea, Occasion, Person, Season, Upcoming
from servant_cli.store import Store
from servant_cli.text import fold, json_text

if TYPE_CHECKING:
    from pathlib import Path

    from servant_cli.calendar_folder import FolderReport
    from servant_cli.ical import CalendarObject, Export

#: The PRODID of each event as an object of its own (published, or a file of a folder).
#: No version in it: a new servant must not rewrite every event of the calendar.
OBJECT_PRODID = "-//servant//servant//EN"


class Calendar(NamedTuple):
    """A calendar, made as it is written, and what it holds."""

    #: The VCALENDAR's first lines and its last one, each with its CRLF, and each event
    #: (without its last CRLF), made when it is asked for.
    head: str
    events: Iterator[str]
    tail: str
    people: int
    #: How many key dates matched the filters (a calendar of none is not written).
    dates: int


def occasion_calendar(
    store: Store,
    today: date,
    settings: Settings,
    *,
    years: int | None = None,
    alarms: bool = True,
    tags: Sequence[str] = (),
    kinds: Sequence[str] = (),
    prodid: str = "-//servant//servant//EN",
) -> Calendar:
    """Every occasion (of these tags and kinds) as iCalendar text (see ``ical``), made
    as it is written: a day's dates (a span's with ``years``) are read at a time, with
    the gift ideas of their people, so memory holds a day of the calendar, not all of it."""
    import itertools

    from servant_cli.ical import calendar_frame, occurrence_events, season_event, series_events

    dates, people = store.occasion_count(tags=tags, kinds=kinds)
    filters = ", ".join([*tags, *kinds])
    ideas: dict[int, Sequence[Idea]] = {}
    export = _export(
        store,
        today,
        settings,
        (),
        years=years,
        alarms=alarms,
        name=f"servant occasions ({filters})" if filters else "servant occasions",
        prodid=prodid,
    )._replace(ideas=ideas)
    if years is None:
        events = series_events(_by_day(store, ideas, tags, kinds), export)
    else:
        events = occurrence_events(_by_week(store, ideas, today, years, settings, tags, kinds), export)
    # Each season is one more event, after the dates (read before the first event is
    # made: a season whose people changed gets its new version first).
    groups = season_groups(store, tags, kinds)
    events = itertools.chain(events, (season_event(season, names, export) for season, names in groups))
    head, tail = calendar_frame(export)
    return Calendar(head, events, tail, people, dates)


def _by_day(
    store: Store, ideas: dict[int, Sequence[Idea]], tags: Sequence[str], kinds: Sequence[str]
) -> Iterator[tuple[Person, Occasion]]:
    """Every occasion in calendar order (``by_day_of_year``), a day at a time; ``ideas``
    holds the gift ideas of each day's people while their events are made."""
    for day in store.occasions_by_day(tags=tags, kinds=kinds):
        ideas.clear()
        ideas.update(store.ideas_by_person({person.id for person, _ in day}))
        yield from sorted(day, key=by_day_of_year)


def _by_week(
    store: Store,
    ideas: dict[int, Sequence[Idea]],
    today: date,
    years: int,
    settings: Settings,
    tags: Sequence[str],
    kinds: Sequence[str],
) -> Iterator[Upcoming]:
    """Every occurrence in the next ``years`` years, in order, a span at a time; ``ideas``
    as in ``_by_day``."""
    from servant_cli.ical import span_days
    from servant_cli.services.agenda import occurrences

    for _, _, items in occurrences(store, today, span_days(today, years), settings, tags=tags, kinds=kinds):
        ideas.clear()
        ideas.update(store.ideas_by_person({item.person.id for item in items}))
        yield from items


def occasion_objects(
    store: Store, today: date, settings: Settings, *, tags: Sequence[str] = (), kinds: Sequence[str] = ()
) -> list[CalendarObject]:
    """Every occasion (of these tags and kinds) as a calendar object of its own: the event
    ``occasion_calendar`` writes for it, in a VCALENDAR of its own (``servant publish``,
    ``occasion_folder``)."""
    from servant_cli.ical import calendar_objects, season_objects

    # In the order the dates were added: a first publish writes the oldest first.
    rows = sorted(store.all_occasions(tags=tags, kinds=kinds), key=lambda row: row[1].id)
    export = _export(store, today, settings, {person.id for person, _ in rows}, prodid=OBJECT_PRODID)
    return [*calendar_objects(rows, export), *season_objects(season_groups(store, tags, kinds), export)]


def occasion_folder(
    store: Store, today: date, settings: Settings, folder: Path, *, tags: Sequence[str] = (), kinds: Sequence[str] = ()
) -> FolderReport:
    """Every occasion (of these tags and kinds) as a file of its own in ``folder``, the
    object ``servant publish`` would send for it; only what changed is written, and the
    files of dates that are gone are removed (``calendar_folder``)."""
    from servant_cli.calendar_folder import write_folder

    objects = occasion_objects(store, today, settings, tags=tags, kinds=kinds)
    return write_folder(folder, objects, store.meta("db_id") or "servant")


def season_groups(store: Store, tags: Sequence[str] = (), kinds: Sequence[str] = ()) -> list[tuple[Season, list[str]]]:
    """Each season (for one of ``tags``, when given; none with ``kinds``: a season is no
    kind of key date) with the names of its people now, in the order they were added. A
    season whose people changed since the last export gets a new version first
    (``Store.shown_seasons``), so that a calendar takes it."""
    import hashlib

    if kinds:
        return []
    wanted = {fold(tag) for tag in tags}
    groups = {}
    for season in store.seasons():
        if not wanted or wanted & {fold(tag) for tag in season.tags}:
            groups[season.id] = [person.name for person in store.people(season.tags)]
    if not groups:
        return []
    shown = {season_id: hashlib.sha256(json_text(names).encode()).hexdigest() for season_id, names in groups.items()}
    seasons = store.shown_seasons(shown)
    return [(seasons[season_id], groups[season_id]) for season_id in sorted(groups)]


def _export(store: Store, today: date, settings: Settings, people: Iterable[int], **options: Any) -> Export:
    """What the events are made with: the database id, the settings and their
    version, and the gift ideas of ``people``."""
    from servant_cli.ical import Export

    generation, changed = store.export_version(f"feb29={settings.feb29} lead_days={settings.lead_days}")
    return Export(
        db_id=store.meta("db_id") or "servant",
        today=today,
        feb29=settings.feb29,
        lead_days=settings.lead_days,
        generation=generation,
        changed=changed,
        ideas=store.ideas_by_person(people),
        **options,
    )
