"""Pure: the morning digest, from upcoming items to its sections and its subject line.

Four sections, each only when it has something:

- **Today**: the occasions on the day itself, with the years ("Birthday (turns 41)").
- **Act now**: an occasion whose lead time has begun (it starts ``lead`` days before,
  the occasion's own ``lead_days`` or else the configured default) and that is still
  ahead, worded as the planned gesture: "Post a card to Bob Stone — Shop opening,
  Thu 24 Dec, in 10 days". An occasion a gesture took care of (``Upcoming.handled``,
  set by ``agenda.with_gestures``) leaves it, and shows under Coming up as done.
- **Coming up**: the rest of the next ``days`` days, so that nothing is said twice.
- **Keep in touch**: people whose keep-in-touch time ran out.

An empty digest is a digest with no section: the command then prints and sends nothing.
The wording lives here, not in ``render``, so that it can be tested without a terminal;
``render`` only lays it out (Rich, plain text wrapped for mail, HTML).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import NamedTuple

from servant_cli.agenda import Lapsed, done_phrase, years_phrase
from servant_cli.dates import MONTH_NAMES, format_day, relative_day
from servant_cli.models import PLANS, Gesture, Idea, Occasion, Upcoming
from servant_cli.text import plural

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
    #: People whose keep-in-touch time ran out, most overdue first.
    keep_in_touch: tuple[Lapsed, ...] = ()
    #: What to say of the people listed: their unused gift ideas and their last gift.
    ideas: Mapping[int, Sequence[Idea]] = {}
    last_gifts: Mapping[int, Gesture] = {}

    @property
    def empty(self) -> bool:
        return not (self.on_the_day or self.act_now or self.coming_up or self.keep_in_touch)

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
    keep_in_touch: Iterable[Lapsed] = (),
    ideas: Mapping[int, Sequence[Idea]] | None = None,
    last_gifts: Mapping[int, Gesture] | None = None,
) -> Digest:
    """Sort upcoming items (from ``agenda.upcoming``, soonest first) into the sections.

    ``items`` must reach as far ahead as the longest lead time, not only ``days``: a card
    for an occasion in 10 days is due now even in a 7-day digest. An item whose
    ``handled`` gesture is set (``agenda.with_gestures``) leaves Act now, and shows under
    Coming up as done.
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
        if ahead <= lead_of(item.occasion, default_lead) and item.handled is None:
            act_now.append(item)
        elif ahead <= days:
            coming_up.append(item)
    return Digest(
        today,
        days,
        tuple(on_the_day),
        tuple(act_now),
        tuple(coming_up),
        in_window,
        tuple(keep_in_touch),
        ideas or {},
        last_gifts or {},
    )


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
    return PLANS[occasion.plan].to_whom if occasion.plan in PLANS else NO_PLAN


def today_line(item: Upcoming, digest: Digest | None = None) -> str:
    """ "Bob Byte — Birthday (turns 41)", with the plan if there is one: "; plan: call"."""
    line = f"{item.person.name} — {occasion_phrase(item.occasion, item.years)}"
    line = f"{line}; plan: {item.occasion.plan}" if item.occasion.plan else line
    return line + memory_phrase(item, digest)


def act_line(item: Upcoming, today: date, digest: Digest | None = None) -> str:
    """ "Post a card to Bob Stone — Shop opening, Thu 24 Dec, in 10 days"."""
    what = occasion_phrase(item.occasion, item.years)
    line = f"{gesture(item.occasion)} {item.person.name} — {what}, {day_phrase(item.date, today)}"
    return line + memory_phrase(item, digest)


def coming_line(item: Upcoming, today: date, digest: Digest | None = None) -> str:
    """ "Ada Lovelace — Birthday (turns 41), Thu 10 Dec, in 12 days"."""
    line = f"{item.person.name} — {occasion_phrase(item.occasion, item.years)}, {day_phrase(item.date, today)}"
    return line + memory_phrase(item, digest)


def memory_phrase(item: Upcoming, digest: Digest | None) -> str:
    """What helps the gesture: "· Alice Smith's child · idea: a puzzle · last gift: scarf (Dec 2025)",
    or "· done: card" once it is taken care of."""
    parts = []
    if item.person.family:
        parts.append(item.person.family)
    if item.handled is not None:
        parts.append(done_phrase(item.handled))
    elif digest is not None:
        ideas = digest.ideas.get(item.person.id, ())
        if ideas:
            parts.append("idea" + ("s" if len(ideas) > 1 else "") + ": " + "; ".join(i.text for i in ideas[:3]))
        gift = digest.last_gifts.get(item.person.id)
        if gift is not None:
            parts.append(f"last gift: {gift.what or 'a gift'} ({MONTH_NAMES[gift.on.month][:3]} {gift.on.year})")
    return "".join(f" · {part}" for part in parts)


def keep_in_touch_line(item: Lapsed, today: date) -> str:
    """ "Bob Stone — every 30 days; last: Mon 12 Oct (11 days overdue)"."""
    since = (
        f"last: {short_day(item.last) if item.last.year == today.year else long_day(item.last)}"
        if item.last
        else "no gesture yet"
    )
    days = f"{plural(item.days_overdue, 'day', space=KEEP)}{KEEP}overdue"
    every = item.person.every_days or 0
    return f"{item.person.name} — every {plural(every, 'day')}; {since} ({days})"


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
        found.append(Section("today", "Today", tuple(today_line(item, digest) for item in digest.on_the_day)))
    if digest.act_now:
        lines = tuple(act_line(item, today, digest) for item in digest.act_now)
        found.append(Section("act-now", "Act now", lines))
    if digest.coming_up:
        heading = f"Coming up {window_phrase(digest.days)}"
        lines = tuple(coming_line(item, today, digest) for item in digest.coming_up)
        found.append(Section("coming-up", heading, lines))
    if digest.keep_in_touch:
        lines = tuple(keep_in_touch_line(item, today) for item in digest.keep_in_touch)
        found.append(Section("keep-in-touch", "Keep in touch", lines))
    return tuple(found)


def subject(digest: Digest) -> str:
    """The mail's subject: "servant: 2 occasions today, 3 this week".

    It counts occasions, not lines: today, then those in the next ``days`` days, then
    what is to be acted on beyond them (a card posted ahead of a date further out).
    The first count carries the noun.
    """
    counts: list[str] = []
    later = sum(1 for item in digest.act_now if item.days_until > digest.days)
    for number, where in (
        (len(digest.on_the_day), "today"),
        (digest.in_window, window_phrase(digest.days)),
        (later, "to act on now"),
    ):
        if number:
            counts.append(f"{number} {where}" if counts else f"{plural(number, 'occasion')} {where}")
    if digest.keep_in_touch:
        number = len(digest.keep_in_touch)
        counts.append(f"{plural(number, 'person', 'people')} to keep in touch with")
    if not counts:
        return f"servant: nothing due {window_phrase(digest.days)}" if digest.days else "servant: nothing due today"
    return "servant: " + ", ".join(counts)


def nothing_due(digest: Digest) -> str:
    """The one line of ``--always`` when there is nothing to say."""
    if digest.days == 0:
        return f"Nothing due today ({long_day(digest.today)})."
    return f"Nothing due today ({long_day(digest.today)}) or {window_phrase(digest.days)}."
