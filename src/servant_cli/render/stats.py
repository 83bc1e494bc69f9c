"""``servant stats``: bar charts drawn with block characters in Rich tables on a terminal,
``#`` bars in aligned plain text when piped, and JSON.

Rich has no bar chart; a bar here is a cell of full blocks and one partial block
(eighths), so bars of close values still differ.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from servant_cli.dates import MONTH_NAMES
from servant_cli.render.terminal import columns, plain_output, rich_console, to_json
from servant_cli.text import clean, plural

#: The longest bar, in columns.
BAR = 24
_EIGHTHS = " ▏▎▍▌▋▊▉"
_COLOURS = {"month": "cyan", "kind": "magenta", "most": "green", "least": "yellow", "spent": "blue"}

#: A row of a chart: its label, the value the bar shows, the number said, and what follows.
Row = tuple[str, float, str, str]


def bar(value: float, largest: float, plain: bool) -> str:
    """A bar of ``value`` against ``largest`` (BAR columns long): ``#`` when plain."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / largest * BAR * 8))
    if plain:
        return "#" * max(1, round(eighths / 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def _spent(entry: dict[str, Any]) -> str:
    texts = [spent["text"] for spent in entry["spent"]]
    if entry["unpriced"]:
        texts.append(f"{entry['unpriced']} unpriced")
    return ", ".join(texts)


def _sections(figures: dict[str, Any]) -> list[tuple[str, str, list[Row]]]:
    """Each chart: its title, its colour, its rows."""
    months = [(MONTH_NAMES[m["month"]][:3], m["gestures"], str(m["gestures"]), _spent(m)) for m in figures["months"]]
    kinds = [(k["kind"], k["gestures"], str(k["gestures"]), _spent(k)) for k in figures["kinds"]]
    most = [(clean(p["person"]), p["gestures"], str(p["gestures"]), "") for p in figures["most"]]
    least = [(clean(p["person"]), p["gestures"], str(p["gestures"]), "") for p in figures["least"]]
    # Spending by currency (in the order of the year's total), most first: bars compare
    # amounts of one currency only. Then those whose costs could not be read.
    order = {entry["currency"]: number for number, entry in enumerate(figures["spent"])}
    spending: list[Row] = sorted(
        (
            (clean(person["person"]), float(spent["amount"]), clean(spent["text"]), spent["currency"])
            for person in figures["per_person"]
            for spent in person["spent"]
        ),
        key=lambda row: (order[row[3]], -row[1]),
    )
    spending += [
        (clean(person["person"]), 0, f"{person['unpriced']} unpriced", "")
        for person in figures["per_person"]
        if person["unpriced"]
    ]
    return [
        ("By month", "month", months),
        ("By kind of gesture", "kind", kinds),
        ("Most attention", "most", most),
        ("Least attention", "least", least),
        ("Spending per person", "spent", spending),
    ]


def summary(figures: dict[str, Any]) -> str:
    """ "2026: 9 gestures for 5 people; spent $180, €45; 1 unpriced" """
    people = plural(figures["people"], "person", "people")
    said = f"{figures['year']}: {plural(figures['gestures'], 'gesture')} for {people}"
    spent = ", ".join(clean(entry["text"]) for entry in figures["spent"])
    if spent:
        said += f"; spent {spent}"
    if figures["unpriced"]:
        said += f"; {figures['unpriced']} unpriced"
    return said


def _scaled(rows: Sequence[Row], key: str, plain: bool, most: float) -> list[tuple[str, str, str, str]]:
    """Rows with their bars; the least attention is drawn to the scale of the most, and
    spending per currency (amounts are never compared across currencies)."""
    if key != "spent":
        largest = most if key == "least" else max((row[1] for row in rows), default=0)
        return [(label, said, bar(value, largest, plain), rest) for label, value, said, rest in rows]
    tops: dict[str, float] = {}
    for _, value, _, currency in rows:
        tops[currency] = max(tops.get(currency, 0), value)
    return [(label, said, bar(value, tops.get(cur, 0), plain), "") for label, value, said, cur in rows]


def show_stats(figures: dict[str, Any]) -> None:
    """The charts: Rich tables on a terminal, aligned lines with ``#`` bars piped."""
    if not figures["gestures"]:
        sys.stdout.write(
            f"Nothing logged in {figures['year']}; 'servant log' remembers what you do (notes are not counted).\n"
        )
        return
    plain = plain_output()
    most = max((person["gestures"] for person in figures["most"]), default=0)
    sections = [(title, key, _scaled(rows, key, plain, most)) for title, key, rows in _sections(figures) if rows]
    if plain:
        out = [summary(figures) + "\n"]
        for title, _, rows in sections:
            out.append(f"\n{title}\n")
            out.append(columns([(label, said, bars, rest) for label, said, bars, rest in rows]))
        sys.stdout.write("".join(out))
        return
    from rich.table import Table
    from rich.text import Text

    console = rich_console()
    console.print(Text(summary(figures), style="bold"))
    for title, key, rows in sections:
        table = Table(title=title, title_justify="left", title_style="bold", show_header=False, box=None)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_column(style=_COLOURS[key], no_wrap=True, min_width=BAR)
        table.add_column(style="dim")
        for label, said, bars, rest in rows:
            table.add_row(Text(label), Text(said), Text(bars), Text(rest))
        console.print()
        console.print(table)


def _number(value: object) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: _number(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_number(item) for item in value]
    return value


def stats_json(figures: dict[str, Any]) -> str:
    """The figures as JSON; amounts are numbers, each with its currency."""
    return to_json(_number(figures))
