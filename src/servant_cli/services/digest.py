"""The morning digest: it reads the key dates it lists, and counts the rest.

A digest lists at most ``limit`` lines a section (``DIGEST_LIMIT`` unless told), the
first by day and name, and says how many more there are. Its work follows what it
lists, not the address book: for a million people a week holds 33,000 dates, and the
digest reads a few hundred of them.

1. **What was done.** The gestures that took care of a date of the window, whoever's
   (``Store.window_gestures``, judged as ``upcoming`` judges them): the few dates they
   name are read and placed one by one.
2. **Counting.** Every other date is counted by SQLite, grouped by what places it on its
   days and by its own lead time (``Store.date_groups``); each group is placed once
   (``agenda.occurrence_days``) and lands in a section by the rules of ``digest.build``:
   how many each section has on each day.
3. **Choosing.** For each section, the days that hold its first ``limit`` lines: of
   each, the dates of that section (its lead time in SQL, ``Leads``) as bare rows
   (``Store.date_keys``, one sorted read): those of other names all, then those of
   plain ASCII names in name order and only as many as needed; the first by day, name
   and kind (``agenda.occurring``'s order) are kept.
4. **Building.** Those dates alone are read whole, marked with their gestures, and built
   into the digest as before (``digest.build``); the counts of step 2 say how many lines
   each section has in all.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from servant_cli.agenda import falls_on, kind_order, lapsed, occurrence_days, occurring
from servant_cli.config import Settings
from servant_cli.digest import Digest, build
from servant_cli.models import Upcoming, name_order
from servant_cli.services.agenda import marked_items, spans
from servant_cli.services.memory import counting, with_history
from servant_cli.store import DateGroup, DateKey, Leads, Store

#: The most lines a section of the digest lists, unless ``digest --limit`` says: a mail
#: a person reads in the morning. (Gmail shows the first 102 KB of a message, about 150
#: lines of the HTML part: several full sections pass it, which the README says.)
DIGEST_LIMIT = 50
#: Sections of dates, in the order the digest reads.
SECTIONS = ("today", "act-now", "coming-up")


class Window(NamedTuple):
    """What a digest looks at: from ``today``, ``days`` for Coming up, ``near`` read in
    full, and as far as ``reach`` the dates whose own lead time reaches back to today."""

    today: date
    days: int
    near: int
    reach: int
    default_lead: int
    feb29: str

    @property
    def end(self) -> date:
        return self.today + timedelta(days=self.reach)

    def section(self, ahead: int, lead_days: int | None, handled: bool) -> str | None:
        """Where a date ``ahead`` days off goes (``digest.build``'s rules), None for nowhere."""
        if ahead < 0:
            return None
        if ahead == 0:
            return "today"
        if ahead <= (self.default_lead if lead_days is None else lead_days) and not handled:
            return "act-now"
        return "coming-up" if ahead <= self.days else None

    def ranges(self) -> Iterator[tuple[date, date, Leads]]:
        """The days to read and which dates of them: up to ``near`` all, past it those
        with a lead time of their own that long; never over New Year (``spans``)."""
        near = self.today + timedelta(days=self.near)
        yield from ((first, last, Leads()) for first, last in spans(self.today, near, 366))
        if self.reach > self.near:
            beyond = Leads(at_least=self.near + 1)
            yield from ((first, last, beyond) for first, last in spans(near + timedelta(days=1), self.end, 366))

    def leads(self, section: str, ahead: int) -> Leads:
        """The dates of ``section`` on the day ``ahead``, by lead time (what was done aside)."""
        if section == "act-now":
            return Leads(at_least=ahead, default=self.default_lead)
        if section == "coming-up":
            return Leads(under=ahead, default=self.default_lead)
        return Leads()


def morning_digest(
    store: Store,
    today: date,
    days: int,
    settings: Settings,
    *,
    tags: Sequence[str] = (),
    kinds: Sequence[str] = (),
    limit: int = DIGEST_LIMIT,
) -> Digest:
    """The digest for ``today``: Coming up looks ``days`` ahead, Act now as far as the
    longest lead time; Keep in touch follows ``tags`` and is left out with ``kinds``.
    Each section lists at most ``limit`` lines (``Digest.totals``: how many it has)."""
    from servant_cli.services.seasons import due_seasons

    # Far enough ahead for the longest lead time: a card for a date in 10 days is due
    # today even in a 7-day digest. Past Coming up and the default lead, only the dates
    # with a longer lead time of their own are read.
    near = max(days, settings.lead_days)
    window = Window(today, days, near, max(near, store.max_lead_days() or 0), settings.lead_days, settings.feb29)
    handled = handled_dates(store, window, settings)
    marked = tuple(sorted({occasion_id for occasion_id, _ in handled}))
    counts, single = counted(store, window, handled, marked, tags, kinds)
    chosen = {
        key: chosen_dates(store, window, key, counts[key], single, marked, tags, kinds, limit) for key in SECTIONS
    }
    items = whole_items(store, window, {pair for pairs in chosen.values() for pair in pairs}, settings)
    found = build(
        items,
        today,
        days,
        settings.lead_days,
        # With --tag, only those people; --kind narrows the dates, and a cadence is no date.
        keep_in_touch=[] if kinds else lapsed(store.keep_in_touch(tags), today),
    )
    totals = {key: sum(counts[key].values()) for key in SECTIONS}
    totals["keep-in-touch"] = len(found.keep_in_touch)
    # What helps the gesture, for the people the digest names.
    people = {item.person.id for item in (*found.on_the_day, *found.act_now, *found.coming_up)}
    return found._replace(
        in_window=sum(n for key in SECTIONS for ahead, n in counts[key].items() if 0 < ahead <= days),
        keep_in_touch=found.keep_in_touch[:limit],
        ideas=store.ideas_by_person(people),
        last_gifts=store.last_gifts(people, until=today),
        # What was done in earlier years, for the dates to act on now.
        act_now=tuple(with_history(store, found.act_now, settings)),
        # A season is no key date of a kind: --kind leaves seasons out, as it does Keep in touch.
        seasons=() if kinds else tuple(due_seasons(store, today, settings, tags)),
        totals=totals,
        later=sum(n for ahead, n in counts["act-now"].items() if ahead > days),
        limit=limit,
        looked_ahead=window.reach,
        tags=tuple(tags),
        kinds=tuple(kinds),
    )


def handled_dates(store: Store, window: Window, settings: Settings) -> set[tuple[int, date]]:
    """The occurrences of the window that a gesture took care of, as (key date id, day),
    whoever's they are: what ``agenda.with_gestures`` marks as handled."""
    since = window.today - timedelta(days=366)
    gestures = counting(store, store.window_gestures(since, window.today, window.today, window.end), settings)
    return {
        (gesture.occasion_id, gesture.for_date)
        for gesture in gestures
        if gesture.occasion_id is not None and gesture.for_date is not None and gesture.on <= window.today
    }


class Single(NamedTuple):
    """A date placed one by one (one a gesture took care of, or may have): its section,
    how many days off, and its occurrence, light."""

    section: str
    ahead: int
    item: Upcoming


def counted(
    store: Store,
    window: Window,
    handled: set[tuple[int, date]],
    marked: tuple[int, ...],
    tags: Sequence[str],
    kinds: Sequence[str],
) -> tuple[dict[str, Counter[int]], list[Single]]:
    """How many dates each section has on each day (by days ahead), and the dates of
    ``marked`` key dates placed one by one."""
    counts: dict[str, Counter[int]] = {key: Counter() for key in SECTIONS}
    single: list[Single] = []
    today = window.today
    for first, last, leads in window.ranges():
        for group in store.date_groups(first, last, tags=tags, kinds=kinds, leads=leads._replace(leaving=marked)):
            for when in occurrence_days(group, first, last, window.feb29):
                ahead = (when - today).days
                key = window.section(ahead, group.lead_days, False)
                if key is not None:
                    counts[key][ahead] += group.dates
        if marked:
            rows = store.occasions_between(
                first, last, tags=tags, kinds=kinds, light=True, leads=leads._replace(only=marked)
            )
            for item in occurring(rows, first, last, today, window.feb29):
                key = window.section(item.days_until, item.occasion.lead_days, (item.occasion.id, item.date) in handled)
                if key is not None:
                    counts[key][item.days_until] += 1
                    single.append(Single(key, item.days_until, item))
    return counts, single


def chosen_dates(
    store: Store,
    window: Window,
    key: str,
    counts: Counter[int],
    single: list[Single],
    marked: tuple[int, ...],
    tags: Sequence[str],
    kinds: Sequence[str],
    limit: int,
) -> list[tuple[int, date]]:
    """The first ``limit`` occurrences of section ``key``, by day, then name, then kind
    (``agenda.occurring``), as (key date id, day): only the days that hold them are
    read, and of each day only the dates of that section, each as a bare row."""
    chosen: list[tuple[int, date]] = []
    for ahead in sorted(counts):
        if len(chosen) >= limit:
            break
        day = window.today + timedelta(days=ahead)
        leads = window.leads(key, ahead)._replace(leaving=marked)
        need = limit - len(chosen)
        found: list[Place] = []
        # The other names come first, all of them; then plain names in order: only the
        # first ``need`` are read (and the rest of the last one's dates of the day, which
        # sort among them by kind).
        plain_read, last_plain = 0, None
        for plain, key_of in _keys(store.date_keys(day, day, tags=tags, kinds=kinds, leads=leads), day, window):
            if plain:
                if plain_read >= need and key_of[0] != last_plain:
                    break
                plain_read, last_plain = plain_read + 1, key_of[0]
            found.append(key_of)
        found += [
            _place(
                one.item.person.id,
                one.item.person.name,
                one.item.occasion.kind,
                one.item.occasion.label,
                one.item.occasion.id,
            )
            for one in single
            if one.section == key and one.ahead == ahead
        ]
        chosen += [(occasion_id, day) for *_, occasion_id in heapq.nsmallest(need, found)]
    return chosen


#: A date's place in ``agenda.occurring``'s order on its day: the person's name keys and
#: id, the kind's order and label, the date's id.
Place = tuple[tuple[str, str, int], tuple[int, str], int]


def _place(person_id: int, name: str, kind: str, label: str, occasion_id: int) -> Place:
    return (*name_order(name), person_id), kind_order(kind, label), occasion_id


def _keys(rows: Iterable[tuple[bool, DateKey]], day: date, window: Window) -> Iterator[tuple[bool, Place]]:
    """Of bare rows (``Store.date_keys``), those that fall on ``day``, each as whether
    its name is plain and its ``Place``, in the order they come."""
    for plain, (occasion_id, person_id, name, kind, label, month, dd, year, yearly, rule) in rows:
        if falls_on(day, DateGroup(month, dd, year, bool(yearly), rule, None, 1), window.feb29):
            yield plain, _place(person_id, name, kind, label, occasion_id)


def whole_items(store: Store, window: Window, chosen: set[tuple[int, date]], settings: Settings) -> list[Upcoming]:
    """The ``chosen`` occurrences, read whole and marked with their gestures, in order."""
    if not chosen:
        return []
    only = Leads(only=tuple(sorted({occasion_id for occasion_id, _ in chosen})))
    rows = store.occasions_between(window.today, window.end, leads=only)
    items = [
        item
        for item in occurring(rows, window.today, window.end, window.today, window.feb29)
        if (item.occasion.id, item.date) in chosen
    ]
    return marked_items(store, items, window.today, window.today, window.end, settings)
