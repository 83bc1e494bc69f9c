"""What is coming up, and the morning digest built on it: query → agenda → gestures done."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from servant_cli.agenda import lapsed, upcoming, with_gestures
from servant_cli.config import Settings
from servant_cli.models import Upcoming
from servant_cli.services.memory import counting
from servant_cli.store import Store

if TYPE_CHECKING:
    from servant_cli.digest import Digest


def upcoming_items(
    store: Store,
    today: date,
    days: int,
    settings: Settings,
    *,
    tags: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> list[Upcoming]:
    """Every occurrence from ``today`` to ``today + days`` (of these tags and kinds), in
    order, each marked with what was done for it and its person's last gesture."""
    rows = store.occasions_between(today, today + timedelta(days=days), tags=tags, kinds=kinds)
    items = upcoming(rows, today, days, settings.feb29)
    if not items:
        return items
    # A lead window is under a year (near_dates caps it): a year and a day back is enough.
    gestures = store.recent_gestures({item.person.id for item in items}, today - timedelta(days=366))
    listed = [gesture for found in gestures.values() for gesture in found]
    judged = counting(store, listed, settings)
    if judged is not listed:  # some were logged by an earlier version, and judged now
        gestures = {}
        for gesture in judged:
            gestures.setdefault(gesture.person_id, []).append(gesture)
    return with_gestures(items, gestures, today)


def morning_digest(
    store: Store,
    today: date,
    days: int,
    settings: Settings,
    *,
    tags: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> Digest:
    """The digest for ``today``: Coming up looks ``days`` ahead, Act now as far as the
    longest lead time; Keep in touch follows ``tags`` and is left out with ``kinds``."""
    from servant_cli.digest import build
    from servant_cli.services.seasons import due_seasons

    # Far enough ahead for the longest lead time: a card for a date in 10 days is due
    # today even in a 7-day digest.
    reach = max(days, settings.lead_days, store.max_lead_days() or 0)
    items = upcoming_items(store, today, reach, settings, tags=tags, kinds=kinds)
    people = {item.person.id for item in items}
    return build(
        items,
        today,
        days,
        settings.lead_days,
        # With --tag, only those people; --kind narrows the dates, and a cadence is no date.
        keep_in_touch=[] if kinds else lapsed(store.keep_in_touch(tags), today),
        ideas=store.ideas_by_person(people),
        last_gifts=store.last_gifts(people, until=today),
        # A season is no key date of a kind: --kind leaves seasons out, as it does Keep in touch.
        seasons=[] if kinds else due_seasons(store, today, settings, tags),
    )
