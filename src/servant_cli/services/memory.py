"""``servant log``: a gesture recorded, with the date it counts for and the gift idea it used;
the gestures as they count, for the commands that show them."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import NamedTuple

from servant_cli.agenda import (
    Near,
    counted_for,
    handled_occurrence,
    history_of,
    judged,
    near_dates,
    undecided_people,
)
from servant_cli.config import Settings
from servant_cli.dates import format_day
from servant_cli.errors import BadInput, NotFound, ServantError
from servant_cli.models import Gesture, Idea, KeyDate, Occasion, Past, Person, Season, Upcoming
from servant_cli.store import Store
from servant_cli.text import clean, fold


class Logged(NamedTuple):
    """A gesture that was stored, and what it touched."""

    gesture: Gesture
    person: Person
    #: The occasion it counts for, and the day of that occurrence (both None: for nothing).
    occasion: Occasion | None
    for_date: date | None
    #: The dates whose lead window its day falls in (what it could have counted for).
    near: list[Near]
    #: ``--for none``: the user said it counts for nothing.
    for_none: bool
    #: The gift idea it gave.
    idea: Idea | None
    #: Earlier gifts of the same thing to the same person.
    earlier: list[Gesture]
    #: For a gift or flowers that cost less than the same kind did for the same date
    #: the last year one was given: that earlier one (``cheaper_than``); log says so.
    dearer: Gesture | None = None
    #: The season it ticked the person off (``for_date`` is then that season's day).
    season: Season | None = None


def log_gesture(
    store: Store,
    query: str,
    kind: str,
    what: str | None,
    day: date,
    *,
    cost: str | None = None,
    for_: str | None = None,
    idea_id: int | None = None,
    settings: Settings,
) -> Logged:
    """Store what was done for the person ``query`` names on ``day``; a gift named like one
    of their ideas, or ``idea_id``, gives that idea.

    Whether it counts for a date is decided here, once, and stored with it: for the date
    ``for_`` names ("none": for nothing), else for the one date near ``day`` that its kind
    fits (``agenda.counted_for``); a call, a message or a visit fits only a date planned so.
    """
    who = store.find_person(query)
    used = _idea(store, who, idea_id, kind) if idea_id is not None else None
    if used is None and kind == "gift" and what:
        # A gift that was one of the ideas: it is given now.
        used = next((i for i in store.ideas(who.id) if same_gift(i.text, what)), None)
    if used is not None:
        what = what or used.text
    for_none = for_ is not None and for_.strip().casefold() == "none"
    dates = store.occasions_of(who.id)
    season = _season(store, who, dates, for_)
    if season is not None:
        from servant_cli.services.seasons import log_season

        day_of, (done,) = log_season(
            store, season, [who], kind, what, day, settings, cost=cost, idea_id=used.id if used else None
        )
        earlier = _earlier(store, who, kind, what, done.id)
        return Logged(done, who, None, day_of, [], False, used, earlier, season=season)
    near = near_dates(dates, kind, day, settings.lead_days, settings.feb29)
    try:
        occasion, for_date = counts_for(who, dates, kind, day, for_, settings, near)
    except BadInput as exc:
        seasons = ", ".join(repr(clean(s.name)) for s in store.seasons())
        if not seasons:
            raise
        raise BadInput(f"{exc.message}; or a season: {seasons}") from None
    earlier = _earlier(store, who, kind, what)
    gesture = store.log_gesture(
        who.id,
        day,
        kind,
        what,
        cost=cost,
        occasion_id=occasion.id if occasion else None,
        for_date=for_date,
        idea_id=used.id if used else None,
    )
    dearer = None
    if occasion is not None and for_date is not None and kind in ("gift", "flowers") and cost:
        before = counting(store, store.occasion_gestures([who.id], [occasion.id], for_date), settings)
        dearer = cheaper_than(gesture, history_of((g for g in before if g.occasion_id == occasion.id), for_date))
    return Logged(gesture, who, occasion, for_date, near, for_none, used, earlier, dearer=dearer)


def counts_for(
    who: Person,
    dates: list[Occasion],
    kind: str,
    day: date,
    for_: str | None,
    settings: Settings,
    near: list[Near] | None = None,
) -> tuple[Occasion | None, date | None]:
    """The date, and its occurrence, that a gesture of ``kind`` for ``who`` on ``day``
    counts for: the one ``for_`` names ("none": nothing), else the one near date its kind
    fits (``near``, worked out when not given). A ``for_`` that names no date, or several,
    is refused (``BadInput``)."""
    if for_ is not None:
        if for_.strip().casefold() == "none":
            return None, None
        occasion = _occasion(who, dates, for_)
        return occasion, handled_occurrence(occasion, day, settings.feb29)
    if kind == "note":
        return None, None
    if near is None:
        near = near_dates(dates, kind, day, settings.lead_days, settings.feb29)
    chosen = counted_for(near)
    return (chosen.occasion, chosen.date) if chosen is not None else (None, None)


def counting(store: Store, gestures: list[Gesture], settings: Settings) -> list[Gesture]:
    """``gestures`` with the link each counts by: the one stored, or, for a gesture an
    earlier version logged without deciding, the one ``log`` would decide now."""
    decided_from = store.decided_from()
    people = undecided_people(gestures, decided_from)
    if not people:
        return gestures
    occasions = store.occasions_of_people(people)
    return judged(gestures, occasions, decided_from, settings.lead_days, settings.feb29)


class Listed(NamedTuple):
    """Gestures as ``servant gestures`` lists them, with what it needs to name them."""

    #: The person asked for (None: everyone).
    who: Person | None
    #: Newest first, each with the link it counts by (``counting``).
    gestures: list[Gesture]
    #: The name of each person listed, and the title of each key date of theirs, by id.
    names: dict[int, str]
    titles: dict[int, str]
    #: The season each gesture that ticked someone off counted for, and its day, by gesture id.
    seasons: Mapping[int, tuple[str, date]] = {}


def gesture_list(store: Store, query: str | None, settings: Settings) -> Listed:
    """Everyone's gestures, or those of the person ``query`` names, newest first."""
    who = store.find_person(query) if query is not None else None
    gestures = counting(store, store.gestures_of(who.id if who else None), settings)
    people = {gesture.person_id for gesture in gestures}
    titles = {o.id: o.title for dates in store.occasions_of_people(people).values() for o in dates}
    return Listed(who, gestures, store.names_of(people), titles, season_links(store, gestures))


def season_links(store: Store, gestures: Iterable[Gesture]) -> dict[int, tuple[str, date]]:
    """The season (by name) and day each of these gestures ticked someone off, by gesture id."""
    names = {season.id: season.name for season in store.seasons()}
    ticked = store.seasons_of_gestures(gesture.id for gesture in gestures) if names else {}
    return {gid: (names[sid], day) for gid, (sid, day) in ticked.items() if sid in names}


class Found(NamedTuple):
    """One gesture, with whom it was for and the occurrence it counts as done for."""

    gesture: Gesture
    person: Person
    occasion: Occasion | None
    #: The season it ticked the person off, and that season's day.
    season: tuple[str, date] | None = None


def find_gesture(store: Store, gesture_id: int, settings: Settings) -> Found:
    """Gesture ``gesture_id``, to be shown before it is forgotten; NotFound if there is none."""
    found = store.get_gesture(gesture_id)
    who = store.get_person(found.person_id) if found is not None else None
    if found is None or who is None:
        raise NotFound(f"there is no gesture #{gesture_id}; see 'servant gestures'")
    (gesture,) = counting(store, [found], settings)
    occasion = next((o for o in store.occasions_of(who.id) if o.id == gesture.occasion_id), None)
    return Found(gesture, who, occasion, season_links(store, [gesture]).get(gesture.id))


def find_idea(store: Store, idea_id: int) -> tuple[Idea, Person]:
    """Gift idea ``idea_id`` and whose it is; NotFound if there is none."""
    found = store.get_idea(idea_id)
    who = store.get_person(found.person_id) if found is not None else None
    if found is None or who is None:
        raise NotFound(f"there is no gift idea #{idea_id}; see 'servant ideas --all'")
    return found, who


def same_gift(one: str, other: str) -> bool:
    """Whether two gifts are the same thing worded a little differently: "a purple
    bathrobe", "Purple bath-robe" and "purple bathrobe" are one gift; "purple scarf" is
    another (see ``gift_key``)."""
    first, second = gift_key(one), gift_key(other)
    if not first or not second:  # all punctuation: compare the text itself
        return one.strip().casefold() == other.strip().casefold()
    return first == second


#: Words that say nothing about which gift it was, when they come first.
_ARTICLES = ("a", "an", "the")


def gift_key(text: str) -> str:
    """What is left of a gift's name to compare: any case, accents and punctuation
    dropped, a leading article dropped, and no spaces ("bath robe" is "bathrobe")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    words = "".join(
        " " if unicodedata.category(char).startswith("P") else char
        for char in folded
        if not unicodedata.combining(char)
    ).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return "".join(words)


def _earlier(store: Store, who: Person, kind: str, what: str | None, but: int | None = None) -> list[Gesture]:
    """Earlier gifts of the same thing to ``who`` (the gesture ``but`` aside)."""
    if kind != "gift" or not what:
        return []
    return [
        g for g in store.gestures_of(who.id) if g.kind == "gift" and g.what and same_gift(g.what, what) and g.id != but
    ]


def _season(store: Store, who: Person, dates: list[Occasion], for_: str | None) -> Season | None:
    """The season ``--for`` names when it names none of the person's own dates; a person
    not in that season (none of its tags) is refused."""
    if for_ is None or for_.strip().casefold() == "none" or dates_named(dates, for_):
        return None
    season = store.season_named(for_)
    if season is None:
        try:
            season = store.find_season(for_)  # the start of one season's name
        except ServantError:
            return None
    if season.tags and not {fold(tag) for tag in season.tags} & {fold(tag) for tag in who.tags}:
        tags = ", ".join(season.tags)
        raise BadInput(
            f"--for: {clean(who.name)} is not in the season {clean(season.name)!r} (for tag {clean(tags)});"
            " tag them first ('servant edit … --tag'), or leave --for out"
        )
    return season


def _idea(store: Store, who: Person, idea_id: int, kind: str) -> Idea:
    if kind != "gift":
        raise BadInput(f"--idea is for a gift, not a {kind}")
    found = store.get_idea(idea_id)
    if found is None or found.person_id != who.id:
        raise NotFound(f"--idea: {clean(who.name)} has no gift idea #{idea_id}; see 'servant ideas'")
    if found.used is not None:
        raise BadInput(f"--idea: #{idea_id} was given already, on {format_day(found.used)}")
    return found


def dates_named(dates: Iterable[Occasion], wanted: str) -> list[Occasion]:
    """The dates a ``--for`` value names: a kind (``birthday``) or a title, any case."""
    key = wanted.strip().casefold()
    return [o for o in dates if key in (o.kind, o.title.casefold())]


def _occasion(who: Person, dates: list[Occasion], wanted: str) -> Occasion:
    if not dates:
        raise BadInput(f"--for: {clean(who.name)} has no key dates; leave --for out, or give --for none")
    have = ", ".join(o.kind if o.kind != "custom" else o.label for o in dates)
    found = dates_named(dates, wanted)
    if len(found) > 1:
        raise BadInput(f"--for: {clean(who.name)} has several {wanted!r} dates; give its label ({clean(have)})")
    if found:
        return found[0]
    raise BadInput(f"--for: {clean(who.name)} has no {wanted!r} date (has: {clean(have)}); give one of those, or none")


# -- what was done in earlier years ------------------------------------------------------


def with_history(store: Store, items: Sequence[Upcoming], settings: Settings) -> list[Upcoming]:
    """``items`` (a window, or a part of one) each with what was done for its occasion in
    earlier years (``Upcoming.history``): one query for them all."""
    if not items:
        return list(items)
    found = counting(
        store,
        store.occasion_gestures(
            {item.person.id for item in items}, {item.occasion.id for item in items}, max(i.date for i in items)
        ),
        settings,
    )
    by_occasion: dict[int, list[Gesture]] = {}
    for gesture in found:
        if gesture.occasion_id is not None:
            by_occasion.setdefault(gesture.occasion_id, []).append(gesture)
    return [
        item._replace(history=history_of(by_occasion[item.occasion.id], item.date))
        if item.occasion.id in by_occasion
        else item
        for item in items
    ]


def date_history(store: Store, who: Person, keys: Sequence[KeyDate], settings: Settings) -> dict[int, tuple[Past, ...]]:
    """What was done for each of a person's key dates before its next occurrence, by
    occasion id (``servant show``); a date with none is left out."""
    coming = {key.occasion.id: key.next for key in keys if key.next is not None}
    if not coming:
        return {}
    found = counting(store, store.occasion_gestures([who.id], coming, max(coming.values())), settings)
    by_occasion: dict[int, list[Gesture]] = {}
    for gesture in found:
        if gesture.occasion_id in coming:
            by_occasion.setdefault(gesture.occasion_id, []).append(gesture)
    history = {number: history_of(gestures, coming[number]) for number, gestures in by_occasion.items()}
    return {number: past for number, past in history.items() if past}


def cheaper_than(gesture: Gesture, history: Sequence[Past]) -> Gesture | None:
    """The gesture of the same kind (a gift, flowers) the latest earlier year that had
    one with a cost, when ``gesture`` cost less than it in the same currency; else None."""
    # Here, not at the top: decimal costs every command that marks gestures 1.5 ms to import.
    from servant_cli.money import parse_cost

    mine = parse_cost(gesture.cost) if gesture.cost else None
    if mine is None:
        return None
    for past in history:
        priced = [g for g in past.gestures if g.kind == gesture.kind and g.cost]
        if priced:
            last = priced[-1]
            theirs = parse_cost(last.cost or "")
            same = theirs is not None and theirs[0] == mine[0]
            return last if same and theirs is not None and mine[1] < theirs[1] else None
    return None
