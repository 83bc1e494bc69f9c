"""``servant calendar``: the occasions of a month or a year, for a picture of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from servant_cli.agenda import occurring, with_gestures
from servant_cli.config import Settings
from servant_cli.models import Gesture, Upcoming
from servant_cli.services.memory import counting
from servant_cli.store import Store


def occasions_in(
    store: Store,
    start: date,
    end: date,
    today: date,
    settings: Settings,
    *,
    tags: Sequence[str] = (),
    done: bool = True,
) -> list[Upcoming]:
    """Every occurrence from ``start`` to ``end`` (a month, a year), found as ``upcoming``
    finds them (the same query, Feb 29 and one-off rules), each marked with what was
    done for it up to ``today`` (unless ``done`` is False: the year's grid only counts);
    ``days_until`` counts from ``today``."""
    rows = store.occasions_between(start, end, tags=tags)
    items = occurring(rows, start, end, today, settings.feb29)
    if not items or not done:
        return items
    # A gesture counts for a date in its lead window, under a year before it.
    gestures = store.marking_gestures(
        {item.person.id for item in items}, start - timedelta(days=366), today, start, end
    )
    judged = counting(store, [g for found in gestures.values() for g in found], settings)
    by_person: dict[int, list[Gesture]] = {}
    for gesture in judged:
        by_person.setdefault(gesture.person_id, []).append(gesture)
    return with_gestures(items, by_person, today)
