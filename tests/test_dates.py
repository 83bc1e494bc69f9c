"""The pure date logic: what a user may type, what is refused and why, and when a date comes round."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servant_cli.dates import (
    PartialDate,
    format_day,
    next_occurrence,
    occurrence_in,
    occurrences_between,
    ordinal,
    parse_date,
    parse_day,
    relative_day,
    years_on,
)
from servant_cli.errors import BadInput, DateError

# Written out here rather than imported, so that a change to what users are told is seen.
USE_MDY = '; use 1985-03-14, --03-14, 03-14, "March 14", "14 Mar 1985", 03/14/1985'
USE_DMY = '; use 1985-03-14, --03-14, 03-14, "March 14", "14 Mar 1985", 14/03/1985'
USE_FULL_MDY = '; use 2026-03-14, "14 Mar 2026", "March 14 2026", 03/14/2026'
USE_FULL_DMY = '; use 2026-03-14, "14 Mar 2026", "March 14 2026", 14/03/2026'
USE_YMD = '; use 1985-03-14, --03-14, 03-14, "March 14", "14 Mar 1985", 1985/03/14'
USE_FULL_YMD = '; use 2026-03-14, "14 Mar 2026", "March 14 2026", 2026/03/14'

LEAP_YEARS = [year for year in range(1900, 2201) if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)]


def refusal(text: str, date_order: str = "mdy") -> str:
    with pytest.raises(DateError) as caught:
        parse_date(text, date_order)
    return caught.value.message


# --- parse_date: accepted forms ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985-03-14", PartialDate(3, 14, 1985)),
        ("--03-14", PartialDate(3, 14)),
        ("03-14", PartialDate(3, 14)),
        ("March 14", PartialDate(3, 14)),
        ("14 Mar 1985", PartialDate(3, 14, 1985)),
        ("Mar 14", PartialDate(3, 14)),
        ("March 14 1985", PartialDate(3, 14, 1985)),
        ("March 14, 1985", PartialDate(3, 14, 1985)),
        ("14 March", PartialDate(3, 14)),
        ("march 14", PartialDate(3, 14)),
        ("Sept 5", PartialDate(9, 5)),
        ("03/14/1985", PartialDate(3, 14, 1985)),
        ("3/14", PartialDate(3, 14)),
        ("  1985-03-14  ", PartialDate(3, 14, 1985)),
        ("1985-3-4", PartialDate(3, 4, 1985)),
        ("2024-02-29", PartialDate(2, 29, 2024)),
        ("2000-02-29", PartialDate(2, 29, 2000)),
        ("29 Feb 2024", PartialDate(2, 29, 2024)),
        ("--02-29", PartialDate(2, 29)),
        ("02-29", PartialDate(2, 29)),
        ("Feb 29", PartialDate(2, 29)),
        ("29 February", PartialDate(2, 29)),
        ("Dec 31", PartialDate(12, 31)),
        ("--01-01", PartialDate(1, 1)),
    ],
)
def test_parse_date_accepts(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "date_order", "expected"),
    [
        ("03/04/1985", "mdy", PartialDate(3, 4, 1985)),
        ("03/04/1985", "dmy", PartialDate(4, 3, 1985)),
        ("13/04/1985", "dmy", PartialDate(4, 13, 1985)),
        ("14/03", "dmy", PartialDate(3, 14)),
        # ISO and month-name forms do not depend on date_order.
        ("1985-03-14", "dmy", PartialDate(3, 14, 1985)),
        ("--03-14", "dmy", PartialDate(3, 14)),
        ("14 Mar 1985", "dmy", PartialDate(3, 14, 1985)),
        ("March 14 1985", "dmy", PartialDate(3, 14, 1985)),
    ],
)
def test_numeric_dates_follow_date_order(text, date_order, expected):
    assert parse_date(text, date_order) == expected


@pytest.mark.parametrize(
    ("parsed", "shown", "iso"),
    [
        (PartialDate(3, 14, 1985), "14 March 1985", "1985-03-14"),
        (PartialDate(3, 14), "14 March", "--03-14"),
        (PartialDate(2, 29), "29 February", "--02-29"),
        (PartialDate(1, 5, 812), "5 January 812", "0812-01-05"),
    ],
)
def test_a_stored_date_is_echoed_back_in_words_and_iso(parsed, shown, iso):
    assert str(parsed) == shown
    assert parsed.iso() == iso


# --- parse_date: refusals ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2023-02-29", ": 2023 is not a leap year"),
        ("1900-02-29", ": 1900 is not a leap year"),
        ("2100-02-29", ": 2100 is not a leap year"),
        ("Feb 29 2023", ": 2023 is not a leap year"),
        ("29 Feb 1900", ": 1900 is not a leap year"),
        ("Feb 30", ": February has no day 30"),
        ("--02-30", ": February has no day 30"),
        ("June 31", ": June has no day 31"),
        ("2026-04-31", ": April has no day 31"),
        ("Mar 32", ": March has no day 32"),
        ("March 0", ": March has no day 0"),
        (
            "13/13/2020",
            ': there is no month 13 (numbers are read month/day/year; set date_order = "dmy" for day first)',
        ),
        (
            "13/04/1985",
            ': there is no month 13 (numbers are read month/day/year; set date_order = "dmy" for day first)',
        ),
        ("--13-01", ": there is no month 13 (dashes are read month-day, as in --03-14)"),
        ("14-03", ": there is no month 14 (dashes are read month-day, as in --03-14)"),
        ("03-04-1985", ": with dashes write the year first (1985-03-04) or use slashes"),
        ("2024-13-01", ": there is no month 13"),
        ("0000-00-00", ": there is no month 0"),
        ("0000-01-01", ": the year must be 1 to 9999"),
        ("99999-01-01", ": the year must be 1 to 9999"),
        ("", ": no date given"),
        ("   ", ": no date given"),
        ("\t", ": no date given"),
        ("03/14/85", ": write the year in full (1985 or 2085)"),
        ("14 Mar 85", ": write the year in full (1985 or 2085)"),
        ("March 14 12", ": write the year in full (1912 or 2012)"),
        ("March", ": it needs both a month and a day"),
        ("Monday", ": it needs both a month and a day"),
        ("Mar 14 2pm", ": it has a time or an extra number in it"),
        ("14 March 1985 7pm", ": it has a time or an extra number in it"),
        ("yesterday-ish", ""),
        ("tomorrow", ""),
        ("10:30", ""),
        ("Mar 14 10:30", ""),
        ("1985-03-14T10:00", ""),
        ("2026", ""),
        ("14", ""),
        ("-03-14", ""),
    ],
)
def test_parse_date_refuses_with_the_value_the_reason_and_the_accepted_forms(text, why):
    assert refusal(text) == f"{text!r} is not a date{why}{USE_MDY}"


@pytest.mark.parametrize("text", ["2023-02-29", "Feb 30", "13/13/2020", "", "yesterday-ish", "03/14/85", "March"])
def test_every_refusal_names_the_value_and_shows_an_example_a_user_can_copy(text):
    message = refusal(text)
    assert message.startswith(repr(text))
    assert "1985-03-14" in message
    assert '"March 14"' in message


def test_refusal_under_dmy_explains_the_reading_and_lists_dmy_forms():
    assert refusal("03/14/1985", "dmy") == (
        "'03/14/1985' is not a date: there is no month 14 "
        f'(numbers are read day/month/year; set date_order = "mdy" for month first){USE_DMY}'
    )


@pytest.mark.parametrize(
    ("text", "date_order", "message"),
    [
        (
            "14/03/1985",
            "mdy",
            "'14/03/1985' is not a date: there is no month 14 "
            f'(numbers are read month/day/year; set date_order = "dmy" for day first){USE_MDY}',
        ),
        (
            "12/25",
            "dmy",
            "'12/25' is not a date: there is no month 25 "
            f'(numbers are read day/month/year; set date_order = "mdy" for month first){USE_DMY}',
        ),
        (
            "14/03",
            "ymd",
            "'14/03' is not a date: there is no month 14 "
            f'(numbers are read year/month/day; set date_order = "dmy" for day first){USE_YMD}',
        ),
    ],
)
def test_a_refusal_caused_by_the_order_names_the_setting(text, date_order, message):
    assert refusal(text, date_order) == message


@pytest.mark.parametrize(
    ("text", "date_order", "iso"),
    [
        # Only one reading is a real date: that is the one shown, whatever the order.
        ("25-12-1990", "mdy", "1990-12-25"),
        ("25-12-1990", "dmy", "1990-12-25"),
        ("12-25-1990", "dmy", "1990-12-25"),
        ("12-25-1990", "mdy", "1990-12-25"),
        # Both are: the order decides.
        ("03-04-1985", "mdy", "1985-03-04"),
        ("03-04-1985", "dmy", "1985-04-03"),
        ("03-04-1985", "ymd", "1985-03-04"),
        # 29 February only in a leap year.
        ("29-02-2024", "mdy", "2024-02-29"),
    ],
)
def test_dashes_with_the_year_last_are_answered_with_the_date_most_likely_meant(text, date_order, iso):
    assert f"with dashes write the year first ({iso}) or use slashes" in refusal(text, date_order)


@pytest.mark.parametrize("text", ["31-02-1990", "25-13-1990", "29-02-2023"])
def test_dashes_that_make_no_date_either_way_get_no_example_date(text):
    assert refusal(text).startswith(f"{text!r} is not a date: with dashes write the year first (YYYY-MM-DD)")


# --- a date is read whole or refused ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2nd Sunday of May", '"2nd Sunday" is a rule, not a day; give the day itself'),
        ("last Friday of November", '"last Friday" is a rule, not a day; give the day itself'),
        ("first Monday in June", '"first Monday" is a rule, not a day; give the day itself'),
        ("Sunday 14 March 1985", "14 March 1985 is a Thursday, not a Sunday"),
        ("Sun, 03/14/1985", "14 March 1985 is a Thursday, not a Sunday"),
        ("March 14 1985 Friday", "14 March 1985 is a Thursday, not a Friday"),
        ("Sunday 14 March", "a weekday (Sunday) cannot be checked without the year; leave it out"),
        ("Tue 03/14", "a weekday (Tuesday) cannot be checked without the year; leave it out"),
        ("March 14 1985 on a Tuesday", '"on a" is not part of a date'),
        ("on 14 March", '"on" is not part of a date'),
        ("14 March 1985 AD", '"AD" is not part of a date'),
        ("March 14 (birthday)", '"(birthday)" is not part of a date'),
        ("Mar 14 1985 X", '"X" is not part of a date'),
        ("Monday", "it needs both a month and a day"),
        # The numbers keep their strict reading with a weekday too: never swapped to fit.
        (
            "Sat 13/04/1985",
            'there is no month 13 (numbers are read month/day/year; set date_order = "dmy" for day first)',
        ),
    ],
)
def test_every_word_of_a_date_is_used_or_it_is_refused(text, why):
    assert refusal(text) == f"{text!r} is not a date: {why}{USE_MDY}"


def test_the_words_a_date_does_not_use_are_shown_cut_short_when_long():
    message = refusal("March 14 " + "blah " * 50)
    assert message == f"'March 14 {'blah ' * 6}b…' is not a date: \"{'blah ' * 8}…\" is not part of a date{USE_MDY}"


@pytest.mark.parametrize(
    ("text", "date_order", "expected"),
    [
        ("Thursday 14 March 1985", "mdy", PartialDate(3, 14, 1985)),
        ("Thu, 14 Mar 1985", "mdy", PartialDate(3, 14, 1985)),
        ("thu 03/14/1985", "mdy", PartialDate(3, 14, 1985)),
        ("Thurs. 14/03/1985", "dmy", PartialDate(3, 14, 1985)),
        ("Thu 1985-03-14", "dmy", PartialDate(3, 14, 1985)),
        ("March 14 1985, Thursday", "mdy", PartialDate(3, 14, 1985)),
        ("14th of March", "mdy", PartialDate(3, 14)),
        ("the 14th of March 1985", "mdy", PartialDate(3, 14, 1985)),
        ("Mar. 14, 1985", "mdy", PartialDate(3, 14, 1985)),
        ("14-Mar-1985", "mdy", PartialDate(3, 14, 1985)),
    ],
)
def test_a_weekday_that_agrees_and_words_that_say_nothing_are_accepted(text, date_order, expected):
    assert parse_date(text, date_order) == expected


# --- year first ---------------------------------------------------------------------------


@pytest.mark.parametrize("date_order", ["mdy", "dmy", "ymd"])
@pytest.mark.parametrize("text", ["1985/03/14", "1985.03.14", "1985/3/14"])
def test_a_year_written_first_is_read_year_month_day_under_every_order(text, date_order):
    assert parse_date(text, date_order) == PartialDate(3, 14, 1985)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("03/14", PartialDate(3, 14)), ("3.4", PartialDate(3, 4)), ("1985/03/04", PartialDate(3, 4, 1985))],
)
def test_ymd_reads_the_month_before_the_day(text, expected):
    assert parse_date(text, "ymd") == expected


@pytest.mark.parametrize(
    ("text", "written"),
    [("03/14/1985", "1985/03/14"), ("14/03/1985", "1985/03/14"), ("03/04/1985", "1985/03/04")],
)
def test_ymd_refuses_a_year_written_last_and_shows_it_first(text, written):
    assert refusal(text, "ymd") == (
        f"{text!r} is not a date: the year goes first ({written}): numbers are read year/month/day; "
        f'set date_order = "mdy" or "dmy" to write it last{USE_YMD}'
    )


def test_parse_day_under_ymd_lists_full_year_first_forms():
    with pytest.raises(DateError) as caught:
        parse_day("2026/02/30", "ymd")
    assert caught.value.message == f"'2026/02/30' is not a date: February has no day 30{USE_FULL_YMD}"
    assert parse_day("2026/03/14", "ymd") == date(2026, 3, 14)


def test_13_04_1985_is_refused_under_mdy_not_swapped():
    message = refusal("13/04/1985", "mdy")
    assert "there is no month 13" in message


def test_a_date_error_is_bad_input_so_the_cli_exits_2():
    with pytest.raises(BadInput) as caught:
        parse_date("Feb 30")
    assert caught.value.exit_code == 2


# --- parse_day (--from, --on) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date_order", "expected"),
    [
        ("2026-03-14", "mdy", date(2026, 3, 14)),
        (" 2026-03-14 ", "mdy", date(2026, 3, 14)),
        ("14 Mar 2026", "mdy", date(2026, 3, 14)),
        ("March 14 2026", "mdy", date(2026, 3, 14)),
        ("03/14/2026", "mdy", date(2026, 3, 14)),
        ("14/03/2026", "dmy", date(2026, 3, 14)),
        ("03/04/2026", "dmy", date(2026, 4, 3)),
        ("2028-02-29", "mdy", date(2028, 2, 29)),
    ],
)
def test_parse_day_accepts_full_dates(text, date_order, expected):
    assert parse_day(text, date_order) == expected


@pytest.mark.parametrize("text", ["today", "Today", " TODAY "])
def test_parse_day_refuses_today_and_says_it_is_the_default(text):
    with pytest.raises(DateError) as caught:
        parse_day(text)
    assert caught.value.message == "'today' is the default; give a date such as 2026-03-14 instead"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("March 14", "'March 14' has no year; give a full date such as 2026-03-14"),
        ("--03-14", "'--03-14' has no year; give a full date such as 2026-03-14"),
        # The example offered must itself be a real date.
        ("Feb 29", "'Feb 29' has no year; give a full date such as 2028-02-29"),
    ],
)
def test_parse_day_needs_a_year(text, message):
    with pytest.raises(DateError) as caught:
        parse_day(text)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("text", "date_order", "message"),
    [
        ("2023-02-29", "mdy", f"'2023-02-29' is not a date: 2023 is not a leap year{USE_FULL_MDY}"),
        ("", "mdy", f"'' is not a date: no date given{USE_FULL_MDY}"),
        ("03/14/85", "mdy", f"'03/14/85' is not a date: write the year in full (1985 or 2085){USE_FULL_MDY}"),
        ("yesterday", "mdy", f"'yesterday' is not a date{USE_FULL_MDY}"),
        ("Feb 30 2026", "dmy", f"'Feb 30 2026' is not a date: February has no day 30{USE_FULL_DMY}"),
    ],
)
def test_parse_day_refusals_list_full_dates_only(text, date_order, message):
    with pytest.raises(DateError) as caught:
        parse_day(text, date_order)
    assert caught.value.message == message


# --- the Feb 29 rule and next occurrences --------------------------------------------


@pytest.mark.parametrize(
    ("year", "feb29", "expected"),
    [
        (2027, "feb28", date(2027, 2, 28)),
        (2027, "mar1", date(2027, 3, 1)),
        (2028, "feb28", date(2028, 2, 29)),
        (2028, "mar1", date(2028, 2, 29)),
        (2000, "feb28", date(2000, 2, 29)),
        (1900, "feb28", date(1900, 2, 28)),
        (2100, "mar1", date(2100, 3, 1)),
    ],
)
def test_feb_29_falls_on_feb_28_or_mar_1_in_a_non_leap_year(year, feb29, expected):
    assert occurrence_in(year, 2, 29, feb29) == expected


@pytest.mark.parametrize("feb29", ["feb28", "mar1"])
def test_other_dates_ignore_the_feb_29_rule(feb29):
    assert occurrence_in(2027, 2, 28, feb29) == date(2027, 2, 28)
    assert occurrence_in(2027, 3, 1, feb29) == date(2027, 3, 1)


@pytest.mark.parametrize(
    ("month", "day", "today", "feb29", "expected"),
    [
        (3, 14, date(2026, 3, 14), "feb28", date(2026, 3, 14)),  # today counts
        (3, 14, date(2026, 3, 15), "feb28", date(2027, 3, 14)),
        (3, 14, date(2026, 1, 1), "feb28", date(2026, 3, 14)),
        (1, 1, date(2026, 12, 31), "feb28", date(2027, 1, 1)),
        (12, 31, date(2026, 12, 31), "feb28", date(2026, 12, 31)),
        (2, 29, date(2027, 2, 20), "feb28", date(2027, 2, 28)),
        (2, 29, date(2027, 2, 20), "mar1", date(2027, 3, 1)),
        (2, 29, date(2027, 2, 28), "feb28", date(2027, 2, 28)),
        (2, 29, date(2027, 3, 1), "feb28", date(2028, 2, 29)),
        (2, 29, date(2027, 3, 1), "mar1", date(2027, 3, 1)),
        (2, 29, date(2027, 3, 2), "mar1", date(2028, 2, 29)),
        (2, 29, date(2028, 1, 10), "feb28", date(2028, 2, 29)),
        (2, 29, date(2028, 3, 1), "mar1", date(2029, 3, 1)),
        (2, 29, date(2099, 3, 1), "feb28", date(2100, 2, 28)),
    ],
)
def test_next_occurrence(month, day, today, feb29, expected):
    assert next_occurrence(month, day, today, feb29) == expected


def test_occurrences_between_crosses_new_year_and_includes_both_ends():
    assert occurrences_between(1, 5, date(2026, 1, 5), date(2027, 1, 5)) == [date(2026, 1, 5), date(2027, 1, 5)]
    assert occurrences_between(1, 5, date(2026, 1, 6), date(2027, 1, 4)) == []


def test_occurrences_between_marks_nothing_before_the_original_year():
    assert occurrences_between(6, 1, date(2025, 1, 1), date(2028, 12, 31), since=2027) == [
        date(2027, 6, 1),
        date(2028, 6, 1),
    ]


def test_occurrences_between_applies_the_feb_29_rule():
    found = occurrences_between(2, 29, date(2027, 1, 1), date(2028, 12, 31), "mar1")
    assert found == [date(2027, 3, 1), date(2028, 2, 29)]


def test_years_on_counts_calendar_years_and_guesses_nothing_without_a_year():
    assert years_on(1985, date(2026, 3, 14)) == 41
    assert years_on(1988, date(2027, 2, 28)) == 39
    assert years_on(None, date(2026, 3, 14)) is None


@pytest.mark.parametrize(("year", "leap"), [(1900, False), (2000, True), (2024, True), (2027, False), (2100, False)])
def test_feb_29_is_marked_on_its_own_day_only_in_a_leap_year(year, leap):
    assert occurrence_in(year, 2, 29) == (date(year, 2, 29) if leap else date(year, 2, 28))


# --- words for dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (20, "20th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (100, "100th"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (121, "121st"),
    ],
)
def test_ordinal(n, text):
    assert ordinal(n) == text


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (date(2026, 11, 22), "Today"),
        (date(2026, 11, 23), "Tomorrow"),
        (date(2026, 11, 21), "Yesterday"),
        (date(2026, 11, 27), "in 5 days"),
        (date(2026, 11, 19), "3 days ago"),
        (date(2027, 1, 1), "in 40 days"),
    ],
)
def test_relative_day(when, text):
    assert relative_day(when, date(2026, 11, 22)) == text


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (date(2026, 11, 22), "Sun 22 Nov 2026"),
        (date(2027, 2, 28), "Sun 28 Feb 2027"),
        (date(2028, 2, 29), "Tue 29 Feb 2028"),
        (date(2026, 3, 14), "Sat 14 Mar 2026"),
        (date(2027, 1, 1), "Fri 1 Jan 2027"),
    ],
)
def test_format_day(when, text):
    assert format_day(when) == text


# --- properties ---------------------------------------------------------------------------

# A stored month/day: any day of a leap year, with Feb 29 drawn often enough to matter.
month_days = st.one_of(
    st.dates(date(2000, 1, 1), date(2000, 12, 31)).map(lambda d: (d.month, d.day)),
    st.just((2, 29)),
)
todays = st.dates(date(1900, 1, 1), date(2200, 12, 31))
feb29_rules = st.sampled_from(["feb28", "mar1"])


@given(month_day=month_days, today=todays, feb29=feb29_rules)
def test_next_occurrence_is_within_a_year_on_the_stored_day_or_the_feb_29_stand_in(month_day, today, feb29):
    month, day = month_day
    found = next_occurrence(month, day, today, feb29)
    assert today <= found < today + timedelta(days=366)
    if (month, day) == (2, 29) and not calendar.isleap(found.year):
        assert (found.month, found.day) == ((2, 28) if feb29 == "feb28" else (3, 1))
    else:
        assert (found.month, found.day) == (month, day)
    # Nothing earlier: no day from today up to the one found is the occasion's day.
    stand_in = (2, 28) if feb29 == "feb28" else (3, 1)
    for offset in range((found - today).days):
        earlier = today + timedelta(days=offset)
        assert (earlier.month, earlier.day) != (month, day)
        if (month, day) == (2, 29) and not calendar.isleap(earlier.year):
            assert (earlier.month, earlier.day) != stand_in


stored_dates = st.one_of(
    st.builds(PartialDate, month=st.just(2), day=st.just(29), year=st.sampled_from([None, 4, *LEAP_YEARS, 9996])),
    st.dates(date(1, 1, 1), date(9999, 12, 31)).flatmap(
        lambda d: st.sampled_from([PartialDate(d.month, d.day, d.year), PartialDate(d.month, d.day)])
    ),
)


@given(stored=stored_dates, date_order=st.sampled_from(["mdy", "dmy", "ymd"]))
def test_iso_form_round_trips_through_parse_date(stored, date_order):
    assert parse_date(stored.iso(), date_order) == stored


@given(
    stored=st.dates(date(1000, 1, 1), date(9999, 12, 31)).flatmap(
        lambda d: st.sampled_from([PartialDate(d.month, d.day, d.year), PartialDate(d.month, d.day)])
    ),
    date_order=st.sampled_from(["mdy", "dmy", "ymd"]),
)
@settings(max_examples=50)
def test_the_echoed_form_round_trips_through_parse_date(stored, date_order):
    # "14 March 1985" is what a user sees after adding a date; typed back, it is the same date.
    assert parse_date(str(stored), date_order) == stored


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@given(when=st.dates(date(1, 1, 1), date(9999, 12, 31)))
def test_format_day_shows_the_right_weekday(when):
    # 1 January 2024 was a Monday: count from there rather than trusting any library's names.
    weekday = WEEKDAYS[(when - date(2024, 1, 1)).days % 7]
    assert weekday == WEEKDAYS[when.weekday()]
    assert format_day(when) == f"{weekday} {when.day} {MONTHS[when.month - 1]} {when.year}"


def test_dashes_with_the_year_last_are_refused_with_the_iso_form_in_the_user_order() -> None:
    with pytest.raises(DateError, match=r"with dashes write the year first \(1985-04-03\) or use slashes"):
        parse_date("03-04-1985", "dmy")


@given(when=st.dates(date(1000, 1, 1), date(9999, 12, 31)), named=st.integers(0, 6))
@settings(max_examples=50)
def test_a_weekday_is_accepted_on_its_own_day_only(when, named):
    day_names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    text = f"{day_names[named]} {when.day} {MONTHS[when.month - 1]} {when.year}"
    if named == when.weekday():
        assert parse_date(text) == PartialDate(when.month, when.day, when.year)
    else:
        assert f"is a {day_names[when.weekday()]}, not a {day_names[named]}" in refusal(text)
