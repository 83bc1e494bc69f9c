"""``servant stats``: what was done and spent in a year, by month, by kind and by person."""

import sys
from typing import Annotated

import typer

from servant_cli import render
from servant_cli.commands.calendar_view import YearOption, check_year
from servant_cli.commands.common import FromOption, open_store, today_of


def stats(
    ctx: typer.Context,
    year: YearOption = None,
    from_: FromOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """What you did and spent in a year: by month, by kind of gesture, who had the most and the
    least attention, and spending per person (each currency apart)."""
    from servant_cli.services.stats import year_stats

    chosen = check_year(year)
    today = today_of(ctx, from_)
    shown = chosen if chosen is not None else today.year
    figures = year_stats(open_store(ctx), shown)
    if as_json:
        sys.stdout.write(render.stats_json(figures))
    else:
        render.show_stats(figures)
