"""The terminal and the streams: plain or Rich, aligned columns, JSON and CSV cells."""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import IO, Any

#: Above this many rows a terminal gets aligned lines instead of a table: Rich measures
#: every cell of a table (about 0.25 ms a row), so 10,000 people would take seconds.
TABLE_ROWS = 200


def plain_output(stream: IO[str] | None = None) -> bool:
    """Plain text when not on a terminal, or when NO_COLOR or TERM=dumb asks for it.

    FORCE_COLOR (any value, as https://force-color.org has it, and as Rich reads it)
    asks for the terminal look even when piped, e.g. into ``less -R``; NO_COLOR wins.
    """
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return True
    if os.environ.get("FORCE_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return not (isatty and isatty())


def write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def rich_console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def columns(rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns separated by two spaces; the last column is not padded.

    A column that is empty in every row is left out, so it does not leave a double gap.
    """
    if not rows:
        return ""
    shown = [i for i in range(len(rows[0])) if any(row[i] for row in rows)]
    rows = [[row[i] for i in shown] for row in rows]
    if not rows[0]:
        return "\n" * len(rows)
    # len() is the width of ASCII text; cell_width() is called only for the rest.
    columns = list(zip(*rows, strict=True))[:-1]
    widths = [max(len(c) if c.isascii() else cell_width(c) for c in column) for column in columns]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) if cell.isascii() else cell + " " * (width - cell_width(cell))
            for cell, width in zip(row, widths, strict=False)
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def cell_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK, most emoji) count two, accents none."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )


def print_long(title: str | None, text: str, styles: Sequence[str] = ()) -> None:
    """A list too long for a table, on a terminal: aligned lines, each with its style."""
    from rich.text import Text

    out = Text()
    if title:
        out.append(title + "\n", style="italic")
    for line, style in itertools.zip_longest(text.splitlines(keepends=True), styles, fillvalue=""):
        out.append(line, style=style)
    rich_console().print(out, end="", soft_wrap=True)


def show_table(rows: Sequence[Sequence[str]], headings: Sequence[str], title: str | None = None) -> None:
    """A listing: a Rich table on a terminal (aligned lines past ``TABLE_ROWS``), and
    plain aligned lines when piped. A column empty in every row is left out of both."""
    if plain_output():
        sys.stdout.write(columns(rows))
        return
    if len(rows) > TABLE_ROWS:
        print_long(title, columns(rows))
        return
    from rich.table import Table
    from rich.text import Text

    shown = [i for i in range(len(headings)) if any(row[i] for row in rows)]
    table = Table(title=title, title_justify="left", header_style="bold")
    for i in shown:
        table.add_column(headings[i])
    for row in rows:
        table.add_row(*(Text(row[i]) for i in shown))
    rich_console().print(table)


_C1 = re.compile(r"[\x7f-\x9f]")


def to_json(data: Any) -> str:
    """JSON as servant prints it: readable text, but DEL and the C1 controls (U+0080 to
    U+009F; some terminals take U+009B for an escape) written as ``\\u009b``. They can
    only be inside strings, where the escape means the same. When standard output is not
    UTF-8 (an ISO-8859-1 terminal), all of it is ASCII, every other character escaped:
    the JSON stays whole instead of losing letters to the encoding."""
    from servant_cli.text import carries_unicode

    plain = not carries_unicode(getattr(sys.stdout, "encoding", None))
    text = json.dumps(data, ensure_ascii=plain, indent=2) + "\n"
    if text.isascii():
        return text
    return _C1.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class Progress:
    """A Rich progress bar on stderr for work of ``at_least`` steps or more, when stderr is
    a terminal; entered, it gives the ``update(done, total)`` to call (None when piped)."""

    def __init__(self, title: str, at_least: int) -> None:
        self.title = title
        self.at_least = at_least
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Callable[[int, int], None] | None:
        if not sys.stderr.isatty():
            return None
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < self.at_least:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.title, total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
