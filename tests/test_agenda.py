"""What is coming up: occurrences in a window, their years, their order, and how they are said."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servant_cli.agenda import as_dict, describe, key_dates, upcoming, years_phrase
from servant_cli.models import Occasion, Person

ADA = Person(1, "Ada Lovelace", tags=("client",))
BOB = Person(2, "Bob Marley")


def occasion(kind="birthday", month=3, day=14, year=None, *, label="", yearly=True, id=1, person_id=1):
    return Occasion(id, person_id, kind, month, day, year, label=label, yearly=yearly)


def seen(items):
    """What a user reads in each row: date, who, what, and the years."""
    return [(item.date, item.person.name, describe(item.occasion, item.years), item.years) for item in items]


# --- the Feb 29 rule through upcoming ---------------------------------------------------


def test_feb_29_birthday_falls_on_feb_28_in_a_non_leap_year_with_the_right_age():
    items = upcoming([(ADA, occasion(month=2, day=29, year=1988))], date(2027, 2, 20), 10)
    assert seen(items) == [(date(2027, 2, 28), "Ada Lovelace", "Birthday — turns 39", 39)]
    assert items[0].days_until == 8


def test_feb_29_birthday_falls_on_mar_1_under_the_mar1_rule():
    items = upcoming([(ADA, occasion(month=2, day=29, year=1988))], date(2027, 2, 20), 10, feb29="mar1")
    assert seen(items) == [(date(2027, 3, 1), "Ada Lovelace", "Birthday — turns 39", 39)]


@pytest.mark.parametrize("feb29", ["feb28", "mar1"])
def test_feb_29_birthday_is_on_feb_29_in_a_leap_year(feb29):
    items = upcoming([(ADA, occasion(month=2, day=29, year=1988))], date(2028, 2, 20), 10, feb29=feb29)
    assert seen(items) == [(date(2028, 2, 29), "Ada Lovelace", "Birthday — turns 40", 40)]


def test_feb_29_is_marked_once_a_year_not_twice():
    items = upcoming([(ADA, occasion(month=2, day=29))], date(2027, 2, 1), 60, feb29="mar1")
    assert [item.date for item in items] == [date(2027, 3, 1)]


# --- windows ------------------------------------------------------------------------------


def test_window_across_new_year_has_next_years_dates_and_ages():
    rows = [
        (ADA, occasion("birthday", 1, 5, 1985, id=1)),
        (ADA, occasion("anniversary", 12, 25, 2016, id=2)),
        (BOB, occasion("client-since", 1, 19, 2024, id=3, person_id=2)),  # the last day of the window
        (BOB, occasion("birthday", 1, 20, 1990, id=4, person_id=2)),  # one day too late
        (BOB, occasion("work-anniversary", 12, 19, 2020, id=5, person_id=2)),  # yesterday
    ]
    items = upcoming(rows, date(2026, 12, 20), 30)
    assert seen(items) == [
        (date(2026, 12, 25), "Ada Lovelace", "10th wedding anniversary", 10),
        (date(2027, 1, 5), "Ada Lovelace", "Birthday — turns 42", 42),
        (date(2027, 1, 19), "Bob Marley", "Client for 3 years", 3),
    ]
    assert [item.days_until for item in items] == [5, 16, 30]


def test_days_0_is_today_only():
    rows = [
        (ADA, occasion("birthday", 11, 22, 1985, id=1)),
        (BOB, occasion("birthday", 11, 23, 1990, id=2, person_id=2)),
        (BOB, occasion("anniversary", 11, 21, 2015, id=3, person_id=2)),
    ]
    items = upcoming(rows, date(2026, 11, 22), 0)
    assert seen(items) == [(date(2026, 11, 22), "Ada Lovelace", "Birthday — turns 41", 41)]
    assert items[0].days_until == 0


def test_a_window_longer_than_a_year_lists_a_date_each_year():
    items = upcoming([(ADA, occasion("birthday", 3, 14, 1985))], date(2026, 3, 14), 365)
    assert seen(items) == [
        (date(2026, 3, 14), "Ada Lovelace", "Birthday — turns 41", 41),
        (date(2027, 3, 14), "Ada Lovelace", "Birthday — turns 42", 42),
    ]


def test_a_yearly_date_is_not_shown_before_it_first_happened():
    work = occasion("work-anniversary", 3, 1, 2027)
    assert upcoming([(ADA, work)], date(2026, 1, 1), 365) == []
    assert upcoming([(ADA, work)], date(2026, 3, 1), 0) == []
    # The day itself is listed, without a years phrase; a year later it is "1 year at work".
    assert seen(upcoming([(ADA, work)], date(2027, 1, 1), 430)) == [
        (date(2027, 3, 1), "Ada Lovelace", "Work anniversary", 0),
        (date(2028, 3, 1), "Ada Lovelace", "1 year at work", 1),
    ]


def test_a_one_off_date_shows_once_in_its_own_year_only():
    launch = occasion("custom", 6, 1, 2026, label="Shop opening", yearly=False)
    assert seen(upcoming([(ADA, launch)], date(2026, 5, 1), 60)) == [
        (date(2026, 6, 1), "Ada Lovelace", "Shop opening", None)
    ]
    assert upcoming([(ADA, launch)], date(2025, 5, 1), 60) == []
    assert upcoming([(ADA, launch)], date(2027, 5, 1), 60) == []
    assert upcoming([(ADA, launch)], date(2026, 6, 2), 365) == []
    assert [item.date for item in upcoming([(ADA, launch)], date(2025, 6, 1), 800)] == [date(2026, 6, 1)]


def test_a_date_without_a_year_has_no_years_and_no_phrase():
    items = upcoming([(ADA, occasion("birthday", 3, 14))], date(2026, 3, 1), 30)
    assert seen(items) == [(date(2026, 3, 14), "Ada Lovelace", "Birthday", None)]
    assert as_dict(items[0])["years"] is None


def test_sorted_by_date_then_name_then_kind():
    carl = Person(3, "carl")
    alice = Person(4, "Alice")
    rows = [
        (carl, occasion("custom", 5, 2, label="Zoo trip", id=1, person_id=3)),
        (carl, occasion("custom", 5, 2, label="apple day", id=2, person_id=3)),
        (carl, occasion("client-since", 5, 2, id=3, person_id=3)),
        (carl, occasion("birthday", 5, 2, id=4, person_id=3)),
        (BOB, occasion("birthday", 5, 1, id=5, person_id=2)),
        (alice, occasion("work-anniversary", 5, 2, id=6, person_id=4)),
        (alice, occasion("anniversary", 5, 2, id=7, person_id=4)),
        (BOB, occasion("birthday", 5, 3, id=8, person_id=2)),
    ]
    items = upcoming(rows, date(2026, 5, 1), 5)
    assert [(item.date.day, item.person.name, item.occasion.title) for item in items] == [
        (1, "Bob Marley", "Birthday"),
        (2, "Alice", "Wedding anniversary"),
        (2, "Alice", "Work anniversary"),
        (2, "carl", "Birthday"),
        (2, "carl", "Client since"),
        (2, "carl", "apple day"),
        (2, "carl", "Zoo trip"),
        (3, "Bob Marley", "Birthday"),
    ]


def test_two_people_with_the_same_name_stay_apart_in_id_order():
    first, second = Person(7, "Sam"), Person(3, "Sam")
    rows = [(first, occasion(id=1, person_id=7)), (second, occasion(id=2, person_id=3))]
    assert [item.person.id for item in upcoming(rows, date(2026, 3, 14), 0)] == [3, 7]


# --- how years are said -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "label", "years", "text"),
    [
        ("birthday", "", 41, "Birthday — turns 41"),
        ("birthday", "", 1, "Birthday — turns 1"),
        ("anniversary", "", 10, "10th wedding anniversary"),
        ("anniversary", "", 1, "1st wedding anniversary"),
        ("anniversary", "", 22, "22nd wedding anniversary"),
        ("work-anniversary", "", 5, "5 years at work"),
        ("work-anniversary", "", 1, "1 year at work"),
        ("client-since", "", 3, "Client for 3 years"),
        ("client-since", "", 1, "Client for 1 year"),
        ("custom", "Shop opening", 10, "Shop opening — 10 years"),
        ("custom", "Shop opening", 1, "Shop opening — 1 year"),
        ("custom", "", 2, "Custom date — 2 years"),
        # Year 0 is the date itself; no years are guessed without a year.
        ("birthday", "", 0, "Birthday"),
        ("anniversary", "", 0, "Wedding anniversary"),
        ("work-anniversary", "", 0, "Work anniversary"),
        ("client-since", "", 0, "Client since"),
        ("custom", "Shop opening", 0, "Shop opening"),
        ("birthday", "", None, "Birthday"),
        ("custom", "Shop opening", None, "Shop opening"),
    ],
)
def test_describe(kind, label, years, text):
    assert describe(occasion(kind, label=label), years) == text


@pytest.mark.parametrize(
    ("kind", "years", "phrase"),
    [
        ("birthday", 41, "turns 41"),
        ("anniversary", 10, "10th wedding anniversary"),
        ("work-anniversary", 5, "5 years at work"),
        ("client-since", 3, "client for 3 years"),
        ("custom", 10, "10 years"),
        ("birthday", 0, None),
        ("anniversary", None, None),
    ],
)
def test_years_phrase(kind, years, phrase):
    assert years_phrase(occasion(kind), years) == phrase


@pytest.mark.parametrize(
    ("years", "ordinal"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
    ],
)
def test_anniversary_ordinals(years, ordinal):
    assert describe(occasion("anniversary"), years) == f"{ordinal} wedding anniversary"


def test_as_dict_has_the_json_contract():
    items = upcoming([(ADA, occasion("birthday", 3, 14, 1985))], date(2026, 3, 1), 30)
    assert as_dict(items[0]) == {
        "date": "2026-03-14",
        "days_until": 13,
        "person": "Ada Lovelace",
        "person_id": 1,
        "kind": "birthday",
        "label": "Birthday",
        "years": 41,
        "description": "Birthday — turns 41",
        "tags": ["client"],
        "family": None,
        "handled": False,
        "last_gesture": None,
    }


def test_as_dict_gives_no_years_on_the_date_itself():
    items = upcoming([(ADA, occasion("work-anniversary", 3, 1, 2027))], date(2027, 3, 1), 0)
    assert as_dict(items[0])["years"] is None
    assert as_dict(items[0])["description"] == "Work anniversary"


# --- key dates (servant show) ---------------------------------------------------------------


def test_key_dates_give_each_next_occurrence_and_years_in_kind_order():
    occasions = [
        occasion("custom", 12, 1, 2012, label="Firm founded", id=1),
        occasion("client-since", 1, 19, 2024, id=2),
        occasion("birthday", 2, 29, 1988, id=3),
        occasion("anniversary", 6, 1, id=4),
    ]
    keys = key_dates(occasions, date(2026, 11, 22))
    assert [(key.occasion.title, key.next, key.years) for key in keys] == [
        ("Birthday", date(2027, 2, 28), 39),
        ("Wedding anniversary", date(2027, 6, 1), None),
        ("Client since", date(2027, 1, 19), 3),
        ("Firm founded", date(2026, 12, 1), 14),
    ]


def test_key_dates_apply_the_mar1_rule():
    keys = key_dates([occasion("birthday", 2, 29, 1988)], date(2026, 11, 22), "mar1")
    assert (keys[0].next, keys[0].years) == (date(2027, 3, 1), 39)


def test_key_date_in_a_later_year_comes_round_first_on_its_own_date():
    keys = key_dates([occasion("work-anniversary", 3, 1, 2028)], date(2026, 11, 22))
    assert (keys[0].next, keys[0].years) == (date(2028, 3, 1), 0)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 5, 1), date(2026, 6, 1)),
        (date(2026, 6, 1), date(2026, 6, 1)),
        (date(2026, 6, 2), None),
        (date(2030, 1, 1), None),
    ],
)
def test_key_date_one_off_is_next_until_it_passes(today, expected):
    keys = key_dates([occasion("custom", 6, 1, 2026, label="Launch", yearly=False)], today)
    assert (keys[0].next, keys[0].years) == (expected, None)


# --- property: upcoming agrees with a day-by-day walk ----------------------------------------

PEOPLE = [Person(1, "Ada"), Person(2, "bob"), Person(3, "Ada")]
KIND_NAMES = ["birthday", "anniversary", "work-anniversary", "client-since", "custom"]


@st.composite
def stored_occasions(draw):
    day = draw(st.one_of(st.dates(date(1900, 1, 1), date(2200, 12, 31)), st.just(date(2000, 2, 29))))
    if (day.month, day.day) == (2, 29):
        day = day.replace(year=draw(st.sampled_from([1904, 1988, 2000, 2024, 2028, 2096, 2104, 2196])))
    yearly = draw(st.booleans())
    year = day.year if not yearly or draw(st.booleans()) else None
    return draw(st.sampled_from(KIND_NAMES)), day.month, day.day, year, yearly


def marked_on(kind_month_day_year_yearly, when, feb29):
    """Is the occasion marked on ``when``? Written from the rules, not from servant's helpers."""
    _, month, day, year, yearly = kind_month_day_year_yearly
    if not yearly:
        return when == date(year, month, day)
    if year is not None and when.year < year:
        return False
    if (month, day) == (2, 29) and not calendar.isleap(when.year):
        return (when.month, when.day) == ((2, 28) if feb29 == "feb28" else (3, 1))
    return (when.month, when.day) == (month, day)


@given(
    stored=st.lists(st.tuples(st.sampled_from(PEOPLE), stored_occasions()), max_size=6),
    today=st.dates(date(1900, 1, 1), date(2200, 12, 31)),
    days=st.integers(0, 400),
    feb29=st.sampled_from(["feb28", "mar1"]),
)
@settings(max_examples=100, deadline=None)
def test_upcoming_finds_exactly_what_a_day_by_day_walk_finds(stored, today, days, feb29):
    rows = [
        (person, Occasion(index, person.id, kind, month, day, year, label="Do", yearly=yearly))
        for index, (person, (kind, month, day, year, yearly)) in enumerate(stored)
    ]
    expected = set()
    for offset in range(days + 1):
        when = today + timedelta(days=offset)
        for index, (person, parts) in enumerate(stored):
            if marked_on(parts, when, feb29):
                year, yearly = parts[3], parts[4]
                years = when.year - year if yearly and year is not None else None
                expected.add((when, offset, person.id, index, years))

    items = upcoming(rows, today, days, feb29)

    got = [(item.date, item.days_until, item.person.id, item.occasion.id, item.years) for item in items]
    assert len(got) == len(set(got)) == len(expected)
    assert set(got) == expected
    order = [(item.date, item.person.name.casefold(), item.person.id) for item in items]
    assert order == sorted(order)
