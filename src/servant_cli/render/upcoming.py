"""``servant upcoming``: a table on a terminal, aligned lines piped, JSON and CSV."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable, Iterator
from datetime import date

from servant_cli.agenda import as_dict, describe, history_dicts, notes_of
from servant_cli.dates import format_day, relative_day
from servant_cli.models import Upcoming
from servant_cli.render.terminal import (
    TABLE_ROWS,
    Aligned,
    plain_output,
    print_long_lines,
    rich_console,
    write,
    write_json,
    write_lines,
)
from servant_cli.text import CsvWriter, clean, csv_safe, plural


def _next_days(days: int) -> str:
    """ "the next 30 days", "the next day"."""
    return "the next day" if days == 1 else f"the next {plural(days, 'day')}"


def nothing_upcoming(today: date, days: int) -> str:
    if days == 0:
        return f"Nothing today ({format_day(today)})."
    from datetime import timedelta

    return f"Nothing coming up in {_next_days(days)} (to {format_day(today + timedelta(days=days))})."


def upcoming_rows(items: Iterable[Upcoming], today: date) -> Iterator[tuple[tuple[str, str, str, str], str]]:
    """Each item's cells (when, date, who, what) and its style on a terminal, one at a time."""
    days: dict[date, tuple[str, str, str]] = {}
    # What most rows say (no family, nothing done) is one of a few texts: each made once.
    said: dict[tuple[str, str, int | None], str] = {}
    for item in items:
        when, _, person, occasion, years, handled, last, _ = item
        day = days.get(when)
        if day is None:
            ahead = item.days_until
            style = "bold yellow" if ahead == 0 else ("yellow" if ahead <= 7 else "")
            day = days[when] = (relative_day(when, today), format_day(when), style)
        if person.kin is None and handled is None and last is None:
            key = (occasion.kind, occasion.label, years)
            what = said.get(key)
            if what is None:
                what = said[key] = clean(describe(occasion, years))
        else:
            what = clean(" · ".join([describe(occasion, years), *notes_of(item)]))
        name = person.name  # clean's own first test, without a call a line
        yield (day[0], day[1], name if name.isprintable() else clean(name), what), day[2]


def show_upcoming(items: Iterable[Upcoming], today: date, days: int) -> None:
    """The upcoming list: a Rich table on a terminal, aligned plain text otherwise,
    written as the items come (only the widths of the columns wait for the last one)."""
    rows = upcoming_rows(items, today)
    head = list(itertools.islice(rows, TABLE_ROWS + 1))
    if not head:
        write(nothing_upcoming(today, days))
        return
    every = itertools.chain(head, rows)
    if plain_output():
        write_lines(line for line, _ in Aligned(every).lines())
        return
    title = f"Coming up: {'today' if days == 0 else _next_days(days)}"
    if len(head) > TABLE_ROWS:
        print_long_lines(title, Aligned(every).lines())
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", header_style="bold")
    for heading in ("When", "Date", "Who", "Occasion"):
        table.add_column(heading)
    for row, style in head:
        table.add_row(*(Text(cell) for cell in row), style=style)
    rich_console().print(table)


def write_upcoming_json(items: Iterable[Upcoming]) -> None:
    """``upcoming --json``: a JSON array, written an item at a time, each with its history."""
    write_json(None, None, ({**as_dict(item), "history": history_dicts(item.history)} for item in items))


def write_upcoming_csv(items: Iterable[Upcoming]) -> None:
    """``upcoming --csv``, written a row at a time."""

    fields = ["date", "days_until", "person", "person_id", "kind", "label", "years", "description", "tags"]
    fields += ["family", "handled", "last_gesture"]
    writer = CsvWriter(sys.stdout)
    writer.writerow(fields)
    for item in items:
        record = as_dict(item)
        record["tags"] = ";".join(record["tags"])  # type: ignore[arg-type]
        record["handled"] = "yes" if item.handled else ""
        record["last_gesture"] = str(item.last) if item.last else ""
        values = (record[key] for key in fields)
        writer.writerow([csv_safe(clean(value) if isinstance(value, str) else value) for value in values])
