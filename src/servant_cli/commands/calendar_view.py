"""``servant calendar``: a month like ``cal`` with its occasions marked, or a whole year."""

import sys
from datetime import date, timedelta
from typing import Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import (
    FromOption,
    TagFilter,
    check_count,
    check_tags,
    open_store,
    settings_of,
    today_of,
)
from servant_cli.dates import MONTH_NAMES
from servant_cli.errors import BadInput

#: The years ``--year`` takes: a window must stay clear of ``date.min`` and ``date.max``
#: with the year of gestures looked at before it.
FIRST_YEAR, LAST_YEAR = 1000, 9998

YearOption = Annotated[str | None, typer.Option("--year", metavar="YEAR", help="The year (default: this year).")]


def check_month(text: str) -> int:
    """A month from the command line: 1 to 12, or an English name or its start (3 letters or more)."""
    value = text.strip()
    if value.isdecimal() and len(value) <= 2 and 1 <= int(value) <= 12:
        return int(value)
    if len(value) >= 3 and value.isalpha():
        found = [i for i, name in enumerate(MONTH_NAMES) if name and name.lower().startswith(value.lower())]
        if len(found) == 1:
            return found[0]
    raise BadInput(f"MONTH: {text[:40]!r} is not a month; use 1 to 12 or a name, e.g. 3, mar or March")


def check_year(text: str | None) -> int | None:
    return check_count("--year", text, FIRST_YEAR, LAST_YEAR)


def calendar(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Argument(metavar="[MONTH]", help="A month: 1 to 12 or a name (default: this month).")
    ] = None,
    year: YearOption = None,
    from_: FromOption = None,
    tag: TagFilter = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the days with occasions, their counts, and the occasions as JSON.")
    ] = False,
) -> None:
    """A month like cal with the days of occasions marked and today highlighted, then the month's
    occasions; --year alone shows twelve small months with busy days shaded."""
    from servant_cli.services.calendar_view import occasions_in

    number = check_month(month) if month is not None else None
    chosen = check_year(year)
    tags = check_tags(tag)
    today = today_of(ctx, from_)
    whole_year = chosen is not None and number is None
    shown_year = chosen if chosen is not None else today.year
    shown_month = None if whole_year else (number or today.month)
    if shown_month is None:
        start, end = date(shown_year, 1, 1), date(shown_year, 12, 31)
    else:
        start = date(shown_year, shown_month, 1)
        end = (start + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    # The year's grid only counts the occasions: what was done for each is not needed.
    done = as_json or shown_month is not None
    items = occasions_in(open_store(ctx), start, end, today, settings_of(ctx), tags=tags, done=done)
    if as_json:
        sys.stdout.write(render.calendar_json(shown_year, shown_month, items, today))
    elif shown_month is None:
        render.show_year(shown_year, items, today)
    else:
        render.show_month(shown_year, shown_month, items, today)
