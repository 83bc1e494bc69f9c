"""servant's own JSON: everything a database holds, written so that reading it back
into an empty database gives the same database.

The file is one object::

    {"format": "servant", "version": 1, "people": [ … ], "seasons": [ … ]}

Each person carries the key ``id`` (their servant id), which the file's references use:
a family link names the other person by it (``{"relation": "child", "of": 12}``), and a
gift idea names the gesture that gave it by the gesture's ``id``. A gesture names the
date it counted for by the date's kind and label, which a person has once, so the
reference holds in a database where the dates have other ids. Keys with no value are
left out. ``name_parts`` is the structured name an import brought (``{"family": …,
"given": …, "additional": …, "prefix": …, "suffix": …}``), written while the name is
the one it came with. ``family_of`` and ``read_family`` are the only code that knows
how family is stored.

``seasons`` (left out when there are none) holds each season with its ``id``, ``name``,
yearly day (``on``: ``--12-01``), ``rule``, ``tags``, ``plan`` and ``lead_days``; a
gesture that ticked someone off a season says so in its ``for``: ``{"season": NAME,
"day": …}`` (a season's name is one only).

Reading is strict: a top level that is not this format, or a version this servant
does not know, is refused whole (``BadFile``); a person the file gets wrong is skipped
with a reason, and the rest is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from servant_cli.dates import Rule
from servant_cli.errors import BadFile, DateError
from servant_cli.importers import ImportedDate, ImportedPerson, Parsed, Progress, Skipped
from servant_cli.importers.common import (
    RecordProblem,
    Ticker,
    lines,
    one_line,
    parse_iso_day,
    parse_when,
    person,
    rule_date,
    shown,
    skipped,
)
from servant_cli.models import KINDS, GestureKind, Plan

if TYPE_CHECKING:
    from servant_cli.models import Gesture, Kin, Occasion, Person, Season

FORMAT = "servant"
VERSION = 1
#: The relations a family link may have.
RELATIONS = ("child", "spouse")
#: Keys (person and gesture ids) are positive and fit a JSON number exactly.
MAX_KEY = 2**53


class FileGesture(NamedTuple):
    """A gesture as the file gives it; its occasion by (kind, label)."""

    key: int
    on: date
    kind: str
    what: str | None = None
    cost: str | None = None
    #: (kind, label) of the date it counted for, and the day of that occurrence.
    occasion: tuple[str, str] | None = None
    for_date: date | None = None
    #: The name of the season it ticked the person off (``for_date``: that season's day).
    season: str | None = None


class FileSeason(NamedTuple):
    """A season as the file gives it."""

    key: int
    name: str
    month: int
    day: int
    rule: str | None = None
    tags: tuple[str, ...] = ()
    plan: str | None = None
    lead_days: int | None = None


class FileIdea(NamedTuple):
    """A gift idea as the file gives it; ``gift`` is the key of the gesture that gave it."""

    text: str
    noted: str
    given: date | None = None
    gift: int | None = None


class FilePerson(NamedTuple):
    """Everything the file holds of one person beyond the address book fields."""

    key: int
    #: (relation, key of the other person in this file).
    family: tuple[tuple[str, int], ...] = ()
    #: (relation, name) of relatives the file names but does not hold.
    relations: tuple[tuple[str, str], ...] = ()
    gestures: tuple[FileGesture, ...] = ()
    ideas: tuple[FileIdea, ...] = ()


class Idea(NamedTuple):
    """A stored gift idea with the gesture that gave it (``ImportStore.all_ideas``)."""

    id: int
    person_id: int
    text: str
    created: str
    used: str | None
    gesture_id: int | None


# -- writing -------------------------------------------------------------------------


def family_of(
    person: Person, kin: Sequence[Kin], keys: Iterable[int]
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """A person's family links to people in the file, each written once: on the child
    (``child`` of a parent) and on the spouse of the lower id; and the relations kept
    as text (label and name)."""
    family: list[dict[str, Any]] = []
    relations: list[dict[str, str]] = []
    for one in kin:
        if one.person_id is None:
            relations.append({"relation": one.relation, "name": one.name})
        elif one.person_id not in keys:
            continue
        elif one.relation == "parent":
            family.append({"relation": "child", "of": one.person_id})
        elif one.relation == "spouse" and person.id < one.person_id:
            family.append({"relation": "spouse", "of": one.person_id})
    return family, relations


def write_json(
    people: Sequence[tuple[Person, Sequence[Occasion]]],
    gestures: Iterable[Gesture],
    ideas: Iterable[Idea],
    kin: Mapping[int, Sequence[Kin]],
    seasons: Sequence[Season] = (),
    ticked: Mapping[int, tuple[int, date]] = {},
) -> str:
    """The whole database as servant's JSON: people by id, each with their dates in id
    order, gestures by day and id, ideas by id; ``kin``: each person's family
    (``Store.kin_of_people``); seasons by id, and the season and day each gesture that
    ticked someone off counted for (``ticked``, by gesture id)."""
    names = {season.id: season.name for season in seasons}
    season_of = {gid: (names[sid], day) for gid, (sid, day) in ticked.items() if sid in names}
    keys = {p.id for p, _ in people}
    by_person: dict[int, list[Gesture]] = {}
    for gesture in sorted(gestures, key=lambda g: (g.on, g.id)):
        by_person.setdefault(gesture.person_id, []).append(gesture)
    ideas_of: dict[int, list[Idea]] = {}
    for idea in sorted(ideas, key=lambda i: i.id):
        ideas_of.setdefault(idea.person_id, []).append(idea)
    occasions = {o.id: o for _, dates in people for o in dates}
    written = []
    for who, dates in sorted(people, key=lambda row: row[0].id):
        family, relations = family_of(who, kin.get(who.id, ()), keys)
        entry: dict[str, Any] = {
            "id": who.id,
            "name": who.name,
            "name_parts": _parts(who),
            "nickname": who.nickname,
            "company": who.company,
            "position": who.position,
            "email": who.email,
            "phone": who.phone,
            "tags": list(who.tags),
            "notes": who.notes,
            "keep_in_touch_days": who.every_days,
            "source_uid": who.source_uid,
            "connected_on": who.connected_on,
            "dates": [_date(o) for o in dates],
            "family": family,
            "relations": relations,
            "gestures": [_gesture(g, occasions, season_of.get(g.id)) for g in by_person.get(who.id, [])],
            "ideas": [_idea(i) for i in ideas_of.get(who.id, [])],
        }
        written.append(_kept(entry))
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION, "people": written}
    if seasons:
        document["seasons"] = [_season(season) for season in sorted(seasons, key=lambda s: s.id)]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


#: The keys of a structured name, as vCard's N orders its parts.
PARTS = ("family", "given", "additional", "prefix", "suffix")


def _parts(who: Person) -> dict[str, str] | None:
    """The structured name an import brought, while the name is the one it came with."""
    parts = who.parts
    return _kept(dict(zip(PARTS, parts, strict=True))) if parts is not None else None


def _kept(entry: dict[str, Any]) -> dict[str, Any]:
    """Without the keys that have no value."""
    return {key: value for key, value in entry.items() if value is not None and value != [] and value != ""}


def _day(year: int | None, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _date(occasion: Occasion) -> dict[str, Any]:
    return _kept(
        {
            "kind": occasion.kind,
            "label": occasion.label if occasion.kind == "custom" else None,
            "date": None if occasion.rule else _day(occasion.year, occasion.month, occasion.day),
            "rule": occasion.rule,
            "once": True if not occasion.yearly else None,
            "lead_days": occasion.lead_days,
            "plan": occasion.plan,
        }
    )


def _season(season: Season) -> dict[str, Any]:
    return _kept(
        {
            "id": season.id,
            "name": season.name,
            "on": _day(None, season.month, season.day),
            "rule": season.rule,
            "tags": list(season.tags),
            "plan": season.plan,
            "lead_days": season.lead_days,
        }
    )


def _gesture(
    gesture: Gesture, occasions: Mapping[int, Occasion], season: tuple[str, date] | None = None
) -> dict[str, Any]:
    counted = occasions.get(gesture.occasion_id) if gesture.occasion_id is not None else None
    for_: dict[str, Any] | None = None
    if season is not None:
        for_ = {"season": season[0], "day": season[1].isoformat()}
    elif counted is not None:
        for_ = _kept(
            {
                "kind": counted.kind,
                "label": counted.label if counted.kind == "custom" else None,
                "day": gesture.for_date.isoformat() if gesture.for_date else None,
            }
        )
    return _kept(
        {
            "id": gesture.id,
            "on": gesture.on.isoformat(),
            "kind": gesture.kind,
            "what": gesture.what,
            "cost": gesture.cost,
            "for": for_,
        }
    )


def _idea(idea: Idea) -> dict[str, Any]:
    return _kept(
        {"text": idea.text, "noted": idea.created, "given": idea.used, "gift": idea.gesture_id if idea.used else None}
    )


# -- reading -------------------------------------------------------------------------


def read_json(text: str, progress: Progress | None = None) -> Parsed:
    """servant's JSON into records: ``people`` (the address book part, for matching) and,
    in the same order, ``extra`` (a ``FilePerson`` each: family, gestures, ideas)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadFile(f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadFile('not a servant JSON export (it has no "format": "servant" at the top)')
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BadFile(f'"version" {shown(str(version))} is not a version of servant\'s JSON')
    if version > VERSION:
        raise BadFile(
            f"the file is version {version} of servant's JSON, from a newer servant; this one reads {VERSION}"
        )
    found = document.get("people")
    if not isinstance(found, list):
        raise BadFile('"people" is not a list')
    records: list[ImportedPerson] = []
    extra: list[FilePerson] = []
    skipped_: list[Skipped] = []
    seen: set[int] = set()
    gestures: set[int] = set()
    count = Ticker(progress, len(found))
    for number, entry in enumerate(found, 1):
        where = f"person {number}"
        name = one_line(entry.get("name")) if isinstance(entry, dict) and isinstance(entry.get("name"), str) else ""
        try:
            record, more = _person(entry, where, seen)
            keys = [gesture.key for gesture in more.gestures]
            twice = next((key for key in keys if key in gestures or keys.count(key) > 1), None)
            if twice is not None:
                raise RecordProblem(f'gesture "id" {twice} is given to an earlier gesture too')
        except RecordProblem as problem:
            skipped_.append(skipped(name, where, str(problem)))
        else:
            seen.add(more.key)
            gestures.update(keys)
            records.append(record)
            extra.append(more)
        count(number)
    count.end()
    return Parsed("json", records, skipped_, tuple(extra), _read_seasons(document.get("seasons", [])))


def _read_seasons(found: Any) -> tuple[FileSeason, ...]:
    """The file's seasons; a file that gets one wrong is refused whole (a season is no
    one's record, so there is nothing to skip it as)."""
    if not isinstance(found, list):
        raise BadFile('"seasons" is not a list')
    seasons: list[FileSeason] = []
    for number, entry in enumerate(found, 1):
        try:
            if not isinstance(entry, dict):
                raise RecordProblem("it is not an object")
            name = one_line(_text(entry, "name"))
            if not name:
                raise RecordProblem("it has no name")
            year, month, day = parse_when('season "on"', _text(entry, "on") or "")
            if year is not None:
                raise RecordProblem('its "on" has a year; a season is yearly: --12-01')
            tags = tuple(one_line(tag) for tag in _list(entry, "tags") if isinstance(tag, str) and one_line(tag))
            plan = entry.get("plan")
            season = FileSeason(
                _key(entry, "id", "season"),
                name,
                month,
                day,
                _season_rule(entry),
                tags,
                None if plan is None else _choice(plan, "plan", tuple(Plan)),
                _int(entry, "lead_days", 0, 365),
            )
        except RecordProblem as problem:
            raise BadFile(f"season {number}: {problem}") from None
        if any(other.key == season.key for other in seasons):
            raise BadFile(f'season {number}: "id" {season.key} is given to an earlier season too')
        seasons.append(season)
    return tuple(seasons)


def _text(entry: Mapping[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordProblem(f'"{key}" is not text')
    return value


def _int(entry: Mapping[str, Any], key: str, low: int, high: int) -> int | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise RecordProblem(f'"{key}" {shown(str(value))} is not a whole number from {low} to {high}')
    return value


def _list(entry: Mapping[str, Any], key: str) -> list[Any]:
    value = entry.get(key, [])
    if not isinstance(value, list):
        raise RecordProblem(f'"{key}" is not a list')
    return value


def _objects(entry: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    found = _list(entry, key)
    if not all(isinstance(item, dict) for item in found):
        raise RecordProblem(f'"{key}" holds something that is not an object')
    return found


def _choice(value: Any, field: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise RecordProblem(f"{field} {shown(str(value))} is not one of {', '.join(choices)}")
    return str(value)


def _person(entry: Any, where: str, seen: set[int]) -> tuple[ImportedPerson, FilePerson]:
    if not isinstance(entry, dict):
        raise RecordProblem("is not an object")
    key = _int(entry, "id", 1, MAX_KEY)
    if key is None:
        raise RecordProblem('has no "id"')
    if key in seen:
        raise RecordProblem(f'"id" {key} is given to an earlier person too')
    tags = _list(entry, "tags")
    if not all(isinstance(tag, str) for tag in tags):
        raise RecordProblem('"tags" holds something that is not text')
    connected = _text(entry, "connected_on")
    record = person(
        one_line(_text(entry, "name")),
        where,
        no_name='"name"',
        uid=_text(entry, "source_uid"),
        email=_text(entry, "email"),
        phone=_text(entry, "phone"),
        company=_text(entry, "company"),
        position=_text(entry, "position"),
        notes=_text(entry, "notes"),
        tags=tags,
        dates=[_read_date(d) for d in _objects(entry, "dates")],
        connected_on=parse_iso_day('"connected_on"', connected) if connected else None,
        every_days=_int(entry, "keep_in_touch_days", 1, 36600),
        nickname=_text(entry, "nickname"),
        name_parts=_read_parts(entry),
    )
    family, relations = read_family(entry)
    gestures = tuple(_read_gesture(g) for g in _objects(entry, "gestures"))
    ideas = tuple(_read_idea(i) for i in _objects(entry, "ideas"))
    return record, FilePerson(key, family, relations, gestures, ideas)


def _read_parts(entry: Mapping[str, Any]) -> list[str | None]:
    """``"name_parts": {"family": "van der Berg", "given": "Anna"}``: the structured name."""
    parts = entry.get("name_parts")
    if parts is None:
        return []
    if not isinstance(parts, dict):
        raise RecordProblem('"name_parts" is not an object')
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise RecordProblem(f'"name_parts" has {shown(unknown[0])}, which is not one of {", ".join(PARTS)}')
    return [_text(parts, key) for key in PARTS]


def read_family(entry: Mapping[str, Any]) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, str], ...]]:
    """A person's family links (relation, other person's key) and relations kept as text."""
    family = tuple(
        (_choice(link.get("relation"), "family relation", RELATIONS), _key(link, "of", "family"))
        for link in _objects(entry, "family")
    )
    relations = []
    for link in _objects(entry, "relations"):
        name = one_line(_text(link, "name"))
        if not name:
            raise RecordProblem("a relation has no name")
        label = one_line(_text(link, "relation"))
        if not label:
            raise RecordProblem(f"the relation of {name} is not said")
        relations.append((label, name))
    return family, tuple(relations)


def _key(entry: Mapping[str, Any], key: str, what: str) -> int:
    value = _int(entry, key, 1, MAX_KEY)
    if value is None:
        raise RecordProblem(f'a {what} entry has no "{key}"')
    return value


def _label(entry: Mapping[str, Any], kind: str) -> str:
    label = one_line(_text(entry, "label"))
    if kind == "custom" and not label:
        raise RecordProblem("a custom date has no label")
    return label if kind == "custom" else ""


def _read_date(entry: Mapping[str, Any]) -> ImportedDate:
    kind = _choice(entry.get("kind"), "date kind", KINDS)
    once = entry.get("once", False)
    if not isinstance(once, bool):
        raise RecordProblem('"once" is not true or false')
    rule = _text(entry, "rule")
    if rule is not None:
        return _read_rule(entry, kind, rule, once)
    year, month, day = parse_when(f"{kind} date", _text(entry, "date") or "")
    if once and year is None:
        raise RecordProblem(f"the one-off {kind} date has no year")
    plan = entry.get("plan")
    return ImportedDate(
        kind,
        month,
        day,
        year,
        _label(entry, kind),
        yearly=not once,
        lead_days=_int(entry, "lead_days", 0, 365),
        plan=None if plan is None else _choice(plan, "plan", tuple(Plan)),
    )


def _season_rule(entry: Mapping[str, Any]) -> str | None:
    """A season's ``rule`` in its stored form (``2SU/5``), checked; None for none."""
    rule = one_line(_text(entry, "rule"))
    if not rule:
        return None
    try:
        return Rule.of(rule).text()
    except DateError:
        raise RecordProblem(f"its rule {shown(rule)} is not one servant writes (2SU/5, -1MO/5, easter+49)") from None


def _read_rule(entry: Mapping[str, Any], kind: str, rule: str, once: bool) -> ImportedDate:
    """A date given as a ``rule`` (``2SU/5``, ``easter+49``): a yearly custom date."""
    if entry.get("date") is not None:
        raise RecordProblem(f'the {kind} date has both a "date" and a "rule"; give one')
    if once:
        raise RecordProblem(f"the {kind} date {shown(rule)} is a yearly rule; it cannot be one-off")
    found = rule_date(f"{kind} rule", rule, kind, _label(entry, kind))
    if found is None:
        raise RecordProblem(f"the {kind} rule {shown(rule)} is not a rule; use e.g. 2SU/5, -1MO/5 or easter+49")
    plan = entry.get("plan")
    return found._replace(
        lead_days=_int(entry, "lead_days", 0, 365), plan=None if plan is None else _choice(plan, "plan", tuple(Plan))
    )


def _read_gesture(entry: Mapping[str, Any]) -> FileGesture:
    on = parse_iso_day('gesture "on"', _text(entry, "on") or "")
    occasion, for_date = None, None
    counted = entry.get("for")
    season = None
    if isinstance(counted, dict) and "season" in counted:
        season = one_line(_text(counted, "season"))
        day = _text(counted, "day")
        if not season or not day:
            raise RecordProblem('a gesture\'s "for" names a season without its name and day')
        for_date = parse_iso_day('gesture "for" day', day)
    elif counted is not None:
        if not isinstance(counted, dict):
            raise RecordProblem('a gesture\'s "for" is not an object')
        kind = _choice(counted.get("kind"), "gesture for", KINDS)
        occasion = (kind, _label(counted, kind))
        day = _text(counted, "day")
        for_date = parse_iso_day('gesture "for" day', day) if day else None
    return FileGesture(
        _key(entry, "id", "gesture"),
        on,
        _choice(entry.get("kind"), "gesture kind", tuple(GestureKind)),
        one_line(_text(entry, "what")) or None,
        one_line(_text(entry, "cost")) or None,
        occasion,
        for_date,
        season,
    )


def _read_idea(entry: Mapping[str, Any]) -> FileIdea:
    text = lines(_text(entry, "text"))
    if not text:
        raise RecordProblem("a gift idea has no text")
    given = _text(entry, "given")
    return FileIdea(
        text,
        one_line(_text(entry, "noted")) or "",
        parse_iso_day('idea "given"', given) if given else None,
        _int(entry, "gift", 1, MAX_KEY),
    )
