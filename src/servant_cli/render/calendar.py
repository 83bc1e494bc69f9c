"""``servant calendar``: a month grid like ``cal`` with its occasions, or a year of small months.

Piped (or with ``NO_COLOR``) a day with occasions is followed by ``*``; on a terminal it
is shaded, darker the more occasions it holds, and today is shown reversed.
"""

from __future__ import annotations

import calendar
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from servant_cli.agenda import as_dict, describe, done_phrase
from servant_cli.dates import MONTH_NAMES, format_day
from servant_cli.models import Upcoming
from servant_cli.render.terminal import TABLE_ROWS, columns, plain_output, print_long, rich_console, to_json
from servant_cli.text import clean, plural

#: Width of a month: seven days of two digits, each followed by a mark when plain
#: (``14* 15``) or a space on a terminal, where shading marks a day.
PLAIN_WIDTH, RICH_WIDTH = 27, 20
#: Between two small months of the year; how many months side by side.
GAP = "   "
PLAIN_ACROSS, RICH_ACROSS = 2, 3
#: Shades of a day by how many occasions it holds (1, 2, 3 or more), on a terminal.
SHADES = ("black on #ffe8a3", "black on #ffc23d", "bold white on #e07000")
TODAY = "bold reverse"

Segment = tuple[str, str]


def _shade(count: int) -> str:
    return SHADES[min(count, len(SHADES)) - 1] if count else ""


def month_grid(
    year: int, month: int, counts: Counter[date], today: date, title: str, plain: bool
) -> list[list[Segment]]:
    """The lines of one month (title, weekday names, six weeks), each a list of (text,
    style); plain, a day with occasions is followed by ``*``."""
    width = PLAIN_WIDTH if plain else RICH_WIDTH
    gap = "  " if plain else " "
    header = gap.join(("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"))
    lines: list[list[Segment]] = [[(title.center(width).rstrip(), "bold")], [(header, "dim")]]
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        line: list[Segment] = []
        for number, day in enumerate(week):
            space = "" if number == 0 else (" " if plain else "")
            if day.month != month:
                line.append((space + "  " + (" " if number < 6 else ""), ""))
                continue
            count = counts[day]
            line.append((space, ""))
            line.append((f"{day.day:>2}", TODAY if day == today else _shade(count)))
            if plain or number < 6:
                line.append(("*" if plain and count else " ", ""))
        lines.append(line)
    while len(lines) < 8:  # six weeks at most: months side by side stay aligned
        lines.append([])
    return lines


def _plain(line: Sequence[Segment]) -> str:
    return "".join(text for text, _ in line)


def _print(lines: Sequence[Sequence[Segment]], plain: bool) -> None:
    if plain:
        sys.stdout.write("".join(_plain(line).rstrip() + "\n" for line in lines))
        return
    from rich.text import Text

    console = rich_console()
    for line in lines:
        out = Text()
        for text, style in line:
            out.append(text, style=style)
        out.rstrip()
        console.print(out, soft_wrap=True)


def _counts(items: Sequence[Upcoming]) -> Counter[date]:
    return Counter(item.date for item in items)


def _rows(items: Sequence[Upcoming]) -> list[tuple[str, str, str]]:
    rows = []
    for item in items:
        notes = [describe(item.occasion, item.years)]
        if item.person.family:
            notes.append(item.person.family)
        if item.handled is not None:
            notes.append(done_phrase(item.handled))
        rows.append((format_day(item.date), clean(item.person.name), clean(" · ".join(notes))))
    return rows


def _legend(today: date, shown: bool, plain: bool) -> list[Segment]:
    if plain:
        marks = "* a day with occasions"
        return [(f"{marks}; today is {format_day(today)}" if shown else marks, "dim")]
    legend: list[Segment] = [("occasions: ", "dim")]
    for number, style in enumerate(SHADES, 1):
        legend += [(f" {number}{'+' if number == len(SHADES) else ''} ", style), (" ", "")]
    if shown:
        legend += [(" today ", TODAY)]
    return legend


def show_month(year: int, month: int, items: Sequence[Upcoming], today: date) -> None:
    """One month as ``cal`` draws it, marked, then its occasions."""
    plain = plain_output()
    name = f"{MONTH_NAMES[month]} {year}"
    grid = month_grid(year, month, _counts(items), today, name, plain)
    while grid and not grid[-1]:
        grid.pop()
    _print([*grid, [], _legend(today, (today.year, today.month) == (year, month), plain), []], plain)
    if not items:
        sys.stdout.write(f"No occasions in {name}.\n")
        return
    rows = _rows(items)
    title = f"{plural(len(items), 'occasion')} in {name}"
    if plain:
        sys.stdout.write(columns(rows))
        return
    if len(rows) > TABLE_ROWS:
        print_long(title, columns(rows))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", header_style="bold")
    for heading in ("Date", "Who", "Occasion"):
        table.add_column(heading)
    for item, row in zip(items, rows, strict=True):
        style = "bold" if item.date == today else ("dim" if item.date < today else "")
        table.add_row(*(Text(cell) for cell in row), style=style)
    rich_console().print(table)


def _across(columns: int) -> int:
    """How many small months fit side by side in ``columns`` (3, 2 or 1; 12 divides by each)."""
    return next((n for n in (3, 2) if n * RICH_WIDTH + (n - 1) * len(GAP) <= columns), 1)


def show_year(year: int, items: Sequence[Upcoming], today: date) -> None:
    """Twelve small months, busy days shaded, each month with its count: three across on a
    terminal (fewer on a narrow one), two across when plain (57 columns)."""
    plain = plain_output()
    counts = _counts(items)
    by_month = Counter(item.date.month for item in items)
    across, width = (PLAIN_ACROSS, PLAIN_WIDTH) if plain else (_across(rich_console().width), RICH_WIDTH)
    heading = f"{year}: {plural(len(items), 'occasion')}"
    lines: list[list[Segment]] = [[(heading.center(across * width + (across - 1) * len(GAP)).rstrip(), "bold")]]
    for first in range(1, 13, across):
        grids = []
        for month in range(first, first + across):
            title = MONTH_NAMES[month] + (f" ({by_month[month]})" if by_month[month] else "")
            grids.append(month_grid(year, month, counts, today, title, plain))
        lines.append([])
        for parts in zip(*grids, strict=True):
            line: list[Segment] = []
            for number, part in enumerate(parts):
                used = sum(len(text) for text, _ in part)
                line += [*part, (" " * (width - used) + (GAP if number < across - 1 else ""), "")]
            lines.append(line)
        while lines and not any(text.strip() for text, _ in lines[-1]):
            lines.pop()
    lines.append([])
    lines.append(_legend(today, today.year == year, plain))
    _print(lines, plain)
    if not items:
        sys.stdout.write(f"No occasions in {year}.\n")


def calendar_json(year: int, month: int | None, items: Sequence[Upcoming], today: date) -> str:
    """The days with occasions and their counts (by month for a year), and the occasions."""
    counts = _counts(items)
    data: dict[str, Any] = {"year": year, "month": month, "today": today.isoformat(), "occasions": len(items)}
    if month is None:
        by_month = Counter(item.date.month for item in items)
        data["months"] = [{"month": number, "occasions": by_month[number]} for number in range(1, 13)]
    data["days"] = [{"date": day.isoformat(), "occasions": counts[day]} for day in sorted(counts)]
    data["items"] = [as_dict(item) for item in items]
    return to_json(data)
