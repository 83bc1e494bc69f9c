"""``servant export ics``: every occasion of the database as one calendar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from servant_cli.config import Settings
from servant_cli.store import Store


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
    from servant_cli.ical import Export, calendar

    rows = store.all_occasions(tags=tags, kinds=kinds)
    people = {person.id for person, _ in rows}
    generation, changed = store.export_version(f"feb29={settings.feb29} lead_days={settings.lead_days}")
    filters = ", ".join([*tags, *kinds])
    export = Export(
        db_id=store.meta("db_id") or "servant",
        today=today,
        feb29=settings.feb29,
        lead_days=settings.lead_days,
        years=years,
        alarms=alarms,
        name=f"servant occasions ({filters})" if filters else "servant occasions",
        prodid=prodid,
        generation=generation,
        changed=changed,
        ideas=store.ideas_by_person(people),
    )
    text, count = calendar(rows, export)
    return Calendar(text, count, len(people), len(rows))
