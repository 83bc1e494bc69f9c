"""What servant remembers between the dates: gestures, gift ideas, keeping in touch.

``servant log`` records what was done for someone (a call, a card, a gift …); a gesture
``--for`` an occasion, or on a day within its lead time, takes care of it, so the
digest stops asking. ``servant idea`` keeps gift ideas, ``servant ideas`` lists them,
and ``servant log … gift --idea N`` turns one into a gift. ``servant overdue`` lists
whom it is time to get in touch with again.
"""

import re
import unicodedata
from enum import StrEnum
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
from servant_cli.dates import format_day, parse_day
from servant_cli.errors import BadInput, NotFound
from servant_cli.models import Gesture, Idea, Occasion, Person
from servant_cli.store import Store

_AMOUNT = re.compile(r"\d{1,9}(?:[.,]\d{1,2})?")


class GestureKind(StrEnum):
    call = "call"
    card = "card"
    gift = "gift"
    flowers = "flowers"
    message = "message"
    visit = "visit"
    note = "note"


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
    text = check_text("WHAT", what)
    amount = _check_cost(cost)
    day = parse_option("--on", on, ctx, parse_day) if on is not None else today_of(ctx, None)
    store = open_store(ctx)
    who = store.find_person(person)
    used = _idea(store, who, idea, kind) if idea is not None else None
    if used is None and kind is GestureKind.gift and text:
        # A gift that was one of the ideas: it is given now.
        used = next((i for i in store.ideas(who.id) if _key(i.text) == _key(text)), None)
    if used is not None:
        text = text or used.text
    occasion = _occasion(store, who, for_) if for_ is not None else None
    for_date = None
    if occasion is not None:
        from servant_cli.agenda import handled_occurrence

        for_date = handled_occurrence(occasion, day, settings_of(ctx).feb29)
    earlier = _same_gifts(store, who, text) if kind is GestureKind.gift and text else []
    gesture = store.log_gesture(
        who.id,
        day,
        kind.value,
        text,
        cost=amount,
        occasion_id=occasion.id if occasion else None,
        for_date=for_date,
        idea_id=used.id if used else None,
    )
    said = f"Logged {kind.value} for {render.clean(who.name)}, {format_day(gesture.on)}"
    if text:
        said += f": {render.clean(text)}"
    if amount:
        said += f" ({amount})"
    if occasion is not None and for_date is not None:
        said += f"\n  For: {render.clean(occasion.title)}, {format_day(for_date)}"
    if used is not None:
        said += f"\n  Gift idea #{used.id} is given now."
    render.write(said)
    if on is not None and day > today_of(ctx, None):
        remark(f"{format_day(day)} is still to come; until then it counts as the last contact with them.")
    for gift in earlier:
        remark(f"you gave {render.clean(who.name)} {render.clean(gift.what or '')!r} before, on {format_day(gift.on)}.")


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
    person: Annotated[str | None, typer.Argument(metavar="[PERSON]", help="Only this person's ideas.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Ideas already given too.")] = False,
) -> None:
    """List gift ideas (not given yet), by person."""
    store = open_store(ctx)
    who = store.find_person(person) if person is not None else None
    found = store.ideas(who.id if who else None, used=all_)
    if not found:
        whose = f" for {render.clean(who.name)}" if who else ""
        render.write(f"No gift ideas{whose} yet; add one with: servant idea PERSON TEXT")
        return
    # Only the people with an idea listed (not the whole address book); ideas go with their person.
    listed = (store.get_person(person_id) for person_id in {item.person_id for item in found})
    names = {person.id: person.name for person in listed if person is not None}
    rows = []
    for item in sorted(found, key=lambda i: (names.get(i.person_id, "").casefold(), i.id)):
        given = f" (given {format_day(item.used)})" if item.used else ""
        rows.append((f"#{item.id}", render.clean(names.get(item.person_id, "?")), render.clean(item.text) + given))
    render.write(render.aligned(rows).rstrip("\n"))


def overdue(
    ctx: typer.Context,
    from_: FromOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Whom to get in touch with: people whose keep-in-touch time (--every) has run out, most overdue first."""
    from servant_cli.agenda import lapsed

    today = today_of(ctx, from_)
    found = lapsed(open_store(ctx).keep_in_touch(), today)
    if as_json:
        items = [
            {
                "person": item.person.name,
                "person_id": item.person.id,
                "every_days": item.person.every_days,
                "last": item.last.isoformat() if item.last else None,
                "days_overdue": item.days_overdue,
            }
            for item in found
        ]
        render.write(render.to_json(items).rstrip("\n"))
        return
    if not found:
        render.write("No one is overdue: everyone with a keep-in-touch time has heard from you in time.")
        return
    rows = []
    for item in found:
        since = f"last {format_day(item.last)}" if item.last else "no gesture yet"
        rows.append(
            (
                render.clean(item.person.name),
                f"every {item.person.every_days} day{'s' if item.person.every_days != 1 else ''}",
                since,
                f"{item.days_overdue} day{'s' if item.days_overdue != 1 else ''} overdue",
            )
        )
    render.write(render.aligned(rows).rstrip("\n"))


def _check_cost(cost: str | None) -> str | None:
    if cost is None:
        return None
    value = cost.strip()
    if not _AMOUNT.fullmatch(value):
        raise BadInput(f"--cost: {cost!r} is not an amount; use a number such as 45 or 45.90")
    return value.replace(",", ".")


def _idea(store: Store, who: Person, idea_id: int, kind: GestureKind) -> Idea:
    if kind is not GestureKind.gift:
        raise BadInput(f"--idea is for a gift, not a {kind.value}")
    found = store.get_idea(idea_id)
    if found is None or found.person_id != who.id:
        raise NotFound(f"--idea: {render.clean(who.name)} has no gift idea #{idea_id}; see 'servant ideas'")
    if found.used is not None:
        raise BadInput(f"--idea: #{idea_id} was given already, on {format_day(found.used)}")
    return found


def _occasion(store: Store, who: Person, wanted: str) -> Occasion:
    key = wanted.strip().casefold()
    dates = store.occasions_of(who.id)
    have = ", ".join(o.kind if o.kind != "custom" else o.label for o in dates) or "none"
    found = [o for o in dates if key in (o.kind, o.title.casefold())]
    if len(found) > 1:
        raise BadInput(
            f"--for: {render.clean(who.name)} has several {wanted!r} dates; give its label ({render.clean(have)})"
        )
    if found:
        return found[0]
    raise BadInput(f"--for: {render.clean(who.name)} has no {wanted!r} date (has: {render.clean(have)})")


def _key(text: str) -> str:
    """How gifts compare: any case, accents composed, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _same_gifts(store: Store, who: Person, text: str) -> list[Gesture]:
    return [g for g in store.gestures_of(who.id) if g.kind == "gift" and g.what and _key(g.what) == _key(text)]
