"""Pure date logic: reading what a user types, and when an occasion comes round.

Nothing here looks at the clock; every function that needs "today" is given it.

A stored date may lack its year (``--03-14``, ``March 14``): then it still recurs, but no
age or anniversary number is ever guessed. February 29 falls on February 28 in a
non-leap year by default, or on March 1 with the ``feb29 = "mar1"`` setting; the years
count is always that of the calendar year the occurrence falls in.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from servant_cli.errors import DateError

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

ACCEPTED = '1985-03-14, --03-14, 03-14, "March 14", "14 Mar 1985", 03/14/1985'
ACCEPTED_DMY = '1985-03-14, --03-14, 03-14, "March 14", "14 Mar 1985", 14/03/1985'
ACCEPTED_FULL = '2026-03-14, "14 Mar 2026", "March 14 2026", 03/14/2026'
ACCEPTED_FULL_DMY = '2026-03-14, "14 Mar 2026", "March 14 2026", 14/03/2026'

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$|^--(\d{1,2})-(\d{1,2})$|^(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?$")


@dataclass(frozen=True, order=True)
class PartialDate:
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


def _accepted(date_order: str) -> str:
    return ACCEPTED_DMY if date_order == "dmy" else ACCEPTED


def _build(year: int | None, month: int, day: int, text: str, date_order: str) -> PartialDate:
    """Check that the parts make a real date; yearless dates may be Feb 29."""
    if not 1 <= month <= 12:
        raise DateError(f"{text!r} is not a date: there is no month {month}; use {_accepted(date_order)}")
    if year is not None and not 1 <= year <= 9999:
        raise DateError(f"{text!r} is not a date: the year must be 1 to 9999; use {_accepted(date_order)}")
    last = calendar.monthrange(year if year is not None else 2000, month)[1]
    if not 1 <= day <= last:
        if year is not None and month == 2 and day == 29:
            why = f"{year} is not a leap year"
        else:
            why = f"{MONTH_NAMES[month]} has no day {day}"
        raise DateError(f"{text!r} is not a date: {why}; use {_accepted(date_order)}")
    return PartialDate(month, day, year)


def parse_date(text: str, date_order: str = "mdy") -> PartialDate:
    """Read a date as a user types it; the year is optional.

    Numeric forms are read strictly (``03/04/1985`` is March 4 under ``mdy``, April 3
    under ``dmy``; ``13/04/1985`` is refused under ``mdy`` rather than silently
    swapped). Forms with a month name go to ``dateutil``, and are accepted only when
    they name both a month and a day.
    """
    raw = text
    text = text.strip()
    if not text:
        raise DateError(f"no date given; use {_accepted(date_order)}")
    if m := _ISO.match(text) or _ISO_COMPACT.match(text):
        return _build(int(m[1]), int(m[2]), int(m[3]), raw, date_order)
    if m := _NO_YEAR.match(text):
        parts = [int(p) for p in m.groups() if p is not None]
        return _build(None, parts[0], parts[1], raw, date_order)
    if m := _NUMERIC.match(text):
        first, second = int(m[1]), int(m[2])
        month, day = (second, first) if date_order == "dmy" else (first, second)
        year = m[3]
        if year is not None and len(year) == 2:
            raise DateError(f"{raw!r}: write the year in full (19{year} or 20{year})")
        return _build(int(year) if year else None, month, day, raw, date_order)
    if not re.search(r"[A-Za-z]", text) or re.search(r"\d{1,2}:\d{2}", text):
        raise DateError(f"{raw!r} is not a date; use {_accepted(date_order)}")
    return _parse_words(text, raw, date_order)


def _parse_words(text: str, raw: str, date_order: str) -> PartialDate:
    """Parse "March 14", "14 Mar 1985" and the like with dateutil."""
    from datetime import datetime

    from dateutil import parser

    # Two defaults that differ in every field show which fields the text supplied.
    # Both default years are leap years, so a yearless "Feb 29" parses.
    defaults = (datetime(2000, 1, 1), datetime(2004, 2, 2))
    results = []
    for default in defaults:
        try:
            results.append(parser.parse(text, default=default, dayfirst=date_order == "dmy"))
        except (ValueError, OverflowError) as exc:
            reason = str(exc).split(":")[0]
            if reason.startswith("day is out of range"):
                reason = "that month has no such day"
            if "out of range" in reason or "must be in" in reason or "no such day" in reason:
                raise DateError(f"{raw!r} is not a date: {reason}; use {_accepted(date_order)}") from exc
            raise DateError(f"{raw!r} is not a date; use {_accepted(date_order)}") from exc
    first, second = results
    if first.month != second.month or first.day != second.day:
        raise DateError(f"{raw!r} needs both a month and a day; use {_accepted(date_order)}")
    year = first.year if first.year == second.year else None
    if year is not None and str(year) not in text:
        raise DateError(f"{raw!r}: write the year in full, e.g. 14 Mar 1985")
    return _build(year, first.month, first.day, raw, date_order)


def parse_day(text: str, date_order: str = "mdy") -> date:
    """Read a full calendar date (with its year), as ``--from`` and ``--on`` take it."""
    raw = text
    if text.strip().lower() == "today":
        raise DateError("'today' is the default; give a date such as 2026-03-14 instead")
    try:
        parsed = parse_date(text, date_order)
    except DateError as exc:
        accepted = ACCEPTED_FULL_DMY if date_order == "dmy" else ACCEPTED_FULL
        message = exc.message.rsplit("; use ", 1)[0]
        raise DateError(f"{message}; use {accepted}") from exc
    if parsed.year is None:
        raise DateError(f"{raw!r} has no year; give a full date such as {2026:04d}-{parsed.month:02d}-{parsed.day:02d}")
    return date(parsed.year, parsed.month, parsed.day)


def is_leap(year: int) -> bool:
    return calendar.isleap(year)


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


def window(today: date, days: int) -> tuple[date, date]:
    """The first and last day of an ``--days`` window starting today."""
    return today, today + timedelta(days=days)
