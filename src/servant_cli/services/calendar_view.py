"""``servant calendar``: the occasions of a month or a year, for a picture of it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from servant_cli.agenda import upcoming, with_gestures
from servant_cli.config import Settings
from servant_cli.models import Upcoming
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
    items = upcoming(rows, start, (end - start).days, settings.feb29)
    if not items or not done:
        return [item._replace(days_until=(item.date - today).days) for item in items]
    # A gesture counts for a date in its lead window, under a year before it.
    gestures = store.recent_gestures({item.person.id for item in items}, start - timedelta(days=366))
    judged = counting(store, [g for found in gestures.values() for g in found], settings)
    by_person: dict[int, list] = {}
    for gesture in judged:
        by_person.setdefault(gesture.person_id, []).append(gesture)
    marked = with_gestures(items, by_person, today)
    return [item._replace(days_until=(item.date - today).days) for item in marked]
