"""The terminal and the streams: plain or Rich, aligned columns, JSON and CSV cells."""

from __future__ import annotations

import itertools
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from json.encoder import encode_basestring  # the C function json itself uses
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
    cells = list(zip(*rows, strict=True))
    shown = [i for i, column in enumerate(cells) if any(column)]
    if not shown:
        return "\n" * len(rows)
    # len() is the width of ASCII text (a column of it is checked at once); cell_width()
    # is called only for the rest.
    widths = [(i, _width(cells[i])) for i in shown[:-1]]
    layout = _Layout(widths, shown[-1], len(cells))
    return "\n".join(layout.lines(rows)) + "\n"


def _width(column: Sequence[str]) -> int:
    """The widest cell of ``column``, in terminal columns."""
    if "".join(column).isascii():
        return max(map(len, column))
    return max(len(cell) if cell.isascii() else cell_width(cell) for cell in column)


class _Layout:
    """Rows written as ``columns`` writes them, once the widths are known: each line is
    one ``%`` format (``%-Ns`` pads by length, right for ASCII); a line holding other
    text in a padded cell is padded again by its cells' widths."""

    def __init__(self, widths: Sequence[tuple[int, int]], last: int, count: int) -> None:
        self.widths = list(widths)
        self.last = last
        self.every = [i for i, _ in widths] + [last] == list(range(count))
        self.format = "  ".join([*(f"%-{width}s" for _, width in widths), "%s"])

    def line(self, row: Sequence[str]) -> str:
        """One row's line, without its line end."""
        cells = tuple(row) if self.every else (*(row[i] for i, _ in self.widths), row[self.last])
        text = self.format % cells
        if not text.isascii() and not "".join(cells[:-1]).isascii():
            padded = [
                row[i].ljust(width) if row[i].isascii() else row[i] + " " * (width - cell_width(row[i]))
                for i, width in self.widths
            ]
            text = "  ".join([*padded, row[self.last]])
        return text.rstrip()

    def lines(self, rows: Iterable[Sequence[str]]) -> Iterator[str]:
        """``line`` of each row; an ASCII line (the usual one) is made in one step."""
        line = self.line
        if not self.every:
            yield from map(line, rows)
            return
        fmt = self.format
        for row in rows:
            text = fmt % (row if isinstance(row, tuple) else tuple(row))
            yield text.rstrip() if text.isascii() else line(row)


#: Rows ``Aligned`` keeps in memory; past that, they wait in a temporary file. A row of
#: ``upcoming`` held is about 200 bytes (its cells are mostly texts other rows share):
#: some 4 MB at most, and a month of a 100,000-person book (13,000 lines) never spooled.
SPOOL_ROWS = 20_000
#: And at most about this many characters: rows whose cells are long (a gesture's text
#: imported at 2,000 characters) wait in the file sooner. 20,000 ordinary lines of
#: ``upcoming`` are about 1.4 million.
SPOOL_CHARS = 2_000_000


class Aligned:
    """Rows to be written as ``columns`` writes them, however many: the widths are known
    only once the last row is in, so the rows wait for it, the first ``SPOOL_ROWS`` in
    memory and the rest in a temporary file. Each row may carry a ``note`` (a style)
    that is given back with its line and takes no part in the layout.
    """

    def __init__(self, rows: Iterable[tuple[Sequence[str], str]] = ()) -> None:
        self.count = 0
        self.widths: list[int] = []
        self.filled: list[bool] = []
        self._held: list[tuple[Sequence[str], str]] = []
        self._chars = 0  # of the rows taken while none waited in the file
        self._file: IO[str] | None = None
        iterator = iter(rows)
        while batch := list(itertools.islice(iterator, 512)):
            self._add_batch(batch)

    def add(self, row: Sequence[str], note: str = "") -> None:
        self._add_batch([(row, note)])

    def _add_batch(self, batch: list[tuple[Sequence[str], str]]) -> None:
        """Rows taken a few hundred at a time: the widths are found a column at a time."""
        cells = list(zip(*(row for row, _ in batch), strict=True))
        if not self.widths:
            self.widths, self.filled = [0] * len(cells), [False] * len(cells)
        widths, filled = self.widths, self.filled
        # The last column is never padded: whether it is empty is all that counts.
        for i, column in enumerate(cells[:-1]):
            if any(column):
                filled[i] = True
                widths[i] = max(widths[i], _width(column))
        if cells and any(cells[-1]):
            filled[-1] = True
        self.count += len(batch)
        if self._file is None:
            room = SPOOL_ROWS - len(self._held) if self._chars < SPOOL_CHARS else 0
            self._chars += sum(sum(map(len, column)) for column in cells)
            self._held += batch[:room]
            batch = batch[room:]
            if not batch:
                return
            import tempfile

            # Closed (and so removed) once read back, in _rows.
            self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115
        self._file.write("".join([_spooled(row, note) for row, note in batch]))

    def lines(self) -> Iterator[tuple[str, str]]:
        """Each row as ``columns`` writes it (with its line end), and its note."""
        shown = [i for i, filled in enumerate(self.filled) if filled]
        if not shown:
            for _, note in self._rows():
                yield "\n", note
            return
        layout = _Layout([(i, self.widths[i]) for i in shown[:-1]], shown[-1], len(self.widths))
        for row, note in self._rows():
            yield layout.line(row) + "\n", note

    def _rows(self) -> Iterator[tuple[Sequence[str], str]]:
        yield from self._held
        if self._file is not None:
            self._file.seek(0)
            for line in self._file:
                yield _unspooled(line)
            self._file.close()


def _spooled(row: Sequence[str], note: str) -> str:
    """A row as one line of the spool: cells and note between NULs (``clean`` text holds
    neither NUL nor a line break), or as JSON after \\x01 when one does."""
    cells = [*row, note]
    text = "\0".join(cells)
    if "\n" in text or text.count("\0") != len(row) or "\x01" in text:
        return "\x01" + json.dumps(cells) + "\n"
    return text + "\n"


def _unspooled(line: str) -> tuple[list[str], str]:
    cells = json.loads(line[1:]) if line.startswith("\x01") else line[:-1].split("\0")
    return cells[:-1], cells[-1]


def write_aligned(rows: Iterable[Sequence[str]]) -> int:
    """``columns(rows)`` written to standard output, the rows read once, one at a time;
    returns how many there were."""
    aligned = Aligned((row, "") for row in rows)
    write_lines(line for line, _ in aligned.lines())
    return aligned.count


def write_lines(lines: Iterable[str], stream: IO[str] | None = None) -> None:
    """Text made a line at a time, written some hundred lines at a time."""
    out = stream or sys.stdout
    for batch in batched(lines, 512):
        out.write("".join(batch))


def batched(items: Iterable[str], size: int) -> Iterator[tuple[str, ...]]:
    iterator = iter(items)
    while batch := tuple(itertools.islice(iterator, size)):
        yield batch


def cell_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK, most emoji) count two, accents none."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )


def print_long_lines(title: str | None, lines: Iterable[tuple[str, str]]) -> None:
    """``print_long`` for lines that come one at a time, each with its style: printed
    some hundred lines at a time."""
    from rich.text import Text

    console = rich_console()
    if title:
        console.print(Text(title + "\n", style="italic"), end="", soft_wrap=True)
    for batch in batched((f"{line}\0{style}" for line, style in lines), 512):
        out = Text()
        for item in batch:
            line, style = item.rsplit("\0", 1)
            out.append(line, style=style)
        console.print(out, end="", soft_wrap=True)


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


def json_lines(items: Iterable[Any], depth: int = 0) -> Iterator[str]:
    """A JSON array of ``items`` as ``to_json`` writes it at ``depth`` (0: the whole
    text, ending with its new line), made an item at a time: the same text, byte for byte."""
    from servant_cli.text import carries_unicode

    ascii_only = not carries_unicode(getattr(sys.stdout, "encoding", None))
    outer = "  " * depth
    inner = outer + "  "
    first = True
    for item in items:
        text = inner + _indented(item, inner)
        if not text.isascii():
            text = (_NOT_ASCII if ascii_only else _C1).sub(_escaped, text)
        yield ("[\n" if first else ",\n") + text
        first = False
    end = "[]" if first else f"\n{outer}]"
    yield end + ("\n" if depth == 0 else "")


#: Any character past ASCII (JSON on a terminal that is not UTF-8).
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def _escaped(match: re.Match[str]) -> str:
    """A character as a JSON escape: ``\\u00e9``, a surrogate pair past U+FFFF (only ever
    inside a string, where it means the same)."""
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _indented(value: Any, indent: str) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` at ``indent``, the same text:
    with an indent, json's encoder is written in Python and takes ten times as long
    for the dicts of lists and scalars servant prints."""
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        return scalar(value)
    if type(value) is dict:
        return _dict_text(value, indent)
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    inner = indent + "  "
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        if not value:
            return "{}"
        parts = [f"{inner}{encode_basestring(key)}: {_indented(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(parts) + "\n" + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _indented(item, inner) for item in value) + "\n" + indent + "]"
    text = json.dumps(value, ensure_ascii=False, indent=2)  # floats and anything else
    return text.replace("\n", "\n" + indent)


#: How json writes a value of exactly these types (no subclass: an enum goes the long way).
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
}

#: Each dict's layout, by its keys and indent: every item of a list has the same keys,
#: so its lines are made once and each item is one ``%`` format of its values.
_LAYOUTS: dict[tuple[str, tuple[str, ...]], str | None] = {}


def _dict_text(value: dict[Any, Any], indent: str) -> str:
    """``_indented`` for a dict."""
    keys = tuple(value)
    layout = _LAYOUTS.get((indent, keys), "")
    if layout == "":
        layout = _LAYOUTS[(indent, keys)] = _dict_layout(keys, indent) if len(_LAYOUTS) < 256 else None
    if layout is None:  # keys that are not all text (json.dumps has its own way), or too many layouts
        inner = indent + "  "
        if not value or not all(isinstance(key, str) for key in value):
            return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)
        parts = [f"{inner}{encode_basestring(key)}: {_indented(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(parts) + "\n" + indent + "}"
    inner = indent + "  "

    def deeper(item: Any) -> str:
        return _indented(item, inner)

    get = _SCALARS.get
    return layout % tuple([get(type(item), deeper)(item) for item in value.values()])


def _dict_layout(keys: tuple[Any, ...], indent: str) -> str | None:
    """A dict's text at ``indent`` with ``%s`` for each value; None when a key is not text."""
    if not keys or not all(type(key) is str for key in keys):
        return None
    inner = indent + "  "
    lines = ",\n".join(f"{inner}{encode_basestring(key).replace('%', '%%')}: %s" for key in keys)
    return "{\n" + lines + "\n" + indent.replace("%", "%%") + "}"


def write_json(data: Any, streamed: str | None = None, items: Iterable[Any] = ()) -> None:
    """``to_json(data)`` written to standard output, with the list at ``data[streamed]``
    (or ``data`` itself when ``streamed`` is None) made from ``items`` one at a time."""
    if streamed is None:
        write_lines(json_lines(items))
        return
    mark = "\ue000streamed\ue000"  # a private-use character: in no stored text's place here
    from servant_cli.text import carries_unicode

    written = json.dumps(mark, ensure_ascii=not carries_unicode(getattr(sys.stdout, "encoding", None)))
    head, tail = to_json({**data, streamed: mark}).split(written, 1)
    sys.stdout.write(head)
    key_line = head.rsplit("\n", 1)[-1]  # '  "gestures": ': the list closes at its indent
    depth = (len(key_line) - len(key_line.lstrip(" "))) // 2
    write_lines(json_lines(items, depth))
    sys.stdout.write(tail)


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
