"""Rules for text, in one place: which control characters each kind of text may hold,
how long a value may be, how stored text is made safe for a terminal (``stored`` as it
is read from the database, ``clean`` as it is shown on one line), what stands in for a
character the terminal's encoding lacks (``stand_in``), CSV cells a spreadsheet cannot
run (``csv_safe``, ``CsvWriter``), how names and tags are compared (``fold``), and plurals.

Three kinds of text keep different characters, and each rule is named for its kind:
a file servant writes keeps tab and line ends (they are the format's own), text of
several lines (notes, a calendar's text) keeps tab and LF, and one line keeps none.
Bidirectional controls (U+202A–U+202E, U+2066–U+2069) reorder how the rest of a
terminal line is shown: typed ones are refused, imported ones dropped, stored ones
never reach a terminal.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 and C1 controls but tab, LF and CR
_SEPARATORS = "\u2028\u2029"  # Unicode's line and paragraph separators
_BIDI = "\u202a-\u202e\u2066-\u2069"


class Characters:
    """A set of characters to find or replace, compiled the first time it is used, so that
    a command that never needs it (most never do) pays nothing for it at start-up. Once
    compiled, ``search`` and ``sub`` are the pattern's own (no call in between: the
    importers clean every field with them)."""

    search: Callable[[str], re.Match[str] | None]
    sub: Callable[[str, str], str]

    def __init__(self, chars: str) -> None:
        self.chars = chars

    def __getattr__(self, name: str) -> Any:
        if name not in ("search", "sub"):
            raise AttributeError(name)
        pattern = re.compile(f"[{self.chars}]")
        self.search, self.sub = pattern.search, pattern.sub
        return getattr(pattern, name)


#: In a file servant writes (CSV, vCard): tab and line ends are the format's own.
FILE_CONTROL = Characters(_CONTROLS)
#: In text of several lines (notes, a calendar's text): tab and LF are kept.
TEXT_CONTROL = Characters(f"{_CONTROLS}\r")
#: In one line of text: no control character and no line break of any kind.
LINE_CONTROL = Characters(f"{_CONTROLS}\t\n\r{_SEPARATORS}")
#: Bidirectional controls.
BIDI_CONTROL = Characters(_BIDI)
#: What never reaches a terminal (``clean`` makes tab and LF spaces first).
TERMINAL_CONTROL = Characters(f"{_CONTROLS}\r{_SEPARATORS}{_BIDI}")
_TAB_OR_LF = Characters("\t\n")

#: The longest one-line value (a name, a label, a tag, a company) a command takes.
MAX_TEXT = 200


def clean(text: str | None) -> str:
    """Text safe for a terminal: control characters shown as U+FFFD, newlines as spaces."""
    if not text:
        return ""
    if text.isprintable():  # the usual case, checked in C: nothing to replace
        return text
    return TERMINAL_CONTROL.sub("\ufffd", _TAB_OR_LF.sub(" ", text))


def stored(text: str) -> str:
    """Text as servant reads it from its database, whatever the column: every control
    character but tab and LF, the line separators and the bidirectional controls shown
    as U+FFFD. servant never stores them (typed ones are refused, imported ones
    dropped), but another program may write them into the file; read this way, none of
    them can reach a terminal, an export or a mail, whichever column it was in. A
    Windows line end is a line end, as in a note typed or imported."""
    if text.isprintable():  # the usual case, checked in C: nothing to replace
        return text
    return TERMINAL_CONTROL.sub("\ufffd", text.replace("\r\n", "\n"))


def stored_bytes(raw: bytes) -> str:
    """``stored`` for SQLite's text as it comes (the connection's ``text_factory``): not
    UTF-8 (another program's bytes) is U+FFFD too, not an error that stops the command."""
    text = raw.decode("utf-8", "replace")
    return text if text.isprintable() else TERMINAL_CONTROL.sub("\ufffd", text.replace("\r\n", "\n"))


#: What stands in for a character the output's encoding cannot carry (a terminal in
#: ISO-8859-1, ``LANG=C`` without UTF-8): servant's own punctuation as plain ASCII, and
#: ``?`` for anything else, a letter of a name included.
STAND_INS = {
    "\u2014": "-",  # em dash
    "\u2013": "-",  # en dash
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",  # minus sign
    "\u00b7": "-",  # middle dot (upcoming's separator)
    "\u2022": "*",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u2192": "->",
    "\u00a0": " ",
    "\u202f": " ",
    "\u00d7": "x",
}
#: The name of ``stand_in`` as an error handler (``codecs.register_error``).
STAND_IN = "servant-stand-in"


def stand_in(error: UnicodeError) -> tuple[str, int]:
    """The error handler for output: each character the encoding cannot carry is
    replaced by its ``STAND_INS`` entry or ``?``, so that printing never fails."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    piece = error.object[error.start : error.end]
    return "".join(STAND_INS.get(char, "?") for char in piece), error.end


def carries_unicode(encoding: str | None) -> bool:
    """Whether an output in ``encoding`` can carry any character (UTF-8, UTF-16, ...)."""
    import codecs

    try:
        return codecs.lookup(encoding or "ascii").name.startswith("utf")
    except LookupError:
        return False


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


#: A ``;`` followed (spaces and quotes aside) by what starts a formula.
AFTER_SEMICOLON = r";(?=[ \"']*[=+\-@\t\r])"


@functools.cache
def _after_semicolon() -> re.Pattern[str]:
    return re.compile(AFTER_SEMICOLON)  # compiled on first use, as ``Characters`` are


def guard_after_semicolons(text: str) -> str:
    """A ``'`` after each ``;`` that a formula would follow. A spreadsheet that splits
    cells at ``;`` (the list separator of much of Europe) starts a cell there, quotes or
    no quotes: "x;-2+3" would run "-2+3"; "x;'-2+3" is text."""
    if ";" not in text:
        return text
    return _after_semicolon().sub(";'", text)


class CsvWriter:
    """``csv.writer`` as servant writes CSV: LF line ends, and a cell that holds a ``;``
    quoted. The csv module quotes a cell only for a comma, a quote or a line break; a
    spreadsheet that splits cells at ``;`` (much of Europe) keeps a quoted cell whole.

    A row without a ``;`` is written by csv in one call; in a row with one, csv writes
    each cell (quoted or as needed) and the cells are joined by commas."""

    def __init__(self, out: Any) -> None:
        import csv
        import io

        self._out = out
        self._row = csv.writer(out, lineterminator="\n")
        self._cell_text = io.StringIO()
        self._cell = csv.writer(self._cell_text, lineterminator="\n")
        self._quoted_cell = csv.writer(self._cell_text, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Sequence[Any]) -> None:
        if not any(isinstance(cell, str) and ";" in cell for cell in row):
            self._row.writerow(row)
            return
        self._out.write(",".join(map(self._one, row)) + "\n")

    def _one(self, cell: Any) -> str:
        if cell is None or cell == "":
            return ""  # (alone on a row, csv writes an empty cell as "")
        self._cell_text.seek(0)
        self._cell_text.truncate()
        (self._quoted_cell if isinstance(cell, str) and ";" in cell else self._cell).writerow([cell])
        return self._cell_text.getvalue()[:-1]


def csv_safe(value: Any) -> Any:
    """Neutralise a cell a spreadsheet would run as a formula: a leading = + - @ (or tab,
    CR) gets a ``'`` before it, and so does each part after a ``;`` that starts so
    (``guard_after_semicolons``)."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return guard_after_semicolons(value)


def plural(count: int, noun: str, nouns: str | None = None, *, space: str = " ") -> str:
    """``count`` and the noun that goes with it: "1 day", "3 days", "1 person", "2 people"."""
    word = noun if count == 1 else (nouns or noun + "s")
    return f"{count}{space}{word}"


#: Letters without an accent mark for Unicode to take off, and what people type for them.
_PLAIN_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
#: What names use as an apostrophe (O'Brien, D’Angelo, Hawaiʻi).
APOSTROPHES = "'\u2019\u02bc\u02bb\u2018"
_NO_APOSTROPHES = str.maketrans(dict.fromkeys(APOSTROPHES))


def json_text(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``, by one C encoder made on first use rather
    than one a call (an import writes a few such texts for every card): ``JSONEncoder.encode``
    makes a new one each time it is called."""
    return "".join(_json_encoder()(value, 0))


@functools.cache
def _json_encoder() -> Callable[[Any, int], Iterable[str]]:
    import json
    from json import encoder

    plain = json.JSONEncoder(ensure_ascii=False)
    make = getattr(encoder, "c_make_encoder", None)  # None: a Python without the _json module
    if make is None:
        return lambda value, _: (plain.encode(value),)
    # The arguments JSONEncoder.iterencode gives it; no check for cycles (markers None):
    # what is written here is lists, dicts and text made by servant, never a cycle.
    made: Callable[[Any, int], Iterable[str]] = make(
        None,
        plain.default,
        encoder.encode_basestring,
        None,
        plain.key_separator,
        plain.item_separator,
        plain.sort_keys,
        plain.skipkeys,
        plain.allow_nan,
    )
    return made


def fold(text: str) -> str:
    """Text as a search compares it: case and accents aside ("Lucía" → "lucia", "Weiß" →
    "weiss", "Łukasz" → "lukasz"); punctuation and apostrophes are kept."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(_PLAIN_LETTERS)


def search_key(text: str) -> str:
    """``fold``, and without apostrophes: "O'Brien", "O’Brien" and "obrien" are one text."""
    folded = fold(text)
    return folded.replace("'", "") if folded.isascii() else folded.translate(_NO_APOSTROPHES)


def key_span(text: str, key: str) -> tuple[int, int] | None:
    """Where in ``text`` the first match of ``key`` (a ``search_key``) is: start and end
    indexes into ``text`` itself, whose folded form may be longer or shorter."""
    if not key:
        return None
    pieces = [search_key(char) for char in text]
    joined = "".join(pieces)
    found = joined.find(key)
    if found < 0:
        return None
    start = end = None
    offset = 0
    for index, piece in enumerate(pieces):
        if start is None and piece and offset + len(piece) > found:
            start = index
        offset += len(piece)
        if offset >= found + len(key):
            end = index + 1
            break
    assert start is not None and end is not None
    return start, end
