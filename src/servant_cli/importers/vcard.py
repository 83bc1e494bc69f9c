"""vCard 2.1, 3.0 and 4.0 in; vCard 3.0 (Apple's form) and 4.0 out (through ``vobject``).

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

A card gives: FN (or N, or ORG for a company card), N's parts as the structured
name (``ImportedPerson.name_parts``), the first NICKNAME, EMAIL and
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

Family: vCard 4 ``RELATED;TYPE=spouse|child|parent|…`` (a name with ``VALUE=text``, or
another card's ``urn:uuid:``) and Apple's ``itemN.X-ABRELATEDNAMES`` + ``itemN.X-ABLabel``
(``_$!<Spouse>!$_``, ``_$!<Mother>!$_``) are read as relations; the card writes each
link and relation kept as text as RELATED (``related_of``).

Writing. vCard 4.0 with FN, N, NICKNAME, EMAIL, TEL, ORG, TITLE, NOTE, CATEGORIES, UID; BDAY and
ANNIVERSARY in the basic form RFC 6350 gives (``19850314``, ``--0314`` without a
year); work anniversaries, client-since and custom dates as Apple-style
``itemN.X-ABDATE`` + ``itemN.X-ABLabel`` (yearless in Apple's own 1604 form), which
Apple Contacts keeps and other address books carry along. Reading such a file back
gives the same people and dates. vCard 3.0 is the same card in Apple's form: a yearless
birthday ``BDAY;X-APPLE-OMIT-YEAR=1604:1604-MM-DD``, the anniversary as an X-ABDATE
labelled ``_$!<Anniversary>!$_``. Either way a one-off date carries ``X-SERVANT-ONCE=TRUE``,
N is the structured name an import brought while the name is the one it came with
(``Person.parts``), else nameparser's reading of the name (family name first for CJK
script; none for a company's card); a company's card is an organisation's, REV is the
last change, and FN and NOTE keep ";" unescaped.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from vobject.base import backslashEscape, dquoteEscape
from vobject.icalendar import stringToTextValues
from vobject.vcard import NAME_ORDER, Name, serializeFields

from servant_cli.importers import ImportedDate, ImportedPerson, ImportedRelation, Parsed, Progress, Skipped
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
from servant_cli.models import KIND_LABELS, new_record

if TYPE_CHECKING:
    from servant_cli.models import Kin, Occasion, Person

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
    | {"X-ABDATE", "X-ABLABEL", "RELATED", "X-ABRELATEDNAMES"}
    | {"PRODID"}  # Apple's cards: 1604 is no year
    | _DATE_PROPERTIES.keys()
)
#: Apple's stand-in for "no year": a leap year, so Feb 29 fits in it.
APPLE_NO_YEAR = 1604
#: RFC 6350 3.2: lines longer than 75 octets are folded.
_OCTETS = 75


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
            notes="\n\n".join(lines(_single(prop)) for prop in props["NOTE"]) if "NOTE" in props else None,
            tags=[tag for prop in props["CATEGORIES"] for tag in _values(prop.value)] if "CATEGORIES" in props else (),
            dates=_dates(props),
            nickname=_nickname(props),
            file=file,
            relations=_relations(props),
            name_parts=_parts(props),
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
    unescape (it walks the text a character at a time): those are split as it splits
    them (an empty last field after a separator is dropped)."""
    if "\\" not in text:
        if separator is None or separator not in text:
            return [text]
        values = text.split(separator)
        if not values[-1]:
            values.pop()
        return values
    return list(stringToTextValues(text, listSeparator=separator, charList=escapes))


def _one_line(value: str | None) -> str:
    """``one_line``, with nothing to do for the usual value (printable ASCII) but strip it."""
    if value and value.isascii() and value.isprintable():
        return value.strip()
    return one_line(value)


def _single(prop: Property) -> str:
    """A one-value text, unescaped whole: an unescaped comma is part of it (the value as
    it is when it has nothing to unescape)."""
    value = prop.value
    return value if "\\" not in value else _values(value, None)[0]


def _fields(prop: Property) -> list[str]:
    """The ``;``-separated fields of N or ORG, each still escaped."""
    return _values(prop.value, ";", ";")


def _first(props: dict[str, list[Property]], name: str) -> str | None:
    """The first value of ``name`` that is not empty, one line (``_one_line(_single(prop))``,
    with nothing to unescape or take out of the usual value)."""
    for prop in props.get(name, ()):
        value = prop.value
        if "\\" not in value and value.isascii() and value.isprintable():
            text = value.strip()
        else:
            text = _one_line(_single(prop))
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
        family, given, additional, prefix, suffix = (_one_line(" ".join(_values(field))) for field in fields)
        joined = " ".join(word for word in (prefix, given, additional, family, suffix) if word)
        if joined:
            return joined
    return _org(props) or ""


def _parts(props: dict[str, list[Property]]) -> list[str]:
    """The first N with a value: family, given, additional, prefix, suffix; a part with
    several values keeps them joined by "," (as N writes them)."""
    for prop in props.get("N", ()):
        value = prop.value
        if "\\" in value or not value.isascii() or not value.isprintable():
            parts = [_one_line(",".join(_values(field))) for field in (_fields(prop) + [""] * 5)[:5]]
        elif "," not in value and value.count(";") == 4:  # the usual N: five parts, one value each
            parts = list(map(str.strip, value.split(";")))
        else:  # the same, with nothing to unescape: a part's values joined again lose a last ","
            fields = value.split(";")
            if not fields[-1]:
                fields.pop()
            parts = [(field[:-1] if field[-1:] == "," else field).strip() for field in (fields + [""] * 5)[:5]]
        if any(parts):
            return parts
    return []


def _org(props: dict[str, list[Property]]) -> str | None:
    """The organisation's name: ORG's first field (the others are units)."""
    for prop in props.get("ORG", ()):
        for field in _fields(prop):
            text = _one_line(_values(field, None)[0])
            if text:
                return text
    return None


def _nickname(props: dict[str, list[Property]]) -> str | None:
    """The first nickname: NICKNAME may list several, separated by commas."""
    for prop in props.get("NICKNAME", ()):
        for value in _values(prop.value):
            text = _one_line(value)
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
    found: list[ImportedDate] = []
    apple = "PRODID" in props and any("apple" in prop.value.casefold() for prop in props["PRODID"])
    for name, kind in _DATE_PROPERTIES.items():
        for prop in props.get(name, ()):
            when = _when(prop, apple)
            if when is not None:
                found.append(_once(prop, new_record(ImportedDate, (kind, when[1], when[2], when[0], *_PLAIN_DATE))))
    abdates = props.get("X-ABDATE")
    if abdates:
        labels = {prop.group: prop for prop in props.get("X-ABLABEL", ()) if prop.group}
        for prop in abdates:
            when = _when(prop, apple)
            if when is not None:
                label = labels.get(prop.group) if prop.group else None
                found.append(_once(prop, dated(_single(label) if label else "", when)))
    return found


#: The rest of an address book's date after kind, month, day and year: ImportedDate's defaults.
_PLAIN_DATE = tuple(ImportedDate._field_defaults[field] for field in ImportedDate._fields[4:])


#: servant's own parameter on a date that happens once (``BDAY;X-SERVANT-ONCE=TRUE:…``);
#: other address books ignore it, servant reads the date back as one-off.
ONCE = "X-SERVANT-ONCE"


def _once(prop: Property, found: ImportedDate) -> ImportedDate:
    """The date one-off when servant's mark says so (and it has a year)."""
    marks = prop.params.get(ONCE)
    if not marks or found.year is None or not any(value.strip().casefold() == "true" for value in marks):
        return found
    return found._replace(yearly=False)


def _when(prop: Property, apple: bool) -> tuple[int | None, int, int] | None:
    """A date property's (year, month, day); None for a declared text value. Apple's
    placeholder year is none: the year X-APPLE-OMIT-YEAR gives, or 1604 in Apple's card."""
    params = prop.params
    if params:
        types = params.get("VALUE")
        if types and any(value.casefold() == "text" for value in types):
            return None
    year, month, day = parse_when(prop.name, _single(prop))
    if year is not None and ((apple and year == APPLE_NO_YEAR) or _omitted(params, year)):
        year = None
    return year, month, day


def _omitted(params: dict[str, list[str]], year: int) -> bool:
    """Whether X-APPLE-OMIT-YEAR names this year: Apple's placeholder, not a year."""
    omitted = params.get("X-APPLE-OMIT-YEAR")
    if not omitted:
        return False
    return str(year) in {text.strip() for text in omitted}


# -- family --------------------------------------------------------------------------

#: A URI as RELATED's default value type has it (``urn:uuid:…``, ``https://…``).
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def _relations(props: dict[str, list[Property]]) -> list[ImportedRelation]:
    """vCard 4 ``RELATED;TYPE=spouse`` (a name with ``VALUE=text``, else a URI such as
    another card's ``urn:uuid:``), and Apple's ``itemN.X-ABRELATEDNAMES`` with the
    ``itemN.X-ABLabel`` beside it (``_$!<Spouse>!$_``)."""
    found = []
    for prop in props.get("RELATED", ()):
        types = [kind.strip() for value in prop.params.get("TYPE", ()) for kind in value.split(",") if kind.strip()]
        text = _single(prop).strip()
        is_text = any(v.casefold() == "text" for v in prop.params.get("VALUE", ())) or not _URI.fullmatch(text)
        found.append(ImportedRelation(types[0] if types else "relative", text, None if is_text else text))
    named = props.get("X-ABRELATEDNAMES")
    if not named:
        return found
    labels = {prop.group: prop for prop in props.get("X-ABLABEL", ()) if prop.group}
    for prop in named:
        label = labels.get(prop.group) if prop.group else None
        found.append(ImportedRelation(_single(label) if label else "relative", _single(prop)))
    return found


class Related(NamedTuple):
    """One relation as a card writes it: RFC 6350's TYPE (or the label kept as text),
    and another card's UID or a name."""

    type: str
    value: str
    is_uri: bool


def related_of(kin: Sequence[Kin], uids: Mapping[int, str]) -> list[Related]:
    """A person's family as a card says it: a link to someone whose card is written too
    (``uids``: their UIDs, by id) by that card's UID when it is a URI (RELATED's value
    is one), anyone else by name. A 3.0 card may write the same as
    ``itemN.X-ABRELATEDNAMES`` with an Apple label."""
    found = []
    for one in kin:
        uid = uids.get(one.person_id) if one.person_id is not None else None
        if uid is not None and _URI.fullmatch(uid):
            found.append(Related(one.relation, uid, True))
        else:
            found.append(Related(one.relation, one.name, one.person_id is None and one.name.startswith("urn:uuid:")))
    return found


# -- writing -------------------------------------------------------------------------


def write_vcards(
    people: Iterable[tuple[Person, Sequence[Occasion]]],
    *,
    db_id: str | None = None,
    family: Mapping[int, Sequence[Kin]] | None = None,
    version: int = 4,
) -> str:
    """vCard 4.0 (or 3.0, Apple's form) text for these people (see the module's
    docstring); ``family``: each person's, as ``Store.kin_of_people`` gives it."""
    return "".join(card for _, card in write_cards(people, db_id=db_id, family=family, version=version))


def write_cards(
    people: Iterable[tuple[Person, Sequence[Occasion]]],
    *,
    db_id: str | None = None,
    family: Mapping[int, Sequence[Kin]] | None = None,
    version: int = 4,
) -> Iterator[tuple[Person, str]]:
    """Each person with their card. In 4.0 a relative whose card is written too is named
    by that card's UID; 3.0 (Apple's ``X-ABRELATEDNAMES``) names everyone by name."""
    people = list(people)
    uids = {who.id: uid for who, _ in people if (uid := _uid(who, db_id))} if version == 4 else {}
    for who, occasions in people:
        related = related_of((family or {}).get(who.id, ()), uids)
        yield who, write_card(who, occasions, db_id, version, related)


def write_card(
    who: Person, occasions: Sequence[Occasion], db_id: str | None, version: int = 4, related: Sequence[Related] = ()
) -> str:
    """One card, its properties in a fixed order: vobject would sort them by name and so
    part each ``itemN.X-ABDATE`` from its ``itemN.X-ABLabel``, and some readers take
    the label from the line after the date.

    Each line is put together here with vobject's own escaping (``backslashEscape``,
    ``serializeFields``, ``dquoteEscape``), as vobject writes it: making a vobject
    component of every card cost 300 µs a card (42 s for 100,000 people);
    ``tests/test_vcard_lines.py`` holds the lines to vobject's."""
    lines = ["BEGIN:VCARD\r\n"]

    def add(key: str, value: str, group: str | None = None, params: Mapping[str, list[str]] | None = None) -> None:
        line = (f"{group}." if group else "") + key
        for name in sorted(params or ()):
            line += f";{name}=" + ",".join(dquoteEscape(value) for value in (params or {})[name])
        lines.append(fold(f"{line}:{value}"))

    def text(key: str, value: str, group: str | None = None, params: Mapping[str, list[str]] | None = None) -> None:
        add(key, backslashEscape(value), group, params)

    add("VERSION", f"{version}.0")
    add("PRODID", "-//servant//servant//EN")
    uid = _uid(who, db_id)
    if uid:
        text("UID", uid)
    organisation = is_organisation(who)
    if organisation and version == 4:
        add("KIND", "org")
    # RFC 6350 3.4: a semicolon need not be escaped in a single value, and KAddressBook
    # shows the backslash of "\;": FN and NOTE keep theirs bare.
    add("FN", backslashEscape(who.name).replace("\\;", ";"))
    parts = who.parts
    if parts is not None:
        name = Name(*(part.split(",") if "," in part else part for part in parts))
    else:
        name = Name() if organisation else structured_name(who.name)
    add("N", serializeFields(name, NAME_ORDER))
    if organisation and version == 3:
        add("X-ABSHOWAS", "COMPANY")
    if who.nickname:
        text("NICKNAME", who.nickname)
    if who.company:
        add("ORG", serializeFields([who.company]))
    for key, value in (("TITLE", who.position), ("EMAIL", who.email), ("TEL", who.phone)):
        if value:
            text(key, value)
    item = 0
    for occasion in occasions:
        if occasion.rule:
            continue  # no vCard date can say "2nd Sunday of May" (export vcard says so)
        once = {ONCE: ["TRUE"]} if not occasion.yearly else {}
        if occasion.kind == "birthday" or (occasion.kind == "anniversary" and version == 4):
            no_year = {"X-APPLE-OMIT-YEAR": [str(APPLE_NO_YEAR)]} if version == 3 and occasion.year is None else {}
            add("BDAY" if occasion.kind == "birthday" else "ANNIVERSARY", _day(occasion, version), None, no_year | once)
            continue
        item += 1
        year = occasion.year if occasion.year is not None else APPLE_NO_YEAR
        no_year = {"X-APPLE-OMIT-YEAR": [str(APPLE_NO_YEAR)]} if occasion.year is None else {}
        add("X-ABDATE", f"{year:04d}-{occasion.month:02d}-{occasion.day:02d}", f"item{item}", no_year | once)
        label = "_$!<Anniversary>!$_" if occasion.kind == "anniversary" else None
        text("X-ABLABEL", label or KIND_LABELS.get(occasion.kind) or occasion.label or "Other", f"item{item}")
    for relation in related:
        if version == 3:
            item += 1
            text("X-ABRELATEDNAMES", relation.value, f"item{item}")
            text("X-ABLABEL", f"_$!<{relation.type.capitalize()}>!$_", f"item{item}")
            continue
        params = {"TYPE": [relation.type]} | ({"VALUE": ["text"]} if not relation.is_uri else {})
        text("RELATED", relation.value, None, params)
    if who.tags:
        add("CATEGORIES", ",".join(backslashEscape(tag) for tag in who.tags))
    if who.notes:
        add("NOTE", backslashEscape(who.notes).replace("\\;", ";"))
    changed = max([who.updated or "", *(o.updated or "" for o in occasions)])
    if changed:
        text("REV", changed.replace("-", "").replace(":", ""))
    lines.append("END:VCARD\r\n")
    return "".join(lines)


#: Tags that say a card is an organisation's, not a person's.
ORGANISATION_TAGS = frozenset({"organisation", "organization", "company", "business"})
#: Scripts that write the family name first, without a comma: Han, kana, Hangul.
_FAMILY_FIRST = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def card_file_name(who: Person) -> str:
    """A file name for a person's card: letters and digits of the name (any script),
    the rest as "-", at most 60 characters, then the id: "Frank-Delgado-Jr-12.vcf"."""
    safe = re.sub(r"[^\w]+", "-", unicodedata.normalize("NFC", who.name)).strip("-_")[:60].strip("-_")
    return f"{safe or 'person'}-{who.id}.vcf"


def is_organisation(who: Person) -> bool:
    """A card of a company, not a person: the name is the company's, or a tag says so."""
    if who.company and who.company.casefold() == who.name.casefold():
        return True
    return any(tag.casefold() in ORGANISATION_TAGS for tag in who.tags)


def structured_name(name: str) -> Name:
    """The N of a name typed into servant: nameparser's reading ("Frank Delgado Jr.",
    "Smith, John", "Dr. Ana María López García"); a name in a script that writes the
    family name first (山田 太郎) keeps that order."""
    if _FAMILY_FIRST.search(name):
        family, _, given = name.partition(" ")
        return Name(family=family, given=given.strip())
    from nameparser import HumanName

    parsed = HumanName(name)
    if not parsed.last and not parsed.first:
        return Name(given=name)
    return Name(
        family=parsed.last,
        given=parsed.first,
        additional=parsed.middle,
        prefix=parsed.title,
        suffix=parsed.suffix,
    )


def _day(occasion: Occasion, version: int) -> Any:
    """A birthday or anniversary: RFC 6350's basic form in 4.0 (``--0314`` without a
    year); in 3.0 ISO with Apple's placeholder year for none (the line gets its mark)."""
    if version == 4:
        return _basic(occasion)
    year = occasion.year if occasion.year is not None else APPLE_NO_YEAR
    return f"{year:04d}-{occasion.month:02d}-{occasion.day:02d}"


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
