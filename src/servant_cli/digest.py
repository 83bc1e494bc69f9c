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

Between Act now and Coming up, a section per season in its lead window (``Checklist``):
its heading is the season's line ("Holiday cards: post a card to 24 clients — Tue 1
Dec, in 20 days; 6 done, 18 to go"), its rows the people still left, each with how to
reach them.

It is a call sheet: every line of Today, Act now and Keep in touch says how to reach the
person (``Reach``: phone, email, the first line of their notes), and every Act now line
carries the ``servant log`` command that marks it done. What a line says is kept in
parts (``Row``) so that the HTML part can lay it out as a table; ``Row.text`` is the
line as plain text says it.

An empty digest is a digest with no section: the command then prints and sends nothing.
The wording lives here, not in ``render``, so that it can be tested without a terminal;
``render`` only lays it out (Rich, plain text wrapped for mail, HTML).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import NamedTuple

from servant_cli.agenda import Lapsed, done_phrase, history_phrase, years_phrase
from servant_cli.dates import MONTH_NAMES, format_day, relative_day
from servant_cli.models import PLANS, Checklist, Gesture, Idea, Occasion, Person, Season, Upcoming
from servant_cli.text import plural

#: What to say when nothing is planned.
NO_PLAN = "Get ready for"
#: Joins the words of a day ("Thu 24 Dec, in 10 days") so that wrapping a line for
#: mail does not split them; ``render`` turns it back into a space.
KEEP = "\u00a0"


#: The sections whose lines say how to reach the person (Coming up stays short).
REACHING = frozenset({"today", "act-now", "season", "keep-in-touch"})


class Reach(NamedTuple):
    """How to reach a person: phone, email, and the first line of their notes."""

    phone: str | None = None
    email: str | None = None
    note: str | None = None

    @property
    def parts(self) -> tuple[str, ...]:
        """What there is of the three, in that order."""
        return tuple(part for part in self if part)


#: The most of a note's first line a call sheet shows; a longer one ends in "…".
NOTE_LENGTH = 80


def reach_of(person: Person) -> Reach:
    """How to reach ``person``; blank values count as none. The note is its first line,
    cut at a word to at most ``NOTE_LENGTH`` characters."""
    notes = [line.strip() for line in (person.notes or "").splitlines() if line.strip()]
    phone, email = (person.phone or "").strip(), (person.email or "").strip()
    return Reach(phone or None, email or None, _short(notes[0]) if notes else None)


def _short(line: str) -> str:
    if len(line) <= NOTE_LENGTH:
        return line
    cut = line[: NOTE_LENGTH - 1]
    word = cut.rsplit(" ", 1)[0] if " " in cut[NOTE_LENGTH // 2 :] else cut
    return word.rstrip(" ,;:.-—") + "…"


class Row(NamedTuple):
    """One line of a section, in the parts a table shows."""

    #: The whole line as plain text says it (days held together by ``KEEP``).
    text: str
    who: str
    #: What the occasion is: "Birthday (turns 41)"; under Keep in touch, the cadence.
    what: str
    #: The plan in words: "Order flowers", "Get ready"; "" when there is nothing to say.
    do: str = ""
    #: When: "Wed 9 Dec" and "in 11 days" (or "Today" and ""; under Keep in touch, how
    #: long it has been).
    day: str = ""
    relative: str = ""
    #: What helps: the family link, gift ideas, the last gift, "done: card".
    notes: tuple[str, ...] = ()
    #: How to reach the person (None in sections that do not say it).
    reach: Reach | None = None
    #: The ``servant log`` command that marks an Act now line done.
    command: str | None = None
    #: What was done for the same date in earlier years, on a line of its own under an
    #: Act now line: "Last years: 2025: flowers — peonies ($45) · 2024: card"; "" for none.
    history: str = ""


class Section(NamedTuple):
    """One part of the digest: its heading and a row per occasion (or person)."""

    key: str  # "today", "act-now", "season", "coming-up" or "keep-in-touch": how render styles it
    heading: str
    rows: tuple[Row, ...]
    #: How many more lines it has than it lists, and the command that lists them all.
    more: int = 0
    see_all: str | None = None

    @property
    def more_line(self) -> str:
        """ "…and 3,250 more", with the command that lists them: "" when it lists all."""
        if not self.more:
            return ""
        return f"…and {self.more:,} more" + (", all of them with:" if self.see_all else ".")

    @property
    def lines(self) -> tuple[str, ...]:
        """Each row as one line of plain text."""
        return tuple(row.text for row in self.rows)

    @property
    def reaching(self) -> bool:
        """Whether its rows say how to reach the person."""
        return self.key in REACHING


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
    #: How to reach the people of Today, Act now and Keep in touch, by person id, and
    #: the command that marks each Act now occurrence done, by (occasion id, day); both
    #: are filled by ``services.callsheet.call_sheet``.
    reach: Mapping[int, Reach] = {}
    commands: Mapping[tuple[int, date], str] = {}
    #: The seasons in their lead window, soonest first (``services.seasons.due_seasons``).
    seasons: tuple[Checklist, ...] = ()
    #: How many lines each section has in all ("today", "act-now", "coming-up",
    #: "keep-in-touch"), when it lists only the first ``limit`` (``services.digest``);
    #: a section not here lists all of its lines.
    totals: Mapping[str, int] = {}
    #: How many dates past Coming up are to be acted on now (None: count ``act_now``).
    later: int | None = None
    #: The most lines a section lists (a season's too); None for all.
    limit: int | None = None
    #: How far ahead Act now looked (the longest lead time), the --tag and --kind the
    #: digest was made for, and the command that lists all of a section that lists only
    #: some, by section key (a season's: "season:" and its name; ``services.callsheet``).
    looked_ahead: int = 0
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    see_all: Mapping[str, str] = {}

    @property
    def empty(self) -> bool:
        return not (self.on_the_day or self.act_now or self.coming_up or self.keep_in_touch or self.seasons)

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
    seasons: Iterable[Checklist] = (),
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
        seasons=tuple(seasons),
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


def plan_words(occasion: Occasion) -> str:
    """The plan on its own, as a table says it: "Order flowers", "Call", "Get ready"."""
    words = gesture(occasion)
    for joint in (" to", " for"):
        words = words.removesuffix(joint)
    return words


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


def memory_parts(item: Upcoming, digest: Digest | None) -> list[str]:
    """What helps the gesture: "Alice Smith's child", "idea: a puzzle", "last gift: scarf
    (Dec 2025)", or "done: card" once it is taken care of."""
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
    return parts


def memory_phrase(item: Upcoming, digest: Digest | None) -> str:
    """``memory_parts`` as the end of a line: " · idea: a puzzle · last gift: scarf (Dec 2025)"."""
    return "".join(f" · {part}" for part in memory_parts(item, digest))


def since_phrase(item: Lapsed, today: date) -> str:
    """ "last: Mon 12 Oct", or "no gesture yet"."""
    if item.last is None:
        return "no gesture yet"
    return f"last: {short_day(item.last) if item.last.year == today.year else long_day(item.last)}"


def overdue_phrase(item: Lapsed) -> str:
    """ "11 days overdue" (words joined by ``KEEP``)."""
    return f"{plural(item.days_overdue, 'day', space=KEEP)}{KEEP}overdue"


def keep_in_touch_line(item: Lapsed, today: date) -> str:
    """ "Bob Stone — every 30 days; last: Mon 12 Oct (11 days overdue)"."""
    every = item.person.every_days or 0
    return f"{item.person.name} — every {plural(every, 'day')}; {since_phrase(item, today)} ({overdue_phrase(item)})"


def log_command(person: str, kind: str, for_: str | None = None, db: str | None = None) -> str:
    """The command that logs ``kind`` for ``person`` (a name or ``#ID``), quoted for a POSIX
    shell: ``servant log 'Grace Kim' flowers --for birthday``.

    ``for_`` is the date's kind or label (``servant log --for``); ``db`` the ``--db``
    the digest was given. A value that starts with "-" cannot be taken for an option.
    """
    from shlex import quote

    words = ["servant", *(("--db", quote(db)) if db else ()), "log"]
    options = []
    if for_ is not None:
        options = [f"--for={quote(for_)}"] if for_.startswith("-") else ["--for", quote(for_)]
    if person.startswith("-"):
        return " ".join([*words, *options, "--", quote(person), kind])
    return " ".join([*words, quote(person), kind, *options])


def window_phrase(days: int) -> str:
    """The next ``days`` days in words: "this week", "tomorrow", "in the next 30 days"."""
    if days == 1:
        return "tomorrow"
    if days == 7:
        return "this week"
    return f"in the next {days} days"


def _when(item: Upcoming, today: date) -> tuple[str, str]:
    """ "Wed 9 Dec" and "in 11 days", as a table's first column says them."""
    day = short_day(item.date) if item.date.year == today.year else long_day(item.date)
    return day, relative_day(item.date, today).lower()


def today_row(item: Upcoming, digest: Digest) -> Row:
    """A row of Today: the occasion, the plan if any, how to reach the person."""
    return Row(
        today_line(item, digest),
        item.person.name,
        occasion_phrase(item.occasion, item.years),
        plan_words(item.occasion) if item.occasion.plan else "",
        "Today",
        "",
        tuple(memory_parts(item, digest)),
        digest.reach.get(item.person.id, Reach()),
    )


def act_row(item: Upcoming, digest: Digest) -> Row:
    """A row of Act now: the plan in words, when, how to reach, the command that marks it done."""
    return Row(
        act_line(item, digest.today, digest),
        item.person.name,
        occasion_phrase(item.occasion, item.years),
        plan_words(item.occasion),
        *_when(item, digest.today),
        tuple(memory_parts(item, digest)),
        digest.reach.get(item.person.id, Reach()),
        digest.commands.get((item.occasion.id, item.date)),
        history_line(item),
    )


#: The earlier years an Act now line names (the latest): its line stays short.
HISTORY_YEARS = 3


def history_line(item: Upcoming) -> str:
    """ "Last years: 2025: flowers — peonies ($45) · 2024: card" (the latest
    ``HISTORY_YEARS``), or "" when nothing was done for the date before."""
    return f"Last years: {history_phrase(item.history[:HISTORY_YEARS])}" if item.history else ""


def coming_row(item: Upcoming, digest: Digest) -> Row:
    """A row of Coming up: short, no way to reach."""
    return Row(
        coming_line(item, digest.today, digest),
        item.person.name,
        occasion_phrase(item.occasion, item.years),
        "",
        *_when(item, digest.today),
        tuple(memory_parts(item, digest)),
    )


def keep_in_touch_row(item: Lapsed, digest: Digest) -> Row:
    """A row of Keep in touch: how overdue, the cadence, how to reach the person."""
    return Row(
        keep_in_touch_line(item, digest.today),
        item.person.name,
        f"every {plural(item.person.every_days or 0, 'day')}",
        "Get in touch",
        overdue_phrase(item).replace(KEEP, " "),
        since_phrase(item, digest.today),
        (),
        digest.reach.get(item.person.id, Reach()),
    )


def group_phrase(season: Season, count: int) -> str:
    """Whom a season is for, counted: "24 clients", "3 people tagged family", "5 people"."""
    people = plural(count, "person", "people")
    if not season.tags:
        return people
    if len(season.tags) > 1:
        return f"{people} tagged {' or '.join(season.tags)}"
    tag = season.tags[0]
    # A plain word makes its plural with an "s" ("client", "supplier"); anything else
    # ("family", "VIP list", "clients") is safer said as a tag.
    if tag.isascii() and tag.isalpha() and tag.islower() and tag[-1] not in "sxyz" and not tag.endswith(("ch", "sh")):
        return plural(count, tag)
    return f"{people} tagged {tag}"


def season_progress(item: Checklist) -> str:
    """ "6 done, 18 to go", "all 24 done", "no one has its tags yet"."""
    total = len(item.people)
    if not total:
        return "no one has its tags yet"
    left = total - len(item.done)
    return f"all {total} done" if not left else f"{len(item.done)} done, {left} to go"


def season_line(item: Checklist, today: date) -> str:
    """ "Holiday cards: post a card to 24 clients — Tue 1 Dec, in 20 days; 6 done, 18 to go"."""
    season = item.season
    to_whom = PLANS[season.plan].to_whom if season.plan in PLANS else NO_PLAN
    group = group_phrase(season, len(item.people))
    return f"{season.name}: {to_whom.lower()} {group} — {day_phrase(item.day, today)}; {season_progress(item)}"


def season_row(item: Checklist, person: Person, today: date) -> Row:
    """A person still left in a season: their name and how to reach them."""
    season = item.season
    day = short_day(item.day) if item.day.year == today.year else long_day(item.day)
    do = plan_words(Occasion(0, 0, "custom", item.day.month, item.day.day, plan=season.plan))
    return Row(
        person.name, person.name, season.name, do, day, relative_day(item.day, today).lower(), (), reach_of(person)
    )


def sections(digest: Digest) -> tuple[Section, ...]:
    """The sections that have rows, in the order the digest reads."""
    found = []

    def add(key: str, heading: str, rows: tuple[Row, ...]) -> None:
        more = total(digest, key, rows) - len(rows)
        found.append(Section(key, heading, rows, more, digest.see_all.get(key) if more else None))

    if digest.on_the_day:
        add("today", "Today", tuple(today_row(item, digest) for item in digest.on_the_day))
    if digest.act_now:
        add("act-now", "Act now", tuple(act_row(item, digest) for item in digest.act_now))
    for item in digest.seasons:
        left = item.left
        rows = tuple(season_row(item, person, digest.today) for person in left[: digest.limit])
        more = len(left) - len(rows)
        see = digest.see_all.get(f"season:{item.season.name}") if more else None
        found.append(Section("season", season_line(item, digest.today), rows, more, see))
    if digest.coming_up:
        add(
            "coming-up",
            f"Coming up {window_phrase(digest.days)}",
            tuple(coming_row(i, digest) for i in digest.coming_up),
        )
    if digest.keep_in_touch:
        add("keep-in-touch", "Keep in touch", tuple(keep_in_touch_row(item, digest) for item in digest.keep_in_touch))
    return tuple(found)


def total(digest: Digest, key: str, listed: Sequence[object]) -> int:
    """How many lines section ``key`` has in all, of which it lists ``listed``."""
    return digest.totals.get(key, len(listed))


def subject(digest: Digest) -> str:
    """The mail's subject: "servant: 2 occasions today, 3 this week".

    It counts occasions, not lines: today, then those in the next ``days`` days, then
    what is to be acted on beyond them (a card posted ahead of a date further out).
    The first count carries the noun.
    """
    counts: list[str] = []
    later = digest.later
    if later is None:
        later = sum(1 for item in digest.act_now if item.days_until > digest.days)
    for number, where in (
        (total(digest, "today", digest.on_the_day), "today"),
        (digest.in_window, window_phrase(digest.days)),
        (later, "to act on now"),
    ):
        if number:
            counts.append(f"{number} {where}" if counts else f"{plural(number, 'occasion')} {where}")
    if digest.keep_in_touch:
        number = total(digest, "keep-in-touch", digest.keep_in_touch)
        counts.append(f"{plural(number, 'person', 'people')} to keep in touch with")
    if digest.seasons:
        counts.append(f"{plural(len(digest.seasons), 'season')} under way")
    if not counts:
        return f"servant: nothing due {window_phrase(digest.days)}" if digest.days else "servant: nothing due today"
    return "servant: " + ", ".join(counts)


def nothing_due(digest: Digest) -> str:
    """The one line of ``--always`` when there is nothing to say."""
    if digest.days == 0:
        return f"Nothing due today ({long_day(digest.today)})."
    return f"Nothing due today ({long_day(digest.today)}) or {window_phrase(digest.days)}."
