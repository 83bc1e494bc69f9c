"""What servant remembers between the dates: gestures, gift ideas, keeping in touch.

``servant log`` records what was done for someone (a call, a card, a gift …) and says
what it counts as done for: the date ``--for`` names, else the one date in whose lead
time a card, a gift or flowers falls (and that is its plan, when the date has one); the
digest then stops asking. ``servant gestures`` lists gestures with their ids, and
``servant forget`` takes one back. ``servant idea`` keeps gift ideas, ``servant ideas``
lists them, and ``servant log … gift --idea N`` turns one into a gift. ``servant
overdue`` lists whom it is time to get in touch with again.
"""

from enum import StrEnum
from typing import Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import (
    FromOption,
    PersonArgument,
    TagFilter,
    YesOption,
    check_id,
    check_tags,
    check_tags_in_use,
    check_text,
    confirm,
    open_store,
    parse_option,
    remark,
    settings_of,
    shown,
    today_of,
)
from servant_cli.commands.completion import complete_person
from servant_cli.dates import format_day, parse_day
from servant_cli.errors import BadInput
from servant_cli.models import GestureKind
from servant_cli.text import plural

_KIND_CHOICES = ", ".join(repr(kind.value) for kind in GestureKind)


def _gesture_kind(text: str) -> GestureKind:
    """KIND, any case; anything else is refused as Click refuses a choice."""
    try:
        return GestureKind(text.strip().casefold())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not one of {_KIND_CHOICES}", param_hint="'KIND'") from None


def complete_kind(incomplete: str) -> list[str]:
    """The gestures whose name starts with what was typed."""
    return [kind.value for kind in GestureKind if kind.value.startswith(incomplete.casefold())]


def log(
    ctx: typer.Context,
    person: Annotated[
        str,
        typer.Argument(
            metavar="PERSON",
            help="Name, start of a name, a word of it, or #ID (none with --all-left).",
            autocompletion=complete_person,
        ),
    ],
    kind_text: Annotated[
        str | None,
        typer.Argument(
            metavar="KIND",
            help="call, card, gift, flowers, message, visit or note.",
            autocompletion=complete_kind,
            show_default=False,
        ),
    ] = None,
    what: Annotated[str | None, typer.Argument(metavar="[WHAT]", help="What it was: 'purple bathrobe'.")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="When (default: today).")] = None,
    for_: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="OCCASION",
            help="The date it counts as done for: a kind (birthday), a custom label, or a season's name;"
            " 'none' for no date.",
        ),
    ] = None,
    cost: Annotated[
        str | None,
        typer.Option(metavar="AMOUNT", help="What it cost, kept as typed: 45, 45.90, 1,200.50, $60, 60 €, EUR 45."),
    ] = None,
    idea: Annotated[
        str | None, typer.Option(metavar="N", help="Give gift idea N (see 'servant ideas'); it is marked used.")
    ] = None,
    season: Annotated[
        str | None,
        typer.Option("--season", metavar="SEASON", help="With --all-left: the season whose people to log it for."),
    ] = None,
    all_left: Annotated[
        bool,
        typer.Option("--all-left", help="Log it for everyone still left in --season (asks first)."),
    ] = False,
    yes: YesOption = False,
) -> None:
    """Log something you did for someone: a call, a card, a gift, flowers, a message, a visit, or a note.

    For a season, --for SEASON ticks the person off; 'servant log --season SEASON KIND
    --all-left' logs the same gesture for everyone still left in it.
    """
    if all_left or season is not None:
        if not (all_left and season is not None):
            raise BadInput("--season and --all-left go together: servant log --season 'Holiday cards' card --all-left")
        if for_ is not None or idea is not None:
            raise BadInput("--all-left takes neither --for (the season is --season) nor --idea (one person's idea)")
        if what is not None:
            raise BadInput(f"--all-left names no person: give KIND [WHAT] only (got a third word, {shown(what)})")
        _log_all_left(ctx, season, _gesture_kind(person), kind_text, on, cost, yes)
        return
    if kind_text is None:
        raise typer.BadParameter(f"give what you did: {_KIND_CHOICES}", param_hint="'KIND'")
    kind = _gesture_kind(kind_text)
    if for_ is not None and for_.strip().casefold() != "none" and kind is GestureKind.note:
        raise BadInput("--for: a note takes care of no date; log what you did (call, card, gift, …)")
    from servant_cli.services.memory import log_gesture

    text = check_text("WHAT", what)
    amount = _check_cost(cost)
    idea_id = None if idea is None else check_id("--idea", idea)
    day = parse_option("--on", on, ctx, parse_day) if on is not None else today_of(ctx, None)
    found = log_gesture(
        open_store(ctx),
        person,
        kind.value,
        text,
        day,
        cost=amount,
        for_=for_,
        idea_id=idea_id,
        settings=settings_of(ctx),
    )
    render.write(
        render.logged(
            found.gesture,
            found.person,
            found.occasion,
            found.for_date,
            found.idea,
            found.near,
            found.for_none,
            found.season,
        )
    )
    if on is not None and day > today_of(ctx, None):
        remark(f"{format_day(day)} is still to come; until then it counts as the last contact with them.")
    name = render.clean(found.person.name)
    if found.earlier:
        # One note however often it was given: the latest time, and how many in all.
        last = max(found.earlier, key=lambda gift: (gift.on, gift.id))
        more = len(found.earlier) - 1
        also = f" (and {plural(more, 'time')} before that)" if more else ""
        remark(f"you gave {name} {render.clean(last.what or '')!r} before, on {format_day(last.on)}{also}.")
    if found.dearer is not None and found.occasion is not None:
        remark(render.cheaper_line(found.gesture, found.dearer, found.person, found.occasion))


def _log_all_left(
    ctx: typer.Context,
    name: str,
    kind: GestureKind,
    what: str | None,
    on: str | None,
    cost: str | None,
    yes: bool,
) -> None:
    """``log --season S KIND --all-left``: the gesture for everyone still left in the season."""
    from servant_cli.services.seasons import checklist, log_season

    if kind is GestureKind.note:
        raise BadInput("--all-left: a note ticks no one off; log what you did (call, card, gift, …)")
    text = check_text("WHAT", what)
    amount = _check_cost(cost)
    day = parse_option("--on", on, ctx, parse_day) if on is not None else today_of(ctx, None)
    settings = settings_of(ctx)
    store = open_store(ctx)
    found = checklist(store, store.find_season(name), day, settings)
    left = found.left
    title = render.clean(found.season.name)
    if not left:
        everyone = "no one has its tags" if not found.people else f"all {len(found.people)} are done"
        raise BadInput(f"--all-left: no one is left in {title!r} for {format_day(found.day)} ({everyone})")
    if not yes:
        confirm(f"Log {kind.value} for the {plural(len(left), 'person', 'people')} left in {title!r}?")
    when, logged = log_season(store, found.season, left, kind.value, text, day, settings, cost=amount)
    render.write(
        f"Logged {kind.value} for {plural(len(logged), 'person', 'people')} in {title!r} ({format_day(when)}):"
    )
    people = {person.id: person for person in left}
    for gesture in logged:
        render.write(f"  {render.gesture_phrase(gesture, people[gesture.person_id])}")


def gestures(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Argument(metavar="[PERSON]", help="Only this person's gestures.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List what you did for people, newest first, with the ids 'servant forget gesture' takes."""
    from servant_cli.services.memory import gesture_list

    found = gesture_list(open_store(ctx), person, settings_of(ctx))
    if as_json:
        render.write(render.gestures_json(found.gestures, found.names, found.titles, found.seasons))
    else:
        render.show_gestures(found.gestures, found.names, found.titles, found.who, found.seasons)


class Forgettable(StrEnum):
    gesture = "gesture"
    idea = "idea"


def forget(
    ctx: typer.Context,
    what: Annotated[Forgettable, typer.Argument(metavar="gesture|idea", help="What to forget.", case_sensitive=False)],
    id_: Annotated[
        str, typer.Argument(metavar="ID", help="Its id, as 'servant gestures' or 'servant ideas --all' show it.")
    ],
    yes: YesOption = False,
) -> None:
    """Forget a gesture logged by mistake, or a gift idea (it asks first).

    A forgotten gesture no longer counts as done for its date, as a contact, or as a gift
    given before; a gift idea it gave is not given any more.
    """
    from servant_cli.services.memory import find_gesture, find_idea

    number = check_id("ID", id_)
    store = open_store(ctx)
    if what is Forgettable.gesture:
        found = find_gesture(store, number, settings_of(ctx))
        if not yes:
            confirm(f"Forget {render.gesture_phrase(found.gesture, found.person)}?")
        ideas = store.forget_gesture(number)
        render.write(render.forgot_gesture(found.gesture, found.person, found.occasion, ideas, found.season))
    else:
        idea, who = find_idea(store, number)
        if not yes:
            confirm(f"Forget {render.idea_phrase(idea, who)}?")
        store.forget_idea(number)
        render.write(f"Forgot {render.idea_phrase(idea, who)}")


def idea(
    ctx: typer.Context,
    person: PersonArgument,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="The idea: 'a book on sailing'.")],
) -> None:
    """Keep a gift idea for someone; it shows in the digest when their date comes up."""
    wording = check_text("TEXT", text)
    if not wording:
        raise BadInput("TEXT: a gift idea cannot be empty")
    store = open_store(ctx)
    who = store.find_person(person)
    saved = store.add_idea(who.id, wording)
    render.write(f"Gift idea #{saved.id} for {render.clean(who.name)}: {render.clean(saved.text)}")


def ideas(
    ctx: typer.Context,
    person: Annotated[
        str | None,
        typer.Argument(metavar="[PERSON]", help="Only this person's ideas.", autocompletion=complete_person),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Ideas already given too.")] = False,
) -> None:
    """List gift ideas (not given yet), by person."""
    store = open_store(ctx)
    who = store.find_person(person) if person is not None else None
    found = store.ideas(who.id if who else None, used=all_)
    # Only the people with an idea listed (not the whole address book); ideas go with their person.
    listed = (store.get_person(person_id) for person_id in {item.person_id for item in found})
    names = {person.id: person.name for person in listed if person is not None}
    render.show_ideas(found, names, who)


def overdue(
    ctx: typer.Context,
    from_: FromOption = None,
    tag: TagFilter = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Whom to get in touch with: people whose keep-in-touch time (--every) has run out, most overdue first."""
    from servant_cli.agenda import lapsed

    today = today_of(ctx, from_)
    tags = check_tags(tag)
    store = open_store(ctx)
    check_tags_in_use(store, tags)
    found = lapsed(store.keep_in_touch(tags), today)
    if as_json:
        render.write(render.overdue_json(found))
    else:
        render.show_overdue(found)


def _check_cost(cost: str | None) -> str | None:
    """A cost is kept as typed, currency and all ("$60", "60 €", "1.200,50 kr"): people
    write amounts in many ways, and it is only ever shown back. Text with no amount in
    it at all ("lots") is refused."""
    value = check_text("--cost", cost)
    if cost is None:
        return None
    if value is None or not any(char.isdecimal() for char in value):
        raise BadInput(
            f"--cost: {shown(cost)} has no amount; give a number, with a currency if you like: "
            "45, 45.90, 1,200.50, $60, 60 €, EUR 45"
        )
    return value
