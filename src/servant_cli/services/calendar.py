"""Every occasion of the database as a calendar: one file (``servant export ics``), one
object per event (``servant publish``), or a folder of them (``export ics --vdir``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from servant_cli.config import Settings
from servant_cli.models import Season
from servant_cli.store import Store
from servant_cli.text import fold

if TYPE_CHECKING:
    from pathlib import Path

    from servant_cli.calendar_folder import FolderReport
    from servant_cli.ical import CalendarObject, Export

#: The PRODID of each event as an object of its own (published, or a file of a folder).
#: No version in it: a new servant must not rewrite every event of the calendar.
OBJECT_PRODID = "-//servant//servant//EN"


class Calendar(NamedTuple):
    """A calendar's text and what it holds."""

    text: str
    events: int
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
    """Every occasion (of these tags and kinds) as iCalendar text (see ``ical``)."""
    from servant_cli.ical import CRLF, calendar, season_event

    rows = store.all_occasions(tags=tags, kinds=kinds)
    people = {person.id for person, _ in rows}
    filters = ", ".join([*tags, *kinds])
    export = _export(
        store,
        today,
        settings,
        people,
        years=years,
        alarms=alarms,
        name=f"servant occasions ({filters})" if filters else "servant occasions",
        prodid=prodid,
    )
    text, count = calendar(rows, export)
    events = [season_event(season, names, export) for season, names in season_groups(store, tags, kinds)]
    if events:
        # A season is one more event of the calendar: before its END line.
        head, end = text.removesuffix(CRLF).rsplit(CRLF, 1)
        text = "".join([head, CRLF, *(event + CRLF for event in events), end, CRLF])
    return Calendar(text, count + len(events), len(people), len(rows))


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
    import json

    if kinds:
        return []
    wanted = {fold(tag) for tag in tags}
    groups = {}
    for season in store.seasons():
        if not wanted or wanted & {fold(tag) for tag in season.tags}:
            groups[season.id] = [person.name for person in store.people(season.tags)]
    if not groups:
        return []
    shown = {
        season_id: hashlib.sha256(json.dumps(names, ensure_ascii=False).encode()).hexdigest()
        for season_id, names in groups.items()
    }
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
