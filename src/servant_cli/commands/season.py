"""``servant season``: one occasion for a whole group ("Holiday cards" to every client).

A season is a yearly day, a plan and a lead time for everyone with a tag: whoever
carries the tag when it is read, so someone tagged later joins it. ``servant log
PERSON card --for SEASON`` ticks a person off; ``servant season show`` is the
checklist; the digest says how far along it is in its lead time.
"""

from typing import Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import (
    FromOption,
    WholeSentenceGroup,
    YesOption,
    check_count,
    check_tags,
    check_tags_in_use,
    check_text,
    confirm,
    open_store,
    settings_of,
    today_of,
)
from servant_cli.errors import BadInput
from servant_cli.models import Plan

app = typer.Typer(
    name="season",
    help="Seasons: one occasion for everyone with a tag, such as holiday cards to every client.",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=WholeSentenceGroup,
)

SeasonArgument = Annotated[str, typer.Argument(metavar="NAME", help="The season's name, or the start of it.")]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="What to call it: 'Holiday cards'.")],
    on: Annotated[
        str,
        typer.Option(
            "--on",
            metavar="DATE",
            help="The yearly day ('Dec 1', 12-01) or a yearly rule ('2nd Sunday of May', Easter-2).",
        ),
    ],
    tag: Annotated[
        list[str] | None,
        typer.Option(metavar="TAG", help="For everyone with this tag (repeatable: any of them); none: everyone."),
    ] = None,
    plan: Annotated[Plan | None, typer.Option(help="What you plan to do for each of them.")] = None,
    lead: Annotated[
        str | None, typer.Option(metavar="DAYS", help="Start reminding this many days ahead (default: the config's).")
    ] = None,
) -> None:
    """Add a season: a yearly day for everyone with a tag (--on 'Dec 1' --tag client --plan card)."""
    from servant_cli.services.seasons import checklist, parse_on

    text = check_text("NAME", name)
    label = " ".join(text.split()) if text else ""
    if not label:
        raise BadInput("NAME: a season needs a name (it was empty)")
    tags = check_tags(tag)
    lead_days = check_count("--lead", lead, 0, 365)
    settings = settings_of(ctx)
    today = today_of(ctx, None)
    month, day, rule = parse_on(on, settings.date_order)
    store = open_store(ctx)
    check_tags_in_use(store, tags)
    season = store.add_season(
        label, month, day, tags=tags, plan=plan.value if plan else None, lead_days=lead_days, rule=rule
    )
    render.write(render.season_added(checklist(store, season, today, settings)))


@app.command("list")
def list_seasons(
    ctx: typer.Context,
    from_: FromOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the seasons, each with its next or current day and how far along it is."""
    from servant_cli.services.seasons import checklist

    store = open_store(ctx)
    today = today_of(ctx, from_)
    found = [checklist(store, season, today, settings_of(ctx)) for season in store.seasons()]
    render.write(render.seasons_json(found) if as_json else render.season_list(found, today))


@app.command("show")
def show(
    ctx: typer.Context,
    name: SeasonArgument,
    from_: FromOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The checklist: who is done and by what, who is left and how to reach them."""
    from servant_cli.services.seasons import checklist

    store = open_store(ctx)
    today = today_of(ctx, from_)
    item = checklist(store, store.find_season(name), today, settings_of(ctx))
    render.write(render.checklist_json(item) if as_json else render.season_checklist(item, today))


@app.command("rm")
def rm(ctx: typer.Context, name: SeasonArgument, yes: YesOption = False) -> None:
    """Remove a season (it asks first); the gestures logged for it stay."""
    store = open_store(ctx)
    season = store.find_season(name)
    if not yes:
        confirm(f"Remove the season {render.clean(season.name)!r}?")
    store.remove_season(season.id)
    render.write(f"Removed the season {render.clean(season.name)!r}")
