"""``servant upcoming``: what is coming up, soonest first."""

from typing import Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import (
    MAX_DAYS,
    FromOption,
    KindFilter,
    TagFilter,
    check_count,
    check_tags,
    check_tags_in_use,
    open_store,
    settings_of,
    today_of,
)
from servant_cli.errors import BadInput
from servant_cli.models import many_records


def upcoming(
    ctx: typer.Context,
    days: Annotated[
        str | None,
        typer.Option(metavar="DAYS", help="How many days ahead to look (default 30, or 'days' in config)."),
    ] = None,
    from_: FromOption = None,
    tag: TagFilter = None,
    kind: KindFilter = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV.")] = False,
) -> None:
    """What is coming up: every occasion in the next DAYS days, soonest first."""
    from servant_cli.services.agenda import upcoming_items

    if as_json and as_csv:
        raise BadInput("--json and --csv cannot be used together; choose one")
    today = today_of(ctx, from_)
    settings = settings_of(ctx)
    span = check_count("--days", days, 0, MAX_DAYS)
    span = settings.days if span is None else span
    tags = check_tags(tag)
    store = open_store(ctx)
    # "Nothing coming up" would be untrue of a tag no one has (a typo: --tag clinet).
    check_tags_in_use(store, tags)
    # light: of a person, upcoming prints only the name, id, tags and family.
    items = upcoming_items(
        store,
        today,
        span,
        settings,
        tags=tags,
        kinds=[k.value for k in kind or []],
        history=as_json,
        light=True,
    )
    # Each written as the items come: a year of 200,000 people's dates is never held whole.
    with many_records():
        if as_json:
            render.write_upcoming_json(items)
        elif as_csv:
            render.write_upcoming_csv(items)
        else:
            render.show_upcoming(items, today, span)
