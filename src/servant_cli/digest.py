"""Pure: the morning digest, from upcoming items to its sections and its subject line.

Three sections, each only when it has something:

- **Today**: the occasions on the day itself, with the years ("Birthday (turns 41)").
- **Act now**: an occasion whose lead time has begun (it starts ``lead`` days before,
  the occasion's own ``lead_days`` or else the configured default) and that is still
  ahead, worded as the planned gesture: "Post a card to Bob Stone — Shop opening,
  Thu 24 Dec, in 10 days". An occasion that was handled drops out (``handled``: the
  occurrences done already; nothing records that yet, so the command passes none).
- **Coming up**: the rest of the next ``days`` days, so that nothing is said twice.

An empty digest is a digest with no section: the command then prints and sends nothing.
The wording lives here, not in ``render``, so that it can be tested without a terminal;
``render`` only lays it out (Rich, plain text wrapped for mail, HTML).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from typing import NamedTuple

from servant_cli.agenda import years_phrase
from servant_cli.dates import format_day, relative_day
from servant_cli.models import Occasion, Upcoming

#: How each planned gesture is said, before the person's name.
GESTURES = {
    "card": "Post a card to",
    "gift": "Get a gift for",
    "flowers": "Order flowers for",
    "call": "Call",
    "message": "Send a message to",
}
#: What to say when nothing is planned.
NO_PLAN = "Get ready for"
#: Joins the words of a day ("Thu 24 Dec, in 10 days") so that wrapping a line for
#: mail does not split them; ``render`` turns it back into a space.
KEEP = "\u00a0"


class Section(NamedTuple):
    """One part of the digest: its heading and a line per occasion."""

    key: str  # "today", "act-now" or "coming-up": how render styles it
    heading: str
    lines: tuple[str, ...]


class Digest(NamedTuple):
    """What one morning's digest says; ``sections`` holds only the ones with lines."""

    today: date
    days: int
    on_the_day: tuple[Upcoming, ...]
    act_now: tuple[Upcoming, ...]
    coming_up: tuple[Upcoming, ...]
    #: Occasions in the next ``days`` days (after today), wherever they are listed.
    in_window: int

    @property
    def empty(self) -> bool:
        return not (self.on_the_day or self.act_now or self.coming_up)

    @property
    def title(self) -> str:
        """The first line of the digest: cron's mail has no subject of ours."""
        return f"servant digest for {long_day(self.today)}"

    @property
    def subject(self) -> str:
        return subject(self)

    @property
    def sections(self) -> tuple[Section, ...]:
        return sections(self)


def lead_of(occasion: Occasion, default_lead: int) -> int:
    """Days ahead that the reminder starts: the occasion's own lead, else the default."""
    return default_lead if occasion.lead_days is None else occasion.lead_days


def build(
    items: Iterable[Upcoming],
    today: date,
    days: int,
    default_lead: int,
    handled: Collection[tuple[int, date]] = (),
) -> Digest:
    """Sort upcoming items (from ``agenda.upcoming``, soonest first) into the sections.

    ``items`` must reach as far ahead as the longest lead time, not only ``days``: a card
    for an occasion in 10 days is due now even in a 7-day digest. ``handled`` holds
    (occasion id, date) pairs already acted on.
    """
    on_the_day: list[Upcoming] = []
    act_now: list[Upcoming] = []
    coming_up: list[Upcoming] = []
    in_window = 0
    for item in items:
        ahead = item.days_until
        if ahead < 0:
            continue
        if ahead == 0:
            on_the_day.append(item)
            continue
        if ahead <= days:
            in_window += 1
        if ahead <= lead_of(item.occasion, default_lead) and (item.occasion.id, item.date) not in handled:
            act_now.append(item)
        elif ahead <= days:
            coming_up.append(item)
    return Digest(today, days, tuple(on_the_day), tuple(act_now), tuple(coming_up), in_window)


# -- wording -------------------------------------------------------------------------


def long_day(when: date) -> str:
    """ "Sat 28 Nov 2026"."""
    return format_day(when)


def short_day(when: date) -> str:
    """ "Thu 24 Dec": the year goes without saying in a digest (see ``day_phrase``)."""
    return format_day(when).rsplit(" ", 1)[0]


def day_phrase(when: date, today: date) -> str:
    """ "Thu 24 Dec, in 10 days" (words joined by ``KEEP``); the year is said when it is
    not this year's."""
    day = short_day(when) if when.year == today.year else long_day(when)
    return f"{day}, {relative_day(when, today).lower()}".replace(" ", KEEP)


def occasion_phrase(occasion: Occasion, years: int | None) -> str:
    """What the occasion is: "Birthday (turns 41)", "Shop opening (10 years)",
    "96th wedding anniversary", "Client for 7 years", or just its title."""
    phrase = years_phrase(occasion, years)
    if phrase is None:
        return occasion.title
    if occasion.kind in ("birthday", "custom"):
        return f"{occasion.title} ({phrase})"
    return phrase[0].upper() + phrase[1:]


def gesture(occasion: Occasion) -> str:
    """The planned gesture before a name: "Post a card to", or "Get ready for"."""
    return GESTURES.get(occasion.plan or "", NO_PLAN)


def today_line(item: Upcoming) -> str:
    """ "Bob Byte — Birthday (turns 41)", with the plan if there is one: "; plan: call"."""
    line = f"{item.person.name} — {occasion_phrase(item.occasion, item.years)}"
    return f"{line}; plan: {item.occasion.plan}" if item.occasion.plan else line


def act_line(item: Upcoming, today: date) -> str:
    """ "Post a card to Bob Stone — Shop opening, Thu 24 Dec, in 10 days"."""
    what = occasion_phrase(item.occasion, item.years)
    return f"{gesture(item.occasion)} {item.person.name} — {what}, {day_phrase(item.date, today)}"


def coming_line(item: Upcoming, today: date) -> str:
    """ "Ada Lovelace — Birthday (turns 41), Thu 10 Dec, in 12 days"."""
    return f"{item.person.name} — {occasion_phrase(item.occasion, item.years)}, {day_phrase(item.date, today)}"


def window_phrase(days: int) -> str:
    """The next ``days`` days in words: "this week", "tomorrow", "in the next 30 days"."""
    if days == 1:
        return "tomorrow"
    if days == 7:
        return "this week"
    return f"in the next {days} days"


def sections(digest: Digest) -> tuple[Section, ...]:
    today = digest.today
    found = []
    if digest.on_the_day:
        found.append(Section("today", "Today", tuple(today_line(item) for item in digest.on_the_day)))
    if digest.act_now:
        found.append(Section("act-now", "Act now", tuple(act_line(item, today) for item in digest.act_now)))
    if digest.coming_up:
        heading = f"Coming up {window_phrase(digest.days)}"
        found.append(Section("coming-up", heading, tuple(coming_line(item, today) for item in digest.coming_up)))
    return tuple(found)


def subject(digest: Digest) -> str:
    """The mail's subject: "servant: 2 occasions today, 3 this week".

    It counts occasions, not lines: today, then those in the next ``days`` days, then
    what is to be acted on beyond them (a card posted ahead of a date further out).
    The first count carries the noun.
    """
    counts = []
    later = sum(1 for item in digest.act_now if item.days_until > digest.days)
    for number, where in (
        (len(digest.on_the_day), "today"),
        (digest.in_window, window_phrase(digest.days)),
        (later, "to act on now"),
    ):
        if number:
            noun = "" if counts else (" occasion" if number == 1 else " occasions")
            counts.append(f"{number}{noun} {where}")
    if not counts:
        return f"servant: nothing due {window_phrase(digest.days)}" if digest.days else "servant: nothing due today"
    return "servant: " + ", ".join(counts)


def nothing_due(digest: Digest) -> str:
    """The one line of ``--always`` when there is nothing to say."""
    if digest.days == 0:
        return f"Nothing due today ({long_day(digest.today)})."
    return f"Nothing due today ({long_day(digest.today)}) or {window_phrase(digest.days)}."
