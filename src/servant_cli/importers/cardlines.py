"""The line layer of a vCard file, in time and memory linear in its size.

A file is cut into cards at its ``BEGIN:VCARD`` / ``END:VCARD`` lines (nested cards,
as vCard 2.1 AGENT cards are, stay inside theirs), and a card into properties: its
logical lines (a line that starts with a space or a tab continues the one before, and
so, in vCard 2.1, does the line after a quoted-printable value that ends in ``=``),
each with its group, name, parameters and value. Only the properties a reader asks
for are cut out, unfolded and decoded (quoted-printable, then the ``CHARSET``); the
others (photos, keys, sounds) are stepped over without a copy.

Each distinct head (``EMAIL;TYPE=INTERNET:``) is read once (the last 4,096 are kept)
and then known by its text up to the first colon. A card of at most ``QUICK_CARD``
characters with no folded line, whose heads are all known and none quoted-printable
(the usual card of a large file), is read a line at a time (``_unfolded``): the same
properties, about half the time; any other card by the general loop, from its start.

Why not vobject's own line layer (``getLogicalLines``, ``parseLine``, ``ContentLine``):
its unfolding copies the whole logical line once per physical line of a
quoted-printable value (13 s for a note of 480 KB of soft line breaks, 47 s for
960 KB) and its unfolding regular expression takes 150 bytes a character of a long
line (7 GB for a 50 MB note); its line pattern backtracks exponentially on a line
with many parameters that does not match (2 s for 22 of them, twice as long for each
one more); and it decodes a ``CHARSET`` with any Python codec, ``unicode_escape``
included. Every pattern here is possessive or anchored, so each character is looked
at a bounded number of times.

Limits (README, "Limits of an import"): a card of more than ``MAX_CARD`` characters,
or a property servant reads of more than ``MAX_PROPERTY``, is refused whole with
``RecordProblem``, before anything of it is copied: the rest of the file is read.
"""

from __future__ import annotations

import binascii
import codecs
import re
from collections.abc import Collection
from itertools import chain
from typing import NamedTuple

from servant_cli.errors import BadFile
from servant_cli.importers.common import ACCEPTED, MAX_FIELD, RecordProblem, shown
from servant_cli.models import new_record

#: The most characters a card may have, photos included.
MAX_CARD = 10_000_000
#: The most characters a property servant reads may have (a note, a name), as written
#: in the file, folds and quoted-printable included.
MAX_PROPERTY = MAX_FIELD
#: The most characters of a card read a line at a time (``_unfolded``), each line copied;
#: a larger one (a photo on one line) has only the properties servant reads copied.
QUICK_CARD = 65_536
assert QUICK_CARD < MAX_PROPERTY  # _unfolded never meets a property over the limit
#: Name, group and parameters of a property: more than this is not a vCard property.
MAX_HEAD = 1_000

#: A card's first or last line, at the start of the text; after a line end, the same found
#: by ``_MARK_AFTER``, which starts with a character the search can look for (``^`` is
#: tried at every offset: twice the time).
_MARK = re.compile(r"((BEGIN|END):VCARD[^\S\n]*+)$", re.IGNORECASE | re.MULTILINE)
_MARK_AFTER = re.compile(r"\n((BEGIN|END):VCARD[^\S\n]*+)$", re.IGNORECASE | re.MULTILINE)
_VISIBLE = re.compile(r"\S")
#: Group, name, then the parameters up to the colon, quoted values kept whole.
_HEAD = re.compile(
    r'(?:([A-Za-z0-9_-]++)\.)?([A-Za-z0-9_-]++)((?:(?:\n[ \t])?+;(?:[^";:\n]++|"[^"\n]*+"|\n[ \t])*+)*+)(?:\n[ \t])?+:'
)
_PARAM = re.compile(r';((?:[^";]++|"[^"]*+")*+)')
_PARAM_VALUE = re.compile(r'"([^"]*+)"|([^",]++)')
#: A quoted-printable value goes on after a line that ends in "=" (a soft line break).
_QP_END = re.compile(r"(?<!=)\n(?![ \t])")
_FOLD = re.compile(r"\n[ \t]")
_QP_FOLD = re.compile(r"(?<!=)\n[ \t]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Codecs that are Python's own transformations, not text encodings a file may be in.
_NOT_CHARSETS = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined"})


class Card(NamedTuple):
    """A card: its number in the file, the line it starts on, its text (line ends LF)."""

    number: int
    start: int
    text: str

    @property
    def where(self) -> str:
        return f"card {self.number} at line {self.start}"


class Property(NamedTuple):
    """One property of a card: its value unfolded and decoded, still escaped. Its
    ``params`` are shared by every property of the same head: read them, never change them."""

    name: str
    params: dict[str, list[str]]
    value: str
    group: str | None


def split_cards(text: str) -> list[Card]:
    """The cards of a file, cut at their BEGIN:VCARD / END:VCARD lines; anything but
    blank lines outside a card, or a card that never ends, is a ``BadFile``."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    cards: list[Card] = []
    depth = 0
    line, counted = 1, 0  # the line number of offset ``counted``
    begin = start = outside = 0
    first = _MARK.match(text)
    for mark in chain((first,) if first else (), _MARK_AFTER.finditer(text)):
        at, end = mark.span(1)
        opens = mark[2].upper() == "BEGIN"  # not its first letter: the pattern matches "BEGİN" too, which does not open
        if depth == 0:
            line += text.count("\n", counted, at)
            counted = at
            if at > outside + 1 or not opens:  # more than the line end after the last card
                _check_outside(text, outside, at if opens else end, cards)
            begin, start = at, line
        depth += 1 if opens else -1
        if depth == 0:
            cards.append(new_record(Card, (len(cards) + 1, start, text[begin:end])))
            outside = end
    if depth:
        raise BadFile(f"card {len(cards) + 1} (BEGIN:VCARD on line {start}) has no END:VCARD: the file looks cut short")
    _check_outside(text, outside, len(text), cards)
    if not cards:
        raise BadFile(f"not a vCard file: it has no BEGIN:VCARD; {ACCEPTED}")
    return cards


def _check_outside(text: str, begin: int, end: int, cards: list[Card]) -> None:
    """Between cards there may be blank lines only."""
    found = _VISIBLE.search(text, begin, end)
    if found is None:
        return
    at = text.rfind("\n", 0, found.start()) + 1
    line_end = text.find("\n", at)
    number = text.count("\n", 0, at) + 1
    shown_line = shown(text[at : line_end if line_end >= 0 else len(text)].strip())
    if not cards:
        raise BadFile(f"not a vCard file: line {number} is {shown_line}, not BEGIN:VCARD; {ACCEPTED}")
    raise BadFile(
        f"line {number} ({shown_line}) is outside any card, after card {len(cards)}: "
        "the file is damaged or not a vCard file"
    )


def properties(card: Card, wanted: Collection[str], *, whole_card: bool = False) -> dict[str, list[Property]]:
    """The card's properties named in ``wanted`` (upper case), by name, in the card's
    order (those of a nested card left out). Raises ``RecordProblem`` for a line that is
    not a property, a card (unless ``whole_card``) or property over the limits, or a
    value whose charset is not a text encoding or that does not decode to text."""
    text = card.text
    if len(text) > MAX_CARD and not whole_card:
        raise RecordProblem(f"the card is {len(text):,} characters long; servant reads cards of at most {MAX_CARD:,}")
    if len(text) <= QUICK_CARD and "\n " not in text and "\n\t" not in text:
        unfolded = _unfolded(text, wanted)
        if unfolded is not None:
            return unfolded
    found: dict[str, list[Property]] = {}
    depth = 0
    at = 0
    size = len(text)
    match, heads = _HEAD.match, _HEADS.get
    while at < size:
        if text[at] == "\n":
            at += 1
            continue
        # A head read before is known by its text up to the first colon: the pattern
        # ends a head at its first colon outside quotes, and a head it matched has its
        # quotes closed, so the same text there is the same head.
        colon = text.find(":", at, at + MAX_HEAD)
        read = heads(text[at:colon]) if colon >= 0 else None
        if read is None:
            head = match(text, at, min(size, at + MAX_HEAD))
            if head is None:
                raise RecordProblem(_not_a_property(card, at))
            colon = head.end() - 1
            read = heads(text[at:colon]) or _read_head(head)
        name, params, quoted, group = read
        start = colon + 1
        if quoted:
            ends = _QP_END.search(text, start)
            end = ends.start() if ends else size
        else:
            # The first line end not followed by a space or a tab (a folded line's).
            end = text.find("\n", start)
            while 0 <= end < size - 1 and text[end + 1] in " \t":
                end = text.find("\n", end + 1)
            if end < 0:
                end = size
        if name in ("BEGIN", "END"):
            depth += 1 if name == "BEGIN" else -1
        elif depth == 1 and name in wanted:
            if end - at > MAX_PROPERTY:
                raise RecordProblem(
                    f"{name} is {end - at:,} characters long; servant reads a property of at most {MAX_PROPERTY:,}"
                )
            value = text[start:end]
            if quoted:
                value = _quoted_printable(name, params, _QP_FOLD.sub("", value))
            elif "\n" in value:
                value = _FOLD.sub("", value)
            found.setdefault(name, []).append(Property(name, params, value, group))
        at = end + 1
    return found


def _unfolded(text: str, wanted: Collection[str]) -> dict[str, list[Property]] | None:
    """``properties`` of a card with no folded line, a line at a time, when every head
    is one read before and none is quoted-printable (the usual card of a large file);
    None for any other card, which the general loop then reads from its start."""
    found: dict[str, list[Property]] = {}
    depth = 0
    heads = _HEADS.get
    new = tuple.__new__  # Property's own __new__ is a Python function: one call fewer a line
    for line in text.split("\n"):
        if not line:
            continue
        # No head known is MAX_HEAD long, so this finds what the general loop finds.
        head, colon, value = line.partition(":")
        read = heads(head)
        if read is None or read[2] or not colon:
            return None
        name = read[0]
        if name in ("BEGIN", "END"):
            depth += 1 if name == "BEGIN" else -1
        elif depth == 1 and name in wanted:  # no line of a card this short is over MAX_PROPERTY
            prop = new(Property, (name, read[1], value, read[3]))
            listed = found.get(name)
            if listed is None:
                found[name] = [prop]
            else:
                listed.append(prop)
    return found


#: Each property head already read, by its text up to the colon (``EMAIL;TYPE=INTERNET``):
#: name, parameters, whether quoted-printable, group. Most cards of a file share a few
#: heads; kept to a bound.
_HEADS: dict[str, tuple[str, dict[str, list[str]], bool, str | None]] = {}
_HEADS_KEPT = 4096


def _read_head(head: re.Match[str]) -> tuple[str, dict[str, list[str]], bool, str | None]:
    name = head[2].replace("_", "-").upper()
    params = _params(_FOLD.sub("", head[3])) if head[3] else {}
    quoted = any(value.upper() == "QUOTED-PRINTABLE" for value in params.get("ENCODING", ()))
    read = (name, params, quoted, head[1].casefold() if head[1] else None)
    if len(_HEADS) >= _HEADS_KEPT:
        _HEADS.clear()
    _HEADS[head[0][:-1]] = read
    return read


def _not_a_property(card: Card, at: int) -> str:
    end = card.text.find("\n", at)
    line = card.text[at : end if end >= 0 else len(card.text)]
    number = card.start + card.text.count("\n", 0, at)
    return f"line {number} {shown(line.strip())} is not a vCard property (NAME:value)"


def _params(text: str) -> dict[str, list[str]]:
    """``;TYPE=HOME,pref;CHARSET=UTF-8`` by upper-case name; vCard 2.1's bare
    ``QUOTED-PRINTABLE`` is ``ENCODING``'s, its other bare words (``WORK``) are ``TYPE``'s."""
    params: dict[str, list[str]] = {}
    for found in _PARAM.finditer(text):
        name, equals, values = found[1].partition("=")
        if not equals:
            name, values = ("ENCODING" if name.strip().upper() == "QUOTED-PRINTABLE" else "TYPE"), name
        listed = params.setdefault(name.strip().upper(), [])
        listed.extend(quoted if quoted else bare for quoted, bare in _PARAM_VALUE.findall(values))
    return params


def _quoted_printable(name: str, params: dict[str, list[str]], value: str) -> str:
    """A vCard 2.1 quoted-printable value as text, in its CHARSET (UTF-8 when none)."""
    charset = (params.get("CHARSET") or ["UTF-8"])[0]
    codec = text_codec(charset)
    if codec is None:
        raise RecordProblem(f"{name} is in CHARSET {shown(charset)}, which is not a text encoding")
    try:
        text = binascii.a2b_qp(value.encode("utf-8")).decode(codec)
    except UnicodeDecodeError:
        raise RecordProblem(f"{name} is not {shown(charset)} text, as its CHARSET says") from None
    if _SURROGATE.search(text):
        raise RecordProblem(f"{name} decodes to a lone surrogate (half of a character), not text")
    return text


def text_codec(charset: str) -> str | None:
    """Python's codec for a charset a file names (``ISO-8859-1``, ``Windows-1252``,
    ``UTF-8``), or None when that is no text encoding (``unicode_escape``, ``rot13``,
    ``base64``, an unknown name)."""
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("_", "-") in _NOT_CHARSETS:
        return None
    return info.name
