"""``servant card``: a short draft message for a person's next occasion, or a named one."""

import sys
from typing import Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import FromOption, PersonArgument, check_text, open_store, settings_of, today_of
from servant_cli.errors import BadInput


def card(
    ctx: typer.Context,
    person: PersonArgument,
    occasion: Annotated[
        str | None,
        typer.Argument(
            metavar="[OCCASION]",
            help="birthday, anniversary, work-anniversary, client-since, or a date's own label (default: the next).",
            show_default=False,
        ),
    ] = None,
    from_: FromOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON: the person, the occasion, its date and the draft.")
    ] = False,
) -> None:
    """A draft card for a person's next occasion (or the one named), from a template you can replace."""
    from servant_cli.services.cards import card_dict, card_for

    wanted = check_text("OCCASION", occasion)
    if occasion is not None and wanted is None:
        raise BadInput(
            "OCCASION is empty; give birthday, anniversary, work-anniversary, client-since or a date's label,"
            " or leave it out for the next one"
        )
    today = today_of(ctx, from_)
    drawn = card_for(open_store(ctx), person, wanted, today, settings_of(ctx))
    text = render.card_text(drawn.template.text, drawn.template.source, drawn.values)
    if as_json:
        sys.stdout.write(render.to_json(card_dict(drawn, text)))
    else:
        sys.stdout.write(text)
