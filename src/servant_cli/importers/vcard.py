"""vCard 2.1, 3.0 and 4.0 in, vCard 4.0 out (through ``vobject``).

Reading. The file is cut into cards at their ``BEGIN:VCARD`` / ``END:VCARD`` lines,
and each card is read on its own: a card with a line that cannot be read, or over the
limits of ``importers.cardlines`` (which says why vobject's own line layer is not used),
is skipped and named, instead of one stray line ending the whole import. Anything
outside a card (another format, binary junk) or a card that never ends (a file cut
short) is a ``BadFile``. Only the properties servant reads are decoded, and values
are unescaped with vobject's ``stringToTextValues``, except that:

- a single-value text property is unescaped whole: vobject reads
  ``NOTE:Met in Lisbon, 2019`` (a comma some exporters leave unescaped) as a list and
  keeps "Met in Lisbon" (py-vobject/vobject#55);
- ORG "Mendes & Filhos, Lda" is not split at its comma either.

A card gives: FN (or N, or ORG for a company card), the first NICKNAME, EMAIL and
TEL, ORG, TITLE, NOTE, CATEGORIES as tags, UID, and its dates:

- BDAY → birthday; ANNIVERSARY, X-ANNIVERSARY, X-EVOLUTION-ANNIVERSARY,
  X-MS-ANNIVERSARY, X-KADDRESSBOOK-X-ANNIVERSARY → anniversary;
- Apple's grouped ``itemN.X-ABDATE`` + ``itemN.X-ABLabel``: ``_$!<Anniversary>!$_`` is
  an anniversary, a label naming one of servant's kinds is that kind, any other label
  a custom date under that label (``_$!<Other>!$_`` → "Other");
- values ``1990-04-05``, ``19900405``, ``--0405``, ``--04-05``, a date-time (its date);
  Apple's placeholder year means no year: a year given in ``X-APPLE-OMIT-YEAR``, or
  1604 in a card Apple made (its PRODID names Apple); any other 1604 is a year;
  a date declared ``VALUE=text`` ("circa 1800") is not a date and is left out.

Writing. vCard 4.0 with FN, N, NICKNAME, EMAIL, TEL, ORG, TITLE, NOTE, CATEGORIES, UID; BDAY and
ANNIVERSARY in the basic form RFC 6350 gives (``19850314``, ``--0314`` without a
year); work anniversaries, client-since and custom dates as Apple-style
``itemN.X-ABDATE`` + ``itemN.X-ABLabel`` (yearless in Apple's own 1604 form), which
Apple Contacts keeps and other address books carry along. Reading such a file back
gives the same people and dates.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import vobject
from vobject.icalendar import stringToTextValues
from vobject.vcard import Name

from servant_cli.importers import ImportedDate, ImportedPerson, Parsed, Progress, Skipped
from servant_cli.importers.cardlines import Card, Property, properties, split_cards
from servant_cli.importers.common import (
    RecordProblem,
    Ticker,
    dated,
    lines,
    one_line,
    parse_when,
    person,
    skipped,
)
from servant_cli.models import KIND_LABELS

if TYPE_CHECKING:
    from servant_cli.models import Occasion, Person

_ANNIVERSARIES = (
    "ANNIVERSARY",
    "X-ANNIVERSARY",
    "X-EVOLUTION-ANNIVERSARY",
    "X-MS-ANNIVERSARY",
    "X-KADDRESSBOOK-X-ANNIVERSARY",
)
_DATE_PROPERTIES = {"BDAY": "birthday", **dict.fromkeys(_ANNIVERSARIES, "anniversary")}
#: The properties servant reads; no other is decoded.
_READ = frozenset(
    {"VERSION", "FN", "N", "NICKNAME", "EMAIL", "TEL", "ORG", "TITLE", "NOTE", "CATEGORIES", "UID"}
    | {"X-ABDATE", "X-ABLABEL"}
    | {"PRODID"}  # Apple's cards: 1604 is no year
    | _DATE_PROPERTIES.keys()
)
#: Apple's stand-in for "no year": a leap year, so Feb 29 fits in it.
APPLE_NO_YEAR = 1604
#: RFC 6350 3.2: lines longer than 75 octets are folded.
_OCTETS = 75
#: Asks vobject for a whole line, which ``fold`` then folds.
_UNFOLDED = 1 << 30


# -- reading -------------------------------------------------------------------------


def read_vcards(text: str, progress: Progress | None = None, *, file: str = "") -> Parsed:
    """Every card of a .vcf file as a record, or a reason it was skipped.

    ``file``: the name of the file, when it is one of a folder's; each record names it
    (``ImportedPerson.file``), and so does where a card is in messages.
    """
    cards = split_cards(text)
    tick = Ticker(progress, len(cards))
    people: list[ImportedPerson] = []
    skips: list[Skipped] = []
    for done, card in enumerate(cards, 1):
        found = _read_card(card, _where(card, file, len(cards)), file)
        if isinstance(found, ImportedPerson):
            people.append(found)
        else:
            skips.append(found)
        tick(done)
    tick.end()
    return Parsed("vcard", people, skips)


def _where(card: Card, file: str, cards: int) -> str:
    """Where a card is, for messages: "card 2 at line 9", in a folder "ada.vcf" (and the
    card when the file has several)."""
    if not file:
        return card.where
    return file if cards == 1 else f"{file}, {card.where}"


def _read_card(card: Card, where: str, file: str) -> ImportedPerson | Skipped:
    name = ""
    try:
        props = properties(card, _READ)
        name = _name(props)
        return person(
            name,
            where,
            no_name="FN, N and ORG are empty",
            uid=_first(props, "UID"),
            email=_first(props, "EMAIL"),
            phone=_phone(_first(props, "TEL")),
            company=_org(props),
            position=_first(props, "TITLE"),
            notes="\n\n".join(lines(_single(prop)) for prop in props.get("NOTE", ())),
            tags=[tag for prop in props.get("CATEGORIES", ()) for tag in _values(prop.value)],
            dates=_dates(props),
            nickname=_nickname(props),
            file=file,
        )
    except RecordProblem as problem:
        return skipped(name or _name_only(card), where, str(problem))


def _name_only(card: Card) -> str:
    """The name of a card that cannot be read whole, for the note that skips it."""
    try:
        return _name(properties(card, {"FN", "N", "ORG"}, whole_card=True))
    except RecordProblem:
        return ""


def _values(text: str, separator: str | None = ",", escapes: str | None = None) -> list[str]:
    """vobject's ``stringToTextValues``, skipped for the many values with nothing to
    split or unescape (it walks the text a character at a time)."""
    if "\\" not in text and (separator is None or separator not in text):
        return [text]
    return list(stringToTextValues(text, listSeparator=separator, charList=escapes))


def _single(prop: Property) -> str:
    """A one-value text, unescaped whole: an unescaped comma is part of it."""
    return _values(prop.value, None)[0]


def _fields(prop: Property) -> list[str]:
    """The ``;``-separated fields of N or ORG, each still escaped."""
    return _values(prop.value, ";", ";")


def _first(props: dict[str, list[Property]], name: str) -> str | None:
    for prop in props.get(name, ()):
        text = one_line(_single(prop))
        if text:
            return text
    return None


def _name(props: dict[str, list[Property]]) -> str:
    """FN; else N put together (prefix, given, additional, family, suffix); else the
    organisation (a company's card)."""
    full = _first(props, "FN")
    if full:
        return full
    for prop in props.get("N", ()):
        fields = (_fields(prop) + [""] * 5)[:5]
        family, given, additional, prefix, suffix = (one_line(" ".join(_values(field))) for field in fields)
        joined = " ".join(word for word in (prefix, given, additional, family, suffix) if word)
        if joined:
            return joined
    return _org(props) or ""


def _org(props: dict[str, list[Property]]) -> str | None:
    """The organisation's name: ORG's first field (the others are units)."""
    for prop in props.get("ORG", ()):
        for field in _fields(prop):
            text = one_line(_values(field, None)[0])
            if text:
                return text
    return None


def _nickname(props: dict[str, list[Property]]) -> str | None:
    """The first nickname: NICKNAME may list several, separated by commas."""
    for prop in props.get("NICKNAME", ()):
        for value in _values(prop.value):
            text = one_line(value)
            if text:
                return text
    return None


def _phone(value: str | None) -> str | None:
    """A vCard 4 TEL may be a URI: ``tel:+1-555-0100`` is the number +1-555-0100."""
    if value and value[:4].casefold() == "tel:":
        return value[4:].split(";", 1)[0]
    return value


def _dates(props: dict[str, list[Property]]) -> list[ImportedDate]:
    """The card's dates: BDAY, then anniversaries, then Apple's labelled dates."""
    labels = {prop.group: prop for prop in props.get("X-ABLABEL", ()) if prop.group}
    apple = any("apple" in prop.value.casefold() for prop in props.get("PRODID", ()))
    found = []
    for name, kind in _DATE_PROPERTIES.items():
        for prop in props.get(name, ()):
            when = _when(prop, apple)
            if when is not None:
                found.append(ImportedDate(kind, when[1], when[2], when[0]))
    for prop in props.get("X-ABDATE", ()):
        when = _when(prop, apple)
        if when is not None:
            label = labels.get(prop.group) if prop.group else None
            found.append(dated(_single(label) if label else "", when))
    return found


def _when(prop: Property, apple: bool) -> tuple[int | None, int, int] | None:
    """A date property's (year, month, day); None for a declared text value. Apple's
    placeholder year is none: the year X-APPLE-OMIT-YEAR gives, or 1604 in Apple's card."""
    if any(value.casefold() == "text" for value in prop.params.get("VALUE", ())):
        return None
    year, month, day = parse_when(prop.name, _single(prop))
    omitted = {text.strip() for text in prop.params.get("X-APPLE-OMIT-YEAR", ())}
    if year is not None and ((apple and year == APPLE_NO_YEAR) or str(year) in omitted):
        year = None
    return year, month, day


# -- writing -------------------------------------------------------------------------


def write_vcards(people: Iterable[tuple[Person, Sequence[Occasion]]], *, db_id: str | None = None) -> str:
    """vCard 4.0 text for these people (see the module's docstring)."""
    out = io.StringIO()
    for who, occasions in people:
        _write_card(out, who, occasions, db_id)
    return out.getvalue()


def _write_card(out: io.StringIO, who: Person, occasions: Sequence[Occasion], db_id: str | None) -> None:
    """One card, its properties in a fixed order: vobject would sort them by name and so
    part each ``itemN.X-ABDATE`` from its ``itemN.X-ABLabel``, and some readers take
    the label from the line after the date."""
    card = vobject.vCard()
    ordered: list[Any] = []

    def add(key: str, value: Any, group: str | None = None) -> Any:
        line = card.add(key)
        line.value = value
        line.group = group
        ordered.append(line)
        return line

    add("version", "4.0")
    add("prodid", "-//servant//servant//EN")
    uid = _uid(who, db_id)
    if uid:
        add("uid", uid)
    add("fn", who.name)
    given, _, family = who.name.rpartition(" ")
    add("n", Name(family=family, given=given) if given else Name(given=who.name))
    if who.nickname:
        add("nickname", who.nickname)
    if who.company:
        add("org", [who.company])
    for key, value in (("title", who.position), ("email", who.email), ("tel", who.phone)):
        if value:
            add(key, value)
    item = 0
    for occasion in occasions:
        if occasion.kind in ("birthday", "anniversary"):
            add("bday" if occasion.kind == "birthday" else "anniversary", _basic(occasion))
            continue
        item += 1
        year = occasion.year if occasion.year is not None else APPLE_NO_YEAR
        line = add("x-abdate", f"{year:04d}-{occasion.month:02d}-{occasion.day:02d}", f"item{item}")
        if occasion.year is None:
            line.params["X-APPLE-OMIT-YEAR"] = [str(APPLE_NO_YEAR)]
        add("x-ablabel", KIND_LABELS.get(occasion.kind) or occasion.label or "Other", f"item{item}")
    if who.tags:
        add("categories", list(who.tags))
    if who.notes:
        add("note", who.notes)
    out.write("BEGIN:VCARD\r\n")
    for line in ordered:
        out.write(fold(line.serialize(lineLength=_UNFOLDED, validate=False).removesuffix("\r\n")))
    out.write("END:VCARD\r\n")


def fold(line: str) -> str:
    """RFC 6350 3.2: at most 75 octets a line, cut between characters. vobject escapes
    and writes the line; its own folding counts characters, not octets, in a line of
    fewer than 75 characters, so 74 characters with an emoji went out as 77 octets."""
    if len(line.encode()) <= _OCTETS:
        return line + "\r\n"
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode())
        if size + octets > (_OCTETS if not parts else _OCTETS - 1):  # a folded line starts with a space
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def _basic(occasion: Occasion) -> str:
    """RFC 6350's date: ``19850314``, or ``--0314`` without a year."""
    if occasion.year is None:
        return f"--{occasion.month:02d}{occasion.day:02d}"
    return f"{occasion.year:04d}{occasion.month:02d}{occasion.day:02d}"


def _uid(who: Person, db_id: str | None) -> str | None:
    """The UID the person came with, else one made from the database id and theirs:
    the same on every export, and never the same in another servant's database."""
    source = getattr(who, "source_uid", None)
    if source:
        return str(source)
    if db_id:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'servant:{db_id}:person:{who.id}')}"
    return None
