"""Pure date logic: reading what a user types, and when an occasion comes round.

Nothing here looks at the clock; every function that needs "today" is given it.

A stored date may lack its year (``--03-14``, ``March 14``): then it still recurs, but no
age or anniversary number is ever guessed. February 29 falls on February 28 in a
non-leap year by default, or on March 1 with the ``feb29 = "mar1"`` setting; the years
count is always that of the calendar year the occurrence falls in.

A custom date may instead be a yearly rule (``Rule``): the nth or last weekday of a
month ("2nd Sunday of May") or a day counted from Western Easter ("Easter+49"); its
days come from ``dateutil.rrule`` and ``dateutil.easter``, never from sums done here.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from servant_cli.errors import DatabaseError, DateError

MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

DATE_ORDERS = ("mdy", "dmy", "ymd")

#: What each ``date_order`` accepts, shown with every refusal (``ACCEPTED_FULL``: with a year).
ACCEPTED = {
    "mdy": '1985-03-14, --03-14, 03-14, "March 14", "14 Mar 1985", 03/14/1985',
    "dmy": '1985-03-14, --03-14, 03-14, "March 14", "14 Mar 1985", 14/03/1985',
    "ymd": '1985-03-14, --03-14, 03-14, "March 14", "14 Mar 1985", 1985/03/14',
}
ACCEPTED_FULL = {
    "mdy": '2026-03-14, "14 Mar 2026", "March 14 2026", 03/14/2026',
    "dmy": '2026-03-14, "14 Mar 2026", "March 14 2026", 14/03/2026',
    "ymd": '2026-03-14, "14 Mar 2026", "March 14 2026", 2026/03/14',
}
#: How numbers are read under each order, and the setting that reads them otherwise: a
#: refusal caused by the order names the setting.
_ORDER_NOTES = {
    "mdy": ' (numbers are read month/day/year; set date_order = "dmy" for day first)',
    "dmy": ' (numbers are read day/month/year; set date_order = "mdy" for month first)',
    "ymd": ' (numbers are read year/month/day; set date_order = "dmy" for day first)',
}

# Four digits or more, so that 99999-01-01 is told the year range rather than "not a date".
_ISO = re.compile(r"^(\d{4,})-(\d{1,2})-(\d{1,2})$")
_ISO_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# 1985/03/14 or 1985.03.14: a year first is never followed by the day, whatever the order.
_YEAR_FIRST = re.compile(r"^(\d{4})([/.])(\d{1,2})\2(\d{1,2})$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$|^--(\d{1,2})-(\d{1,2})$|^(\d{1,2})-(\d{1,2})$")
_DASHED_YEAR_LAST = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?$")

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_WORDS = {
    **{name.lower(): index for index, name in enumerate(_DAY_NAMES)},
    **{name[:3].lower(): index for index, name in enumerate(_DAY_NAMES)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}
_WEEKDAY_NAMES = "|".join(sorted(_WEEKDAY_WORDS, key=len, reverse=True))
_WEEKDAY = re.compile(rf"\b({_WEEKDAY_NAMES})\b\.?,?", re.IGNORECASE)
# "2nd Sunday of May", "last Friday": a rule for finding a day, not a day.
_WEEKDAY_RULE = re.compile(
    rf"\b(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|last)\s+(?:{_WEEKDAY_NAMES})\b", re.IGNORECASE
)
#: Words a date in words may hold that say nothing ("14th of March", "the 14th").
_FILLERS = frozenset({"of", "the"})


class PartialDate(NamedTuple):
    """A month and day, with the year when it is known."""

    month: int
    day: int
    year: int | None = None

    def __str__(self) -> str:
        text = f"{self.day} {MONTH_NAMES[self.month]}"
        return f"{text} {self.year}" if self.year is not None else text

    def iso(self) -> str:
        """ISO 8601 form: ``1985-03-14``, or ``--03-14`` without a year."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _refusal(raw: str, why: str | None, date_order: str) -> DateError:
    """``'<value>' is not a date: <why>; use <accepted forms>``, the one shape of every refusal."""
    reason = f": {why}" if why else ""
    value = raw if len(raw) <= 40 else raw[:40] + "…"  # a pasted page must not fill the screen
    return DateError(f"{value!r} is not a date{reason}; use {ACCEPTED.get(date_order, ACCEPTED['mdy'])}")


def _full_year_hint(year: int) -> str:
    """What to write instead of a two-digit year: "write the year in full (1985 or 2085)"."""
    yy = year % 100
    return f"write the year in full (19{yy:02d} or 20{yy:02d})"


def _build(year: int | None, month: int, day: int, text: str, date_order: str, order_note: str = "") -> PartialDate:
    """Check that the parts make a real date; yearless dates may be Feb 29."""
    if not 1 <= month <= 12:
        raise _refusal(text, f"there is no month {month}{order_note}", date_order)
    if year is not None and not 1 <= year <= 9999:
        raise _refusal(text, "the year must be 1 to 9999", date_order)
    why = _no_such_day(year, month, day)
    if why:
        raise _refusal(text, why, date_order)
    return PartialDate(month, day, year)


def _no_such_day(year: int | None, month: int, day: int) -> str | None:
    """Why month/day (in ``year``, when given) is not a real day, or None when it is."""
    if year is not None and month == 2 and day == 29 and not calendar.isleap(year):
        return f"{year} is not a leap year"
    if not 1 <= day <= calendar.monthrange(year if year is not None else 2000, month)[1]:
        return f"{MONTH_NAMES[month]} has no day {day}"
    return None


def _likely_iso(first: int, second: int, year: int, date_order: str) -> str | None:
    """The ISO form of ``first``-``second``-``year`` as it most likely was meant: in the
    order's reading when that is a real date, else in the other one; None when neither is."""
    readings = [(second, first), (first, second)] if date_order == "dmy" else [(first, second), (second, first)]
    for month, day in readings:
        if 1 <= month <= 12 and _no_such_day(year, month, day) is None:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def parse_date(text: str, date_order: str = "mdy") -> PartialDate:
    """Read a date as a user types it; the year is optional.

    Numeric forms are read strictly (``03/04/1985`` is March 4 under ``mdy``, April 3
    under ``dmy``; ``13/04/1985`` is refused under ``mdy`` rather than silently
    swapped). Under ``ymd`` the year comes first (``1985/03/04``; without a year,
    ``03/04`` is March 4), and a year written last is refused as unclear; a year
    first is read year/month/day under every order. Forms with a month name go to
    ``dateutil``, and are accepted only when they name both a month and a day and
    every word is used: a weekday must be the date's own, and a rule such as "2nd
    Sunday of May" is refused rather than read as May 2.
    """
    raw = text
    text = text.strip()
    if not text:
        raise _refusal(raw, "no date given", date_order)
    if _LONG_NUMBER.search(text):
        # int() of thousands of digits is refused by Python itself: say it here, short.
        shown = f"{text[:40]}…" if len(text) > 40 else text
        raise DateError(f"{shown!r} is not a date: it holds a number of more than 8 digits")
    return _read(text, raw, date_order)


#: A run of digits no part of a date has.
_LONG_NUMBER = re.compile(r"\d{9}")
#: The days ``--from`` and ``--on`` take: a day servant can count its widest window (ten
#: years, and a year for a next occurrence) from, either way, before ``date`` runs out.
FIRST_DAY, LAST_DAY = date(1000, 1, 1), date(9988, 12, 31)


def _read(text: str, raw: str, date_order: str) -> PartialDate:
    """``parse_date`` of the stripped ``text``; every refusal names ``raw``, as typed."""
    if m := _ISO.match(text) or _ISO_COMPACT.match(text):
        return _build(int(m[1]), int(m[2]), int(m[3]), raw, date_order)
    if m := _YEAR_FIRST.match(text):
        return _build(int(m[1]), int(m[3]), int(m[4]), raw, date_order, " (numbers are read year/month/day)")
    if m := _NO_YEAR.match(text):
        parts = [int(p) for p in m.groups() if p is not None]
        return _build(None, parts[0], parts[1], raw, date_order, " (dashes are read month-day, as in --03-14)")
    if m := _DASHED_YEAR_LAST.match(text):
        # Month or day first? Slashes follow date_order; dashes belong to ISO, year first.
        example = _likely_iso(int(m[1]), int(m[2]), int(m[3]), date_order)
        instead = f"write the year first ({example})" if example else "write the year first (YYYY-MM-DD)"
        raise _refusal(raw, f"with dashes {instead} or use slashes", date_order)
    if m := _NUMERIC.match(text):
        return _numeric(int(m[1]), int(m[2]), m[3], raw, date_order)
    if not re.search(r"[A-Za-z]", text) or re.search(r"\d{1,2}:\d{2}", text):
        raise _refusal(raw, None, date_order)
    if _WEEKDAY.search(text):
        return _with_weekday(text, raw, date_order)
    return _parse_words(text, raw, date_order)


def _numeric(first: int, second: int, year: str | None, raw: str, date_order: str) -> PartialDate:
    """``03/14/1985``, ``14.03.1985``, ``03/14``: read in the order ``date_order`` says."""
    if year is not None and len(year) == 2:
        raise _refusal(raw, _full_year_hint(int(year)), date_order)
    if year is not None and date_order == "ymd":
        # Which number is the month is anyone's guess here; the example says how it was taken.
        example = _likely_iso(first, second, int(year), "mdy")
        written = f" ({example.replace('-', '/')})" if example else ""
        why = f"the year goes first{written}: numbers are read year/month/day"
        raise _refusal(raw, f'{why}; set date_order = "mdy" or "dmy" to write it last', date_order)
    month, day = (second, first) if date_order == "dmy" else (first, second)
    # Say how the numbers were read, so that 13/04/1985 under "mdy" explains itself.
    return _build(int(year) if year else None, month, day, raw, date_order, _ORDER_NOTES[date_order])


def _with_weekday(text: str, raw: str, date_order: str) -> PartialDate:
    """A date with its weekday ("Thu 14 Mar 1985"): read without it, then checked against it."""
    rule = _WEEKDAY_RULE.search(text)
    if rule:
        raise _refusal(raw, f'"{rule[0]}" is a rule, not a day; give the day itself', date_order)
    named = {_WEEKDAY_WORDS[m[1].lower()] for m in _WEEKDAY.finditer(text)}
    rest = _WEEKDAY.sub(" ", text).strip(" ,.")
    if not rest:
        raise _refusal(raw, "it needs both a month and a day", date_order)
    when = _read(rest, raw, date_order)
    if when.year is None:
        days = " or ".join(_DAY_NAMES[index] for index in sorted(named))
        raise _refusal(raw, f"a weekday ({days}) cannot be checked without the year; leave it out", date_order)
    actual = calendar.weekday(when.year, when.month, when.day)
    wrong = sorted(index for index in named if index != actual)
    if wrong:
        raise _refusal(raw, f"{when} is a {_DAY_NAMES[actual]}, not a {_DAY_NAMES[wrong[0]]}", date_order)
    return when


def _parse_words(text: str, raw: str, date_order: str) -> PartialDate:
    """Parse "March 14", "14 Mar 1985" and the like with dateutil; every word must count."""
    from datetime import datetime, time

    from dateutil import parser

    # Two defaults that differ in every field show which fields the text supplied.
    # Both default years are leap years, so a yearless "Feb 29" parses.
    defaults = (datetime(2000, 1, 1), datetime(2004, 2, 2))
    results = []
    for default in defaults:
        try:
            # fuzzy_with_tokens: the parts dateutil skipped come back, so none goes unread.
            parsed, skipped = parser.parse(text, default=default, dayfirst=date_order == "dmy", fuzzy_with_tokens=True)
        except (ValueError, OverflowError) as exc:
            # dateutil's own reasons ("minute must be in 0..59") would puzzle a user.
            why = _why_words_fail(text)
            if why is None and str(exc).startswith("day is out of range"):
                why = "that month has no such day"
            raise _refusal(raw, why, date_order) from exc
        results.append(parsed)
    unused = [word for word in re.findall(r"[^\s,.]+", " ".join(skipped)) if word.lower() not in _FILLERS]
    if unused:
        words = " ".join(unused)
        words = words if len(words) <= 40 else words[:40] + "…"
        raise _refusal(raw, f'"{words}" is not part of a date', date_order)
    first, second = results
    if first.month != second.month or first.day != second.day:
        raise _refusal(raw, _why_words_fail(text) or "it needs both a month and a day", date_order)
    if first.time() != time() or first.tzinfo is not None:
        # "March 14 2pm" or "Mar 14 2020 14": dateutil reads the rest as a time; a date has none.
        raise _refusal(raw, "it has a time or an extra number in it", date_order)
    year = first.year if first.year == second.year else None
    if year is not None and str(year) not in text:
        raise _refusal(raw, _full_year_hint(year), date_order)
    return _build(year, first.month, first.day, raw, date_order)


def _why_words_fail(text: str) -> str | None:
    """Why "Feb 30", "Mar 32" or "29 Feb 2023" is no date, when the text is that simple.

    Only used to explain a refusal: one month name, one day number and at most a
    four-digit year; anything else gets no reason rather than a wrong one.
    """
    months = [index for word in re.findall(r"[A-Za-z]+", text) if (index := _month_index(word))]
    numbers = re.findall(r"\d+", text)
    days = [int(n) for n in numbers if len(n) <= 2]
    years = [int(n) for n in numbers if len(n) == 4]
    if len(months) != 1 or len(days) != 1 or len(years) > 1 or len(days) + len(years) != len(numbers):
        return None
    return _no_such_day(years[0] if years else None, months[0], days[0])


def _month_index(word: str) -> int | None:
    """1 for "Jan", "January" or "jan"; None for any other word."""
    word = word.lower()
    if word == "sept":
        return 9
    if len(word) < 3:
        return None
    return next((i for i, name in enumerate(MONTH_NAMES) if name and name.lower().startswith(word)), None)


def parse_day(text: str, date_order: str = "mdy") -> date:
    """Read a full calendar date (with its year), as ``--from`` and ``--on`` take it."""
    raw = text
    if text.strip().lower() == "today":
        raise DateError("'today' is the default; give a date such as 2026-03-14 instead")
    try:
        parsed = parse_date(text, date_order)
    except DateError as exc:
        accepted = ACCEPTED_FULL.get(date_order, ACCEPTED_FULL["mdy"])
        message = exc.message.rsplit("; use ", 1)[0]
        raise DateError(f"{message}; use {accepted}") from exc
    if parsed.year is None:
        # The example must itself be a date: 29 February needs a leap year.
        example = 2028 if (parsed.month, parsed.day) == (2, 29) else 2026
        raise DateError(f"{raw!r} has no year; give a full date such as {example}-{parsed.month:02d}-{parsed.day:02d}")
    day = date(parsed.year, parsed.month, parsed.day)
    if day < FIRST_DAY:
        raise DateError(f"{raw.strip()!r} is too far back; use a date from {FIRST_DAY.isoformat()}")
    if day > LAST_DAY:
        raise DateError(f"{raw.strip()!r} is too far ahead; use a date up to {LAST_DAY.isoformat()}")
    return day


def occurrence_in(year: int, month: int, day: int, feb29: str = "feb28") -> date:
    """The day an occasion on month/day is marked in ``year`` (Feb 29 rule applied)."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 3, 1) if feb29 == "mar1" else date(year, 2, 28)
    return date(year, month, day)


def next_occurrence(month: int, day: int, today: date, feb29: str = "feb28") -> date:
    """The first day on or after ``today`` on which the occasion is marked."""
    this_year = occurrence_in(today.year, month, day, feb29)
    if this_year >= today:
        return this_year
    return occurrence_in(today.year + 1, month, day, feb29)


def occurrences_between(
    month: int,
    day: int,
    start: date,
    end: date,
    feb29: str = "feb28",
    since: int | None = None,
) -> list[date]:
    """Every day from ``start`` to ``end`` (both included) the occasion is marked.

    ``since`` is the year of the original date: nothing is marked before the date
    itself happened.
    """
    found = []
    for year in range(max(start.year, since or start.year), end.year + 1):
        when = occurrence_in(year, month, day, feb29)
        if start <= when <= end:
            found.append(when)
    return found


def years_on(since: int | None, when: date) -> int | None:
    """Age or anniversary number on ``when`` for a date first seen in ``since``."""
    if since is None:
        return None
    return when.year - since


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 112th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def relative_day(when: date, today: date) -> str:
    """ "Today", "Tomorrow", "in 5 days" (or "3 days ago")."""
    delta = (when - today).days
    if delta == 0:
        return "Today"
    if delta == 1:
        return "Tomorrow"
    if delta == -1:
        return "Yesterday"
    if delta < 0:
        return f"{-delta} days ago"
    return f"in {delta} days"


_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def format_day(when: date) -> str:
    """``Sat 22 Nov 2026``: weekday included, so "Friday" can be checked at a glance.

    Always English, whatever the locale, like the rest of servant's output.
    """
    return f"{_DAY_ABBR[when.weekday()]} {when.day} {MONTH_NAMES[when.month][:3]} {when.year}"


# -- yearly rules ---------------------------------------------------------------------

_NTH_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
_RULE_WORDS = re.compile(
    rf"^(?:the\s+)?(\d+(?:st|nd|rd|th)|{'|'.join(_NTH_WORDS)})\s+({_WEEKDAY_NAMES})\.?\s+(?:of|in)\s+([a-z]+)\.?$",
    re.IGNORECASE,
)
_EASTER_WORDS = re.compile(r"^easter(?:\s*(?:sunday)?\s*([+-])\s*(\d+)(?:\s*days?)?)?$", re.IGNORECASE)
_STORED_WEEKDAY = re.compile(r"^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)/(\d{1,2})$")
_STORED_EASTER = re.compile(r"^easter(?:([+-]\d{1,3}))?$")
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: How far from Easter a rule may count: every such day stays in Easter's own year
#: (Ash Wednesday is -46, Pentecost +49, Corpus Christi +60).
EASTER_SPAN = 70
RULES_ACCEPTED = '"2nd Sunday of May", "last Monday of May", "Easter", "Easter-2", "Easter+49"'


class Rule(NamedTuple):
    """A yearly rule for a day: the ``nth`` ``weekday`` (0 Monday … 6 Sunday) of ``month``,
    ``nth`` -1 for the last; or, with ``easter`` set, that many days after Western Easter
    (before it when negative), and the other fields 0."""

    month: int = 0
    weekday: int = 0
    nth: int = 0
    easter: int | None = None

    def occurrence(self, year: int) -> date:
        """The day the rule gives in ``year`` (1 to 9999)."""
        return _occurrence(self, year)

    def between(self, start: date, end: date) -> list[date]:
        """Every day from ``start`` to ``end`` (both included) the rule gives."""
        found = []
        for year in range(start.year, end.year + 1):
            when = self.occurrence(year)
            if start <= when <= end:
                found.append(when)
        return found

    def next_from(self, today: date) -> date:
        """The first day on or after ``today`` the rule gives."""
        when = self.occurrence(today.year)
        return when if when >= today else self.occurrence(today.year + 1)

    def text(self) -> str:
        """The stored form: ``2SU/5``, ``-1MO/5``, ``easter``, ``easter+49``, ``easter-2``."""
        if self.easter is not None:
            return f"easter{self.easter:+d}" if self.easter else "easter"
        return f"{self.nth}{_ICAL_DAYS[self.weekday]}/{self.month}"

    def __str__(self) -> str:
        """In words: "2nd Sunday of May", "last Monday of May", "Easter", "49 days after Easter"."""
        if self.easter is not None:
            if not self.easter:
                return "Easter"
            count = abs(self.easter)
            return f"{count} day{'s' if count != 1 else ''} {'after' if self.easter > 0 else 'before'} Easter"
        nth = "last" if self.nth == -1 else ordinal(self.nth)
        return f"{nth} {_DAY_NAMES[self.weekday]} of {MONTH_NAMES[self.month]}"

    def rrule(self) -> str | None:
        """The iCalendar RRULE value (``FREQ=YEARLY;BYMONTH=5;BYDAY=2SU``); None for a day
        counted from Easter, which no RRULE can give."""
        if self.easter is not None:
            return None
        return f"FREQ=YEARLY;BYMONTH={self.month};BYDAY={self.nth}{_ICAL_DAYS[self.weekday]}"

    def earliest(self) -> tuple[int, int]:
        """The first month and day the rule can ever give: what a rule date stores as its
        month and day, so that anything sorting by them puts it near its days."""
        if self.easter is not None:
            first = date(2001, 3, 22) + timedelta(days=self.easter)  # Easter is March 22 at the earliest
            return first.month, first.day
        if self.nth == -1:
            return self.month, calendar.monthrange(2001, self.month)[1] - 6
        return self.month, (self.nth - 1) * 7 + 1

    @classmethod
    def of(cls, stored: str) -> Rule:
        """The rule of its stored form (``text``); DateError for anything else."""
        if m := _STORED_WEEKDAY.match(stored):
            month = int(m[3])
            if 1 <= month <= 12:
                return cls(month, _ICAL_DAYS.index(m[2]), int(m[1]))
        elif m := _STORED_EASTER.match(stored):
            offset = int(m[1] or 0)
            if abs(offset) <= EASTER_SPAN:
                return cls(easter=offset)
        raise DateError(f"{stored[:40]!r} is not a stored rule; use {RULES_ACCEPTED}")


def stored_day(month: int, day: int, year: int | None, rule: str | None = None) -> PartialDate | Rule | str:
    """A stored key date as it is shown: its day ("14 March 1985"), or its rule in words
    ("2nd Sunday of May") when it is one; a rule servant does not know, as it is stored
    (so that the date that replaces it can be reported)."""
    if not rule:
        return PartialDate(month, day, year)
    try:
        return stored_rule(rule)
    except DatabaseError:
        return f"the unknown rule {rule[:40]!r}"


@lru_cache(maxsize=1024)
def stored_rule(stored: str) -> Rule:
    """``Rule.of``, read once per stored form (every upcoming row of a rule date asks). A
    form servant never writes (another program's, or a newer servant's) is an error that
    says what to do rather than a guess."""
    try:
        return Rule.of(stored)
    except DateError:
        raise DatabaseError(
            f"a stored date or season has the rule {stored[:40]!r}, which this servant does not know;"
            " set that date again with 'servant date', or remove the season and add it again"
        ) from None


@lru_cache(maxsize=4096)
def _occurrence(rule: Rule, year: int) -> date:
    from datetime import datetime

    if rule.easter is not None:
        from dateutil.easter import EASTER_WESTERN, easter

        return easter(year, EASTER_WESTERN) + timedelta(days=rule.easter)
    from dateutil import rrule as rr

    weekday = rr.weekdays[rule.weekday](rule.nth)
    days = rr.rrule(rr.YEARLY, dtstart=datetime(year, 1, 1), count=1, bymonth=rule.month, byweekday=weekday)
    return days[0].date()


def parse_rule(text: str) -> Rule | None:
    """A yearly rule as a user types it ("2nd Sunday of May", "last Monday of May",
    "first Friday of December", "Easter", "Easter-2", "Easter + 49 days"), or its stored
    form (``2SU/5``, ``easter+49``); None when ``text`` is no rule at all (it may still be a
    date). A rule that cannot be kept ("5th Sunday of May": not every year has one) is
    refused with DateError."""
    words = " ".join(text.split())
    if _LONG_NUMBER.search(words):
        return None  # no rule has such a number; parse_date refuses it in a short line
    if m := _EASTER_WORDS.match(words):
        offset = int(m[2] or 0) * (-1 if m[1] == "-" else 1)
        if offset > EASTER_SPAN or offset < -EASTER_SPAN:
            raise DateError(
                f"{words[:40]!r}: a day counted from Easter must be within {EASTER_SPAN} days of it,"
                f" e.g. Easter-2 or Easter+49"
            )
        return Rule(easter=offset)
    if _STORED_WEEKDAY.match(words) or _STORED_EASTER.match(words):
        return Rule.of(words)
    m = _RULE_WORDS.match(words)
    if not m:
        return None
    nth_word = m[1].lower()
    nth = _NTH_WORDS[nth_word] if nth_word in _NTH_WORDS else int(nth_word[:-2])
    month = _month_index(m[3])
    if month is None:
        raise DateError(f"{words[:40]!r}: {m[3]!r} is not a month; use {RULES_ACCEPTED}")
    if not (1 <= nth <= 4 or nth == -1):
        raise DateError(
            f"{words[:40]!r}: only some years have a {ordinal(nth)} {_DAY_NAMES[_WEEKDAY_WORDS[m[2].lower()]]}"
            f" of {MONTH_NAMES[month]}; use 1st to 4th, or last"
        )
    return Rule(month, _WEEKDAY_WORDS[m[2].lower()], nth)
