"""``servant find``: people by any part of what servant knows of them."""

import sys
from typing import Annotated

import typer

from servant_cli import render
from servant_cli.commands.common import TagFilter, check_tags, check_text, open_store
from servant_cli.errors import BadInput
from servant_cli.text import search_key


def find(
    ctx: typer.Context,
    text: Annotated[
        str,
        typer.Argument(metavar="TEXT", help="Part of a name, nickname, company, position, email, phone, tag or note."),
    ],
    tag: TagFilter = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Find people by any part of their name, nickname, company, position, email, phone, tags or notes.

    Case and accents aside: 'lucia' finds Lucía, 'obrien' finds O'Brien. Each person is
    listed with what matched.
    """
    wanted = check_text("TEXT", text)
    if not wanted or not search_key(wanted):
        raise BadInput("TEXT: give some text to look for, e.g. servant find acme")
    tags = check_tags(tag)
    found = open_store(ctx).search(wanted, tags)
    if as_json:
        sys.stdout.write(render.found_json(found))
    else:
        render.show_found(found, wanted, tags)
