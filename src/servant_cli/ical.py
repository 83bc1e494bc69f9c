"""Calendar export: every occasion as an all-day event in an iCalendar (.ics) file.

The calendar's own lines are made with the ``ics`` library (0.7); each event is written
straight to its text, once, with ics's ``escape_string`` for its text values (SUMMARY,
DESCRIPTION, CATEGORIES, the alarm's DESCRIPTION). Around ics's gaps (the calendar rules
are in docs/architecture.md):

- it never folds lines: ``fold`` cuts them at 75 octets of UTF-8, between characters;
- it writes DTSTAMP only from ``created=``, and has no RRULE or SEQUENCE, nor a DTEND
  for a one-day all-day event: servant writes them from the stored values;
- it keeps events in a set and writes properties in the order of its method names:
  ``_Ordered`` writes the calendar's lines in one fixed order (``_ORDER``), and each
  event's lines are written in that order (an RDATE, which it does not list, after
  LAST-MODIFIED; the VALARM last);
- it writes a duration of 9 days as ``P1W2D``, which RFC 5545 does not allow: the
  alarm's TRIGGER is written in days and hours;
- its PRODID names the library: servant sets its own.

Nothing here reads the clock or the database: ``calendar`` is given the rows, today,
the database id and the settings, and two calls with the same arguments return the
same text, byte for byte. ``calendar_objects`` gives the same events one calendar
each, for ``servant publish`` (a CalDAV server holds one object per event).

Speed (``benchmarks/export.py``): an event made as ics objects (an ``Event``, a
``DisplayAlarm``, a ``ContentLine`` a property) and serialized through ics's serializer
methods, sorted, took 4.7 times the CPU time of a minimal f-string writer of the same
events (``benchmarks/floor_export.py``); written straight to text, once, it takes 1.7 times.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

from ics import Calendar
from ics.grammar.parse import Container, ContentLine
from ics.utils import escape_string

from servant_cli.agenda import by_day_of_year, describe, upcoming
from servant_cli.dates import occurrence_in, stored_rule
from servant_cli.models import PLANS, Idea, Occasion, Person, Season, Upcoming
from servant_cli.text import TEXT_CONTROL, plural

CRLF = "\r\n"
#: RFC 5545 3.1: lines longer than 75 octets (without the line break) are folded.
LINE_OCTETS = 75
#: Alarms go off at this hour of the day, lead days before the occasion.
ALARM_HOUR = 9
#: A yearly date with no year starts its series in this year: a leap year, so that a
#: Feb 29 date is a real day in it, and far enough back to cover any calendar view.
FIRST_YEAR_UNKNOWN = 2000
#: The event of a date counted from Easter lists its days up to this year (not included).
EASTER_UNTIL = 2100

_YEAR_WORDS = {
    "birthday": "Born",
    "anniversary": "Married",
    "work-anniversary": "At work since",
    "client-since": "Client since",
    "custom": "Since",
}
#: Where each property goes in a component; what is not listed follows, in the order
#: ics wrote it, and nested components (an event's VALARM) come last.
_ORDER = {
    component: {name: rank for rank, name in enumerate(names)}
    for component, names in (
        ("VCALENDAR", ("VERSION", "PRODID", "CALSCALE", "X-WR-CALNAME")),
        (
            "VEVENT",
            (
                "UID",
                "DTSTAMP",
                "DTSTART",
                "DTEND",
                "RRULE",
                "SUMMARY",
                "DESCRIPTION",
                "CATEGORIES",
                "TRANSP",
                "SEQUENCE",
                "LAST-MODIFIED",
            ),
        ),
        ("VALARM", ("ACTION", "TRIGGER", "DESCRIPTION")),
    )
}
# Text a calendar cannot hold: control characters other than tab and new line.
_NEWLINES = re.compile(r"\r\n?|\n")
_DAY = timedelta(days=1)
#: An event's recurrence: its RRULE line and its RDATE line, each "" when it has none.
_Recurrence = tuple[str, str]
_NO_RECURRENCE: _Recurrence = ("", "")


class _Ordered:
    """Writes the calendar's own lines in the order ``_ORDER`` gives.

    ``serialize`` is ics's own (the extra lines, then every serializer method), with
    two steps added: the lines are sorted, and long ones folded, as they are joined.
    """

    extra: Container
    Meta: Any

    def serialize(self) -> str:
        container = self.extra.clone()
        for output in self.Meta.serializer.get_serializers():
            output(self, container)
        order = _ORDER[container.name]
        last = len(order)
        container.sort(key=lambda line: order.get(line.name, last) if isinstance(line, ContentLine) else last + 1)
        lines = [f"BEGIN:{container.name}"]
        for line in container:
            text = str(line)
            # Up to 18 characters is at most 72 octets, whatever the characters.
            lines.append(fold(text) if len(text) > LINE_OCTETS // 4 and isinstance(line, ContentLine) else text)
        lines.append(f"END:{container.name}")
        return CRLF.join(lines)


class _Calendar(_Ordered, Calendar):
    pass


class Export(NamedTuple):
    """What the user asked for, besides the rows."""

    db_id: str
    today: date
    feb29: str = "feb28"
    lead_days: int = 7
    years: int | None = None
    alarms: bool = True
    name: str = "servant occasions"
    prodid: str = "-//servant//servant//EN"
    #: How many times the settings behind the events changed (Store.export_version), and when last.
    generation: int = 0
    changed: str = ""
    #: Gift ideas not given yet, by person id: the event's notes list them.
    ideas: Mapping[int, Sequence[Idea]] = {}


def calendar(rows: Iterable[tuple[Person, Occasion]], export: Export) -> tuple[str, int]:
    """The whole calendar as text with CRLF line ends, and how many events it holds.

    Yearly occasions become one recurring event each (``RRULE``); with ``years`` set,
    one event per occurrence from today on, whose titles carry the age. One-off dates
    are a single event. (``calendar_text`` writes the same a part at a time.)
    """
    rows = list(rows)
    if export.years is None:
        events = series_events(sorted(rows, key=by_day_of_year), export)
    else:
        events = occurrence_events(
            upcoming(rows, export.today, span_days(export.today, export.years), export.feb29), export
        )
    parts = list(calendar_text(events, export))
    return "".join(parts), len(parts) - 2


def calendar_text(events: Iterable[str], export: Export) -> Iterator[str]:
    """A calendar a part at a time: its first lines, each event, its last line (CRLF ends)."""
    head, tail = calendar_frame(export)
    yield head
    for event in events:
        yield event + CRLF
    yield tail


def calendar_frame(export: Export) -> tuple[str, str]:
    """The calendar's lines before its events and after them, each line with its CRLF."""
    start, end = _frame(export, named=True)
    return start + CRLF, end + CRLF


def series_events(rows: Iterable[tuple[Person, Occasion]], export: Export) -> Iterator[str]:
    """Each occasion's event, one recurring event per yearly date, in the order of ``rows``
    (``calendar`` sorts them ``by_day_of_year``)."""
    for person, occasion in rows:
        yield _series_event(person, occasion, export)


def occurrence_events(items: Iterable[Upcoming], export: Export) -> Iterator[str]:
    """An event for each occurrence (``--years``), in the order of ``items``."""
    for item in items:
        yield _occurrence_event(item.person, item.occasion, item.date, item.years, export)


class CalendarObject(NamedTuple):
    """One occasion's event in a calendar of its own, as a CalDAV server holds each event."""

    uid: str
    #: The event's title ("Ada Lovelace — Birthday"), to name it in reports.
    summary: str
    text: str


def calendar_objects(rows: Iterable[tuple[Person, Occasion]], export: Export) -> Iterator[CalendarObject]:
    """Each occasion's event (the one ``calendar`` writes for it, byte for byte) in a
    VCALENDAR of its own: a CalDAV calendar holds one object per event (RFC 4791 4.1).

    The objects carry no calendar name (X-WR-CALNAME): that is the collection's own.
    """
    start, end = _frame(export, named=False)
    for person, occasion in rows:
        event = _series_event(person, occasion, export)
        yield CalendarObject(
            occasion_uid(occasion, export.db_id),
            _series_summary(person, occasion),
            f"{start}{CRLF}{event}{CRLF}{end}{CRLF}",
        )


def season_objects(seasons: Iterable[tuple[Season, Sequence[str]]], export: Export) -> Iterator[CalendarObject]:
    """Each season's event (``season_event``, with the names of its people) in a
    VCALENDAR of its own, as ``calendar_objects`` gives the occasions'."""
    start, end = _frame(export, named=False)
    for season, people in seasons:
        event = season_event(season, people, export)
        yield CalendarObject(season_uid(season, export.db_id), season.name, f"{start}{CRLF}{event}{CRLF}{end}{CRLF}")


def _frame(export: Export, *, named: bool) -> tuple[str, str]:
    """A VCALENDAR's first lines (to the last property) and its END line: the events go between."""
    head = _Calendar(creator=export.prodid)
    head.scale = "GREGORIAN"
    if named:
        head.extra.append(ContentLine("X-WR-CALNAME", value=escape_string(_one_line(export.name))))
    # The events are written between the two, in their order: ics keeps them in a set.
    start, end = head.serialize().rsplit(CRLF, 1)
    return start, end


def occasion_uid(occasion: Occasion, db_id: str) -> str:
    """The UID of an occasion's event, the same for the life of the date."""
    return f"occasion-{occasion.id}@{db_id}.servant"


def season_uid(season: Season, db_id: str) -> str:
    """The UID of a season's event, the same for the life of the season."""
    return f"season-{season.id}@{db_id}.servant"


def season_event(season: Season, people: Sequence[str], export: Export) -> str:
    """A season as one yearly event (from the year it was added), its notes naming the
    plan and the people it is for now."""
    if season.rule:
        start, recurrence = _rule_series(Occasion(0, 0, "custom", season.month, season.day, rule=season.rule))
    else:
        # 29 February starts in a leap year (2000): the year the season was added may not be one.
        first = FIRST_YEAR_UNKNOWN if (season.month, season.day) == (2, 29) else int((season.created or "2000")[:4])
        start = date(first, season.month, season.day)
        recurrence = (f"RRULE:{rrule(Occasion(0, 0, 'custom', season.month, season.day), export.feb29)}", "")
    group = " or ".join(season.tags)
    lines = [
        f"Plan: {PLANS[season.plan].alone}" if season.plan in PLANS else "",
        f"For: everyone tagged {_one_line(group)}" if season.tags else "For: everyone",
    ]
    lines.append(f"{plural(len(people), 'person', 'people')}: " + ", ".join(map(_one_line, people)))
    lead = season.lead_days if season.lead_days is not None else export.lead_days
    alarm = None
    if export.alarms:
        alarm = f"In {plural(lead, 'day')}: {_one_line(season.name)}" if lead else _one_line(season.name)
        alarm += f". {PLANS[season.plan].alone}." if season.plan in PLANS else ""
    return _vevent(
        season_uid(season, export.db_id),
        _stamp(max(season.updated or "", export.changed)),
        start,
        recurrence,
        _one_line(season.name),
        "\n".join(line for line in lines if line),
        [c for c in map(_one_line, season.tags) if "," not in c],
        season.sequence + export.generation,
        alarm,
        lead,
        end=True,
    )


def span_days(today: date, years: int) -> int:
    """Days from today up to (not including) the same day ``years`` years on."""
    return (occurrence_in(today.year + years, today.month, today.day) - today).days - 1


def _series_event(person: Person, occasion: Occasion, export: Export) -> str:
    """A recurring event for a yearly occasion, or the single event of a one-off one."""
    if occasion.rule:
        start, recurrence = _rule_series(occasion)
    else:
        start = date(occasion.year or FIRST_YEAR_UNKNOWN, occasion.month, occasion.day)
        recurrence = (f"RRULE:{rrule(occasion, export.feb29)}", "") if occasion.yearly else _NO_RECURRENCE
    uid = occasion_uid(occasion, export.db_id)
    return _event(person, occasion, start, uid, _series_summary(person, occasion), recurrence, export)


def _rule_series(occasion: Occasion) -> tuple[date, _Recurrence]:
    """The first day and the recurrence of a rule date's event: its RRULE from its day in
    ``FIRST_YEAR_UNKNOWN``; a day counted from Easter, which no RRULE gives, lists its
    days (RDATE) for every year from ``FIRST_YEAR_UNKNOWN`` up to ``EASTER_UNTIL`` (not
    from today: two exports of the same data stay byte-identical)."""
    assert occasion.rule is not None
    rule = stored_rule(occasion.rule)
    pattern = rule.rrule()
    if pattern is not None:
        return rule.occurrence(FIRST_YEAR_UNKNOWN), (f"RRULE:{pattern}", "")
    days = [rule.occurrence(year) for year in range(FIRST_YEAR_UNKNOWN, EASTER_UNTIL)]
    return days[0], ("", f"RDATE;VALUE=DATE:{','.join(map(_date, days[1:]))}")


def _series_summary(person: Person, occasion: Occasion) -> str:
    return f"{_one_line(person.name)} — {_one_line(occasion.title)}{_family(person)}"


def _family(person: Person) -> str:
    """ " · Alice Smith's child": who a child or spouse is, in the event's title."""
    return f" · {_one_line(person.family)}" if person.family else ""


def _occurrence_event(person: Person, occasion: Occasion, when: date, years: int | None, export: Export) -> str:
    """One occurrence of an occasion, its title carrying the age or the anniversary number."""
    name = _one_line(person.name)
    if occasion.kind == "birthday" and years is not None and years >= 1:
        summary = f"{name} turns {years}{_family(person)}"
    else:
        summary = f"{name} — {_one_line(describe(occasion, years))}{_family(person)}"
    uid = f"occasion-{occasion.id}-{when.year}@{export.db_id}.servant"
    return _event(person, occasion, when, uid, summary, _NO_RECURRENCE, export)


def rrule(occasion: Occasion, feb29: str = "feb28") -> str:
    """The yearly rule that marks the same days as ``servant upcoming`` does."""
    if (occasion.month, occasion.day) != (2, 29):
        return "FREQ=YEARLY"
    if feb29 == "mar1":
        # Day 60 of the year is Feb 29 in a leap year and Mar 1 in any other.
        return "FREQ=YEARLY;BYYEARDAY=60"
    return "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"


def _event(
    person: Person,
    occasion: Occasion,
    start: date,
    uid: str,
    summary: str,
    recurrence: _Recurrence,
    export: Export,
) -> str:
    lead = occasion.lead_days if occasion.lead_days is not None else export.lead_days
    alarm = None
    if export.alarms:
        alarm = f"In {plural(lead, 'day')}: {summary}" if lead else summary
        if occasion.plan in PLANS:
            alarm += f". {PLANS[occasion.plan].alone}."
    # A list, not the set ics keeps: the order is part of the output. node-ical, Home
    # Assistant's ical and KCalendarCore split a category at a comma, escaped or not: a
    # label or tag with one stays out (the title carries the label).
    categories = [c for c in map(_one_line, (occasion.title, *person.tags)) if "," not in c]
    return _vevent(
        uid,
        _stamp(max(occasion.updated or "", person.updated or "", export.changed)),
        start,
        recurrence,
        summary,
        description(person, occasion, export.ideas.get(person.id, ())),
        categories,
        occasion.sequence + person.sequence + export.generation,
        alarm,
        lead,
        # (31 Dec 9999 has no next day: a DATE start alone is one day too, RFC 5545 3.6.1.)
        end=start < date.max,
    )


def _vevent(
    uid: str,
    stamp: str,
    start: date,
    recurrence: _Recurrence,
    summary: str,
    notes: str,
    categories: Sequence[str],
    sequence: int,
    alarm: str | None,
    lead: int,
    *,
    end: bool,
) -> str:
    """An event's text (CRLF between its lines, none after the last), its lines in the
    order of ``_ORDER``, each line written once, straight to its text: SUMMARY,
    DESCRIPTION, CATEGORIES and the alarm's DESCRIPTION escaped by ics's
    ``escape_string``, long lines folded. (An RDATE, which ``_ORDER`` does not list,
    follows LAST-MODIFIED; the VALARM comes last.)"""
    rrule_line, rdate_line = recurrence
    day = _date(start)
    lines = ["BEGIN:VEVENT", fold(f"UID:{uid}"), f"DTSTAMP:{stamp}{CRLF}DTSTART;VALUE=DATE:{day}"]
    if end:
        lines.append(f"DTEND;VALUE=DATE:{_date(start + _DAY)}")
    if rrule_line:
        lines.append(rrule_line)
    if summary:
        lines.append(fold(f"SUMMARY:{escape_string(summary)}"))
    if notes:
        lines.append(fold(f"DESCRIPTION:{escape_string(notes)}"))
    if categories:
        lines.append(fold(f"CATEGORIES:{','.join(map(escape_string, categories))}"))
    lines.append(f"TRANSP:TRANSPARENT{CRLF}SEQUENCE:{sequence}{CRLF}LAST-MODIFIED:{stamp}")
    if rdate_line:
        lines.append(fold(rdate_line))
    if alarm is not None:
        lines.append(
            f"BEGIN:VALARM{CRLF}ACTION:DISPLAY{CRLF}TRIGGER:{_trigger(lead)}{CRLF}"
            f"{fold(f'DESCRIPTION:{escape_string(alarm)}')}{CRLF}END:VALARM"
        )
    lines.append("END:VEVENT")
    return CRLF.join(lines)


@functools.cache
def _trigger(lead: int) -> str:
    """The alarm's TRIGGER: ``ALARM_HOUR`` on the day ``lead`` days before."""
    return duration(timedelta(days=-lead, hours=ALARM_HOUR))


def description(person: Person, occasion: Occasion, ideas: Sequence[Idea] = ()) -> str:
    """What the event's notes say: the year, the plan, gift ideas, how to reach the
    person, the notes."""
    lines = []
    if occasion.year is not None and occasion.yearly:
        lines.append(f"{_YEAR_WORDS.get(occasion.kind, 'Since')} {occasion.year}")
    if occasion.plan:
        lines.append(f"Plan: {PLANS[occasion.plan].alone if occasion.plan in PLANS else occasion.plan}")
    if ideas:
        lines.append("Gift ideas: " + "; ".join(_one_line(idea.text) for idea in ideas))
    for label, value in (("Company", person.company), ("Phone", person.phone), ("Email", person.email)):
        if value:
            lines.append(f"{label}: {_one_line(value)}")
    if person.notes:
        lines.append(_text(person.notes))
    return "\n".join(lines)


def duration(span: timedelta) -> str:
    """An RFC 5545 duration in days, hours and minutes: ``-P6DT15H``, ``PT9H``, ``P0D``."""
    seconds = int(span.total_seconds())
    sign = "-" if seconds < 0 else ""
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    clock = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M")) if n)
    return f"{sign}P{f'{days}D' if days or not clock else ''}{f'T{clock}' if clock else ''}"


def _date(day: date) -> str:
    """A DATE value: ``20261122``."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _stamp(stored: str) -> str:
    """``2026-11-22T09:30:00Z`` as iCalendar writes a UTC time: ``20261122T093000Z``; a
    stored value of any other form (another program wrote it) is no time at all."""
    stamp = stored.replace("-", "").replace(":", "")
    return stamp if _UTC_STAMP.fullmatch(stamp) else "19700101T000000Z"


_UTC_STAMP = re.compile(r"\d{8}T\d{6}Z")


def _text(value: str) -> str:
    """Stored text as a calendar may hold it: any line break as \\n, no other control character."""
    if value.isprintable():  # the usual case, checked in C
        return value
    return TEXT_CONTROL.sub("\ufffd", _NEWLINES.sub("\n", value))


def _one_line(value: str) -> str:
    """Text for a one-line property (a title, a category): line breaks become spaces."""
    if value.isprintable():
        return value
    return _text(value).replace("\n", " ")


def fold(line: str) -> str:
    """Fold a content line at 75 octets of UTF-8, never inside a character (RFC 5545 3.1)."""
    if len(line) <= LINE_OCTETS and line.isascii():
        return line
    raw = line.encode()
    if len(raw) <= LINE_OCTETS:
        return line
    parts = []
    start, limit = 0, LINE_OCTETS
    while start < len(raw):
        end = min(start + limit, len(raw))
        # A UTF-8 continuation byte is 10xxxxxx: step back to the start of its character.
        while end < len(raw) and raw[end] & 0xC0 == 0x80:
            end -= 1
        parts.append(raw[start:end].decode())
        start, limit = end, LINE_OCTETS - 1  # a continuation line starts with a space
    return (CRLF + " ").join(parts)
