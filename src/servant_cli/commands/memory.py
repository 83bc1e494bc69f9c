"""What servant remembers between the dates: gestures, gift ideas, keeping in touch.

``servant log`` records what was done for someone (a call, a card, a gift …); a gesture
``--for`` an occasion, or on a day within its lead time, takes care of it, so the
digest stops asking. ``servant idea`` keeps gift ideas, ``servant ideas`` lists them,
and ``servant log … gift --idea N`` turns one into a gift. ``servant overdue`` lists
whom it is time to get in touch with again.
"""

import re
from typing import Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import (
    FromOption,
    PersonArgument,
    check_text,
    open_store,
    parse_option,
    remark,
    settings_of,
    today_of,
)
from servant_cli.commands.completion import complete_person
from servant_cli.dates import format_day, parse_day
from servant_cli.errors import BadInput
from servant_cli.models import GestureKind

_AMOUNT = re.compile(r"\d{1,9}(?:[.,]\d{1,2})?")


def log(
    ctx: typer.Context,
    person: PersonArgument,
    kind: Annotated[
        GestureKind,
        typer.Argument(metavar="KIND", help="call, card, gift, flowers, message, visit or note.", case_sensitive=False),
    ],
    what: Annotated[str | None, typer.Argument(metavar="[WHAT]", help="What it was: 'purple bathrobe'.")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="When (default: today).")] = None,
    for_: Annotated[
        str | None,
        typer.Option("--for", metavar="OCCASION", help="The date it was for: a kind (birthday) or a custom label."),
    ] = None,
    cost: Annotated[str | None, typer.Option(metavar="AMOUNT", help="What it cost, e.g. 45 or 45.90.")] = None,
    idea: Annotated[
        int | None, typer.Option(metavar="N", help="Give gift idea N (see 'servant ideas'); it is marked used.")
    ] = None,
) -> None:
    """Log something you did for someone: a call, a card, a gift, flowers, a message, a visit, or a note."""
    if for_ is not None and kind is GestureKind.note:
        raise BadInput("--for: a note takes care of no date; log what you did (call, card, gift, …)")
    from servant_cli.services.memory import log_gesture

    text = check_text("WHAT", what)
    amount = _check_cost(cost)
    day = parse_option("--on", on, ctx, parse_day) if on is not None else today_of(ctx, None)
    found = log_gesture(
        open_store(ctx),
        person,
        kind.value,
        text,
        day,
        cost=amount,
        for_=for_,
        idea_id=idea,
        feb29=settings_of(ctx).feb29,
    )
    render.write(render.logged(found.gesture, found.person, found.occasion, found.for_date, found.idea))
    if on is not None and day > today_of(ctx, None):
        remark(f"{format_day(day)} is still to come; until then it counts as the last contact with them.")
    name = render.clean(found.person.name)
    for gift in found.earlier:
        remark(f"you gave {name} {render.clean(gift.what or '')!r} before, on {format_day(gift.on)}.")


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
    render.write(render.ideas_list(found, names, who))


def overdue(
    ctx: typer.Context,
    from_: FromOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Whom to get in touch with: people whose keep-in-touch time (--every) has run out, most overdue first."""
    from servant_cli.agenda import lapsed

    today = today_of(ctx, from_)
    found = lapsed(open_store(ctx).keep_in_touch(), today)
    render.write(render.overdue_json(found) if as_json else render.overdue_list(found))


def _check_cost(cost: str | None) -> str | None:
    if cost is None:
        return None
    value = cost.strip()
    if not _AMOUNT.fullmatch(value):
        raise BadInput(f"--cost: {cost!r} is not an amount; use a number such as 45 or 45.90")
    return value.replace(",", ".")
