"""``servant upcoming``: a table on a terminal, aligned lines piped, JSON and CSV."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date

from servant_cli.agenda import as_dict, describe, history_dicts, notes_of
from servant_cli.dates import format_day, relative_day
from servant_cli.models import Upcoming
from servant_cli.render.terminal import (
    TABLE_ROWS,
    columns,
    plain_output,
    print_long,
    rich_console,
    to_json,
    write,
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


def upcoming_rows(items: Sequence[Upcoming], today: date) -> list[tuple[str, str, str, str]]:
    days: dict[date, tuple[str, str]] = {}
    rows = []
    for item in items:
        day = days.get(item.date)
        if day is None:
            day = days[item.date] = (relative_day(item.date, today), format_day(item.date))
        what = " · ".join([describe(item.occasion, item.years), *notes_of(item)])
        rows.append((*day, clean(item.person.name), clean(what)))
    return rows


def show_upcoming(items: Sequence[Upcoming], today: date, days: int) -> None:
    """The upcoming list: a Rich table on a terminal, aligned plain text otherwise."""
    if not items:
        write(nothing_upcoming(today, days))
        return
    rows = upcoming_rows(items, today)
    if plain_output():
        sys.stdout.write(columns(rows))
        return
    title = f"Coming up: {'today' if days == 0 else _next_days(days)}"
    styles = ["bold yellow" if item.days_until == 0 else ("yellow" if item.days_until <= 7 else "") for item in items]
    if len(rows) > TABLE_ROWS:
        print_long(title, columns(rows), styles)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", header_style="bold")
    for heading in ("When", "Date", "Who", "Occasion"):
        table.add_column(heading)
    for row, style in zip(rows, styles, strict=True):
        table.add_row(*(Text(cell) for cell in row), style=style)
    rich_console().print(table)


def upcoming_json(items: Sequence[Upcoming]) -> str:
    return to_json([{**as_dict(item), "history": history_dicts(item.history)} for item in items])


def upcoming_csv(items: Sequence[Upcoming]) -> str:
    import io

    out = io.StringIO()
    fields = ["date", "days_until", "person", "person_id", "kind", "label", "years", "description", "tags"]
    fields += ["family", "handled", "last_gesture"]
    writer = CsvWriter(out)
    writer.writerow(fields)
    for item in items:
        record = as_dict(item)
        record["tags"] = ";".join(record["tags"])  # type: ignore[arg-type]
        record["handled"] = "yes" if item.handled else ""
        record["last_gesture"] = str(item.last) if item.last else ""
        values = (record[key] for key in fields)
        writer.writerow([csv_safe(clean(value) if isinstance(value, str) else value) for value in values])
    return out.getvalue()
