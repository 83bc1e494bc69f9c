"""What is coming up, and the morning digest built on it: query → agenda → gestures done."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from servant_cli.agenda import occurring, with_gestures
from servant_cli.config import Settings
from servant_cli.models import Upcoming
from servant_cli.services.memory import counting, with_history
from servant_cli.store import Leads, Store

if TYPE_CHECKING:
    pass

#: About how many key dates are read, placed and marked at a time: memory holds that
#: many items, whatever the window and however many people there are. A span of days
#: is a week at least (300,000 dates: 5,800 a week) and a year at most (a small book
#: is read in a query a year).
SPAN_DATES = 6_000


def span_days(dates: int) -> int:
    """The days of a span, for a book of ``dates`` key dates."""
    return max(7, min(366, SPAN_DATES * 365 // max(dates, 1)))


def spans(start: date, end: date, days: int = 7) -> Iterator[tuple[date, date]]:
    """``start`` to ``end`` in spans of at most ``days`` days, none over New Year (the
    store reads a span as one month-day range)."""
    while start <= end:
        last = min(end, start + timedelta(days=days - 1), date(start.year, 12, 31))
        yield start, last
        if last == date.max:
            return
        start = last + timedelta(days=1)


def occurrences(
    store: Store,
    today: date,
    days: int,
    settings: Settings,
    *,
    tags: Sequence[str] = (),
    kinds: Sequence[str] = (),
    lead_beyond: int | None = None,
    light: bool = False,
) -> Iterator[tuple[date, date, list[Upcoming]]]:
    """The occurrences from ``today`` to ``today + days`` (of these tags and kinds), in
    order, a span of days at a time: its first and last day and its items.

    With ``lead_beyond``: past that many days, only the dates whose own lead time may
    reach back to today (the digest's Act now, for a date further out than Coming up).
    With ``light``, each person holds only what a listing shows (``Store.occasions_between``).
    """
    for first, last in spans(today, today + timedelta(days=days), span_days(store.dates_stored())):
        ahead = (first - today).days
        lead = ahead if lead_beyond is not None and ahead > lead_beyond else None
        leads = Leads(at_least=lead) if lead is not None else None
        rows = store.occasions_between(first, last, tags=tags, kinds=kinds, leads=leads, light=light)
        items = occurring(rows, first, last, today, settings.feb29)
        if items:
            yield first, last, items


def upcoming_items(
    store: Store,
    today: date,
    days: int,
    settings: Settings,
    *,
    tags: Sequence[str] = (),
    kinds: Sequence[str] = (),
    lead_beyond: int | None = None,
    history: bool = False,
    light: bool = False,
) -> Iterator[Upcoming]:
    """Every occurrence from ``today`` to ``today + days`` (of these tags and kinds), in
    order, each marked with what was done for it and its person's last gesture; with
    ``history``, what was done for the same date in earlier years too (a query a span).
    With ``light``, each person holds only their id, name, tags and family (what
    ``upcoming`` prints: ``Store.occasions_between``).

    Made a span of days at a time (``occurrences``), so that a caller that writes each
    item as it comes holds a span of items (``SPAN_DATES``), never the whole window.
    """
    # A lead window is under a year (near_dates caps it): a year and a day back is enough.
    since = today - timedelta(days=366)
    # Past the last day a gesture counts for (found for a window of over a year, which
    # reads each person's dates once a year), only each person's latest is read.
    reach = store.counted_reach(since, today) if days > 366 else None
    for first, last, items in occurrences(
        store, today, days, settings, tags=tags, kinds=kinds, lead_beyond=lead_beyond, light=light
    ):
        counted = days <= 366 or (reach is not None and first <= reach)
        marked = marked_items(store, items, today, first, last, settings, counted=counted)
        yield from with_history(store, marked, settings) if history else marked


def marked_items(
    store: Store,
    items: list[Upcoming],
    today: date,
    first: date,
    last: date,
    settings: Settings,
    *,
    counted: bool = True,
) -> list[Upcoming]:
    """``items`` (occurrences from ``first`` to ``last``) each marked with what was done
    for it and its person's last gesture (``agenda.with_gestures``)."""
    # A lead window is under a year (near_dates caps it): a year and a day back is enough.
    since = today - timedelta(days=366)
    people = (item.person.id for item in items)
    gestures = store.marking_gestures(people, since, today, first, last, counted=counted)
    listed = [gesture for found in gestures.values() for gesture in found]
    judged = counting(store, listed, settings)
    if judged is not listed:  # some were logged by an earlier version, and judged now
        gestures = {}
        for gesture in judged:
            gestures.setdefault(gesture.person_id, []).append(gesture)
    return with_gestures(items, gestures, today)
